"""The network analyses on tiny graphs, checked against values computed by hand.

Every expected number below is worked out in the comment next to it, never by calling
networkx: a wrong edge, a wrong weight or a wrong normalisation changes it.
"""

from __future__ import annotations

import math

import pytest

from ftzgraph import networks
from ftzgraph.api import Graph
from ftzgraph.errors import UsageError

PREFIXES = """\
@prefix ftz:       <https://w3id.org/ftzgraph/ontology#> .
@prefix zone:      <https://w3id.org/ftzgraph/id/zone/> .
@prefix subarea:   <https://w3id.org/ftzgraph/id/subarea/> .
@prefix body:      <https://w3id.org/ftzgraph/id/body/> .
@prefix doc:       <https://w3id.org/ftzgraph/id/doc/> .
@prefix measure:   <https://w3id.org/ftzgraph/id/measure/> .
@prefix agreement: <https://w3id.org/ftzgraph/id/agreement/> .
@prefix provision: <https://w3id.org/ftzgraph/id/provision/> .
@prefix concept:   <https://w3id.org/ftzgraph/id/concept/> .
@prefix xsd:       <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:      <http://www.w3.org/2004/02/skos/core#> .
"""


def tiny_graph(tmp_path_factory, name: str, turtle: str) -> Graph:
    """A data folder holding one Turtle file; the store compiles it with the ontology."""
    folder = tmp_path_factory.mktemp(name)
    (folder / "tiny.ttl").write_text(PREFIXES + turtle, encoding="utf-8")
    return Graph(data_dir=folder)


def bodies(*names: str) -> str:
    return "".join(
        f'body:{n} a ftz:GovernmentBody ; skos:prefLabel "Body {n.upper()}"@en , "机构{n.upper()}"@zh .\n'
        for n in names
    )


def by_body(rows: list[dict]) -> dict[str, dict]:
    return {r["body"]: r for r in rows}


# ---------------------------------------------------------------------------
# Centrality: degree and betweenness
# ---------------------------------------------------------------------------

# Co-leadership network of five bodies:
#
#     A ==2== B ---- C ---- D        A–B: measures m1 and m2 (weight 2)
#                    |               B–C: measure m3
#                    E               C–D: document doc1, co-issued (not a measure)
#                                    C–E: measure m4;  E alone also leads m5 (no edge)
#
# The A–B edge carries weight 2, and one item, the tiny agreement, scopes m3 and doc1.
PATH_TTL = bodies("a", "b", "c", "d", "e") + """
measure:m1 a ftz:PilotMeasure ; ftz:leadBody body:a , body:b .
measure:m2 a ftz:PilotMeasure ; ftz:leadBody body:a , body:b .
measure:m3 a ftz:PilotMeasure ; ftz:leadBody body:b , body:c ; ftz:alignsWith provision:tiny-1-1 .
measure:m4 a ftz:PilotMeasure ; ftz:leadBody body:c , body:e .
measure:m5 a ftz:PilotMeasure ; ftz:leadBody body:e .
doc:doc1 a ftz:PolicyDocument ; ftz:issuedBy body:c , body:d ; ftz:alignsWith agreement:tiny .

agreement:tiny a ftz:Agreement ; skos:prefLabel "TINY"@en .
provision:tiny-ch1 a ftz:Provision ; ftz:partOf agreement:tiny ; ftz:provisionKind "chapter" .
provision:tiny-1-1 a ftz:Provision ; ftz:partOf provision:tiny-ch1 ; ftz:provisionKind "article" .
"""


@pytest.fixture(scope="module")
def path_graph(tmp_path_factory):
    return tiny_graph(tmp_path_factory, "path", PATH_TTL)


def test_centrality_rows_keep_their_keys_and_order(path_graph):
    rows = networks.analyze(path_graph, "centrality")
    assert list(rows[0]) == [
        "body", "label", "measures_led", "documents_issued", "partners", "degree", "betweenness", "eigenvector",
    ]
    # Sorted by betweenness, then degree, then measures led, then the body's name:
    # C (5/6), B (1/2), then the three leaves at 0 and degree 1/4: A and E lead 2 measures, D none.
    assert [r["body"] for r in rows] == ["body:c", "body:b", "body:a", "body:e", "body:d"]
    assert rows[0]["label"] == "Body C"
    assert networks.analyze(path_graph, "centrality", "zh")[0]["label"] == "机构C"


