"""Load and soak test of `ftzgraph serve`: concurrent clients run the catalogue mixed with hostile queries.

    python bench/soak.py --clients 8 --seconds 60            # one run; prints a table
    python bench/soak.py --clients 8 32 --seconds 60 --write  # and puts the table into bench/RESULTS.md

Every client loops until the time is up, drawing the next request at random: a named query of
the catalogue (with its default parameters, prefixes declared, as any SPARQL client sends it)
or, one time in ten, a hostile one (nested 3,000 deep, SERVICE to an outside URL, 2 MB of
text, malformed). Good queries must answer 200 and hostile ones must be refused (400 or 413).
The server's resident memory (front and Oxigraph together) is read from /proc before and after.
Traffic goes to 127.0.0.1 only, and every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from sections import write_section

HERE = Path(__file__).resolve().parent
HOSTILE = {
    "deep": "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000,
    "service": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "oversize": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 2_100_000,
    "malformed": "SELECT ?s WHERE { ?s ?p }",
}
HOSTILE_SHARE = 0.1


def catalogue_queries() -> dict[str, str]:
    import ftzgraph
    from ftzgraph import catalogue, vocab

    graph = ftzgraph.open()
    return {name: vocab.SPARQL_PROLOGUE + query.bind(query.example_params(), graph.resolve) for name, query in catalogue.catalogue().items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total, pids = 0, [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(match.group(1)) if match else 0
        pids += [int(c) for c in children]
    return total / 1024


def request(base: str, query: str, timeout: float) -> int:
    data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(base + "/query", data=data, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code
    except OSError:
        return 0


def run(clients: int, seconds: float, queries: dict[str, str], timeout: float = 30.0, seed: int = 1) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "ftzgraph.cli", "serve", "--port", str(port), "--timeout", str(timeout)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while request(base, "ASK {}", 2) != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {server.stderr.read() if server.poll() is not None else 'timeout'}")
            time.sleep(0.1)
        for text in queries.values():  # warm the caches once, as a running server would be
            request(base, text, timeout)
        rss_before = tree_rss_mb(server.pid)
        lock = threading.Lock()
        good: list[float] = []
        good_errors: list[tuple[str, int]] = []
        hostile: dict[str, list[int]] = {name: [] for name in HOSTILE}
        stop_at = time.monotonic() + seconds
        names = sorted(queries)

        def client(number: int) -> None:
            rng = random.Random(seed * 1000 + number)
            while time.monotonic() < stop_at:
                if rng.random() < HOSTILE_SHARE:
                    kind = rng.choice(sorted(HOSTILE))
                    status = request(base, HOSTILE[kind], timeout)
                    with lock:
                        hostile[kind].append(status)
                    continue
                name = rng.choice(names)
                started = time.perf_counter()
                status = request(base, queries[name], timeout)
                elapsed = time.perf_counter() - started
                with lock:
                    good.append(elapsed)
                    if status != 200:
                        good_errors.append((name, status))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + timeout + 30)
        wall = time.monotonic() - started
        rss_after = tree_rss_mb(server.pid)
        alive = server.poll() is None
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    cuts = statistics.quantiles(good, n=100) if len(good) >= 2 else [0.0] * 99
    return {
        "clients": clients, "seconds": round(wall, 1), "requests": len(good) + sum(map(len, hostile.values())),
        "good": len(good), "throughput": round(len(good) / wall, 1), "p50_ms": round(cuts[49] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1), "good_errors": good_errors,
        "hostile": {k: {"sent": len(v), "refused": sum(1 for s in v if s in (400, 413))} for k, v in hostile.items()},
        "rss_before_mb": round(rss_before, 1), "rss_after_mb": round(rss_after, 1), "server_alive": alive,
    }


def table(results: list[dict]) -> str:
    lines = ["| clients | seconds | good queries | queries/s | p50 | p99 | errors on good | hostile refused | RSS before → after | server alive |",
             "|---:|---:|---:|---:|---:|---:|---:|---|---|---|"]
    for r in results:
        refused = ", ".join(f"{k} {v['refused']}/{v['sent']}" for k, v in r["hostile"].items())
        lines.append(f"| {r['clients']} | {r['seconds']} | {r['good']} | {r['throughput']} | {r['p50_ms']} ms | {r['p99_ms']} ms "
                     f"| {len(r['good_errors'])} | {refused} | {r['rss_before_mb']} → {r['rss_after_mb']} MB | {'yes' if r['server_alive'] else 'NO'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[8], help="concurrent clients (one run per number)")
    parser.add_argument("--seconds", type=float, default=60, help="how long each run lasts")
    parser.add_argument("--write", action="store_true", help="put the table into bench/RESULTS.md")
    args = parser.parse_args()
    queries = catalogue_queries()
    results = []
    for clients in args.clients:
        print(f"[soak] {clients} clients for {args.seconds:g} s", flush=True)
        results.append(run(clients, args.seconds, queries))
    text = table(results)
    print(text)
    if args.write:
        machine = f"{socket.gethostname()}, {__import__('os').cpu_count()} cores, Python {sys.version.split()[0]}"
        write_section("soak", f"`python bench/soak.py --clients {' '.join(map(str, args.clients))} "
                      f"--seconds {args.seconds:g} --write` on {time.strftime('%Y-%m-%d')} ({machine}). The catalogue's "
                      f"{len(queries)} named queries at random, one request in ten hostile.\n\n{text}",
                      "Soak: `ftzgraph serve` under load")
    bad = [r for r in results if r["good_errors"] or not r["server_alive"]
           or any(v["refused"] != v["sent"] for v in r["hostile"].values())]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
