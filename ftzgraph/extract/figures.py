"""Figures a report states: a number with its unit, the period and the place of its sentence.

They are proposed as the parts of a qb:Observation (docs/data.md, "Figures"): the value as
printed, the unit as one of the graph's unit concepts where one fits, the reference period from
the nearest date before it in the sentence, and the area from the nearest zone or sub-area.
The indicator is left to the reviewer: the text around a number rarely names it unambiguously.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ftzgraph import vocab
from ftzgraph.extract.mentions import PARAGRAPH, Document, Mention

UNITS = {"万亿元": "unit-wan-yi-yuan", "亿元": "unit-yi-yuan", "亿美元": "unit-yi-usd", "%": "unit-percent",
         "平方公里": "unit-km2", "项": "unit-item", "家": "unit-enterprise", "万标箱": "unit-wan-teu",
         "个百分点": "unit-003-percentage-point", "万元": "unit-003-wan-yuan"}  # not 个: 10个月 is a duration
_FIGURE = re.compile(r"(?<![\d.])(?P<value>\d+(?:\.\d+)?)(?P<unit>万亿元|亿元|万元|亿美元|万美元|%|个百分点|家|项|个|万人|平方公里|万吨|万标箱|倍)")
_SENTENCE_END = re.compile(rf"[。；！？{PARAGRAPH}]")


@dataclass
class Figure:
    value: str
    unit: str  # as printed
    line: int
    start: int
    end: int
    period: Mention | None
    area: Mention | None

    @property
    def unit_iri(self) -> str | None:
        name = UNITS.get(self.unit)
        return vocab.PREFIXES["concept"] + name if name else None


def find_figures(document: Document, mentions: list[Mention]) -> list[Figure]:
    text = document.squashed
    dates = [m for m in mentions if m.kind == "date"]
    places = [m for m in mentions if m.kind in ("zone", "subarea")]
    figures = []
    for match in _FIGURE.finditer(text):
        if any(d.start <= match.start() < d.end for d in dates):
            continue  # 2024年 is a period, not a figure
        sentence = max((m.end() for m in _SENTENCE_END.finditer(text, 0, match.start())), default=0)
        period = next((d for d in reversed(dates) if sentence <= d.start < match.start()), None)
        area = next((p for p in reversed(places) if sentence <= p.start < match.start()), None)
        figures.append(Figure(match.group("value"), match.group("unit"), document.line_of[match.start()],
                              match.start(), match.end(), period, area))
    return figures
