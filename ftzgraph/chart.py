"""Charts of the figures: one indicator over time or across zones, as PNG or SVG.

Every observation is one bar, labelled with its value and coloured by the report it
comes from. Where a period (or a zone) has several figures, each is drawn and
labelled with its source: a recorded disagreement is shown, never settled. Figures
in different units get panels of their own, since values are never converted.
matplotlib is optional (``pip install 'ftzgraph[plot]'``) and imported only here.
"""

from __future__ import annotations

import functools
import subprocess
import textwrap
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ftzgraph import catalogue, vocab
from ftzgraph.errors import UsageError
from ftzgraph.vocab import iri_term, literal

SUFFIXES = (".png", ".svg")
BY = ("year", "zone")
_WORDS = {"en": ("Sources", "lines {}"), "zh": ("来源", "第{}行")}
# Identical bytes run after run: no date, no software version, fixed SVG ids.
_METADATA = {".png": {"Software": None}, ".svg": {"Date": None, "Creator": None}}
_CJK_SUFFIXES = (".ttc", ".otf", ".ttf")


@dataclass
class Bar:
    """One observation: its place on the x axis, its value as printed, its sources."""

    observation: str  # IRI
    slot: str  # the period (--by year) or the zone (--by zone) it is drawn at
    period: str
    value: str
    unit: str
    lines: dict[str, list[str]] = field(default_factory=dict)  # source file → line ranges

    @property
    def report(self) -> str:
        """The report id the source file is named after (000_….txt → 000)."""
        return next(iter(self.lines), "").split("_", 1)[0]


@dataclass
class Chart:
    """What a chart drew: the file and the observations (prefixed names), one bar each."""

    path: Path
    observations: list[str]


def chart(graph, indicator: str, output: Path | str, area: str | None = None, by: str = "year",
          year: int | None = None, lang: str = "en") -> Chart:
    """Draw ``indicator`` over time for ``area`` (``by="year"``, default: all the zones together)
    or across zones and sub-areas in ``year`` (``by="zone"``) into a .png or .svg file."""
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"write the chart to a .png or .svg file, not {path.name!r}")
    if by not in BY:
        raise UsageError(f"--by takes year or zone, not {by!r}")
    if by == "zone" and (year is None or area is not None):
        raise UsageError("--by zone draws every zone in one year: give --year YYYY and no --area")
    if by == "year" and year is not None:
        raise UsageError("--year goes with --by zone; --by year draws every period")
    indicator_iri = _indicator(graph, indicator)
    if by == "year":
        area_iri = _area(graph, catalogue.get("indicator-series").param("area").default if area is None else area)
        rows = graph.query("indicator-series", indicator=indicator_iri, area=area_iri, lang=lang).rows
        bars = _bars(rows, _period)
        title = f"{_label(graph, indicator_iri, lang)} — {_label(graph, area_iri, lang)}"
        missing = f"no observations of {vocab.compact(indicator_iri)} for {vocab.compact(area_iri)}"
    else:
        rows = graph.query("indicator-across-zones", indicator=indicator_iri, year=str(year), lang=lang).rows
        bars = _bars(rows, lambda row: row["areaLabel"].value if row["areaLabel"] else vocab.compact(row["area"].value))
        title = f"{_label(graph, indicator_iri, lang)} — {year}"
        missing = f"no zone or sub-area has an observation of {vocab.compact(indicator_iri)} in {year}"
    if not bars:
        raise UsageError(missing)
    _draw(bars, by, title, _label(graph, indicator_iri, lang), lang, path, suffix)
    return Chart(path, [vocab.compact(bar.observation) for bar in bars])


def _indicator(graph, name: str) -> str:
    iri = graph.resolve(name)
    if not graph.sparql(f"ASK {{ {iri_term(iri)} skos:inScheme concept:indicators }}").boolean:
        raise UsageError(f"{vocab.compact(iri)} is not an indicator; `ftzgraph query statistics` lists them")
    return iri


def _area(graph, name: str) -> str:
    """A zone's or sub-area's name before any other entity's, so that 上海 is the zone."""
    errors = []
    for cls in ("Zone", "SubArea", None):
        try:
            return graph.resolve(name, cls)
        except UsageError as exc:
            errors.append(exc)
    raise next((exc for exc in errors if "ambiguous" in str(exc)), errors[-1])


def _label(graph, iri: str, lang: str) -> str:
    rows = graph.sparql(f"SELECT ?l WHERE {{ {iri_term(iri)} skos:prefLabel ?l FILTER(LANG(?l) = {literal(lang)}) }}").rows
    return min((row["l"].value for row in rows), default=vocab.compact(iri))


def _period(row: dict) -> str:
    start = row["periodStart"]
    return f"{start.value}–{row['period'].value}" if start else row["period"].value


def _bars(rows: list[dict], slot_of) -> list[Bar]:
    """One bar per observation, in the rows' order, gathering its evidence's files and lines."""
    bars: dict[str, Bar] = {}
    for row in rows:
        iri = row["observation"].value
        if iri not in bars:
            unit = row["unitLabel"].value if row["unitLabel"] else ""
            bars[iri] = Bar(iri, slot_of(row), _period(row), row["value"].value, unit)
        if row["file"]:
            ranges = bars[iri].lines.setdefault(row["file"].value, [])
            if row["lines"].value not in ranges:
                ranges.append(row["lines"].value)
    return list(bars.values())


