"""What the ontology says about classes: which of an entity's types is the most specific.

The precedence is derived from ``rdfs:subClassOf`` in the compiled graph, so a class
added to ontology/ftz.ttl needs no code change: a PilotMeasure (a subclass of Measure)
wins over Measure, a FreeTradePort over Zone.
"""

from __future__ import annotations




def class_name(iri: str) -> str:
    """ftz:PilotMeasure → PilotMeasure, skos:Concept → Concept, org:Organization → Organization."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def superclasses(graph) -> dict[str, frozenset[str]]:
    """Every class of the graph with all its superclasses, itself included."""
    # The classes in a subquery of their own: Virtuoso 7.2 answers nothing when the start of the
    # path comes straight from a UNION.
    rows = graph.sparql(
        """SELECT DISTINCT ?c ?super WHERE {
             { SELECT DISTINCT ?c WHERE { { ?c a owl:Class } UNION { ?c rdfs:subClassOf ?any } UNION { ?thing a ?c FILTER(isIRI(?c)) } } }
             ?c rdfs:subClassOf* ?super
           }"""
    ).rows
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["c"].value, {row["c"].value}).add(row["super"].value)
    return {c: frozenset(s) for c, s in found.items()}


def most_specific(types, hierarchy: dict[str, frozenset[str]]) -> str | None:
    """The IRI of the class with the most superclasses among ``types`` (ties: by IRI)."""
    known = [t for t in types if t in hierarchy]
    if not known:
        return None
    return min(known, key=lambda t: (-len(hierarchy[t]), t))
