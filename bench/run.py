"""ftzgraph benchmarks: ftzgraph against native pyoxigraph and rdflib, on the real graph and synthetic ones.

    python bench/run.py                          # the full run; writes bench/RESULTS.md and results.json
    python bench/run.py --smoke --out /tmp/b     # smallest graph, one repetition, under a minute

Every measurement runs in a fresh subprocess (this script with --task …), so each peak RSS,
read with os.wait4, belongs to that task alone.  See bench/README.md.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}  # synthetic graphs, in triples
SEED = 1
REQUIRED = {"entity-search": {"text": "海关"}}  # values for parameters that have no default
CLI_QUERIES = ("zones", "measures-by-body", "evidence-for")
TRACE_TARGET, GAPS_TARGET = "CPTPP 5.3", "CPTPP"
RENDER_LIMITS = (2_000, 9_000)  # measure-to-document edges drawn: views of about 2 k and 10 k nodes
RENDER_QUERY = """PREFIX ftz: <https://w3id.org/ftzgraph/ontology#>
CONSTRUCT {{ ?measure ftz:listedIn ?document }} WHERE {{ ?measure ftz:listedIn ?document }} ORDER BY ?measure LIMIT {limit}
"""
TASK_TIMEOUT = 3 * 3600  # a hung child is killed, never waited on forever
CLI_REPS = 10  # runs of each command-line measurement
REPEAT_BUDGET = 10.0  # seconds per query: past this a query gets no further repetitions
STARTUP_ALLOWANCE = 30.0  # seconds a query process may take to start and open its store
ENGINES = ("ftzgraph", "pyoxigraph", "rdflib")


# -- the child tasks: one measurement each, JSON on stdout -------------------------------------------

def task_build(engine: str, data: Path, store_dir: Path) -> dict:
    """Compile the graph once; the seconds exclude interpreter start-up and imports."""
    from ftzgraph import store

    files = store.input_files(data)
    if engine == "ftzgraph":  # FTZGRAPH_CACHE is a fresh folder, set by the parent
        started = time.perf_counter()
        location = store.build(files)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "triples": store.manifest(location)["triples"]}
    if engine == "pyoxigraph":
        import pyoxigraph as ox

        started = time.perf_counter()
        from ftzgraph import inference

        native = ox.Store(str(store_dir))
        for path in files:
            native.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        inference.materialise(native)  # the catalogue's queries rely on the inferred triples
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "triples": len(native)}
    graph, seconds = _rdflib_graph(files)
    return {"seconds": seconds, "triples": len(graph)}


def _rdflib_graph(files: list[Path]):
    from rdflib import Graph

    started = time.perf_counter()
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph, time.perf_counter() - started


def task_query(engine: str, data: Path, store_dir: Path, name: str, reps: int, timeout: float) -> dict:
    """One named query, `reps` times, in a process of its own: only a kill stops a query inside Oxigraph."""
    return _timed_rows(query_runner(engine, data, store_dir), name, reps, timeout)


def task_rdflib_queries(data: Path, reps: int, timeout: float) -> dict:
    """Every named query on one parsed rdflib graph (parsing once); SIGALRM stops a slow query."""
    from ftzgraph import catalogue

    run = query_runner("rdflib", data, None)
    signal.signal(signal.SIGALRM, on_alarm)
    return {name: _timed_rows(run, name, reps, timeout, alarm=True) for name in sorted(catalogue.catalogue())}


def query_runner(engine: str, data: Path, store_dir: Path | None):
    """A function that runs one named query to its last row and returns the number of rows."""
    from ftzgraph import catalogue, store

    if engine == "ftzgraph":
        import ftzgraph

        graph = ftzgraph.open(data_dir=data)
        graph.store  # opened here: opening the cached store is not part of any query
        return lambda name: len(graph.query(name, **REQUIRED.get(name, {})).rows)
    texts = {name: catalogue.get(name).bind(REQUIRED.get(name, {})) for name in catalogue.catalogue()}
    if engine == "pyoxigraph":
        import pyoxigraph as ox

        native = ox.Store.read_only(str(store_dir))
        return lambda name: len(list(native.query(texts[name])))
    graph, _seconds = _rdflib_graph(store.input_files(data))
    return lambda name: len(list(graph.query(texts[name])))


class QueryTimeout(BaseException):
    """Raised by SIGALRM; a BaseException so that no `except Exception` inside rdflib swallows it."""


def on_alarm(_signum, _frame):
    raise QueryTimeout


def repeat(call, reps: int, timeout: float, alarm: bool = False, budget: float = REPEAT_BUDGET) -> dict:
    """Times of up to `reps` calls and the last call's result; fewer calls once they add up to
    `budget`, none past a timeout. With `alarm`, SIGALRM (see on_alarm) stops a call at the timeout."""
    times, result = [], None
    for _ in range(reps):
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, timeout, 1.0)  # re-fires each second until it lands
        started = time.perf_counter()
        try:
            result = call()
        except QueryTimeout:
            return {"timeout": timeout}
        except Exception as exc:  # a query one engine cannot run is a result, not a crash
            return {"error": f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:160]}"}
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - started)
        if times[-1] > timeout:
            return {"timeout": timeout}
        if sum(times) > budget:
            break
    return {"times": times, "result": result}


def _timed_rows(run, name: str, reps: int, timeout: float, alarm: bool = False) -> dict:
    timed = repeat(lambda: run(name), reps, timeout, alarm)
    if "result" in timed:
        timed["rows"] = timed.pop("result")
    return timed


def child_main(args) -> None:
    data, store_dir = Path(args.data), Path(args.store) if args.store else None
    if args.task.startswith("build-"):
        result = task_build(args.task.removeprefix("build-"), data, store_dir)
    elif args.task == "queries-rdflib":
        result = task_rdflib_queries(data, args.reps, args.timeout)
    else:
        result = task_query(args.task.removeprefix("query-"), data, store_dir, args.name, args.reps, args.timeout)
    print(json.dumps(result))


# -- running children ----------------------------------------------------------------------------

def run_child(cmd: list[str], env: dict | None = None, timeout: float = TASK_TIMEOUT) -> dict:
    """Run a command to its end or kill it at the timeout: wall seconds, its own peak RSS in MB, exit code, output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _pid, status, usage = os.wait4(proc.pid, 0)  # wait4, not wait: the rusage of this child only
        seconds = time.perf_counter() - started
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024, "code": proc.returncode, "killed": seconds >= timeout,
                "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace")}


