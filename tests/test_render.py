"""The HTML presenters: self-contained pages, escaping, determinism, the gallery, and a real browser."""

import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from conftest import ROOT
from ftzgraph.render import gallery, page, views
from ftzgraph.cli import cli
from ftzgraph.errors import UsageError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
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


def embedded_data(page_html: str) -> dict:
    match = re.search(r'<script type="application/json" id="ftz-data">(.*?)</script>', page_html, re.DOTALL)
    return json.loads(match.group(1))


# -- the HTML --------------------------------------------------------------------------------------

def test_page_is_self_contained(trace_html):
    assert not re.search(r"<script[^>]+src=|<link\b|@import", trace_html, re.IGNORECASE)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", trace_html, re.IGNORECASE)
    assert "default-src 'none'" in trace_html  # the page may not fetch anything, even by mistake
    assert "vis.Network" in trace_html and ".vis-network" in trace_html  # vis-network's JS and CSS, inlined


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
    assert page_html.count("&lt;script&gt;window.pwned=2&lt;/script&gt;") == 2  # <title> and <h1>


def test_same_data_gives_identical_bytes(graph, trace_html):
    assert graph.render("trace", "provision:cptpp-5.3", lang="zh") == trace_html


def test_page_carries_labels_classes_and_evidence(trace_html):
    data = embedded_data(trace_html)
    root = next(n for n in data["nodes"] if n["id"] == data["focus"])
    assert root["id"] == "provision:cptpp-5.3" and root["class"] == "Provision"
    assert root["zh"] and root["en"]
    assert {c["id"] for c in data["classes"]} >= {"Provision", "PolicyDocument", "PilotFreeTradeZone"}
    assert all(c["zh"] and c["en"] and c["color"] and c["shape"] for c in data["classes"])
    assert data["relations"]["ftz:alignsWith"] == {"zh": "对接", "en": "aligns with"}
    quoted = [ev for e in data["edges"] for ev in e["evidence"] if ev.get("quote")]
    assert quoted and all(ev["file"] and ev["lines"] for ev in quoted)
    assert data["physics"] and all("x" not in n for n in data["nodes"])


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


def test_large_views_get_a_seeded_layout_without_physics():
    g = nx.barabasi_albert_graph(page.PHYSICS_LIMIT + 100, 2, seed=1)
    nx.set_node_attributes(g, "PilotMeasure", "class")
    first = page.page_data(views.from_networkx(g), "en")
    second = page.page_data(views.from_networkx(g), "en")
    assert not first["physics"]
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in first["nodes"])
    assert len({(n["x"], n["y"]) for n in first["nodes"]}) > 0.95 * len(first["nodes"])
    assert first == second


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
    assert all(n["class"] == "GovernmentBody" for n in data["nodes"])


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
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", index, re.IGNORECASE)


def test_committed_gallery_is_up_to_date(tmp_path):
    result = CliRunner().invoke(cli, ["render", "--gallery", str(tmp_path)])
    assert result.exit_code == 0, result.output
    fresh = sorted(p.name for p in tmp_path.iterdir())
    assert fresh == sorted(GALLERY_PAGES + ["index.html"])
    stale = [name for name in fresh if not (GALLERY / name).is_file()
             or (GALLERY / name).read_bytes() != (tmp_path / name).read_bytes()]
    assert not stale, f"regenerate with `ftzgraph render --gallery visualizations/`: {stale}"


# -- in a real browser -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's /usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Opened:
    """A page loaded from file:// with every other request refused and recorded."""

    def __init__(self, browser, path: Path):
        self.uri = path.as_uri()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 800})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.uri)
        # A selector, not wait_for_function: the page's CSP forbids the eval that needs.
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)

    def _route(self, route):
        if route.request.url == self.uri:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def close(self):
        self.page.close()


@pytest.fixture
def opened(browser):
    pages = []

    def open_page(path: Path) -> Opened:
        pages.append(Opened(browser, path))
        return pages[-1]

    yield open_page
    for page in pages:
        page.close()


