"""`ftzgraph review`: candidates one at a time (accept, reject, edit, skip), then curated Turtle.

Every decision (and every new IRI given to a proposed entity) goes into a sidecar file beside the
candidates (CANDIDATES.decisions.json), so a second run asks only about what is still open, and
the data file is rewritten from all accepted decisions each time.  Accepted statements get basis "stated", the reviewer
(prov:wasAttributedTo) and the day (dcterms:dateAccepted) on their evidence.

A figure's observation asks for its indicator (a concept of concept:indicators) when its first statement is
accepted, and enters the data file only whole: value, unit, period, area and indicator.  Until then its
accepted parts wait in the sidecar.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ftzgraph import output as files
from ftzgraph import vocab
from ftzgraph.errors import FtzError, UsageError
from ftzgraph.extract import candidates as cands
from ftzgraph.extract.candidates import Candidate, Candidates, NewEntity

CONTEXT_LINES = 2
REF_AREA, REF_PERIOD = vocab.FTZ + "refArea", vocab.FTZ + "refPeriod"
_HEADER = "# Statements from"  # the first words of a data file that review writes


class Quit(Exception):
    """The reviewer stops: what was decided so far is kept."""


@dataclass
class Outcome:
    accepted: int = 0
    rejected: int = 0
    open: int = 0
    written: Path | None = None
    source_text: Path | None = None
    notes: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # observations accepted in part
    sidecar: Path | None = None

    def listing(self) -> str:
        summary = f"{self.accepted} accepted, {self.rejected} rejected, {self.open} open"
        if self.waiting:
            many = len(self.waiting) > 1
            summary += (f"; {len(self.waiting)} incomplete observation{'s' * many} "
                        f"({', '.join(vocab.compact(iri) for iri in self.waiting)}) wait{'' if many else 's'} in "
                        f"{self.sidecar} until value, unit, period, area and indicator are all accepted")
        out = [summary]
        if self.written:
            out.append(f"wrote {self.written} (its source text: {self.source_text})")
        return "\n".join(out + self.notes) + "\n"


class ClickTerminal:
    """Questions and answers on the terminal (or whatever stdin is: tests pipe answers in)."""

    def show(self, text: str) -> None:
        import click

        click.echo(text)

    def choose(self, question: str, choices: str) -> str:
        import click

        try:
            return click.prompt(question, type=click.Choice(list(choices)), show_choices=True)
        except click.exceptions.Abort as exc:  # end of input: stop as if the reviewer had quit
            raise Quit from exc

    def ask(self, question: str, default: str | None = None) -> str:
        import click

        try:
            return click.prompt(question, default=default, show_default=default is not None).strip()
        except click.exceptions.Abort as exc:
            raise Quit from exc


def review(graph, path: Path, into: Path | None = None, reviewer: str | None = None, accept_all_matched: bool = False,
           terminal=None) -> Outcome:
    from ftzgraph.names import exists

    path = Path(path)
    candidates = cands.read(path)
    text_file = path.parent / candidates.source.file
    if not text_file.is_file():
        raise FtzError(f"the source text {text_file.name} is not beside {path.name}; run `ftzgraph extract` again")
    lines = text_file.read_text(encoding="utf-8").split("\n")
    reviewer = reviewer or os.environ.get("USER") or "unknown"
    into = Path(into) if into else graph.data_dir or _shipped_data()
    _check_target(into / f"{candidates.source.iri.rsplit('/', 1)[-1]}.ttl", candidates)  # before any question
    _check_writable(into)
    sidecar = path.with_name(path.name + ".decisions.json")
    decisions = _load(sidecar)
    outcome = Outcome()
    session = _Session(graph, candidates, decisions, lines, reviewer, terminal or ClickTerminal())
    in_graph = functools.lru_cache(maxsize=None)(lambda iri: exists(graph, iri))
    try:
        for number, candidate in enumerate(candidates.statements, start=1):
            if candidate.key in decisions["statements"]:
                continue
            candidate = session.current(candidate)
            if accept_all_matched:  # an observation's statements wait for a person: it needs an indicator
                # Asked of the graph, not of the file's list of new entities: the file may be edited by hand.
                if candidate.predicate not in cands.OBSERVATION_PREDICATES and all(map(in_graph, candidate.entities())):
                    session.accept(candidate)
                continue
            session.ask(candidate, number)
    except Quit:
        outcome.notes.append("stopped; the decisions so far are kept")
    finally:
        files.write(sidecar, json.dumps(decisions, ensure_ascii=False, indent=1) + "\n")
    for candidate in candidates.statements:
        decision = decisions["statements"].get(candidate.key, {}).get("decision")
        outcome.accepted += decision == "accepted"
        outcome.rejected += decision == "rejected"
        outcome.open += decision is None
    used, outcome.waiting = accepted_statements(candidates, decisions)
    outcome.sidecar = sidecar
    if used:
        outcome.written, outcome.source_text = _write(into, candidates, decisions, text_file, graph)
    return outcome


def _follow(renamed: dict[str, str], iri: str) -> str:
    while iri in renamed:
        iri = renamed[iri]
    return iri


def _renamed(candidate: Candidate, renamed: dict[str, str]) -> Candidate:
    """The candidate with the IRIs the reviewer gave its proposed entities (itself if none changed)."""
    subject = _follow(renamed, candidate.subject)
    obj = candidate.object if candidate.datatype else _follow(renamed, candidate.object)
    if (subject, obj) == (candidate.subject, candidate.object):
        return candidate
    return Candidate(subject, candidate.predicate, obj, candidate.datatype, candidate.evidence)


def _typed_value(text: str, datatype: str) -> str:
    """An edited literal that its datatype accepts (2025-04-02 for a date, 12 for an integer)."""
    import logging

    from rdflib import Literal, URIRef

    logging.getLogger("rdflib.term").disabled = True  # it logs each ill-typed literal; the answer says it once
    try:
        ill_typed = Literal(text.strip(), datatype=URIRef(datatype)).ill_typed
    finally:
        logging.getLogger("rdflib.term").disabled = False
    if ill_typed:
        raise UsageError(f"{text.strip()!r} is not a valid {vocab.compact(datatype)}")
    return text.strip()


def _shipped_data() -> Path:
    from ftzgraph import paths

    return paths.data_dir()


def _load(sidecar: Path) -> dict:
    if not sidecar.is_file():
        return {"statements": {}, "entities": {}}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise FtzError(f"cannot read the decisions in {sidecar}: {exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(data.setdefault(key, {}), dict) for key in ("statements", "entities")):
        raise FtzError(f"cannot read the decisions in {sidecar}: not the object with \"statements\" and \"entities\" "
                       "that review writes")
    return data


class _Session:
    def __init__(self, graph, candidates: Candidates, decisions: dict, lines: list[str], reviewer: str, terminal):
        self.graph = graph
        self.candidates = candidates
        self.decisions = decisions
        self.lines = lines
        self.reviewer = reviewer
        self.terminal = terminal
        self.today = datetime.date.today().isoformat()
        self._labels: dict[str, str] = {}
        from ftzgraph.names import exists

        # A proposed entity the reviewer gave another IRI: every statement about it follows, in later runs too.
        self.renamed: dict[str, str] = decisions.setdefault("renamed", {})
        for old, new in self.renamed.items():
            if old in candidates.new and new not in candidates.new and not exists(graph, new):
                self._propose(candidates.new[old], new)

    def _propose(self, entity: NewEntity, iri: str) -> None:
        self.candidates.new[iri] = NewEntity(iri, entity.cls, entity.label, entity.number, entity.label_en)

    def current(self, candidate: Candidate) -> Candidate:
        """The candidate with the IRIs the reviewer has given its proposed entities."""
        edited = _renamed(candidate, self.renamed)
        if edited is candidate:
            return candidate
        edited.edited_from = candidate.key
        return edited

    def ask(self, candidate: Candidate, number: int) -> None:
        self.terminal.show(self.describe(candidate, number))
        answer = self.terminal.choose("[a]ccept [r]eject [e]dit [s]kip [q]uit", "aresq")
        if answer == "q":
            raise Quit
        if answer == "s":
            return
        if answer == "r":
            self.record(candidate, "rejected")
            return
        if answer == "e":
            candidate = self.edit(candidate)
        self.accept(candidate, asked=True)

    def describe(self, candidate: Candidate, number: int) -> str:
        total = len(self.candidates.statements)
        obj = f"{candidate.object}" if candidate.datatype else self.name(candidate.object)
        out = [f"\n[{number}/{total}] {candidate.kind}: {self.name(candidate.subject)}  →  {obj}"]
        for evidence in candidate.evidence[:3]:
            out.append(f"  {self.candidates.source.file} lines {evidence.line_start}-{evidence.line_end}:")
            first = max(1, evidence.line_start - CONTEXT_LINES)
            last = min(len(self.lines), evidence.line_end + CONTEXT_LINES)
            for n in range(first, last + 1):
                mark = ">" if evidence.line_start <= n <= evidence.line_end else " "
                out.append(f"  {mark}{n:>6} | {self.lines[n - 1][:160]}")
            out.append(f"  quote: “{evidence.quote}”")
        return "\n".join(out)

    def name(self, iri: str) -> str:
        entity = self.candidates.new.get(iri)
        if entity is not None:
            label = entity.label if len(entity.label) <= 80 else entity.label[:79] + "…"
            return f"{vocab.compact(iri)} (new: {label}{' ' + entity.number if entity.number else ''})"
        if iri not in self._labels:
            rows = self.graph.sparql(f"SELECT ?l WHERE {{ {vocab.iri_term(iri)} skos:prefLabel ?l FILTER(LANG(?l) = 'zh') }}").rows
            self._labels[iri] = rows[0]["l"].value if rows else ""
        return f"{vocab.compact(iri)} ({self._labels[iri]})" if self._labels[iri] else vocab.compact(iri)

    def edit(self, candidate: Candidate) -> Candidate:
        subject = self.ask_until_valid("subject", vocab.compact(candidate.subject),
                                       lambda text: self.resolve(text, candidate.subject))
        if candidate.datatype:
            obj = self.ask_until_valid("value", candidate.object, lambda text: _typed_value(text, candidate.datatype))
        else:
            obj = self.ask_until_valid("object", vocab.compact(candidate.object),
                                       lambda text: self.resolve(text, candidate.object))
        for iri in (subject, obj if not candidate.datatype else None):
            # An observation's labels are made from its indicator, area and period when it is written.
            if (iri and iri in self.candidates.new and iri not in self.decisions["entities"]
                    and not self.candidates.is_observation(iri)):
                entity = self.candidates.new[iri]
                entity.label = self.terminal.ask(f"Chinese label of {vocab.compact(iri)}", entity.label)
        edited = Candidate(subject, candidate.predicate, obj, candidate.datatype, candidate.evidence)
        edited.edited_from = getattr(candidate, "edited_from", candidate.key)
        return edited

    def ask_until_valid(self, question: str, default: str, convert):
        """An answer that ``convert`` takes; a wrong one is said and asked again, not the end of the review."""
        while True:
            try:
                return convert(self.terminal.ask(question, default))
            except UsageError as exc:
                self.terminal.show(f"  {exc}; try again")

    def resolve(self, text: str, original: str) -> str:
        """A typed IRI or prefixed name; a new IRI for a proposed entity renames it."""
        from ftzgraph.names import as_iri, exists

        iri = as_iri(text.strip())
        if not iri:
            raise UsageError(f"not an IRI or prefixed name: {text!r}")
        vocab.iri_term(iri)  # a UsageError for what is no IRI at all
        if iri == original:
            return iri
        known = iri in self.candidates.new or exists(self.graph, iri)
        if original not in self.candidates.new:  # another entity for this one statement
            if known:
                return iri
            raise UsageError(f"{vocab.compact(iri)} is not in the graph")
        if not known:  # a proposed entity renamed: its IRI stays in the project's scheme
            namespace = original.rsplit("/", 1)[0] + "/"
            if not iri.startswith(namespace) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", iri[len(namespace):]):
                prefix = vocab.compact(original).split(":", 1)[0]
                raise UsageError(f"a new name for {vocab.compact(original)} is {prefix}:<lowercase letters, digits "
                                 f"and hyphens>, not {text.strip()!r}")
            self._propose(self.candidates.new[original], iri)
        if _follow(self.renamed, iri) == original:
            raise UsageError(f"{vocab.compact(iri)} was itself renamed {vocab.compact(original)}")
        self.renamed[original] = iri  # renamed, or found to be an entity the graph or the file already has
        return iri

    def indicator(self, text: str) -> str:
        """An indicator of the graph: a skos:Concept of concept:indicators, by IRI or prefixed name."""
        from ftzgraph.names import as_iri

        iri = as_iri(text.strip())
        if not iri:
            raise UsageError(f"not an IRI or prefixed name: {text!r}")
        term = vocab.iri_term(iri)
        if not self.graph.sparql(f"ASK {{ {term} a skos:Concept ; skos:inScheme concept:indicators }}").boolean:
            raise UsageError(f"{vocab.compact(iri)} is not an indicator of the graph (a skos:Concept of concept:indicators)")
        return iri

    def accept(self, candidate: Candidate, asked: bool = False) -> None:
        for iri in candidate.entities():
            if iri in self.candidates.new and iri not in self.decisions["entities"]:
                entity = self.candidates.new[iri]
                if entity.cls == cands.OBSERVATION:
                    if iri in accepted_observations(self.decisions):  # accepted under the IRI it was renamed from
                        continue
                    indicator = self.ask_until_valid(f"Indicator of {vocab.compact(iri)} ({entity.label}), "
                                                     "e.g. concept:indicator-import-export", None, self.indicator)
                    self.decisions["entities"][iri] = {"decision": "accepted", "class": entity.cls, "label": entity.label,
                                                       "indicator": indicator}
                    continue
                english = entity.label_en
                while not english:
                    english = self.terminal.ask(f"English label of {vocab.compact(iri)} ({entity.label})")
                self.decisions["entities"][iri] = {"decision": "accepted", "class": entity.cls, "label": entity.label,
                                                   "label_en": english, "number": entity.number}
        self.record(candidate, "accepted", asked)

    def record(self, candidate: Candidate, decision: str, asked: bool = True) -> None:
        entry = {"decision": decision, "by": self.reviewer, "on": self.today,
                 "how": "asked" if asked else "--accept-all-matched"}
        original = getattr(candidate, "edited_from", None)
        if original:
            entry["edited"] = {"subject": candidate.subject, "object": candidate.object}
        self.decisions["statements"][original or candidate.key] = entry


def _write(into: Path, candidates: Candidates, decisions: dict, text_file: Path, graph) -> tuple[Path, Path]:
    """The data file of the accepted statements (and the source text it cites) in the data folder ``into``."""
    if not into.exists():
        source = graph.data_dir or _shipped_data()
        copy = into.with_name(f".{into.name}.{os.getpid()}.tmp")
        try:  # copied whole, then renamed: a failed copy leaves no half data folder
            shutil.copytree(source, copy)
            os.replace(copy, into)
        except OSError as exc:
            shutil.rmtree(copy, ignore_errors=True)
            raise FtzError(f"cannot start {into} as a copy of {source}: {exc.strerror or exc}") from exc
    stem = candidates.source.iri.rsplit("/", 1)[-1]
    target = into / f"{stem}.ttl"
    _check_target(target, candidates)
    try:
        (into / "sources").mkdir(exist_ok=True)
    except OSError as exc:
        raise FtzError(f"cannot write into {into}: {exc.strerror or exc}") from exc
    text_target = into / "sources" / candidates.source.file
    if not text_target.is_file():
        files.write(text_target, text_file.read_bytes())
    files.write(target, accepted_turtle(candidates, decisions, graph))
    return target, text_target


def _check_writable(into: Path) -> None:
    """The data folder (or, for a new one, the folder it goes in) takes files: said before the questions, not after."""
    import tempfile

    folder = into if into.exists() else into.parent
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise FtzError(f"cannot write into {into}: {exc.strerror or exc}") from exc


def _check_target(target: Path, candidates: Candidates) -> None:
    """A data file is rewritten only if an earlier review wrote it from this very text (same sha256)."""
    if not target.exists():
        return
    try:
        text = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    if not (text.startswith(_HEADER) and f"ftz:sha256 {cands.literal(candidates.source.sha256)}" in text):
        raise FtzError(f"{target} exists and holds other statements than those of {vocab.compact(candidates.source.iri)}; "
                       "it is left alone: extract again with another --source-id")


def accepted_statements(candidates: Candidates, decisions: dict) -> tuple[list[tuple[Candidate, dict]], list[str]]:
    """The accepted statements as the reviewer left them (edits and renames applied), without those of
    observations not yet whole; and those waiting observations."""
    used: list[tuple[Candidate, dict]] = []
    for candidate in candidates.statements:
        entry = decisions["statements"].get(candidate.key)
        if not entry or entry["decision"] != "accepted":
            continue
        if "edited" in entry:
            candidate = Candidate(entry["edited"]["subject"], candidate.predicate, entry["edited"]["object"],
                                  candidate.datatype, candidate.evidence)
        renamed = _renamed(candidate, decisions.get("renamed", {}))  # a later rename reaches statements accepted before it
        if renamed is not candidate:
            candidate = renamed
            entry = {**entry, "edited": {"subject": candidate.subject, "object": candidate.object}}
        used.append((candidate, entry))
    observations = accepted_observations(decisions)
    parts: dict[str, set[str]] = {}
    for candidate, _ in used:
        if candidate.subject in observations:
            parts.setdefault(candidate.subject, set()).add(candidate.predicate)
    waiting = [iri for iri, predicates in parts.items() if not predicates >= set(cands.OBSERVATION_PREDICATES)]
    return [(c, e) for c, e in used if c.subject not in waiting], waiting


def accepted_observations(decisions: dict) -> dict[str, str]:
    """Proposed observations the reviewer accepted, under their IRIs after renames: IRI -> indicator."""
    renamed = decisions.get("renamed", {})
    return {_follow(renamed, iri): entity["indicator"] for iri, entity in decisions["entities"].items()
            if entity.get("decision") == "accepted" and entity["class"] == cands.OBSERVATION}


def accepted_turtle(candidates: Candidates, decisions: dict, graph) -> str:
    source = candidates.source
    out = [f"{_HEADER} {source.input or source.file}, proposed by `ftzgraph extract` and accepted with",
           "# `ftzgraph review`: each evidence names its reviewer and the day of the decision.", "",
           *cands.prefix_lines(), "", cands.source_turtle(source)]
    entities = {iri: e for iri, e in decisions["entities"].items() if e.get("decision") == "accepted"}
    used, _ = accepted_statements(candidates, decisions)
    indicators = accepted_observations(decisions)
    named = {iri for c, _ in used for iri in c.entities()}
    for iri, entity in entities.items():
        if iri in named and entity["class"] != cands.OBSERVATION:
            out += ["", cands.entity_turtle(NewEntity(iri, entity["class"], entity["label"], entity.get("number"),
                                                        entity["label_en"]))]
    observed: dict[str, dict[str, Candidate]] = {}
    for candidate, _ in used:
        if candidate.subject in indicators:
            observed.setdefault(candidate.subject, {})[candidate.predicate] = candidate
    if observed:
        labels = _labels(graph, {indicators[iri] for iri in observed} | {parts[REF_AREA].object for parts in observed.values()})
        for iri, parts in observed.items():
            out += ["", _observation_turtle(iri, indicators[iri], parts, labels)]
    count = 0
    stem = source.iri.rsplit("/", 1)[-1]
    for candidate, entry in used:
        out += ["", f"{cands.term(candidate.subject)} {cands.term(candidate.predicate)} {cands.object_term(candidate)} ."]
        for evidence in candidate.evidence:
            count += 1
            extra = [f"prov:wasAttributedTo {cands.literal(entry['by'])}",
                     f"dcterms:dateAccepted {cands.literal(entry['on'], datatype=cands.XSD + 'date')}"]
            if "edited" in entry:
                extra.append(f"rdfs:comment {cands.literal('Edited by the reviewer from the extracted candidate.', 'en')}")
            out.append(cands.evidence_turtle(f"{vocab.PREFIXES['ev']}{stem}-{count:04d}", candidate, evidence,
                                             source.iri, "stated", extra))
    return "\n".join(out) + "\n"


def _labels(graph, iris: set[str]) -> dict[tuple[str, str], str]:
    """(IRI, language) -> prefLabel, for zh and en."""
    values = " ".join(vocab.iri_term(iri) for iri in sorted(iris))
    rows = graph.sparql(f"""SELECT ?e ?lang ?l WHERE {{ VALUES ?e {{ {values} }} ?e skos:prefLabel ?l
                            BIND(LANG(?l) AS ?lang) FILTER(?lang IN ("zh", "en")) }}""").rows
    return {(row["e"].value, row["lang"].value): row["l"].value for row in rows}


def _observation_turtle(iri: str, indicator: str, parts: dict[str, Candidate], labels: dict) -> str:
    """A whole observation in ftz:statistics, labelled like the curated ones: period, area, indicator."""
    period = parts[REF_PERIOD].object
    area = parts[REF_AREA].object
    zh = vocab.date_zh(period) + labels.get((area, "zh"), "") + labels.get((indicator, "zh"), "")
    en = f"{labels.get((indicator, 'en'), '')}, {labels.get((area, 'en'), '')}, {period}"
    return (f"{cands.term(iri)} a qb:Observation ;\n    qb:dataSet ftz:statistics ;\n"
            f"    ftz:indicator {cands.term(indicator)} ;\n"
            f"    skos:prefLabel {cands.literal(zh, 'zh')} , {cands.literal(en, 'en')} .")