def last_line(text: str, default: str) -> str:
    return (text.strip().splitlines() or [default])[-1]


def run_task(task: str, data: Path, env: dict, store_dir: Path | None = None, name: str | None = None,
             reps: int = 1, timeout: float = 30.0, deadline: float = TASK_TIMEOUT) -> dict:
    """This script as a child doing one task; its JSON result with the child's peak RSS."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--task", task, "--data", str(data),
           "--reps", str(reps), "--timeout", str(timeout)]
    cmd += ["--store", str(store_dir)] if store_dir else []
    cmd += ["--name", name] if name else []
    done = run_child(cmd, env, deadline)
    if done["killed"]:
        return {"timeout": timeout, "rss_mb": done["rss_mb"]}
    if done["code"] != 0:
        return {"error": last_line(done["stderr"], "failed")[:200], "rss_mb": done["rss_mb"]}
    return {**json.loads(last_line(done["stdout"], "{}")), "rss_mb": done["rss_mb"]}


def bench_queries(engine: str, data: Path, env: dict, store_dir: Path | None, reps: int, timeout: float) -> dict:
    """Every named query: a process per query for the Oxigraph engines, one process for rdflib."""
    from ftzgraph import catalogue

    if engine == "rdflib":
        return run_task("queries-rdflib", data, env, reps=reps, timeout=timeout)
    results = {name: run_task(f"query-{engine}", data, env, store_dir, name, reps, timeout,
                              deadline=STARTUP_ALLOWANCE + timeout + REPEAT_BUDGET)
               for name in sorted(catalogue.catalogue())}
    return {**results, "rss_mb": max(r["rss_mb"] for r in results.values())}


def ftzgraph_command() -> list[str]:
    script = shutil.which("ftzgraph")
    return [script] if script else [sys.executable, "-m", "ftzgraph.cli"]


def child_env(cache: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "FTZGRAPH_DATA"}
    if cache:
        env["FTZGRAPH_CACHE"] = str(cache)
    return env


def timed_runs(cmd: list[str], env: dict, reps: int, warm_up: bool = True) -> dict:
    """Wall seconds and peak RSS of `reps` runs of a command, after one unmeasured run."""
    if warm_up:
        first = run_child(cmd, env)
        if first["code"] != 0:
            return {"error": last_line(first["stderr"], "failed")[:200]}
    runs = [run_child(cmd, env) for _ in range(reps)]
    failed = [r for r in runs if r["code"] != 0]
    if failed:
        return {"error": last_line(failed[0]["stderr"], "failed")[:200]}
    return {"times": [r["seconds"] for r in runs], "rss_mb": max(r["rss_mb"] for r in runs), "said": last_line(runs[-1]["stderr"], "")[-200:]}


# -- the graphs ----------------------------------------------------------------------------------

def ontology_triples() -> int:
    import pyoxigraph as ox

    from ftzgraph import paths
    from ftzgraph.store import SHAPES_FILE

    s = ox.Store()
    for path in sorted(paths.ontology_dir().glob("*.ttl")):
        if path.name != SHAPES_FILE:
            s.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return len(s)


def measures_for(targets: dict[str, int], work: Path) -> dict[str, int]:
    """How many measures give each target number of triples: the generator is linear in measures."""
    from ftzgraph import synth

    base = synth.generate(1, SEED, work / "calibrate")["triples"]
    slope = (synth.generate(1001, SEED, work / "calibrate")["triples"] - base) / 1000
    fixed = base + ontology_triples()
    shutil.rmtree(work / "calibrate")
    return {label: max(1, round((target - fixed) / slope) + 1) for label, target in targets.items()}


def prepare_graphs(sizes: list[str], work: Path, with_real: bool) -> dict[str, dict]:
    from ftzgraph import paths, synth

    graphs = {}
    if with_real:
        graphs["real"] = {"data": str(paths.graph_root() / "data"), "measures": None}
    for label, measures in measures_for({s: SIZES[s] for s in sizes}, work).items():
        folder = work / f"synth-{label}"
        counts = synth.generate(measures, SEED, folder)
        graphs[f"synth-{label}"] = {"data": str(folder), "measures": measures, "files": counts["files"]}
    return graphs


# -- the suites ----------------------------------------------------------------------------------

def bench_graph(label: str, graph: dict, work: Path, reps: int, timeout: float) -> dict:
    data = Path(graph["data"])
    cache, native = work / f"cache-{label}", work / f"native-{label}"
    print(f"[{label}] build", flush=True)
    build = {
        "ftzgraph": run_task("build-ftzgraph", data, child_env(cache)),
        "pyoxigraph": run_task("build-pyoxigraph", data, child_env(), native),
        "rdflib": run_task("build-rdflib", data, child_env()),
    }
    queries = {}
    for engine, env, store_dir in (("ftzgraph", child_env(cache), None), ("pyoxigraph", child_env(), native), ("rdflib", child_env(), None)):
        print(f"[{label}] queries, {engine}", flush=True)
        queries[engine] = bench_queries(engine, data, env, store_dir, reps, timeout)
    graph["triples"] = build["ftzgraph"].get("triples")
    return {"build": build, "queries": queries}


def bench_cli(work: Path, reps: int) -> dict:
    """`ftzgraph query NAME` end to end (warm cache) against a plain rdflib script, on the real graph."""
    from ftzgraph import catalogue, paths

    env = child_env(work / "cache-cli")
    results = {}
    for name in CLI_QUERIES:
        print(f"[cli] {name}", flush=True)
        query_file = work / f"{name}.rq"
        query_file.write_text(catalogue.get(name).bind({}), encoding="utf-8")
        results[name] = {
            "ftzgraph": timed_runs(ftzgraph_command() + ["query", name], env, reps),
            "rdflib": timed_runs([sys.executable, str(HERE / "plain_rdflib_query.py"), str(paths.graph_root() / "data"), str(query_file)],
                                 env, max(1, reps // 2), warm_up=False),
        }
    return results


def bench_help(reps: int) -> dict:
    print("[help]", flush=True)
    return timed_runs(ftzgraph_command() + ["--help"], child_env(), reps)


def bench_research(label: str, graph: dict, work: Path, reps: int) -> dict:
    """trace and gaps on one graph through the CLI, with the cache the build task left warm."""
    env = child_env(work / f"cache-{label}")
    base = ftzgraph_command() + ["--data", graph["data"]]
    print(f"[{label}] trace, gaps", flush=True)
    results = {
        "graph": label,
        "trace": timed_runs(base + ["trace", TRACE_TARGET], env, reps),
        "gaps": timed_runs(base + ["gaps", GAPS_TARGET], env, reps),
    }
    results["render"] = {str(limit): bench_render(graph["data"], limit, env, work, reps) for limit in RENDER_LIMITS}
    return results


def bench_render(data: str, limit: int, env: dict, work: Path, reps: int) -> dict:
    """`ftzgraph render --query` of `limit` measure-to-document edges, layout and evidence included."""
    print(f"[render] {limit} edges", flush=True)
    query = work / f"render-{limit}.rq"
    query.write_text(RENDER_QUERY.format(limit=limit), encoding="utf-8")
    cmd = ftzgraph_command() + ["--data", data, "render", "--query", str(query), "-o", str(work / f"render-{limit}.html"), "--lang", "en"]
    return timed_runs(cmd, env, reps)


def bench_browser() -> dict:
    """bench_render.py: views of 2 k and 10 k nodes rendered, then opened in headless Chromium."""
    if not Path("/usr/bin/chromium").exists() or importlib.util.find_spec("playwright") is None:
        return {"skipped": "needs /usr/bin/chromium and playwright"}
    print("[browser] 2000 and 10000 nodes in Chromium", flush=True)
    done = subprocess.run([sys.executable, str(HERE / "bench_render.py")], capture_output=True, text=True, env=child_env())
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return {"table": [line for line in done.stdout.splitlines() if line.startswith("|")]}


# -- the report ----------------------------------------------------------------------------------

def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    versions = {pkg: importlib.metadata.version(pkg) for pkg in ("ftzgraph", "pyoxigraph", "rdflib", "click")}
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_kb / 1024**2, 1), "os": platform.platform(),
            "python": platform.python_version(), **versions}


def median(times: list[float]) -> float | None:
    return statistics.median(times) if times else None


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def spread(times: list[float]) -> str:
    if not times:
        return "—"
    return f"{seconds(median(times))} ({seconds(min(times))}–{seconds(max(times))})" if len(times) > 1 else seconds(times[0])


def ratio(ours: float | None, theirs: float | None) -> str:
    return f"{ours / theirs:.2f}" if ours and theirs else "—"


def query_cell(result: dict) -> str:
    if "error" in result:
        return "error"
    if "timeout" in result:
        return f"timeout (>{result['timeout']:.0f} s)"
    return spread(result["times"])


def query_time(result: dict) -> float | None:
    """A query's median, or its timeout as a lower bound; None if it failed."""
    if "timeout" in result:
        return result["timeout"]
    return median(result.get("times", []))


