"""The page: one self-contained HTML file for a View, built with pyvis.

pyvis builds the network: nodes, edges, groups (one per class) and options.  Its own
template loads bootstrap and tom-select from a CDN, so the page is written through a
template of ours instead (templates/page.html, set with ``Network.set_template_dir``):
it inlines vis-network's JS and CSS from pyvis's own lib folder and our viewer, so the
file works from file:// with the network off, and its Content-Security-Policy forbids
fetching anything.  The same view gives byte-identical pages: everything is sorted,
every layout is seeded and precomputed, and nothing records the time.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

from ftzgraph import vocab
from ftzgraph.errors import FtzError, UsageError
from ftzgraph.render import geography, layout
from ftzgraph.render.views import View

TEMPLATES = Path(__file__).parent / "templates"
SKOS = vocab.PREFIXES["skos"]
FTZ = vocab.FTZ

# Class local name -> (colour, shape, legend glyph), in legend order.  Colours are Okabe-Ito's
# colour-blind-safe set, then Paul Tol's muted set.  Three families share a shape and differ by
# colour: the zones (hexagon), the measures (dot) and the documents (diamond); every other class
# has a shape and glyph of its own.  The shapes vis-network lacks (CUSTOM_SHAPES) are drawn by
# viewer.js through vis-network's "custom" shape.
CLASS_STYLES = {
    "PilotFreeTradeZone": ("#D55E00", "hexagon", "⬢"),
    "Zone": ("#D55E00", "hexagon", "⬢"),
    "FreeTradePort": ("#CC79A7", "hexagon", "⬢"),  # a zone too: the zones' shape, its own colour
    "SubArea": ("#E69F00", "triangle", "▲"),
    "GovernmentBody": ("#0072B2", "square", "■"),
    "Agreement": ("#332288", "star", "★"),
    "Provision": ("#999933", "triangleDown", "▼"),
    "PolicyDocument": ("#56B4E9", "diamond", "◆"),
    "Standard": ("#88CCEE", "diamond", "◆"),  # a kind of document
    "PilotMeasure": ("#009E73", "dot", "●"),
    "ZoneInnovation": ("#44AA99", "dot", "●"),
    "BestPracticeCase": ("#F0E442", "dot", "●"),
    "ReformPilotExperience": ("#882255", "dot", "●"),
    "ProgrammeInnovation": ("#117733", "dot", "●"),
    "Measure": ("#AA4499", "dot", "●"),
    "Proposal": ("#DDCC77", "pentagon", "⬟"),
    "Concept": ("#888888", "ring", "◯"),
    "Source": ("#555555", "bowtie", "⧓"),
    "Disagreement": ("#CC6677", "cross", "✖"),
    "Evidence": ("#BBBBBB", "plus", "✚"),
    "Thing": ("#777777", "frame", "□"),  # any class not listed here
}


def _regular(sides: int, radius: float, start: float, inner: float | None = None) -> list[list[float]]:
    """A regular polygon (or a star, when ``inner`` is the radius of every second point) around 0,0,
    its first point at ``start`` degrees clockwise from the right."""
    points = sides * (2 if inner else 1)
    return [_point((inner if inner and i % 2 else radius) * math.cos(math.radians(start + 360 * i / points)),
                   (inner if inner and i % 2 else radius) * math.sin(math.radians(start + 360 * i / points)))
            for i in range(points)]


def _arms(half_width: float, reach: float, turn: float) -> list[list[float]]:
    """A cross of four arms ``half_width`` wide reaching ``reach`` from the centre, turned by ``turn`` degrees."""
    a, r = half_width, reach
    corners = [(-a, -r), (a, -r), (a, -a), (r, -a), (r, a), (a, a), (a, r), (-a, r), (-a, a), (-r, a), (-r, -a), (-a, -a)]
    c, s = math.cos(math.radians(turn)), math.sin(math.radians(turn))
    return [_point(x * c - y * s, x * s + y * c) for x, y in corners]


def _point(x: float, y: float) -> list[float]:
    return [round(x, 3) + 0.0, round(y, 3) + 0.0]  # + 0.0 turns -0.0 into 0.0


# Every shape's outline in units of the node's size (vis-network's radius), as subpaths filled
# even-odd (a subpath inside another is a hole); a number is a circle of that radius.  viewer.js
# draws the custom ones from these; the gallery's thumbnails draw all of them.  The built-in ones
# follow vis-network's own drawing (lib/network/shapes.js).
OUTLINES = {
    "dot": [1.0],
    "square": [[[-1, -1], [1, -1], [1, 1], [-1, 1]]],
    "diamond": [[[0, -1], [1, 0], [0, 1], [-1, 0]]],
    "hexagon": [_regular(6, 1.0, 0)],
    "triangle": [[[0, -1.012], [1.15, 0.98], [-1.15, 0.98]]],
    "triangleDown": [[[0, 1.012], [1.15, -0.98], [-1.15, -0.98]]],
    "star": [[[x, round(y + 0.082, 3)] for x, y in _regular(5, 1.066, -90, inner=0.41)]],
    "pentagon": [_regular(5, 1.1, -90)],
    "ring": [1.0, 0.5],
    "bowtie": [[[-1, -0.85], [0, -0.2], [1, -0.85], [1, 0.85], [0, 0.2], [-1, 0.85]]],
    "cross": [_arms(0.3, 1.2, 45)],
    "plus": [_arms(0.3, 1.0, 0)],
    "frame": [[[-0.9, -0.9], [0.9, -0.9], [0.9, 0.9], [-0.9, 0.9]], [[-0.42, -0.42], [0.42, -0.42], [0.42, 0.42], [-0.42, 0.42]]],
}
CUSTOM_SHAPES = {"pentagon", "ring", "bowtie", "cross", "plus", "frame"}  # not in vis-network: viewer.js draws them

# Relation local name -> edge colour (Tol's bright and muted sets); others take the grey.
RELATION_COLOURS = {
    "subAreaOf": "#E69F00", "pilotedIn": "#009E73", "appliesTo": "#56B4E9", "listedIn": "#88CCEE", "producedStandard": "#44AA99",
    "leadBody": "#0072B2", "issuedBy": "#332288", "alignsWith": "#CC3311", "partOf": "#999933",
    "within": "#DDCC77", "subOrganizationOf": "#AA4499", "about": "#CC6677", "involves": "#882255",
}
OTHER_RELATION = "#9A9A9A"

# Measures are drawn as one group node per class and place (or body), documents too on the
# timeline (per year), when a view has GROUP_MIN or more of them there; a click opens the group.
GROUPABLE = {"PilotMeasure", "ZoneInnovation", "BestPracticeCase", "ReformPilotExperience", "ProgrammeInnovation",
             "Measure"}
GROUPABLE_BY_YEAR = GROUPABLE | {"PolicyDocument", "Standard"}
GROUP_MIN = 5
# Which neighbour a grouped node hangs from: the most specific place first, then a body.
ANCHOR_RANK = {"SubArea": 0, "PilotFreeTradeZone": 1, "FreeTradePort": 1, "Zone": 1, "Provision": 2, "Agreement": 3,
               "GovernmentBody": 4}
# Counting words for group labels: "30 项试点措施", "12 份政策文件".
MEASURE_WORDS = {"PolicyDocument": "份", "GovernmentBody": "个"}
# Hubs first: a label's place in the drawing order (see viewer.js) starts from its class.
CLASS_WEIGHT = {"PilotFreeTradeZone": 60, "Zone": 60, "FreeTradePort": 60, "Agreement": 60, "SubArea": 25,
                "GovernmentBody": 15, "PolicyDocument": 10, "Standard": 10}
# Zones are the anchors of a tree or trace: each gets at least ZONE_ARC of its ring (in canvas
# units), so that zones hanging from one node stand far enough apart for every zone's label to show.
ZONE_CLASSES = {"PilotFreeTradeZone", "Zone", "FreeTradePort"}
ZONE_ARC = 180.0
YEAR_PROPERTIES = (FTZ + "approvedOn", FTZ + "issuedOn", FTZ + "year", FTZ + "eventDate",
                   vocab.PREFIXES["dcterms"] + "date")
ALIAS_PROPERTIES = (SKOS + "altLabel", SKOS + "notation", FTZ + "documentNumber")
CONTEXT_LINES = 2  # lines shown before and after a cited range
LINE_MAX = 600  # characters kept of one source line around a quote

# One paragraph per view kind; {nodes}, {edges} and {name} are filled in.
DESCRIPTIONS = {
    "overview": ("全部 23 个自贸区域及其片区，以及每个自贸区试点范围最广的举措。举措按片区归组，点击组节点可展开。",
                 "All 23 zones with their sub-areas, and the measures each zone pilots most widely. Measures are "
                 "grouped by place; click a group to open it."),
    "zone": ("{name}：所辖片区、在此试点的举措（按类别和片区归组）、适用于它的政策文件及发文机关。点击组节点可展开，点击节点查看证据。",
             "{name}: its sub-areas, the measures piloted there (grouped by class and place), the documents that apply to it "
             "and the bodies that issued them. Click a group to open it, a node for its evidence."),
    "body": ("{name}：牵头的举措、发布的文件、联合发文机关及试点地区。", "{name}: the measures it leads, its documents, "
             "the bodies that co-issued them and the zones where the measures are piloted."),
    "agreement": ("{name}：以树状展开协定、章节与条款，外圈是与条款对接的举措和文件及其试点地区。",
                  "{name} as a tree: the agreement in the middle, its chapters and articles around it, and on the outer rings "
                  "the measures and documents aligned with them and where they are piloted."),
    "trace": ("从 {name} 出发的追溯：以它为圆心，逐层向外是相关的条款、举措、文件、机构与自贸区。",
              "A trace from {name}: it sits in the middle; each ring outwards is one more step to the provisions, measures, "
              "documents, bodies and zones behind it."),
    "map": ("自贸区（位于省会）与片区（位于所在城市）的大致地理位置。坐标为近似值，仅用于定位，不画边界。",
            "Where the zones (at their provincial capitals) and their sub-areas (at their cities) are. The coordinates are "
            "approximate, for placing nodes only; no borders are drawn."),
    "timeline": ("按年份排列：上方为按批次设立的自贸区（2013 → 2023），中间为政策文件，下方为复制推广的改革经验与最佳实践案例。",
                 "Year by year: the zones by establishment batch (2013 → 2023) on top, the policy documents in the middle and "
                 "the replicated reforms and best-practice cases below."),
    "query": ("自定义视图：共 {nodes} 个节点、{edges} 条关系。", "A custom view of {nodes} nodes and {edges} links."),
}
LANES = {"zones": ("自贸区（按批准年份）", "Zones (year approved)"), "documents": ("政策文件", "Policy documents"),
         "reforms": ("复制推广的改革", "Replicated reforms")}
YEAR_WIDTH = 240
ROW_HEIGHT = 80


def to_html(view: View, lang: str = "en", gallery: str | None = None, graph=None) -> str:
    """The view as one self-contained HTML page; ``gallery`` is the index page to link back to,
    and ``graph`` (when given) adds source titles, cited lines and the data's version."""
    return write(view, lang, gallery, graph)[0]


