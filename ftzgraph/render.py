"""Presenters: self-contained HTML views of the graph, for people rather than programs.

    >>> from ftzgraph import render
    >>> view = render.build_view(ftzgraph.open(), "zone", "zone:shanghai")
    >>> Path("shanghai.html").write_text(render.to_html(view, lang="zh"), encoding="utf-8")

A view is made in three steps: a SPARQL CONSTRUCT (or a trace) gives the edges,
``describe`` adds labels, classes, literal properties and evidence from the store,
and ``to_html`` fills one page with vis-network's JS and CSS inlined, so the file
works from file:// with the network off.  The same data gives byte-identical files:
nodes and edges are sorted, layouts are seeded, nothing records the time.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ftzgraph import vocab
from ftzgraph.errors import FtzError, UsageError

FTZ = vocab.FTZ
RDF_TYPE = vocab.PREFIXES["rdf"] + "type"
SKOS = vocab.PREFIXES["skos"]
RDFS = vocab.PREFIXES["rdfs"]
VIEWS = ("overview", "zone", "body", "agreement", "trace")
SEED = 42
PHYSICS_LIMIT = 500  # larger views get a precomputed layout and no physics
MEASURES_PER_ZONE = 6  # the overview shows each zone's most widely piloted or aligned measures
HUBS = 150  # nodes placed by the force layout in a large view; the rest join them
SPACING = 28.0  # pixels between neighbouring nodes in a precomputed layout
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
VIEWER = Path(__file__).parent / "viewer"

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
# Labels for terms the ontology does not label: (en, zh).
FALLBACK_LABELS = {
    SKOS + "Concept": ("Concept", "概念"),
    "Thing": ("Other", "其他"),
    SKOS + "prefLabel": ("name", "名称"),
    SKOS + "altLabel": ("alias", "别名"),
    SKOS + "definition": ("definition", "定义"),
    RDFS + "label": ("label", "标签"),
    RDFS + "comment": ("note", "备注"),
    vocab.PREFIXES["org"] + "subOrganizationOf": ("part of", "上级机构"),
    vocab.PREFIXES["dcterms"] + "date": ("date", "日期"),
    vocab.PREFIXES["dcterms"] + "publisher": ("publisher", "出版者"),
}


@dataclass
class Edge:
    source: str
    predicate: str  # an IRI, or the free-text relation of a custom SELECT
    target: str
    evidence: list[dict] | None = None  # None: describe() looks it up


@dataclass
class View:
    """A subgraph ready to draw: nodes by IRI, edges with evidence, labels for both languages."""

    title: dict[str, str]
    nodes: dict[str, dict] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)
    relations: dict[str, dict[str, str]] = field(default_factory=dict)  # predicate -> {"zh", "en"}
    focus: str | None = None

    def add_node(self, iri: str, cls: str | None = None) -> dict:
        node = self.nodes.setdefault(iri, {"zh": None, "en": None, "class": "Thing", "props": []})
        if cls:
            node["class"] = cls
        return node

    def add_edge(self, source: str, predicate: str, target: str, evidence: list[dict] | None = None) -> None:
        self.add_node(source)
        self.add_node(target)
        self.edges.setdefault((source, predicate, target), Edge(source, predicate, target, evidence))


# -- views --------------------------------------------------------------------------------------

_ZONE = """CONSTRUCT {
  ?focus a ?class . ?sub ftz:subAreaOf ?focus . ?m ftz:pilotedIn ?place .
  ?doc ftz:appliesTo ?place . ?m ftz:listedIn ?listed . ?m ftz:leadBody ?lead . ?d ftz:issuedBy ?issuer .
} WHERE {
  VALUES ?focus { UNDEF }
  { ?focus a ?class }
  UNION { ?sub ftz:subAreaOf ?focus }
  UNION { ?place ftz:subAreaOf? ?focus . ?m ftz:pilotedIn ?place
          OPTIONAL { ?m ftz:listedIn ?listed } OPTIONAL { ?m ftz:leadBody ?lead } }
  UNION { ?place ftz:subAreaOf? ?focus . ?doc ftz:appliesTo ?place }
  UNION { ?place ftz:subAreaOf? ?focus .
          { ?d ftz:appliesTo ?place } UNION { ?x ftz:pilotedIn ?place ; ftz:listedIn ?d }
          ?d ftz:issuedBy ?issuer }
}"""

_BODY = """CONSTRUCT {
  ?focus a ?class . ?m ftz:leadBody ?focus . ?d ftz:issuedBy ?issuer .
  ?m ftz:pilotedIn ?place . ?place ftz:subAreaOf ?zone . ?m ftz:listedIn ?listed .
} WHERE {
  VALUES ?focus { UNDEF }
  { ?focus a ?class }
  UNION { ?m ftz:leadBody ?focus OPTIONAL { ?m ftz:listedIn ?listed } }
  UNION { ?d ftz:issuedBy ?focus , ?issuer }
  UNION { ?m ftz:leadBody ?focus ; ftz:pilotedIn ?place OPTIONAL { ?place ftz:subAreaOf ?zone } }
}"""

# Chapters always show; a deeper provision only when something aligns with it or inside it.
_AGREEMENT = """CONSTRUCT {
  ?focus a ?class . ?p ftz:partOf ?parent . ?item ftz:alignsWith ?target .
  ?item ftz:pilotedIn ?place . ?item ftz:appliesTo ?applies . ?place ftz:subAreaOf ?zone .
} WHERE {
  VALUES ?focus { UNDEF }
  { ?focus a ?class }
  UNION { ?p ftz:partOf+ ?focus ; ftz:partOf ?parent
          FILTER(?parent = ?focus || EXISTS { ?inner ftz:partOf* ?p . ?any ftz:alignsWith ?inner }) }
  UNION { ?target ftz:partOf* ?focus . ?item ftz:alignsWith ?target
          OPTIONAL { ?item ftz:pilotedIn ?place OPTIONAL { ?place ftz:subAreaOf ?zone } }
          OPTIONAL { ?item ftz:appliesTo ?applies } }
}"""

_OVERVIEW_PLACES = """CONSTRUCT { ?zone a ?class . ?sub ftz:subAreaOf ?zone } WHERE {
  ?zone a ?class . ?class rdfs:subClassOf* ftz:Zone .
  OPTIONAL { ?sub ftz:subAreaOf ?zone }
}"""

# Each measure piloted in a zone (or one of its sub-areas), weighted by how far it reaches.
_OVERVIEW_MEASURES = """SELECT ?zone ?m ?place (COUNT(DISTINCT ?reach) AS ?weight) WHERE {
  ?zone a/rdfs:subClassOf* ftz:Zone .
  ?place ftz:subAreaOf? ?zone . ?m ftz:pilotedIn ?place .
  { ?m ftz:pilotedIn ?reach } UNION { ?m ftz:alignsWith ?reach }
} GROUP BY ?zone ?m ?place"""

# View titles in (zh, en), filled with the focus's label.
_VIEW_TITLES = {
    "zone": ("{zh}：片区、举措、文件与机构", "{en}: sub-areas, measures, documents and bodies"),
    "body": ("{zh}：牵头举措、发布文件、联合发文机关与试点地区", "{en}: measures, documents, co-issuers and zones"),
    "agreement": ("{zh}：章节、条款、对接举措与自贸区", "{en}: chapters, provisions, aligned measures and zones"),
    "trace": ("追溯：{zh}", "Trace: {en}"),
}
_FOCUS_CLASSES = {"zone": "Zone", "body": "GovernmentBody", "agreement": "Agreement"}
_EXAMPLES = {"zone": "zone:shanghai", "body": "海关总署", "agreement": "agreement:cptpp", "trace": "provision:cptpp-5.3"}


def build_view(graph, kind: str, name: str | None = None) -> View:
    """One of VIEWS; every view but the overview needs a name (IRI, prefixed name or label)."""
    if kind not in VIEWS:
        raise UsageError(f"unknown view {kind!r}; choose one of {', '.join(VIEWS)}")
    if kind == "overview":
        if name:
            raise UsageError("the overview view takes no name")
        return overview_view(graph)
    if not name:
        raise UsageError(f"the {kind} view needs a name, e.g. ftzgraph render {kind} {_EXAMPLES[kind]}")
    if kind == "trace":
        return trace_view(graph, name)
    return focus_view(graph, kind, graph.resolve(name, _FOCUS_CLASSES[kind]))


def focus_view(graph, kind: str, iri: str) -> View:
    """The zone, body or agreement view of one entity."""
    expected = _FOCUS_CLASSES[kind]
    if not graph.sparql(f"ASK {{ {_term(iri)} a/rdfs:subClassOf* ftz:{expected} }}").boolean:
        raise UsageError(f"{vocab.compact(iri)} is not a {expected} in the graph")
    query = {"zone": _ZONE, "body": _BODY, "agreement": _AGREEMENT}[kind]
    view = View(title={})
    add_triples(view, construct(graph, _bind_focus(query, iri)))
    view.focus = iri
    describe(graph, view)
    view.title = _titled(kind, view.nodes[iri], iri)
    return view


def overview_view(graph, per_zone: int = MEASURES_PER_ZONE) -> View:
    """Zones, their sub-areas and, per zone, the measures piloted most widely or aligned most."""
    view = View(title={"zh": "中国自由贸易试验区总览：自贸区、片区与主要举措",
                       "en": "China's pilot free trade zones: zones, sub-areas and main measures"})
    add_triples(view, construct(graph, _OVERVIEW_PLACES))
    by_zone: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for row in graph.sparql(_OVERVIEW_MEASURES).rows:
        by_zone[row["zone"].value].append((-int(row["weight"].value), row["m"].value, row["place"].value))
    for zone in sorted(by_zone):
        chosen: list[str] = []
        for _weight, measure, place in sorted(by_zone[zone]):
            if measure not in chosen:
                if len(chosen) == per_zone:
                    continue
                chosen.append(measure)
            view.add_edge(measure, FTZ + "pilotedIn", place)
    describe(graph, view)
    return view


def trace_view(graph, target: str) -> View:
    """The paths of ``ftzgraph.trace.trace``: every edge from a clause, measure, zone … with its evidence."""
    from ftzgraph.trace import trace

    return from_trace(graph, trace(graph, target))


def from_trace(graph, result) -> View:
    """The view of a computed ``ftzgraph.trace.Trace``."""
    view = View(title={})
    view.add_node(result.root)
    for edge in result.edges:
        view.add_edge(edge.source, FTZ + edge.predicate, edge.target, [_clean(e) for e in edge.evidence])
    view.focus = result.root
    describe(graph, view)
    view.title = _titled("trace", view.nodes[result.root], result.root)
    return view


def query_view(graph, text: str) -> View:
    """A custom CONSTRUCT (IRI objects are edges, literals properties, rdf:type the class)
    or a SELECT with ?source ?target and an optional ?label naming each edge's relation."""
    result = graph.sparql(text)
    view = View(title={"zh": "自定义查询", "en": "Custom query"})
    if result.kind == "graph":
        add_triples(view, result.triples)
    elif result.kind == "rows" and {"source", "target"} <= set(result.variables):
        for row in result.rows:
            _add_row(view, row)
    else:
        raise UsageError("--query needs a CONSTRUCT, or a SELECT with ?source and ?target (and optional ?label)")
    describe(graph, view)
    return view


