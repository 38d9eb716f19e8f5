"""ftzgraph chart: an indicator drawn over time or across zones, one bar per observation,
each labelled with its value, every source cited, disagreements drawn rather than settled."""

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from PIL import Image

from conftest import missing_real_part
from ftzgraph import vocab
from ftzgraph.cli import cli
from ftzgraph.errors import UsageError

SVG = "{http://www.w3.org/2000/svg}"


def svg_groups(path) -> dict[str, str]:
    """Each SVG group with an id, as the text it holds (lines joined by newlines)."""
    root = ET.parse(path).getroot()
    return {g.get("id"): "\n".join(t.strip() for t in g.itertext() if t.strip()) for g in root.iter(SVG + "g") if g.get("id")}


def svg_text(path) -> str:
    root = ET.parse(path).getroot()
    return "\n".join("".join(t.itertext()) for t in root.iter(SVG + "text"))


def local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def observations(graph, indicator: str, area: str | None = None, year: int | None = None) -> dict[str, str]:
    """observation local name → value as printed, straight from the data."""
    where = f"ftz:refArea <{area}> ;" if area else "ftz:refArea ?area ;"
    zones = "" if area else "?area a ?kind VALUES ?kind { ftz:Zone ftz:SubArea }"
    rows = graph.sparql(f"""SELECT ?o ?v ?p WHERE {{ ?o a qb:Observation ; ftz:indicator <{indicator}> ; {where}
                            ftz:refPeriod ?p ; ftz:value ?v . {zones} }}""").rows
    return {local(r["o"].value): r["v"].value for r in rows if year is None or r["p"].value[:4] == str(year)}


def label(graph, iri: str, lang: str) -> str:
    rows = graph.sparql(f"SELECT ?l WHERE {{ <{iri}> skos:prefLabel ?l FILTER(LANG(?l) = '{lang}') }}").rows
    assert len(rows) == 1, iri
    return rows[0]["l"].value


IMPORT_EXPORT = vocab.expand("concept:indicator-import-export")
ALL_FTZ = vocab.expand("concept:area-all-ftz")


def test_a_series_is_one_bar_per_observation_with_its_value_and_sources(graph, tmp_path):
    expected = observations(graph, IMPORT_EXPORT, ALL_FTZ)
    assert len(expected) >= 2
    drawn = graph.chart("concept:indicator-import-export", tmp_path / "trade.svg")
    assert sorted(drawn.observations) == sorted(f"obs:{name}" for name in expected)
    groups = svg_groups(tmp_path / "trade.svg")
    assert {g for g in groups if g.startswith("observation-")} == {f"observation-{name}" for name in expected}
    for name, value in expected.items():
        assert groups[f"label-{name}"].split("\n")[0] == value
    files = graph.sparql(f"""SELECT DISTINCT ?file WHERE {{ ?o ftz:indicator <{IMPORT_EXPORT}> ; ftz:refArea <{ALL_FTZ}> .
        ?e rdf:subject ?o ; rdf:predicate ftz:value ; ftz:source/ftz:sourceFile ?file }}""").rows
    text = svg_text(tmp_path / "trade.svg")
    assert files and all(r["file"].value in text for r in files)
    assert label(graph, IMPORT_EXPORT, "en") in text


def test_two_figures_for_one_period_are_both_drawn_and_labelled_by_source(graph, tmp_path):
    rows = graph.sparql("""SELECT ?indicator ?area ?a ?va ?b ?vb WHERE {
        ?a a qb:Observation ; ftz:indicator ?indicator ; ftz:refArea ?area ; ftz:refPeriod ?p ; ftz:value ?va .
        ?b a qb:Observation ; ftz:indicator ?indicator ; ftz:refArea ?area ; ftz:refPeriod ?p ; ftz:value ?vb .
        OPTIONAL { ?a ftz:periodStart ?sa } OPTIONAL { ?b ftz:periodStart ?sb }
        FILTER(?va != ?vb && STR(?a) < STR(?b) && COALESCE(STR(?sa), "") = COALESCE(STR(?sb), ""))
      } ORDER BY ?indicator ?area ?a ?b LIMIT 1""").rows
    assert rows, "the data records at least one pair of differing figures"
    row = rows[0]
    graph.chart(row["indicator"].value, tmp_path / "both.svg", area=row["area"].value)
    groups = svg_groups(tmp_path / "both.svg")
    for observation, value in ((row["a"], row["va"]), (row["b"], row["vb"])):
        assert f"observation-{local(observation.value)}" in groups
        shown = groups[f"label-{local(observation.value)}"].split("\n")
        report = graph.sparql(f"""SELECT ?file WHERE {{ ?e rdf:subject <{observation.value}> ; rdf:predicate ftz:value ;
                                  ftz:source/ftz:sourceFile ?file }}""").rows[0]["file"].value.split("_")[0]
        assert shown[0] == value.value and shown[1].startswith(f"{report}: ")


