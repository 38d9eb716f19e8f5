"""Typed NetworkX projections of the RDF graph, and the analyses researchers run on them.

``analyze(graph, name, lang, agreement)`` is the one entry point; ``ANALYSES`` names the
analyses it runs.  All results are deterministic: nodes are added in sorted order and
Louvain is seeded.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from ftzgraph import vocab
from ftzgraph.errors import UsageError
from ftzgraph.vocab import iri_term

SEED = 42
ANALYSES = ("centrality", "communities", "diffusion", "similarity")


def analyze(graph, name: str, lang: str = "en", agreement: str | None = None) -> list[dict]:
    """Run one of the ``ANALYSES`` on the graph; rows of plain values, deterministic.

    ``agreement`` (any name ``graph.resolve`` understands, e.g. "CPTPP") restricts
    centrality to the measures and documents aligned with that agreement.
    """
    if name not in ANALYSES:
        raise UsageError(f"unknown analysis {name!r}; choose from: {', '.join(ANALYSES)}")
    if agreement is not None and name != "centrality":
        raise UsageError("--agreement works with centrality only")
    if name == "centrality":
        return centrality(graph, lang, agreement)
    return {"communities": communities, "diffusion": diffusion, "similarity": similarity}[name](graph, lang)


def _labels(graph, lang: str) -> dict[str, str]:
    rows = graph.sparql(
        f"""SELECT ?s ?l WHERE {{ ?s skos:prefLabel ?l FILTER(LANG(?l) = "{'zh' if lang == 'zh' else 'en'}") }}"""
    ).rows
    return {r["s"].value: r["l"].value for r in rows}


def _pairs(graph, sparql: str) -> list[tuple[str, ...]]:
    result = graph.sparql(sparql)
    return sorted(tuple(row[v].value for v in result.variables) for row in result.rows)


def body_measure(graph):
    """Bipartite graph: bodies and the measures they lead (ftz:leadBody)."""
    import networkx as nx

    g = nx.Graph()
    for measure, body in _pairs(graph, "SELECT ?m ?b WHERE { ?m ftz:leadBody ?b }"):
        g.add_node(body, kind="body")
        g.add_node(measure, kind="measure")
        g.add_edge(body, measure)
    return g


def _scope(agreement: str | None) -> str:
    """A pattern keeping only the ?x aligned with the agreement or any provision inside it."""
    if agreement is None:
        return ""
    return f"?x ftz:alignsWith ?aligned . ?aligned ftz:within {iri_term(agreement)} ."


def body_body(graph, agreement: str | None = None):
    """Bodies linked by co-leading a measure or co-issuing a document, weighted by how often;
    only the measures and documents aligned with ``agreement`` (an IRI) if given."""
    import networkx as nx

    shared: dict[str, set[str]] = defaultdict(set)
    for item, body in _pairs(graph, f"SELECT ?x ?b WHERE {{ {{ ?x ftz:leadBody ?b }} UNION {{ ?x ftz:issuedBy ?b }} {_scope(agreement)} }}"):
        shared[item].add(body)
    g = nx.Graph()
    bodies = sorted({b for group in shared.values() for b in group})
    g.add_nodes_from(bodies)
    for item in sorted(shared):
        for a, b in combinations(sorted(shared[item]), 2):
            weight = g.get_edge_data(a, b, {"weight": 0})["weight"] + 1
            g.add_edge(a, b, weight=weight)
    return g


def centrality(graph, lang: str = "en", agreement: str | None = None) -> list[dict]:
    """Degree, betweenness and eigenvector centrality of bodies in the co-leadership network,
    with the number of measures each leads; within one agreement's alignments if given."""
    import networkx as nx

    if agreement is not None:
        agreement = graph.resolve(agreement, "Agreement")
    g = body_body(graph, agreement)
    labels = _labels(graph, lang)
    scope = _scope(agreement)
    led = Counter(b for _m, b in _pairs(graph, f"SELECT DISTINCT ?x ?b WHERE {{ ?x ftz:leadBody ?b . {scope} }}"))
    issued = Counter(b for _d, b in _pairs(graph, f"SELECT DISTINCT ?x ?b WHERE {{ ?x ftz:issuedBy ?b . {scope} }}"))
    degree = nx.degree_centrality(g) if len(g) > 1 else {n: 0.0 for n in g}
    betweenness = nx.betweenness_centrality(g, weight=None)
    eigen = nx.eigenvector_centrality(g, max_iter=5000, weight="weight") if g.number_of_edges() else dict.fromkeys(g, 0.0)
    rows = [
        {
            "body": vocab.compact(n),
            "label": labels.get(n, vocab.compact(n)),
            "measures_led": led.get(n, 0),
            "documents_issued": issued.get(n, 0),
            "partners": g.degree(n),
            "degree": round(degree[n], 4),
            "betweenness": round(betweenness[n], 4),
            "eigenvector": round(abs(eigen[n]), 4),
        }
        for n in g.nodes
    ]
    return sorted(rows, key=lambda r: (-r["betweenness"], -r["degree"], -r["measures_led"], r["body"]))


