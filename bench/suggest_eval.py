#!/usr/bin/env python3
"""How well `ftzgraph.suggest` finds the article a measure answers: leave-one-out over the
article-level CPTPP alignments of the graph.

For every measure or document aligned with a CPTPP article (or with a paragraph of one, counted
as its article), rank the articles for it with its own alignments left out of every signal
derived from alignments, and compare with the articles it is aligned with.

    python bench/suggest_eval.py            # table and summary
    python bench/suggest_eval.py --json     # the numbers as JSON

precision@1: the share of subjects whose first suggestion is one of their articles.
recall@3:    per subject, the share of its articles among the first three suggestions, averaged.
hit@3:       the share of subjects with at least one of their articles among the first three.
Reported for all subjects and for the 30 pilot measures of 国函〔2024〕156号
(measure:gh2024-156-01 … -30) that have an article-level alignment.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ftzgraph  # noqa: E402
from ftzgraph import vocab  # noqa: E402
from ftzgraph.suggest import suggest  # noqa: E402
from sections import write_section  # noqa: E402

PILOT = vocab.PREFIXES["measure"] + "gh2024-156-"


def gold(graph, agreement_iri: str) -> dict[str, set[str]]:
    """Subject IRI -> the CPTPP article IRIs it is aligned with (directly or through a paragraph)."""
    rows = graph.sparql(f"""
        SELECT DISTINCT ?s ?article WHERE {{
          ?s ftz:alignsWith ?p . ?p ftz:within ?article .
          ?article ftz:provisionKind "article" ; ftz:within <{agreement_iri}> .
        }}""").rows
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row["s"].value, set()).add(row["article"].value)
    return out


def evaluate(graph, agreement: str = "CPTPP", top: int = 3) -> dict:
    agreement_iri = graph.resolve(agreement, "Agreement")
    truth = gold(graph, agreement_iri)
    rows = []
    for subject in sorted(truth):
        articles = truth[subject]
        ranked = [vocab.expand(r["article"]) or r["article"] for r in
                  suggest(graph, subject, agreement, top=max(top, 10), exclude={subject})]
        rank = next((i + 1 for i, a in enumerate(ranked) if a in articles), None)
        rows.append({
            "subject": vocab.compact(subject),
            "gold": sorted(vocab.compact(a) for a in articles),
            "top3": [vocab.compact(a) for a in ranked[:3]],
            "rank": rank,
            "p@1": 1.0 if ranked[:1] and ranked[0] in articles else 0.0,
            "r@3": len(articles & set(ranked[:3])) / len(articles),
            "hit@3": 1.0 if articles & set(ranked[:3]) else 0.0,
        })

    def summary(subset):
        n = len(subset)
        return {"n": n,
                "precision@1": round(sum(r["p@1"] for r in subset) / n, 3) if n else None,
                "recall@3": round(sum(r["r@3"] for r in subset) / n, 3) if n else None,
                "hit@3": round(sum(r["hit@3"] for r in subset) / n, 3) if n else None}

    pilot = [r for r in rows if (vocab.expand(r["subject"]) or "").startswith(PILOT)]
    return {"rows": rows, "all": summary(rows), "pilot_measures": summary(pilot)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--agreement", default="CPTPP")
    parser.add_argument("--write", action="store_true", help="put the summary into bench/RESULTS.md")
    args = parser.parse_args(argv)
    graph = ftzgraph.open()
    started = time.perf_counter()
    result = evaluate(graph, args.agreement)
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps({**result, "seconds": round(seconds, 2)}, ensure_ascii=False, indent=1))
        return 0
    print(f"{'subject':58} {'rank':>4}  gold / top 3")
    for r in result["rows"]:
        print(f"{r['subject']:58} {r['rank'] or '-':>4}  {', '.join(r['gold'])} / {', '.join(r['top3'])}")
    for name in ("all", "pilot_measures"):
        s = result[name]
        print(f"{name:15} n={s['n']:3}  precision@1={s['precision@1']}  recall@3={s['recall@3']}  hit@3={s['hit@3']}")
    print(f"({seconds:.1f} s)")
    if args.write:
        lines = ["| subjects | n | precision@1 | recall@3 | hit@3 |", "|---|---:|---:|---:|---:|"]
        for name, caption in (("all", "every measure or document with an article-level alignment"),
                              ("pilot_measures", "the pilot measures of 国函〔2024〕156号 among them")):
            s = result[name]
            lines.append(f"| {caption} | {s['n']} | {s['precision@1']} | {s['recall@3']} | {s['hit@3']} |")
        write_section("suggest", f"`python bench/suggest_eval.py --write` on {time.strftime('%Y-%m-%d')}: "
                      f"leave-one-out over the {args.agreement} article-level alignments (a subject's own alignments "
                      f"never feed its ranking); {seconds:.1f} s for all.\n\n" + "\n".join(lines) + "\n",
                      "Suggest: ranking treaty articles for a measure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
