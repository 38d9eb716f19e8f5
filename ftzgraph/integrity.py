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

from ftzgraph import paths
from ftzgraph.vocab import CORE_PREDICATES, FTZ, RDF, RDFS, SKOS

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
    """Every non-curated core statement has at least one evidence."""
    supported = set()
    for ev in graph.subjects(RDF.type, FTZ.Evidence):
        supported.add(
            (graph.value(ev, RDF.subject), graph.value(ev, RDF.predicate), graph.value(ev, RDF.object))
        )
    problems = []
    for predicate in CORE_PREDICATES:
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


def check_files(files: list[Path]) -> list[Problem]:
    """Run every check on each file, with the shared files loaded for context."""
    from rdflib import Graph

    sources = SourceLines(paths.sources_dir())
    context = Graph()
    context.parse(paths.data_dir() / "sources.ttl")
    problems: list[Problem] = []
    for path in files:
        graph = Graph()
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises many types for bad Turtle
            problems.append(Problem(path.name, "-", f"does not parse: {str(exc).splitlines()[0]}"))
            continue
        graph += context
        problems += check_evidence(graph, sources, path.name)
        problems += check_core_coverage(graph, path.name)
        problems += check_labels(graph, path.name)
    return problems


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(paths.data_dir().glob("*.ttl"))
    problems = check_files(files)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problems in {len(files)} files")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