def test_betweenness_by_hand(path_graph):
    rows = by_body(networks.analyze(path_graph, "centrality"))
    # Unweighted shortest paths between the 10 unordered pairs of 5 bodies; every path is unique.
    #   B is inside A–C, A–D, A–E                      -> 3 pairs
    #   C is inside A–D, A–E, B–D, B–E, D–E            -> 5 pairs
    # Normalised for an undirected graph by the (n-1)(n-2)/2 = 4·3/2 = 6 pairs without the node:
    #   B = 3/6 = 0.5, C = 5/6 = 0.8333.
    expected = {"body:a": 0.0, "body:b": 0.5, "body:c": 5 / 6, "body:d": 0.0, "body:e": 0.0}
    for body, value in expected.items():
        assert rows[body]["betweenness"] == pytest.approx(value, abs=1e-4), body


def test_degree_centrality_and_counts_by_hand(path_graph):
    rows = by_body(networks.analyze(path_graph, "centrality"))
    # Degree centrality = partners / (n - 1) = partners / 4; the weight does not count.
    expected = {
        #         partners, degree, measures led, documents issued
        "body:a": (1, 0.25, 2, 0),  # m1, m2
        "body:b": (2, 0.5, 3, 0),  # m1, m2, m3
        "body:c": (3, 0.75, 2, 1),  # m3, m4; doc1
        "body:d": (1, 0.25, 0, 1),  # doc1 only: a co-issued document links bodies too
        "body:e": (1, 0.25, 2, 0),  # m4, and m5 which it leads alone
    }
    for body, (partners, degree, led, issued) in expected.items():
        row = rows[body]
        assert (row["partners"], row["measures_led"], row["documents_issued"]) == (partners, led, issued), body
        assert row["degree"] == pytest.approx(degree, abs=1e-4), body


def test_centrality_within_an_agreement_by_hand(path_graph):
    # Only m3 (aligns with article 1.1, part of chapter 1, part of TINY) and doc1 (aligns with
    # TINY itself) are in scope: the network shrinks to the path B – C – D.
    rows = by_body(networks.analyze(path_graph, "centrality", agreement="TINY"))
    assert set(rows) == {"body:b", "body:c", "body:d"}
    # n = 3: degree = partners / 2; C is inside the one pair B–D of the (2·1)/2 = 1 pairs without it.
    assert {b: (r["partners"], r["degree"], r["betweenness"]) for b, r in rows.items()} == {
        "body:b": (1, 0.5, 0.0),
        "body:c": (2, 1.0, 1.0),
        "body:d": (1, 0.5, 0.0),
    }
    assert {b: (r["measures_led"], r["documents_issued"]) for b, r in rows.items()} == {
        "body:b": (1, 0),  # m3 only: m1 and m2 are not aligned
        "body:c": (1, 1),  # m3; doc1 (m4 is not aligned)
        "body:d": (0, 1),
    }


# A square W – X – Y – Z – W in which W and X co-lead three measures (weight 3).
CYCLE_TTL = bodies("w", "x", "y", "z") + """
measure:c1 a ftz:PilotMeasure ; ftz:leadBody body:w , body:x .
measure:c2 a ftz:PilotMeasure ; ftz:leadBody body:w , body:x .
measure:c3 a ftz:PilotMeasure ; ftz:leadBody body:w , body:x .
measure:c4 a ftz:PilotMeasure ; ftz:leadBody body:x , body:y .
measure:c5 a ftz:PilotMeasure ; ftz:leadBody body:y , body:z .
doc:c6 a ftz:PolicyDocument ; ftz:issuedBy body:z , body:w .
"""


def test_betweenness_ignores_co_leadership_weights(tmp_path_factory):
    rows = by_body(networks.analyze(tiny_graph(tmp_path_factory, "cycle", CYCLE_TTL), "centrality"))
    # Hop counts: only the opposite pairs W–Y and X–Z are not adjacent; each has two shortest
    # paths, so each of the other two nodes gets 1/2.  Every node: 0.5 / (3·2/2 = 3) = 1/6.
    # (Reading the weight 3 as a distance would send W–Y through Z only: Z = 1/3 + …, W ≠ X.)
    for body in ("body:w", "body:x", "body:y", "body:z"):
        assert rows[body]["betweenness"] == pytest.approx(1 / 6, abs=1e-4), body
        assert rows[body]["degree"] == pytest.approx(2 / 3, abs=1e-4), body


# ---------------------------------------------------------------------------
# Centrality: eigenvector (weighted)
# ---------------------------------------------------------------------------

