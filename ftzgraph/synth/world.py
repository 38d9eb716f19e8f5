"""The fixed world of a synthetic graph, read from the shipped graph so that it cannot drift.

Zones, sub-areas, bodies, agreements with their chapters and articles, the concept schemes
(indicators and units among them), the figures whose shape synthetic ones take and the
templates of the invented documents all come from SPARQL queries over data/ (never
FTZGRAPH_DATA, which may point at a synthetic graph).  How often the real graph uses
each of them (measures piloted per zone, led per body, aligned per agreement, …) gives
the ranks and weights of the random draws; ties are broken by IRI.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ftzgraph import catalogue, paths, vocab
from ftzgraph.api import Graph

Label = tuple[str, str]  # (text, language tag or "" for a plain string)

_NUMBERED_IRI = re.compile(r"^doc:(?P<code>[a-z]+)-\d{4}-\d+$")  # doc:guofa-2019-16
_NUMBER = re.compile(r"^(?P<prefix>.+?)(?:〔\d{4}〕\d+号|(?P<yearly>\d{4}年第)\d+号)$")


@dataclass(frozen=True)
class Entity:
    iri: str  # compact: zone:shanghai
    labels: tuple[Label, ...]  # skos:prefLabel
    alt_labels: tuple[Label, ...]  # skos:altLabel

    def label(self, lang: str) -> str:
        return next(text for text, tag in self.labels if tag == lang)

    def short(self, lang: str) -> str:
        """The shortest alias in the language (as reports print the name), else the label."""
        aliases = sorted((len(text), text) for text, tag in self.alt_labels if tag == lang)
        return aliases[0][1] if aliases else self.label(lang)

    @property
    def local(self) -> str:
        return self.iri.split(":", 1)[1]


@dataclass(frozen=True)
class SubArea(Entity):
    zone: str
    functions: tuple[Label, ...]


@dataclass(frozen=True)
class Zone(Entity):
    kind: str  # ftz:PilotFreeTradeZone or ftz:FreeTradePort
    province: Entity | None  # the province-level division, with its labels
    approved: str  # the earliest date, while the shipped graph still has two where its sources disagree
    inaugurated: str | None
    batches: tuple[str, ...]  # establishment batch, an integer
    subareas: tuple[SubArea, ...]
    government: Entity | None  # the provincial people's government
    pilots: int  # real measures piloted in the zone or its sub-areas: its rank

    @property
    def opened(self) -> int:
        return int(self.approved[:4])


@dataclass(frozen=True)
class Body(Entity):
    parents: tuple[str, ...]
    leads: int  # real measures it leads: its rank


@dataclass(frozen=True)
class Provision(Entity):
    parent: str
    number: str | None
    kind: str
    parts: tuple[Provision, ...] = ()  # a chapter's real articles, annexes and clauses


@dataclass(frozen=True)
class Agreement(Entity):
    chapters: tuple[Provision, ...]
    alignments: int  # real alignments with it or its provisions: its weight

    @property
    def acronym(self) -> str:
        return self.short("en")


@dataclass(frozen=True)
class Concept(Entity):
    scheme: str
    uses: int  # real measures in this field, scope or batch


@dataclass(frozen=True)
class Numbering:
    """A 文号 family: 国发〔2019〕16号 (doc:guofa-2019-16) or 海关总署公告2024年第32号."""

    code: str  # guofa
    code_zh: str  # 国发
    yearly: bool  # 年第N号 rather than 〔year〕N号
    documents: int


@dataclass(frozen=True)
class Family:
    """The real documents one set of bodies issued: the template of invented ones."""

    issuers: tuple[str, ...]
    documents: int
    placed: int  # of them, how many apply to zones or sub-areas
    places: tuple[str, ...]  # every zone or sub-area they apply to
    numberings: tuple[Numbering, ...]


@dataclass(frozen=True)
class FirstDocument(Entity):
    """The real document the named queries default to (measures-by-document), with its rows."""

    number: str
    issued: str
    issuers: tuple[str, ...]
    rows: int
    row_prefix: str  # its measures are measure:{row_prefix}01 …


@dataclass(frozen=True)
class Figure:
    """A real observation: what a synthetic one copies, all but its value."""

    indicator: str
    unit: str
    area: str  # a zone, a sub-area or an area concept
    period: str  # as the source is precise: 2019, 2019-09 or 2019-09-30
    period_start: str | None
    value: str


@dataclass(frozen=True)
class Real:
    """How many of each the shipped graph holds: the proportions a synthetic graph follows."""

    measures: int
    events: int
    proposals: int


@dataclass(frozen=True)
class World:
    zones: tuple[Zone, ...]  # ranked by pilots
    bodies: tuple[Body, ...]  # by IRI
    leaders: tuple[Body, ...]  # the bodies that lead real measures, ranked
    schemes: tuple[Entity, ...]
    concepts: dict[str, tuple[Concept, ...]]  # by predicate: policyField, replicationScope, replicationBatch, indicator, unit, refArea
    kind_concepts: dict[tuple[str, str], tuple[tuple[str | None, int], ...]]  # (class, predicate) -> (concept, measures)
    agreements: tuple[Agreement, ...]
    families: tuple[Family, ...]  # ranked by documents
    first_document: FirstDocument
    figures: tuple[Figure, ...]  # by area, indicator, period
    real: Real
    documents: frozenset[str]  # IRIs of the real documents, which invented ones must not take
    years: range  # of the invented documents: first approval to the last real document


@functools.cache
def load() -> World:
    """The world of the shipped graph; read once per process."""
    graph = Graph(data_dir=paths.graph_root() / "data")
    labels = _values(graph, "", "skos:prefLabel skos:altLabel")
    bodies = _bodies(graph, labels)
    zones = _zones(graph, labels, bodies)
    schemes, concepts = _concepts(graph, labels)
    documents = _select(graph, "SELECT ?d ?issued WHERE { ?d a ftz:PolicyDocument OPTIONAL { ?d ftz:issuedOn ?issued } }")
    approvals = [zone.approved for zone in zones]
    issued = [row["issued"] for row in documents if row["issued"]]
    return World(
        zones=zones,
        bodies=bodies,
        leaders=tuple(sorted((b for b in bodies if b.leads), key=lambda b: (-b.leads, b.iri))),
        schemes=schemes,
        concepts=concepts,
        kind_concepts=_kind_concepts(graph),
        agreements=_agreements(graph, labels),
        families=_families(graph),
        first_document=_first_document(graph, labels),
        figures=_figures(graph),
        real=Real(*(_count(graph, f"?x a {kind}") for kind in ("?kind . ?kind rdfs:subClassOf* ftz:Measure", "ftz:Event", "ftz:Proposal"))),
        documents=frozenset(row["d"] for row in documents),
        years=range(int(min(approvals)[:4]), int(max(issued)[:4]) + 1),
    )


def _select(graph: Graph, text: str) -> list[dict[str, str | None]]:
    """The rows of a SELECT with IRIs compacted and literals as their text."""
    import pyoxigraph as ox

    def plain(term) -> str | None:
        if term is None:
            return None
        return vocab.compact(term.value) if isinstance(term, ox.NamedNode) else term.value

    return [{name: plain(term) for name, term in row.items()} for row in graph.sparql(text).rows]


def _values(graph: Graph, subjects: str, predicates: str) -> dict[str, dict[str, tuple[Label, ...]]]:
    """subject -> predicate -> sorted (text, lang) of the subjects matched by a pattern on ?s."""
    found: dict[str, dict[str, list[Label]]] = defaultdict(lambda: defaultdict(list))
    for row in _select(graph, f"SELECT ?s ?p ?text ?lang WHERE {{ {subjects} VALUES ?p {{ {predicates} }} ?s ?p ?o "
                              "BIND(STR(?o) AS ?text) BIND(LANG(?o) AS ?lang) }"):
        found[row["s"]][row["p"]].append((row["text"], row["lang"]))
    return {s: {p: tuple(sorted(values, key=_zh_first)) for p, values in by_p.items()} for s, by_p in found.items()}


def _zh_first(label: Label) -> tuple:
    return (label[1] != "zh", label[1], label[0])


def _entity(cls, iri: str, labels, **fields):
    own = labels.get(iri, {})
    return cls(iri=iri, labels=own.get("skos:prefLabel", ()), alt_labels=own.get("skos:altLabel", ()), **fields)


def _counts(graph: Graph, pattern: str) -> Counter:
    """?x -> how many distinct ?m the pattern matches for it."""
    rows = _select(graph, f"SELECT ?x (COUNT(DISTINCT ?m) AS ?n) WHERE {{ {pattern} }} GROUP BY ?x")
    return Counter({row["x"]: int(row["n"]) for row in rows})


def _bodies(graph: Graph, labels) -> tuple[Body, ...]:
    parents = defaultdict(list)
    for row in _select(graph, "SELECT ?b ?parent WHERE { ?b a ftz:GovernmentBody ; org:subOrganizationOf ?parent }"):
        parents[row["b"]].append(row["parent"])
    leads = _counts(graph, "?m ftz:leadBody ?x")
    iris = sorted(row["b"] for row in _select(graph, "SELECT ?b WHERE { ?b a ftz:GovernmentBody }"))
    return tuple(_entity(Body, b, labels, parents=tuple(sorted(parents[b])), leads=leads[b]) for b in iris)


def _zones(graph: Graph, labels, bodies: tuple[Body, ...]) -> tuple[Zone, ...]:
    classes = "VALUES ?class { ftz:PilotFreeTradeZone ftz:FreeTradePort } ?s a ?class ."
    facts = _values(graph, classes, "ftz:approvedOn ftz:inauguratedOn ftz:establishmentBatch")
    provinces = {row["s"]: _entity(Entity, row["province"], labels)
                 for row in _select(graph, "SELECT ?s ?province WHERE { ?s ftz:province ?province }")}
    kinds = {row["s"]: row["class"] for row in _select(graph, f"SELECT ?s ?class WHERE {{ {classes} }}")}
    pilots = _counts(graph, "?m ftz:pilotedIn ?place . ?place ftz:subAreaOf? ?x")
    functions = _values(graph, "?s a ftz:SubArea .", "ftz:function")
    subareas = defaultdict(list)
    for row in _select(graph, "SELECT ?s ?zone WHERE { ?s a ftz:SubArea ; ftz:subAreaOf ?zone } ORDER BY ?s"):
        fields = {"zone": row["zone"], "functions": functions.get(row["s"], {}).get("ftz:function", ())}
        subareas[row["zone"]].append(_entity(SubArea, row["s"], labels, **fields))
    # The government of a zone is the people's government of its province, found by its name.
    governments = {body.label("zh"): body for body in bodies}
    zones = []
    for iri, kind in kinds.items():
        fact = facts.get(iri, {})
        province = provinces.get(iri)
        province_zh = province.label("zh") if province else ""
        zones.append(_entity(
            Zone, iri, labels, kind=kind, province=province,
            approved=min(text for text, _ in fact["ftz:approvedOn"]),
            inaugurated=min((text for text, _ in fact.get("ftz:inauguratedOn", ())), default=None),
            batches=tuple(text for text, _ in fact.get("ftz:establishmentBatch", ())),
            subareas=tuple(subareas[iri]), government=governments.get(f"{province_zh}人民政府"), pilots=pilots[iri]))
    return tuple(sorted(zones, key=lambda z: (-z.pilots, z.iri)))


def _concepts(graph: Graph, labels) -> tuple[tuple[Entity, ...], dict[str, tuple[Concept, ...]]]:
    """The schemes of the concepts measures use as field, scope and batch, standards as their
    level and observations as indicator, unit and area, with all their concepts."""
    predicates = "ftz:policyField ftz:replicationScope ftz:replicationBatch ftz:standardLevel ftz:indicator ftz:unit ftz:refArea"
    rows = _select(graph, f"""SELECT DISTINCT ?p ?scheme ?c WHERE {{
        VALUES ?p {{ {predicates} }} ?m ?p ?used . ?used skos:inScheme ?scheme . ?c skos:inScheme ?scheme }}""")
    uses = {p: _counts(graph, f"?m {p} ?x") for p in predicates.split()}
    concepts = defaultdict(list)
    for row in sorted(rows, key=lambda r: r["c"]):
        concepts[row["p"]].append(_entity(Concept, row["c"], labels, scheme=row["scheme"], uses=uses[row["p"]][row["c"]]))
    schemes = tuple(_entity(Entity, s, labels) for s in sorted({row["scheme"] for row in rows}))
    return schemes, {p: tuple(c) for p, c in concepts.items()}


def _kind_concepts(graph: Graph) -> dict[tuple[str, str], tuple[tuple[str | None, int], ...]]:
    """How the real measures of each class spread over scopes and batches (None: without one)."""
    rows = _select(graph, """SELECT ?kind ?p ?c (COUNT(DISTINCT ?m) AS ?n) WHERE {
        VALUES ?p { ftz:replicationScope ftz:replicationBatch }
        ?m a ?kind . ?kind rdfs:subClassOf+ ftz:Measure . OPTIONAL { ?m ?p ?c } } GROUP BY ?kind ?p ?c""")
    spread = defaultdict(list)
    for row in rows:
        spread[(row["kind"], row["p"])].append((row["c"], int(row["n"])))
    return {key: tuple(sorted(pairs, key=lambda pair: (-pair[1], pair[0] or ""))) for key, pairs in spread.items()}


def _agreements(graph: Graph, labels) -> tuple[Agreement, ...]:
    """The agreements whose chapters (or modules) the graph holds completely, numbered 1…n."""
    rows = _select(graph, """SELECT ?p ?parent ?number ?kind WHERE {
        ?p a ftz:Provision ; ftz:partOf ?parent ; ftz:provisionKind ?kind OPTIONAL { ?p ftz:provisionNumber ?number } }""")
    children = defaultdict(list)
    for row in sorted(rows, key=lambda r: r["p"]):
        children[row["parent"]].append(row)

    def provision(row) -> Provision:
        parts = tuple(provision(child) for child in children[row["p"]])
        return _entity(Provision, row["p"], labels, parent=row["parent"], number=row["number"], kind=row["kind"], parts=parts)

    alignments = _counts(graph, "?m ftz:alignsWith ?target . ?target ftz:partOf* ?x . ?x a ftz:Agreement")
    agreements = []
    for row in _select(graph, "SELECT ?a WHERE { ?a a ftz:Agreement }"):
        chapters = [c for c in children[row["a"]] if c["kind"] in ("chapter", "module") and (c["number"] or "").isdigit()]
        numbers = sorted(int(c["number"]) for c in chapters)
        if numbers and numbers == list(range(1, len(numbers) + 1)):
            chapters.sort(key=lambda c: int(c["number"]))
            agreements.append(_entity(Agreement, row["a"], labels, chapters=tuple(provision(c) for c in chapters),
                                      alignments=alignments[row["a"]]))
    return tuple(sorted(agreements, key=lambda a: a.iri))


def _families(graph: Graph) -> tuple[Family, ...]:
    """The real documents grouped by the set of bodies that issued them, with their 文号 families."""
    issuers, numbers, places = defaultdict(set), {}, defaultdict(set)
    for row in _select(graph, """SELECT ?d ?body ?number ?place WHERE { ?d a ftz:PolicyDocument ; ftz:issuedBy ?body
        OPTIONAL { ?d ftz:documentNumber ?number } OPTIONAL { ?d ftz:appliesTo ?place } }"""):
        issuers[row["d"]].add(row["body"])
        if row["number"]:
            numbers[row["d"]] = row["number"]
        if row["place"]:
            places[row["d"]].add(row["place"])
    grouped = defaultdict(list)
    for document, bodies in issuers.items():
        grouped[tuple(sorted(bodies))].append(document)
    families = []
    for key, documents in grouped.items():
        numberings = Counter()
        for document in documents:
            iri, number = _NUMBERED_IRI.match(document), _NUMBER.match(numbers.get(document, ""))
            if iri and number:
                numberings[(iri["code"], number["prefix"], bool(number["yearly"]))] += 1
        families.append(Family(
            issuers=key, documents=len(documents), placed=sum(1 for d in documents if places[d]),
            places=tuple(sorted(set().union(*(places[d] for d in documents)))),
            numberings=tuple(Numbering(code, zh, yearly, n) for (code, zh, yearly), n in sorted(numberings.items()))))
    return tuple(sorted(families, key=lambda f: (-f.documents, f.issuers)))


def _count(graph: Graph, pattern: str) -> int:
    return int(_select(graph, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")[0]["n"])


def _figures(graph: Graph) -> tuple[Figure, ...]:
    rows = _select(graph, """SELECT ?indicator ?unit ?area ?period ?start ?value WHERE {
        ?o a qb:Observation ; ftz:indicator ?indicator ; ftz:unit ?unit ; ftz:refArea ?area ; ftz:refPeriod ?period ; ftz:value ?value
        OPTIONAL { ?o ftz:periodStart ?start } } ORDER BY ?area ?indicator ?period ?start ?unit ?value""")
    return tuple(Figure(r["indicator"], r["unit"], r["area"], r["period"], r["start"], r["value"]) for r in rows)


def _first_document(graph: Graph, labels) -> FirstDocument:
    # The default of measures-by-document, not "the document listing the most measures": another
    # document listing one row more once made the synthetic graph miss the queries' defaults.
    default = catalogue.catalogue()["measures-by-document"].param("document").default
    rows = _select(graph, f"""SELECT ?d ?m ?number ?issued ?body WHERE {{ VALUES ?d {{ {default} }}
        ?m ftz:listedIn ?d ; ftz:rowNumber ?row . ?d ftz:documentNumber ?number ; ftz:issuedOn ?issued ; ftz:issuedBy ?body }}""")
    measures = sorted({row["m"] for row in rows})
    first = rows[0]
    return _entity(FirstDocument, first["d"], labels, number=first["number"], issued=first["issued"],
                   issuers=tuple(sorted({row["body"] for row in rows})), rows=len(measures),
                   row_prefix=measures[0].split(":", 1)[1].rsplit("-", 1)[0] + "-")