def test_chinese_labels_are_the_svg_text(graph, tmp_path):
    graph.chart("进出口总额", tmp_path / "zh.svg", lang="zh")
    text = svg_text(tmp_path / "zh.svg")
    unit = graph.sparql(f"SELECT DISTINCT ?u WHERE {{ ?o ftz:indicator <{IMPORT_EXPORT}> ; ftz:refArea <{ALL_FTZ}> ; ftz:unit ?u }}").rows
    for iri in [IMPORT_EXPORT, ALL_FTZ] + [r["u"].value for r in unit]:
        assert label(graph, iri, "zh") in text
    assert "来源" in text and "Sources" not in text


def test_the_svg_names_a_cjk_font_where_fontconfig_has_one(graph, tmp_path):
    listing = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout \
        if shutil.which("fc-list") else ""
    if not listing.strip():
        missing_real_part("no CJK font (fonts-noto-cjk)")
    graph.chart("进出口总额", tmp_path / "zh.svg", lang="zh")
    assert "CJK" in (tmp_path / "zh.svg").read_text(encoding="utf-8")


def test_across_zones_one_bar_per_zone_figure_of_that_year(graph, tmp_path):
    best = graph.sparql("""SELECT ?indicator ?year (COUNT(DISTINCT ?area) AS ?n) WHERE {
        ?o a qb:Observation ; ftz:indicator ?indicator ; ftz:refArea ?area ; ftz:refPeriod ?p .
        ?area a ?kind VALUES ?kind { ftz:Zone ftz:SubArea } BIND(SUBSTR(STR(?p), 1, 4) AS ?year)
      } GROUP BY ?indicator ?year ORDER BY DESC(?n) ?indicator LIMIT 1""").rows[0]
    indicator, year = best["indicator"].value, int(best["year"].value)
    expected = observations(graph, indicator, year=year)
    assert len(expected) >= 3
    drawn = graph.chart(indicator, tmp_path / "zones.svg", by="zone", year=year)
    assert sorted(drawn.observations) == sorted(f"obs:{name}" for name in expected)
    groups = svg_groups(tmp_path / "zones.svg")
    assert {g for g in groups if g.startswith("observation-")} == {f"observation-{name}" for name in expected}


def test_the_command_writes_a_png(tmp_path):
    png = tmp_path / "share.png"
    result = CliRunner().invoke(cli, ["chart", "concept:indicator-import-export-share", "--lang", "zh", "-o", str(png)])
    assert result.exit_code == 0, result.output
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width > 400 and image.height > 300
        image.verify()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["share.png"]


def test_svg_is_the_same_bytes_every_run(graph, tmp_path):
    graph.chart("concept:indicator-import-export-share", tmp_path / "one.svg")
    graph.chart("concept:indicator-import-export-share", tmp_path / "two.svg")
    assert (tmp_path / "one.svg").read_bytes() == (tmp_path / "two.svg").read_bytes()


def an_area_without(graph, indicator: str) -> str:
    rows = graph.sparql(f"""SELECT ?z WHERE {{ ?z a ftz:PilotFreeTradeZone
        FILTER NOT EXISTS {{ ?o ftz:indicator <{indicator}> ; ftz:refArea ?z }} }} ORDER BY ?z LIMIT 1""").rows
    return vocab.compact(rows[0]["z"].value)


@pytest.mark.parametrize("case", ["suffix", "unknown", "not-an-indicator", "no-observations", "no-directory",
                                  "zone-without-year", "year-by-year"])
def test_errors_are_one_line_and_write_nothing(graph, tmp_path, case):
    target = tmp_path / ("chart.pdf" if case == "suffix" else "chart.png")
    target.write_bytes(b"the old file")
    args = {
        "suffix": ["concept:indicator-import-export"],
        "unknown": ["no-such-indicator-anywhere"],
        "not-an-indicator": ["zone:shanghai"],
        "no-observations": ["concept:indicator-import-export", "--area", an_area_without(graph, IMPORT_EXPORT)],
        "no-directory": ["concept:indicator-import-export"],
        "zone-without-year": ["concept:indicator-import-export", "--by", "zone"],
        "year-by-year": ["concept:indicator-import-export", "--year", "2024"],
    }[case]
    output = tmp_path / "missing" / "chart.png" if case == "no-directory" else target
    result = subprocess.run([sys.executable, "-m", "ftzgraph.cli", "chart", *args, "-o", str(output)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert target.read_bytes() == b"the old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_without_matplotlib_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now raises ImportError
    result = CliRunner().invoke(cli, ["chart", "concept:indicator-import-export", "-o", str(tmp_path / "c.png")])
    assert result.exit_code != 0
    assert "chart needs matplotlib: pip install 'ftzgraph[plot]'" in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_api_refuses_an_unknown_by(graph, tmp_path):
    with pytest.raises(UsageError, match="--by takes year or zone"):
        graph.chart("concept:indicator-import-export", tmp_path / "c.svg", by="month")