def pixel_spread(png: bytes) -> float:
    from PIL import Image, ImageStat

    return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).stddev[0]


@pytest.mark.browser
@pytest.mark.parametrize("name", GALLERY_PAGES)
def test_gallery_page_draws_offline(opened, name):
    page = opened(GALLERY / name)
    assert page.js("window.ftzReady") is True
    assert page.js("window.ftz.data.nodes.length") > 5
    assert pixel_spread(page.page.locator("#graph canvas").screenshot()) > 8, "the canvas looks blank"
    assert page.errors == [] and page.requests == []


@pytest.mark.browser
def test_search_finds_and_focuses_a_node(opened):
    page = opened(GALLERY / "overview.html")
    page.page.click("button[data-lang=zh]")
    page.page.fill("#search", "上海")
    first = page.page.locator("#results li").first
    assert first.get_attribute("data-id")
    wanted = first.get_attribute("data-id")
    page.page.press("#search", "Enter")
    assert page.js("window.ftz.network.getSelectedNodes()") == [wanted]
    assert "上海" in page.page.locator("#details h2").inner_text()
    assert page.errors == []


@pytest.mark.browser
def test_language_toggle_switches_labels(opened):
    page = opened(GALLERY / "overview.html")
    label = "() => window.ftz.nodes.get('zone:shanghai').label"
    assert "Shanghai" in page.js(label)  # the gallery opens in English
    page.page.click("button[data-lang=zh]")
    assert "上海" in page.js(label)
    assert page.page.locator("#title").inner_text().startswith("中国")
    assert page.js("document.documentElement.lang") == "zh-CN"
    page.page.click("button[data-lang=en]")
    assert "Shanghai" in page.js(label)
    assert page.page.locator("#title").inner_text().startswith("China")
    assert page.errors == []


@pytest.mark.browser
def test_class_filter_hides_and_shows_nodes(opened):
    page = opened(GALLERY / "trace-cptpp-5.3.html")
    hidden = """() => window.ftz.data.nodes.filter(n => n.class === 'PilotFreeTradeZone')
                              .map(n => !!window.ftz.nodes.get(n.id).hidden)"""
    page.page.uncheck("#legend input[data-class=PilotFreeTradeZone]")
    assert set(page.js(hidden)) == {True}
    page.page.check("#legend input[data-class=PilotFreeTradeZone]")
    assert set(page.js(hidden)) == {False}
    assert page.errors == []


@pytest.mark.browser
def test_clicking_a_node_shows_its_evidence(opened):
    page = opened(GALLERY / "trace-cptpp-5.3.html")
    point = page.js("""() => {
        const network = window.ftz.network, id = window.ftz.data.focus;
        const box = document.querySelector('#graph canvas').getBoundingClientRect();
        const p = network.canvasToDOM(network.getPosition(id));
        return {x: box.left + p.x, y: box.top + p.y};
    }""")
    page.page.mouse.click(point["x"], point["y"])
    details = page.page.locator("#details")
    assert "5.3" in details.locator("h2").inner_text()
    quote = details.locator("blockquote.quote").first
    assert quote.inner_text().strip()
    assert re.search(r"\.txt:\d+", details.inner_text())
    assert page.errors == []


@pytest.mark.browser
def test_hostile_labels_never_run(opened, evil_page):
    page = opened(evil_page)
    page.js("() => window.ftz.focusNode('zone:evil')")
    assert page.page.locator("#details h2").inner_text() == EVIL["en"]
    page.page.click("button[data-lang=zh]")
    assert page.page.locator("#details h2").inner_text() == EVIL["zh"]
    page.page.fill("#search", "<script")
    page.page.press("#search", "Enter")
    page.js("() => window.ftz.focusNode('measure:evil')")
    assert EVIL["quote"] in page.page.locator("#details").inner_text()
    assert page.js("typeof window.pwned") == "undefined"
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.dialogs == [] and page.requests == [] and page.errors == []
