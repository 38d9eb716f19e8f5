"""The page: one self-contained HTML file for a View, with vis-network's JS and CSS inlined.

The file works from file:// with the network off; its Content-Security-Policy forbids
fetching anything.  The same view gives byte-identical pages: everything is sorted
and nothing records the time.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from pathlib import Path

from ftzgraph import vocab
from ftzgraph.errors import FtzError, UsageError
from ftzgraph.render.layout import SEED, precomputed_layout
from ftzgraph.render.views import View

TEMPLATES = Path(__file__).parent / "templates"
PHYSICS_LIMIT = 500  # larger views get a precomputed layout and no physics

# Class local name -> (colour, vis-network shape, legend glyph), in legend order.
CLASS_STYLES = {
    "FreeTradePort": ("#8e0152", "star", "★"),
    "PilotFreeTradeZone": ("#d73027", "hexagon", "⬢"),
    "Zone": ("#d73027", "hexagon", "⬢"),
    "SubArea": ("#f46d43", "triangle", "▲"),
    "GovernmentBody": ("#4575b4", "square", "■"),
    "PolicyDocument": ("#7b3294", "diamond", "◆"),
    "PilotMeasure": ("#1a9850", "dot", "●"),
    "BestPracticeCase": ("#a6d96a", "dot", "●"),
    "ReformPilotExperience": ("#b8860b", "dot", "●"),
    "ZoneInnovation": ("#35978f", "dot", "●"),
    "Measure": ("#66bd63", "dot", "●"),
    "Agreement": ("#e08214", "star", "★"),
    "Provision": ("#fdb863", "triangleDown", "▼"),
    "Concept": ("#878787", "dot", "●"),
    "Source": ("#525252", "square", "■"),
    "Disagreement": ("#de77ae", "diamond", "◆"),
    "Evidence": ("#bababa", "dot", "●"),
    "Thing": ("#bdbdbd", "dot", "●"),
}


def to_html(view: View, lang: str = "en") -> str:
    """The view as one self-contained HTML page."""
    if lang not in ("zh", "en"):
        raise UsageError("--lang takes zh or en")
    return template("page.html").render(
        lang=lang,
        title=view.title.get(lang) or view.title.get("en") or "",
        vis_css=_vis_asset("vis-network.css"),
        viewer_css=(TEMPLATES / "viewer.css").read_text(encoding="utf-8"),
        data=script_json(page_data(view, lang)),
        vis_js=_inline_script(_vis_asset("vis-network.min.js")),
        viewer_js=_inline_script((TEMPLATES / "viewer.js").read_text(encoding="utf-8")),
    )


def template(name: str):
    """A Jinja2 template of ours, autoescaped: only what is marked safe goes in unescaped."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True)
    return env.get_template(name)


def page_data(view: View, lang: str) -> dict:
    """What the page's script reads: nodes, edges, relations and classes, all sorted."""
    ids = {iri: _display_id(iri) for iri in view.nodes}
    degree: dict[str, int] = defaultdict(int)
    for edge in view.edges.values():
        degree[edge.source] += 1
        degree[edge.target] += 1
    edges = sorted(view.edges.values(), key=lambda e: (ids[e.source], e.predicate, ids[e.target]))
    predicates = {e.predicate for e in edges} | {p[0] for n in view.nodes.values() for p in n["props"]}
    relation_keys = {p: _display_id(p) for p in predicates}
    physics = len(view.nodes) <= PHYSICS_LIMIT
    positions = {} if physics else precomputed_layout(sorted(view.nodes), [(e.source, e.target) for e in edges])
    present = {n["class"] for n in view.nodes.values()}
    classes = [name for name in CLASS_STYLES if name in present] + sorted(present - set(CLASS_STYLES))
    nodes = []
    for iri in sorted(view.nodes, key=ids.get):
        node = view.nodes[iri]
        entry = {"id": ids[iri], "zh": node["zh"] or "", "en": node["en"] or "", "class": node["class"],
                 "size": round(min(50, 10 + 4 * math.sqrt(degree[iri])), 1),
                 "props": [[relation_keys[p[0]], *p[1:]] for p in node["props"]]}
        if iri in positions:
            entry["x"], entry["y"] = positions[iri]
        nodes.append(entry)
    return {
        "title": view.title,
        "lang": lang,
        "physics": physics,
        "seed": SEED,
        "focus": ids.get(view.focus),
        "classes": [{"id": name, **view.class_labels.get(name, {"zh": name, "en": name}),
                     **dict(zip(("color", "shape", "glyph"), CLASS_STYLES.get(name, CLASS_STYLES["Thing"]))),
                     } for name in classes],
        "relations": {relation_keys[p]: view.relations[p] for p in sorted(relation_keys)},
        "nodes": nodes,
        "edges": [{"from": ids[e.source], "to": ids[e.target], "rel": relation_keys[e.predicate], "evidence": e.evidence or []}
                  for e in edges],
    }


def _display_id(iri: str) -> str:
    if iri.startswith("_:") or "://" not in iri:
        return iri
    compact = vocab.compact(iri)
    return compact[1:-1] if compact.startswith("<") else compact


def script_json(payload) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can end the element or open a comment."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _inline_script(text: str) -> str:
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise FtzError("a bundled script contains '</script' or '<!--' and cannot be inlined")
    return text


def _vis_asset(name: str) -> str:
    """A file of the vis-network build that pyvis ships, found without importing pyvis."""
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise FtzError("pyvis is not installed; it ships the vis-network files the views inline")
    builds = sorted(Path(spec.submodule_search_locations[0]).glob(f"lib/vis-*/{name}"), key=_version_key)
    if not builds:
        raise FtzError(f"pyvis has no lib/vis-*/{name}")
    return builds[-1].read_text(encoding="utf-8")


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))