def _add_row(view: View, row: dict) -> None:
    import pyoxigraph as ox

    source, target, label = row.get("source"), row.get("target"), row.get("label")
    if source is None or target is None:
        return
    if isinstance(source, ox.Literal) or isinstance(target, ox.Literal):
        raise UsageError("?source and ?target must be IRIs or blank nodes, not literals")
    relation = label.value if label is not None else "related to"
    view.relations.setdefault(relation, {"zh": relation, "en": relation})
    view.add_edge(_node_key(source), relation, _node_key(target), [])


def from_networkx(g, title: dict[str, str] | None = None) -> View:
    """A view of a networkx graph: node attributes zh, en and class, edge attribute relation."""
    view = View(title=title or {"zh": "网络", "en": "Network"})
    for node, attrs in g.nodes(data=True):
        entry = view.add_node(str(node), attrs.get("class", "Thing"))
        entry["zh"], entry["en"] = attrs.get("zh"), attrs.get("en")
    for source, target, attrs in g.edges(data=True):
        relation = attrs.get("relation", "related to")
        view.relations.setdefault(relation, {"zh": relation, "en": relation})
        view.add_edge(str(source), relation, str(target), [])
    return view


def _titled(kind: str, node: dict, iri: str) -> dict[str, str]:
    zh, en = _VIEW_TITLES[kind]
    fallback = vocab.compact(iri)
    return {"zh": zh.format(zh=node["zh"] or node["en"] or fallback), "en": en.format(en=node["en"] or node["zh"] or fallback)}


