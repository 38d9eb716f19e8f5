"""Re-enact every case of issue 13 (hostile input, faults, concurrent use) against the installed `ftzgraph`.

    python bench/hostile.py            # run every case; print the before → after table
    python bench/hostile.py --only 7   # only the cases whose number starts with 7
    python bench/hostile.py --write    # and put the table into bench/RESULTS.md (section "hostile")

Each case runs in a temporary folder of its own, with FTZGRAPH_CACHE inside it, so the
user's cache and the shipped data/ are only read (their fingerprints are compared at the
end). We run as root, for whom permission bits do not stop a write: a read-only folder
is made immutable with `chattr +i`, and a second unwritable cache is a path under a
regular file. Every server is started here on a free port and stopped here; every
process started is killed by its id and every temporary folder removed.

A case is fixed when the command ends with exactly one line on stderr (no traceback, no
"--debug" hint) and a non-zero exit; a recovery (a damaged cache) when it answers
correctly after a one-line warning; a server case when the endpoint behaves as the issue
asks (refuses, stops, restarts, dies with `serve`).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.server
import os
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sections import write_section

ROOT = Path(__file__).resolve().parent.parent
DEEP = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ZONES_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?z a ftz:PilotFreeTradeZone }"
ASK = "ASK { ?s ?p ?o }"
CONCURRENT_ROUNDS = 10


def ftzgraph_binary() -> str:
    """The installed console script itself, not a shell shim in front of it, so signals reach it."""
    beside = Path(sys.executable).parent / "ftzgraph"
    found = str(beside) if beside.is_file() else shutil.which("ftzgraph")
    if not found:
        sys.exit("ftzgraph is not installed")
    return found


FTZ = ftzgraph_binary()


@dataclass
class Row:
    case: str
    what: str
    before: str
    command: str
    exit: str
    stderr: str
    untouched: str
    after: str
    fixed: bool


@dataclass
class Ran:
    code: int
    out: str
    err: str
    seconds: float


def first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:180] if lines else "(empty)"


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:180] if lines else "(empty)"


def one_clear_line(err: str) -> bool:
    lines = [line for line in err.splitlines() if line.strip()]
    return len(lines) == 1 and not any(mark in err for mark in ("Traceback", "--debug", "panicked", "RUST_BACKTRACE"))


def refused(ran: Ran) -> bool:
    return ran.code != 0 and one_clear_line(ran.err)


def fingerprint(folder: Path) -> str:
    """Names, sizes, modes and contents of every file below folder (missing: a marker)."""
    if not folder.exists():
        return "absent"
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest.update(f"{path.relative_to(folder)}\0{stat.filemode(info.st_mode)}\0{info.st_size}\0".encode())
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
    return digest.hexdigest()


# -- processes --------------------------------------------------------------------------------------

def proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (state is [0], ppid [1], pgrp [2])."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def alive(pid: int) -> bool:
    fields = proc_stat(pid)
    return fields is not None and fields[0] != "Z"


def processes_where(index: int, value: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = proc_stat(int(entry.name))
            if fields and fields[0] != "Z" and int(fields[index]) == value:
                found.append(int(entry.name))
    return found


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and text.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return [pid for pid in found if pid != os.getpid()]


def children(pid: int) -> list[int]:
    return processes_where(1, pid)


def cpu_seconds(pid: int) -> float:
    fields = proc_stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") if fields else 0.0


def core_share(pid: int, seconds: float = 2.0) -> float:
    """The share of one core that pid used over the next few seconds."""
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return (cpu_seconds(pid) - before) / seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def time_wait_count(port: int) -> int:
    """Sockets in TIME-WAIT whose local port is ``port`` (state 06 in /proc/net/tcp)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "06" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    count += 1
    return count


def ask(base: str, query: str, method: str = "GET", timeout: float = 60) -> tuple[int, str, float]:
    """(HTTP status, or 0 when there was no answer; the body's first line; seconds)."""
    url, data = base + "/query", None
    if method == "GET":
        url += "?" + urllib.parse.urlencode({"query": query})
    else:
        data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": "text/csv"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, first_line(response.read().decode()), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, first_line(exc.read().decode()), time.monotonic() - started
    except OSError as exc:
        return 0, f"no answer: {exc}", time.monotonic() - started


