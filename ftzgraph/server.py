"""`ftzgraph serve`: the real Oxigraph server, read-only, over the compiled store."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from ftzgraph.errors import FtzError


def oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise FtzError("the oxigraph server is not installed: pip install oxigraph")
    return found


def check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == 98 or "in use" in str(exc):
                raise FtzError(f"port {port} on {host} is already in use") from exc
            raise FtzError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def serve(location: Path, host: str = "127.0.0.1", port: int = 7878, on_ready=None) -> int:
    """Run the server until SIGTERM or Ctrl-C; returns the exit code."""
    check_port(host, port)
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    child = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind", bind])

    def stop(_signum, _frame):
        child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if on_ready:
        on_ready(f"http://{host}:{port}/")
    code = child.wait()
    # A child ended by our own SIGTERM is a clean stop.
    return 0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code