def suite_total(results: dict) -> tuple[float | None, int, int]:
    """Sum of the query medians (timeouts count as the timeout), and how many timed out or failed."""
    if "error" in results or not results:
        return None, 0, 0
    per = [r for k, r in results.items() if k != "rss_mb"]
    timeouts = sum("timeout" in r for r in per)
    errors = sum("error" in r for r in per)
    times = [query_time(r) for r in per if "error" not in r]
    return sum(t for t in times if t is not None), timeouts, errors


def paired_totals(ours: dict, theirs: dict) -> tuple[float, float, bool] | None:
    """Sums of medians over the queries ftzgraph completed and the other engine ran (a timeout there
    counts as the timeout, making its sum a lower bound, flagged); a query that times out everywhere says nothing."""
    if "error" in ours or "error" in theirs:
        return None
    pairs = [(ours[name], theirs.get(name, {})) for name in ours if name != "rss_mb" and "times" in ours[name]]
    pairs = [(a, b) for a, b in pairs if "error" not in b and query_time(b) is not None]
    if not pairs:
        return None
    return sum(query_time(a) for a, _b in pairs), sum(query_time(b) for _a, b in pairs), any("timeout" in b for _a, b in pairs)


def paired_ratio(ours: dict, theirs: dict) -> str:
    totals = paired_totals(ours, theirs)
    return ratio(totals[0], totals[1]) if totals else "—"