class Workspace:
    """A temporary folder with its own FTZGRAPH_CACHE; what it starts, it stops."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="ftz-hostile-"))
        self.env = {k: v for k, v in os.environ.items() if k not in ("FTZGRAPH_DATA", "FTZGRAPH_ENDPOINT")}
        self.env["FTZGRAPH_CACHE"] = str(self.dir / "cache")
        self.frozen: list[Path] = []
        self.started: list[int] = []

    def show(self, args) -> str:
        words = []
        for arg in args:
            if isinstance(arg, bytes):
                words.append("$'" + "".join(chr(b) if 32 <= b < 127 and b not in b"'\\" else f"\\x{b:02x}" for b in arg) + "'")
            else:
                text = arg if len(arg) < 70 else arg[:40] + f"…[{len(arg):,} chars]"
                words.append(shlex.quote(text.replace(str(self.dir), "$T")))
        return "ftzgraph " + " ".join(words)

    def hide(self, text: str) -> str:
        return text.replace(str(self.dir), "$T")

    def run(self, *args, env: dict | None = None, timeout: float = 300) -> Ran:
        started = time.monotonic()
        done = subprocess.run([FTZ, *args], env=env or self.env, capture_output=True, timeout=timeout, cwd=self.dir)
        return Ran(done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace"),
                   time.monotonic() - started)

    def popen(self, *args, env: dict | None = None, **kwargs) -> subprocess.Popen:
        proc = subprocess.Popen([FTZ, *args], env=env or self.env, cwd=self.dir, **kwargs)
        self.started.append(proc.pid)
        return proc

    def freeze(self, path: Path) -> None:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        self.frozen.append(path)

    def serve(self, *args, port: int | None = None) -> Served:
        return Served(self, port or free_port(), args)

    def close(self) -> None:
        for pid in self.started:
            for child in children(pid):
                kill(child)
            kill(pid)
        for pid in processes_mentioning(str(self.dir)):  # an orphaned oxigraph serving a store of ours
            kill(pid)
        for path in self.frozen:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


def kill(pid: int) -> None:
    if alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


class Served:
    """`ftzgraph serve` on a free port, in a session of its own (its process group is its pid)."""

    def __init__(self, space: Workspace, port: int, args):
        self.space, self.port = space, port
        self.base = f"http://127.0.0.1:{port}"
        self.proc = space.popen("serve", "--port", str(port), *args, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
        self.ready_seconds = self.wait_ready()

    def wait_ready(self, seconds: float = 90) -> float:
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited with {self.proc.returncode}: {self.proc.stderr.read().decode()}")
            if ask(self.base, "ASK {}", timeout=2)[0] == 200:
                return time.monotonic() - started
            time.sleep(0.1)
        raise RuntimeError("serve did not answer within 90 s")

    def oxigraph(self) -> list[int]:
        return children(self.proc.pid)

    def stop(self) -> str:
        """SIGTERM, then the log."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            _out, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _out, err = self.proc.communicate()
        return (err or b"").decode(errors="replace")


@contextlib.contextmanager
def workspace():
    space = Workspace()
    try:
        yield space
    finally:
        space.close()


@contextlib.contextmanager
def http_server(handler, directory: Path | None = None):
    """A local HTTP server on a free port, in a thread; its base URL."""
    factory = (lambda *a, **k: handler(*a, directory=str(directory), **k)) if directory else handler
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), factory)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class Canary(http.server.BaseHTTPRequestHandler):
    """Counts the requests it gets: a SERVICE call that reached out would show here."""

    hits = 0

    def log_message(self, *_):
        pass

    def do_GET(self):
        Canary.hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[]}}')

    do_POST = do_GET


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Python's stock file server: not SPARQL, answers POST and PUT with 501 without reading the body."""

    def log_message(self, *_):
        pass


# -- the cases ----------------------------------------------------------------------------------------

