"""Coverage of an agreement by the domestic measures and documents aligned with it.

Per chapter/module and article: how many measures and documents align with it (or with
anything inside it), and which zones piloted them.  A chapter × zone matrix shows where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ftzgraph import vocab
from ftzgraph.errors import UsageError
from ftzgraph.names import resolve
from ftzgraph.results import Result, python_value
from ftzgraph.vocab import iri_term

_CHAPTER_KINDS = ("chapter", "module")
LEVELS = ("all", "chapter", "article")  # chapter takes modules too; all adds paragraphs, annexes, clauses


def _number_key(number: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", number or "") if p)


def coverage(graph, agreement: str, lang: str = "en", level: str = "all") -> Result:
    """The coverage table of one agreement: one row per provision (or per chapter, or per article,
    by ``level``), chapters first, and a note that sums it up."""
    if level not in LEVELS:
        raise UsageError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    iri = resolve(graph, agreement, "Agreement")
    label_filter = f'FILTER(LANG(?label) = "{"zh" if lang == "zh" else "en"}")'
    provisions = graph.sparql(
        f"""SELECT ?p ?number ?kind ?label ?parent WHERE {{
              ?p ftz:within {iri_term(iri)} ; ftz:provisionKind ?kind ; ftz:partOf ?parent .
              FILTER(?p != {iri_term(iri)})
              OPTIONAL {{ ?p ftz:provisionNumber ?number }}
              OPTIONAL {{ ?p skos:prefLabel ?label {label_filter} }}
            }}"""
    ).rows
    aligned = graph.sparql(
        f"""SELECT DISTINCT ?p ?item ?isDoc ?isProposal ?zone WHERE {{
              ?p ftz:within {iri_term(iri)} .
              FILTER(?p != {iri_term(iri)})
              ?inner ftz:within ?p . ?item ftz:alignsWith ?inner .
              OPTIONAL {{ ?item a ftz:PolicyDocument BIND(true AS ?isDoc) }}
              OPTIONAL {{ ?item a ftz:Proposal BIND(true AS ?isProposal) }}
              OPTIONAL {{ {{ ?item ftz:pilotedIn ?zone }} UNION {{ ?item ftz:appliesTo ?zone }} ?zone a ftz:Zone }}
            }}"""
    ).rows
    direct = graph.sparql(f"""SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{
        ?item ftz:alignsWith {iri_term(iri)} FILTER NOT EXISTS {{ ?item a ftz:Proposal }} }}""").rows
    stats: dict[str, dict] = {}
    for row in aligned:
        entry = stats.setdefault(row["p"].value, _empty())
        kind = "documents" if python_value(row.get("isDoc")) else "proposals" if python_value(row.get("isProposal")) else "measures"
        entry[kind].add(row["item"].value)
        if row.get("zone"):
            entry["zones"].add(row["zone"].value)
    rows = []
    for row in provisions:
        p = row["p"].value
        entry = stats.get(p, _empty())
        rows.append(
            {
                "provision": vocab.compact(p),
                "kind": row["kind"].value,
                "number": row["number"].value if row.get("number") else "",
                "title": row["label"].value if row.get("label") else "",
                "parent": vocab.compact(row["parent"].value),
                "measures": len(entry["measures"]),
                "documents": len(entry["documents"]),
                "proposals": len(entry["proposals"]),
                "zones": ", ".join(sorted(vocab.compact(z).split(":")[-1] for z in entry["zones"])),
                "gap": "" if entry["measures"] or entry["documents"] else "GAP",
            }
        )
    rows.sort(key=lambda r: (r["kind"] not in _CHAPTER_KINDS, _number_key(r["number"]), r["provision"]))
    chapters = [r for r in rows if r["kind"] in _CHAPTER_KINDS]
    covered = sum(1 for r in chapters if not r["gap"])
    direct_count = int(direct[0]["n"].value) if direct else 0
    articles = [r for r in rows if r["kind"] == "article"]
    note = (f"{vocab.compact(iri)}: {covered} of {len(chapters)} chapters/modules and "
            f"{sum(1 for r in articles if not r['gap'])} of {len(articles)} articles have at least one aligned "
            f"measure or document; {direct_count} more align with the agreement as a whole")
    if level != "all":
        rows = [r for r in rows if (r["kind"] in _CHAPTER_KINDS if level == "chapter" else r["kind"] == "article")]
    return Result.from_dicts(rows, note=note)


def _empty() -> dict[str, set]:
    return {"measures": set(), "documents": set(), "proposals": set(), "zones": set()}


@dataclass
class Matrix:
    """Counts of aligned measures and documents: one row per chapter, one column per zone."""

    agreement: str
    chapters: list[str]
    zones: list[str]
    cells: list[list[int]]

    def result(self) -> Result:
        short = [z.split(":")[-1] for z in self.zones]
        rows = [{"chapter": c, **dict(zip(short, row))} for c, row in zip(self.chapters, self.cells)]
        return Result.from_dicts(rows, ["chapter", *short])

    def heatmap(self, path) -> None:
        """A PNG heatmap (matplotlib, headless), written atomically."""
        from ftzgraph import output

        try:
            import matplotlib
        except ImportError as exc:
            raise UsageError("--heatmap needs matplotlib: pip install 'ftzgraph[plot]'") from exc
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(max(6, len(self.zones) * 0.45), max(4, len(self.chapters) * 0.3)))
        ax.imshow(self.cells, cmap="Blues", aspect="auto")
        ax.set_xticks(range(len(self.zones)), [z.split(":")[-1] for z in self.zones], rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(self.chapters)), [c.split(":")[-1] for c in self.chapters], fontsize=8)
        for i, row in enumerate(self.cells):
            for j, value in enumerate(row):
                if value:
                    ax.text(j, i, str(value), ha="center", va="center", fontsize=7)
        ax.set_title(f"{self.agreement}: aligned measures per chapter and zone")
        fig.tight_layout()
        try:
            with output.atomic_path(path, suffix=".png") as tmp:
                fig.savefig(tmp, format="png", dpi=120, metadata={"Software": None})
        finally:
            plt.close(fig)


def matrix(graph, agreement: str) -> Matrix:
    """Chapter × zone counts of aligned measures and documents piloted in or applying to the zone."""
    iri = resolve(graph, agreement, "Agreement")
    rows = graph.sparql(
        f"""SELECT ?chapter ?number ?zone (COUNT(DISTINCT ?item) AS ?n) WHERE {{
              ?chapter ftz:partOf {iri_term(iri)} ; ftz:provisionKind ?kind FILTER(?kind IN ("chapter", "module"))
              OPTIONAL {{ ?chapter ftz:provisionNumber ?number }}
              ?inner ftz:within ?chapter . ?item ftz:alignsWith ?inner .
              {{ ?item ftz:pilotedIn ?zone }} UNION {{ ?item ftz:appliesTo ?zone }}
              ?zone a ftz:Zone .
            }} GROUP BY ?chapter ?number ?zone"""
    ).rows
    chapter_rows = graph.sparql(
        f"""SELECT ?chapter ?number WHERE {{ ?chapter ftz:partOf {iri_term(iri)} ; ftz:provisionKind ?kind
              FILTER(?kind IN ("chapter", "module")) OPTIONAL {{ ?chapter ftz:provisionNumber ?number }} }}"""
    ).rows
    chapters = sorted(
        (vocab.compact(r["chapter"].value) for r in chapter_rows),
        key=lambda c: _number_key(re.sub(r"^.*-(ch|m)", "", c)),
    )
    zone_rows = graph.sparql("SELECT ?z WHERE { ?z a ftz:Zone }").rows
    zones = sorted({vocab.compact(r["z"].value) for r in zone_rows})
    counts = {(vocab.compact(r["chapter"].value), vocab.compact(r["zone"].value)): int(r["n"].value) for r in rows}
    return Matrix(vocab.compact(iri), chapters, zones, [[counts.get((c, z), 0) for z in zones] for c in chapters])
