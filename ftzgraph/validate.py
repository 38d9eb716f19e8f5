"""`ftzgraph validate`: SHACL shapes (pySHACL) plus the evidence and integrity checks."""

from __future__ import annotations

from pathlib import Path

from ftzgraph import integrity, paths, store
from ftzgraph.store import SHAPES_FILE
from ftzgraph.integrity import Problem


def shacl(graphs: dict[Path, object]) -> list[Problem]:
    """Violations of ontology/shapes.ttl, each with its focus node's label and file."""
    from pyshacl import validate as run_shacl
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF, SH, SKOS

    data = Graph()
    file_of = {}
    for path, graph in graphs.items():
        data += graph
        for subject in graph.subjects(RDF.type, None):
            file_of.setdefault(subject, path.name)
    ontology = Graph().parse(paths.ontology_dir() / "ftz.ttl")
    shapes = Graph().parse(paths.ontology_dir() / SHAPES_FILE)
    _conforms, report, _text = run_shacl(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", allow_warnings=True
    )
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        labels = {l.language: str(l) for l in data.objects(focus, SKOS.prefLabel)}
        label = labels.get("zh") or labels.get("en") or str(focus).rsplit("/", 1)[-1]
        path = report.value(result, SH.resultPath)
        where = f" ({path.n3(data.namespace_manager)})" if isinstance(path, URIRef) else ""
        message = str(report.value(result, SH.resultMessage) or "violates a shape")
        problems.append(Problem(file_of.get(focus, "?"), f"{label} <{focus}>", message + where))
    return problems


def validate(data_dir: Path | None = None, use_shacl: bool = True) -> list[Problem]:
    """Every problem of the data folder.  The checks across files (SHACL, dangling IRIs,
    label collisions) run only when every file parses: otherwise they would repeat one
    broken file as hundreds of missing things."""
    data_dir = data_dir or paths.data_dir()
    files = store.data_files(data_dir)
    graphs, problems = integrity.parse_files(files)
    complete = len(graphs) == len(files)
    problems += integrity.check_graphs(graphs, whole=complete, data_dir=data_dir)
    if use_shacl and complete:
        problems += shacl(graphs)
    return problems