def row(case, what, before, space, args, ran, fixed, after, untouched="—") -> Row:
    return Row(case, what, before, space.show(args), str(ran.code), first_line(space.hide(ran.err)), untouched,
               space.hide(after), fixed)


def case_1_deep_query() -> list[Row]:
    before = "CLI segfaults, no message (exit 139); `serve` exits with 250"
    rows = []
    with workspace() as space:
        ran = space.run("query", DEEP)
        limits = {depth: space.run("query", "ASK " + "{" * depth + "}" * depth).code for depth in (256, 257, 1000)}
        rows.append(row("1", "query nested 3,000 deep, CLI", before, space, ["query", DEEP], ran, refused(ran),
                        f"refused before parsing; depth 256 exit {limits[256]}, 257 exit {limits[257]}, 1,000 exit {limits[1000]}"))
        server = space.serve()
        child = server.oxigraph()
        status, body, seconds = ask(server.base, DEEP, method="POST")
        after_status = ask(server.base, ASK)[0]
        same_child = server.oxigraph() == child
        serving = server.proc.poll() is None
        log = server.stop()
        fixed = status == 400 and after_status == 200 and same_child and serving
        rows.append(Row("1", "same query POSTed to `serve`", before, "POST /query (6 KB, depth 3,000)",
                        f"HTTP {status}", body, "—",
                        f"refused in {seconds:.2f} s; next ASK → {after_status}; serve alive: {serving}; "
                        f"oxigraph never restarted: {same_child and 'restart' not in log}", fixed))
    return rows


def case_2_timeout() -> list[Row]:
    before = "a runaway query keeps a core busy after the client has gone, until restart"
    with workspace() as space:
        server = space.serve("--timeout", "2")
        (oxigraph,) = server.oxigraph()
        idle = core_share(oxigraph)
        asked = time.monotonic()
        ask(server.base, RUNAWAY, timeout=0.5)  # this client hangs up at once
        busy = {}
        for mark in (10, 30):
            time.sleep(max(0.0, asked + mark - time.monotonic()))
            busy[mark] = core_share(oxigraph)
        status, body, seconds = ask(server.base, RUNAWAY, timeout=60)  # this one waits for the answer
        after_status, waited = ask(server.base, ASK)[0], time.monotonic()
        while after_status != 200 and time.monotonic() - waited < 10:  # the stopped server restarts
            time.sleep(0.2)
            after_status = ask(server.base, ASK)[0]
        log = server.stop()
    fixed = 400 <= status < 600 and seconds < 2 + 5 and busy[30] < 0.1 and after_status == 200
    return [Row("2", "4-way cartesian product, `serve --timeout 2`", before, "GET /query (RUNAWAY)",
                f"HTTP {status}", body, "—",
                f"a waiting client gets HTTP {status} after {seconds:.1f} s; after a client hung up, oxigraph uses "
                f"{busy[10]:.0%} of a core 10 s later and {busy[30]:.0%} 30 s later (idle before: {idle:.0%}); "
                f"next ASK → {after_status} (within 10 s of the restart); traceback in serve's log: {'Traceback' in log}", fixed)]


def case_3_service() -> list[Row]:
    before = "the server fetches any URL and echoes the answer (SSRF under 0.0.0.0)"
    rows = []
    with workspace() as space, http_server(Canary) as canary:
        query = f"SELECT * WHERE {{ SERVICE <{canary}/sparql> {{ ?s ?p ?o }} }}"
        for args in ((), ("--allow-service",)):
            Canary.hits = 0
            server = space.serve(*args)
            status, body, _ = ask(server.base, query)
            time.sleep(0.5)
            server.stop()
            if args:
                opt_in = f"with --allow-service the canary got {Canary.hits} request(s) (HTTP {status})"
            else:
                hits_default, status_default, body_default = Canary.hits, status, body
    fixed = status_default == 400 and hits_default == 0
    rows.append(Row("3", "SERVICE <local canary URL> on `serve`", before, "GET /query (SERVICE <http://127.0.0.1:…/sparql>)",
                    f"HTTP {status_default}", body_default, "—",
                    f"canary requests: {hits_default}; {opt_in}", fixed))
    return rows


