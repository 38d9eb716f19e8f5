"""The HTML presenters: self-contained pages, escaping, determinism, the gallery, and a real browser."""

import io
import json
import math
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from browser import CHROMIUM, launch
from conftest import ROOT, missing_real_part
from ftzgraph.render import gallery, layout, page, views
from ftzgraph.cli import cli
from ftzgraph.errors import UsageError

GALLERY = ROOT / "visualizations"
GALLERY_PAGES = [name for name, *_ in gallery.GALLERY]

# Labels that would run script if they ever reached the page as HTML.
EVIL = {
    "zh": '"><img src=x onerror="window.pwned=1">',
    "en": "<script>window.pwned=2</script>",
    "definition": "</script><script>window.pwned=3</script><!--",
    "quote": "<img src=x onerror=window.pwned=4>&amp;",
}
EVIL_TTL = f"""
@prefix ftz: <https://w3id.org/ftzgraph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix zone: <https://w3id.org/ftzgraph/id/zone/> .
@prefix measure: <https://w3id.org/ftzgraph/id/measure/> .
@prefix ev: <https://w3id.org/ftzgraph/id/evidence/> .

zone:evil a ftz:PilotFreeTradeZone ; skos:prefLabel {json.dumps(EVIL["zh"])}@zh , {json.dumps(EVIL["en"])}@en .
measure:evil a ftz:PilotMeasure ; skos:prefLabel "Evil measure"@en ;
    skos:definition {json.dumps(EVIL["definition"])}@en ;
    ftz:pilotedIn zone:evil .
ev:evil a ftz:Evidence ; rdf:subject measure:evil ; rdf:predicate ftz:pilotedIn ; rdf:object zone:evil ;
    ftz:basis "curated" ; ftz:authority {json.dumps(EVIL["quote"])} ; ftz:quote {json.dumps(EVIL["quote"])} .
"""
EVIL_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ftz:pilotedIn ?o BIND(ftz:pilotedIn AS ?p) }"


@pytest.fixture(scope="module")
def trace_html(graph):
    return graph.render("trace", "provision:cptpp-5.3", lang="zh")


@pytest.fixture(scope="module")
def evil_page(tmp_path_factory):
    """A page drawn by `ftzgraph --data DIR render --query` from a graph with hostile labels."""
    folder = tmp_path_factory.mktemp("evil")
    (folder / "data").mkdir()
    (folder / "data" / "evil.ttl").write_text(EVIL_TTL, encoding="utf-8")
    (folder / "evil.rq").write_text(EVIL_QUERY, encoding="utf-8")
    page = folder / "evil.html"
    result = CliRunner().invoke(cli, ["--data", str(folder / "data"), "render", "--query", str(folder / "evil.rq"),
                                      "-o", str(page), "--lang", "en"])
    assert result.exit_code == 0, result.output
    return page


def embedded(page_html: str, part: str):
    match = re.search(rf'<script type="application/json" id="ftz-{part}">(.*?)</script>', page_html, re.DOTALL)
    return json.loads(match.group(1))


def embedded_data(page_html: str) -> dict:
    """What the page's script reads: pyvis's nodes and edges, and the page's own information."""
    return {**embedded(page_html, "page"), "nodes": embedded(page_html, "nodes"), "edges": embedded(page_html, "edges"),
            "options": embedded(page_html, "options")}


# -- the HTML --------------------------------------------------------------------------------------

def test_page_is_self_contained(trace_html):
    assert not re.search(r"<script[^>]+src=|<link\b|@import", trace_html, re.IGNORECASE)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", trace_html, re.IGNORECASE)
    assert "default-src 'none'" in trace_html  # the page may not fetch anything, even by mistake
    assert "vis.Network" in trace_html and ".vis-network" in trace_html  # vis-network's JS and CSS, inlined
    assert 'content="ftzgraph render (pyvis)"' in trace_html  # written by pyvis through our template


def test_the_network_is_built_with_pyvis(graph):
    from pyvis.network import Network

    net, info = page.network(views.build_view(graph, "zone", "zone:tianjin"), "en", graph)
    assert isinstance(net, Network)
    assert {n["id"] for n in net.nodes} >= {"zone:tianjin", "subarea:tianjin-airport"}
    assert all(n["group"] in net.options["groups"] for n in net.nodes)  # one vis-network group per class
    assert net.options["physics"] == {"enabled": False}  # every position is precomputed
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in net.nodes)
    assert info["relations"]["ftz:subAreaOf"]["color"] != info["relations"]["ftz:pilotedIn"]["color"]


def test_script_json_cannot_close_the_script_element():
    text = page.script_json({"label": "</script><!--<b>&"})
    assert not set("<>&") & set(text)
    assert json.loads(text) == {"label": "</script><!--<b>&"}


def test_hostile_labels_are_escaped_in_the_page(evil_page):
    page_html = evil_page.read_text(encoding="utf-8")
    for value in EVIL.values():
        assert value not in page_html
    data = embedded_data(page_html)
    node = next(n for n in data["nodes"] if n["id"] == "zone:evil")
    assert (node["zh"], node["en"]) == (EVIL["zh"], EVIL["en"])
    assert data["edges"][0]["evidence"][0]["quote"] == EVIL["quote"]


