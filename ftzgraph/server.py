"""`ftzgraph serve`: the real Oxigraph server, read-only, over the compiled store."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from ftzgraph.errors import FtzError, UsageError

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise FtzError("the oxigraph server is not installed: pip install oxigraph")
    return found


def check_port(host: str, port: int) -> None:
    """Fail early, in one line, where the server could not listen.  SO_REUSEADDR as the
    server itself sets it, so a port in TIME-WAIT after a restart counts as free."""
    if not host.strip():
        raise UsageError("--host is empty; give an address such as 127.0.0.1 or 0.0.0.0")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except socket.gaierror as exc:
            raise UsageError(f"--host {host!r} is not an address this machine has") from exc
        except OSError as exc:
            if exc.errno == 98 or "in use" in str(exc):
                raise FtzError(f"port {port} on {host} is already in use") from exc
            raise FtzError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def _die_with_parent() -> None:
    """In the child, before exec: the kernel sends SIGTERM when `ftzgraph serve` dies,
    however it dies (SIGKILL included), so no server is ever left holding the port."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def serve(location: Path, host: str = "127.0.0.1", port: int = 7878, on_ready=None) -> int:
    """Run the server until SIGTERM, SIGHUP or Ctrl-C; returns the exit code."""
    check_port(host, port)
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    child = subprocess.Popen(
        [oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind", bind],
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )

    def stop(_signum, _frame):
        child.terminate()

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    if on_ready:
        on_ready(f"http://{host}:{port}/")
    code = child.wait()
    # A child ended by our own SIGTERM is a clean stop.
    return 0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code