# -- from the store -----------------------------------------------------------------------------

def construct(graph, text: str) -> list:
    result = graph.sparql(text)
    if result.kind != "graph":
        raise UsageError("expected a CONSTRUCT query")
    return result.triples


def add_triples(view: View, triples) -> None:
    """IRI objects become edges, rdf:type the class, other literals the subject's properties."""
    import pyoxigraph as ox

    for triple in triples:
        subject, predicate, obj = _node_key(triple.subject), triple.predicate.value, triple.object
        if isinstance(obj, ox.Literal):
            view.add_node(subject)["props"].append([predicate, obj.value, obj.language or ""])
        elif predicate == RDF_TYPE:
            node = view.add_node(subject)
            node.setdefault("types", set()).add(obj.value)
        else:
            view.add_edge(subject, predicate, _node_key(obj))


def _node_key(term) -> str:
    import pyoxigraph as ox

    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def _bind_focus(query: str, iri: str) -> str:
    return query.replace("VALUES ?focus { UNDEF }", f"VALUES ?focus {{ {_term(iri)} }}")


def _term(iri: str) -> str:
    import pyoxigraph as ox

    try:
        return str(ox.NamedNode(iri))
    except ValueError as exc:
        raise UsageError(f"invalid IRI {iri!r}: {exc}") from exc


