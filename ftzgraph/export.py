"""Exports of the whole graph or a subgraph, for Gephi, Cytoscape and other RDF tools.

Network formats (graphml, gexf, csv) carry one node per entity and one edge per
relation between entities, with zh and en labels and the class as node attributes
and the evidence count as an edge attribute.  RDF formats (ttl, nt, jsonld) carry
the triples themselves, evidence included.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ftzgraph import vocab
from ftzgraph.errors import UsageError
from ftzgraph.names import iri_term

NETWORK_FORMATS = ("graphml", "gexf", "csv")
RDF_FORMATS = ("ttl", "nt", "jsonld")
RELATIONS = ("subAreaOf", "issuedBy", "appliesTo", "leadBody", "pilotedIn", "listedIn", "alignsWith", "partOf",
             "replicationScope", "policyField", "replicationBatch", "succeededBy", "replaces")


def select_nodes(graph, cls: str | None = None, zone: str | None = None, agreement: str | None = None) -> set[str] | None:
    """The entities of a subgraph, or None for the whole graph."""
    from ftzgraph.trace import trace

    if not (cls or zone or agreement):
        return None
    selected: set[str] | None = None
    if cls:
        local = cls.split(":")[-1]
        rows = graph.sparql(f"SELECT ?s WHERE {{ ?s a/rdfs:subClassOf* ftz:{local} }}").rows
        if not rows and not graph.sparql(f"ASK {{ ftz:{local} a owl:Class }}").boolean:
            raise UsageError(f"unknown class {cls!r}; see `ftzgraph query class-counts`")
        selected = {r["s"].value for r in rows}
    for target in (zone, agreement):
        if target:
            reached = set(trace(graph, target).nodes)
            selected = reached if selected is None else selected & reached
    return selected


def network(graph, nodes: set[str] | None = None):
    """A networkx MultiDiGraph of entities and relations, restricted to ``nodes`` if given."""
    import networkx as nx

    preds = " ".join(f"ftz:{p}" for p in RELATIONS)
    edges = graph.sparql(
        f"""SELECT ?s ?p ?o (COUNT(DISTINCT ?e) AS ?evidence) WHERE {{
              VALUES ?p {{ {preds} }} ?s ?p ?o .
              OPTIONAL {{ ?e rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }}
            }} GROUP BY ?s ?p ?o"""
    ).rows
    info = graph.sparql(
        """SELECT ?s ?cls ?zh ?en WHERE {
             ?s a ?c FILTER(?c != ftz:Evidence && ?c != owl:Class && (STRSTARTS(STR(?c), STR(ftz:)) || ?c = skos:Concept))
             BIND(STRAFTER(STR(?c), "#") AS ?cls)
             OPTIONAL { ?s skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") }
             OPTIONAL { ?s skos:prefLabel ?en FILTER(LANG(?en) = "en") }
           }"""
    ).rows
    g = nx.MultiDiGraph()
    attrs: dict[str, dict] = {}
    for row in sorted(info, key=lambda r: (r["s"].value, r["cls"].value)):
        iri = row["s"].value
        entry = attrs.setdefault(iri, {"label": "", "label_zh": "", "label_en": "", "class": row["cls"].value or "Concept"})
        if row["cls"].value not in ("Measure", "Zone"):
            entry["class"] = row["cls"].value or "Concept"
        entry["label_zh"] = row["zh"].value if row.get("zh") else entry["label_zh"]
        entry["label_en"] = row["en"].value if row.get("en") else entry["label_en"]
        entry["label"] = entry["label_zh"] or entry["label_en"] or vocab.compact(iri)
    keep = (lambda iri: iri in attrs) if nodes is None else (lambda iri: iri in attrs and iri in nodes)
    for iri in sorted(attrs):
        if keep(iri):
            g.add_node(vocab.compact(iri), iri=iri, **attrs[iri])
    for row in sorted(edges, key=lambda r: (r["s"].value, r["p"].value, r["o"].value)):
        s, o = row["s"].value, row["o"].value
        if keep(s) and keep(o):
            p = row["p"].value.rsplit("#", 1)[-1]
            g.add_edge(vocab.compact(s), vocab.compact(o), key=p, relation=p, evidence=int(row["evidence"].value))
    return g


def write_network(g, fmt: str, path: Path) -> list[Path]:
    """Write graphml/gexf to path; csv to path's .nodes.csv and .edges.csv. Returns the files."""
    import networkx as nx

    if fmt == "graphml":
        nx.write_graphml(g, path)
        return [path]
    if fmt == "gexf":
        nx.write_gexf(g, path)
        return [path]
    nodes_path = path.with_suffix(".nodes.csv")
    edges_path = path.with_suffix(".edges.csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "iri", "class", "label_zh", "label_en"])
    for node, data in g.nodes(data=True):
        writer.writerow([node, data["iri"], data["class"], data["label_zh"], data["label_en"]])
    nodes_path.write_text(buffer.getvalue(), encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "relation", "target", "evidence", "source_label_zh", "target_label_zh", "source_label_en", "target_label_en"])
    for s, o, data in g.edges(data=True):
        writer.writerow([s, data["relation"], o, data["evidence"], g.nodes[s]["label_zh"], g.nodes[o]["label_zh"],
                         g.nodes[s]["label_en"], g.nodes[o]["label_en"]])
    edges_path.write_text(buffer.getvalue(), encoding="utf-8")
    return [nodes_path, edges_path]


def rdf_text(graph, fmt: str, nodes: set[str] | None = None) -> str:
    """The triples (evidence included) about the selected entities, as Turtle, N-Triples or JSON-LD."""
    from ftzgraph.results import format_graph

    if nodes is None:
        result = graph.sparql("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    else:
        result = graph.sparql_batched(
            """CONSTRUCT { ?s ?p ?o . ?e ?ep ?eo } WHERE {
                  VALUES ?s { {values} } ?s ?p ?o .
                  OPTIONAL { ?e rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . ?e ?ep ?eo }
                }""",
            [iri_term(n) for n in sorted(nodes)],
        )
    return format_graph(result, fmt)

