"""From a new policy text to candidate statements: `ftzgraph extract` and `ftzgraph review`.

reading     input formats to one normalised text
gazetteer   the names the graph already knows
mentions    zones, sub-areas, bodies, documents, provisions and dates in the text
relations   issuedBy, issuedOn, appliesTo, pilotedIn stated by a sentence
tables      numbered rows of replicated measures with lead bodies and scope
figures     numbers with their unit, period and area: proposed observations
candidates  the proposed statements with their evidence, as Turtle
review      the terminal loop that accepts, rejects and edits them
evaluate    leave-one-report-out precision and recall against the curated graph
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ftzgraph import vocab
from ftzgraph.extract.candidates import CANDIDATES_HEADER, CLASS_OF_KIND, OBSERVATION, Candidates, Evidence, NewEntity, SourceInfo
from ftzgraph.extract.figures import Figure, find_figures
from ftzgraph.extract.gazetteer import Gazetteer
from ftzgraph.extract.mentions import Document, Mention, find_mentions, slug
from ftzgraph.extract.reading import CONTROL, read_document
from ftzgraph.extract.relations import Relation, find_relations
from ftzgraph.extract.tables import Row, find_rows

FTZ = vocab.FTZ
_SHORT_QUOTE = 60
_TITLE_LENGTH = 80  # a source's label, cut with an ellipsis
# A first line that is no title: a bullet, a date, a page or list number.
_NOT_A_TITLE = re.compile(r"[\s·•\-*—\d.,，、()（）年月日号第页/]*")


@dataclass
class Extraction:
    document: Document
    mentions: list[Mention]
    relations: list[Relation]
    rows: list[Row]
    figures: list[Figure]
    candidates: Candidates

    def listing(self, written: tuple[Path, Path] | None = None) -> str:
        """What was found, then one line per candidate: kind, statement, lines, quote."""
        counts = ", ".join(f"{n} {k}" for k, n in self.summary().items())
        out = [f"{len(self.candidates.statements)} candidate statements ({counts})"]
        for c in self.candidates.statements:
            obj = c.object if c.datatype else vocab.compact(c.object) + ("*" if c.object in self.candidates.new else "")
            subject = vocab.compact(c.subject) + ("*" if c.subject in self.candidates.new else "")
            e = c.evidence[0]
            quote = e.quote if len(e.quote) <= 50 else e.quote[:49] + "…"
            out.append(f"{e.line_start:>5}  {c.kind:<9} {subject} → {obj}  “{quote}”")
        if self.candidates.new:
            out.append("* new: not in the graph yet")
        return "\n".join(out) + "\n"

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for m in self.mentions:
            key = f"{m.kind} mentions" + ("" if m.known or m.kind == "date" else " (new)")
            counts[key] = counts.get(key, 0) + 1
        for c in self.candidates.statements:
            counts[c.kind] = counts.get(c.kind, 0) + 1
        if self.figures:
            counts["figures"] = len(self.figures)
        return counts


def extract_text(text: str, gazetteer: Gazetteer, source: SourceInfo) -> Extraction:
    """Mentions, relations, table rows and candidate statements of a normalised text."""
    document = Document(text)
    mentions = find_mentions(document, gazetteer)
    relations = find_relations(document, mentions)
    rows = find_rows(document, mentions)
    figures = find_figures(document, mentions)
    candidates = Candidates(source, [], {})
    _relation_candidates(document, relations, candidates)
    _row_candidates(document, rows, gazetteer, candidates)
    unproposed = _figure_candidates(document, figures, candidates)
    candidates.mentions = [(document.line_of[m.start], m.kind, m.iri, document.quote(m.start, m.end))
                           for m in mentions if m.known and m.iri]
    candidates.figures = [(f.line, f.value, f.unit, f.period.value if f.period else "", vocab.compact(f.area.iri) if f.area else "",
                           document.quote(f.start, f.end)) for f in unproposed]
    return Extraction(document, mentions, relations, rows, figures, candidates)


def extract_file(graph, path: Path | str, source_id: str | None = None, gazetteer: Gazetteer | None = None,
                 title: str | None = None) -> Extraction:
    source_text = read_document(path)
    source = source_info(Path(path), source_text.text, source_id, title)
    _check_new_source(graph, source)
    return extract_text(source_text.text, gazetteer or Gazetteer.from_graph(graph), source)


def source_info(path: Path, text: str, source_id: str | None = None, title: str | None = None) -> SourceInfo:
    """The ftz:Source of a new text: its id from the file name; its zh label from the first line that
    is more than a date, number or bullet (a section may open with · 2024年3月22日), or the title
    given (an English one is the English label)."""
    from ftzgraph.errors import UsageError

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    ident = (slug(path.stem)[:40].strip("-") or digest[:8]) if source_id is None else source_id
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,99}", ident):  # it names files: keep it short
        raise UsageError(f"--source-id takes lowercase letters, digits and hyphens, not {ident!r}")
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    first = next((line for line in lines if not _NOT_A_TITLE.fullmatch(line)), lines[0] if lines else path.stem)
    label, label_en = re.split(r"(?<=[。；！？])", first)[0], f"Text of {path.name}"
    if title is not None:
        if not title.strip():
            raise UsageError("--title is empty")
        if CONTROL.search(title):
            raise UsageError(f"--title holds a control character: {title!r}")
        if re.search(r"[\u3400-\u9fff]", title):
            label = title
        else:
            label_en = title
    return SourceInfo(vocab.PREFIXES["source"] + ident, f"{ident}_{digest[:16]}.txt", digest, _shortened(label),
                      _shortened(label_en), input=path.name)


def _shortened(label: str) -> str:
    label = " ".join(label.split())
    return label if len(label) <= _TITLE_LENGTH else label[:_TITLE_LENGTH - 1] + "…"


def _check_new_source(graph, source: SourceInfo) -> None:
    """A source id the graph already gives another text would merge two sources (and their evidence) in
    one; one that names a data file (zones.txt: zones.ttl) would have review replace that file."""
    from ftzgraph import paths
    from ftzgraph.errors import UsageError

    rows = graph.sparql(f"SELECT ?sha WHERE {{ {vocab.iri_term(source.iri)} ftz:sha256 ?sha }}").rows
    taken = any(row["sha"].value != source.sha256 for row in rows)
    ident = source.iri.rsplit("/", 1)[-1]
    data_file = Path(graph.data_dir or paths.data_dir()) / f"{ident}.ttl"
    if taken or (data_file.exists() and not rows):
        raise UsageError(f"{vocab.compact(source.iri)} is already a source or data file of the graph; "
                         "give this text its own --source-id")


def write(extraction: Extraction, output: Path) -> tuple[Path, Path]:
    """The candidates file and, beside it, the normalised text its evidence cites: both or neither.
    An existing file is replaced only if it is an earlier candidates file: -o never eats the input."""
    from ftzgraph import output as files
    from ftzgraph.errors import UsageError

    text_path = output.parent / extraction.candidates.source.file
    if output.resolve() == text_path.resolve():
        raise UsageError(f"{output} is the name of the normalised text written beside the candidates; choose another")
    if output.is_file():
        with output.open("rb") as handle:
            first = handle.read(len(CANDIDATES_HEADER.encode()))
        if first != CANDIDATES_HEADER.encode():
            raise UsageError(f"{output} exists and is not a candidates file of `ftzgraph extract`; "
                             "it is left alone: choose another -o")
    with files.atomic_path(text_path) as tmp_text, files.atomic_path(output) as tmp_candidates:
        tmp_text.write_text(extraction.document.text, encoding="utf-8")
        tmp_candidates.write_text(extraction.candidates.to_turtle(), encoding="utf-8")
    return output, text_path


def _evidence(document: Document, start: int, end: int) -> Evidence:
    first, last = document.lines_of(start, end)
    return Evidence(first, last, document.quote(start, end))


def _entity(mention: Mention, candidates: Candidates) -> str:
    """The IRI of a mentioned entity; a new one is described once, and two new things that
    the naming rule would give one IRI get -2, -3 …"""
    if mention.known:
        return mention.iri
    label = mention.label or mention.text
    iri, n = mention.iri, 1
    while iri in candidates.new and (candidates.new[iri].label, candidates.new[iri].number) != (label, mention.number):
        n += 1
        iri = f"{mention.iri}-{n}"
    candidates.new.setdefault(iri, NewEntity(iri, CLASS_OF_KIND[mention.kind], label, mention.number))
    return iri


def _relation_candidates(document: Document, relations: list[Relation], candidates: Candidates) -> None:
    source = candidates.source.iri.rsplit("/", 1)[-1]
    pilots = 0
    for relation in relations:
        evidence = _evidence(document, relation.start, relation.end)
        predicate = FTZ + relation.predicate
        if relation.predicate == "issuedOn":
            date = relation.object
            candidates.add(_entity(relation.subject, candidates), predicate, date.value, evidence, date.datatype)
        elif relation.predicate == "pilotedIn":
            pilots += 1
            measure = _new_measure(candidates, vocab.PREFIXES["measure"] + f"{source}-pilot-{pilots:03d}", relation.label,
                                   FTZ + "ZoneInnovation")
            candidates.add(measure, predicate, _entity(relation.object, candidates), evidence)
        else:
            candidates.add(_entity(relation.subject, candidates), predicate, _entity(relation.object, candidates), evidence)


def _new_measure(candidates: Candidates, iri: str, label: str, cls: str) -> str:
    """A new measure of its kind (a zone's innovation when the text says a zone tried it; a row of
    a replication table is a reform pilot experience), or the one already proposed under the same
    name: one thing, one IRI."""
    for entity in candidates.new.values():
        if entity.label == label and entity.cls in (FTZ + "ZoneInnovation", FTZ + "ReformPilotExperience"):
            return entity.iri
    candidates.new[iri] = NewEntity(iri, cls, label)
    return iri


def _row_candidates(document: Document, rows: list[Row], gazetteer: Gazetteer, candidates: Candidates) -> None:
    source = candidates.source.iri.rsplit("/", 1)[-1]
    table = 0
    for row in rows:
        table += row.number == 1
        known = gazetteer.lookup(row.item, "measure")
        listed_row = next((gazetteer.rows[(d.iri, row.number)] for d in row.documents
                           if d.known and (d.iri, row.number) in gazetteer.rows), None)
        if known is not None or listed_row is not None:
            measure = known.iri if known is not None else listed_row  # the graph has this row of this document
        else:
            listed = row.documents[0].iri.rsplit("/", 1)[-1] if row.documents else f"{source}-t{table}"
            measure = vocab.PREFIXES["measure"] + f"{listed}-{row.number:02d}"
            if measure in candidates.new:  # two tables list under one document
                measure = vocab.PREFIXES["measure"] + f"{source}-t{table}-{row.number:02d}"
            measure = _new_measure(candidates, measure, row.item, FTZ + "ReformPilotExperience")
        row_evidence = _evidence(document, row.span[0], min(row.span[1], row.span[0] + _SHORT_QUOTE))
        candidates.add(measure, FTZ + "rowNumber", str(row.number), row_evidence, vocab.PREFIXES["xsd"] + "integer")
        for body in row.leads:
            # The quote runs from the item to the body, whichever column comes first; past a short
            # item it is the lead bodies alone: quotes are the words that carry the fact.
            start, end = min(row.item_span[0], body.start), max(row.item_span[1], body.end)
            if end - start > _SHORT_QUOTE:
                start, end = row.leads[0].start, body.end
            candidates.add(measure, FTZ + "leadBody", _entity(body, candidates), _evidence(document, start, end))
        if row.scope_iri:
            candidates.add(measure, FTZ + "replicationScope", row.scope_iri, _evidence(document, *row.scope_span))
        for listed in row.documents:  # the lines from the document's name to the row
            evidence = _evidence(document, listed.start, listed.end)
            evidence.line_start = min(evidence.line_start, row_evidence.line_start)
            evidence.line_end = max(evidence.line_end, row_evidence.line_end)
            candidates.add(measure, FTZ + "listedIn", _entity(listed, candidates), evidence)


def _figure_candidates(document: Document, figures: list[Figure], candidates: Candidates) -> list[Figure]:
    """A figure with a unit concept, a period and a known zone or sub-area is proposed as an
    observation of its value, unit, period and area; the figures it cannot propose are returned."""
    source = candidates.source.iri.rsplit("/", 1)[-1]
    unproposed = []
    for figure in figures:
        period, area = figure.period, figure.area
        if not (figure.unit_iri and period and period.value and area and area.known):
            unproposed.append(figure)
            continue
        base = vocab.PREFIXES["obs"] + f"{source}-{area.iri.rsplit('/', 1)[-1]}-{period.value}"
        iri, n = base, 1
        while iri in candidates.new:  # several figures of one area and period: -2, -3 …
            n += 1
            iri = f"{base}-{n}"
        candidates.new[iri] = NewEntity(iri, OBSERVATION, f"{period.text}{area.text} {figure.value}{figure.unit}")
        # The phrase from the period and area to the number is the evidence of all four, as in the
        # curated observations; past a short phrase each part quotes its own words.
        start = min(period.start, area.start)
        phrase = _evidence(document, start, figure.end) if figure.end - start <= _SHORT_QUOTE else None
        number = phrase or _evidence(document, figure.start, figure.end)
        candidates.add(iri, FTZ + "value", figure.value, number, vocab.PREFIXES["xsd"] + "decimal")
        candidates.add(iri, FTZ + "unit", figure.unit_iri, number)
        candidates.add(iri, FTZ + "refPeriod", period.value, phrase or _evidence(document, period.start, period.end),
                       period.datatype)
        candidates.add(iri, FTZ + "refArea", area.iri, phrase or _evidence(document, area.start, area.end))
    return unproposed