def case_4_validate_data() -> list[Row]:
    before = "`--data` ignored: a missing or empty folder prints \"valid: every … checks out\", exit 0"
    rows = []
    with workspace() as space:
        missing = ["--data", str(space.dir / "no" / "such" / "dir"), "validate"]
        ran = space.run(*missing)
        rows.append(row("4", "validate, --data a missing folder", before, space, missing, ran, refused(ran), "refused"))
        (space.dir / "empty").mkdir()
        empty = ["--data", str(space.dir / "empty"), "validate"]
        ran = space.run(*empty)
        rows.append(row("4", "validate, --data an empty folder", before, space, empty, ran, refused(ran), "refused"))
        synth = space.dir / "synth"
        space.run("synth", "--measures", "40", "--seed", "1", "-o", str(synth))
        broken = synth / "zones.ttl"
        broken.write_text(broken.read_text(encoding="utf-8") + "\nthis is not turtle .\n", encoding="utf-8")
        by_option = space.run("--data", str(synth), "validate")
        by_env = space.run("validate", env={**space.env, "FTZGRAPH_DATA": str(synth)})
        same = (by_option.code, by_option.out, by_option.err) == (by_env.code, by_env.out, by_env.err)
        rows.append(row("4", "validate a broken synthetic graph: --data vs FTZGRAPH_DATA", "fails under one, passes under the other",
                        space, ["--data", str(synth), "validate"], by_option, same and by_option.code != 0,
                        f"FTZGRAPH_DATA: exit {by_env.code}; identical output: {same}; reports: {first_line(by_option.out)}"))
    return rows


def built_store(space: Workspace) -> Path:
    """Build the store of the current inputs; its folder (from build's own report)."""
    ran = space.run("build")
    return Path(ran.out.strip().rsplit(" in ", 1)[1])


def largest_sst(store: Path) -> Path:
    return max(store.glob("*.sst"), key=lambda p: p.stat().st_size)


def case_5_corrupted_cache() -> list[Row]:
    before = "every query fails \"RuntimeError: Corruption\"; `build` reports success; no hint of --force"
    rows = []
    with workspace() as space:
        os.truncate(largest_sst(built_store(space)), 1000)
        query = ["query", ZONES_COUNT, "--format", "csv"]
        ran = space.run(*query)
        healed = ran.code == 0 and ran.out.split() == ["n", "22"] and one_clear_line(ran.err)
        rows.append(row("5", "truncated .sst, then a query", before, space, query, ran, healed,
                        f"recovered: answer {' '.join(ran.out.split())!r} after a one-line warning"))
        os.truncate(largest_sst(built_store(space)), 1000)
        ran = space.run("build")
        again = space.run(*query)
        healed = ran.code == 0 and "rebuilding" in ran.err and one_clear_line(ran.err) and again.out.split() == ["n", "22"]
        rows.append(row("5", "truncated .sst, then `build` (no --force)", before, space, ["build"], ran, healed,
                        f"rebuilt with a warning; the next query exits {again.code}, stderr {'empty' if not again.err else first_line(again.err)!r}"))
    return rows


