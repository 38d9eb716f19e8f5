"""Benchmark the HTML presenters: the gallery in Chromium, and synthetic graphs of 2,000 and 10,000 nodes.

    python bench/bench_render.py --gallery [--folder visualizations] [--runs 3]
    python bench/bench_render.py [--sizes 2000 10000] [--keep DIR]

--gallery opens every page of the committed gallery from file:// in headless Chromium at
1280×720 with the network blocked, at 1× and at 4× CPU throttling (the DevTools Protocol's
Emulation.setCPUThrottlingRate, through playwright), and reports the time to interactive
(navigation start to window.ftzReady: drawn, handlers live) and how many labels the page
drew at 12 px or more.  Targets: ≤ 0.5 s at 1×, ≤ 2 s at 4×, ≥ 20 legible labels.  It
prints a markdown table and writes it into bench/RESULTS.md between the markers
<!-- render:start --> and <!-- render:end --> (a section is added if they are missing).

Without --gallery:
For each size it builds an FTZ-shaped networkx graph in memory (zones, sub-areas,
bodies, documents, provisions and measures linked as in the real graph, seeded),
renders it with ftzgraph.render (render time), then opens the file in headless
Chromium from file:// and reports the first contentful paint and the moment the
page sets window.ftzReady (drawn, physics settled, handlers live).  It prints a
markdown table; the targets for 2,000 nodes are render <= 2 s and ready <= 3 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from sections import write_section

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import browser as chromium  # noqa: E402  (tests/browser.py: how every tool launches Chromium)

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
TARGETS = {"fast": 0.5, "throttled": 2.0, "labels": 20}
SEED = 7


def synthetic_graph(n: int, seed: int = SEED):
    """An FTZ-shaped directed graph with about n nodes; the same n and seed give the same graph."""
    import networkx as nx

    rng = random.Random(seed)
    g = nx.DiGraph()

    def add(kind: str, count: int, zh: str, en: str) -> list[str]:
        ids = [f"{kind}-{i:05d}" for i in range(count)]
        for i, node in enumerate(ids):
            g.add_node(node, zh=f"{zh}{i}", en=f"{en} {i}", **{"class": kind})
        return ids

    zones = add("PilotFreeTradeZone", 22, "自贸试验区", "Zone")
    subareas = add("SubArea", 3 * len(zones), "片区", "Sub-area")
    bodies = add("GovernmentBody", max(20, n // 40), "机构", "Body")
    documents = add("PolicyDocument", n // 15, "文件", "Document")
    provisions = add("Provision", n // 50, "条款", "Provision")
    measures = add("PilotMeasure", n - g.number_of_nodes(), "试点措施", "Measure")
    # Few bodies lead most measures and few zones pilot most, as in the real graph.
    body_weights = [1 / (i + 1) for i in range(len(bodies))]
    place_weights = [1 / (i + 1) ** 0.7 for i in range(len(zones) + len(subareas))]
    for i, sub in enumerate(subareas):
        g.add_edge(sub, zones[i // 3], relation="subAreaOf")
    for doc in documents:
        for body in set(rng.choices(bodies, body_weights, k=rng.randint(1, 2))):
            g.add_edge(doc, body, relation="issuedBy")
    for measure in measures:
        for place in set(rng.choices(zones + subareas, place_weights, k=rng.randint(1, 3))):
            g.add_edge(measure, place, relation="pilotedIn")
        g.add_edge(measure, rng.choice(bodies), relation="leadBody")
        g.add_edge(measure, rng.choice(documents), relation="listedIn")
        if rng.random() < 0.1:
            g.add_edge(measure, rng.choice(provisions), relation="alignsWith")
    return g


def render_file(g, path: Path) -> float:
    from ftzgraph.render import page, views

    started = time.perf_counter()
    view = views.from_networkx(g, {"zh": f"合成图（{g.number_of_nodes()} 个节点）", "en": f"Synthetic graph ({g.number_of_nodes()} nodes)"})
    path.write_text(page.to_html(view, "en"), encoding="utf-8")
    return time.perf_counter() - started


def open_in_chromium(browser, path: Path) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
    wall = time.perf_counter() - started
    timings = page.evaluate("""() => ({
        fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
        ready: window.ftzReadyAt })""")
    page.close()
    return {"wall": wall, "fcp": (timings["fcp"] or 0) / 1000, "ready": timings["ready"] / 1000}


def gallery_run(browser, path: Path, throttle: float) -> tuple[float, int]:
    """Seconds from navigation start to interactive, and labels drawn at ≥ 12 px, at 1280×720."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    if throttle != 1:
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
    ready = page.evaluate("window.ftzReadyAt") / 1000
    legible = page.evaluate("window.ftzLabels.filter(label => label.px >= 12).length")
    page.close()
    return ready, legible


