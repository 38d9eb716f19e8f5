"""Integrity checks on the curated Turtle: evidence quotes, labels, coverage.

These checks go beyond SHACL: they open the source files and verify that every
quote stands in its cited lines.  Run them with ``ftzgraph validate`` or, while
editing one file, ``python -m ftzgraph.integrity data/FILE.ttl``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ftzgraph import paths, vocab

FTZ = Namespace(vocab.FTZ)
CORE_PREDICATES = tuple(FTZ[name] for name in vocab.CORE_PREDICATES)
# An observation's period needs its own evidence, like its value (a core predicate).
EVIDENCED_PREDICATES = CORE_PREDICATES + (FTZ.refPeriod,)

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Problem:
    file: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.subject}: {self.message}"


def squash(text: str) -> str:
    """Text with all whitespace removed, as quotes are compared."""
    return _WHITESPACE.sub("", text)


class SourceLines:
    """Line-addressable access to the shipped source reports."""

    def __init__(self, sources_dir: Path):
        self.dir = sources_dir
        self._cache: dict[str, list[str]] = {}

    def lines(self, name: str) -> list[str] | None:
        if name not in self._cache:
            path = self.dir / name
            if not path.is_file():
                return None
            # splitlines would also split on U+2028 etc.; the contract is \n lines.
            self._cache[name] = path.read_text(encoding="utf-8").split("\n")
        return self._cache[name]

    def span(self, name: str, start: int, end: int) -> str | None:
        lines = self.lines(name)
        if lines is None or start < 1 or end < start or end > len(lines):
            return None
        return "\n".join(lines[start - 1 : end])


def _label_of(graph, node) -> str:
    for label in graph.objects(node, SKOS.prefLabel):
        return str(label)
    return str(node).rsplit("/", 1)[-1]


def check_evidence(graph, sources: SourceLines, file: str = "") -> list[Problem]:
    """Every evidence resolves: basis, source lines, verbatim quote."""
    problems = []
    source_files = {s: str(f) for s, f in graph.subject_objects(FTZ.sourceFile)}
    for ev in graph.subjects(RDF.type, FTZ.Evidence):
        where = str(ev).rsplit("/", 1)[-1]

        def add(message: str) -> None:
            problems.append(Problem(file, where, message))

        for p in (RDF.subject, RDF.predicate, RDF.object):
            if graph.value(ev, p) is None:
                add(f"missing {p.n3(graph.namespace_manager)}")
        basis = str(graph.value(ev, FTZ.basis) or "")
        if basis == "suggested":
            add('basis "suggested" is a ranking from ftzgraph suggest, not evidence: check the treaty text, '
                'then make it "curated" with an ftz:authority')
            continue
        if basis not in {"stated", "inferred", "curated"}:
            add(f"basis must be stated, inferred or curated, not {basis!r}")
            continue
        if basis == "curated":
            if graph.value(ev, FTZ.authority) is None:
                add("curated evidence needs ftz:authority")
            continue
        source = graph.value(ev, FTZ.source)
        name = source_files.get(source)
        start, end = graph.value(ev, FTZ.lineStart), graph.value(ev, FTZ.lineEnd)
        quote = graph.value(ev, FTZ.quote)
        if name is None:
            add(f"unknown source {source}")
            continue
        if start is None or end is None or quote is None:
            add("needs ftz:lineStart, ftz:lineEnd and ftz:quote")
            continue
        span = sources.span(name, int(start), int(end))
        if span is None:
            add(f"lines {start}-{end} are outside {name}")
        elif squash(str(quote)) not in squash(span):
            add(f"quote not found in {name}:{start}-{end}: {str(quote)[:40]!r}")
        if basis == "inferred" and graph.value(ev, RDFS.comment) is None:
            add("inferred evidence needs an rdfs:comment saying how")
    return problems


def check_core_coverage(graph, file: str = "") -> list[Problem]:
    """Every non-curated core statement, and every observation's period, has at least one evidence."""
    supported = set()
    for ev in graph.subjects(RDF.type, FTZ.Evidence):
        supported.add(
            (graph.value(ev, RDF.subject), graph.value(ev, RDF.predicate), graph.value(ev, RDF.object))
        )
    problems = []
    for predicate in EVIDENCED_PREDICATES:
        for s, o in graph.subject_objects(predicate):
            if (s, predicate, o) not in supported:
                problems.append(
                    Problem(
                        file,
                        _label_of(graph, s),
                        f"{predicate.n3(graph.namespace_manager)} {_label_of(graph, o)} has no evidence",
                    )
                )
    return problems