def build_table(results: dict, graphs: dict) -> list[str]:
    lines = ["| graph | triples | ftzgraph | pyoxigraph | rdflib | ftzgraph / pyoxigraph | ftzgraph / rdflib |", "|---|---:|---:|---:|---:|---:|---:|"]
    for label, per in results.items():
        b = per["build"]
        cells = [f"{seconds(b[e].get('seconds'))}, {b[e]['rss_mb']:.0f} MB" if "seconds" in b[e] else "error" for e in ENGINES]
        lines.append(f"| {label} | {graphs[label].get('triples') or '—':,} | " + " | ".join(cells)
                     + f" | {ratio(b['ftzgraph'].get('seconds'), b['pyoxigraph'].get('seconds'))} | {ratio(b['ftzgraph'].get('seconds'), b['rdflib'].get('seconds'))} |")
    return lines


def queries_summary(results: dict) -> list[str]:
    lines = ["| graph | ftzgraph | pyoxigraph | rdflib | ftzgraph / pyoxigraph | ftzgraph / rdflib |", "|---|---:|---:|---:|---:|---:|"]
    for label, per in results.items():
        q = per["queries"]
        totals = {e: suite_total(q[e]) for e in ENGINES}

        def cell(engine: str) -> str:
            total, timeouts, errors = totals[engine]
            if total is None:
                return "error"
            notes = ", ".join(n for n in (f"{timeouts} timeouts" if timeouts else "", f"{errors} errors" if errors else "") if n)
            return f"{seconds(total)}, {q[engine]['rss_mb']:.0f} MB" + (f" ({notes})" if notes else "")

        lines.append(f"| {label} | " + " | ".join(cell(e) for e in ENGINES)
                     + f" | {paired_ratio(q['ftzgraph'], q['pyoxigraph'])} | {paired_ratio(q['ftzgraph'], q['rdflib'])} |")
    return lines


