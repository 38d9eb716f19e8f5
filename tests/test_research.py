"""Researchers' tools on the real graph: trace, gaps, conflicts, analyses, exports."""

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from ftzgraph import export, names, networks, trace, vocab
from ftzgraph.cli import cli
from ftzgraph.errors import UsageError

GACC = "https://w3id.org/ftzgraph/id/body/gacc"
TIANJIN = "https://w3id.org/ftzgraph/id/zone/tianjin"


@pytest.fixture(scope="module")
def cptpp_5_3(graph):
    return trace.trace(graph, "CPTPP 5.3")


def test_trace_of_cptpp_5_3_reaches_customs_and_tianjin_with_quotes(cptpp_5_3):
    assert cptpp_5_3.root == "https://w3id.org/ftzgraph/id/provision/cptpp-5.3"
    assert GACC in cptpp_5_3.nodes
    assert TIANJIN in cptpp_5_3.nodes or any(
        e.target == TIANJIN for e in cptpp_5_3.edges
    ) or any(e.source.startswith("https://w3id.org/ftzgraph/id/subarea/tianjin") for e in cptpp_5_3.edges)
    stated = [ev for e in cptpp_5_3.edges if e.relation == "alignsWith" for ev in e.evidence if ev["basis"] == "stated"]
    assert stated and all(ev["quote"] and ev["file"].endswith(".txt") for ev in stated)


def test_trace_quotes_stand_in_the_cited_lines(cptpp_5_3):
    from ftzgraph import paths
    from ftzgraph.integrity import SourceLines, squash

    sources = SourceLines(paths.sources_dir())
    checked = 0
    for edge in cptpp_5_3.edges:
        for ev in edge.evidence:
            if "file" in ev:
                start, _, end = ev["lines"].partition("-")
                assert squash(ev["quote"]) in squash(sources.span(ev["file"], int(start), int(end or start)))
                checked += 1
    assert checked >= 3


def test_trace_tree_and_json(cptpp_5_3):
    tree = trace.render_tree(cptpp_5_3, "zh")
    assert tree.splitlines()[0].startswith("CPTPP") and "海关总署" in tree and "·" in tree
    doc = json.loads(cptpp_5_3.to_json())
    assert doc["root"].endswith("cptpp-5.3") and len(doc["edges"]) == len(cptpp_5_3.edges)