# A weighted star: hub H with leaves P, Q, R.
#   H–P weight 2 (measure s1 and document sd1), H–Q weight 1 (s2), H–R weight 2 (s3, s4).
STAR_TTL = bodies("h", "p", "q", "r") + """
measure:s1 a ftz:PilotMeasure ; ftz:leadBody body:h , body:p .
doc:sd1 a ftz:PolicyDocument ; ftz:issuedBy body:h , body:p .
measure:s2 a ftz:PilotMeasure ; ftz:leadBody body:h , body:q .
measure:s3 a ftz:PilotMeasure ; ftz:leadBody body:h , body:r .
measure:s4 a ftz:PilotMeasure ; ftz:leadBody body:h , body:r .
"""


@pytest.fixture(scope="module")
def star_graph(tmp_path_factory):
    return tiny_graph(tmp_path_factory, "star", STAR_TTL)


def test_eigenvector_of_a_weighted_star_by_hand(star_graph):
    rows = by_body(networks.analyze(star_graph, "centrality"))
    # A x = λ x on a star with leaf weights w_i:  λ x_H = Σ w_i x_i  and  λ x_i = w_i x_H,
    # so λ² = Σ w_i² = 2² + 1² + 2² = 9, λ = 3, and x_i = w_i x_H / 3.
    # Unit Euclidean norm:  x_H² (1 + Σ w_i² / λ²) = 2 x_H² = 1  ->  x_H = 1/√2 = 0.7071,
    #   x_P = x_R = 2 / (3√2) = 0.4714,  x_Q = 1 / (3√2) = 0.2357.
    # (Ignoring the weights would give every leaf 1/√6 = 0.4082.)
    expected = {
        "body:h": 1 / math.sqrt(2),
        "body:p": 2 / (3 * math.sqrt(2)),
        "body:q": 1 / (3 * math.sqrt(2)),
        "body:r": 2 / (3 * math.sqrt(2)),
    }
    for body, value in expected.items():
        assert rows[body]["eigenvector"] == pytest.approx(value, abs=1e-4), body
    # The hub is inside all 3 leaf pairs, of 3·2/2 = 3 pairs without it; its degree is 3/3.
    assert (rows["body:h"]["betweenness"], rows["body:h"]["degree"]) == (1.0, 1.0)
    assert rows["body:q"]["degree"] == pytest.approx(1 / 3, abs=1e-4)


# ---------------------------------------------------------------------------
# Communities (Louvain on the body–measure network)
# ---------------------------------------------------------------------------

# Two dense clusters: bodies a1..a3 all lead measures ma1..ma3 (a complete 3×3 bipartite
# block, 9 edges), bodies b1..b3 all lead mb1..mb3 (9 edges).  One weak link: b1 also leads ma3.
# Splitting there keeps 18 of the 19 edges inside, each side with degree sum 19:
#   Q = 18/19 - 2·(19/38)² = 0.447, and no other split comes close.
CLUSTERS_TTL = bodies("a1", "a2", "a3", "b1", "b2", "b3") + """
measure:ma1 a ftz:PilotMeasure ; ftz:leadBody body:a1 , body:a2 , body:a3 .
measure:ma2 a ftz:PilotMeasure ; ftz:leadBody body:a1 , body:a2 , body:a3 .
measure:ma3 a ftz:PilotMeasure ; ftz:leadBody body:a1 , body:a2 , body:a3 , body:b1 .
measure:mb1 a ftz:PilotMeasure ; ftz:leadBody body:b1 , body:b2 , body:b3 .
measure:mb2 a ftz:PilotMeasure ; ftz:leadBody body:b1 , body:b2 , body:b3 .
measure:mb3 a ftz:PilotMeasure ; ftz:leadBody body:b1 , body:b2 , body:b3 .
"""


@pytest.fixture(scope="module")
def cluster_graph(tmp_path_factory):
    return tiny_graph(tmp_path_factory, "clusters", CLUSTERS_TTL)


def test_louvain_finds_the_two_clusters(cluster_graph):
    rows = networks.analyze(cluster_graph, "communities")
    assert [list(r) for r in rows] == [["community", "bodies", "measures", "members"]] * 2
    # Both communities have 6 nodes; ties go to the one whose first IRI sorts first (body:a1).
    assert [(r["community"], r["bodies"], r["measures"]) for r in rows] == [(1, 3, 3), (2, 3, 3)]
    assert [set(r["members"].split(", ")) for r in rows] == [
        {"Body A1", "Body A2", "Body A3"},
        {"Body B1", "Body B2", "Body B3"},
    ]
    assert networks.analyze(cluster_graph, "communities") == rows  # seeded