def _terms(iris) -> list[str]:
    return [_term(i) for i in sorted(iris)]


def describe(graph, view: View) -> None:
    """Fill in labels, classes, literal properties, evidence and relation names from the store."""
    iris = [iri for iri in view.nodes if not iri.startswith("_:")]
    if iris:
        _add_types(graph, view, iris)
        _add_literals(graph, view, iris)
        _add_evidence(graph, view, iris)
    for node in view.nodes.values():
        node["class"] = _most_specific(node.pop("types", set())) or node["class"]
        node["props"] = sorted({tuple(p[:3]): p for p in node["props"]}.values(), key=lambda p: (p[0], p[2], p[1]))
    for edge in view.edges.values():
        if edge.evidence is None:
            edge.evidence = []
    _add_relation_labels(graph, view)


def _add_types(graph, view: View, iris: list[str]) -> None:
    for row in graph.sparql_batched("SELECT ?n ?c WHERE { VALUES ?n { {values} } ?n a ?c }", _terms(iris)).rows:
        view.nodes[row["n"].value].setdefault("types", set()).add(row["c"].value)


def _most_specific(types: set[str]) -> str | None:
    names = {t[len(FTZ):] for t in types if t.startswith(FTZ)}
    if SKOS + "Concept" in types:
        names.add("Concept")
    return next((name for name in CLASS_STYLES if name in names), None)


def _add_literals(graph, view: View, iris: list[str]) -> None:
    rows = graph.sparql_batched("SELECT ?n ?p ?v WHERE { VALUES ?n { {values} } ?n ?p ?v FILTER(isLiteral(?v)) }", _terms(iris)).rows
    for row in rows:
        node = view.nodes[row["n"].value]
        node["props"].append([row["p"].value, row["v"].value, row["v"].language or ""])
    for node in view.nodes.values():
        _take_labels(node)


