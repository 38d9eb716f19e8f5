"""Rule-to-reform tracing: from a clause, measure, document, zone or body to everything linked,
every edge with its evidence.

    >>> t = trace(ftzgraph.open(), "CPTPP 5.3")
    >>> print(render_tree(t, "en"))
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ftzgraph import edges as evidence
from ftzgraph import ontology, vocab
from ftzgraph.edges import Edge
from ftzgraph.names import resolve
from ftzgraph.vocab import iri_term

FTZ = vocab.FTZ

# What each kind of node leads to, outward (subject → object) and inward (object ← subject).
OUTWARD = {
    "Measure": ("leadBody", "pilotedIn", "listedIn", "producedStandard", "alignsWith", "replicationScope"),
    "PolicyDocument": ("issuedBy", "appliesTo", "alignsWith"),
    "Proposal": ("alignsWith",),
    "SubArea": ("subAreaOf",),
    "Provision": ("partOf",),
}
# Inward links are followed from the root only, so a trace stays about its target.
INWARD = {
    "Provision": ("alignsWith", "partOf"),
    "Agreement": ("alignsWith", "partOf"),
    "PolicyDocument": ("listedIn", "producedStandard"),
    "Zone": ("pilotedIn", "appliesTo", "subAreaOf"),
    "SubArea": ("pilotedIn", "appliesTo"),
    "GovernmentBody": ("leadBody", "issuedBy"),
}
# The classes whose members a trace walks alike: every kind of measure as a Measure.
WALKED_AS = ("Measure", "Zone")
PREDICATE_NAMES = {
    "leadBody": ("lead body", "牵头部门"),
    "pilotedIn": ("piloted in", "试点地区"),
    "listedIn": ("listed in", "载于文件"),
    "producedStandard": ("produced standard", "形成标准"),
    "alignsWith": ("aligns with", "对接"),
    "replicationScope": ("scope", "推广范围"),
    "issuedBy": ("issued by", "发文机关"),
    "appliesTo": ("applies to", "适用于"),
    "subAreaOf": ("sub-area of", "所属自贸区"),
    "partOf": ("part of", "隶属于"),
}


@dataclass
class Trace:
    root: str
    nodes: dict[str, dict] = field(default_factory=dict)  # iri -> {"zh", "en", "class", "walk"}
    edges: list[Edge] = field(default_factory=list)
    truncated: bool = False  # the walk stopped at max_nodes

    def to_json(self) -> str:
        nodes = {iri: {k: v for k, v in node.items() if k != "walk"} for iri, node in self.nodes.items()}
        return json.dumps(
            {"root": self.root, "truncated": self.truncated, "nodes": nodes,
             "edges": [{**e.to_dict(), "predicate": vocab.compact(e.predicate)} for e in self.edges]},
            ensure_ascii=False,
            indent=1,
        )


# -- walking the graph --------------------------------------------------------------------------

def _describe(graph, iris: set[str]) -> dict[str, dict]:
    """Labels, the most specific class, and the class a walk treats the node as."""
    if not iris:
        return {}
    rows = graph.sparql_batched(
        """SELECT ?s ?c ?zh ?en ?text WHERE {
          VALUES ?s { {values} }
          OPTIONAL { ?s a ?c }
          OPTIONAL { ?s ftz:text ?text }
          OPTIONAL { ?s skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") }
          OPTIONAL { ?s skos:prefLabel ?en FILTER(LANG(?en) = "en") }
        }""",
        [iri_term(i) for i in sorted(iris)],
    ).rows
    types: dict[str, set[str]] = {}
    nodes: dict[str, dict] = {}
    for row in rows:
        iri = row["s"].value
        node = nodes.setdefault(iri, {"zh": None, "en": None, "class": "Thing"})
        types.setdefault(iri, set()).update([row["c"].value] if row.get("c") else [])
        node["zh"] = node["zh"] or (row["zh"].value if row.get("zh") else None)
        node["en"] = node["en"] or (row["en"].value if row.get("en") else None)
        if row.get("text"):
            node["text"] = row["text"].value
    for iri, node in nodes.items():
        cls = graph.most_specific_class(types[iri])
        node["class"] = ontology.class_name(cls) if cls else "Thing"
        node["walk"] = _walked_as(graph, cls)
    return {iri: nodes[iri] for iri in sorted(nodes)}  # in IRI order, not the engine's row order: --format json


def _walked_as(graph, cls: str | None) -> str:
    """A PilotMeasure is walked as a Measure, a FreeTradePort as a Zone: by the ontology."""
    if cls is None:
        return "Thing"
    return next((general for general in WALKED_AS if graph.is_a(cls, general)), ontology.class_name(cls))


def _edges(graph, iris: set[str], predicates: set[str], inward: bool) -> list[tuple[str, str, str]]:
    if not iris or not predicates:
        return []
    preds = " ".join(f"ftz:{p}" for p in sorted(predicates))
    pattern = "?x ?p ?n" if inward else "?n ?p ?x"
    rows = graph.sparql_batched(f"SELECT ?n ?p ?x WHERE {{ VALUES ?n {{ {{values}} }} VALUES ?p {{ {preds} }} {pattern} }}",
                                [iri_term(i) for i in sorted(iris)]).rows
    out = []
    for row in rows:
        n, p, x = row["n"].value, row["p"].value, row["x"].value
        out.append((x, p, n) if inward else (n, p, x))
    return sorted(out)


def _by_walk(result: Trace, iris: set[str]) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = {}
    for iri in sorted(iris):  # sorted: the walk's order, and so the output's, must not follow set order
        groups.setdefault(result.nodes[iri]["walk"], set()).add(iri)
    return groups


def trace(graph, target: str, max_nodes: int = 2000) -> Trace:
    """Every path from the target, in either direction, each edge with its evidence.

    The walk keeps at most ``max_nodes`` nodes; where it had to stop, ``truncated`` is set.
    """
    root = resolve(graph, target)
    result = Trace(root=root)
    result.nodes = _describe(graph, {root})
    seen_edges: set[tuple[str, str, str]] = set()

    def add(triples) -> set[str]:
        fresh: set[str] = set()
        for triple in triples:
            if triple in seen_edges:
                continue
            new = {triple[0], triple[2]} - set(result.nodes) - fresh
            if len(result.nodes) + len(fresh) + len(new) > max_nodes:
                result.truncated = True
                continue
            seen_edges.add(triple)
            result.edges.append(Edge(*triple))
            fresh |= new
        result.nodes.update(_describe(graph, fresh))
        return fresh

    # Inward from the root and from its parts (sub-provisions, sub-areas), which stand for it.
    frontier = {root}
    while frontier:
        parts = set()
        for walk, iris in _by_walk(result, frontier).items():
            triples = _edges(graph, iris, set(INWARD.get(walk, ())), inward=True)
            add(triples)
            parts |= {t[0] for t in triples if t[1] in (FTZ + "partOf", FTZ + "subAreaOf") and t[0] in result.nodes}
        frontier = parts - frontier
    # Outward from everything reached: bodies, places, documents, scopes, parent provisions.
    frontier = set(result.nodes)
    expanded: set[str] = set()
    while frontier:
        expanded |= frontier
        reached = set()
        for walk, iris in _by_walk(result, frontier).items():
            reached |= add(_edges(graph, iris, set(OUTWARD.get(walk, ())), inward=False))
        frontier = reached - expanded
    evidence.attach(graph, result.edges)
    return result


# -- presenting a trace -------------------------------------------------------------------------

TRUNCATED = "(truncated: the trace reached its node limit; trace a narrower target)"

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
        edges = sorted(incident.get(node, []), key=lambda e: (e.relation, e.source, e.target))
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
    en, zh = PREDICATE_NAMES.get(edge.relation, (edge.relation, edge.relation))
    name = zh if lang == "zh" else en
    return f"{name} →" if edge.source == node else f"← {name}"


TEXT_LIMIT = 240  # characters of a provision's text shown without --full


def first_sentence(text: str, limit: int = TEXT_LIMIT) -> str:
    """The first sentence of a treaty text ("1." and "(a)" numbering does not end one), clipped."""
    text = " ".join(text.split())
    end = len(text)
    for match in re.finditer(r"[.;:](?=\s|$)", text):
        before = text[:match.start()].rsplit(" ", 1)[-1]
        if match.group() == "." and not before.isdigit() and not re.fullmatch(r"\(?[a-z]{1,4}\)", before):
            end = match.end()
            break
    sentence = text[:end]
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " …"
    return sentence + (" …" if end < len(text) and not sentence.endswith("…") else "")


def _text_of(trace_: Trace, iri: str, full: bool) -> str | None:
    text = trace_.nodes.get(iri, {}).get("text")
    if not text:
        return None
    return " ".join(text.split()) if full else first_sentence(text)


def render_tree(trace_: Trace, lang: str = "en", full: bool = False) -> str:
    """The trace as an indented tree; a provision's text shows as its first sentence, or whole with ``full``."""
    root = trace_.nodes[trace_.root]
    lines = [f"{label(trace_, trace_.root, lang)}  [{vocab.compact(trace_.root)} · {root['class']}]"]
    if text := _text_of(trace_, trace_.root, full):
        lines.append(f"│  “{text}”")
    for depth, node, edge, other, is_tree in _tree(trace_):
        indent = "  " * depth + "├─ "
        tail = "" if is_tree else "  (also in this trace)"
        cls = trace_.nodes.get(other, {}).get("class", "")
        lines.append(f"{indent}{_relation(edge, node, lang)} {label(trace_, other, lang)}  [{vocab.compact(other)} · {cls}]{tail}")
        if is_tree and (text := _text_of(trace_, other, full)):
            lines.append("  " * depth + "│    text: “" + text + "”")
        for item in edge.evidence or [{"basis": "no evidence recorded"}]:
            lines.append("  " * depth + "│    " + evidence.evidence_text(item))
    lines.append(f"({len(trace_.nodes)} nodes, {len(trace_.edges)} edges)")
    if trace_.truncated:
        lines.append(TRUNCATED)
    return "\n".join(lines) + "\n"


def render_md(trace_: Trace, lang: str = "en", full: bool = False) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("*", "\\*")

    lines = [f"# {esc(label(trace_, trace_.root, lang))}", "", f"`{vocab.compact(trace_.root)}`", ""]
    if text := _text_of(trace_, trace_.root, full):
        lines += [f"> {esc(text)}", ""]
    for depth, node, edge, other, is_tree in _tree(trace_):
        suffix = "" if is_tree else " (also in this trace)"
        lines.append(f"{'  ' * depth}- {_relation(edge, node, lang)} **{esc(label(trace_, other, lang))}** `{vocab.compact(other)}`{suffix}")
        if is_tree and (text := _text_of(trace_, other, full)):
            lines.append(f"{'  ' * (depth + 1)}- text: “{esc(text)}”")
        for item in edge.evidence:
            lines.append(f"{'  ' * (depth + 1)}- _{esc(evidence.evidence_text(item))}_")
    if trace_.truncated:
        lines += ["", f"_{TRUNCATED}_"]
    return "\n".join(lines) + "\n"