def test_louvain_membership_includes_the_measures(cluster_graph):
    # The rows carry counts; the partition itself must put each measure with its own bodies.
    import networkx as nx

    g = networks.body_measure(cluster_graph)
    found = nx.community.louvain_communities(g, seed=networks.SEED)
    local = {frozenset(n.rsplit("/", 1)[1] for n in c) for c in found}
    assert local == {
        frozenset({"a1", "a2", "a3", "ma1", "ma2", "ma3"}),
        frozenset({"b1", "b2", "b3", "mb1", "mb2", "mb3"}),
    }


# ---------------------------------------------------------------------------
# Similarity (Jaccard over policy fields and agreement chapters/modules)
# ---------------------------------------------------------------------------

# Features per zone (policy fields f-*, and the chapter or module an aligned provision sits in):
#   Z1 = {f-a, f-b, ch1}: p1 has fields f-a, f-b in Z1; p2, piloted in Z1's sub-area, aligns
#        with article 1.1 of chapter 1 (an article is not a feature, its chapter is)
#   Z2 = {f-b, f-d, ch1}: p3 has fields f-b, f-d and aligns with chapter 1 itself
#   Z3 = {f-a, m2}:       p4 has field f-a, aligns with article 2.1 of module 2, and with the
#        agreement as a whole (not a feature: an agreement is no chapter or module)
SIMILARITY_TTL = """
zone:z1 a ftz:PilotFreeTradeZone ; skos:prefLabel "Zone One"@en .
zone:z2 a ftz:PilotFreeTradeZone ; skos:prefLabel "Zone Two"@en .
zone:z3 a ftz:FreeTradePort ; skos:prefLabel "Zone Three"@en .
subarea:z1-s a ftz:SubArea ; ftz:subAreaOf zone:z1 .

agreement:ag a ftz:Agreement .
provision:ch1 a ftz:Provision ; ftz:partOf agreement:ag ; ftz:provisionKind "chapter" .
provision:art1-1 a ftz:Provision ; ftz:partOf provision:ch1 ; ftz:provisionKind "article" .
provision:m2 a ftz:Provision ; ftz:partOf agreement:ag ; ftz:provisionKind "module" .
provision:art2-1 a ftz:Provision ; ftz:partOf provision:m2 ; ftz:provisionKind "article" .

measure:p1 a ftz:PilotMeasure ; ftz:pilotedIn zone:z1 ; ftz:policyField concept:f-a , concept:f-b .
measure:p2 a ftz:PilotMeasure ; ftz:pilotedIn subarea:z1-s ; ftz:alignsWith provision:art1-1 .
measure:p3 a ftz:PilotMeasure ; ftz:pilotedIn zone:z2 ; ftz:policyField concept:f-b , concept:f-d ;
    ftz:alignsWith provision:ch1 .
measure:p4 a ftz:PilotMeasure ; ftz:pilotedIn zone:z3 ; ftz:policyField concept:f-a ;
    ftz:alignsWith provision:art2-1 , agreement:ag .
"""


@pytest.fixture(scope="module")
def similarity_graph(tmp_path_factory):
    return tiny_graph(tmp_path_factory, "similarity", SIMILARITY_TTL)


def test_jaccard_similarity_by_hand(similarity_graph):
    rows = networks.analyze(similarity_graph, "similarity")
    # Z1 ∩ Z2 = {f-b, ch1}, Z1 ∪ Z2 = {f-a, f-b, f-d, ch1}       -> 2/4 = 0.5
    # Z1 ∩ Z3 = {f-a},      Z1 ∪ Z3 = {f-a, f-b, ch1, m2}         -> 1/4 = 0.25
    # Z2 ∩ Z3 = {},         Z2 ∪ Z3 = {f-a, f-b, f-d, ch1, m2}    -> 0/5 = 0
    # Each pair is named in the order of the zones' IRIs (z1 < z2 < z3); rows by Jaccard, descending.
    assert rows == [
        {"zone_a": "Zone One", "zone_b": "Zone Two", "shared": 2, "jaccard": 0.5},
        {"zone_a": "Zone One", "zone_b": "Zone Three", "shared": 1, "jaccard": 0.25},
        {"zone_a": "Zone Two", "zone_b": "Zone Three", "shared": 0, "jaccard": 0.0},
    ]