def _take_labels(node: dict) -> None:
    """prefLabel per language (rdfs:label if none); the rest stay properties."""
    for wanted in (SKOS + "prefLabel", RDFS + "label"):
        for predicate, value, lang in sorted(node["props"]):
            if predicate == wanted:
                key = lang if lang in ("zh", "en") else None
                for slot in [key] if key else ["zh", "en"]:
                    if not node[slot]:
                        node[slot] = value
    node["props"] = [p for p in node["props"] if p[0] != SKOS + "prefLabel"]


_EVIDENCE = """SELECT ?s ?p ?o ?basis ?file ?start ?end ?quote ?authority ?comment WHERE {
  VALUES ?s { {values} }
  ?e a ftz:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ftz:basis ?basis .
  OPTIONAL { ?e ftz:source ?source . ?source ftz:sourceFile ?file }
  OPTIONAL { ?e ftz:lineStart ?start }
  OPTIONAL { ?e ftz:lineEnd ?end }
  OPTIONAL { ?e ftz:quote ?quote }
  OPTIONAL { ?e ftz:authority ?authority }
  OPTIONAL { ?e rdfs:comment ?comment }
}"""


def _add_evidence(graph, view: View, iris: list[str]) -> None:
    """Evidence of each edge, and of each literal property, by its exact statement."""
    found: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in graph.sparql_batched(_EVIDENCE, _terms(iris)).rows:
        key = (row["s"].value, row["p"].value, row["o"].value)
        found[key].append(_evidence_item(row))
    for key, edge in view.edges.items():
        if edge.evidence is None:
            edge.evidence = _sorted_evidence(found.get(key, []))
    for iri, node in view.nodes.items():
        for prop in node["props"]:
            items = _sorted_evidence(found.get((iri, prop[0], prop[1]), []))
            if items:
                prop.append(items)


def _evidence_item(row: dict) -> dict:
    item = {"basis": row["basis"].value}
    if row.get("file"):
        item["file"] = row["file"].value
    if row.get("start"):
        start, end = row["start"].value, row["end"].value
        item["lines"] = start if start == end else f"{start}-{end}"
    for key in ("quote", "authority", "comment"):
        if row.get(key):
            item[key] = row[key].value
    return item


def _clean(item: dict) -> dict:
    """Evidence from elsewhere (a trace) with only the fields the page shows."""
    return {k: str(item[k]) for k in ("basis", "file", "lines", "quote", "authority", "comment") if item.get(k)}


def _sorted_evidence(items: list[dict]) -> list[dict]:
    unique = {json.dumps(i, sort_keys=True, ensure_ascii=False): i for i in items}
    return [unique[k] for k in sorted(unique)]


def _add_relation_labels(graph, view: View) -> None:
    predicates = {e.predicate for e in view.edges.values()} | {p[0] for n in view.nodes.values() for p in n["props"]}
    wanted = sorted(p for p in predicates if p not in view.relations)
    labels = _labels_of(graph, wanted)
    for predicate in wanted:
        view.relations[predicate] = labels.get(predicate) or _fallback_label(predicate)


def _labels_of(graph, iris) -> dict[str, dict[str, str]]:
    iris = [i for i in iris if "://" in i]
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    if not iris:
        return labels
    for row in graph.sparql_batched("SELECT ?x ?l WHERE { VALUES ?x { {values} } ?x rdfs:label ?l }", _terms(iris)).rows:
        lang = row["l"].language
        if lang in ("zh", "en"):
            labels[row["x"].value][lang] = row["l"].value
    return {iri: {"zh": pair.get("zh") or pair.get("en"), "en": pair.get("en") or pair.get("zh")} for iri, pair in labels.items()}


def _fallback_label(term: str) -> dict[str, str]:
    if term in FALLBACK_LABELS:
        en, zh = FALLBACK_LABELS[term]
        return {"zh": zh, "en": en}
    name = vocab.compact(term) if "://" in term else term
    return {"zh": name, "en": name}


def _class_labels(graph, classes: list[str]) -> dict[str, dict[str, str]]:
    iris = {name: (SKOS + "Concept" if name == "Concept" else FTZ + name) for name in classes if name != "Thing"}
    found = _labels_of(graph, iris.values()) if graph is not None else {}
    return {name: found.get(iris.get(name, name)) or _fallback_label(iris.get(name, name)) for name in classes}