def gallery_table(folder: Path, runs: int) -> str:
    from statistics import median

    from playwright.sync_api import sync_playwright

    from ftzgraph.render import gallery

    lines = ["| view | nodes | interactive, 1× | interactive, 4× CPU | labels ≥ 12 px | met |", "|---|---:|---:|---:|---:|---|"]
    with sync_playwright() as p:
        browser = chromium.launch(p)
        for filename, *_ in gallery.GALLERY:
            path = folder / filename
            fast = median(gallery_run(browser, path, 1)[0] for _ in range(runs))
            slow_runs = [gallery_run(browser, path, 4) for _ in range(runs)]
            slow = median(r[0] for r in slow_runs)
            legible = min(r[1] for r in slow_runs)
            nodes = path.read_text(encoding="utf-8").count('"member_of"')  # members of groups
            total = len(re.findall(r'"importance":', path.read_text(encoding="utf-8")))
            met = fast <= TARGETS["fast"] and slow <= TARGETS["throttled"] and legible >= TARGETS["labels"]
            lines.append(f"| {filename} | {total - nodes} shown of {total} | {fast:.2f} s | {slow:.2f} s | {legible} | {'yes' if met else 'no'} |")
            print(lines[-1], flush=True)
        browser.close()
    return "\n".join(lines)


def write_results(table: str) -> None:
    machine = f"{os.cpu_count()} cores, Chromium headless, 1280×720, {platform.platform()}"
    write_section("render", f"`python bench/bench_render.py --gallery` on {machine}; medians of the runs, "
                  f"labels the fewest seen at 4×. Targets: interactive ≤ {TARGETS['fast']} s at 1× and ≤ {TARGETS['throttled']} s "
                  f"at 4× CPU throttling, ≥ {TARGETS['labels']} labels at 12 px or more.\n\n{table}\n",
                  "Gallery views in Chromium")


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gallery", action="store_true", help="Benchmark the gallery pages and update bench/RESULTS.md.")
    parser.add_argument("--folder", type=Path, default=HERE.parent / "visualizations", help="The gallery folder (with --gallery).")
    parser.add_argument("--runs", type=int, default=3, help="Runs per page and throttling rate (with --gallery).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--keep", type=Path, help="Keep the rendered pages in this folder.")
    args = parser.parse_args()
    if args.gallery:
        table = gallery_table(args.folder, args.runs)
        write_results(table)
        print(table)
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ftzgraph-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as p:
        browser = chromium.launch(p)
        for n in args.sizes:
            g = synthetic_graph(n)
            path = folder / f"synthetic-{n}.html"
            seconds = render_file(g, path)
            browser_times = open_in_chromium(browser, path)
            rows.append((n, g.number_of_edges(), path.stat().st_size, seconds, browser_times))
        browser.close()
    print("| nodes | edges | HTML size | render | first paint | drawn & interactive | load → ready (wall) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, m, size, seconds, t in rows:
        print(f"| {n:,} | {m:,} | {size / 1e6:.1f} MB | {seconds:.2f} s | {t['fcp']:.2f} s | {t['ready']:.2f} s | {t['wall']:.2f} s |")


if __name__ == "__main__":
    main()
