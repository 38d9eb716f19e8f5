"""The Python API and the commands that map one-to-one onto it, on the real graph."""

import json
import os
import shlex
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import ftzgraph
from conftest import ROOT, run_cli
from ftzgraph import catalogue, vocab
from ftzgraph.cli import cli
from ftzgraph.errors import UsageError

FTZ = vocab.FTZ


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "graph"
    result = run_cli("synth", "--measures", "60", "--seed", "3", "-o", str(folder))
    assert result.returncode == 0, result.stderr
    return folder


# -- every named query answers on the real graph ----------------------------------------------

@pytest.mark.parametrize("name", sorted(catalogue.catalogue()))
def test_every_named_query_example_returns_rows(name):
    example = catalogue.get(name).examples[0]
    args = shlex.split(example)
    assert args[:3] == ["ftzgraph", "query", name]
    result = CliRunner().invoke(cli, args[1:] + ["--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    assert rows, f"{example} returned no rows"


# -- validate, build, stats ---------------------------------------------------------------------

def test_validate_passes_on_the_shipped_data():
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert result.stdout.strip() == "valid: every SHACL shape, quote, label and core statement checks out"


def test_validate_follows_data_to_a_synthetic_graph(synth_dir):
    result = run_cli("--data", str(synth_dir), "validate", "--no-shacl")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    # and it really reads that folder: a quote changed there is found
    broken = next(p for p in sorted(synth_dir.glob("measures-*.ttl")))
    text = broken.read_text(encoding="utf-8")
    marker = 'ftz:quote "'
    at = text.index(marker) + len(marker)
    broken.write_text(text[:at] + "NOT IN THE SOURCE " + text[at:], encoding="utf-8")
    try:
        failed = run_cli("--data", str(synth_dir), "validate", "--no-shacl")
        assert failed.returncode == 1
        assert "quote not found" in failed.stdout and failed.stderr.strip() == "Error: 1 problem"
    finally:
        broken.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", ["missing", "empty", "broken"])
def test_validate_refuses_bad_data_folders(tmp_path, data_copy, case):
    folder = {"missing": tmp_path / "nope", "empty": tmp_path, "broken": data_copy}[case]
    if case == "broken":
        zones = data_copy / "zones.ttl"
        lines = zones.read_text(encoding="utf-8").split("\n")
        lines[39] = "zone:broken a a a ;;; ."
        zones.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("--data", str(folder), "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    if case == "broken":
        assert result.stdout.splitlines() == [result.stdout.splitlines()[0]]  # one problem, no cascade
        assert "zones.ttl" in result.stdout and "line 40" in result.stdout
    else:
        assert ("not found" if case == "missing" else "no Turtle files") in result.stderr


def test_build_reports_the_store_and_force_rebuilds():
    graph = ftzgraph.open()
    first = run_cli("build")
    assert first.returncode == 0, first.stderr
    triples = len(graph.store)
    assert first.stdout.startswith(f"{triples} triples from {len(graph.files())} files in ")
    location = Path(first.stdout.rsplit(" in ", 1)[1].strip())
    forced = run_cli("build", "--force")
    assert forced.returncode == 0, forced.stderr
    rebuilt = Path(forced.stdout.rsplit(" in ", 1)[1].strip())
    # a forced build is a new folder of the same inputs; the old one is removed once no one holds it
    assert rebuilt != location and rebuilt.name.split(".")[0] == location.name.split(".")[0]
    assert graph.build().triples == triples


def test_rdflib_graph_holds_the_same_triples_as_the_store(graph):
    assert len(graph.rdflib_graph()) == len(graph.store)


def test_to_dataframe_has_the_rows_and_columns(graph):
    result = graph.query("zones")
    frame = result.to_dataframe()
    assert list(frame.columns) == result.variables and len(frame) == 23
    assert "China (Shanghai) Pilot Free Trade Zone" in set(frame["label"])


def test_stats_counts_every_zone_and_full_coverage(graph):
    classes, coverage = graph.stats()
    counts = {r["class"].rsplit("#", 1)[-1]: r["count"] for r in classes.dicts()}
    assert counts["Zone"] == 23 and counts["PilotFreeTradeZone"] == 22
    assert all(r["statements"] == r["withEvidence"] for r in coverage.dicts())


# -- trace ----------------------------------------------------------------------------------------

def test_trace_markdown_lists_every_edge_with_its_evidence(graph):
    result = CliRunner().invoke(cli, ["trace", "CPTPP 5.3", "--format", "md"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "# CPTPP Article 5.3 Advance Rulings" and lines[2] == "`provision:cptpp-5.3`"
    traced = graph.trace("CPTPP 5.3")
    edges = [l for l in lines if l.lstrip().startswith("- ") and "**" in l]
    assert len(edges) == len(traced.edges)
    quotes = {ev["quote"] for e in traced.edges for ev in e.evidence if "quote" in ev}
    assert quotes and all(any(q in l for l in lines) for q in quotes)


def test_trace_stops_exactly_at_max_nodes_and_says_so(graph):
    whole = graph.trace("国函〔2024〕156号")
    cut = graph.trace("国函〔2024〕156号", max_nodes=10)
    assert len(whole.nodes) > 10 and not whole.truncated
    assert len(cut.nodes) == 10 and cut.truncated
    assert all(e.source in cut.nodes and e.target in cut.nodes for e in cut.edges)
    result = run_cli("trace", "国函〔2024〕156号", "--max-nodes", "10")
    assert result.returncode == 0 and "truncated" in result.stdout and "stopped at 10 nodes" in result.stderr


# -- names, classes --------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["zone:shanghai", "CPTPP 5.3", "https://w3id.org/ftzgraph/id/body/gacc"])
def test_resolve_refuses_an_iri_or_clause_of_the_wrong_class(graph, target):
    with pytest.raises(UsageError, match="is not of the class Agreement"):
        graph.resolve(target, "Agreement")


def test_analyze_with_a_zone_as_agreement_is_a_usage_error():
    result = run_cli("analyze", "centrality", "--agreement", "zone:shanghai")
    assert result.returncode == 2 and result.stderr.strip() == "Error: zone:shanghai is not of the class Agreement"


def test_most_specific_class_follows_the_ontology(graph):
    assert graph.most_specific_class({FTZ + "Measure", FTZ + "PilotMeasure"}) == FTZ + "PilotMeasure"
    assert graph.most_specific_class({FTZ + "Zone", FTZ + "FreeTradePort"}) == FTZ + "FreeTradePort"
    assert graph.most_specific_class({"http://example.org/Unknown"}) is None
    assert graph.is_a(FTZ + "ZoneInnovation", "Measure") and not graph.is_a(FTZ + "SubArea", "Zone")


# -- input and output -----------------------------------------------------------------------------

def test_query_reads_sparql_from_stdin():
    done = subprocess.run([sys.executable, "-m", "ftzgraph.cli", "query", "-f", "-", "--format", "csv"],
                          input="SELECT (COUNT(*) AS ?n) WHERE { ?z a ftz:FreeTradePort }", capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n", "1"]


def test_output_follows_a_symlink_and_keeps_it(tmp_path):
    target, link = tmp_path / "real.csv", tmp_path / "link.csv"
    target.write_text("old")
    link.symlink_to(target)
    assert run_cli("query", "zones", "-o", str(link)).returncode == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("zone,label")


def test_output_writes_through_a_fifo_without_replacing_it(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_cli("query", "zones", "--format", "csv", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and received[0].startswith(b"zone,label")


def test_a_failed_write_keeps_the_old_file(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("precious")
    result = run_cli("query", "SELECT ?x WHERE { ?x ?y }", "-o", str(out))
    assert result.returncode == 2 and out.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.parametrize("args,message", [
    (["query", "zones", "-o", ""], "the output path is empty"),
    (["query", "zones", "-o", "/no/such/dir/x.csv"], "no such directory"),
    (["render", "overview", "-o", "/no/such/dir/x.html"], "no such directory"),
    (["trace", "<https://w3id.org/ftzgraph/id/zone/a b>"], "invalid IRI"),
])
def test_bad_paths_and_names_are_one_line_errors(args, message):
    result = run_cli(*args)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "--debug" not in lines[0]


def test_export_into_a_read_only_folder_is_one_line(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = run_cli("export", "--format", "csv", "--class", "GovernmentBody", "-o", str(folder / "bodies.csv"))
        if os.geteuid() == 0:  # root writes anywhere: then the export must simply succeed
            assert result.returncode == 0, result.stderr
        else:
            assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    finally:
        folder.chmod(0o700)


def test_shell_completion_offers_query_names():
    env = {**os.environ, "_FTZGRAPH_COMPLETE": "bash_complete", "COMP_WORDS": "ftzgraph query zone-s", "COMP_CWORD": "2"}
    done = subprocess.run([sys.executable, "-c", "from ftzgraph.cli import main; main()"], env=env,
                          capture_output=True, text=True)
    assert "plain,zone-subareas" in done.stdout.split()


def test_version_is_the_changelogs_latest():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {ftzgraph.__version__} " in changelog
    result = run_cli("--version")
    assert ftzgraph.__version__ in result.stdout