# ---------------------------------------------------------------------------
# Diffusion (replicated measures per zone and year)
# ---------------------------------------------------------------------------

# Replicated = has a replication scope or batch; year = latest listing document, else ftz:year.
#   d1  Z1             national scope, listed in a 2020 document                 -> Z1 2020, nationwide
#   d2  Z1's sub-area  batch only, listed in the 2020 and the 2021 documents      -> Z1 2021
#   d3  Z1             zones-only scope, no document, ftz:year 2020              -> Z1 2020
#   d4  Z1 and its sub-area (counted once), national, 2020 document             -> Z1 2020, nationwide
#   d5  Z2             not replicated                                             -> not counted
#   d6  Z2             batch, no document, no year                               -> Z2 unknown
#   d7  Z2             national and zones-only scopes (one measure), 2021 doc    -> Z2 2021, nationwide
DIFFUSION_TTL = """
zone:z1 a ftz:PilotFreeTradeZone ; skos:prefLabel "Zone One"@en .
zone:z2 a ftz:PilotFreeTradeZone ; skos:prefLabel "Zone Two"@en .
subarea:z1-s a ftz:SubArea ; ftz:subAreaOf zone:z1 .
doc:y2020 a ftz:PolicyDocument ; ftz:issuedOn "2020-05-01"^^xsd:date .
doc:y2021 a ftz:PolicyDocument ; ftz:issuedOn "2021-03"^^xsd:gYearMonth .

measure:d1 a ftz:PilotMeasure ; ftz:pilotedIn zone:z1 ; ftz:replicationScope concept:scope-national ;
    ftz:listedIn doc:y2020 .
measure:d2 a ftz:PilotMeasure ; ftz:pilotedIn subarea:z1-s ; ftz:replicationBatch concept:batch-1 ;
    ftz:listedIn doc:y2020 , doc:y2021 .
measure:d3 a ftz:PilotMeasure ; ftz:pilotedIn zone:z1 ; ftz:replicationScope concept:scope-ftz ;
    ftz:year "2020"^^xsd:gYear .
measure:d4 a ftz:PilotMeasure ; ftz:pilotedIn zone:z1 , subarea:z1-s ; ftz:replicationScope concept:scope-national ;
    ftz:listedIn doc:y2020 .
measure:d5 a ftz:PilotMeasure ; ftz:pilotedIn zone:z2 ; ftz:listedIn doc:y2020 .
measure:d6 a ftz:PilotMeasure ; ftz:pilotedIn zone:z2 ; ftz:replicationBatch concept:batch-1 .
measure:d7 a ftz:PilotMeasure ; ftz:pilotedIn zone:z2 ;
    ftz:replicationScope concept:scope-national , concept:scope-ftz ; ftz:listedIn doc:y2021 .
"""


@pytest.fixture(scope="module")
def diffusion_graph(tmp_path_factory):
    return tiny_graph(tmp_path_factory, "diffusion", DIFFUSION_TTL)


def test_diffusion_counts_by_hand(diffusion_graph):
    rows = networks.analyze(diffusion_graph, "diffusion")
    assert rows == [
        {"zone": "zone:z1", "label": "Zone One", "year": "2020", "replicated": 3, "nationwide": 2},  # d1 d3 d4
        {"zone": "zone:z1", "label": "Zone One", "year": "2021", "replicated": 1, "nationwide": 0},  # d2
        {"zone": "zone:z2", "label": "Zone Two", "year": "2021", "replicated": 1, "nationwide": 1},  # d7
        {"zone": "zone:z2", "label": "Zone Two", "year": "unknown", "replicated": 1, "nationwide": 0},  # d6
    ]


# ---------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------


def test_analyses_are_named_in_a_tuple():
    assert networks.ANALYSES == ("centrality", "communities", "diffusion", "similarity")


def test_unknown_analysis_is_a_usage_error_naming_the_choices(star_graph):
    with pytest.raises(UsageError) as caught:
        networks.analyze(star_graph, "nope")
    assert caught.value.exit_code == 2
    assert all(name in str(caught.value) for name in networks.ANALYSES)


@pytest.mark.parametrize("name", ["communities", "diffusion", "similarity"])
def test_agreement_is_for_centrality_only(star_graph, name):
    with pytest.raises(UsageError, match="--agreement works with centrality only"):
        networks.analyze(star_graph, name, agreement="CPTPP")


def test_unknown_agreement_is_a_usage_error(star_graph):
    with pytest.raises(UsageError):
        networks.analyze(star_graph, "centrality", agreement="no such agreement")
