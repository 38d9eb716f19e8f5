"""The CLI, through click's CliRunner and as a real subprocess, including every bad input."""

import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import free_port, run_cli
from ftzgraph.cli import cli


@pytest.fixture
def runner():
    return CliRunner()


def one_line_error(result_stderr: str) -> str:
    lines = [l for l in result_stderr.strip().splitlines() if l.strip()]
    assert len(lines) == 1, result_stderr
    assert "Traceback" not in result_stderr
    return lines[0]


def test_help_imports_no_heavy_library():
    code = (
        "import sys; from click.testing import CliRunner; from ftzgraph.cli import cli;"
        "r = CliRunner().invoke(cli, ['--help']); assert r.exit_code == 0;"
        "heavy = [m for m in ('rdflib', 'networkx', 'pyvis', 'pyshacl', 'pyoxigraph', 'matplotlib') if m in sys.modules];"
        "r = CliRunner().invoke(cli, ['queries']); assert r.exit_code == 0, r.output;"
        # pyoxigraph imports in about 3 ms; the catalogue's rows are its terms.
        "heavy += [m for m in ('rdflib', 'networkx', 'pyvis', 'pyshacl', 'matplotlib') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_queries_lists_the_catalogue(runner):
    result = runner.invoke(cli, ["queries"])
    assert result.exit_code == 0
    assert "zone-subareas" in result.output and "evidence-for" in result.output
    result = runner.invoke(cli, ["queries", "zone-subareas"])
    assert "--param zone=" in result.output and "VALUES ?zone { UNDEF }" in result.output


def test_named_query_json_is_sparql_results_json(runner):
    result = runner.invoke(cli, ["query", "zones", "--format", "json"])
    assert result.exit_code == 0, result.output
    parsed = list(ox.parse_query_results(result.output.encode(), format=ox.QueryResultsFormat.JSON))
    assert len(parsed) == 23
    doc = json.loads(result.output)
    assert doc["head"]["vars"][0] == "zone"


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "md"])
def test_row_formats(runner, fmt):
    result = runner.invoke(cli, ["query", "zones", "--format", fmt, "--limit", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    if fmt == "csv":
        assert lines[0].startswith("zone,label") and len(lines) == 4
    elif fmt == "tsv":
        assert lines[0].startswith("?zone\t?label") and lines[1].startswith("<https://w3id.org/ftzgraph/id/zone/")
    elif fmt == "md":
        assert lines[0].startswith("| zone | label") and len(lines) == 5
    else:
        assert lines[-1] == "(3 rows)"


def test_lang_switches_labels(runner):
    zh = runner.invoke(cli, ["query", "zones", "--lang", "zh", "--format", "csv"]).output
    en = runner.invoke(cli, ["query", "zones", "--lang", "en", "--format", "csv"]).output
    assert "中国（上海）自由贸易试验区" in zh and "Shanghai" in en and "中国（上海）" not in en


@pytest.mark.parametrize("fmt,rdf_format", [("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD)])
def test_construct_formats_parse_back(runner, fmt, rdf_format):
    q = "CONSTRUCT { ?z a ftz:Zone ; skos:prefLabel ?l } WHERE { ?z a/rdfs:subClassOf* ftz:Zone ; skos:prefLabel ?l }"
    result = runner.invoke(cli, ["query", q, "--format", fmt])
    assert result.exit_code == 0, result.output
    triples = list(ox.parse(result.output.encode(), format=rdf_format))
    assert len(triples) == 23 * 3  # a type and two labels per zone


def test_query_from_file_and_output_file(runner, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?z a ftz:PilotFreeTradeZone }")
    out = tmp_path / "out.csv"
    result = runner.invoke(cli, ["query", "-f", str(rq), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines() == ["n", "22"]


def test_api_rows_are_dicts():
    import ftzgraph

    rows = ftzgraph.open().query("zone-subareas", zone="zone:fujian").dicts()
    assert {r["subarea"] for r in rows} >= {
        "https://w3id.org/ftzgraph/id/subarea/fujian-xiamen",
        "https://w3id.org/ftzgraph/id/subarea/fujian-fuzhou",
        "https://w3id.org/ftzgraph/id/subarea/fujian-pingtan",
    }


def test_param_accepts_a_label_instead_of_an_iri():
    import ftzgraph

    by_label = ftzgraph.open().query("measures-by-body", body="海关总署").dicts()
    by_iri = ftzgraph.open().query("measures-by-body", body="body:gacc").dicts()
    assert by_label == by_iri and len(by_iri) > 5


# -- bad input: one line on stderr, exit 2 (usage) or 1 (failure), never a traceback ------

def test_malformed_sparql_gives_line_and_column():
    result = run_cli("query", "SELECT ?s WHERE {\n  ?s a }")
    assert result.returncode == 2
    assert "line 2, column" in one_line_error(result.stderr)


def test_update_is_refused():
    result = run_cli("query", "INSERT DATA { <http://a> <http://b> <http://c> }")
    assert result.returncode == 2
    assert "read-only" in one_line_error(result.stderr)


def test_unknown_named_query_suggests():
    result = run_cli("query", "zone-subarea")
    assert result.returncode == 2
    assert "did you mean zone-subareas" in one_line_error(result.stderr)


def test_missing_and_unknown_parameters():
    result = run_cli("query", "entity-search")
    assert result.returncode == 2 and "needs --param text" in one_line_error(result.stderr)
    result = run_cli("query", "zones", "--param", "zone=zone:shanghai")
    assert result.returncode == 2 and "unknown parameter 'zone'" in one_line_error(result.stderr)


def test_unreadable_input_file(tmp_path):
    result = run_cli("query", "-f", str(tmp_path / "missing.rq"))
    assert result.returncode == 1 and "cannot read" in one_line_error(result.stderr)


def test_unwritable_output_leaves_nothing_behind(tmp_path):
    target = tmp_path / "no-such-dir" / "out.csv"
    result = run_cli("query", "zones", "-o", str(target))
    assert result.returncode == 1 and "cannot write" in one_line_error(result.stderr)
    assert not target.parent.exists()


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    from ftzgraph import cli as cli_module

    out = tmp_path / "out.csv"
    out.write_text("precious")
    real_replace = cli_module.os.replace

    def failing_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cli_module.os, "replace", failing_replace)
    result = CliRunner().invoke(cli, ["query", "zones", "-o", str(out)])
    monkeypatch.setattr(cli_module.os, "replace", real_replace)
    assert result.exit_code == 1 and "cannot write" in result.output
    assert out.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_unreachable_endpoint():
    port = free_port()
    result = run_cli("--endpoint", f"http://127.0.0.1:{port}/query", "query", "zones")
    assert result.returncode == 1
    assert "cannot reach endpoint" in one_line_error(result.stderr)


def test_broken_turtle_names_file_and_line(data_copy):
    broken = data_copy / "zz-broken.ttl"
    broken.write_text('@prefix ftz: <https://w3id.org/ftzgraph/ontology#> .\n\nftz:a ftz:b "unterminated .\n')
    result = run_cli("--data", str(data_copy), "query", "zones")
    assert result.returncode == 1
    line = one_line_error(result.stderr)
    assert "zz-broken.ttl" in line and "line 3" in line


def test_debug_shows_the_traceback():
    result = run_cli("--debug", "query", "zone-subarea")
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_store_is_cached_and_rebuilt_on_change(data_copy):
    from ftzgraph import store

    files = store.input_files(data_copy)
    first = store.build(files)
    assert store.build(files) == first
    (data_copy / "concepts.ttl").write_text((data_copy / "concepts.ttl").read_text() + "\n# changed\n")
    assert store.build(store.input_files(data_copy)) != first


def test_table_cells_are_cut_by_display_width():
    from ftzgraph.results import CELL_WIDTH, display_width, format_table

    english, chinese = "Ministry of Industry and Information Technology of the People's Republic of China", "关于" * 45
    lines = format_table(["label"], [[english], [chinese], ["short"]]).splitlines()
    cut = lines[2:4]
    assert all(line.endswith("…") and CELL_WIDTH - 1 <= display_width(line) <= CELL_WIDTH for line in cut)
    assert cut[0].startswith(english[:70]) and lines[4] == "short"


def test_a_reader_that_has_gone_gets_no_error():
    # `ftzgraph stats | head -3`: head exits, and ftzgraph's next write meets a closed pipe.
    import os

    from conftest import ftzgraph_cmd

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(ftzgraph_cmd("stats"), stdout=write_end, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(write_end)
    assert done.stderr.decode() == "" and done.returncode == 1
