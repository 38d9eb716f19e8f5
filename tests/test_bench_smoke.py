"""The benchmark suite runs end to end in its smoke mode (no timing is asserted)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "run.py"


@pytest.mark.slow
def test_bench_smoke_times_every_query_on_every_engine(tmp_path):
    done = subprocess.run([sys.executable, str(BENCH), "--smoke", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    queries = results["graphs_results"]["synth-10k"]["queries"]
    for engine in ("ftzgraph", "pyoxigraph", "rdflib"):
        timed = {name: r for name, r in queries[engine].items() if name in results["query_names"]}
        assert set(timed) == set(results["query_names"]), engine
        assert all(r.get("times") or r.get("error") or r.get("timeout") for r in timed.values()), engine
    # The engines agree on the row count of every query they all answered.
    for name in results["query_names"]:
        counts = {queries[e][name]["rows"] for e in ("ftzgraph", "pyoxigraph") if "rows" in queries[e][name]}
        assert len(counts) <= 1, (name, counts)
    report = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "| synth-10k |" in report and "## Targets" in report


def test_report_from_writes_into_a_new_folder(tmp_path):
    out = tmp_path / "new" / "folder"
    done = subprocess.run([sys.executable, str(BENCH), "--report-from", str(ROOT / "bench" / "results.json"), "--out", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (out / "RESULTS.md").read_text(encoding="utf-8").startswith("#")


def test_report_from_a_missing_file_is_one_line(tmp_path):
    done = subprocess.run([sys.executable, str(BENCH), "--report-from", str(tmp_path / "nope.json")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.server
def test_soak_smoke_serves_every_good_query_and_refuses_every_hostile_one():
    sys.path.insert(0, str(ROOT / "bench"))
    import soak

    result = soak.run(clients=4, seconds=10, queries=soak.catalogue_queries())
    assert result["server_alive"] and result["good"] > 0
    assert result["good_errors"] == []
    assert all(v["refused"] == v["sent"] for v in result["hostile"].values()), result["hostile"]