# -- the page -----------------------------------------------------------------------------------

def to_html(view: View, lang: str = "zh", graph=None) -> str:
    """The view as one self-contained HTML page; ``graph`` supplies class names from the ontology."""
    if lang not in ("zh", "en"):
        raise UsageError("--lang takes zh or en")
    payload = page_data(view, lang, graph)
    fills = {
        "LANG": "zh-CN" if lang == "zh" else "en",
        "TITLE": html.escape(view.title.get(lang) or view.title.get("en") or ""),
        "VIS_CSS": _vis_asset("vis-network.css"),
        "VIEWER_CSS": (VIEWER / "viewer.css").read_text(encoding="utf-8"),
        "DATA": script_json(payload),
        "VIS_JS": _inline_script(_vis_asset("vis-network.min.js")),
        "VIEWER_JS": _inline_script((VIEWER / "viewer.js").read_text(encoding="utf-8")),
    }
    template = (VIEWER / "page.html").read_text(encoding="utf-8")
    # One pass over the template: filled-in text is never scanned for markers again.
    return re.sub(r"%%([A-Z_]+)%%", lambda m: fills[m.group(1)], template)


def page_data(view: View, lang: str, graph=None) -> dict:
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
    classes = [name for name in CLASS_STYLES if any(n["class"] == name for n in view.nodes.values())]
    class_labels = _class_labels(graph, classes)
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
        "classes": [{"id": name, **class_labels[name], "color": CLASS_STYLES[name][0], "shape": CLASS_STYLES[name][1],
                     "glyph": CLASS_STYLES[name][2]} for name in classes],
        "relations": {relation_keys[p]: view.relations.get(p) or _fallback_label(p) for p in sorted(relation_keys)},
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


# -- layout of large views ----------------------------------------------------------------------

def precomputed_layout(nodes: list[str], pairs: list[tuple[str, str]], seed: int = SEED) -> dict[str, list[int]]:
    """Positions for a view too large for in-browser physics, in near-linear time.

    A force layout of every node is quadratic (minutes at 10,000 nodes), so networkx's
    seeded spring layout places only the hubs; every other node then joins a sunflower
    around the centre of its already placed neighbours, breadth first from the hubs.
    """
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(pairs)
    hubs = _hubs(g)
    spread = SPACING * math.sqrt(len(g))
    placed = {n: (x * spread, y * spread) for n, (x, y) in nx.spring_layout(_skeleton(g, hubs), seed=seed).items()}
    frontier = sorted(hubs)
    while frontier:
        groups: dict[tuple, list[str]] = defaultdict(list)
        for node in sorted({nb for n in frontier for nb in g[n] if nb not in placed}):
            groups[tuple(sorted(nb for nb in g[node] if nb in placed))].append(node)
        for anchors, members in sorted(groups.items()):
            _sunflower(placed, anchors, members)
        frontier = [m for members in groups.values() for m in members]
    return {n: [round(x), round(y)] for n, (x, y) in placed.items()}


def _hubs(g) -> set:
    """The best-connected nodes, and the best-connected node of every component without one."""
    import networkx as nx

    rank = sorted(g, key=lambda n: (-g.degree(n), n))
    hubs = set(rank[:HUBS])
    for component in nx.connected_components(g):
        if not component & hubs:
            hubs.add(min(component, key=lambda n: (-g.degree(n), n)))
    return hubs


def _skeleton(g, hubs: set):
    """The hubs, joined where they share a neighbour, so the spring layout sees the structure."""
    import networkx as nx

    skeleton = nx.Graph()
    skeleton.add_nodes_from(sorted(hubs))
    for node in sorted(g):
        linked = sorted(nb for nb in g[node] if nb in hubs)
        if node in hubs:
            skeleton.add_edges_from((node, nb) for nb in linked)
        else:  # a chain, not a clique: linear in the neighbours
            skeleton.add_edges_from(zip(linked, linked[1:]))
    return skeleton