def queries_detail(queries: dict) -> list[str]:
    lines = ["| query | rows | ftzgraph | pyoxigraph | rdflib | ftzgraph / pyoxigraph | ftzgraph / rdflib |", "|---|---:|---:|---:|---:|---:|---:|"]
    names = sorted(k for k in queries["ftzgraph"] if k != "rss_mb") if "error" not in queries["ftzgraph"] else []
    for name in names:
        per = {e: queries[e].get(name, {"error": "missing"}) for e in ENGINES}
        rows = per["ftzgraph"].get("rows")
        mismatch = " ≠" if any(per[e].get("rows") not in (None, rows) for e in ENGINES if "times" in per[e] and "timeout" not in per[e]) else ""
        lines.append(f"| {name} | {rows if rows is not None else '—'}{mismatch} | " + " | ".join(query_cell(per[e]) for e in ENGINES)
                     + f" | {ratio(query_time(per['ftzgraph']), query_time(per['pyoxigraph']))} | {ratio(query_time(per['ftzgraph']), query_time(per['rdflib']))} |")
    return lines


def cli_table(cli: dict) -> list[str]:
    lines = ["| query | `ftzgraph query` | plain rdflib script | ftzgraph / rdflib |", "|---|---:|---:|---:|"]
    for name, per in cli.items():
        f, r = per["ftzgraph"], per["rdflib"]
        lines.append(f"| {name} | {spread(f.get('times', []))}, {f.get('rss_mb', 0):.0f} MB | {spread(r.get('times', []))}, {r.get('rss_mb', 0):.0f} MB"
                     f" | {ratio(median(f.get('times', [])), median(r.get('times', [])))} |")
    return lines