def check_labels(graph, file: str = "") -> list[Problem]:
    """Every typed entity (not evidence) has exactly one zh and one en prefLabel."""
    problems = []
    skip = {FTZ.Evidence}
    for s in set(graph.subjects(RDF.type, None)):
        types = set(graph.objects(s, RDF.type))
        if types <= skip or not any(str(t).startswith(str(FTZ)) or t == SKOS.Concept for t in types):
            continue
        if str(s).startswith(str(FTZ)):
            continue  # ontology terms use rdfs:label
        if FTZ.Evidence in types:
            continue
        langs = [label.language for label in graph.objects(s, SKOS.prefLabel)]
        for lang in ("zh", "en"):
            count = langs.count(lang)
            if count != 1:
                problems.append(Problem(file, str(s).rsplit("/", 1)[-1], f"has {count} @{lang} prefLabels"))
    return problems


def check_collisions(graph, file: str = "") -> list[Problem]:
    """No two entities of one kind share a zh or an en prefLabel: one thing, one IRI."""
    kinds = [FTZ.Zone, FTZ.SubArea, FTZ.GovernmentBody, FTZ.PolicyDocument, FTZ.Measure, FTZ.Agreement, FTZ.Provision]
    problems = []
    for kind in kinds:
        members = _instances(graph, kind)
        seen: dict[tuple[str, str], object] = {}
        for node in sorted(members, key=str):
            for label in graph.objects(node, SKOS.prefLabel):
                key = (label.language or "", squash(str(label)))
                other = seen.setdefault(key, node)
                if other != node:
                    problems.append(
                        Problem(file, _label_of(graph, node), f"same @{key[0]} prefLabel as {other}")
                    )
    return problems


def _instances(graph, kind) -> set:
    classes = set(graph.transitive_subjects(RDFS.subClassOf, kind)) | {kind}
    return {s for c in classes for s in graph.subjects(RDF.type, c)}


def check_dangling(graph, file: str = "") -> list[Problem]:
    """Every IRI a core statement or partOf points to is defined (has an rdf:type)."""
    problems = []
    for predicate in CORE_PREDICATES + (FTZ.partOf, FTZ.replicationScope, FTZ.policyField, FTZ.replicationBatch,
                                        FTZ.standardLevel, FTZ.province):
        for s, o in graph.subject_objects(predicate):
            if isinstance(o, URIRef) and graph.value(o, RDF.type) is None:
                problems.append(Problem(file, _label_of(graph, s), f"points to undefined {o}"))
    return problems


def parse_files(files: list[Path]):
    """Each file parsed on its own (for per-file checks) and all of them merged."""
    from rdflib import Graph

    graphs, problems = {}, []
    for path in files:
        graph = Graph()
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many types for bad Turtle
            problems.append(Problem(path.name, "-", f"broken Turtle: {turtle_error(path, exc)}"))
            continue
        graphs[path] = graph
    return graphs, problems


def turtle_error(path: Path, fallback: Exception) -> str:
    """Where and why a Turtle file is broken, as Oxigraph's parser says it (line and column);
    rdflib's own message points elsewhere."""
    import pyoxigraph as ox

    try:
        for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            pass
    except SyntaxError as exc:
        return " ".join(str(exc).split())
    except OSError as exc:
        return str(exc)
    return " ".join(str(fallback).split())[:300]


def check_graphs(graphs: dict, whole: bool = False, data_dir: Path | None = None) -> list[Problem]:
    """Per-file checks on parsed files; with whole=True also the checks across all of them.
    Sources are looked up in ``data_dir`` (sources.ttl and sources/), the shipped data by default."""
    from rdflib import Graph

    data_dir = data_dir or paths.data_dir()
    sources = SourceLines(data_dir / "sources")
    context = Graph()
    catalogue = data_dir / "sources.ttl"
    if catalogue.is_file():
        context.parse(catalogue)
    context.parse(paths.ontology_dir() / "ftz.ttl")
    problems: list[Problem] = []
    merged = Graph()
    for path, graph in graphs.items():
        merged += graph
        with_context = graph + context
        problems += check_evidence(with_context, sources, path.name)
        problems += check_core_coverage(with_context, path.name)
        problems += check_labels(with_context, path.name)
    if whole:
        merged += context
        problems += check_collisions(merged, "(all files)")
        problems += check_dangling(merged, "(all files)")
    return problems


def check_files(files: list[Path], whole: bool = False) -> list[Problem]:
    graphs, problems = parse_files(files)
    return problems + check_graphs(graphs, whole, files[0].parent if files else None)


def main(argv: list[str]) -> int:
    whole = not argv
    files = [Path(a) for a in argv] or sorted(paths.data_dir().glob("*.ttl"))
    problems = check_files(files, whole=whole)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problems in {len(files)} files")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