def write(view: View, lang: str = "en", gallery: str | None = None, graph=None):
    """The page's HTML, and the pyvis Network it was written from (the gallery draws thumbnails of it)."""
    if lang not in ("zh", "en"):
        raise UsageError("--lang takes zh or en")
    net, info = network(view, lang, graph)
    info["gallery"] = gallery
    net.set_template_dir(str(TEMPLATES) + "/", "page.html")
    net.templateEnv = environment()  # pyvis's own Environment does not autoescape; ours does
    titles = {code: info["title"].get(code) or info["title"].get("en") or "" for code in ("zh", "en")}
    net.templateEnv.globals.update(
        lang=lang, title=titles[lang], titles=titles,
        description=info["description"].get(lang, ""), page=info,
        vis_css=_vis_asset("vis-network.css"), viewer_css=(TEMPLATES / "viewer.css").read_text(encoding="utf-8"),
        vis_js=_inline_script(_vis_asset("vis-network.min.js")),
        viewer_js=_inline_script((TEMPLATES / "viewer.js").read_text(encoding="utf-8")))
    return net.generate_html(), net


def environment():
    """Our Jinja2 environment: autoescaped, and tojson writes sorted UTF-8 JSON safe in <script>."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    env.filters["script_json"] = lambda text: _markup(script_json(json.loads(text)))
    return env


def template(name: str):
    return environment().get_template(name)


def network(view: View, lang: str, graph=None):
    """The pyvis Network of a view, and what else the page needs (classes, relations, groups,
    sources, cited lines, description)."""
    from pyvis.edge import Edge
    from pyvis.network import Network

    ids = {iri: _display_id(iri) for iri in view.nodes}
    edges = sorted(view.edges.values(), key=lambda e: (ids[e.source], e.predicate, ids[e.target]))
    degree: Counter = Counter()
    for edge in edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    relation_keys = {p: _display_id(p) for p in {e.predicate for e in edges} | {p[0] for n in view.nodes.values() for p in n["props"]}}
    present = {n["class"] for n in view.nodes.values()}
    classes = [name for name in CLASS_STYLES if name in present] + sorted(present - set(CLASS_STYLES))
    years = {iri: _year(node) for iri, node in view.nodes.items()}
    groups = _groups(view, edges, years)
    member_of = {m: key for key, members in groups.items() for m in members}
    group_ids = {key: "group:" + "@".join(str(k) for k in key) for key in groups}

    def shown(iri: str) -> str:  # the node standing for iri while every group is closed
        return group_ids[member_of[iri]] if iri in member_of else ids[iri]

    collapsed_pairs = sorted({(shown(e.source), shown(e.target)) for e in edges if shown(e.source) != shown(e.target)})
    collapsed_nodes = sorted({shown(iri) for iri in view.nodes})
    focus = ids.get(view.focus)
    positions, decor = _positions(view, ids, collapsed_nodes, collapsed_pairs, focus, years, groups, group_ids, shown)
    # An opened group's members make room for the nodes around it, and for the other groups' members.
    occupied = [positions[n] for n in collapsed_nodes if n not in group_ids.values()]
    for key, members in sorted(groups.items(), key=lambda kv: group_ids[kv[0]]):
        placed = layout.around(positions[group_ids[key]], [ids[m] for m in sorted(members, key=ids.get)], occupied=occupied)
        positions.update(placed)
        occupied += placed.values()

    net = Network(directed=True)
    for iri in sorted(view.nodes, key=ids.get):
        node = view.nodes[iri]
        aliases = _aliases(node)
        short = _short_labels(node, aliases)
        colour, shape, _glyph = _style(node["class"])
        extra = {"group": node["class"], "x": positions[ids[iri]][0], "y": positions[ids[iri]][1],
                 "size": 36 if ids[iri] == focus else round(min(30.0, 8 + 3.2 * math.sqrt(degree[iri])), 1),
                 "zh": node["zh"] or "", "en": node["en"] or "", "short": short, "aliases": aliases,
                 "props": [[relation_keys[p[0]], *p[1:]] for p in node["props"]],
                 "importance": _importance(node, degree[iri], ids[iri] == focus)}
        if years[iri]:
            extra["year"] = years[iri]
        if iri in member_of:
            extra["member_of"] = group_ids[member_of[iri]]
        net.add_node(ids[iri], label=short[lang], shape=_vis_shape(shape), color=colour, **extra)
    labels = view.class_labels
    for key, members in sorted(groups.items(), key=lambda kv: group_ids[kv[0]]):
        cls = key[0]
        colour, shape, _glyph = _style(cls)
        names = _group_names(cls, len(members), labels.get(cls, {"zh": cls, "en": cls}))
        extra = {"group": cls, "x": positions[group_ids[key]][0], "y": positions[group_ids[key]][1],
                 "size": round(16 + 2.5 * math.sqrt(len(members)), 1), "zh": names["zh"], "en": names["en"], "short": names,
                 "aliases": [], "props": [], "members": [ids[m] for m in sorted(members, key=ids.get)],
                 "anchor": ids.get(key[1]) if isinstance(key[1], str) else None,
                 "importance": 30 + len(members) + CLASS_WEIGHT.get(cls, 0)}
        if isinstance(key[1], int):
            extra["year"] = key[1]
        net.add_node(group_ids[key], label=names[lang], shape=_vis_shape(shape), color=colour, borderWidth=3, **extra)
    # pyvis's add_edge scans the whole node list for both ends (quadratic: seconds at 10,000
    # nodes); a View's edges always join nodes it has, so they go in through pyvis's Edge directly.
    for edge in edges:
        relation = relation_keys[edge.predicate]
        net.edges.append(Edge(ids[edge.source], ids[edge.target], directed=True, rel=relation,
                              color=_relation_colour(relation), evidence=edge.evidence or []).options)
    for source, relation, target, count in _group_edges(edges, ids, shown, member_of, relation_keys):
        net.edges.append(Edge(source, target, directed=True, rel=relation, color=_relation_colour(relation),
                              group_edge=True, count=count, value=count).options)
    net.set_options(json.dumps(_options(classes, len(view.nodes))))
    info = {
        "view": view.kind, "layout": view.layout, "title": view.title, "focus": focus, "lang": lang,
        "description": _description(view, labels_of=view.nodes.get(view.focus)),
        "counts": {"nodes": len(view.nodes), "edges": len(view.edges), "groups": len(groups)},
        "classes": [{"id": name, **labels.get(name, {"zh": name, "en": name}),
                     **dict(zip(("color", "shape", "glyph"), _style(name)))} for name in classes],
        "relations": {relation_keys[p]: {**view.relations[p], "color": _relation_colour(relation_keys[p])}
                      for p in sorted(relation_keys)},
        "decor": decor,
        "figures": {shape: OUTLINES[shape] for shape in sorted({_style(name)[1] for name in classes} & CUSTOM_SHAPES)},
        **_provenance(graph, view),
    }
    return net, info


# -- what each node is called and when -----------------------------------------------------------

def _aliases(node: dict) -> list[list[str]]:
    """Other names for search: aliases, abbreviations, notations and document numbers, by language."""
    found = {(p[1], p[2] or _script(p[1])) for p in node["props"] if p[0] in ALIAS_PROPERTIES}
    return [list(pair) for pair in sorted(found)]


def _short_labels(node: dict, aliases: list[list[str]]) -> dict[str, str]:
    """The name drawn on the canvas: the shortest alias in the language, when shorter than the name."""
    short = {}
    for lang, other in (("zh", "en"), ("en", "zh")):
        full = node[lang] or node[other] or ""
        names = [full] + [text for text, alias_lang in aliases if alias_lang == lang and len(text) >= 2]
        best = min(names, key=lambda t: (len(t), t)) if full else full
        short[lang] = re.sub(r"\bArticle (?=\d)", "Art. ", re.sub(r"\bChapter (?=\d)", "Ch. ", best))
    return short


def _script(text: str) -> str:
    return "zh" if re.search(r"[\u3400-\u9fff]", text) else "en"


def _year(node: dict) -> int | None:
    for wanted in YEAR_PROPERTIES:
        for prop in node["props"]:
            if prop[0] == wanted and re.match(r"\d{4}", prop[1]):
                return int(prop[1][:4])
    return None


def _importance(node: dict, degree: int, is_focus: bool) -> float:
    weight = CLASS_WEIGHT.get(node["class"], 0)
    if node["class"] == "Provision" and any(p[1] in ("chapter", "module") for p in node["props"] if p[0] == FTZ + "provisionKind"):
        weight = 25
    return round((1000 if is_focus else 0) + weight + degree, 1)


def _group_names(cls: str, count: int, label: dict[str, str]) -> dict[str, str]:
    en = label["en"][0].lower() + label["en"][1:]
    plural = en[:-1] + "ies" if en.endswith("y") and en[-2:-1] not in "aeiou" else en + ("" if en.endswith("s") else "s")
    return {"zh": f"{count} {MEASURE_WORDS.get(cls, '项')}{label['zh']}", "en": f"{count} {plural}"}


# -- groups ------------------------------------------------------------------------------------

def _groups(view: View, edges, years: dict) -> dict[tuple, list[str]]:
    """Nodes of GROUPABLE classes, keyed by (class, anchor) — on the timeline (class, year) — where
    a key gathers GROUP_MIN or more."""
    neighbours: dict[str, set] = defaultdict(set)
    for edge in edges:
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)
    keyed: dict[tuple, list[str]] = defaultdict(list)
    by_year = view.layout == "timeline"
    for iri, node in view.nodes.items():
        if node["class"] not in (GROUPABLE_BY_YEAR if by_year else GROUPABLE) or iri == view.focus:
            continue
        if by_year:
            if years[iri]:
                keyed[(node["class"], years[iri])].append(iri)
            continue
        anchors = sorted((ANCHOR_RANK[view.nodes[nb]["class"]], nb) for nb in neighbours[iri]
                         if view.nodes[nb]["class"] in ANCHOR_RANK)
        keyed[(node["class"], anchors[0][1] if anchors else view.focus or "")].append(iri)
    return {key: sorted(members) for key, members in keyed.items() if len(members) >= GROUP_MIN}


def _group_edges(edges, ids, shown, member_of, relation_keys) -> list[tuple[str, str, str, int]]:
    """The links a closed group draws: every link of a member, with each grouped end replaced
    by its group, merged.  Whatever is open or closed, each link is drawn exactly once."""
    merged: Counter = Counter()
    for edge in edges:
        ends = []
        for iri in (edge.source, edge.target):
            ends.append([ids[iri], shown(iri)] if iri in member_of else [ids[iri]])
        for source in ends[0]:
            for target in ends[1]:
                if (source, target) != (ids[edge.source], ids[edge.target]) and source != target:
                    merged[(source, relation_keys[edge.predicate], target)] += 1
    return [(s, r, t, n) for (s, r, t), n in sorted(merged.items())]


# -- layouts -----------------------------------------------------------------------------------

def _positions(view, ids, nodes, pairs, focus, years, groups, group_ids, shown):
    """Positions of the nodes drawn while every group is closed, and any labels drawn on the canvas."""
    if view.layout in ("tree", "radial") and focus:
        arcs = {ids[iri]: ZONE_ARC for iri, node in view.nodes.items() if node["class"] in ZONE_CLASSES}
        return layout.radial_tree(focus, nodes, pairs, arcs=arcs), []
    if view.layout == "map":
        return _map_positions(view, ids, nodes, pairs), []
    if view.layout == "timeline":
        return _timeline_positions(view, ids, nodes, years, groups, group_ids, shown)
    return layout.force(nodes, pairs, centre=focus), []


def _map_positions(view, ids, nodes, pairs) -> dict[str, list[int]]:
    by_id = {ids[iri]: iri for iri in view.nodes}
    spots = {}
    for node in nodes:
        where = geography.coordinates(view.nodes.get(by_id.get(node, ""), {}))
        if where:
            spots[node] = geography.project(*where)
    placed = layout.spread_apart(spots)
    # Anything without coordinates (a new zone) waits beside its neighbour, or in the sea.
    for node in nodes:
        if node not in placed:
            beside = next((placed[b if a == node else a] for a, b in pairs if node in (a, b) and (b if a == node else a) in placed), [900, 900])
            placed.update(layout.around(beside, [node]))
    return placed


def _timeline_positions(view, ids, nodes, years, groups, group_ids, shown):
    """Columns by year, lanes by kind: zones, documents, reforms; labels for years and lanes."""
    year_of = {shown(iri): years[iri] for iri in view.nodes if years[iri]}
    year_of.update({group_ids[key]: key[1] for key in groups})
    classes = {shown(iri): view.nodes[iri]["class"] for iri in view.nodes}
    lane_of = {n: "zones" if classes[n] in ("PilotFreeTradeZone", "Zone", "FreeTradePort") else
               "documents" if classes[n] == "PolicyDocument" else "reforms" for n in nodes}
    dated = sorted(set(year_of.values()))
    first = dated[0] if dated else 2013
    stacks: dict[tuple, list[str]] = defaultdict(list)
    for node in nodes:
        stacks[(lane_of[node], year_of.get(node))].append(node)
    placed, decor, top = {}, [], 0
    for lane in LANES:
        height = max((len(v) for (l, _y), v in stacks.items() if l == lane), default=0)
        if not height:
            continue
        zh, en = LANES[lane]
        decor.append({"kind": "lane", "x": -YEAR_WIDTH, "y": top - ROW_HEIGHT, "zh": zh, "en": en})  # in the empty row above
        for (l, year), members in sorted(stacks.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            if l != lane:
                continue
            x = ((year - first) if year else -0.6) * YEAR_WIDTH
            for row, node in enumerate(sorted(members, key=lambda n: (classes[n], n))):
                placed[node] = [round(x), top + row * ROW_HEIGHT]
        top += (height + 2) * ROW_HEIGHT
    for year in range(first, (dated[-1] if dated else first) + 1):
        decor.append({"kind": "year", "x": (year - first) * YEAR_WIDTH, "y": -2 * ROW_HEIGHT, "zh": f"{year}年", "en": str(year)})
    return placed, decor


# -- page-level information ------------------------------------------------------------------------

def _description(view: View, labels_of: dict | None) -> dict[str, str]:
    zh, en = DESCRIPTIONS.get(view.kind, DESCRIPTIONS["query"])
    names = {"zh": (labels_of or {}).get("zh") or (labels_of or {}).get("en") or "",
             "en": (labels_of or {}).get("en") or (labels_of or {}).get("zh") or ""}
    counts = {"nodes": len(view.nodes), "edges": len(view.edges)}
    return {"zh": zh.format(name=names["zh"], **counts), "en": en.format(name=names["en"], **counts)}


_SOURCES = """SELECT ?file ?title ?publisher ?creator ?partOf ?date WHERE {
  ?source a ftz:Source ; ftz:sourceFile ?file ; skos:prefLabel ?title .
  OPTIONAL { ?source dcterms:publisher ?publisher }
  OPTIONAL { ?source dcterms:creator ?creator }
  OPTIONAL { ?source dcterms:isPartOf ?partOf }
  OPTIONAL { ?source dcterms:date ?date }
} ORDER BY ?file STR(?title) COALESCE(STR(?publisher), "") COALESCE(STR(?creator), "") COALESCE(STR(?partOf), "")
  COALESCE(STR(?date), "")"""  # a total order: every engine lists a source's publishers alike
_DATA_DATE = """SELECT (MAX(STR(?d)) AS ?latest) WHERE {
  { ?s ftz:issuedOn ?d } UNION { ?s ftz:eventDate ?d } UNION { ?s ftz:approvedOn ?d } UNION { ?s ftz:inauguratedOn ?d }
}"""
_ONTOLOGY_VERSION = "SELECT ?v WHERE { ?o a owl:Ontology ; owl:versionInfo ?v } ORDER BY ?v"


def _provenance(graph, view: View) -> dict:
    """Sources by file (title, publisher, year), the cited lines in context, and the data's version
    and newest date; empty without a graph (a networkx view)."""
    from ftzgraph import __version__

    if graph is None:
        return {"sources": {}, "excerpts": {}, "about": {"version": __version__}}
    sources: dict[str, dict] = {}
    for row in graph.sparql(_SOURCES).rows:
        entry = sources.setdefault(row["file"].value, {"title": {}, "by": [], "year": None})
        title = row["title"]
        entry["title"][title.language or "en"] = title.value
        for key in ("publisher", "creator", "partOf"):
            if row.get(key) and row[key].value not in entry["by"]:
                entry["by"].append(row[key].value)
        if row.get("date"):
            entry["year"] = row["date"].value[:4]
    latest = graph.sparql(_DATA_DATE).rows
    versions = [row["v"].value for row in graph.sparql(_ONTOLOGY_VERSION).rows]
    about = {"version": __version__, "ontology": versions[0] if versions else None,
             "date": latest[0]["latest"].value if latest and latest[0].get("latest") else None}
    return {"sources": sources, "excerpts": _excerpts(graph, view), "about": about}


def _excerpts(graph, view: View) -> dict[str, dict]:
    """For every cited line range in the view: the lines with CONTEXT_LINES around them."""
    from ftzgraph import paths

    folder = Path(graph.data_dir or paths.data_dir()) / "sources"
    cited = {(ev["file"], ev["lines"]) for e in view.edges.values() for ev in e.evidence or [] if ev.get("file") and ev.get("lines")}
    cited |= {(ev["file"], ev["lines"]) for n in view.nodes.values() for p in n["props"] if len(p) > 3
              for ev in p[3] if ev.get("file") and ev.get("lines")}
    texts: dict[str, list[str] | None] = {}
    excerpts = {}
    for file, lines in sorted(cited):
        if file not in texts:
            path = folder / file
            texts[file] = path.read_text(encoding="utf-8").splitlines() if path.is_file() else None
        if texts[file] is None:
            continue
        start, _, end = lines.partition("-")
        first = max(1, int(start) - CONTEXT_LINES)
        last = min(len(texts[file]), int(end or start) + CONTEXT_LINES)
        excerpts[f"{file}:{lines}"] = {"from": first, "lines": [line[:LINE_MAX] for line in texts[file][first - 1:last]]}
    return excerpts


def _options(classes: list[str], size: int) -> dict:
    """vis-network options: precomputed positions (no physics), one group per class."""
    large = size > layout.LARGE
    return {
        "groups": {name: {"shape": _vis_shape(_style(name)[1]), "color": _style(name)[0]} for name in classes},
        "nodes": {"borderWidth": 1, "borderWidthSelected": 3},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.45}}, "smooth": False, "width": 1.2,
                  "selectionWidth": 1.5, "scaling": {"min": 1, "max": 6}},
        "physics": {"enabled": False},
        "layout": {"randomSeed": layout.SEED, "improvedLayout": False},
        "interaction": {"hover": not large, "tooltipDelay": 250, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "keyboard": False, "zoomSpeed": 0.6},
    }


def _vis_shape(shape: str) -> str:
    """vis-network's shape option: "custom" for the shapes viewer.js draws (by the class's shape)."""
    return "custom" if shape in CUSTOM_SHAPES else shape


def _style(cls: str) -> tuple[str, str, str]:
    return CLASS_STYLES.get(cls, CLASS_STYLES["Thing"])


def _relation_colour(key: str) -> str:
    return RELATION_COLOURS.get(key.split(":")[-1].split("#")[-1], OTHER_RELATION)


def _display_id(iri: str) -> str:
    if iri.startswith("_:") or "://" not in iri:
        return iri
    compact = vocab.compact(iri)
    return compact[1:-1] if compact.startswith("<") else compact


def script_json(payload) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can end the element or open a comment."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _markup(text: str):
    import markupsafe

    return markupsafe.Markup(text)


def _inline_script(text: str) -> str:
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise FtzError("a bundled script contains '</script' or '<!--' and cannot be inlined")
    return text


def _vis_asset(name: str) -> str:
    """A file of the vis-network build that pyvis ships (the newest, if it ships several)."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise FtzError("pyvis is not installed; it builds the views and ships the vis-network files they inline")
    builds = sorted(Path(spec.submodule_search_locations[0]).glob(f"lib/vis-*/{name}"), key=_version_key)
    if not builds:
        raise FtzError(f"pyvis has no lib/vis-*/{name}")
    return builds[-1].read_text(encoding="utf-8")


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))
