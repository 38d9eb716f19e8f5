"""Exports of the whole graph or a subgraph, for Gephi, Cytoscape and other RDF tools.

Network formats (graphml, gexf, csv) carry one node per entity and one edge per
relation between entities, with zh and en labels and the class as node attributes
and the evidence count as an edge attribute.  RDF formats (ttl, nt, jsonld) carry
the triples themselves, evidence included.
"""

from __future__ import annotations

import re
from pathlib import Path

from ftzgraph import ontology, output, vocab
from ftzgraph.errors import UsageError
from ftzgraph.results import Result
from ftzgraph.vocab import iri_term

NETWORK_FORMATS = ("graphml", "gexf", "csv")
RDF_FORMATS = ("ttl", "nt", "jsonld")
FORMATS = NETWORK_FORMATS + RDF_FORMATS
RELATIONS = ("subAreaOf", "issuedBy", "appliesTo", "leadBody", "pilotedIn", "listedIn", "producedStandard", "alignsWith", "partOf",
             "replicationScope", "policyField", "replicationBatch", "succeededBy", "replaces")


def export(graph, fmt: str, path: Path, cls: str | None = None, zone: str | None = None,
           agreement: str | None = None) -> list[Path]:
    """Write the (sub)graph to ``path`` (csv: PATH.nodes.csv and PATH.edges.csv); the files written."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    nodes = select_nodes(graph, cls, zone, agreement)
    if fmt in RDF_FORMATS:
        output.write(path, rdf_text(graph, fmt, nodes))
        return [path]
    g = network(graph, nodes)
    if fmt == "csv":
        nodes_path, edges_path = path.with_suffix(".nodes.csv"), path.with_suffix(".edges.csv")
        node_rows, edge_rows = network_tables(g)
        with output.atomic_folder(path.parent) as tmp:
            (tmp / nodes_path.name).write_text(node_rows.format("csv"), encoding="utf-8")
            (tmp / edges_path.name).write_text(edge_rows.format("csv"), encoding="utf-8")
        return [nodes_path, edges_path]
    import networkx as nx

    with output.atomic_path(path) as tmp:
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(g, tmp)
    return [path]


def select_nodes(graph, cls: str | None = None, zone: str | None = None, agreement: str | None = None) -> set[str] | None:
    """The entities of a subgraph, or None for the whole graph."""
    from ftzgraph.trace import trace

    for option, value in (("--class", cls), ("--zone", zone), ("--agreement", agreement)):
        if value is not None and not value.strip():  # an empty filter would export the whole graph
            raise UsageError(f"{option} is empty")
    if not (cls or zone or agreement):
        return None
    selected: set[str] | None = None
    if cls:
        local = cls.split(":")[-1]
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", local) or not graph.sparql(f"ASK {{ ftz:{local} a owl:Class }}").boolean:
            raise UsageError(f"unknown class {cls!r}; see `ftzgraph query class-counts`")
        rows = graph.sparql(f"SELECT ?s WHERE {{ ?s a ftz:{local} }}").rows
        selected = {r["s"].value for r in rows}
    for target, kind in ((zone, "Zone"), (agreement, "Agreement")):
        if target:
            reached = set(trace(graph, graph.resolve(target, kind)).nodes)
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
        """SELECT ?s ?c ?zh ?en WHERE {
             ?s a ?c FILTER(?c != ftz:Evidence && ?c != owl:Class && (STRSTARTS(STR(?c), STR(ftz:)) || ?c = skos:Concept))
             OPTIONAL { ?s skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") }
             OPTIONAL { ?s skos:prefLabel ?en FILTER(LANG(?en) = "en") }
           }"""
    ).rows
    types: dict[str, set[str]] = {}
    labels: dict[str, dict[str, str]] = {}
    for row in info:
        iri = row["s"].value
        types.setdefault(iri, set()).add(row["c"].value)
        entry = labels.setdefault(iri, {"zh": "", "en": ""})
        entry["zh"] = entry["zh"] or (row["zh"].value if row.get("zh") else "")
        entry["en"] = entry["en"] or (row["en"].value if row.get("en") else "")
    keep = (lambda iri: iri in types) if nodes is None else (lambda iri: iri in types and iri in nodes)
    g = nx.MultiDiGraph()
    for iri in sorted(types):
        if keep(iri):
            cls = graph.most_specific_class(types[iri])
            zh, en = labels[iri]["zh"], labels[iri]["en"]
            g.add_node(vocab.compact(iri), iri=iri, label=zh or en or vocab.compact(iri), label_zh=zh, label_en=en,
                       **{"class": ontology.class_name(cls) if cls else "Concept"})
    for row in sorted(edges, key=lambda r: (r["s"].value, r["p"].value, r["o"].value)):
        s, o = row["s"].value, row["o"].value
        if keep(s) and keep(o):
            p = row["p"].value.rsplit("#", 1)[-1]
            g.add_edge(vocab.compact(s), vocab.compact(o), key=p, relation=p, evidence=int(row["evidence"].value))
    return g


def network_tables(g) -> tuple[Result, Result]:
    """The network's nodes and edges as two tables, for the csv export."""
    nodes = [{"id": n, "iri": d["iri"], "class": d["class"], "label_zh": d["label_zh"], "label_en": d["label_en"]}
             for n, d in g.nodes(data=True)]
    edges = [{"source": s, "relation": d["relation"], "target": o, "evidence": d["evidence"],
              "source_label_zh": g.nodes[s]["label_zh"], "target_label_zh": g.nodes[o]["label_zh"],
              "source_label_en": g.nodes[s]["label_en"], "target_label_en": g.nodes[o]["label_en"]}
             for s, o, d in g.edges(data=True)]
    node_columns = ["id", "iri", "class", "label_zh", "label_en"]
    edge_columns = ["source", "relation", "target", "evidence", "source_label_zh", "target_label_zh",
                    "source_label_en", "target_label_en"]
    return Result.from_dicts(nodes, node_columns), Result.from_dicts(edges, edge_columns)


def rdf_text(graph, fmt: str, nodes: set[str] | None = None) -> str:
    """The triples (evidence included) about the selected entities, as Turtle, N-Triples or JSON-LD."""
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
    return result.format(fmt)
