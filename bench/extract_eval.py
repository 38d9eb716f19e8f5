#!/usr/bin/env python3
"""How well and how fast `ftzgraph extract` reads a report: the leave-one-report-out evaluation
(ftzgraph/extract/evaluate.py says exactly how a match is counted) and the time to extract a
5,000-line report.

    python bench/extract_eval.py            # print the tables
    python bench/extract_eval.py --write    # and rewrite the Extraction section of bench/RESULTS.md
    python bench/extract_eval.py --unchecked  # rows to check by hand for data/evaluation/extract-checked.tsv

The 5,000-line text is report 002 followed by the first lines of report 003; the time covers
reading the graph's names (the gazetteer, from the warm store), finding mentions, relations
and table rows, and building the candidates (median of 5 runs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ftzgraph  # noqa: E402
from ftzgraph import paths  # noqa: E402
from ftzgraph.extract import evaluate as evaluation_module  # noqa: E402
from ftzgraph.extract import extract_text, source_info  # noqa: E402
from ftzgraph.extract.gazetteer import Gazetteer  # noqa: E402
from sections import write_section  # noqa: E402

LINES = 5000
RUNS = 5


def long_report() -> str:
    sources = paths.data_dir() / "sources"
    lines = []
    for name in sorted(sources.glob("00[23]_*.txt")):
        lines += name.read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[:LINES]) + "\n"


def time_extraction(graph) -> tuple[float, int, int]:
    text = long_report()
    source = source_info(Path("long-report.txt"), text)
    times, candidates = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        extraction = extract_text(text, Gazetteer.from_graph(graph), source)
        times.append(time.perf_counter() - start)
        candidates = len(extraction.candidates.statements)
    return statistics.median(times), len(text.split("\n")) - 1, candidates


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="Rewrite the Extraction section of bench/RESULTS.md.")
    parser.add_argument("--unchecked", action="store_true",
                        help="Only print the extras nobody has checked yet, as rows for data/evaluation/extract-checked.tsv.")
    args = parser.parse_args(argv)
    graph = ftzgraph.open()
    graph.build()
    evaluation = graph.extract(evaluate=True)
    if args.unchecked:
        print("\n".join(evaluation.unchecked_rows()))
        return 0
    seconds, lines, candidates = time_extraction(graph)
    speed = (f"A {lines:,}-line report (002 + the start of 003): {seconds:.2f} s to extract "
             f"({candidates} candidate statements; median of {RUNS} runs; target ≤ 2 s).")
    print(evaluation.markdown())
    print()
    print(speed)
    if args.write:
        counting = evaluation_module.__doc__.split("\n\n", 1)[1].strip()
        write_section("extract", f"`python bench/extract_eval.py --write` on {time.strftime('%Y-%m-%d')}: "
                      "leave one report out over the five reports (`ftzgraph extract --evaluate`), "
                      "summed over the reports.\n\n"
                      f"{evaluation.markdown()}\n\n{speed}\n\n{counting}", "Extraction")
    return 0


if __name__ == "__main__":
    sys.exit(main())
