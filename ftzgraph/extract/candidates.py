"""Candidate statements: what the extractor proposes, each with its evidence, as Turtle.

A candidate is one statement (subject, predicate, object) in the graph's model, backed by
one or more ftz:Evidence nodes with basis "extracted": the source, the line range and the
verbatim quote.  Entities the graph does not have yet are described in the same file with
proposed IRIs; `ftzgraph review` turns accepted candidates into curated Turtle.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ftzgraph import vocab

FTZ = vocab.FTZ
XSD = vocab.PREFIXES["xsd"]
SKOS = vocab.PREFIXES["skos"]
OBSERVATION = vocab.PREFIXES["qb"] + "Observation"
CANDIDATES_HEADER = "# Candidate statements extracted by `ftzgraph extract`"  # how a candidates file starts
# What an extracted figure proposes of its observation; the indicator is the reviewer's choice.
OBSERVATION_PREDICATES = tuple(FTZ + name for name in ("value", "unit", "refPeriod", "refArea"))
RDF_TYPE = vocab.PREFIXES["rdf"] + "type"
CLASS_OF_KIND = {"zone": FTZ + "Zone", "subarea": FTZ + "SubArea", "body": FTZ + "GovernmentBody",
                 "document": FTZ + "PolicyDocument", "measure": FTZ + "Measure"}
# Predicate local names -> the kind of statement the evaluation and the summary count.
KIND_OF_PREDICATE = {"issuedBy": "issuedBy", "issuedOn": "issuedOn", "appliesTo": "appliesTo", "pilotedIn": "pilotedIn",
                     "leadBody": "leadBody", "rowNumber": "row", "replicationScope": "scope", "listedIn": "listedIn"}


@dataclass
class NewEntity:
    iri: str
    cls: str
    label: str  # zh
    number: str | None = None  # a document's 文号
    label_en: str = ""


@dataclass
class Evidence:
    line_start: int
    line_end: int
    quote: str


@dataclass
class Candidate:
    subject: str
    predicate: str  # full IRI
    object: str  # an IRI, or a literal's lexical form when datatype is set
    datatype: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.subject} {self.predicate} {self.object}^^{self.datatype or ''}"

    @property
    def kind(self) -> str:
        return KIND_OF_PREDICATE.get(self.predicate.rsplit("#", 1)[-1], self.predicate.rsplit("#", 1)[-1])

    def entities(self) -> list[str]:
        return [self.subject] + ([] if self.datatype else [self.object])


@dataclass
class SourceInfo:
    iri: str
    file: str  # the normalised text's file name, beside the candidates
    sha256: str
    label: str
    label_en: str
    input: str = ""  # the file the text came from, for the reader


@dataclass
class Candidates:
    source: SourceInfo
    statements: list[Candidate]
    new: dict[str, NewEntity]
    mentions: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, kind, IRI, text) of known things
    # (line, value, unit, period, area, quote) of figures without a unit concept, a period or a known area
    figures: list[tuple] = field(default_factory=list)

    def add(self, subject: str, predicate: str, obj: str, evidence: Evidence, datatype: str | None = None) -> None:
        for candidate in self._index().get((subject, predicate, obj, datatype), ()):
            if all((e.line_start, e.quote) != (evidence.line_start, evidence.quote) for e in candidate.evidence):
                candidate.evidence.append(evidence)
            return
        candidate = Candidate(subject, predicate, obj, datatype, [evidence])
        self.statements.append(candidate)
        self._by_key.setdefault((subject, predicate, obj, datatype), []).append(candidate)

    def _index(self):
        if not hasattr(self, "_by_key"):
            self._by_key = {}
            for c in self.statements:
                self._by_key.setdefault((c.subject, c.predicate, c.object, c.datatype), []).append(c)
        return self._by_key

    def is_observation(self, iri: str) -> bool:
        """Whether iri is an observation proposed from a figure."""
        return iri in self.new and self.new[iri].cls == OBSERVATION

    def matched(self, candidate: Candidate) -> bool:
        """Whether every entity the statement names is already in the graph."""
        return not any(iri in self.new for iri in candidate.entities())

    def to_turtle(self) -> str:
        lines = [
            f"{CANDIDATES_HEADER} from {self.source.input or self.source.file}.",
            "# Nothing here is in the graph: review them with `ftzgraph review THIS-FILE`.",
            f"# Evidence quotes cite the normalised text {self.source.file}, which sits beside this file.",
            "",
            *prefix_lines(),
            "",
            source_turtle(self.source),
        ]
        if self.new:
            lines += ["", "# Entities the graph does not have yet, with proposed IRIs."]
            lines += [entity_turtle(e) for e in self.new.values()]
        lines += ["", "# Candidate statements, each with its evidence (basis \"extracted\")."]
        stem = self.source.iri.rsplit("/", 1)[-1]
        count = 0
        for candidate in self.statements:
            lines.append(f"{term(candidate.subject)} {term(candidate.predicate)} {object_term(candidate)} .")
            for evidence in candidate.evidence:
                count += 1
                lines.append(evidence_turtle(f"{vocab.PREFIXES['ev']}{stem}-x{count:04d}", candidate, evidence,
                                             self.source.iri, "extracted"))
        if self.figures:
            lines += ["", "# Figures without a unit concept, a period or a known area, for drafting qb:Observations by hand",
                      "# (line, value, unit, period, area):"]
            lines += [f"#   {line}  {value} {unit}  {period or '-'}  {area or '-'}" for line, value, unit, period, area, _ in self.figures]
        if self.mentions:
            lines += ["", "# Mentions of what the graph already has (line, kind, IRI, as printed):"]
            lines += [f"#   {line}  {kind:<9} {vocab.compact(iri)}  {text}" for line, kind, iri, text in self.mentions]
        return "\n".join(lines) + "\n"


def prefix_lines() -> list[str]:
    wanted = ("ftz", "zone", "subarea", "body", "doc", "measure", "agreement", "provision", "concept", "source", "ev",
              "obs", "qb", "rdf", "rdfs", "xsd", "skos", "dcterms", "prov")
    return [f"@prefix {p + ':':<11} <{vocab.PREFIXES[p]}> ." for p in wanted]


def term(iri: str) -> str:
    compact = vocab.compact(iri)
    return compact if not compact.startswith("<") else f"<{iri}>"


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    import pyoxigraph as ox

    if lang:
        return str(ox.Literal(text, language=lang))
    if datatype and datatype != XSD + "string":
        return f"{ox.Literal(text)}^^{term(datatype)}"
    return str(ox.Literal(text))


def object_term(candidate: Candidate) -> str:
    return literal(candidate.object, datatype=candidate.datatype) if candidate.datatype else term(candidate.object)


def source_turtle(source: SourceInfo) -> str:
    return (f"{term(source.iri)} a ftz:Source ;\n"
            f"    skos:prefLabel {literal(source.label, 'zh')} , {literal(source.label_en, 'en')} ;\n"
            f"    ftz:sourceFile {literal(source.file)} ;\n"
            f"    ftz:sha256 {literal(source.sha256)} .")


def entity_turtle(entity: NewEntity) -> str:
    labels = [literal(entity.label, "zh")] + ([literal(entity.label_en, "en")] if entity.label_en else [])
    text = f"{term(entity.iri)} a {term(entity.cls)} ;\n    skos:prefLabel {' , '.join(labels)}"
    if entity.label_en:  # the reviewer's own English, never taken for an official title
        text += ' ;\n    ftz:labelBasis "translated"@en'
    if entity.number:
        text += f" ;\n    ftz:documentNumber {literal(entity.number)}"
    return text + " ."


def evidence_turtle(iri: str, candidate: Candidate, evidence: Evidence, source: str, basis: str,
                    extra: list[str] | None = None) -> str:
    parts = [
        f"{term(iri)} a ftz:Evidence ; rdf:subject {term(candidate.subject)} ; rdf:predicate {term(candidate.predicate)} ; "
        f"rdf:object {object_term(candidate)} ;",
        f"    ftz:source {term(source)} ; ftz:lineStart {evidence.line_start} ; ftz:lineEnd {evidence.line_end} ; "
        f"ftz:quote {literal(evidence.quote)} ; ftz:basis {literal(basis)}",
    ]
    for line in extra or []:
        parts[-1] += " ;"
        parts.append(f"    {line}")
    return "\n".join(parts) + " ."


def read(path) -> Candidates:
    """A candidates file back: its source, new entities and statements with their evidence."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, SKOS as S

    from ftzgraph.errors import FtzError

    graph = Graph()
    rdflib_log = logging.getLogger("rdflib.term")  # it logs a traceback for each ill-typed literal
    quiet, rdflib_log.disabled = rdflib_log.disabled, True
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many types for bad Turtle
        raise FtzError(f"cannot read {path}: not a candidates file ({' '.join(str(exc).split())[:200]})") from exc
    finally:
        rdflib_log.disabled = quiet
    ftz = lambda name: URIRef(FTZ + name)  # noqa: E731
    sources = list(graph.subjects(RDF.type, ftz("Source")))
    if len(sources) != 1:
        raise FtzError(f"{path} is not a candidates file of `ftzgraph extract` (it names {len(sources)} sources)")
    src = sources[0]

    def broken(node, what: str) -> FtzError:  # a file edited by hand: said, never carried into the graph
        return FtzError(f"{path} is not a candidates file of `ftzgraph extract`: {vocab.compact(str(node))} {what}")

    ident = str(src)[len(vocab.PREFIXES["source"]):] if str(src).startswith(vocab.PREFIXES["source"]) else ""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,99}", ident):  # it names the data file review writes
        raise broken(src, "is not a source IRI source:<lowercase letters, digits and hyphens>")
    for name in ("sourceFile", "sha256"):
        if not isinstance(graph.value(src, ftz(name)), Literal):
            raise broken(src, f"has no ftz:{name}")
    file_name = str(graph.value(src, ftz("sourceFile")))
    if file_name in ("", ".", "..") or "/" in file_name or "\\" in file_name:  # beside the candidates, never elsewhere
        raise broken(src, f"names a source text that is no plain file name: {file_name!r}")
    for ev in graph.subjects(RDF.type, ftz("Evidence")):
        if not isinstance(graph.value(ev, RDF.subject), URIRef) or not isinstance(graph.value(ev, RDF.predicate), URIRef):
            raise broken(ev, "needs an IRI as rdf:subject and as rdf:predicate")
        obj = graph.value(ev, RDF.object)
        if not isinstance(obj, (URIRef, Literal)) or (isinstance(obj, Literal) and obj.ill_typed):
            raise broken(ev, f"has no valid rdf:object ({obj})")
        lines = [graph.value(ev, ftz(name)) for name in ("lineStart", "lineEnd")]
        numbers = [n.toPython() if isinstance(n, Literal) else None for n in lines]
        if not all(type(n) is int and n >= 1 for n in numbers) or numbers[0] > numbers[1]:
            raise broken(ev, "needs whole numbers ftz:lineStart <= ftz:lineEnd from 1")
        if not isinstance(graph.value(ev, ftz("quote")), Literal):
            raise broken(ev, "has no ftz:quote")
    labels = {lbl.language: str(lbl) for lbl in graph.objects(src, S.prefLabel)}
    source = SourceInfo(str(src), str(graph.value(src, ftz("sourceFile"))), str(graph.value(src, ftz("sha256"))),
                        labels.get("zh", ""), labels.get("en", ""))
    new = {}
    for s, cls in graph.subject_objects(RDF.type):
        if cls in (ftz("Source"), ftz("Evidence")):
            continue
        entity_labels = {lbl.language: str(lbl) for lbl in graph.objects(s, S.prefLabel)}
        number = graph.value(s, ftz("documentNumber"))
        new[str(s)] = NewEntity(str(s), str(cls), entity_labels.get("zh", ""), str(number) if number else None,
                                entity_labels.get("en", ""))
    result = Candidates(source, [], new)
    evidence_nodes = sorted(graph.subjects(RDF.type, ftz("Evidence")), key=str)
    for ev in evidence_nodes:
        obj = graph.value(ev, RDF.object)
        datatype = str(obj.datatype or XSD + "string") if isinstance(obj, Literal) else None
        result.add(str(graph.value(ev, RDF.subject)), str(graph.value(ev, RDF.predicate)), str(obj),
                   Evidence(int(graph.value(ev, ftz("lineStart"))), int(graph.value(ev, ftz("lineEnd"))),
                            str(graph.value(ev, ftz("quote")))), datatype)
    return result
