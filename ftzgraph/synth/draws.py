"""The random draws of a synthetic graph, all from one seeded random.Random.

Ranked things (zones, lead bodies, articles) are drawn by a power law over their rank;
weighted things (fields, scopes, batches, agreements) by how often the real graph uses
them.  Cumulative weights are computed once, since the measure loop draws millions of times.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")
Named = tuple[str, str]  # (IRI, the name a source prints for it)

ZIPF_EXPONENT = 1.1  # of zones and bodies: a few pilot or lead most measures
ARTICLE_EXPONENT = 1.0  # of the articles of an agreement: a few draw most alignments
WHOLE_ZONE_SHARE = 0.4  # of pilot places: the zone itself rather than one of its sub-areas
WHOLE_AGREEMENT_SHARE = 0.1  # of alignments: the whole agreement rather than one article
# Figures, events and proposals drawn per measure, as a share of the shipped graph's proportion
# (375 figures, 54 events and 24 proposals to 611 measures): at the full proportion a measure
# would bring about 57 triples, not the 33 that the synth command and the benchmarks promise.
REAL_PROPORTION_SHARE = 0.05


def cumulative_zipf(n: int, exponent: float = ZIPF_EXPONENT) -> list[float]:
    """Cumulative power-law weights for ranks 1..n: rank r is drawn ∝ 1/r^exponent."""
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, n + 1)))


def pick(rng: random.Random, cum: list[float]) -> int:
    """An index drawn by the cumulative weights: rng.choices(range(n), cum_weights=cum)[0],
    the same draw without its overhead, which the measure loop pays a million times."""
    return bisect.bisect(cum, rng.random() * cum[-1], 0, len(cum) - 1)


def distinct(rng: random.Random, n: int, cum: list[float], k: int) -> list[int]:
    """k distinct indexes below n drawn by the cumulative weights, in draw order."""
    picked: list[int] = []
    k = min(k, n)
    while len(picked) < k:
        index = pick(rng, cum)
        if index not in picked:
            picked.append(index)
    return picked


def scaled(real: int, real_measures: int, measures: int) -> int:
    """How many of a thing the shipped graph has `real` of, for `measures` measures."""
    return round(measures * real / real_measures * REAL_PROPORTION_SHARE)


class Weighted:
    """Options with weights, drawn in proportion to them."""

    def __init__(self, options: Sequence[T], weights: Sequence[float]):
        self.options = list(options)
        self.cum = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random):
        if len(self.options) == 1:  # nothing to choose (e.g. zone innovations are in no batch)
            return self.options[0]
        return self.options[pick(rng, self.cum)]


class Draws:
    """The choices of the measure loop: places and bodies by rank, rules by agreement and article."""

    def __init__(self, rng: random.Random, places: list[list[Named]], leaders: list[Named],
                 agreements: Weighted, articles: dict[str, list[Named]]):
        self.rng = rng
        self.places, self.zone_cum = places, cumulative_zipf(len(places))
        self.leaders, self.body_cum = leaders, cumulative_zipf(len(leaders))
        self.agreements = agreements
        self.articles = articles
        self.article_cums = {iri: cumulative_zipf(len(found), ARTICLE_EXPONENT) for iri, found in articles.items()}

    def bodies(self, k: int) -> list[Named]:
        return [self.leaders[r] for r in distinct(self.rng, len(self.leaders), self.body_cum, k)]

    def zones(self, k: int) -> list[Named]:
        """k distinct zones by rank, each the zone itself or one of its sub-areas."""
        picked = []
        for rank in distinct(self.rng, len(self.places), self.zone_cum, k):
            zone, *subareas = self.places[rank]
            picked.append(zone if not subareas or self.rng.random() < WHOLE_ZONE_SHARE else self.rng.choice(subareas))
        return picked

    def targets(self, k: int) -> list[Named]:
        """Up to k distinct rules: mostly articles, sometimes a whole agreement."""
        picked: list[Named] = []
        for _ in range(k):
            agreement = self.agreements.draw(self.rng)
            articles = self.articles[agreement[0]]
            if self.rng.random() < WHOLE_AGREEMENT_SHARE or not articles:
                target = agreement
            else:
                target = articles[distinct(self.rng, len(articles), self.article_cums[agreement[0]], 1)[0]]
            if target not in picked:
                picked.append(target)
        return picked