def case_6_special_files() -> list[Row]:
    before = "a character device, FIFO or symlink becomes a regular file (`-o /dev/null` as root)"
    rows = []
    with workspace() as space:
        space.run("build")
        fifo = space.dir / "fifo"
        os.mkfifo(fifo)
        got = []
        reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
        reader.start()
        args = ["query", "zones", "--format", "csv", "-o", str(fifo)]
        ran = space.run(*args)
        reader.join(10)
        still = stat.S_ISFIFO(fifo.lstat().st_mode)
        rows.append(row("6", "-o a FIFO", before, space, args, ran, ran.code == 0 and still and bool(got and got[0]),
                        f"written through: the reader got {len(got[0]) if got else 0} bytes", f"{'yes' if still else 'no'} (still a FIFO)"))

        device = space.dir / "null"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null: the real one is never at risk
        args = ["query", "zones", "--format", "csv", "-o", str(device)]
        ran = space.run(*args)
        info = device.lstat()
        still = stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)
        rows.append(row("6", "-o a character device (mknod c 1 3, i.e. /dev/null)", before, space, args, ran,
                        ran.code == 0 and still, "written through", f"{'yes' if still else 'no'} (still char device 1,3)"))

        target, link = space.dir / "target.csv", space.dir / "link.csv"
        target.write_text("old\n")
        link.symlink_to(target)
        args = ["query", "zones", "--format", "csv", "-o", str(link)]
        ran = space.run(*args)
        still = link.is_symlink() and os.readlink(link) == str(target)
        wrote = target.read_text().startswith("zone,")
        rows.append(row("6", "-o a symlink", before, space, args, ran, ran.code == 0 and still and wrote,
                        f"followed: the link's target holds the new CSV: {wrote}", f"{'yes' if still else 'no'} (still a link)"))
    return rows


def group_members(pgid: int) -> list[int]:
    return processes_where(2, pgid)