def _sunflower(placed: dict, anchors: tuple, members: list[str]) -> None:
    cx = sum(placed[a][0] for a in anchors) / len(anchors)
    cy = sum(placed[a][1] for a in anchors) / len(anchors)
    for i, node in enumerate(members):
        radius = SPACING * math.sqrt(i + 2)  # + 2 keeps the first member off the anchor
        placed[node] = (cx + radius * math.cos(i * GOLDEN_ANGLE), cy + radius * math.sin(i * GOLDEN_ANGLE))


# -- the gallery --------------------------------------------------------------------------------

# file, view, name, caption (en, zh)
GALLERY = (
    ("overview.html", "overview", None,
     ("All zones, their sub-areas and the measures piloted most widely in each.", "全部自贸区、片区及各自试点范围最广的举措。")),
    ("agreement-cptpp.html", "agreement", "agreement:cptpp",
     ("CPTPP chapters and articles, the measures and documents aligned with them, and where they were piloted.",
      "CPTPP 的章节与条款、与之对接的举措和文件及其试点地区。")),
    ("agreement-rcep.html", "agreement", "agreement:rcep",
     ("RCEP chapters and articles with the measures and documents aligned with them.", "RCEP 的章节与条款及与之对接的举措和文件。")),
    ("agreement-depa.html", "agreement", "agreement:depa",
     ("DEPA modules with the measures and documents aligned with them.", "DEPA 各模块及与之对接的举措和文件。")),
    ("zone-shanghai.html", "zone", "zone:shanghai",
     ("Shanghai: sub-areas, measures, documents and bodies.", "上海：片区、举措、文件与机构。")),
    ("zone-hainan-ftp.html", "zone", "zone:hainan-ftp",
     ("Hainan Free Trade Port: sub-areas, measures, documents and bodies.", "海南自由贸易港：片区、举措、文件与机构。")),
    ("zone-guangdong.html", "zone", "zone:guangdong",
     ("Guangdong: sub-areas, measures, documents and bodies.", "广东：片区、举措、文件与机构。")),
    ("zone-tianjin.html", "zone", "zone:tianjin",
     ("Tianjin: sub-areas, measures, documents and bodies.", "天津：片区、举措、文件与机构。")),
    ("body-gacc.html", "body", "body:gacc",
     ("The General Administration of Customs: the measures it leads, its documents and co-issuers, and their zones.",
      "海关总署：牵头的举措、发布的文件、联合发文机关及试点地区。")),
    ("trace-cptpp-5.3.html", "trace", "provision:cptpp-5.3",
     ("A trace from CPTPP Article 5.3 (advance rulings) to the measures, documents, bodies and zones behind it.",
      "从 CPTPP 第5.3条（预裁定）追溯到相关举措、文件、机构与自贸区。")),
)


def gallery(graph, lang: str = "zh") -> dict[str, str]:
    """Every gallery page and index.html, by file name."""
    pages: dict[str, str] = {}
    entries = []
    for filename, kind, name, caption in GALLERY:
        view = build_view(graph, kind, name)
        pages[filename] = to_html(view, lang, graph)
        entries.append((filename, view, caption))
    pages["index.html"] = gallery_index(entries, lang)
    return pages


def gallery_index(entries: list[tuple[str, View, tuple[str, str]]], lang: str) -> str:
    items = []
    for filename, view, (caption_en, caption_zh) in entries:
        title, caption = (view.title["zh"], caption_zh) if lang == "zh" else (view.title["en"], caption_en)
        other = caption_en if lang == "zh" else caption_zh
        size = (f"{len(view.nodes)} 个节点 · {len(view.edges)} 条关系" if lang == "zh"
                else f"{len(view.nodes)} nodes · {len(view.edges)} edges")
        items.append(
            f'<li><a href="{html.escape(filename)}">{html.escape(title)}</a>'
            f"<p>{html.escape(caption)}</p><p class=\"other\">{html.escape(other)}</p>"
            f"<p class=\"size\">{size}</p></li>"
        )
    template = (VIEWER / "index.html").read_text(encoding="utf-8")
    return template.replace("%%LANG%%", "zh-CN" if lang == "zh" else "en").replace("%%ITEMS%%", "\n".join(items))