def communities(graph, lang: str = "en") -> list[dict]:
    """Louvain communities (seeded) of the body–measure network: which bodies work together."""
    import networkx as nx

    g = body_measure(graph)
    labels = _labels(graph, lang)
    found = nx.community.louvain_communities(g, seed=SEED) if len(g) else []
    rows = []
    for members in sorted(found, key=lambda c: (-len(c), sorted(c)[0])):
        bodies = sorted(n for n in members if g.nodes[n]["kind"] == "body")
        measures = sorted(n for n in members if g.nodes[n]["kind"] == "measure")
        rows.append(
            {
                "community": len(rows) + 1,
                "bodies": len(bodies),
                "measures": len(measures),
                "members": ", ".join(labels.get(b, vocab.compact(b)) for b in bodies),
            }
        )
    return rows


def diffusion(graph, lang: str = "en") -> list[dict]:
    """Measures piloted in a zone and then replicated (they have a replication scope or batch),
    counted per zone and per year of the latest document that lists them."""
    labels = _labels(graph, lang)
    rows = graph.sparql(
        """SELECT ?zone ?m (MAX(?y) AS ?year) (MAX(?isNational) AS ?national) WHERE {
             ?m ftz:pilotedIn ?zone .
             ?zone a ftz:Zone .
             FILTER(EXISTS { ?m ftz:replicationScope ?scoped } || EXISTS { ?m ftz:replicationBatch ?batched })
             OPTIONAL { ?m ftz:listedIn ?document . ?document ftz:issuedOn ?issued }
             OPTIONAL { ?m ftz:year ?measureYear }
             BIND(COALESCE(SUBSTR(STR(?issued), 1, 4), STR(?measureYear), "unknown") AS ?y)
             OPTIONAL { ?m ftz:replicationScope ?scope }
             BIND(IF(BOUND(?scope) && ?scope = concept:scope-national, 1, 0) AS ?isNational)
           } GROUP BY ?zone ?m"""
    ).rows
    spread: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        entry = spread.setdefault((row["zone"].value, row["year"].value), [0, 0])
        entry[0] += 1
        entry[1] += int(row["national"].value)
    return [
        {
            "zone": vocab.compact(zone),
            "label": labels.get(zone, vocab.compact(zone)),
            "year": year,
            "replicated": replicated,
            "nationwide": national,
        }
        for (zone, year), (replicated, national) in sorted(spread.items())
    ]


def similarity(graph, lang: str = "en", top: int = 0) -> list[dict]:
    """Jaccard similarity between zones by the policy fields of their measures and the
    agreement chapters those measures align with."""
    labels = _labels(graph, lang)
    features: dict[str, set[str]] = defaultdict(set)
    pairs = _pairs(
        graph,
        """SELECT DISTINCT ?zone ?feature WHERE {
             ?m ftz:pilotedIn ?zone . ?zone a ftz:Zone .
             { ?m ftz:policyField ?feature }
             UNION
             { ?m ftz:alignsWith ?p . ?p ftz:within ?feature . ?feature ftz:provisionKind ?k FILTER(?k IN ("chapter", "module")) }
           }""",
    )
    for zone, feature in pairs:
        features[zone].add(feature)
    rows = []
    for a, b in combinations(sorted(features), 2):
        union = features[a] | features[b]
        shared = features[a] & features[b]
        rows.append(
            {
                "zone_a": labels.get(a, vocab.compact(a)),
                "zone_b": labels.get(b, vocab.compact(b)),
                "shared": len(shared),
                "jaccard": round(len(shared) / len(union), 4) if union else 0.0,
            }
        )
    rows.sort(key=lambda r: (-r["jaccard"], -r["shared"], r["zone_a"], r["zone_b"]))
    return rows[:top] if top else rows
