"""Writing a synthetic graph: Turtle terms, the files with the source texts their evidence
cites, and the folder, which appears only once it is complete."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

from ftzgraph import vocab
from ftzgraph.vocab import date_zh  # noqa: F401  (the synth modules take it from here)

MARKER = "SYNTHETIC.md"  # marks a folder as ours, so a rerun may replace it
PREFIXES = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in vocab.PREFIXES.items()) + "\n"


def text(value: str) -> str:
    # str.replace, a no-op on most values, is several times faster here than str.translate
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def literal(value: str, lang: str = "") -> str:
    return text(value) + (f"@{lang}" if lang else "")


def zh(value: str) -> str:
    return literal(value, "zh")


def en(value: str) -> str:
    return literal(value, "en")


def date(value: str) -> str:
    """A date literal whose datatype states its precision, as the shipped data does."""
    kind = {1: "gYear", 2: "gYearMonth"}.get(value.count("-") + 1, "date")
    return f'"{value}"^^xsd:{kind}'


class TurtleFile:
    """One Turtle file being written, with the synthetic source text its evidence cites."""

    def __init__(self, name: str, seed: int):
        self.name = name
        self.source = f"source:syn-{name}"
        self.parts = [PREFIXES, f"# Synthetic data (ftzgraph.synth, seed {seed}): not facts about the real zones.\n\n"]
        self.lines = [f"合成来源（SYNTHETIC SOURCE）{name}：由 ftzgraph.synth 生成（种子 {seed}），不是真实报告。", ""]
        self.triples = 0

    def line(self, value: str) -> int:
        """Add a line to the source text; its 1-based number."""
        self.lines.append(value)
        return len(self.lines)

    def entity(self, subject: str, pairs: list[tuple[str, list[str]]]) -> None:
        body = " ;\n    ".join(f"{p} {' , '.join(objects)}" for p, objects in pairs if objects)
        self.parts.append(f"{subject}\n    {body} .\n")
        self.triples += sum(len(objects) for _p, objects in pairs)

    def source_text(self) -> str:
        return "\n".join(self.lines) + "\n"


class Output:
    """The files of one synthetic graph, written one at a time into a folder, and their counts."""

    def __init__(self, folder: Path, seed: int, rng: random.Random):
        self.folder = folder
        self.seed = seed
        self.rng = rng
        self.files = self.triples = self.bytes = self.evidence_count = 0
        self.sources: list[tuple[str, str, str]] = []  # (IRI, file stem, SHA-256) of each source text

    def new_file(self, name: str) -> TurtleFile:
        self.files += 1
        return TurtleFile(name, self.seed)

    def evidence(self, out: TurtleFile, s: str, p: str, o: str, line: int, quote: str) -> None:
        """One ftz:Evidence for (s p o), mostly stated in the line, sometimes inferred or curated."""
        roll = self.rng.random()
        if roll < 0.03:
            self.curated(out, s, p, o, "Synthetic curated fact")
        elif roll < 0.1:
            out.parts.append(self._cited(out, s, p, o, line, quote)
                             + 'ftz:basis "inferred" ;\n    rdfs:comment "Synthetic: read from the cited row."@en .\n')
            out.triples += 10
        else:
            self.stated(out, s, p, o, line, quote)

    def stated(self, out: TurtleFile, s: str, p: str, o: str, line: int, quote: str) -> str:
        """An ftz:Evidence stating (s p o) in the line (a disagreement's claims are these); its IRI."""
        cited = self._cited(out, s, p, o, line, quote)
        out.parts.append(cited + 'ftz:basis "stated" .\n')
        out.triples += 9
        return cited.split(" ", 1)[0]

    def _cited(self, out: TurtleFile, s: str, p: str, o: str, line: int, quote: str) -> str:
        return (f"{self.next_evidence()} a ftz:Evidence ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ;\n    "
                f"ftz:source {out.source} ; ftz:lineStart {line} ; ftz:lineEnd {line} ; ftz:quote {text(quote)} ; ")

    def curated(self, out: TurtleFile, s: str, p: str, o: str, authority: str) -> None:
        out.parts.append(f"{self.next_evidence()} a ftz:Evidence ; rdf:subject {s} ; rdf:predicate {p} ; "
                         f'rdf:object {o} ;\n    ftz:authority "{authority}" ; ftz:basis "curated" .\n')
        out.triples += 6

    def next_evidence(self) -> str:
        self.evidence_count += 1
        return f"ev:syn-{self.evidence_count:07d}"

    def finish(self, made: TurtleFile) -> None:
        """Write a completed file (and its source text) and let it go: memory stays at one file."""
        self.bytes += _write(self.folder / f"{made.name}.ttl", "".join(made.parts))
        self.triples += made.triples
        if len(made.lines) > 2:  # some evidence cites this file's source
            source = made.source_text()
            self.bytes += _write(self.folder / "sources" / f"syn-{made.name}.txt", source)
            self.sources.append((made.source, made.name, hashlib.sha256(source.encode("utf-8")).hexdigest()))

    def sources_file(self) -> None:
        out = self.new_file("sources")
        for iri, name, digest in self.sources:
            out.entity(iri, [
                ("a", ["ftz:Source"]),
                ("skos:prefLabel", [zh(f"合成来源 {name}（测试用，非真实报告）"), en(f"Synthetic source {name} (for testing; not a real report)")]),
                ("ftz:sourceFile", [text(f"syn-{name}.txt")]),
                ("ftz:sha256", [text(digest)]),
            ])
        self.finish(out)

    def marker(self, measures: int) -> None:
        self.bytes += _write(self.folder / MARKER, (
            f"# Synthetic ftzgraph data\n\nGenerated by `ftzgraph.synth.generate(measures={measures}, seed={self.seed})`.\n"
            "Invented documents and measures in the shape of the real graph, for benchmarks and tests:\n"
            "not facts about China's free trade zones. Regenerate rather than edit.\n"))


def _write(path: Path, content: str) -> int:
    data = content.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def check_target(out_dir: Path) -> None:
    """An absent or empty folder, or one we wrote before; never someone else's files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise FileExistsError(f"{out_dir} is a file; give a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
        raise FileExistsError(f"{out_dir} is not empty and holds no synthetic graph; use an empty folder")


@contextlib.contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """A temporary sibling folder to write into, renamed to out_dir once the block completes.

    An interrupted or failed run removes it, so out_dir is either absent, untouched or
    complete: a half-written graph never sits where a finished one is expected.
    """
    out_dir = Path(os.path.abspath(out_dir))  # "." or "x/.." have no name to put a sibling beside
    check_target(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    retired = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        (staging / "sources").mkdir(parents=True)
        yield staging
        _swap(staging, out_dir, retired)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if out_dir.is_dir():  # new or restored: the old folder moved aside is no longer needed
            shutil.rmtree(retired, ignore_errors=True)


def _swap(staging: Path, out_dir: Path, retired: Path) -> None:
    """Put the new folder in place of the old one, putting the old one back if that fails."""
    if out_dir.is_dir() and any(out_dir.iterdir()):
        shutil.rmtree(retired, ignore_errors=True)
        os.rename(out_dir, retired)
    try:
        os.replace(staging, out_dir)  # replaces an empty folder in one step
    except BaseException:
        if retired.is_dir() and not out_dir.exists():
            os.rename(retired, out_dir)
        raise
