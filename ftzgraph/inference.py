"""What the store adds to the curated triples when it is built, so that queries need no
property paths and run alike on every SPARQL engine (Virtuoso, Fuseki, rdflib …):

- every entity is typed with all the superclasses of its classes (rdfs:subClassOf);
- ``ftz:within`` links a provision to itself and to every provision and agreement above it
  (the closure of ``ftz:partOf``, which itself keeps naming the direct parent);
- a measure piloted in, or a document applying to, a sub-area is also piloted in / applying
  to its zone; the new statement gets an ``ftz:Evidence`` of basis "inferred" that carries
  the sub-area statement's source, lines and quote and says how it was derived.

The curated files never contain these triples; ``ftzgraph push`` sends them along.
"""

from __future__ import annotations

# One update per rule; each is idempotent, so running them twice changes nothing.
RULES = (
    """INSERT { ?x a ?super } WHERE {
         ?x a ?class . ?class rdfs:subClassOf+ ?super . FILTER(isIRI(?super))
       }""",
    """INSERT { ?p ftz:within ?p } WHERE { ?p a ftz:Provision }""",
    """INSERT { ?a ftz:within ?a } WHERE { ?a a ftz:Agreement }""",
    """INSERT { ?p ftz:within ?above } WHERE { ?p ftz:partOf+ ?above }""",
    # the evidence of each zone-level statement first, while "not yet stated" can still be told …
    """INSERT {
         ?new a ftz:Evidence ; rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?zone ; ftz:basis "inferred" ;
              prov:wasDerivedFrom ?evidence ; ?field ?value ;
              rdfs:comment ?how .
       } WHERE {
         VALUES ?p { ftz:pilotedIn ftz:appliesTo }
         ?x ?p ?sub . ?sub ftz:subAreaOf ?zone .
         FILTER NOT EXISTS { ?x ?p ?zone }
         ?evidence rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?sub .
         OPTIONAL { VALUES ?field { ftz:source ftz:lineStart ftz:lineEnd ftz:quote ftz:authority } ?evidence ?field ?value }
         BIND(IRI(CONCAT(STR(ev:), "inferred-", MD5(CONCAT(STR(?evidence), " ", STR(?zone))))) AS ?new)
         BIND(CONCAT("Holds for the zone because it holds for its sub-area ", STR(?sub), " (materialised when the store is built).") AS ?how)
       }""",
    # … then the statements themselves, evidence or not
    """INSERT { ?x ?p ?zone } WHERE {
         VALUES ?p { ftz:pilotedIn ftz:appliesTo }
         ?x ?p ?sub . ?sub ftz:subAreaOf ?zone .
       }""",
)


def materialise(store) -> None:
    """Add the inferred triples to a pyoxigraph Store being built."""
    from ftzgraph import vocab

    for rule in RULES:
        store.update(rule, prefixes=vocab.PREFIXES)