def wait_gone(pids: list[int], seconds: float = 10) -> float | None:
    """Seconds until none of pids lives, or None if some still do after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if not any(alive(pid) for pid in pids):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def port_bindable(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def case_7_orphans() -> list[Row]:
    before = "SIGKILL or SIGHUP to `serve` leaves `oxigraph` running under PID 1, holding the port"
    rows = []
    with workspace() as space:
        for signum in (signal.SIGKILL, signal.SIGHUP):
            server = space.serve()
            group = group_members(server.proc.pid)
            server.proc.send_signal(signum)
            server.proc.wait(30)
            gone = wait_gone(group)
            free = port_bindable(server.port)
            rows.append(Row("7", f"{signum.name} to `serve`", before, f"kill -{signum.name[3:]} <serve pid>",
                            str(server.proc.returncode), "(serve log, last line) " + last_line(server.stop()), "—",
                            f"process group of {len(group)} ({len(group) - 1} oxigraph): "
                            + (f"all gone {gone:.2f} s after serve" if gone is not None else "SOME STILL RUNNING after 10 s")
                            + f"; port free again: {free}", gone is not None and free))

        server = space.serve()
        (first,) = server.oxigraph()
        os.kill(first, signal.SIGKILL)
        killed = time.monotonic()
        while ask(server.base, ASK, timeout=2)[0] != 200 and time.monotonic() - killed < 30:
            time.sleep(0.1)
        back = time.monotonic() - killed
        restarted = server.oxigraph()
        group = group_members(server.proc.pid)
        server.proc.send_signal(signal.SIGKILL)  # the restarted server, started from another thread, must die too
        server.proc.wait(30)
        gone_after = wait_gone(group)
        log = next((line for line in server.stop().splitlines() if "restart" in line), "(no restart logged)")
        fixed = back < 30 and restarted and restarted != [first] and gone_after is not None
        rows.append(Row("7", "`oxigraph` killed under `serve` (restart), then SIGKILL to `serve`",
                        "no supervisor: the endpoint stays down", "kill -KILL <oxigraph pid>", "—",
                        f"(serve log) {log}", "—",
                        f"answering again {back:.1f} s later; after SIGKILL to serve the restarted oxigraph is "
                        + ("gone" if gone_after is not None else "STILL RUNNING"), bool(fixed)))
    return rows


def case_8_reuse_port() -> list[Row]:
    before = "`serve` says the port is in use for about 60 s (TIME-WAIT; no SO_REUSEADDR)"
    with workspace() as space:
        first = space.serve()
        port = first.port
        for _ in range(3):  # urllib sends "Connection: close": the server closes first, leaving TIME-WAIT
            ask(first.base, ASK)
        first.stop()
        waiting = time_wait_count(port)
        args = ["serve", "--port", str(port)]
        try:
            again = space.serve(port=port)
            ready, message = f"answering after {again.ready_seconds:.1f} s", first_line(again.stop())
            code, fixed = f"{again.proc.returncode} (after our SIGTERM)", waiting > 0
        except RuntimeError as exc:
            ready, message, code, fixed = "did not start", first_line(str(exc)), "≠0", False
    return [Row("8", "restart `serve` on the same port at once", before, space.show(args), code, message, "—",
                f"{waiting} TIME-WAIT sockets on the port at restart; {ready}", fixed)]


def case_9_concurrency() -> list[Row]:
    before = "5 of 30 rounds of two `build --force`: FileNotFoundError 'LOCK'; queries hit \"Corruption\"; cache pruned under `serve`"
    with workspace() as space:
        space.run("build")
        server = space.serve()
        (oxigraph,) = server.oxigraph()
        command = Path(f"/proc/{oxigraph}/cmdline").read_bytes().decode().split("\0")
        served_store = Path(command[command.index("--location") + 1])
        failed_rounds, failures = 0, []
        for _round in range(CONCURRENT_ROUNDS):
            procs = [(args, space.popen(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
                     for args in (["build", "--force"], ["build", "--force"], ["query", "zones"], ["query", "zones"])]
            bad = []
            for args, proc in procs:
                _out, err = proc.communicate(timeout=300)
                if proc.returncode != 0 or err.strip():
                    bad.append(f"{args[0]} exit {proc.returncode}: {first_line(err.decode(errors='replace'))}")
            failed_rounds += bool(bad)
            failures += bad
        status = ask(server.base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        kept = served_store.is_dir()
        stores = len([p for p in (space.dir / "cache").iterdir() if not p.name.startswith(".")])
        server.stop()
    fixed = failed_rounds == 0 and status[0] == 200 and kept
    return [Row("9", f"{CONCURRENT_ROUNDS} rounds: 2× `build --force` + 2× `query zones` at once, `serve` running on the cache",
                before, "ftzgraph build --force & ftzgraph build --force & ftzgraph query zones & …", "—",
                first_line("\n".join(failures)) if failures else "(empty in every round)", "—",
                f"{failed_rounds} of {CONCURRENT_ROUNDS} rounds had a failure; serve still answers "
                f"(HTTP {status[0]}) and its store is kept: {kept}; {stores} stores in the cache after", fixed)]


def case_10_synth_interrupt() -> list[Row]:
    before = "Ctrl-C leaves a half-written folder; other commands use it; `synth` then refuses to overwrite it"
    rows = []
    with workspace() as space:
        earlier = space.dir / "graph"
        space.run("synth", "--measures", "40", "-o", str(earlier))
        for target, what in ((earlier, "over an earlier synthetic graph"), (space.dir / "fresh", "into a new folder")):
            state_before = fingerprint(target)
            args = ["synth", "--measures", "200000", "-o", str(target)]
            proc = space.popen(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            staging = space.dir / f".{target.name}.tmp-{proc.pid}"
            deadline = time.monotonic() + 30
            while not staging.exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(1.5)  # well into writing
            running = proc.poll() is None
            proc.send_signal(signal.SIGINT)
            _out, err = proc.communicate(timeout=60)
            leftovers = [p.name for p in space.dir.iterdir() if p.name.startswith(f".{target.name}.")]
            untouched = fingerprint(target) == state_before
            ran = Ran(proc.returncode, "", err.decode(errors="replace"), 0)
            again = space.run("synth", "--measures", "40", "-o", str(target))
            fixed = running and refused(ran) and untouched and not leftovers and again.code == 0
            rows.append(row("10", f"Ctrl-C (SIGINT) during `synth` {what}", before, space, args, ran, fixed,
                            f"interrupted while writing: {running}; leftovers beside it: {leftovers or 'none'}; "
                            f"a new synth there exits {again.code}", "yes" if untouched else "NO"))
    return rows


def case_11_broken_turtle() -> list[Row]:
    before = "`validate` reports broken Turtle at the wrong line, no reason, under 830 cascade errors"
    with workspace() as space:
        data = space.dir / "data"
        shutil.copytree(ROOT / "data", data)
        victim = data / "zones.ttl"
        lines = victim.read_text(encoding="utf-8").splitlines()
        broken_line = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].strip().endswith(";")) + 1
        lines[broken_line - 1] = lines[broken_line - 1] + " %%%"
        victim.write_text("\n".join(lines) + "\n", encoding="utf-8")
        args = ["--data", str(data), "validate"]
        ran = space.run(*args)
        query = space.run("--data", str(data), "query", "zones")
        reported = [line for line in ran.out.splitlines() if line.strip()]
        right = any(f"line {broken_line}" in line or f":{broken_line}" in line for line in reported)
        fixed = ran.code != 0 and one_clear_line(ran.err) and right and len(reported) <= 2
    return [row("11", f"validate data with line {broken_line} of zones.ttl broken", before, space, args, ran, fixed,
                f"{len(reported)} problem line(s) on stdout: {reported[0][:150] if reported else '(none)'}; "
                f"names line {broken_line}: {right}; `query` says: {first_line(query.err)[:110]}")]


def case_12_errors() -> list[Row]:
    before_of = {
        "-o": "`-o \"\"` fell through to \"(run with --debug …)\" or a backtrace",
        "ro": "export into a read-only folder: \"(run with --debug …)\" or a backtrace",
        "iri": "an IRI with a space: \"(run with --debug …)\" or a backtrace",
        "bytes": "undecodable bytes in an argument: \"(run with --debug …)\" or a backtrace",
        "cache": "an unwritable FTZGRAPH_CACHE: \"(run with --debug …)\" or a backtrace",
        "manifest": "an empty ftzgraph.json in the cache: \"(run with --debug …)\" or a backtrace",
        "host": "`serve --host \"\"` gives a Rust backtrace",
        "endpoint": "a non-SPARQL endpoint: \"answered 501: <!DOCTYPE HTML>\"",
        "push": "push to a server that refuses PUT: \"Broken pipe\"",
    }
    rows = []
    with workspace() as space:
        space.run("build")
        args = ["query", "zones", "-o", ""]
        ran = space.run(*args)
        rows.append(row("12a", "-o \"\"", before_of["-o"], space, args, ran, refused(ran), "refused"))

        folder = space.dir / "readonly"
        folder.mkdir()
        (folder / "keep.txt").write_text("the user's file\n")
        space.freeze(folder)
        state_before = fingerprint(folder)
        for fmt, name in (("csv", "bodies.csv"), ("graphml", "ftz.graphml")):
            args = ["export", "--format", fmt, "--class", "GovernmentBody", "-o", str(folder / name)]
            ran = space.run(*args)
            same = fingerprint(folder) == state_before
            rows.append(row("12b", f"export --format {fmt} into a read-only folder (chattr +i)", before_of["ro"], space, args,
                            ran, refused(ran) and same, "refused", "yes" if same else "NO"))

        for args in (["query", "SELECT * WHERE { <http://a b> ?p ?o }"], ["trace", "<http://a b>"],
                     ["query", "measures-by-body", "--param", "body=<http://a b>"]):
            ran = space.run(*args)
            rows.append(row("12c", "an IRI with a space", before_of["iri"], space, args, ran, refused(ran), "refused"))

        for args in (["query", b"\xff\xfe"], ["trace", b"CPTPP \xc3"]):
            ran = space.run(*args)
            rows.append(row("12d", "undecodable bytes in an argument", before_of["bytes"], space, args, ran, refused(ran), "refused"))

        frozen_cache = space.dir / "frozen-cache"
        frozen_cache.mkdir()
        space.freeze(frozen_cache)
        blocker = space.dir / "a-file"
        blocker.write_text("")
        for cache, how in ((frozen_cache, "an empty folder made immutable (chattr +i)"), (blocker / "cache", "a path under a regular file")):
            env = {**space.env, "FTZGRAPH_CACHE": str(cache)}
            ran = space.run("query", "zones", env=env)
            rows.append(Row("12e", f"FTZGRAPH_CACHE unwritable: {how}", before_of["cache"],
                            f"FTZGRAPH_CACHE={str(cache).replace(str(space.dir), '$T')} ftzgraph query zones",
                            str(ran.code), first_line(space.hide(ran.err)), "—", "refused", refused(ran)))

        (built_store(space) / "ftzgraph.json").write_text("")
        args = ["query", ZONES_COUNT, "--format", "csv"]
        ran = space.run(*args)
        healed = ran.code == 0 and ran.out.split() == ["n", "22"] and one_clear_line(ran.err)
        rows.append(row("12f", "an empty ftzgraph.json in the cache", before_of["manifest"], space, args, ran, healed,
                        f"recovered: answer {' '.join(ran.out.split())!r} after a one-line warning"))

        args = ["serve", "--host", "", "--port", str(free_port())]
        ran = space.run(*args, timeout=60)
        rows.append(row("12g", "serve --host \"\"", before_of["host"], space, args, ran, refused(ran), "refused"))

        (space.dir / "www").mkdir()
        with http_server(Quiet, space.dir / "www") as stock:
            args = ["--endpoint", stock + "/sparql", "query", "zones"]
            ran = space.run(*args)
            rows.append(row("12h", "a non-SPARQL endpoint (Python's stock http.server)", before_of["endpoint"],
                            space, args, ran, refused(ran), "refused"))
            args = ["push", stock + "/store"]
            ran = space.run(*args)
            rows.append(row("12i", "push to a server that refuses PUT (the same stock server: 501)", before_of["push"],
                            space, args, ran, refused(ran), "refused"))
    return rows


CASES = [case_1_deep_query, case_2_timeout, case_3_service, case_4_validate_data, case_5_corrupted_cache,
         case_6_special_files, case_7_orphans, case_8_reuse_port, case_9_concurrency, case_10_synth_interrupt,
         case_11_broken_turtle, case_12_errors]


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(rows: list[Row]) -> str:
    lines = ["| # | case | before (issue 13) | command | exit | first line of stderr | user's files untouched | after (measured) | fixed |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        command = f"`{r.command}`" if "`" not in r.command else r.command
        lines.append("| " + " | ".join(cell(x) for x in (r.case, r.what, r.before, command, r.exit, r.stderr, r.untouched, r.after,
                                                           "yes" if r.fixed else "**NO**")) + " |")
    return "\n".join(lines)


def user_state() -> dict[str, str]:
    """What must not change: the shipped data and the user's own cache."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ftzgraph"
    listing = sorted((p.name, p.stat().st_mtime_ns) for p in cache.iterdir()) if cache.is_dir() else "absent"
    return {"data/": fingerprint(ROOT / "data"), f"{cache}": hashlib.sha256(repr(listing).encode()).hexdigest()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only the cases whose number starts with this")
    parser.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md")
    args = parser.parse_args()
    if not shutil.which("chattr"):
        sys.exit("chattr is needed to make a folder read-only for root")
    state = user_state()
    started = time.monotonic()
    rows: list[Row] = []
    for case in CASES:
        number = case.__name__.split("_")[1]
        if args.only and not number.startswith(args.only):
            continue
        print(f"case {number} …", file=sys.stderr, flush=True)
        rows += case()
    untouched = user_state() == state
    fixed = sum(r.fixed for r in rows)
    report = "\n\n".join([
        f"`python bench/hostile.py` re-enacts each case of issue 13 against the installed `ftzgraph` "
        f"({time.strftime('%Y-%m-%d')}, {time.monotonic() - started:.0f} s), each in a temporary folder with its own "
        "`FTZGRAPH_CACHE`. As root, permission bits stop nothing: the read-only folder and one unwritable cache are "
        "made immutable with `chattr +i`, the other unwritable cache is a path under a regular file; the character "
        "device is a private `mknod c 1 3` (a /dev/null of our own). `$T` is the case's temporary folder.",
        table(rows),
        f"**{fixed} of {len(rows)} rows fixed.** The shipped data/ and the user's cache were "
        + ("untouched (fingerprints equal before and after)." if untouched else "**CHANGED** during the run."),
    ])
    print(report)
    if args.write:
        write_section("hostile", report, "Hostile input and faults (issue 13), before → after")


if __name__ == "__main__":
    main()
