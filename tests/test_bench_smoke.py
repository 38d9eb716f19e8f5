"""The benchmark suite runs end to end in its smoke mode (no timing is asserted)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_smoke_writes_a_results_table(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    results = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "| synth-10k |" in results and "## Targets" in results
    assert (tmp_path / "results.json").is_file()
