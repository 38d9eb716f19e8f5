import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Tests compile into their own cache, never the user's.
os.environ["FTZGRAPH_CACHE"] = tempfile.mkdtemp(prefix="ftzgraph-test-cache-")
os.environ.pop("FTZGRAPH_DATA", None)


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
