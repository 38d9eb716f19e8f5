"""Leave one report out: how well `extract` recovers the curated statements of a report it has not seen.

For each of the five reports N: the gazetteer loses every entity that only report N's evidence
names (what N introduced), the extractor reads N's text, and what it proposes is compared with
the curated statements whose evidence cites N with basis "stated".  Counting, per kind:

- zone / sub-area / body / document mentions, agreement mentions (agreements and provisions):
  the distinct entities of the kind that the extractor mentions, against the distinct entities
  of the kind that are rdf:subject or rdf:object of N's stated evidence.  A mention of a known
  entity counts under its IRI; a new one under the graph's IRI when its name or 文号 is a label
  of exactly one entity of the kind in the full graph, otherwise under its proposed IRI.  The
  curated graph records statements, not every name a report prints: an entity the report names
  but no curated statement of N involves counts as a false positive, so precision is a lower
  bound; an entity a statement involves without the text naming it counts against recall.
- issuedBy: distinct (document, body) pairs, both mapped as above.
- measure rows: an extracted row matches a curated measure of N with the same ftz:rowNumber
  that is listed in the same document as the row's table (or its 发布文件 cell), or else whose zh
  label is similar (difflib ratio ≥ 0.6, or one containing the other); each curated measure is
  matched once.
- row lead bodies: (measure, body) pairs of matched rows against N's stated ftz:leadBody of
  measures with a row number; a pair of an unmatched row is a false positive.
- figures: an extracted figure matches a curated observation of N with the same ftz:value
  whose evidence lines contain the figure's line.

Checked precision: the curated statements are not a list of every name a report prints, so an
extracted mention or issuedBy pair that no curated statement of N involves may still be right.
Each such extra was read against the report by hand and recorded in
data/evaluation/extract-checked.tsv (report, kind, key, line, the text as printed, verdict
"named" or "wrong", note).  Checked precision counts the extras judged "named" as correct; an
extra nobody has checked counts as wrong, so it too is a lower bound.  Figures are not checked.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ftzgraph import vocab
from ftzgraph.extract.gazetteer import CLASS_OF, Gazetteer, squash

REPORTS = ("000", "001", "002", "003", "004")
ENTITY_KINDS = {"zone": ("zone",), "subarea": ("subarea",), "body": ("body",), "document": ("document",),
                "agreement": ("agreement", "provision")}
KIND_TITLES = {"zone": "zone mentions", "subarea": "sub-area mentions", "body": "body mentions",
               "document": "document mentions", "agreement": "agreement mentions", "issuedBy": "issuedBy",
               "row": "measure rows", "leadBody": "row lead bodies", "figure": "figures"}


CHECKED_FILE = "evaluation/extract-checked.tsv"
CHECKED_KINDS = ("zone", "subarea", "body", "document", "agreement", "issuedBy")


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    named: int = 0  # extras a person checked: the report names them (see CHECKED_FILE)
    unchecked: list[tuple[str, int, str]] = field(default_factory=list)  # extras nobody has checked: key, line, text

    def add(self, gold: set, predicted: set, checks: dict | None = None, where: dict | None = None) -> None:
        """Both sides are sets of keys (IRIs, pairs): a key in both is a match.  ``checks``: key -> the
        verdict of a person who read the report; ``where``: key -> (line, text)."""
        self.gold += len(gold)
        self.predicted += len(predicted)
        self.matched += len(gold & predicted)
        if checks is not None:
            extras = predicted - gold
            self.named += sum(checks.get(_key(k)) == "named" for k in extras)
            self.unchecked += sorted((_key(k), *(where or {}).get(k, (0, ""))) for k in extras if _key(k) not in checks)

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted if self.predicted else None

    @property
    def checked_precision(self) -> float | None:
        return (self.matched + self.named) / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None


@dataclass
class Evaluation:
    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KIND_TITLES})
    per_report: dict[str, dict[str, Score]] = field(default_factory=dict)

    def listing(self) -> str:
        return self.markdown() + "\n"

    def markdown(self) -> str:
        def number(value):
            return "–" if value is None else f"{value:.2f}"

        out = ["| statement kind | curated | extracted | matched | precision | recall | extras checked right | "
               "precision, checked |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for kind, score in self.scores.items():
            checked = (f"{score.named} | {number(score.checked_precision)}" if kind in CHECKED_KINDS else "– | –")
            out.append(f"| {KIND_TITLES[kind]} | {score.gold} | {score.predicted} | {score.matched} | "
                       f"{number(score.precision)} | {number(score.recall)} | {checked} |")
        unchecked = len(self.unchecked_rows())
        if unchecked:
            out.append(f"\n{unchecked} extras not checked by hand yet count as wrong "
                       "(`python bench/extract_eval.py --unchecked` lists them).")
        return "\n".join(out)

    def unchecked_rows(self) -> list[str]:
        """Rows for CHECKED_FILE, verdict left blank, for the extras nobody has checked yet."""
        return ["\t".join((report, kind, key, str(line), text, "", "")) for report, scores in self.per_report.items()
                for kind, score in scores.items() for key, line, text in score.unchecked]


def evaluate(graph, reports: tuple[str, ...] = REPORTS) -> Evaluation:
    from ftzgraph import paths
    from ftzgraph.extract import extract_text, source_info

    full = Gazetteer.from_graph(graph)
    files = {row["s"].value.rsplit("/", 1)[-1]: row["f"].value
             for row in graph.sparql("SELECT ?s ?f WHERE { ?s a ftz:Source ; ftz:sourceFile ?f }").rows}
    data_dir = graph.data_dir or paths.data_dir()
    sources_dir = data_dir / "sources"
    checked = read_checked(data_dir / CHECKED_FILE)
    result = Evaluation()
    for report in reports:
        text = (sources_dir / files[report]).read_text(encoding="utf-8")
        held_out = full.without(full.introduced_only_by(report))
        extraction = extract_text(text, held_out, source_info(Path(files[report]), text, f"r{report}"))
        scores = _score_report(graph, full, report, extraction, checked)
        result.per_report[report] = scores
        for kind, score in scores.items():
            total = result.scores[kind]
            total.gold += score.gold
            total.predicted += score.predicted
            total.matched += score.matched
            total.named += score.named
    return result


@dataclass(frozen=True)
class Check:
    report: str
    kind: str
    key: str  # compact IRI, or "document|body" for an issuedBy pair
    line: int
    text: str  # the name as the report prints it on that line
    verdict: str  # named or wrong
    note: str


def read_checked(path: Path) -> list[Check]:
    """The hand-checked extras (tab-separated; # starts a comment; the first other line is the header)."""
    if not path.exists():
        return []
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    checks = [Check(r[0], r[1], r[2], int(r[3]), r[4], r[5], r[6] if len(r) > 6 else "") for r in rows[1:]]
    bad = [c for c in checks if c.verdict not in ("named", "wrong") or c.kind not in CHECKED_KINDS]
    if bad:
        raise ValueError(f"{path}: verdict must be named or wrong and kind one of {CHECKED_KINDS}: {bad[0]}")
    return checks


def _key(key) -> str:
    """An IRI or an (IRI, IRI) pair as written in CHECKED_FILE."""
    return "|".join(vocab.compact(k) for k in key) if isinstance(key, tuple) else vocab.compact(key)


def _score_report(graph, full: Gazetteer, report: str, extraction, checked: list[Check] = ()) -> dict[str, Score]:
    scores = {k: Score() for k in KIND_TITLES}

    def verdicts(kind: str) -> dict[str, str]:
        return {c.key: c.verdict for c in checked if c.report == report and c.kind == kind}
    source = vocab.iri_term(vocab.PREFIXES["source"] + report)

    def canonical(iri: str, kind: str, label: str = "", number: str | None = None) -> str:
        if iri in full.entities:
            return iri
        for name in (number, label):
            found = full.lookup(name, kind) if name else None
            if found is not None:
                return found.iri
        return iri

    # Entity mentions.
    for group, kinds in ENTITY_KINDS.items():
        classes = " ".join(vocab.iri_term(CLASS_OF[k]) for k in kinds)
        gold = {row["e"].value for row in graph.sparql(f"""
            SELECT DISTINCT ?e WHERE {{
              ?ev a ftz:Evidence ; ftz:source {source} ; ftz:basis "stated" .
              {{ ?ev rdf:subject ?e }} UNION {{ ?ev rdf:object ?e }}
              ?e a ?c VALUES ?c {{ {classes} }} }}""").rows}
        where = {}
        for m in extraction.mentions:
            if m.kind in kinds and m.iri:
                where.setdefault(canonical(m.iri, m.kind, m.label or m.text, m.number),
                                 (extraction.document.line_of[m.start], extraction.document.quote(m.start, m.end)))
        scores[group].add(gold, set(where), verdicts(group), where)

    new = extraction.candidates.new
    kind_of_class = {c: k for k, c in CLASS_OF.items()}

    def statement_entity(iri: str) -> str:
        entity = new.get(iri)
        if entity is None:
            return iri
        return canonical(iri, kind_of_class.get(entity.cls, ""), entity.label, entity.number)

    # issuedBy.
    gold = {(row["d"].value, row["b"].value) for row in graph.sparql(f"""
        SELECT DISTINCT ?d ?b WHERE {{ ?ev a ftz:Evidence ; ftz:source {source} ; ftz:basis "stated" ;
          rdf:predicate ftz:issuedBy ; rdf:subject ?d ; rdf:object ?b }}""").rows}
    where = {}
    for c in extraction.candidates.statements:
        if c.predicate == vocab.FTZ + "issuedBy":
            where.setdefault((statement_entity(c.subject), statement_entity(c.object)),
                             (c.evidence[0].line_start, c.evidence[0].quote) if c.evidence else (0, ""))
    scores["issuedBy"].add(gold, set(where), verdicts("issuedBy"), where)

    # Measure rows and their lead bodies.
    measures: dict[int, list[tuple[str, str, set[str]]]] = {}
    for row in graph.sparql(f"""
        SELECT ?m ?n ?l (GROUP_CONCAT(STR(?d)) AS ?docs) WHERE {{ ?ev a ftz:Evidence ; ftz:source {source} ;
          rdf:predicate ftz:rowNumber ; rdf:subject ?m . ?m ftz:rowNumber ?n ; skos:prefLabel ?l FILTER(LANG(?l) = "zh")
          OPTIONAL {{ ?m ftz:listedIn ?d }} }} GROUP BY ?m ?n ?l""").rows:
        docs = set(row["docs"].value.split()) if row["docs"] else set()
        measures.setdefault(int(row["n"].value), []).append((row["m"].value, squash(row["l"].value), docs))
    gold_rows = {m for group in measures.values() for m, _, _ in group}
    taken: dict[str, int] = {}
    predicted_rows, predicted_leads = set(), set()
    for index, row in enumerate(extraction.rows):
        listed = {canonical(d.iri, "document", d.label or d.text, d.number) for d in row.documents}
        best = max(((1.0 if listed & docs else _similar(row.item, label), m)
                    for m, label, docs in measures.get(row.number, []) if m not in taken), default=(0.0, None))
        key = best[1] if best[0] >= 0.6 else f"unmatched-{index}"
        if best[0] >= 0.6:
            taken[best[1]] = index
        predicted_rows.add(key)
        predicted_leads |= {(key, canonical(b.iri, "body", b.label or b.text)) for b in row.leads}
    scores["row"].add(gold_rows, predicted_rows)
    gold_leads = {(row["m"].value, row["b"].value) for row in graph.sparql(f"""
        SELECT DISTINCT ?m ?b WHERE {{ ?ev a ftz:Evidence ; ftz:source {source} ; ftz:basis "stated" ;
          rdf:predicate ftz:leadBody ; rdf:subject ?m ; rdf:object ?b . ?m ftz:rowNumber ?n }}""").rows}
    scores["leadBody"].add(gold_leads, predicted_leads)

    # Figures.
    observations = graph.sparql(f"""
        SELECT ?o ?v ?a ?b WHERE {{ ?ev a ftz:Evidence ; ftz:source {source} ; rdf:predicate ftz:value ;
          rdf:subject ?o ; rdf:object ?v ; ftz:lineStart ?a ; ftz:lineEnd ?b }}""").rows
    gold_figures = {row["o"].value for row in observations}
    predicted_figures = set()
    for index, figure in enumerate(extraction.figures):
        match = next((row["o"].value for row in observations
                      if _same_number(row["v"].value, figure.value)
                      and int(row["a"].value) <= figure.line <= int(row["b"].value)), None)
        predicted_figures.add(match or f"unmatched-{index}")
    scores["figure"].add(gold_figures, predicted_figures)
    return scores


def _similar(a: str, b: str) -> float:
    a, b = squash(a), squash(b)
    if a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a)):
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False