def targets(results: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of issue 6; met is None when not measured."""
    found: list[tuple[str, str, bool | None]] = []
    cli = results.get("cli", {})
    for name, per in cli.items():
        ours, theirs = median(per["ftzgraph"].get("times", [])), median(per["rdflib"].get("times", []))
        found.append((f"cold `ftzgraph query {name}`, real graph ≤ 0.3 s", seconds(ours), ours is not None and ours <= 0.3))
        found.append(("… and ≥ 5× faster than plain rdflib", f"{theirs / ours:.1f}×" if ours and theirs else "—",
                      bool(ours and theirs and theirs / ours >= 5)))
    largest = results.get("largest")
    if largest:
        per = results["graphs_results"][largest]
        b, q = per["build"], per["queries"]
        fb, nb, rb = (b[e].get("seconds") for e in ENGINES)
        found.append((f"build at {largest} ≤ 1.3× native pyoxigraph", ratio(fb, nb), bool(fb and nb and fb / nb <= 1.3)))
        found.append((f"build at {largest} ≥ 10× faster than rdflib", f"{rb / fb:.1f}×" if fb and rb else "—", bool(fb and rb and rb / fb >= 10)))
        found.append((f"build at {largest} ≤ 500 MB RSS", f"{b['ftzgraph']['rss_mb']:.0f} MB", b["ftzgraph"]["rss_mb"] <= 500))
        native, rdflib = paired_totals(q["ftzgraph"], q["pyoxigraph"]), paired_totals(q["ftzgraph"], q["rdflib"])
        found.append((f"queries at {largest} ≤ 1.3× native pyoxigraph (paired sum of medians)", paired_ratio(q["ftzgraph"], q["pyoxigraph"]),
                      bool(native and native[0] / native[1] <= 1.3)))
        found.append((f"queries at {largest} ≥ 10× faster than rdflib (paired sum of medians)",
                      f"{'≥ ' if rdflib[2] else ''}{rdflib[1] / rdflib[0]:.1f}×" if rdflib else "—", bool(rdflib and rdflib[1] / rdflib[0] >= 10)))
        found.append((f"queries at {largest} ≤ 500 MB RSS", f"{q['ftzgraph']['rss_mb']:.0f} MB", q["ftzgraph"]["rss_mb"] <= 500))
    for row in results.get("browser", {}).get("table", [])[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        if cells[0] == "2,000":
            render_s, ready_s = float(cells[3].split()[0]), float(cells[5].split()[0])
            found.append(("2,000-node view renders in ≤ 2 s", cells[3], render_s <= 2))
            found.append(("… and is interactive in Chromium in ≤ 3 s", cells[5], ready_s <= 3))
    help_median = median(results.get("help", {}).get("times", []))
    found.append(("`ftzgraph --help` ≤ 0.15 s", seconds(help_median), help_median is not None and help_median <= 0.15))
    return found


def report(results: dict) -> str:
    m = results["machine"]
    out = ["# ftzgraph benchmarks", "",
           f"Run {results['date']} with `python bench/run.py{' --smoke' if results['smoke'] else ''}` "
           f"({results['reps']} repetition{'s' if results['reps'] > 1 else ''} per query, fewer once they add up to "
           f"{REPEAT_BUDGET:.0f} s; query timeout {results['timeout']:.0f} s, a timed-out query counted as the timeout in totals). "
           "Times are medians with (min–max); ratios are ftzgraph / the alternative, so below 1 means ftzgraph is faster. "
           "Each cell's MB is the peak RSS of the subprocess that ran it.", "",
           "## Machine", "",
           f"{m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; {m['os']}; Python {m['python']}, "
           f"ftzgraph {m['ftzgraph']}, pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, click {m['click']}.", "",
           "## Graphs", "", "| graph | triples | measures | data |", "|---|---:|---:|---|"]
    for label, g in results["graphs"].items():
        origin = f"`synth.generate({g['measures']}, seed={SEED})`" if g["measures"] else "data/"
        out.append(f"| {label} | {g.get('triples') or 0:,} | {g['measures'] or '—'} | {origin} |")
    out += ["", "## Build", "",
            "ftzgraph: `store.build` into a fresh cache (hash the inputs, bulk-load, optimize, write the manifest). "
            "pyoxigraph: `Store(path).bulk_load` of the same files. rdflib: `Graph().parse` of the same files (in memory).", ""]
    out += build_table(results["graphs_results"], results["graphs"])
    out += ["", "## Queries", "",
            f"All {len(results['query_names'])} catalogue queries with their default parameters "
            f"(entity-search with text={REQUIRED['entity-search']['text']}). ftzgraph: `Graph.query(name)` (binds, runs, builds the Result). "
            "pyoxigraph: `list(store.query(text))` on a read-only store of the same files. rdflib: `list(graph.query(text))`. "
            "Totals are the sums of the per-query medians; the ratios pair the queries ftzgraph completed with the same queries "
            "on the other engine (a timeout there counts as the timeout), so a query that times out everywhere does not count; MB is the largest peak RSS among the query processes "
            "(one per query for ftzgraph and pyoxigraph, so a query Oxigraph cannot interrupt can be killed; one for rdflib, which parses once).", ""]
    out += queries_summary(results["graphs_results"])
    for label in results["graphs_results"]:
        out += ["", f"### Per query, {label}", ""] + queries_detail(results["graphs_results"][label]["queries"])
    if results.get("cli"):
        out += ["", "## Cold CLI (real graph, warm cache)", "",
                "`ftzgraph query NAME` as a new process, against `python bench/plain_rdflib_query.py data/ NAME.rq` "
                "(parse everything with rdflib, run the same bound query).", ""] + cli_table(results["cli"])
    h = results.get("help", {})
    out += ["", "## Help", "", f"`ftzgraph --help`: {spread(h.get('times', []))}, {h.get('rss_mb', 0):.0f} MB.", ""]
    r = results.get("research")
    if r:
        out += [f"## Research at {r['graph']}", "", "| command | time | peak RSS |", "|---|---:|---:|",
                f"| `ftzgraph trace \"{TRACE_TARGET}\"` | {spread(r['trace'].get('times', []))} | {r['trace'].get('rss_mb', 0):.0f} MB |",
                f"| `ftzgraph gaps {GAPS_TARGET}` | {spread(r['gaps'].get('times', []))} | {r['gaps'].get('rss_mb', 0):.0f} MB |"]
        render = r.get("render", {})
        if "skipped" in render:
            out += ["", f"Render: skipped ({render['skipped']})."]
        for limit, run in ({} if "skipped" in render else render).items():
            drawn = run.get("said", "").rsplit(": ", 1)[-1] or run.get("error", "")
            out.append(f"| `ftzgraph render --query` of `?measure ftz:listedIn ?document` LIMIT {limit} ({drawn}) | {spread(run.get('times', []))} | {run.get('rss_mb', 0):.0f} MB |")
        out.append("")
    browser = results.get("browser", {})
    if browser:
        out += ["## Views in Chromium", "",
                "`bench/bench_render.py`: an FTZ-shaped networkx graph drawn with `render.from_networkx` and `render.to_html` "
                "(render), then opened from file:// in headless Chromium: first contentful paint, and the moment the page "
                "says it is drawn with its handlers live (`window.ftzReady`).", ""]
        out += browser.get("table") or [f"Skipped: {browser.get('skipped') or browser.get('error')}."]
        out.append("")
    out += ["## Targets", "", "| target | measured | |", "|---|---:|---|"]
    out += [f"| {name} | {value} | {'met' if met else 'MISSED' if met is False else '—'} |" for name, value, met in targets(results)]
    return "\n".join(out) + "\n"


# -- main ----------------------------------------------------------------------------------------

def write_report(results: dict, out: Path) -> None:
    """Rewrite RESULTS.md from the results, keeping the sections other benchmarks own (sections.py)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "RESULTS.md"
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    # a kept section: its "## " heading and everything from <!-- NAME:start --> to <!-- NAME:end -->
    blocks = [m.group(0) for m in re.finditer(r"^## [^\n]*\n\n<!-- ([\w-]+):start -->.*?<!-- \1:end -->\n", old, flags=re.M | re.S)]
    path.write_text(report(results) + "".join("\n" + block for block in blocks), encoding="utf-8")
    print(f"wrote {out / 'RESULTS.md'}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="smallest graph only, one repetition")
    parser.add_argument("--out", type=Path, default=HERE, help="where RESULTS.md and results.json go (default: bench/)")
    parser.add_argument("--work", type=Path, help="scratch folder for graphs and stores (default: a temporary one, removed)")
    parser.add_argument("--reps", type=int, default=5, help="repetitions per query and CLI command")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a query is abandoned (any engine)")
    parser.add_argument("--report-from", type=Path, metavar="JSON", help="only rewrite RESULTS.md from an earlier results.json")
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--name", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.task:
        child_main(args)
        return
    if args.report_from:
        try:
            results = json.loads(args.report_from.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            sys.exit(f"error: cannot read {args.report_from}: {exc}")
        write_report(results, args.out)
        return
    reps = 1 if args.smoke else args.reps
    sizes = ["10k"] if args.smoke else list(SIZES)
    work = args.work or Path(tempfile.mkdtemp(prefix="ftzbench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        from ftzgraph import catalogue

        results = {"date": time.strftime("%Y-%m-%d %H:%M"), "smoke": args.smoke, "reps": reps, "timeout": args.timeout,
                   "machine": machine(), "query_names": sorted(catalogue.catalogue())}
        graphs = prepare_graphs(sizes, work, with_real=not args.smoke)
        results["graphs"] = graphs
        results["graphs_results"] = {label: bench_graph(label, g, work, reps, args.timeout) for label, g in graphs.items()}
        results["largest"] = f"synth-{sizes[-1]}"
        results["cli"] = bench_cli(work, 1 if args.smoke else CLI_REPS)
        results["help"] = bench_help(1 if args.smoke else CLI_REPS)
        results["research"] = bench_research(results["largest"], graphs[results["largest"]], work, reps)
        results["browser"] = {"skipped": "smoke run"} if args.smoke else bench_browser()
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
        write_report(results, args.out)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