def test_hostile_title_is_escaped():
    page_html = page.to_html(views.View(title={"zh": EVIL["zh"], "en": EVIL["en"]}), "en")
    assert EVIL["en"] not in page_html
    assert page_html.count("&lt;script&gt;window.pwned=2&lt;/script&gt;") == 3  # <title>, <h1> and its data-en


def test_same_data_gives_identical_bytes(graph, trace_html):
    assert graph.render("trace", "provision:cptpp-5.3", lang="zh") == trace_html


def test_page_carries_labels_classes_and_evidence(trace_html):
    data = embedded_data(trace_html)
    root = next(n for n in data["nodes"] if n["id"] == data["focus"])
    assert root["id"] == "provision:cptpp-5.3" and root["group"] == "Provision"
    assert root["zh"] and root["en"]
    assert {c["id"] for c in data["classes"]} >= {"Provision", "PolicyDocument", "PilotFreeTradeZone"}
    assert all(c["zh"] and c["en"] and c["color"] and c["shape"] for c in data["classes"])
    assert {k: data["relations"]["ftz:alignsWith"][k] for k in ("zh", "en")} == {"zh": "对接", "en": "aligns with"}
    quoted = [ev for e in data["edges"] for ev in e.get("evidence", []) if ev.get("quote")]
    assert quoted and all(ev["file"] and ev["lines"] for ev in quoted)
    assert data["layout"] == "radial" and all("x" in n and "y" in n for n in data["nodes"])
    # Sources by title, publisher and year; the cited lines with the quote among them.
    source = data["sources"][quoted[0]["file"]]
    assert source["title"]["zh"] and source["title"]["en"] and source["year"]
    excerpt = data["excerpts"][f"{quoted[0]['file']}:{quoted[0]['lines']}"]
    assert len(excerpt["lines"]) > 1 and any(quoted[0]["quote"][:10] in line for line in excerpt["lines"])
    assert data["about"]["version"] and data["about"]["date"] and data["description"]["zh"] and data["description"]["en"]


def test_short_labels_and_aliases(graph):
    data = embedded_data(graph.render("overview", lang="zh"))
    shanghai = next(n for n in data["nodes"] if n["id"] == "zone:shanghai")
    assert shanghai["short"] == {"zh": "上海自贸区", "en": "Shanghai FTZ"}
    assert shanghai["label"] == "上海自贸区"  # pyvis's label, in the page's language
    assert ["上海自贸试验区", "zh"] in shanghai["aliases"]


def test_measures_are_grouped_and_every_link_drawn_once(graph):
    data = embedded_data(graph.render("zone", "zone:shanghai"))
    groups = [n for n in data["nodes"] if n.get("members")]
    assert groups and all(len(g["members"]) >= page.GROUP_MIN for g in groups)
    assert any(g["en"].startswith("30 pilot measures") or g["zh"].endswith("项试点措施") for g in groups)
    members = {m: g["id"] for g in groups for m in g["members"]}
    by_id = {n["id"]: n for n in data["nodes"]}
    assert all(by_id[m]["member_of"] == g for m, g in members.items())
    # With every group closed, each original link shows as exactly one drawn link.
    closed = {(members.get(e["from"], e["from"]), e["rel"], members.get(e["to"], e["to"])) for e in data["edges"] if not e.get("group_edge")}
    drawn = {(e["from"], e["rel"], e["to"]) for e in data["edges"]
             if e["from"] not in members and e["to"] not in members}
    assert closed <= drawn


def test_an_opened_group_makes_room_for_the_nodes_around_it(graph):
    import math

    data = embedded_data(graph.render("zone", "zone:shanghai"))
    members = [n for n in data["nodes"] if n.get("member_of")]
    stay = [n for n in data["nodes"] if not n.get("member_of") and not n.get("members")]
    assert len(members) > 50 and stay
    for a in members:  # each spot keeps the sunflower's spacing from what stays in view and from other members
        assert all(math.hypot(a["x"] - b["x"], a["y"] - b["y"]) >= 30 for b in stay + members if b is not a), a["id"]


@pytest.mark.parametrize("kind", ["map", "timeline"])
def test_map_and_timeline_views(graph, kind):
    view = views.build_view(graph, kind)
    assert view.layout == kind
    data = embedded_data(page.to_html(view, "en", graph=graph))
    by_id = {n["id"]: n for n in data["nodes"]}
    if kind == "map":
        # West is left, north is up: Urumqi left of Shanghai, Harbin above Guangzhou.
        assert by_id["zone:xinjiang"]["x"] < by_id["zone:shanghai"]["x"]
        assert by_id["zone:heilongjiang"]["y"] < by_id["zone:guangdong"]["y"]
    else:
        assert by_id["zone:shanghai"]["year"] == 2013 and by_id["zone:xinjiang"]["year"] == 2023
        assert by_id["zone:shanghai"]["x"] < by_id["zone:tianjin"]["x"] < by_id["zone:xinjiang"]["x"]
        assert {d["kind"] for d in data["decor"]} == {"year", "lane"}


CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def test_timeline_in_chinese_names_lanes_and_years_in_chinese(tmp_path):
    out = tmp_path / "timeline.html"
    result = CliRunner().invoke(cli, ["render", "timeline", "--lang", "zh", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page_html = out.read_text(encoding="utf-8")
    data = embedded_data(page_html)
    assert data["lang"] == "zh" and CJK.search(re.search(r"<title>(.*?)</title>", page_html).group(1))
    lanes = [d for d in data["decor"] if d["kind"] == "lane"]
    assert {d["en"] for d in lanes} == {en for _zh, en in page.LANES.values()}
    assert all(CJK.search(d["zh"]) and not LATIN_WORD.search(d["zh"]) for d in lanes)
    assert all(d["zh"] == f"{d['en']}年" for d in data["decor"] if d["kind"] == "year")


def test_agreement_view_is_a_tree(graph):
    data = embedded_data(graph.render("agreement", "agreement:cptpp"))
    by_id = {n["id"]: n for n in data["nodes"]}
    radius = {i: (n["x"] ** 2 + n["y"] ** 2) ** 0.5 for i, n in by_id.items()}
    assert radius["agreement:cptpp"] == 0
    assert radius["provision:cptpp-ch5"] < radius["provision:cptpp-5.3"]  # chapter ring inside the article ring


def test_radial_tree_gives_a_node_the_arc_it_asks_for():
    zones = [f"zone{i}" for i in range(6)]
    leaves = [f"leaf{i:03d}" for i in range(100)]
    pairs = [("root", "hub")] + [("hub", z) for z in zones] + [("root", leaf) for leaf in leaves]
    nodes = ["root", "hub", *zones, *leaves]

    def closest(positions):  # the shortest distance between two of the zones (siblings, side by side)
        return min(math.dist(positions[a], positions[b]) for a, b in zip(zones, zones[1:]))

    arc = 180.0
    assert closest(layout.radial_tree("root", nodes, pairs)) < arc / 4  # crowded among a hundred leaves
    spread = layout.radial_tree("root", nodes, pairs, arcs={z: arc for z in zones})
    assert closest(spread) >= 0.95 * arc  # a chord of the arc asked for
    assert set(spread) == set(nodes) and math.dist(spread["zone0"], [0, 0]) == pytest.approx(2 * 260, abs=1)


@pytest.mark.parametrize("kind, name, expected", [
    ("zone", "zone:tianjin", {"PilotFreeTradeZone", "SubArea", "GovernmentBody", "PolicyDocument"}),
    ("body", "海关总署", {"GovernmentBody", "PolicyDocument", "PilotFreeTradeZone"}),
    ("agreement", "agreement:depa", {"Agreement", "Provision"}),
    ("overview", None, {"PilotFreeTradeZone", "FreeTradePort", "SubArea"}),
])
def test_views_hold_what_they_promise(graph, kind, name, expected):
    view = views.build_view(graph, kind, name)
    assert expected <= {n["class"] for n in view.nodes.values()}
    assert view.title["zh"] and view.title["en"]


def test_overview_caps_measures_per_zone(graph):
    view = views.build_view(graph, "overview")
    zone_of = {s: o for (s, p, o) in view.edges if p.endswith("#subAreaOf")}
    per_zone: dict[str, set] = {}
    for s, p, o in view.edges:
        if p.endswith("#pilotedIn"):
            per_zone.setdefault(zone_of.get(o, o), set()).add(s)
    assert per_zone and max(len(m) for m in per_zone.values()) <= views.MEASURES_PER_ZONE


def test_a_view_name_is_looked_up_among_its_kind(graph):
    # "上海" also names bodies, documents and sub-areas; the zone view wants the zone.
    assert views.build_view(graph, "zone", "上海").focus.endswith("/zone/shanghai")
    with pytest.raises(UsageError, match="among the Zone entities"):
        views.build_view(graph, "zone", "海关总署")


def test_a_view_refuses_the_wrong_kind_of_entity(graph):
    with pytest.raises(UsageError, match="not of the class Zone"):
        views.build_view(graph, "zone", "body:gacc")
    with pytest.raises(UsageError, match="unknown view"):
        views.build_view(graph, "galaxy", "x")


# Classes that share a shape by design, a family each, told apart by colour.
SHAPE_FAMILIES = {"hexagon": page.ZONE_CLASSES, "dot": page.GROUPABLE, "diamond": {"PolicyDocument", "Standard"}}


def test_every_class_outside_a_family_has_a_shape_and_glyph_of_its_own():
    family_of = {cls: shape for shape, members in SHAPE_FAMILIES.items() for cls in members}
    for cls, (_colour, shape, glyph) in page.CLASS_STYLES.items():
        others = [(s, g) for c, (_, s, g) in page.CLASS_STYLES.items() if c != cls]
        if cls in family_of:
            assert shape == family_of[cls], cls
        else:
            assert shape not in {s for s, _ in others} and glyph not in {g for _, g in others}, cls
    pairs = {(shape, glyph) for _colour, shape, glyph in page.CLASS_STYLES.values()}
    assert len({shape for shape, _ in pairs}) == len({glyph for _, glyph in pairs}) == len(pairs)  # a glyph per shape
    assert set(page.OUTLINES) == {shape for shape, _ in pairs} and page.CUSTOM_SHAPES < set(page.OUTLINES)


def one_node_per_class() -> views.View:
    """A star: a body in the middle, one node of every class around it."""
    g = nx.Graph()
    g.add_node("hub", **{"class": "GovernmentBody", "en": "Hub", "zh": "中心"})
    for cls in page.CLASS_STYLES:
        g.add_node(cls, **{"class": cls, "en": f"A {cls}", "zh": f"一个{cls}"})
        g.add_edge("hub", cls, relation="related to")
    return views.from_networkx(g)


def test_custom_shapes_go_to_vis_network_as_custom_with_their_outlines():
    net, info = page.network(one_node_per_class(), "en")
    shapes = {n["id"]: n["shape"] for n in net.nodes}
    for cls, (_colour, shape, _glyph) in page.CLASS_STYLES.items():
        assert shapes[cls] == ("custom" if shape in page.CUSTOM_SHAPES else shape)
        assert net.options["groups"][cls]["shape"] == shapes[cls]
    assert info["figures"] == {shape: page.OUTLINES[shape] for shape in page.CUSTOM_SHAPES}


def test_thumbnails_draw_each_node_in_its_class_shape_and_colour():
    net, _info = page.network(one_node_per_class(), "en")
    drawn = gallery.thumbnail(net)["shapes"]
    assert len(drawn) == len(net.nodes)
    colours = [colour for _path, colour in drawn]
    assert sorted(colours) == sorted([page.CLASS_STYLES["GovernmentBody"][0]] + [c for c, _s, _g in page.CLASS_STYLES.values()])
    # A subpath per part of the outline: a ring or a frame has its hole, a pentagon five corners.
    subpaths = {len(page.OUTLINES[shape]) for _c, shape, _g in page.CLASS_STYLES.values()}
    assert sorted({path.count("M") for path, _colour in drawn}) == sorted(subpaths)
    pentagon = next(path for path, colour in drawn if colour == page.CLASS_STYLES["Proposal"][0])
    assert pentagon.count("L") == 4


def test_large_views_get_a_seeded_layout_without_physics():
    g = nx.barabasi_albert_graph(layout.LARGE + 100, 2, seed=1)
    nx.set_node_attributes(g, "GovernmentBody", "class")
    first, _ = page.network(views.from_networkx(g), "en")
    second, _ = page.network(views.from_networkx(g), "en")
    assert not first.options["physics"]["enabled"]
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in first.nodes)
    assert len({(n["x"], n["y"]) for n in first.nodes}) > 0.95 * len(first.nodes)
    assert first.nodes == second.nodes and first.edges == second.edges


def test_select_query_draws_source_target_label(tmp_path):
    query = tmp_path / "q.rq"
    query.write_text('SELECT ?source ?target ("co-issued with" AS ?label) WHERE '
                     "{ ?d ftz:issuedBy ?source , ?target FILTER(STR(?source) < STR(?target)) } LIMIT 5",
                     encoding="utf-8")
    out = tmp_path / "q.html"
    result = CliRunner().invoke(cli, ["render", "--query", str(query), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = embedded_data(out.read_text(encoding="utf-8"))
    assert data["edges"] and {e["rel"] for e in data["edges"]} == {"co-issued with"}
    assert data["gallery"] is None  # a page on its own links to no gallery
    assert all(n["group"] == "GovernmentBody" for n in data["nodes"])


@pytest.mark.parametrize("args, message", [
    (["render", "overview"], "-o FILE.html"),
    (["render", "zone", "-o", "x.html"], "needs a name"),
    (["render", "zone", "no such zone at all", "-o", "x.html"], "nothing matches"),
    (["render", "--query", "{query}", "-o", "x.html"], "?source and ?target"),
])
def test_bad_render_input_is_one_line_and_exit_2(tmp_path, args, message):
    query = tmp_path / "ask.rq"
    query.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    args = [a.replace("{query}", str(query)) for a in args]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_gallery_index_links_every_page():
    index = (GALLERY / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{name}"' in index for name in GALLERY_PAGES)
    assert index.count("<svg ") == len(GALLERY_PAGES)  # a thumbnail per page, drawn inline
    assert {"map.html", "timeline.html"} <= set(GALLERY_PAGES)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", index, re.IGNORECASE)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """The whole gallery drawn now from the data and templates, once for the module."""
    folder = tmp_path_factory.mktemp("gallery")
    result = CliRunner().invoke(cli, ["render", "--gallery", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def test_committed_gallery_is_up_to_date(fresh):
    names = sorted(p.name for p in fresh.iterdir())
    assert names == sorted(GALLERY_PAGES + ["index.html"])
    stale = [name for name in names if not (GALLERY / name).is_file()
             or (GALLERY / name).read_bytes() != (fresh / name).read_bytes()]
    assert not stale, f"regenerate with `ftzgraph render --gallery visualizations/`: {stale}"


# -- in a real browser -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        missing_real_part("Debian's /usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


class Opened:
    """A page loaded from file:// (with an optional ?query#hash) at 1280×720 or another size, with
    every other request refused and recorded."""

    def __init__(self, browser, path: Path, suffix: str = "", size: tuple[int, int] = (1280, 720)):
        self.file = path.as_uri()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.file + suffix)
        # A selector, not wait_for_function: the page's CSP forbids the eval that needs.
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)

    def _route(self, route):
        if route.request.url.split("?")[0].split("#")[0] == self.file:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def visible(self, node_id: str) -> bool:
        return self.js(f"window.ftz.isVisible({json.dumps(node_id)})")

    def clean(self) -> bool:
        return self.errors == [] and self.requests == [] and self.dialogs == []

    def close(self):
        self.page.close()


@pytest.fixture
def opened(browser):
    pages = []

    def open_page(path: Path, suffix: str = "", size: tuple[int, int] = (1280, 720)) -> Opened:
        pages.append(Opened(browser, path, suffix, size))
        return pages[-1]

    yield open_page
    for page in pages:
        page.close()


def pixel_spread(png: bytes) -> float:
    from PIL import Image, ImageStat

    return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).stddev[0]


# What a presenter's projector shows: the two sizes.
SCREENS = [(1280, 720), (1600, 1000)]
LEGIBLE_PX = 12
HUBS = 4  # the most important nodes on screen, whose labels must always show


@pytest.mark.browser
@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", GALLERY_PAGES)
def test_gallery_page_draws_offline_with_legible_labels(opened, name, size):
    page = opened(GALLERY / name, size=size)
    assert page.js("window.ftzReady") is True
    assert page.js("window.ftz.data.nodes.length") > 5
    assert pixel_spread(page.page.locator("#graph canvas").screenshot()) > 8, "the canvas looks blank"
    legible = {label["id"] for label in page.js("window.ftz.labels()") if label["px"] >= LEGIBLE_PX}
    shown = page.js("""window.ftz.data.nodes.filter(n => window.ftz.isVisible(n.id))
        .sort((a, b) => b.importance - a.importance).map(n => n.id)""")
    assert len(legible) >= min(20, len(shown))
    assert set(shown[:HUBS]) <= legible, "a hub's label is hidden"
    focus = page.js("window.ftz.data.focus")
    assert focus is None or focus in legible
    assert page.page.locator("#status").inner_text() == ""  # the loading indicator is gone once drawn
    assert page.clean()


RINGED_PAGES = [name for name, kind, *_ in gallery.GALLERY if kind in ("agreement", "trace")]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", RINGED_PAGES)
def test_every_zone_label_shows_in_trees_and_traces(opened, name, lang):
    # Zones are what a tree or trace leads to: none of their labels may wait for a zoom.
    opened_page = opened(GALLERY / name, f"?lang={lang}")
    zones = set(opened_page.js(f"""window.ftz.data.nodes.filter(n => {json.dumps(sorted(page.ZONE_CLASSES))}.includes(n.group)
        && window.ftz.isVisible(n.id)).map(n => n.id)"""))
    legible = {label["id"] for label in opened_page.js("window.ftz.labels()") if label["px"] >= LEGIBLE_PX}
    assert zones, "the view has no zone to check"
    assert zones <= legible, f"zone labels hidden on open: {sorted(zones - legible)}"
    assert opened_page.clean()


@pytest.mark.browser
def test_gallery_index_toggles_language(opened_index):
    index = opened_index
    index.click("button[data-lang=zh]")
    assert index.evaluate("document.documentElement.lang") == "zh-CN"
    assert index.locator("a[data-file='map.html']").get_attribute("href") == "map.html?lang=zh"
    assert index.locator("li span.zh").first.is_visible() and not index.locator("li span.en").first.is_visible()


@pytest.fixture
def opened_index(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto((GALLERY / "index.html").as_uri())
    yield page
    page.close()


@pytest.mark.browser
def test_search_ranks_zones_first_and_walks_with_the_keys(opened):
    page = opened(GALLERY / "overview.html")
    page.page.click("button[data-lang=zh]")
    page.page.fill("#search", "天津")
    ids = page.page.locator("#results li").evaluate_all("items => items.map(i => i.dataset.id)")
    assert ids[0] == "zone:tianjin" and "subarea:tianjin-airport" in ids  # the zone before its sub-areas
    assert page.js("Object.keys(window.ftz.search('天津')).length") > 1
    page.page.press("#search", "ArrowDown")
    page.page.press("#search", "Enter")
    assert page.js("window.ftz.network.getSelectedNodes()") == [ids[1]]
    # The keys act on the view again: Esc right after a search leaves the focus.
    faded = "window.ftz.data.nodes.filter(n => window.ftz.isVisible(n.id) && window.ftz.nodes.get(n.id).opacity < 1).length"
    assert page.js(faded) > 0
    page.page.keyboard.press("Escape")
    assert page.js(faded) == 0 and page.js("window.ftz.network.getSelectedNodes()") == []
    assert page.clean()


@pytest.mark.browser
@pytest.mark.parametrize("file, query, wanted", [
    ("overview.html", "上海自贸区", "zone:shanghai"),
    ("overview.html", "Shanghai FTZ", "zone:shanghai"),
    ("overview.html", "海南自贸港", "zone:hainan-ftp"),
    ("body-gacc.html", "China Customs", "body:gacc"),
])
def test_search_finds_aliases_and_highlights_matches(opened, file, query, wanted):
    page = opened(GALLERY / file)
    page.page.fill("#search", query)
    assert page.page.locator("#results li").first.get_attribute("data-id") == wanted
    page.page.press("#search", "Enter")
    assert page.js("window.ftz.network.getSelectedNodes()") == [wanted]
    assert page.page.locator("#details h2").inner_text().strip()
    assert page.clean()


@pytest.mark.browser
def test_language_toggle_switches_labels_panel_and_link(opened):
    page = opened(GALLERY / "overview.html")
    label = "window.ftz.labelOf('zone:shanghai')"
    assert page.js(label) == "Shanghai FTZ"  # the gallery opens in English, with short names on the canvas
    page.js("window.ftz.focusNode('zone:shanghai')")
    page.page.click("button[data-lang=zh]")
    assert page.js(label) == "上海自贸区"
    assert page.page.locator("#title").inner_text().startswith("中国")
    assert page.js("document.documentElement.lang") == "zh-CN"
    panel = page.page.locator("#details").inner_text()
    assert "自由贸易试验区" in panel and "Pilot Free Trade Zone" not in panel.replace("China (Shanghai) Pilot Free Trade Zone", "")
    assert page.js("location.search") == "?lang=zh"
    page.page.click("button[data-lang=en]")
    assert page.js(label) == "Shanghai FTZ"
    assert page.page.locator("#title").inner_text().startswith("China")
    assert page.clean()


@pytest.mark.browser
def test_timeline_draws_its_fixed_text_in_the_page_language(opened):
    page = opened(GALLERY / "timeline.html", "?lang=zh")
    decor = page.js("window.ftz.data.page.decor")
    drawn = page.js("window.ftz.decor()")
    assert {d["text"] for d in drawn if d["kind"] == "lane"} == {d["zh"] for d in decor if d["kind"] == "lane"}
    assert {d["text"] for d in drawn} <= {d["zh"] for d in decor} and all(d["px"] >= LEGIBLE_PX for d in drawn)
    page.page.locator("#year").fill("2015")
    page.js("document.querySelectorAll('aside details').forEach(d => { d.open = true; })")
    panel = page.page.locator("aside").inner_text()
    assert "截至 2015 年" in panel
    # The panel's fixed text (headings, filters, key, counts) is Chinese; only names stay as they are.
    assert set(LATIN_WORD.findall(panel)) <= {"ftzgraph", "Esc", "PNG"}
    page.page.click("button[data-lang=en]")
    assert {d["text"] for d in page.js("window.ftz.decor()") if d["kind"] == "lane"} == {d["en"] for d in decor if d["kind"] == "lane"}
    assert page.clean()


@pytest.mark.browser
def test_permalink_reopens_language_and_focus(opened):
    page = opened(GALLERY / "overview.html", "?lang=zh#node=zone:tianjin")
    assert page.js("document.documentElement.lang") == "zh-CN"
    assert page.js("window.ftz.network.getSelectedNodes()") == ["zone:tianjin"]
    assert "天津" in page.page.locator("#details h2").inner_text()
    assert page.page.locator("#details a.permalink").get_attribute("href") == "?lang=zh#node=zone%3Atianjin"
    assert page.clean()


@pytest.mark.browser
def test_presentation_mode_and_controls(opened):
    page = opened(GALLERY / "zone-shanghai.html")
    before = page.js("Math.max(...window.ftz.labels().map(l => l.px))")
    scale = page.js("window.ftz.network.getScale()")
    page.page.click("#controls button[data-action=zoom-in]")
    page.page.wait_for_timeout(250)
    assert page.js("window.ftz.network.getScale()") > scale
    page.page.keyboard.press("0")  # fit again, using the whole canvas
    page.page.keyboard.press("p")
    assert page.page.locator("aside").is_hidden()
    assert page.js("Math.max(...window.ftz.labels().map(l => l.px))") > before
    page.page.keyboard.press("p")
    assert page.page.locator("aside").is_visible()
    assert page.js("window.ftz.pngDataUrl()").startswith("data:image/png;base64,")
    with page.page.expect_download() as download:
        page.page.click("#controls button[data-action=png]")
    assert download.value.suggested_filename.endswith(".png")
    assert page.clean()


@pytest.mark.browser
def test_class_relation_and_year_filters(opened):
    page = opened(GALLERY / "trace-cptpp-14.17.html")
    zones = "window.ftz.data.nodes.filter(n => n.group === 'PilotFreeTradeZone').map(n => !!window.ftz.nodes.get(n.id).hidden)"
    page.page.uncheck("#legend input[data-class=PilotFreeTradeZone]")
    assert set(page.js(zones)) == {True}
    page.page.check("#legend input[data-class=PilotFreeTradeZone]")
    assert set(page.js(zones)) == {False}
    edges = "window.ftz.data.edges.filter(e => e.rel === 'ftz:alignsWith').map(e => !!window.ftz.edges.get(e.id).hidden)"
    page.page.uncheck("#filters input[data-relation='ftz:alignsWith']")
    assert set(page.js(edges)) == {True}
    timeline = opened(GALLERY / "timeline.html")
    assert timeline.visible("zone:xinjiang")
    timeline.page.locator("#year").fill("2015")
    assert timeline.visible("zone:shanghai") and not timeline.visible("zone:xinjiang")
    assert page.clean() and timeline.clean()


@pytest.mark.browser
def test_groups_open_on_click_and_focus_dims_the_rest(opened):
    page = opened(GALLERY / "zone-shanghai.html")
    group = page.js("window.ftz.data.nodes.find(n => n.members && n.members.length >= 20).id")
    member = page.js(f"window.ftz.data.nodes.find(n => n.id === {json.dumps(group)}).members[0]")
    assert page.visible(group) and not page.visible(member)
    point = page.js(f"""(() => {{
        const network = window.ftz.network;
        const box = document.querySelector('#graph canvas').getBoundingClientRect();
        const p = network.canvasToDOM(network.getPosition({json.dumps(group)}));
        return {{x: box.left + p.x, y: box.top + p.y}};
    }})()""")
    page.page.mouse.click(point["x"], point["y"])
    assert page.visible(member) and not page.visible(group)
    page.js("window.ftz.focusNode('zone:shanghai')")
    faded = "window.ftz.data.nodes.filter(n => window.ftz.isVisible(n.id) && window.ftz.nodes.get(n.id).opacity < 1).length"
    assert page.js(faded) > 0
    page.page.keyboard.press("Escape")
    assert page.js(faded) == 0
    assert page.clean()


@pytest.mark.browser
def test_clicking_a_node_shows_sources_and_cited_lines(opened):
    page = opened(GALLERY / "trace-cptpp-14.17.html", "?lang=zh")
    point = page.js("""(() => {
        const network = window.ftz.network, id = window.ftz.data.focus;
        const box = document.querySelector('#graph canvas').getBoundingClientRect();
        const p = network.canvasToDOM(network.getPosition(id));
        return {x: box.left + p.x, y: box.top + p.y};
    })()""")
    page.page.mouse.click(point["x"], point["y"])
    details = page.page.locator("#details")
    assert "14.17" in details.locator("h2").inner_text()
    page.js("document.querySelectorAll('#details details').forEach(d => { d.open = true; })")  # every section open
    quote = details.locator("blockquote.quote").first
    assert quote.inner_text().strip()
    text = details.inner_text()
    assert "《" in text and re.search(r"第 \d+(–\d+)? 行", text)  # a source by its title, its lines in Chinese
    assert details.locator(".excerpt mark").count() > 0  # the quote highlighted in its lines
    assert details.locator(".basis").first.inner_text() in ("原文陈述", "推断", "人工整理")
    # Property names and coded values (the label's basis, the provision's kind) in Chinese too.
    names = details.locator("dt").all_inner_texts()
    assert names and all(CJK.search(name) and not LATIN_WORD.search(name) for name in names)
    coded = details.locator("dt:text-is('标签来源') + dd").first.inner_text()
    assert CJK.search(coded) and not LATIN_WORD.search(coded)
    assert page.clean()


@pytest.mark.browser
def test_hostile_labels_never_run(opened, evil_page):
    page = opened(evil_page)
    page.js("window.ftz.focusNode('zone:evil')")
    assert page.page.locator("#details h2").inner_text() == EVIL["en"]
    page.page.click("button[data-lang=zh]")
    assert page.page.locator("#details h2").inner_text() == EVIL["zh"]
    page.page.fill("#search", "<script")
    page.page.press("#search", "Enter")
    page.js("window.ftz.focusNode('measure:evil')")
    page.js("document.querySelectorAll('#details details').forEach(d => { d.open = true; })")
    assert EVIL["quote"] in page.page.locator("#details").inner_text()
    assert page.js("typeof window.pwned") == "undefined"
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.clean()


@pytest.mark.browser
def test_custom_shapes_draw_dim_and_open_the_panel(opened, tmp_path):
    path = tmp_path / "classes.html"
    path.write_text(page.to_html(one_node_per_class(), "en"), encoding="utf-8")
    view = opened(path)

    def at(node_id: str) -> dict:  # where the node's centre is, in the page and on the canvas
        return view.js(f"""(() => {{
            const network = window.ftz.network, canvas = document.querySelector('#graph canvas');
            const box = canvas.getBoundingClientRect(), p = network.canvasToDOM(network.getPosition({json.dumps(node_id)}));
            return {{x: box.left + p.x, y: box.top + p.y, cx: p.x, cy: p.y, r: window.ftz.nodes.get({json.dumps(node_id)}).size * network.getScale()}};
        }})()""")

    def pixel(x: float, y: float) -> list[int]:  # RGBA on vis-network's canvas (transparent where nothing is drawn)
        return view.js(f"""(() => {{ const ratio = window.devicePixelRatio || 1;
            return Array.from(document.querySelector('#graph canvas').getContext('2d')
                .getImageData(Math.round({x} * ratio), Math.round({y} * ratio), 1, 1).data); }})()""")

    def drawn_in(cls: str) -> list[int]:  # a point inside the shape's fill: the centre, or the middle of a ring's band
        point = at(cls)
        hollow = len(page.OUTLINES[page.CLASS_STYLES[cls][1]]) > 1
        return pixel(point["cx"] + (0.72 * point["r"] if hollow else 0), point["cy"])

    custom = [cls for cls, (_c, shape, _g) in page.CLASS_STYLES.items() if shape in page.CUSTOM_SHAPES]
    assert custom
    for cls in custom:
        colour = page.CLASS_STYLES[cls][0]
        assert drawn_in(cls) == [int(colour[i:i + 2], 16) for i in (1, 3, 5)] + [255], cls
    hollow = next(cls for cls in custom if len(page.OUTLINES[page.CLASS_STYLES[cls][1]]) > 1)
    assert pixel(at(hollow)["cx"], at(hollow)["cy"]) == [255, 255, 255, 255]  # its hole is white: no edge runs into it
    for cls in custom:
        point = at(cls)
        view.page.mouse.click(point["x"], point["y"])
        assert view.js("window.ftz.network.getSelectedNodes()") == [cls]
        assert view.page.locator("#details h2").inner_text() == f"A {cls}"
    # Focus on one leaf: the other leaves fade, custom shapes like the rest.
    view.js(f"window.ftz.focusNode({json.dumps(custom[0])}, {{stay: true}})")
    assert drawn_in(custom[0])[3] == 255 and all(drawn_in(cls)[3] < 64 for cls in custom[1:])
    view.page.keyboard.press("Escape")
    assert all(drawn_in(cls)[3] == 255 for cls in custom)
    assert view.clean()


# -- at projector size: pages freshly drawn from the templates (the `fresh` gallery), not the committed one --


@pytest.mark.browser
@pytest.mark.parametrize("name", ["agreement-cptpp.html", "body-gacc.html", "zone-shanghai.html"])
def test_a_long_title_wraps_whole_at_1280(opened, fresh, name):
    page = opened(fresh / name, "?lang=en")
    title = page.js("""(() => { const h = document.getElementById('title');
        return {sw: h.scrollWidth, cw: h.clientWidth, sh: h.scrollHeight, ch: h.clientHeight,
                line: parseFloat(getComputedStyle(h).lineHeight), right: h.getBoundingClientRect().right,
                tools: document.querySelector('header .tools').getBoundingClientRect().left}; })()""")
    assert title["sw"] <= title["cw"] + 1 and title["sh"] <= title["ch"] + 1, f"the title is cut: {title}"
    assert title["ch"] <= 2 * title["line"] + 1 and title["right"] <= title["tools"]
    assert page.clean()


def labels_over_nodes(page) -> int:
    """Labels drawn over another node's shape (its core, as the viewer reckons it)."""
    return page.js("""(() => {
        const net = window.ftz.network, scale = net.getScale(), at = net.getPositions();
        const cores = window.ftz.data.nodes.filter(n => window.ftz.isVisible(n.id) && n.size * scale * 0.75 >= 3).map(n => {
            const c = net.canvasToDOM(at[n.id]), r = n.size * scale * 0.75;
            return {id: n.id, x: c.x - r, y: c.y - r, w: 2 * r, h: 2 * r};
        });
        return window.ftz.labels().filter(l => cores.some(c => c.id !== l.id && l.box.x < c.x + c.w && c.x < l.box.x + l.box.w
            && l.box.y < c.y + c.h && c.y < l.box.y + l.box.h)).length;
    })()""")


@pytest.mark.browser
def test_hub_labels_keep_off_other_nodes_where_they_can(opened, fresh):
    # Drawn over a node, a hub's label hid it (28 such labels on these three pages at 1280×720).
    pages = [opened(fresh / name, "?lang=en") for name in ("zone-shanghai.html", "overview.html", "zone-hainan-ftp.html")]
    assert sum(labels_over_nodes(page) for page in pages) <= 15
    for page in pages:
        shown = page.js("""window.ftz.data.nodes.filter(n => window.ftz.isVisible(n.id))
            .sort((a, b) => b.importance - a.importance).map(n => n.id)""")
        assert set(shown[:HUBS]) <= {label["id"] for label in page.js("window.ftz.labels()")}
        assert page.clean()


@pytest.mark.browser
def test_presenting_on_a_1080_screen_labels_read_from_the_back(opened, fresh):
    page = opened(fresh / "overview.html", "?lang=zh", size=(1920, 1080))
    page.page.keyboard.press("p")
    page.page.wait_for_timeout(300)
    sizes = [label["px"] for label in page.js("window.ftz.labels()")]
    assert len(sizes) >= 40 and min(sizes) >= 20, sizes  # 18 px before, as at 1280×720
    assert page.clean()


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_permalink_shows_the_focus_with_all_its_neighbours(opened, fresh, size):
    # The timeline's 2023 document links to zones far across the canvas: zooming to it alone hid them.
    page = opened(fresh / "timeline.html", "?lang=zh#node=doc:guofa-2023-9", size=size)
    outside = page.js("""(() => {
        const net = window.ftz.network, id = 'doc:guofa-2023-9', canvas = document.getElementById('canvas');
        const buttons = document.getElementById('controls').getBoundingClientRect(), box = canvas.getBoundingClientRect();
        const near = window.ftz.data.edges.filter(e => (e.from === id || e.to === id) && window.ftz.isVisible(e.from)
            && window.ftz.isVisible(e.to)).map(e => e.from === id ? e.to : e.from);
        return near.concat([id]).filter(n => { const p = net.canvasToDOM(net.getPosition(n));
            const underButtons = p.x > buttons.left - box.left && p.y > buttons.top - box.top;
            return p.x < 0 || p.y < 0 || p.x > canvas.clientWidth || p.y > canvas.clientHeight || underButtons; });
    })()""")
    assert outside == []
    labels = {label["id"]: label["px"] for label in page.js("window.ftz.labels()")}
    assert labels.get("doc:guofa-2023-9") == max(labels.values())  # the focus's label stands out
    assert page.clean()


@pytest.mark.browser
def test_gallery_index_uses_a_wide_screen(browser, fresh):
    index = browser.new_page(viewport={"width": 1920, "height": 1080})
    index.goto((fresh / "index.html").as_uri())
    columns = index.evaluate("new Set([...document.querySelectorAll('li')].map(li => li.getBoundingClientRect().left)).size")
    index.close()
    assert columns >= 4  # three rows of four, not four rows of three in the middle third
