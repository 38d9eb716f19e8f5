"""Views: which part of the graph to draw, with labels, classes, properties and evidence.

A view is made in two steps: a SPARQL CONSTRUCT (or a trace) gives the edges, and
``describe`` adds labels, the most specific class, literal properties, evidence and
relation names from the store.  ``ftzgraph.render.page`` turns a View into HTML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ftzgraph import edges as evidence
from ftzgraph import ontology, vocab
from ftzgraph.edges import Edge
from ftzgraph.errors import UsageError
from ftzgraph.vocab import iri_term

FTZ = vocab.FTZ
RDF_TYPE = vocab.PREFIXES["rdf"] + "type"
SKOS = vocab.PREFIXES["skos"]
RDFS = vocab.PREFIXES["rdfs"]
VIEWS = ("overview", "zone", "body", "agreement", "trace", "map", "timeline")
UNNAMED = ("overview", "map", "timeline")  # the views of the whole graph take no name
# How each kind is laid out (ftzgraph.render.layout); a custom view gets the force layout.
LAYOUTS = {"agreement": "tree", "trace": "radial", "map": "map", "timeline": "timeline"}
MEASURES_PER_ZONE = 6  # the overview shows each zone's most widely piloted or aligned measures

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
    vocab.PREFIXES["dcterms"] + "title": ("title", "标题"),
    vocab.PREFIXES["dcterms"] + "creator": ("author", "作者"),
    vocab.PREFIXES["dcterms"] + "isPartOf": ("part of", "所属"),
    vocab.PREFIXES["dcterms"] + "subject": ("subject", "主题"),
}

@dataclass
class View:
    """A subgraph ready to draw: nodes by IRI, edges with evidence, labels for both languages."""

    title: dict[str, str]
    nodes: dict[str, dict] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)
    relations: dict[str, dict[str, str]] = field(default_factory=dict)  # predicate -> {"zh", "en"}
    class_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # class name -> {"zh", "en"}
    focus: str | None = None
    kind: str = "query"

    @property
    def layout(self) -> str:
        return LAYOUTS.get(self.kind, "force")

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

# ftz:pilotedIn and ftz:appliesTo also hold at zone level (the store materialises them from the
# sub-areas), so a measure is found from its zone directly; the view draws it at the most specific
# place the source names.  No property paths: the same text runs on every SPARQL engine.
_ZONE = """CONSTRUCT {
  ?focus a ?class . ?sub ftz:subAreaOf ?focus . ?m ftz:pilotedIn ?place .
  ?doc ftz:appliesTo ?docPlace . ?m ftz:listedIn ?listed . ?m ftz:producedStandard ?standard . ?m ftz:leadBody ?lead .
  ?d ftz:issuedBy ?issuer .
} WHERE {
  VALUES ?focus { UNDEF }
  { ?focus a ?class }
  UNION { ?sub ftz:subAreaOf ?focus }
  UNION { ?m ftz:pilotedIn ?focus
          OPTIONAL { ?m ftz:pilotedIn ?inSub . ?inSub ftz:subAreaOf ?focus }
          BIND(COALESCE(?inSub, ?focus) AS ?place)
          OPTIONAL { ?m ftz:listedIn ?listed } OPTIONAL { ?m ftz:producedStandard ?standard } OPTIONAL { ?m ftz:leadBody ?lead } }
  UNION { ?doc ftz:appliesTo ?focus
          OPTIONAL { ?doc ftz:appliesTo ?docSub . ?docSub ftz:subAreaOf ?focus }
          BIND(COALESCE(?docSub, ?focus) AS ?docPlace) }
  UNION { { ?d ftz:appliesTo ?focus } UNION { ?x ftz:pilotedIn ?focus ; ftz:listedIn ?d }
          ?d ftz:issuedBy ?issuer }
}"""

_BODY = """CONSTRUCT {
  ?focus a ?class . ?m ftz:leadBody ?focus . ?d ftz:issuedBy ?issuer .
  ?pm ftz:pilotedIn ?place . ?place ftz:subAreaOf ?zone . ?m ftz:listedIn ?listed .
} WHERE {
  VALUES ?focus { UNDEF }
  { ?focus a ?class }
  UNION { ?m ftz:leadBody ?focus OPTIONAL { ?m ftz:listedIn ?listed } }
  UNION { ?d ftz:issuedBy ?focus , ?issuer }
  # its own variable: Virtuoso 7.2 drops rows when two UNION branches bind ?m
  UNION { ?pm ftz:leadBody ?focus ; ftz:pilotedIn ?place OPTIONAL { ?place ftz:subAreaOf ?zone } }
}"""

# Chapters always show; a deeper provision only when something aligns with it or inside it.
_AGREEMENT = """CONSTRUCT {
  ?focus a ?class . ?p ftz:partOf ?parent . ?item ftz:alignsWith ?target .
  ?item ftz:pilotedIn ?place . ?item ftz:appliesTo ?applies . ?place ftz:subAreaOf ?zone .
} WHERE {
  VALUES ?focus { UNDEF }
  { ?focus a ?class }
  UNION { ?p ftz:within ?focus ; ftz:partOf ?parent
          FILTER(?p != ?focus)
          FILTER(?parent = ?focus || EXISTS { ?inner ftz:within ?p . ?any ftz:alignsWith ?inner }) }
  UNION { ?target ftz:within ?focus . ?item ftz:alignsWith ?target
          OPTIONAL { ?item ftz:pilotedIn ?place OPTIONAL { ?place ftz:subAreaOf ?zone } }
          OPTIONAL { ?item ftz:appliesTo ?applies } }
}"""

_OVERVIEW_PLACES = """CONSTRUCT { ?zone a ?class . ?sub ftz:subAreaOf ?zone } WHERE {
  ?zone a ftz:Zone ; a ?class .
  OPTIONAL { ?sub ftz:subAreaOf ?zone }
}"""

# Each measure piloted in a zone (at its most specific place), weighted by how far it reaches.
_OVERVIEW_MEASURES = """SELECT ?zone ?m ?place (COUNT(DISTINCT ?reach) AS ?weight) WHERE {
  ?zone a ftz:Zone . ?m ftz:pilotedIn ?zone .
  OPTIONAL { ?m ftz:pilotedIn ?inSub . ?inSub ftz:subAreaOf ?zone }
  BIND(COALESCE(?inSub, ?zone) AS ?place)
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
    if kind in UNNAMED:
        if name:
            raise UsageError(f"the {kind} view takes no name")
        view = {"overview": overview_view, "map": map_view, "timeline": timeline_view}[kind](graph)
    elif not name:
        raise UsageError(f"the {kind} view needs a name, e.g. ftzgraph render {kind} {_EXAMPLES[kind]}")
    elif kind == "trace":
        view = trace_view(graph, name)
    else:
        view = focus_view(graph, kind, graph.resolve(name, _FOCUS_CLASSES[kind]))
    view.kind = kind
    return view


def focus_view(graph, kind: str, iri: str) -> View:
    """The zone, body or agreement view of one entity."""
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


def map_view(graph) -> View:
    """Every zone and sub-area, placed by their coordinates (data/geography.ttl)."""
    view = View(title={"zh": "自贸试验区地图：自贸区与片区的大致位置", "en": "Map of the zones: where the zones and sub-areas are (approximate)"})
    add_triples(view, construct(graph, _OVERVIEW_PLACES))
    describe(graph, view)
    return view


# Zones by the year their plan was approved; documents by the year issued; replicated
# reforms (reform pilot experiences and best-practice cases) by the year of their batch.
_TIMELINE = """CONSTRUCT { ?zone a ?zoneClass . ?doc a ?docClass . ?reform a ?reformClass .
  ?reform ftz:listedIn ?listed . ?applying ftz:appliesTo ?appliedZone .
} WHERE {
  { ?zone a ftz:Zone ; a ?zoneClass }
  UNION { ?doc a ftz:PolicyDocument ; a ?docClass ; ftz:issuedOn ?issued }
  UNION { ?reform ftz:replicationBatch ?batch ; ftz:year ?year ; a ?reformClass }
  UNION { ?reform ftz:replicationBatch ?batch ; ftz:year ?year ; ftz:listedIn ?listed . ?listed ftz:issuedOn ?listedOn }
  UNION { ?applying a ftz:PolicyDocument ; ftz:issuedOn ?appliedOn ; ftz:appliesTo ?appliedZone . ?appliedZone a ftz:Zone }
}"""


def timeline_view(graph) -> View:
    """Zones by establishment, documents by issue and replicated reforms by batch, year by year."""
    view = View(title={"zh": "时间线：自贸区设立批次、政策文件与复制推广的改革（2013 起）",
                       "en": "Timeline: zones by batch, documents and replicated reforms, from 2013"})
    add_triples(view, construct(graph, _TIMELINE))
    describe(graph, view)
    return view


def trace_view(graph, target: str) -> View:
    """The paths of ``ftzgraph.trace.trace``: every edge from a clause, measure, zone … with its evidence."""
    from ftzgraph.trace import trace

    return from_trace(graph, trace(graph, target))


def from_trace(graph, result) -> View:
    """The view of a computed ``ftzgraph.trace.Trace``."""
    view = View(title={}, kind="trace")
    view.add_node(result.root)
    for edge in result.edges:
        view.add_edge(edge.source, edge.predicate, edge.target, list(edge.evidence or []))
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
    return query.replace("VALUES ?focus { UNDEF }", f"VALUES ?focus {{ {iri_term(iri)} }}")


def _terms(iris) -> list[str]:
    return [iri_term(i) for i in sorted(iris)]


def describe(graph, view: View) -> None:
    """Fill in labels, classes, literal properties, evidence and relation names from the store."""
    iris = [iri for iri in view.nodes if not iri.startswith("_:")]
    if iris:
        _add_types(graph, view, iris)
        _add_literals(graph, view, iris)
        _add_evidence(graph, view, iris)
    for node in view.nodes.values():
        types = node.pop("types", set())
        cls = graph.most_specific_class(types) if types else None
        node["class"] = ontology.class_name(cls) if cls else node["class"]
        node["props"] = sorted({tuple(p[:3]): p for p in node["props"]}.values(), key=lambda p: (p[0], p[2], p[1]))
    for edge in view.edges.values():
        if edge.evidence is None:
            edge.evidence = []
    _add_relation_labels(graph, view)
    _add_class_labels(graph, view)


def _add_types(graph, view: View, iris: list[str]) -> None:
    for row in graph.sparql_batched("SELECT ?n ?c WHERE { VALUES ?n { {values} } ?n a ?c }", _terms(iris)).rows:
        view.nodes[row["n"].value].setdefault("types", set()).add(row["c"].value)


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


def _add_evidence(graph, view: View, iris: list[str]) -> None:
    """Evidence of each edge, and of each literal property, by its exact statement."""
    found = evidence.evidence_of(graph, iris)
    for key, edge in view.edges.items():
        if edge.evidence is None:
            edge.evidence = found.get(key, [])
    for iri, node in view.nodes.items():
        for prop in node["props"]:
            items = found.get((iri, prop[0], prop[1]), [])
            if items:
                prop.append(items)


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


def _add_class_labels(graph, view: View) -> None:
    """Names of the classes in the view, from the ontology's rdfs:label."""
    names = sorted({n["class"] for n in view.nodes.values()})
    iris = {name: (SKOS + "Concept" if name == "Concept" else FTZ + name) for name in names if name != "Thing"}
    found = _labels_of(graph, iris.values())
    view.class_labels = {name: found.get(iris.get(name, name)) or _fallback_label(iris.get(name, name)) for name in names}
