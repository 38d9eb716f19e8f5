"""Names to IRIs: the one forgiving resolver behind every command that takes a name.

A name may be an IRI, a prefixed name (zone:shanghai), a clause ("CPTPP 5.3",
"CPTPP ch5", "DEPA module 6"), or a label, alias, 文号 or provision number.
"""

from __future__ import annotations

import re

from ftzgraph import vocab
from ftzgraph.vocab import iri_term, literal
from ftzgraph.errors import UsageError

_ARTICLE = re.compile(r"^(?P<agr>[A-Za-z][A-Za-z-]*)\s*(?:art(?:icle)?\.?\s*|第\s*)?(?P<num>\d+(?:\.\d+)+|\d+\.\d+-[A-Z]|annex\s*[\w-]+)\s*条?$", re.I)
_CHAPTER = re.compile(r"^(?P<agr>[A-Za-z][A-Za-z-]*)\s*(?:(?P<kind>ch(?:apter)?|module|m)\.?\s*|第\s*)(?P<num>\d+)\s*[章]?$", re.I)


def candidate_iris(target: str) -> list[str]:
    """IRIs a clause-like text names directly: 'CPTPP 5.3', 'CPTPP ch5', 'DEPA module 6'."""
    text = target.strip()
    match = _CHAPTER.match(text)
    if match:
        agr, num = match.group("agr").lower(), match.group("num")
        kind = "m" if agr == "depa" else "ch"
        return [vocab.PREFIXES["provision"] + f"{agr}-{kind}{num}"]
    match = _ARTICLE.match(text)
    if match:
        agr, num = match.group("agr").lower(), match.group("num").lower().replace(" ", "-")
        return [vocab.PREFIXES["provision"] + f"{agr}-{num}"]
    iri = as_iri(text)
    return [iri] if iri else []


def as_iri(text: str) -> str | None:
    """The IRI that text spells directly: <iri>, an absolute IRI or a prefixed name."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if re.match(r"^[a-z][a-z0-9+.-]*://", text):
        return text
    return vocab.expand(text)


def resolve(graph, target: str, cls: str | None = None) -> str:
    """The one entity a target names: IRI, prefixed name, clause, label, alias or 文号.

    Matching ignores case and whitespace; an exact label wins over a partial one, and
    an ambiguous target raises a UsageError listing the candidates.  ``cls`` (a class
    of the ontology, e.g. "Zone") keeps only entities of that class or its subclasses,
    so that ``render zone 上海`` finds the zone and not the bodies named after the city,
    and ``--agreement zone:shanghai`` is refused rather than answered with nothing.
    """
    of_class = f"?s a ftz:{cls} ." if cls else ""  # the store materialises superclass types
    for iri in candidate_iris(target):
        if graph.sparql(f"ASK {{ {iri_term(iri)} a {'ftz:' + cls if cls else '?c'} }}").boolean:
            return iri
        if cls and exists(graph, iri):
            raise UsageError(f"{vocab.compact(iri)} is not of the class {cls}")
    squashed = re.sub(r"\s+", "", target).lower()
    if not squashed:
        raise UsageError("give a target: a clause, measure, 文号, zone, body or IRI")
    rows = graph.sparql(
        f"""SELECT DISTINCT ?s ?l WHERE {{
          ?s skos:prefLabel|skos:altLabel|ftz:documentNumber|ftz:provisionNumber ?l ; a ?c .
          FILTER NOT EXISTS {{ ?s a ?skipped VALUES ?skipped {{ ftz:Evidence ftz:Source }} }} {of_class}
          FILTER(CONTAINS(LCASE(REPLACE(STR(?l), "\\\\s", "")), {literal(squashed)}))
        }}"""
    ).rows
    exact = {r["s"].value for r in rows if re.sub(r"\s+", "", r["l"].value).lower() == squashed}
    partial = {r["s"].value for r in rows}
    for found in (exact, partial):
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            names = ", ".join(sorted(vocab.compact(i) for i in found)[:12])
            more = f" and {len(found) - 12} more" if len(found) > 12 else ""
            raise UsageError(f"{target!r} is ambiguous; candidates: {names}{more}")
    kind = f" among the {cls} entities" if cls else ""
    raise UsageError(f"nothing matches {target!r}{kind}; try `ftzgraph query entity-search --param text=…`")


def exists(graph, iri: str) -> bool:
    return graph.sparql(f"ASK {{ {iri_term(iri)} a ?c }}").boolean
