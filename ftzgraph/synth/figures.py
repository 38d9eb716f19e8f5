"""Figures: qb:Observations in the shape of the shipped ones (data/statistics-*.ttl), values invented.

First one per real observation, with its indicator, unit, area and period, so that whatever
indicator, area and year a named query finds in the shipped graph it finds here too; where
the shipped graph has two figures for one indicator, area and period, they disagree here too.
Then drawn ones, as many as the measures call for: a real figure's indicator and unit for
another area of its kind (a zone by rank, a sub-area, or the same area concept) in another
year; one in DISAGREEMENT_EVERY comes with a second, disagreeing figure.  Value and period
have evidence, as in the shipped graph; a disagreement's claims are its values' evidence.
"""

from __future__ import annotations

import random
from collections import defaultdict

from ftzgraph.synth.draws import cumulative_zipf, pick, scaled
from ftzgraph.synth.fixed import Places
from ftzgraph.synth.world import Figure, World
from ftzgraph.synth.writer import Output, TurtleFile, date, date_zh, en, zh

DISAGREEMENT_EVERY = 75  # drawn figures per disagreeing pair (the shipped graph: 5 disagreements, 375 figures)
DRAWS_PER_FIGURE = 5  # a drawn figure that repeats one already written is drawn again, so many times at most
Key = tuple[str, str, str, str, str | None]  # indicator, unit, area, period, period start


class FigureWriter:
    """Writes figures.ttl; write() gives how many figures and disagreements it wrote."""

    def __init__(self, out: Output, world: World, places: Places, rng: random.Random):
        self.out, self.world, self.places, self.rng = out, world, places, rng
        concepts = [c for found in world.concepts.values() for c in found]
        self.names = {e.iri: (e.label("zh"), e.label("en")) for e in (*concepts, *world.zones, *(s for z in world.zones for s in z.subareas))}
        self.zones = [ranked[0][0] for ranked in places.ranked]
        self.zone_cum = cumulative_zipf(len(self.zones))
        self.subareas = [[place for place, _name in ranked[1:]] for ranked in places.ranked if len(ranked) > 1]
        self.subarea_cum = cumulative_zipf(len(self.subareas))
        self.kind = {zone: "zone" for zone in self.zones} | {s: "subarea" for found in self.subareas for s in found}
        self.written: set[Key] = set()
        self.figures = self.disagreements = 0

    def write(self, measures: int) -> tuple[int, int]:
        made = self.out.new_file("figures")
        real: dict[Key, list[Figure]] = defaultdict(list)
        for figure in self.world.figures:
            real[(figure.indicator, figure.unit, figure.area, figure.period, figure.period_start)].append(figure)
        for key, figures in real.items():
            self._figures(made, key, [self._value(f) for f in figures])
        for index in range(scaled(len(self.world.figures), self.world.real.measures, measures)):
            for _ in range(DRAWS_PER_FIGURE):
                template = self.rng.choice(self.world.figures)
                key = self._moved(template)
                if key not in self.written:
                    value = self._value(template)
                    self._figures(made, key, [value, self._other(value)] if index % DISAGREEMENT_EVERY == 1 else [value])
                    break
        self.out.finish(made)
        return self.figures, self.disagreements

    def _moved(self, template: Figure) -> Key:
        """The template's indicator and unit for a drawn area of its kind, in a drawn year."""
        kind = self.kind.get(template.area)
        if kind == "zone":
            area = self.zones[pick(self.rng, self.zone_cum)]
        elif kind == "subarea":
            area = self.rng.choice(self.subareas[pick(self.rng, self.subarea_cum)])
        else:  # the programme or the nation
            area = template.area
        years = [y for y in self.world.years if y >= self.places.opened.get(area, 0)]
        shift = self.rng.choice(years) - int(template.period[:4])

        def shifted(period: str | None) -> str | None:
            return f"{int(period[:4]) + shift}{period[4:]}" if period else None

        return template.indicator, template.unit, area, shifted(template.period), shifted(template.period_start)

    def _value(self, template: Figure) -> str:
        """A value near the template's, as precise as it is (a share stays at most 100 %)."""
        places = len(template.value.partition(".")[2])
        value = float(template.value) * self.rng.lognormvariate(0, 0.3)
        if template.unit == "concept:unit-percent":
            value = min(value, 100.0)
        return f"{value:.{places}f}"

    def _other(self, value: str) -> str:
        """A disagreeing value: a few per cent off, and never the same as printed."""
        places = len(value.partition(".")[2])
        other = f"{float(value) * self.rng.uniform(1.02, 1.1):.{places}f}"
        return other if other != value else f"{float(value) + 10 ** -places:.{places}f}"

    def _figures(self, made: TurtleFile, key: Key, values: list[str]) -> None:
        """One observation per value; two or more for one key disagree, and say so."""
        indicator, unit, area, period, start = key
        self.written.add(key)
        (indicator_zh, indicator_en), (area_zh, area_en), (unit_zh, _unit_en) = (self.names[i] for i in (indicator, area, unit))
        period_zh = f"{date_zh(start)}至{date_zh(period)}" if start else date_zh(period)
        label = (f"{area_zh}{period_zh}{indicator_zh}（合成）", f"{indicator_en}, {area_en}, {f'{start} to ' if start else ''}{period} (synthetic)")
        claims = []
        for value in values:
            self.figures += 1
            iri = f"obs:syn-{self.figures:07d}"
            made.entity(iri, [
                ("a", ["qb:Observation"]), ("qb:dataSet", ["ftz:statistics"]), ("ftz:indicator", [indicator]),
                ("ftz:refArea", [area]), ("ftz:refPeriod", [date(period)]), ("ftz:periodStart", [date(start)] if start else []),
                ("ftz:value", [f'"{value}"^^xsd:decimal']), ("ftz:unit", [unit]), ("skos:prefLabel", [zh(label[0]), en(label[1])]),
            ])
            quote = f"{indicator_zh}：{value}{unit_zh}"
            line = made.line(f"{area_zh}{period_zh}{quote}")
            self.out.evidence(made, iri, "ftz:refPeriod", date(period), line, period_zh)
            if len(values) > 1:  # a claim cites its line
                claims.append(self.out.stated(made, iri, "ftz:value", f'"{value}"^^xsd:decimal', line, quote))
            else:
                self.out.evidence(made, iri, "ftz:value", f'"{value}"^^xsd:decimal', line, quote)
        if len(values) > 1:
            self.disagreements += 1
            made.entity(f"dis:syn-figure-{self.disagreements:06d}", [
                ("a", ["ftz:Disagreement"]),
                ("skos:prefLabel", [zh(f"{label[0]}不一致"), en(f"Conflicting figures: {label[1]}")]),
                ("ftz:about", [made.source] + ([area] if area in self.kind else [])), ("ftz:claim", claims),
                ("rdfs:comment", [en("Synthetic: lines of the source give different figures for one indicator, area and period.")]),
            ])
