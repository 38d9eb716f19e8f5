"""The names the graph already knows: every zone, sub-area, body, document, agreement and
provision with its Chinese labels, aliases, abbreviations and 文号, read from the store.

A label that names two entities of the graph is left out: the extractor proposes nothing
it would have to guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ftzgraph import vocab

# Kind of mention -> the ontology classes it covers (the store materialises superclass types).
KINDS = {
    "zone": "ftz:Zone",
    "subarea": "ftz:SubArea",
    "body": "ftz:GovernmentBody",
    "document": "ftz:PolicyDocument",
    "agreement": "ftz:Agreement",
    "provision": "ftz:Provision",
    "measure": "ftz:Measure",
}
CLASS_OF = {kind: vocab.FTZ + name.split(":")[1] for kind, name in KINDS.items()}
# Document labels shorter than this are generic (通知, 意见, 方案) and never matched as free text.
_MIN_DOCUMENT_LABEL = 8
_SPACE = re.compile(r"\s+")
# Characters that print differently in different sources but mean the same: ASCII and full-width
# brackets; the dashes of 中国—东盟 and 中国-东盟; footnote markers glued to words (PDF extraction)
# mean nothing at all.
FOLD = str.maketrans({"(": "（", ")": "）", ";": "；", "—": "-", "–": "-", "－": "-", **{c: None for c in "¹²³⁴⁵⁶⁷⁸⁹⁰"}})


@dataclass
class Entity:
    iri: str
    kind: str
    labels: set[str] = field(default_factory=set)  # zh labels and 文号, whitespace removed
    pref: str = ""  # the zh prefLabel as written
    sources: set[str] = field(default_factory=set)  # source ids of the evidence that names it


@dataclass
class Gazetteer:
    entities: dict[str, Entity]
    rows: dict[tuple[str, int], str] = field(default_factory=dict)  # (document, row number) -> measure it lists
    _pattern: re.Pattern | None = None
    _by_label: dict[str, str] | None = None

    @classmethod
    def from_graph(cls, graph) -> Gazetteer:
        entities: dict[str, Entity] = {}
        values = " ".join(KINDS.values())
        rows = graph.sparql(f"""
            SELECT ?e ?c ?p ?l WHERE {{
              VALUES ?c {{ {values} }}
              ?e a ?c ; ?p ?l .
              VALUES ?p {{ skos:prefLabel skos:altLabel ftz:documentNumber }}
              FILTER(LANG(?l) = "zh" || ?p = ftz:documentNumber
                     || (?c = ftz:Agreement && REGEX(STR(?l), "^[A-Z][A-Za-z-]{{2,}}$")))
            }}""").rows
        kind_of = {CLASS_OF[k]: k for k in KINDS}
        for row in rows:
            iri, kind = row["e"].value, kind_of[row["c"].value]
            entity = entities.setdefault(iri, Entity(iri, kind))
            if entity.kind != kind and (kind, entity.kind) in {("zone", "subarea"), ("measure", "measure")}:
                continue
            label = row["l"].value
            entity.labels.add(squash(label))
            if row["p"].value.endswith("prefLabel") and row["l"].language == "zh":
                entity.pref = label
        for row in graph.sparql("""
            SELECT DISTINCT ?e ?src WHERE {
              ?ev a ftz:Evidence ; ftz:source ?src . { ?ev rdf:subject ?e } UNION { ?ev rdf:object ?e } FILTER(isIRI(?e))
            }""").rows:
            entity = entities.get(row["e"].value)
            if entity is not None:
                entity.sources.add(row["src"].value.rsplit("/", 1)[-1])
        rows = {(row["d"].value, int(row["n"].value)): row["m"].value for row in graph.sparql(
            "SELECT ?d ?n ?m WHERE { ?m ftz:listedIn ?d ; ftz:rowNumber ?n }").rows}
        return cls(entities, rows)

    def without(self, iris: set[str]) -> Gazetteer:
        """The same gazetteer less some entities (for leave-one-out evaluation)."""
        return Gazetteer({iri: e for iri, e in self.entities.items() if iri not in iris},
                         {key: m for key, m in self.rows.items() if m not in iris and key[0] not in iris})

    def introduced_only_by(self, source_id: str) -> set[str]:
        """Entities that only this source's evidence names: what a new report would bring."""
        return {iri for iri, e in self.entities.items() if e.sources == {source_id}}

    @property
    def by_label(self) -> dict[str, str]:
        """Squashed label -> IRI, for labels that name exactly one entity."""
        if self._by_label is None:
            owners: dict[str, set[str]] = {}
            for entity in self.entities.values():
                for label in entity.labels:
                    owners.setdefault(label, set()).add(entity.iri)
            self._by_label = {label: next(iter(iris)) for label, iris in owners.items() if len(iris) == 1}
        return self._by_label

    def lookup(self, text: str, kind: str | None = None) -> Entity | None:
        iri = self.by_label.get(squash(text))
        entity = self.entities.get(iri) if iri else None
        return entity if entity and (kind is None or entity.kind == kind) else None

    @property
    def pattern(self) -> re.Pattern:
        """One alternation of every usable label, longest first, so the longest name wins.  Provisions
        are left out: their titles are common words (发展, 预裁定); they are found by number.  So are
        measures: their names are looked up only where a table row prints one."""
        if self._pattern is None:
            labels = [
                label for label, iri in self.by_label.items()
                if len(label) >= 2 and not label.isdigit() and self.entities[iri].kind not in ("provision", "measure")
                and (self.entities[iri].kind != "document" or len(label) >= _MIN_DOCUMENT_LABEL)
            ]
            labels.sort(key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(label) for label in labels)) if labels else re.compile(r"(?!x)x")
        return self._pattern


def squash(text: str) -> str:
    """Text as names are compared: no whitespace, brackets folded, footnote markers dropped."""
    return _SPACE.sub("", text).translate(FOLD)
