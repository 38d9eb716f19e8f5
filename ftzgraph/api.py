"""The Python API: ``g = ftzgraph.open(); g.query("zone-subareas", zone="zone:fujian")``.

Everything the command line does is one method of Graph; the CLI only parses
arguments and formats what the method returns.  A Graph runs on the compiled local
store or, given an endpoint URL, on any SPARQL 1.1 server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ftzgraph import catalogue, vocab
from ftzgraph.errors import FtzError, UsageError
from ftzgraph.results import Result

_PROLOGUE = re.compile(r"^\s*(#[^\n]*\n|\s+|(PREFIX|BASE)\s+[^<]*<[^>]*>)*", re.IGNORECASE)
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_SYNTAX_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
# Oxigraph joins a VALUES block super-linearly in its size: 2,000 IRIs in one query take
# 18 s at 1 M triples, four queries of 500 take 0.6 s.
VALUES_BATCH = 500


@dataclass
class BuildInfo:
    location: Path
    triples: int
    files: int


class Graph:
    """The FTZ knowledge graph, local or behind a SPARQL endpoint."""

    def __init__(self, data_dir: Path | str | None = None, endpoint: str | None = None, user: str | None = None,
                 timeout: float | None = None):
        self.data_dir = Path(data_dir) if data_dir else None
        self.endpoint = endpoint
        self.user = user
        self.timeout = timeout
        self._store = None
        self._store_lock = None  # keeps the store from being pruned while this graph has it open
        self._hierarchy: dict[str, frozenset[str]] | None = None

    # -- the store ------------------------------------------------------------------
    def files(self) -> list[Path]:
        """The Turtle files the graph is compiled from: the ontology, then the data folder."""
        from ftzgraph import store

        return store.input_files(self.data_dir)

    @property
    def store(self):
        """The read-only pyoxigraph Store of the compiled graph."""
        self._local_only("a local store")
        if self._store is None:
            from ftzgraph import store

            self._store, self._store_lock = store.open_store(self.files())
        return self._store

    def _close(self) -> None:
        self._store = None
        if self._store_lock is not None:
            self._store_lock.close()
            self._store_lock = None

    def build(self, force: bool = False, progress=None) -> BuildInfo:
        """Compile ontology + data into the cached store (again with ``force``).
        ``progress(path, bytes)`` is called as each file is loaded."""
        from ftzgraph import store

        self._local_only("build")
        files = self.files()
        self._close()
        location = store.build(files, progress=progress, force=force, verify=True)
        return BuildInfo(location, store.manifest(location)["triples"], len(files))

    def rdflib_graph(self):
        """The compiled graph (inferred triples included) as an rdflib Graph, for code that needs rdflib."""
        from rdflib import Graph as RdfGraph

        graph = RdfGraph()
        for prefix, ns in vocab.PREFIXES.items():
            graph.bind(prefix, ns)
        everything = self.sparql("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        graph.parse(data=everything.format("nt"), format="nt")
        return graph

    def _local_only(self, what: str) -> None:
        if self.endpoint:
            raise UsageError(f"{what} needs the local graph, not an endpoint")

    # -- queries --------------------------------------------------------------------
    def query(self, query: str, params: dict[str, str] | None = None, lang: str | None = None,
              limit: int | None = None, **kwargs: str) -> Result:
        """Run a named query or SPARQL text; keyword arguments are a named query's parameters."""
        params = {**(params or {}), **kwargs}
        if catalogue.looks_like_name(query):
            named = catalogue.get(query.strip())
            if lang and named.param("lang") and "lang" not in params:
                params["lang"] = lang
            text = named.bind(params, self.resolve)
        else:
            if params:
                raise UsageError("parameters work with named queries only")
            text = query
        return self.sparql(text, limit=limit)

    def sparql(self, text: str, limit: int | None = None) -> Result:
        """Run SPARQL text (the project's prefixes are predeclared); updates are refused."""
        from ftzgraph import guard

        guard.check(text)
        if is_update(text):
            raise UsageError("SPARQL updates are refused: the graph is read-only")
        if self.endpoint:
            from ftzgraph import remote

            return remote.query(self._remote(self.endpoint), vocab.SPARQL_PROLOGUE + text, limit=limit)
        for attempt in range(2):
            try:
                return Result.from_oxigraph(self.store.query(text, prefixes=vocab.PREFIXES), limit)
            except SyntaxError as exc:
                raise UsageError(f"malformed SPARQL: {_describe_syntax_error(exc)}") from exc
            except (OSError, RuntimeError) as exc:
                if attempt or "Corruption" not in str(exc):
                    raise FtzError(f"query failed: {' '.join(str(exc).split())}") from exc
                self._recover()
        raise AssertionError("unreachable")

    def _recover(self) -> None:
        """The store turned out damaged mid-query: set it aside, say so, rebuild, retry once."""
        from ftzgraph import store

        location = Path(self._store_lock.name).parent
        self._close()
        store.warn(f"the cached store {location.name} is damaged; rebuilding it")
        store.discard(location)

    def sparql_batched(self, template: str, terms: list[str], size: int = VALUES_BATCH) -> Result:
        """A SELECT or CONSTRUCT whose ``{values}`` slot takes the SPARQL terms a batch at a time; the answers joined."""
        merged: Result | None = None
        for start in range(0, len(terms), size):
            part = self.sparql(template.replace("{values}", " ".join(terms[start:start + size])))
            if merged is None:
                merged = part
            else:
                merged.rows += part.rows
                merged.triples += part.triples
        return merged or self.sparql(template.replace("{values}", ""))

    def resolve(self, text: str, cls: str | None = None) -> str:
        """The one entity a name stands for: IRI, prefixed name, clause, label, alias or 文号;
        of the ontology class ``cls`` (e.g. "Zone", subclasses included) if given."""
        from ftzgraph.names import resolve

        return resolve(self, text, cls)

    def most_specific_class(self, types) -> str | None:
        """The most specific of the class IRIs ``types``, by the ontology's rdfs:subClassOf."""
        from ftzgraph import ontology

        return ontology.most_specific(types, self._classes())

    def is_a(self, cls: str, general: str) -> bool:
        """Whether the class IRI ``cls`` is ``general`` (an IRI or an ftz: local name) or below it."""
        return (general if "://" in general else vocab.FTZ + general) in self._classes().get(cls, ())

    def _classes(self) -> dict[str, frozenset[str]]:
        from ftzgraph import ontology

        if self._hierarchy is None:
            self._hierarchy = ontology.superclasses(self)
        return self._hierarchy

    # -- research -------------------------------------------------------------------
    def trace(self, target: str, max_nodes: int = 2000):
        """Every path from a clause, agreement, measure, 文号, zone or body, each edge with its evidence."""
        from ftzgraph.trace import trace

        return trace(self, target, max_nodes=max_nodes)

    def gaps(self, agreement: str, lang: str = "en", level: str = "all") -> Result:
        """Per chapter and article of an agreement (``level``: all, chapter or article): aligned
        measures, documents and zones."""
        from ftzgraph import gaps

        return gaps.coverage(self, agreement, lang, level)

    def gaps_matrix(self, agreement: str):
        """The chapter × zone counts of an agreement's aligned measures and documents."""
        from ftzgraph import gaps

        return gaps.matrix(self, agreement)

    def suggest(self, query: str, agreement: str = "CPTPP", top: int = 5) -> Result:
        """The treaty articles that may answer a measure (a name) or a free text, best first: article,
        number, title, score and the terms that matched. A ranking, never a fact."""
        from ftzgraph import suggest

        import pyoxigraph as ox

        rows = suggest.suggest(self, query, agreement, top)
        return Result.from_dicts([{**row, "article": ox.NamedNode(vocab.expand(row["article"])),
                                   "matched": ", ".join(row["matched"])} for row in rows],
                                 ["article", "number", "title", "score", "matched"],
                                 note=f"{len(rows)} suggestions: a ranking, not evidence; check the treaty text")

    def accept_suggestion(self, review_file: Path | str, measure: str, rank: int = 1, agreement: str = "CPTPP") -> str:
        """Write the suggestion at ``rank`` for ``measure`` into a review file (never into data/) as an
        alignment with ftz:basis "suggested". Returns the evidence's name."""
        from ftzgraph import suggest

        subject = suggest.subject_of(self, measure)
        known = subject and self.sparql(f"ASK {{ <{subject}> a ?c FILTER(?c IN (ftz:Measure, ftz:PolicyDocument)) }}").boolean
        if not known:
            raise UsageError(f"{measure!r} is not a measure or document of the graph: only those can be aligned")
        rows = suggest.suggest(self, subject, agreement, rank)
        if len(rows) < rank:
            raise UsageError(f"there is no suggestion at rank {rank} for {vocab.compact(subject)}")
        row = rows[rank - 1]
        return suggest.write_review(review_file, subject, row["article"], row["score"], self.data_dir)

    def conflicts(self, lang: str = "en") -> Result:
        """Every recorded disagreement, one row per claim, with its evidence."""
        return self.query("disagreements", lang=lang)

    def analyze(self, name: str, lang: str = "en", agreement: str | None = None) -> Result:
        """One of the network analyses (networks.ANALYSES) as rows."""
        from ftzgraph import networks

        return Result.from_dicts(networks.analyze(self, name, lang=lang, agreement=agreement))

    def chart(self, indicator: str, output: Path | str, area: str | None = None, by: str = "year",
              year: int | None = None, lang: str = "en"):
        """Draw an indicator as a .png or .svg: over time for ``area`` (``by="year"``; default all the
        zones together) or across zones in ``year`` (``by="zone"``); needs matplotlib."""
        from ftzgraph import chart

        return chart.chart(self, indicator, output, area=area, by=by, year=year, lang=lang)

    def export(self, fmt: str, output: Path | str, cls: str | None = None, zone: str | None = None,
               agreement: str | None = None) -> list[Path]:
        """Write the graph or a subgraph as graphml, gexf, csv (nodes + edges), ttl, nt or jsonld."""
        from ftzgraph import export

        return export.export(self, fmt, Path(output), cls=cls, zone=zone, agreement=agreement)

    def view(self, kind: str, name: str | None = None):
        """A drawable subgraph: a view kind (render.VIEWS) and its name, or a trace result."""
        from ftzgraph.render import views

        return views.build_view(self, kind, name)

    def render(self, view, name: str | None = None, lang: str = "en") -> str:
        """One self-contained HTML page: of a view kind and name, a View, a Trace, or SPARQL text
        (a CONSTRUCT, or a SELECT of ?source ?target [?label]) when ``view`` is "query"."""
        from ftzgraph.render import page, views

        if isinstance(view, str):
            view = views.query_view(self, name or "") if view == "query" else views.build_view(self, view, name)
        elif not isinstance(view, views.View):
            view = views.from_trace(self, view)
        return page.to_html(view, lang, graph=self)

    def gallery(self, folder: Path | str, lang: str = "en") -> list[Path]:
        """Regenerate every gallery page and its index in ``folder``."""
        from ftzgraph.render import gallery

        return gallery.write(self, Path(folder), lang)

    # -- checks ---------------------------------------------------------------------
    def validate(self, shacl: bool = True) -> list:
        """Every problem in the data folder: SHACL shapes, evidence quotes, labels, coverage."""
        from ftzgraph import validate

        self._local_only("validate")
        return validate.validate(self.data_dir, use_shacl=shacl)

    def stats(self) -> tuple[Result, Result]:
        """Counts by class, and the evidence coverage of the core statements."""
        return self.query("class-counts"), self.query("evidence-coverage")

    def push(self, url: str, graph: str | None = None, append: bool = False, chunk: int | None = None,
             progress=None) -> int:
        """Load the compiled graph (inferred triples included) into a Graph Store Protocol endpoint,
        into the named ``graph`` or the default graph; returns the triples sent.  ``chunk``
        sends that many triples per request; ``progress(triples)`` follows along."""
        import tempfile

        import pyoxigraph as ox

        from ftzgraph import remote

        target = self._remote(url)
        with tempfile.TemporaryDirectory(prefix="ftzgraph-push-") as tmp:
            dump = Path(tmp) / "graph.nt"
            self.store.dump(str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            remote.push(target, dump, graph=graph, append=append, chunk=chunk, progress=progress)
        return len(self.store)

    def _remote(self, url: str):
        from ftzgraph import remote

        return remote.Endpoint(url, user=self.user, timeout=self.timeout or remote.TIMEOUT)

    # -- new reports ----------------------------------------------------------------
    def extract(self, path: Path | str | None = None, output: Path | str | None = None, source_id: str | None = None,
                evaluate: bool = False, title: str | None = None):
        """Candidate statements, each with evidence, from a policy text (text, HTML, PDF or .docx); with
        ``output`` also written, and the normalised text beside them.  ``title`` names the new source
        (default: its first line that is more than a date or number).  ``evaluate`` runs the
        leave-one-report-out evaluation on the shipped reports instead."""
        from ftzgraph import extract, paths

        self._local_only("extract")
        if evaluate:
            from ftzgraph.extract import evaluate as evaluation

            return evaluation.evaluate(self)
        if path is None:
            raise UsageError("give a file to extract from (or evaluate=True)")
        if output is not None:  # candidates are not data until `ftzgraph review` accepts them
            data = Path(self.data_dir or paths.data_dir()).resolve()
            if data == Path(output).resolve() or data in Path(output).resolve().parents:
                raise UsageError(f"{output}: candidates must not be written under the data folder {data}")
        result = extract.extract_file(self, path, source_id=source_id, title=title)
        if output is not None:
            extract.write(result, Path(output))
        return result

    def review(self, candidates: Path | str, into: Path | str | None = None, reviewer: str | None = None,
               accept_all_matched: bool = False, terminal=None):
        """Go through a candidates file (accept, reject, edit, skip) and write the accepted statements
        into the data folder ``into`` (default: this graph's); ``terminal`` asks the questions."""
        from ftzgraph.extract import review

        self._local_only("review")
        return review.review(self, Path(candidates), Path(into) if into else None, reviewer=reviewer,
                             accept_all_matched=accept_all_matched, terminal=terminal)


def is_update(text: str) -> bool:
    """Whether the text, past its prologue, starts like a SPARQL Update."""
    body = text[_PROLOGUE.match(text).end():]
    return bool(_UPDATE.match(body))


def _describe_syntax_error(exc: SyntaxError) -> str:
    match = _SYNTAX_AT.search(str(exc))
    if match:
        line, column, message = match.groups()
        return f"line {line}, column {column}: {' '.join(message.split())}"
    return " ".join(str(exc).split())


def open(data_dir: Path | str | None = None, endpoint: str | None = None, user: str | None = None,  # noqa: A001
         timeout: float | None = None) -> Graph:
    """Open the graph: the shipped data by default, another data folder, or a SPARQL endpoint
    (with ``user``, whose password comes from FTZGRAPH_PASSWORD or ~/.netrc)."""
    return Graph(data_dir=data_dir, endpoint=endpoint, user=user, timeout=timeout)
