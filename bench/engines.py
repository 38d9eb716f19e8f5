"""The catalogue on three engines: the local store (Oxigraph), Virtuoso Open Source loaded by
`ftzgraph push`, and rdflib's SPARQL engine on the compiled graph.

    python bench/engines.py --write               # real graph and synth-1M; writes the Engines section of bench/RESULTS.md
    python bench/engines.py --sizes real --reps 1 # the real graph only, quickly

For each graph: the time to load it into each engine (`ftzgraph build --force`, `ftzgraph push`,
`Graph.rdflib_graph()`), then every named query in both languages (its default parameters;
entity-search gets text=海关, as in bench/run.py), the median of --reps runs per query, summed
over the catalogue.  Each engine's rows are also compared with the local store's (as
tests/test_engines.py compares them).  Virtuoso runs from a folder of its own under --work
and is stopped at the end.  Needs virtuoso-t (Debian package virtuoso-opensource).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sections import write_section

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
LANGS = ("en", "zh")
ENGINES = ("local", "virtuoso", "rdflib")
ENGINE_NAMES = {"local": "local store (Oxigraph)", "virtuoso": "Virtuoso 7.2", "rdflib": "rdflib"}
LOAD_NAMES = {"local": "`ftzgraph build --force`", "virtuoso": "`ftzgraph push`", "rdflib": "`Graph.rdflib_graph()`"}
GRAPH_IRI = "https://w3id.org/ftzgraph/graph"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


helpers = _load("ftz_engine_helpers", ROOT / "tests" / "engines.py")  # Virtuoso, compare, rdflib_result
bench_run = _load("ftz_bench_run", HERE / "run.py")  # the synthetic graphs, as the other benchmarks make them


# -- loading ----------------------------------------------------------------------------------------

def cli(*args: str, env: dict, timeout: float = 3600) -> float:
    """Run `ftzgraph ARGS` in a fresh process; its wall time in seconds."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ftzgraph.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"ftzgraph {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return time.perf_counter() - started


def data_args(data: str | None) -> list[str]:
    return ["--data", data] if data else []


def load_times(data: str | None, server, env: dict, reps: int, rdflib_reps: int) -> tuple[dict, object]:
    """Seconds to load the graph into each engine, and the rdflib Graph loaded last."""
    import ftzgraph

    times = {"local": [], "virtuoso": [], "rdflib": []}
    for _ in range(reps):
        times["local"].append(cli(*data_args(data), "build", "--force", env=env))
    for _ in range(reps):
        times["virtuoso"].append(cli(*data_args(data), "push", server.crud_url, "--graph", GRAPH_IRI, env=env))
    rdf = None
    for _ in range(rdflib_reps):
        rdf = None
        started = time.perf_counter()
        rdf = ftzgraph.open(data_dir=data).rdflib_graph()
        times["rdflib"].append(time.perf_counter() - started)
    return times, rdf


# -- the catalogue ----------------------------------------------------------------------------------

def run_catalogue(graphs: dict, rdf, reps: int, timeout: float) -> dict:
    """{query: {lang: {engine: {"times": [...], "rows": n, "same": bool} or {"timeout": s} or {"error": text}}}}"""
    from ftzgraph import catalogue

    signal.signal(signal.SIGALRM, bench_run.on_alarm)
    results: dict = {}
    for name, named in sorted(catalogue.catalogue().items()):
        results[name] = {}
        params = dict(bench_run.REQUIRED.get(name, {}))
        for lang in LANGS:
            bound = {**params, **({"lang": lang} if named.param("lang") else {})}
            text = named.bind(bound, graphs["local"].resolve)
            runners = {
                "local": lambda p=params, n=name, la=lang: graphs["local"].query(n, params=p, lang=la),
                "virtuoso": lambda p=params, n=name, la=lang: graphs["virtuoso"].query(n, params=p, lang=la),
                "rdflib": lambda t=text: helpers.rdflib_result(rdf, t),
            }
            cell = {}
            for engine, run in runners.items():
                earlier = results[name].get(LANGS[0], {}).get(engine, {})
                if lang != LANGS[0] and "timeout" in earlier:  # the other language timed out: so would this one
                    cell[engine] = dict(earlier, skipped=True)
                    continue
                cell[engine] = measure(run, reps, timeout, alarm=engine == "rdflib")
            reference = cell["local"].pop("answer", None)
            for engine in ("virtuoso", "rdflib"):
                answer = cell[engine].pop("answer", None)
                if reference is not None and answer is not None:
                    cell[engine]["same"] = not helpers.compare(reference, answer, named.text)
            results[name][lang] = cell
            print(f"  {name} {lang}: " + ", ".join(f"{e} {describe(cell[e])}" for e in ENGINES), flush=True)
    return results


def measure(run, reps: int, timeout: float, alarm: bool) -> dict:
    timed = bench_run.repeat(run, reps, timeout, alarm)
    if "result" in timed:
        answer = timed.pop("result")
        timed.update(rows=len(answer.rows), answer=answer)
    return timed


def describe(result: dict) -> str:
    if "timeout" in result:
        return f"> {result['timeout']:g} s"
    if "error" in result:
        return "error"
    same = {True: "", False: " DIFFERS"}.get(result.get("same"), "")
    return f"{seconds(statistics.median(result['times']))} ({result['rows']} rows{same})"


# -- one graph --------------------------------------------------------------------------------------

def bench_graph(label: str, data: str | None, work: Path, reps: int, timeout: float, buffers: int) -> dict:
    import ftzgraph

    env = dict(os.environ, FTZGRAPH_CACHE=str(work / f"cache-{label}"))
    os.environ["FTZGRAPH_CACHE"] = env["FTZGRAPH_CACHE"]
    server = helpers.Virtuoso(work / f"virtuoso-{label}", graph=GRAPH_IRI, buffers=buffers)
    print(f"[{label}] starting Virtuoso", flush=True)
    server.start()
    try:
        print(f"[{label}] loading", flush=True)
        big = label != "real"
        loads, rdf = load_times(data, server, env, reps, 1 if big else reps)
        local = ftzgraph.open(data_dir=data)
        triples = len(local.store)
        graphs = {"local": local, "virtuoso": ftzgraph.open(endpoint=server.sparql_url, timeout=max(timeout, 60.0))}
        print(f"[{label}] {triples:,} triples; the catalogue", flush=True)
        queries = run_catalogue(graphs, rdf, reps, timeout)
    finally:
        server.stop()
        server.remove()
    return {"triples": triples, "load": loads, "queries": queries, "rdflib_load_reps": 1 if big else reps}


# -- the report -------------------------------------------------------------------------------------

def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def cell_time(result: dict) -> tuple[float | None, bool]:
    """The median, or the timeout as a lower bound (True)."""
    if "timeout" in result:
        return result["timeout"], True
    if "times" in result:
        return statistics.median(result["times"]), False
    return None, False


def totals(queries: dict, engine: str) -> tuple[float, bool, int, int, int]:
    """Sum of medians over every query and language; whether it is a lower bound; runs, timeouts, errors."""
    total, bound, runs, timeouts, errors = 0.0, False, 0, 0, 0
    for by_lang in queries.values():
        for cell in by_lang.values():
            value, lower = cell_time(cell[engine])
            runs += 1
            if value is None:
                errors += 1
                continue
            total += value
            bound |= lower
            timeouts += lower
    return total, bound, runs, timeouts, errors


def report(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Run {results['date']} with `python bench/engines.py --write` ({results['reps']} repetition{'s' if results['reps'] != 1 else ''} per query, fewer once "
        f"they add up to {bench_run.REPEAT_BUDGET:g} s; query timeout {results['timeout']:g} s). {m['cpu']}, **{m['cores']} cores shared with "
        "other engineers' jobs while this ran**, so single numbers can be off by tens of percent; "
        f"{m['ram_gb']} GB RAM; Virtuoso Open Source {results.get('virtuoso_version', '7.2')} "
        f"(NumberOfBuffers {results['buffers']:,}), pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}.",
        "",
        "Load: the local store is compiled with `ftzgraph build --force` and the graph pushed to Virtuoso with "
        "`ftzgraph push URL --graph IRI` (both as new processes, inferred triples included, so the start-up of the "
        "command counts); rdflib gets the compiled graph with `Graph.rdflib_graph()` in process. Catalogue: all "
        f"{results['query_count']} named queries in both languages ({results['query_count'] * 2} runs) with their default "
        "parameters (entity-search: text=海关) through `Graph.query` on the local store and on the Virtuoso endpoint "
        "(HTTP and JSON parsing included), and rdflib's `Graph.query` on the bound text; the sum of per-query medians. "
        "A timed-out query counts as the timeout (the total is then a lower bound, marked ≥); one that timed out in "
        "English was not run again in Chinese. *same rows*: answers equal to the local store's, compared as "
        "tests/test_engines.py compares them.",
        "",
        "| graph | triples | engine | load | catalogue | ÷ local | timeouts | same rows |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for label, graph in results["graphs"].items():
        queries = graph["queries"]
        base = totals(queries, "local")[0]
        base_load = statistics.median(graph["load"]["local"])
        for engine in ENGINES:
            total, bound, runs, timeouts, errors = totals(queries, engine)
            load = graph["load"][engine]
            load_cell = f"{seconds(statistics.median(load))}"
            if engine == "rdflib" and graph.get("rdflib_load_reps", 1) == 1 and results["reps"] > 1:
                load_cell += " (1 run)"
            if engine != "local":
                load_cell += f" ({statistics.median(load) / base_load:.1f}× build)"
            same = [cell[engine].get("same") for by_lang in queries.values() for cell in by_lang.values()]
            compared = [s for s in same if s is not None]
            same_cell = "—" if engine == "local" else f"{sum(compared)}/{len(compared)}" + (
                f" ({len(same) - len(compared)} not run to the end)" if len(compared) < len(same) else "")
            ratio = "1" if engine == "local" else f"{'≥ ' if bound else ''}{total / base:.1f}×"
            errors_note = f", {errors} errors" if errors else ""
            lines.append(f"| {label} | {graph['triples']:,} | {ENGINE_NAMES[engine]} | {load_cell} | "
                         f"{'≥ ' if bound else ''}{seconds(total)} | {ratio} | {timeouts}{errors_note} | {same_cell} |")
    labels = list(results["graphs"])
    lines += ["", "Per query (sum of the English and Chinese medians; > marks a timeout):", "",
              "| query | " + " | ".join(f"{label} {e}" for label in labels for e in ENGINES) + " |",
              "|---|" + "---:|" * (len(labels) * len(ENGINES))]
    names = sorted(next(iter(results["graphs"].values()))["queries"])
    for name in names:
        cells = []
        for label in labels:
            by_lang = results["graphs"][label]["queries"][name]
            for engine in ENGINES:
                values = [cell_time(by_lang[lang][engine]) for lang in LANGS]
                if any(v is None for v, _ in values):
                    cells.append("error")
                    continue
                total = sum(v for v, _ in values)
                lower = any(b for _, b in values)
                mark = "" if all(by_lang[lang][engine].get("same", True) for lang in LANGS) else " ≠"
                cells.append(f"{'> ' if lower else ''}{seconds(total)}{mark}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if results.get("note"):
        lines += ["", results["note"]]
    return "\n".join(lines)


def virtuoso_version() -> str:
    binary = helpers.virtuoso_binary()
    try:
        out = subprocess.run([binary, "-?"], capture_output=True, text=True, timeout=20)
        match = re.search(r"Version (\S+)", out.stdout + out.stderr)
        return match.group(1) if match else "7.2"
    except (OSError, subprocess.SubprocessError):
        return "7.2"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,1M", help="comma-separated: real and/or synthetic sizes of bench/run.py (10k, 100k, 1M)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions per query and per load (default 3)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a query is abandoned (default 30)")
    parser.add_argument("--buffers", type=int, default=100_000, help="Virtuoso NumberOfBuffers (8 kB pages; default 100000)")
    parser.add_argument("--work", type=Path, help="folder for the synthetic graphs, stores and Virtuoso (default: a temporary one, removed)")
    parser.add_argument("--write", action="store_true", help="write the table into the Engines section of bench/RESULTS.md")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--note", default="", help="a sentence added under the table")
    args = parser.parse_args()
    if helpers.virtuoso_binary() is None:
        sys.exit("virtuoso-t is not installed: apt-get install virtuoso-opensource")
    from ftzgraph import catalogue

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s != "real" and s not in bench_run.SIZES]
    if unknown:
        sys.exit(f"unknown size {unknown[0]!r}: choose real or {', '.join(bench_run.SIZES)}")
    work = args.work or Path(tempfile.mkdtemp(prefix="ftzbench-engines-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        results = {"date": time.strftime("%Y-%m-%d %H:%M"), "reps": args.reps, "timeout": args.timeout,
                   "buffers": args.buffers, "machine": bench_run.machine(), "virtuoso_version": virtuoso_version(),
                   "query_count": len(catalogue.catalogue()), "graphs": {}, "note": args.note}
        synthetic = [s for s in sizes if s != "real"]
        targets = bench_run.measures_for({s: bench_run.SIZES[s] for s in synthetic}, work) if synthetic else {}
        for size in sizes:
            if size == "real":
                label, data = "real", None
            else:
                from ftzgraph import synth

                label, data = f"synth-{size}", str(work / f"synth-{size}")
                done = work / f"synth-{size}.done"  # a graph of --work is made once
                if not done.exists() or done.read_text() != str(targets[size]):
                    synth.generate(targets[size], bench_run.SEED, Path(data))
                    done.write_text(str(targets[size]))
            results["graphs"][label] = bench_graph(label, data, work, args.reps, args.timeout, args.buffers)
            print(f"[{label}] done after {time.perf_counter() - started:.0f} s", flush=True)
        results["seconds"] = time.perf_counter() - started
        text = report(results)
        print(text)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
        if args.write:
            write_section("engines", text, "Engines")
            print(f"wrote the Engines section of {RESULTS}")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