def _caption(bars: list[Bar], lang: str) -> str:
    heading, lines = _WORDS[lang]
    cited: dict[str, set[str]] = {}
    for bar in bars:
        for file, ranges in bar.lines.items():
            cited.setdefault(file, set()).update(ranges)
    parts = [f"{file} {lines.format(', '.join(sorted(ranges, key=_first_line)))}" for file, ranges in sorted(cited.items())]
    return f"{heading}: " + "; ".join(parts)


def _first_line(lines: str) -> int:
    return int(lines.split("-")[0])


def _bar_text(bar: Bar, crowded: bool, by: str) -> str:
    """The value; where the slot holds several figures (in any unit), also the source and, across
    zones, the period."""
    if not crowded:
        return bar.value
    source = f"{bar.report}: {', '.join(next(iter(bar.lines.values()), []))}"
    return "\n".join([bar.value, source] + ([bar.period] if by == "zone" else []))


@functools.cache
def _cjk_family() -> str | None:
    """A CJK font that fontconfig knows (Noto Sans CJK first), registered with matplotlib; else None."""
    from matplotlib import font_manager

    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted({line.split(":")[0].strip() for line in listing.splitlines()} - {""})
    files = [f for f in files if f.lower().endswith(_CJK_SUFFIXES)]
    if not files:
        return None
    best = min(files, key=lambda f: ("NotoSansCJK-Regular" not in f, "Sans" not in f, f))
    try:
        font_manager.fontManager.addfont(best)
        return font_manager.FontProperties(fname=best).get_name()
    except (OSError, RuntimeError, ValueError):
        return None


def _draw(bars: list[Bar], by: str, title: str, indicator: str, lang: str, path: Path, suffix: str) -> None:
    try:
        import matplotlib
    except ImportError as exc:
        raise UsageError("chart needs matplotlib: pip install 'ftzgraph[plot]'") from exc
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from ftzgraph import output

    units = list(dict.fromkeys(bar.unit for bar in bars))
    slots = list(dict.fromkeys(bar.slot for bar in bars))
    crowded = {slot for slot, count in Counter(bar.slot for bar in bars).items() if count > 1}
    reports = sorted({bar.report for bar in bars})
    colours = {report: f"C{i % 10}" for i, report in enumerate(reports)}
    slanted = by == "zone" or len(slots) > 8
    width = min(max(6.4, 0.9 * len(slots) + 2.5), 24)
    caption = "\n".join(textwrap.wrap(_caption(bars, lang), int(width * 16)))
    caption_inches = 0.16 * (caption.count("\n") + 1) + 0.15
    height = 2.8 * len(units) + 1.0 + caption_inches + (1.6 if slanted else 0.4)
    style = {"svg.hashsalt": "ftzgraph", "svg.fonttype": "none"}
    family = _cjk_family()
    if family:
        style["font.family"] = [family, "DejaVu Sans"]
    with warnings.catch_warnings(), matplotlib.rc_context(style):
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from")  # no CJK font: fall back quietly
        figure = Figure(figsize=(width, height))
        FigureCanvasAgg(figure)
        axes = figure.subplots(len(units), 1, sharex=True, squeeze=False)[:, 0]
        for ax, unit in zip(axes, units):
            _panel(ax, [bar for bar in bars if bar.unit == unit], slots, crowded, colours, by)
            ax.set_ylabel("\n".join(textwrap.wrap(f"{indicator} ({unit})" if unit else indicator, 36)), fontsize=9)
        axes[-1].set_xticks(range(len(slots)), slots, rotation=35 if slanted else 0,
                            ha="right" if slanted else "center", fontsize=8)
        if len(reports) > 1:
            axes[0].legend(handles=[Patch(color=colours[r], label=r) for r in reports], fontsize=7)
        figure.suptitle(title, fontsize=11)
        figure.text(0.01, 0.01, caption, fontsize=7, ha="left", va="bottom")
        figure.tight_layout(rect=(0, caption_inches / height, 1, 1))
        with output.atomic_path(path, suffix=suffix) as tmp:
            figure.savefig(tmp, format=suffix[1:], dpi=150, metadata=_METADATA[suffix])


def _panel(ax, bars: list[Bar], slots: list[str], crowded: set[str], colours: dict[str, str], by: str) -> None:
    """Side by side in each slot, one bar per figure, each with its value over it; the SVG ids
    (observation-…, label-…) name the observation each bar and label stands for."""
    for index, slot in enumerate(slots):
        group = [bar for bar in bars if bar.slot == slot]
        width = 0.8 / max(len(group), 1)
        for k, bar in enumerate(group):
            name = bar.observation.rsplit("/", 1)[-1]
            drawn = ax.bar(index - 0.4 + width * (k + 0.5), float(bar.value), width * 0.9,
                           color=colours[bar.report], gid=f"observation-{name}")
            (label,) = ax.bar_label(drawn, [_bar_text(bar, slot in crowded, by)], fontsize=7, padding=2)
            label.set_gid(f"label-{name}")
    ax.margins(y=0.2)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
