"""`ftzgraph serve`: the real Oxigraph server, read-only, behind a small guard.

Oxigraph (``oxigraph serve-read-only``) answers on a private loopback port; a
threaded HTTP front on the public address checks each request first: its size, its
nesting depth and, unless ``--allow-service``, SERVICE (which would let anyone make
the server fetch any URL).  Refused requests get 400 or 413 with a one-line reason.
Oxigraph's own ``--timeout-s`` stops some runaway queries but not all (a COUNT over a
cartesian product runs on, even after its client has gone, and Oxigraph's server
cannot cancel a query), so the guard enforces the timeout itself: a query still
running TIMEOUT_GRACE seconds past the timeout gets 504, and the Oxigraph process
running it is killed and restarted, which is logged.  If Oxigraph dies for any other
reason it is restarted too; the kernel ends it if `ftzgraph serve` dies, however it
dies.
"""

from __future__ import annotations

import http.client
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ftzgraph import guard
from ftzgraph.errors import FtzError, UsageError

PR_SET_PDEATHSIG = 1  # linux/prctl.h
MAX_REQUEST_BYTES = 2_000_000
DRAIN_LIMIT = 16_000_000
RESTART_PAUSE = 1.0  # seconds between restarts of a crashed server
TIMEOUT_GRACE = 2.0  # seconds Oxigraph gets past the timeout to stop a query itself
_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authenticate",
                "proxy-authorization", "content-length", "host"}


def oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise FtzError("the oxigraph server is not installed: pip install oxigraph")
    return found


def check_port(host: str, port: int) -> None:
    """Fail early, in one line, where the server could not listen.  SO_REUSEADDR as servers
    set it, so a port in TIME-WAIT after a restart counts as free."""
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
    however it dies (SIGKILL included), so no server is ever left holding a port."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Supervisor:
    """Runs Oxigraph on a private port and restarts it when it dies unexpectedly."""

    def __init__(self, location: Path, timeout: float, log):
        self.location, self.timeout, self.log = location, timeout, log
        self.port = _free_port()
        self.child: subprocess.Popen | None = None
        self.stopping = False
        self.restarts = 0
        self.lock = threading.Lock()
        self.why_killed: str | None = None  # set when the guard kills a server running a runaway query

    def start(self) -> None:
        self.child = subprocess.Popen(
            [oxigraph_binary(), "serve-read-only", "--location", str(self.location),
             "--bind", f"127.0.0.1:{self.port}", "--timeout-s", str(max(1, round(self.timeout)))],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.child.poll() is not None:
                raise FtzError(f"the oxigraph server exited with {self.child.returncode} at start")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise FtzError("the oxigraph server did not start within 30 s")

    def watch(self) -> None:
        """Restart the server whenever it dies, until stop()."""
        while not self.stopping:
            code = self.child.wait()
            if self.stopping:
                return
            with self.lock:
                self.restarts += 1
                why, self.why_killed = self.why_killed or f"the oxigraph server exited with {code}", None
            self.log(f"{why}; restarting it (restart {self.restarts})")
            time.sleep(RESTART_PAUSE)
            self.start()

    def stop_runaway(self, child: subprocess.Popen) -> None:
        """Kill `child`, the server a query overran the timeout on, unless it has already been
        replaced: Oxigraph cannot cancel a query, and only this frees the core it holds."""
        with self.lock:
            if child is self.child and child.poll() is None:
                self.why_killed = f"stopped the oxigraph server: a query ran past the {self.timeout:g} s timeout"
                child.kill()

    def stop(self) -> None:
        self.stopping = True
        if self.child and self.child.poll() is None:
            self.child.terminate()
            try:
                self.child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.child.kill()


def _handler(supervisor: Supervisor, allow_service: bool, timeout: float):
    class Guard(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "ftzgraph"

        def log_message(self, *_args):  # quiet: one line per request would drown the restarts
            pass

        def handle(self):
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):  # the client has gone: nobody to answer
                pass

        def do_GET(self):
            self._forward(None)

        def do_HEAD(self):
            self._forward(None)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_REQUEST_BYTES:
                self._drain(length)
                self._refuse(413, f"request refused: {length:,} bytes, more than the limit of {MAX_REQUEST_BYTES:,}")
                return
            self._forward(self.rfile.read(length))

        def do_PUT(self):
            self._refuse(405, "the endpoint is read-only")

        do_DELETE = do_PATCH = do_PUT

        def _forward(self, body: bytes | None):
            query = self._query(body)
            if query is not None:
                try:
                    guard.check(query, allow_service=allow_service)
                except UsageError as exc:
                    self._refuse(400, str(exc))
                    return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
            child = supervisor.child
            upstream = http.client.HTTPConnection("127.0.0.1", supervisor.port, timeout=timeout + TIMEOUT_GRACE)
            try:
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                payload = answer.read()
            except TimeoutError:
                supervisor.stop_runaway(child)
                self._refuse(504, f"query stopped: it ran past the {timeout:g} s timeout (serve --timeout)")
                return
            except OSError:
                self._refuse(503, "the SPARQL server is restarting; try again in a moment")
                return
            finally:
                upstream.close()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in _HOP_HEADERS:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        def _drain(self, length: int) -> None:
            """Read (and drop) a refused upload, so the client gets its answer instead of a reset;
            past DRAIN_LIMIT the connection is simply closed after the answer."""
            self.close_connection = True
            left = min(length, DRAIN_LIMIT)
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)

        def _query(self, body: bytes | None) -> str | None:
            """The SPARQL text of a protocol request, wherever it travels."""
            url = urllib.parse.urlsplit(self.path)
            found = urllib.parse.parse_qs(url.query).get("query")
            if body is not None:
                kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                text = body.decode("utf-8", "replace")
                if kind == "application/sparql-query":
                    return text
                if kind == "application/x-www-form-urlencoded":
                    found = urllib.parse.parse_qs(text).get("query") or found
            return found[0] if found else None

        def _refuse(self, status: int, message: str):
            payload = (message + "\n").encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)

    return Guard


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, handler):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)


def serve(location: Path, host: str = "127.0.0.1", port: int = 7878, on_ready=None, timeout: float = 30.0,
          allow_service: bool = False, log=None) -> int:
    """Serve until SIGTERM, SIGHUP or Ctrl-C; returns the exit code."""
    from ftzgraph import store

    log = log or (lambda message: print(message, file=sys.stderr, flush=True))
    check_port(host, port)
    held = store.hold(location)  # the store is not pruned while it is served
    supervisor = Supervisor(location, timeout, log)
    supervisor.start()
    try:
        supervisor.wait_ready()
        try:
            front = _Server((host, port), _handler(supervisor, allow_service, timeout))
        except OSError as exc:
            raise FtzError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        watcher = threading.Thread(target=supervisor.watch, daemon=True)
        watcher.start()

        def stop(_signum, _frame):
            threading.Thread(target=front.shutdown, daemon=True).start()

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, stop)
        if on_ready:
            on_ready(f"http://{'[' + host + ']' if ':' in host else host}:{port}/")
        front.serve_forever()
        front.server_close()
    finally:
        supervisor.stop()
        held.close()
    return 0
