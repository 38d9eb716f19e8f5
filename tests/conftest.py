import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Everything a test run writes lives under one folder, removed when the run ends: the
# compiled stores (never the user's cache) and pytest's own tmp_path folders.
SCRATCH = Path(tempfile.mkdtemp(prefix="ftzgraph-tests-"))
os.environ["FTZGRAPH_CACHE"] = str(SCRATCH / "cache")
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(SCRATCH / "hypothesis")
os.environ.pop("FTZGRAPH_DATA", None)
os.environ.pop("FTZGRAPH_ENDPOINT", None)


def pytest_configure(config):
    if not config.option.basetemp:
        config.option.basetemp = str(SCRATCH / "tmp")
    from hypothesis import settings

    # No example database in the checkout: a run leaves no folder behind.
    settings.register_profile("ftzgraph", database=None)
    settings.load_profile("ftzgraph")


def missing_real_part(reason: str) -> None:
    """Skip a test whose real part (Chromium, Virtuoso) is not installed, except under the
    README's test command (scripts/test.sh sets FTZGRAPH_REQUIRE_REAL_PARTS), which installs
    them: there a missing part fails, so CI cannot pass without having run them."""
    if os.environ.get("FTZGRAPH_REQUIRE_REAL_PARTS") == "1":
        pytest.fail(f"{reason}, but scripts/test.sh should have installed it", pytrace=False)
    pytest.skip(reason)


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if a test left a process behind (every server a test starts has the
    scratch folder in its command line), then remove the scratch folder."""
    left = leftover_processes()
    for pid, cmdline in left:
        print(f"\nleft behind by a test: pid {pid}: {cmdline}", file=sys.stderr)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(SCRATCH, ignore_errors=True)
    if left and session.exitstatus == 0:
        session.exitstatus = 1


def leftover_processes() -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if str(SCRATCH) in cmdline:
            found.append((int(entry.name), cmdline.strip()))
    return found


@pytest.fixture(scope="session")
def graph():
    import ftzgraph

    return ftzgraph.open()


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/ (Turtle files and sources) for tests that break things."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = 30.0, proc=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


def ftzgraph_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "ftzgraph.cli", *args]


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(ftzgraph_cmd(*args), capture_output=True, text=True, timeout=300, **kwargs)
