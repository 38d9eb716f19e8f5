"""Rule-to-reform tracing: from a clause, measure, document, zone or body to everything linked,
every edge with its evidence.

    >>> t = trace(ftzgraph.open(), "CPTPP 5.3")
    >>> print(render_tree(t, "en"))
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ftzgraph import vocab
from ftzgraph.names import iri_term
from ftzgraph.names import resolve

FTZ = vocab.FTZ
SKOS = vocab.PREFIXES["skos"]
RDF = vocab.PREFIXES["rdf"]

# What each kind of node leads to, outward (subject → object) and inward (object ← subject).
OUTWARD = {
    "Measure": ("leadBody", "pilotedIn", "listedIn", "alignsWith", "replicationScope"),
    "PolicyDocument": ("issuedBy", "appliesTo", "alignsWith"),
    "SubArea": ("subAreaOf",),
    "Provision": ("partOf",),
}
# Inward links are followed from the root only, so a trace stays about its target.
INWARD = {
    "Provision": ("alignsWith", "partOf"),
    "Agreement": ("alignsWith", "partOf"),
    "PolicyDocument": ("listedIn",),
    "Zone": ("pilotedIn", "appliesTo", "subAreaOf"),
    "SubArea": ("pilotedIn", "appliesTo"),
    "GovernmentBody": ("leadBody", "issuedBy"),
}
MEASURE_KINDS = {"Measure", "PilotMeasure", "BestPracticeCase", "ReformPilotExperience", "ZoneInnovation"}
ZONE_KINDS = {"Zone", "PilotFreeTradeZone", "FreeTradePort"}
PREDICATE_NAMES = {
    "leadBody": ("lead body", "牵头部门"),
    "pilotedIn": ("piloted in", "试点地区"),
    "listedIn": ("listed in", "载于文件"),
    "alignsWith": ("aligns with", "对接"),
    "replicationScope": ("scope", "推广范围"),
    "issuedBy": ("issued by", "发文机关"),
    "appliesTo": ("applies to", "适用于"),
    "subAreaOf": ("sub-area of", "所属自贸区"),
    "partOf": ("part of", "隶属于"),
}


@dataclass
class Edge:
    source: str
    predicate: str  # local name in ftz:, e.g. "leadBody"
    target: str
    evidence: list[dict] = field(default_factory=list)


@dataclass
class Trace:
    root: str
    nodes: dict[str, dict] = field(default_factory=dict)  # iri -> {"zh", "en", "class"}
    edges: list[Edge] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "root": self.root,
                "nodes": self.nodes,
                "edges": [e.__dict__ for e in self.edges],
            },
            ensure_ascii=False,
            indent=1,
        )


def kind_group(cls: str) -> str:
    if cls in MEASURE_KINDS:
        return "Measure"
    if cls in ZONE_KINDS:
        return "Zone"
    return cls


# -- walking the graph --------------------------------------------------------------------------

def _classes(graph, iris: set[str]) -> dict[str, dict]:
    if not iris:
        return {}
    rows = graph.sparql_batched(
        """SELECT ?s ?c ?zh ?en WHERE {
          VALUES ?s { {values} }
          OPTIONAL { ?s a ?c FILTER(STRSTARTS(STR(?c), STR(ftz:)) || ?c = skos:Concept) }
          OPTIONAL { ?s skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") }
          OPTIONAL { ?s skos:prefLabel ?en FILTER(LANG(?en) = "en") }
        }""",
        [iri_term(i) for i in sorted(iris)],
    ).rows
    nodes: dict[str, dict] = {}
    for row in rows:
        iri = row["s"].value
        cls = row["c"].value.rsplit("#", 1)[-1] if row.get("c") else "Thing"
        node = nodes.setdefault(iri, {"zh": None, "en": None, "class": cls})
        # The most specific class wins: a PilotMeasure over a Measure.
        if cls not in ("Measure", "Zone", "Thing") or node["class"] == "Thing":
            node["class"] = cls
        node["zh"] = node["zh"] or (row["zh"].value if row.get("zh") else None)
        node["en"] = node["en"] or (row["en"].value if row.get("en") else None)
    return nodes


def _edges(graph, iris: set[str], predicates: set[str], inward: bool) -> list[tuple[str, str, str]]:
    if not iris or not predicates:
        return []
    preds = " ".join(f"ftz:{p}" for p in sorted(predicates))
    pattern = "?x ?p ?n" if inward else "?n ?p ?x"
    rows = graph.sparql_batched(f"SELECT ?n ?p ?x WHERE {{ VALUES ?n {{ {{values}} }} VALUES ?p {{ {preds} }} {pattern} }}",
                                [iri_term(i) for i in sorted(iris)]).rows
    out = []
    for row in rows:
        n, p, x = row["n"].value, row["p"].value.rsplit("#", 1)[-1], row["x"].value
        out.append((x, p, n) if inward else (n, p, x))
    return out


def _evidence(graph, edges: list[Edge]) -> None:
    if not edges:
        return
    rows = graph.sparql_batched(
        """SELECT ?s ?p ?o ?basis ?file ?start ?end ?quote ?authority WHERE {
          VALUES (?s ?p ?o) { {values} }
          ?e rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; ftz:basis ?basis .
          OPTIONAL { ?e ftz:source ?source . ?source ftz:sourceFile ?file }
          OPTIONAL { ?e ftz:lineStart ?start }
          OPTIONAL { ?e ftz:lineEnd ?end }
          OPTIONAL { ?e ftz:quote ?quote }
          OPTIONAL { ?e ftz:authority ?authority }
        }""",
        [f"({iri_term(e.source)} ftz:{e.predicate} {iri_term(e.target)})" for e in edges],
    ).rows
    by_key: dict[tuple, list] = {}
    for row in sorted(rows, key=_cited_at):
        key = (row["s"].value, row["p"].value.rsplit("#", 1)[-1], row["o"].value)
        item = {"basis": row["basis"].value}
        if row.get("file"):
            start, end = int(row["start"].value), int(row["end"].value)
            item.update(file=row["file"].value, lines=f"{start}" if start == end else f"{start}-{end}", quote=row["quote"].value)
        if row.get("authority"):
            item["authority"] = row["authority"].value
        by_key.setdefault(key, []).append(item)
    for edge in edges:
        edge.evidence = by_key.get((edge.source, edge.predicate, edge.target), [])


def _cited_at(row: dict) -> tuple:
    """Evidence in source order: by file, then first line; curated evidence (no file) first."""
    return (row["file"].value if row.get("file") else "", int(row["start"].value) if row.get("start") else 0)


def _by_group(result: Trace, iris: set[str]) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for iri in iris:
        groups.setdefault(kind_group(result.nodes[iri]["class"]), set()).add(iri)
    return groups


def trace(graph, target: str, max_nodes: int = 2000) -> Trace:
    """Every path from the target, in either direction, each edge with its evidence."""
    root = resolve(graph, target)
    result = Trace(root=root)
    result.nodes = _classes(graph, {root})
    seen_edges: set[tuple[str, str, str]] = set()

    def add(triples):
        fresh = set()
        for triple in triples:
            if triple not in seen_edges:
                seen_edges.add(triple)
                result.edges.append(Edge(*triple))
                fresh.update((triple[0], triple[2]))
        new = fresh - set(result.nodes)
        result.nodes.update(_classes(graph, new))
        return new

    # Inward from the root and from its parts (sub-provisions, sub-areas), which stand for it.
    frontier = {root}
    while frontier and len(result.nodes) <= max_nodes:
        parts = set()
        for group, iris in _by_group(result, frontier).items():
            triples = _edges(graph, iris, set(INWARD.get(group, ())), inward=True)
            add(triples)
            parts |= {t[0] for t in triples if t[1] in ("partOf", "subAreaOf")}
        frontier = parts - frontier
    # Outward from everything reached: bodies, places, documents, scopes, parent provisions.
    frontier = set(result.nodes)
    expanded: set[str] = set()
    while frontier and len(result.nodes) <= max_nodes:
        expanded |= frontier
        reached = set()
        for group, iris in _by_group(result, frontier).items():
            reached |= add(_edges(graph, iris, set(OUTWARD.get(group, ())), inward=False))
        frontier = reached - expanded
    _evidence(graph, result.edges)
    return result


# -- presenting a trace -------------------------------------------------------------------------

def label(trace_: Trace, iri: str, lang: str) -> str:
    node = trace_.nodes.get(iri, {})
    other = "en" if lang == "zh" else "zh"
    return node.get(lang) or node.get(other) or vocab.compact(iri)


def _tree(trace_: Trace):
    """Yield (depth, edge, child, is_tree_edge) in breadth-first-tree order from the root.

    Every edge appears exactly once: tree edges open a subtree, the others are leaves.
    """
    incident: dict[str, list[Edge]] = {}
    for edge in trace_.edges:
        incident.setdefault(edge.source, []).append(edge)
        incident.setdefault(edge.target, []).append(edge)
    parent_edge: dict[str, Edge | None] = {trace_.root: None}
    order = [trace_.root]
    for node in order:  # breadth-first: shortest paths from the root
        for edge in incident.get(node, []):
            other = edge.target if edge.source == node else edge.source
            if other not in parent_edge:
                parent_edge[other] = edge
                order.append(other)
    printed: set[int] = set()

    def walk(node: str, depth: int):
        edges = sorted(incident.get(node, []), key=lambda e: (e.predicate, e.source, e.target))
        for edge in edges:
            if id(edge) in printed:
                continue
            printed.add(id(edge))
            other = edge.target if edge.source == node else edge.source
            is_tree = parent_edge.get(other) is edge
            yield depth, node, edge, other, is_tree
            if is_tree:
                yield from walk(other, depth + 1)

    yield from walk(trace_.root, 0)


def _relation(edge: Edge, node: str, lang: str) -> str:
    en, zh = PREDICATE_NAMES.get(edge.predicate, (edge.predicate, edge.predicate))
    name = zh if lang == "zh" else en
    return f"{name} →" if edge.source == node else f"← {name}"


def _evidence_text(item: dict) -> str:
    if item.get("file"):
        return f"{item['basis']} · {item['file']}:{item['lines']} · “{item['quote']}”"
    if item.get("authority"):
        return f"{item['basis']} · {item['authority']}"
    return item["basis"]


def render_tree(trace_: Trace, lang: str = "en") -> str:
    root = trace_.nodes[trace_.root]
    lines = [f"{label(trace_, trace_.root, lang)}  [{vocab.compact(trace_.root)} · {root['class']}]"]
    for depth, node, edge, other, is_tree in _tree(trace_):
        indent = "  " * depth + "├─ "
        tail = "" if is_tree else "  (also in this trace)"
        cls = trace_.nodes.get(other, {}).get("class", "")
        lines.append(f"{indent}{_relation(edge, node, lang)} {label(trace_, other, lang)}  [{vocab.compact(other)} · {cls}]{tail}")
        for item in edge.evidence or [{"basis": "no evidence recorded"}]:
            lines.append("  " * depth + "│    " + _evidence_text(item))
    lines.append(f"({len(trace_.nodes)} nodes, {len(trace_.edges)} edges)")
    return "\n".join(lines) + "\n"


def render_md(trace_: Trace, lang: str = "en") -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("*", "\\*")

    lines = [f"# {esc(label(trace_, trace_.root, lang))}", "", f"`{vocab.compact(trace_.root)}`", ""]
    for depth, node, edge, other, is_tree in _tree(trace_):
        suffix = "" if is_tree else " (also in this trace)"
        lines.append(f"{'  ' * depth}- {_relation(edge, node, lang)} **{esc(label(trace_, other, lang))}** `{vocab.compact(other)}`{suffix}")
        for item in edge.evidence:
            lines.append(f"{'  ' * (depth + 1)}- _{esc(_evidence_text(item))}_")
    return "\n".join(lines) + "\n"
