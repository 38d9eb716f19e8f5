"""Proposals in the shape of those of data/alignments-stated.ttl: reforms a source recommends,
each proposed in the synthetic source and aligned with one or two rules, with evidence."""

from __future__ import annotations

import random

from ftzgraph.synth.draws import Draws, scaled
from ftzgraph.synth.measures import ACTIONS, TOPICS
from ftzgraph.synth.world import World
from ftzgraph.synth.writer import Output, en, zh


def write_proposals(out: Output, world: World, draws: Draws, rng: random.Random, measures: int) -> int:
    """Writes proposals.ttl; how many proposals it holds (at least one)."""
    made = out.new_file("proposals")
    topics = [topic for found in TOPICS.values() for topic in found]
    count = max(1, scaled(world.real.proposals, world.real.measures, measures))
    for index in range(1, count + 1):
        (topic_zh, topic_en), (action_zh, action_en) = rng.choice(topics), rng.choice(ACTIONS)
        iri = f"measure:syn-proposal-{index:06d}"
        label_zh = f"建议在自由贸易试验区开展{topic_zh}{action_zh}（合成建议第{index:06d}号）"
        targets = draws.targets(rng.randint(1, 2))
        line = made.line(f"{label_zh}｜对接：{'、'.join(name for _t, name in targets)}")
        made.entity(iri, [
            ("a", ["ftz:Proposal"]),
            ("skos:prefLabel", [zh(label_zh), en(f"Proposed {action_en} in {topic_en} for the pilot free trade zones (synthetic proposal no. {index:06d})")]),
            ("ftz:labelBasis", [en("translated")]),
            ("ftz:proposedIn", [made.source]),
            ("ftz:alignsWith", [target for target, _name in targets]),
        ])
        out.evidence(made, iri, "ftz:proposedIn", made.source, line, label_zh)
        for target, name in targets:
            out.evidence(made, iri, "ftz:alignsWith", target, line, name)
    out.finish(made)
    return count