def test_trace_html_draws_the_same_edges_with_their_quotes(cptpp_5_3, tmp_path):
    page = tmp_path / "trace.html"
    result = CliRunner().invoke(cli, ["trace", "CPTPP 5.3", "--format", "json", "--html", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    quotes = {ev["quote"] for edge in cptpp_5_3.edges for ev in edge.evidence if "quote" in ev}
    assert quotes and all(json.dumps(q, ensure_ascii=False)[1:-1] in html for q in quotes)
    assert json.loads(result.output)["root"].endswith("cptpp-5.3")


@pytest.mark.parametrize("target,expected", [
    ("CPTPP 5.3", "provision/cptpp-5.3"),
    ("cptpp ch5", "provision/cptpp-ch5"),
    ("DEPA module 2", "provision/depa-m2"),
    ("国函〔2024〕156号", "doc/guohan-2024-156"),
    ("海关总署", "body/gacc"),
    ("zone:hainan", "zone/hainan"),
])
def test_forgiving_targets(graph, target, expected):
    assert names.resolve(graph, target).endswith(expected)


def test_ambiguous_target_lists_candidates(graph):
    with pytest.raises(UsageError, match=r"ambiguous; candidates: body:.* and \d+ more"):
        names.resolve(graph, "Pilot Free Trade Zone")


def test_gaps_lists_all_thirty_cptpp_chapters(graph):
    report = graph.gaps("CPTPP")
    chapters = [r for r in report.dicts() if r["kind"] == "chapter"]
    assert [r["number"] for r in chapters] == [str(n) for n in range(1, 31)]
    covered = sum(1 for r in chapters if not r["gap"])
    assert 0 < covered < 30 and f"{covered} of 30 chapters/modules" in report.note
    assert all(r["gap"] == ("GAP" if r["measures"] + r["documents"] == 0 else "") for r in chapters)


def test_gaps_cli_matrix_and_heatmap(tmp_path):
    png = tmp_path / "depa.png"
    result = CliRunner().invoke(cli, ["gaps", "DEPA", "--matrix", "--format", "csv", "--heatmap", str(png)])
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split(",")
    assert header[0] == "chapter" and "shanghai" in header and len(result.output.splitlines()) == 17
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_conflicts_are_recorded_with_both_claims():
    result = CliRunner().invoke(cli, ["conflicts", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    by_disagreement = {}
    for row in rows:
        by_disagreement.setdefault(row["disagreement"]["value"], []).append(row)
    assert len(by_disagreement) >= 5
    assert all(len(claims) >= 2 for claims in by_disagreement.values())


@pytest.mark.parametrize("name", sorted(networks.ANALYSES))
def test_analyses_are_deterministic(graph, name):
    first = networks.analyze(graph, name, "en")
    assert first == networks.analyze(graph, name, "en")
    assert first


def test_centrality_ranks_customs_among_the_leading_bodies(graph):
    rows = networks.analyze(graph, "centrality")
    top = sorted(rows, key=lambda r: -r["measures_led"])[:5]
    assert "body:gacc" in [r["body"] for r in top]


@pytest.mark.parametrize("agreement", ["CPTPP", "RCEP", "DEPA"])
def test_centrality_within_an_agreement_counts_only_its_bodies(graph, agreement):
    behind = {r["body"]: r for r in graph.query("bodies-by-agreement", agreement=agreement).dicts()}
    rows = networks.analyze(graph, "centrality", "en", agreement)
    assert rows and {r["body"] for r in rows} == {vocab.compact(b) for b in behind}
    for row in rows:
        counted = behind[vocab.expand(row["body"])]
        assert (row["measures_led"], row["documents_issued"]) == (counted["measures"], counted["documents"])


def test_analyze_agreement_option_is_for_centrality_only():
    result = CliRunner().invoke(cli, ["analyze", "communities", "--agreement", "CPTPP"])
    assert result.exit_code == 2 and "centrality only" in result.output


def test_graphml_export_rereads_with_the_same_counts(graph, tmp_path):
    g = export.network(graph)
    out = tmp_path / "ftz.graphml"
    assert graph.export("graphml", out) == [out]
    again = nx.read_graphml(out, force_multigraph=True)
    assert (again.number_of_nodes(), again.number_of_edges()) == (g.number_of_nodes(), g.number_of_edges())
    shanghai = again.nodes["zone:shanghai"]
    assert shanghai["label_zh"] == "中国（上海）自由贸易试验区" and shanghai["class"] == "PilotFreeTradeZone"


def test_export_subgraph_by_agreement_and_class(tmp_path):
    runner = CliRunner()
    out = tmp_path / "depa.gexf"
    result = runner.invoke(cli, ["export", "--format", "gexf", "--agreement", "DEPA", "-o", str(out)])
    assert result.exit_code == 0, result.output
    g = nx.read_gexf(out)
    assert "agreement:depa" in g and 16 < g.number_of_nodes() < 1000
    csv_out = tmp_path / "bodies.csv"
    result = runner.invoke(cli, ["export", "--format", "csv", "--class", "GovernmentBody", "-o", str(csv_out)])
    assert result.exit_code == 0, result.output
    nodes = (tmp_path / "bodies.nodes.csv").read_text().splitlines()
    assert len(nodes) > 50 and all(",GovernmentBody," in line for line in nodes[1:])


def test_export_turtle_parses_back(tmp_path):
    import pyoxigraph as ox

    out = tmp_path / "zone.ttl"
    result = CliRunner().invoke(cli, ["export", "--format", "ttl", "--zone", "zone:tianjin", "-o", str(out)])
    assert result.exit_code == 0, result.output
    triples = list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    assert len(triples) > 50
