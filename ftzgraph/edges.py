"""Edges between entities and the evidence behind them: one Edge type, one evidence lookup.

Every core statement of the graph is reified by one or more ``ftz:Evidence``
(rdf:subject / rdf:predicate / rdf:object), with a basis and either a source file,
line range and verbatim quote, or a curated authority.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ftzgraph import vocab

_EVIDENCE = """SELECT ?s ?p ?o ?basis ?file ?start ?end ?quote ?authority ?comment WHERE {
  VALUES ?s { {values} }
  ?e rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ftz:basis ?basis .
  # One OPTIONAL per triple: Oxigraph evaluates a multi-triple OPTIONAL as a hash join over all evidence.
  OPTIONAL { ?e ftz:source ?source . ?source ftz:sourceFile ?file }
  OPTIONAL { ?e ftz:lineStart ?start }
  OPTIONAL { ?e ftz:lineEnd ?end }
  OPTIONAL { ?e ftz:quote ?quote }
  OPTIONAL { ?e ftz:authority ?authority }
  OPTIONAL { ?e rdfs:comment ?comment }
}"""


@dataclass
class Edge:
    """A link from ``source`` to ``target``: ``predicate`` is an IRI, or the free-text
    relation of a custom view; ``evidence`` is None until it has been looked up."""

    source: str
    predicate: str
    target: str
    evidence: list[dict] | None = None

    @property
    def relation(self) -> str:
        """The predicate's local name (leadBody for ftz:leadBody), or the free text."""
        return self.predicate.rsplit("#", 1)[-1] if self.predicate.startswith(vocab.FTZ) else self.predicate

    def to_dict(self) -> dict:
        return {"source": self.source, "predicate": self.predicate, "target": self.target, "evidence": self.evidence or []}


def evidence_of(graph, subjects) -> dict[tuple[str, str, str], list[dict]]:
    """Every evidence about statements whose subject is one of ``subjects`` (IRIs), by
    (subject, predicate, object) value, in source order: curated first, then by file and line."""
    iris = sorted({s for s in subjects if "://" in s})
    if not iris:
        return {}
    found: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in graph.sparql_batched(_EVIDENCE, [vocab.iri_term(i) for i in iris]).rows:
        found[(row["s"].value, row["p"].value, row["o"].value)].append(_item(row))
    return {key: sorted(_unique(items), key=_cited_at) for key, items in found.items()}


def attach(graph, edges) -> None:
    """Fill in the evidence of every edge that has none yet."""
    wanted = [e for e in edges if e.evidence is None]
    found = evidence_of(graph, {e.source for e in wanted})
    for edge in wanted:
        edge.evidence = found.get((edge.source, edge.predicate, edge.target), [])


def _item(row: dict) -> dict:
    item = {"basis": row["basis"].value}
    if row.get("file"):
        item["file"] = row["file"].value
    if row.get("start") and row.get("end"):
        start, end = row["start"].value, row["end"].value
        item["lines"] = start if start == end else f"{start}-{end}"
    for key in ("quote", "authority", "comment"):
        if row.get(key):
            item[key] = row[key].value
    return item


def _unique(items: list[dict]) -> list[dict]:
    return list({tuple(sorted(i.items())): i for i in items}.values())


def _cited_at(item: dict) -> tuple:
    start, _, end = item.get("lines", "0").partition("-")
    # every field: items that tie would come in the engine's row order
    return (item.get("file", ""), int(start), int(end or start), item["basis"], item.get("quote", ""), item.get("authority", ""),
            item.get("comment", ""))


def evidence_text(item: dict) -> str:
    """One evidence item on one line: basis · file:lines · “quote”, or basis · authority."""
    if item.get("file"):
        return f"{item['basis']} · {item['file']}:{item['lines']} · “{item['quote']}”"
    if item.get("authority"):
        return f"{item['basis']} · {item['authority']}"
    return item["basis"]
