"""The Python API: ``g = ftzgraph.open(); g.query("zone-subareas", zone="zone:fujian")``.

The CLI is a thin layer over this module.  A Graph runs queries on the compiled
local store or, given an endpoint URL, on any SPARQL 1.1 server.
"""

from __future__ import annotations

import re
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


class Graph:
    """The FTZ knowledge graph, local or behind a SPARQL endpoint."""

    def __init__(self, data_dir: Path | str | None = None, endpoint: str | None = None):
        self.data_dir = Path(data_dir) if data_dir else None
        self.endpoint = endpoint
        self._store = None

    # -- stores ---------------------------------------------------------------
    def files(self) -> list[Path]:
        from ftzgraph import store

        return store.input_files(self.data_dir)

    @property
    def store(self):
        """The read-only pyoxigraph Store of the compiled graph."""
        if self.endpoint:
            raise UsageError("this graph is a remote endpoint; it has no local store")
        if self._store is None:
            from ftzgraph import store

            self._store = store.open_store(self.files())
        return self._store

    def build(self, force: bool = False, progress=None) -> Path:
        from ftzgraph import store

        self._store = None
        return store.build(self.files(), progress=progress, force=force)

    def rdflib_graph(self):
        """The whole graph as an rdflib Graph, for code that needs rdflib."""
        from rdflib import Graph as RdfGraph

        graph = RdfGraph()
        for prefix, ns in vocab.PREFIXES.items():
            graph.bind(prefix, ns)
        for path in self.files():
            try:
                graph.parse(path, format="turtle")
            except Exception as exc:  # rdflib raises several parser exception types
                raise FtzError(f"{path}: broken Turtle: {str(exc).splitlines()[0]}") from exc
        return graph

    # -- queries --------------------------------------------------------------
    def query(
        self,
        query: str,
        params: dict[str, str] | None = None,
        lang: str | None = None,
        limit: int | None = None,
        **kwargs: str,
    ) -> Result:
        """Run SPARQL text or a named query; keyword arguments are parameters."""
        params = {**(params or {}), **kwargs}
        if catalogue.looks_like_name(query):
            named = catalogue.get(query.strip())
            if lang and named.param("lang") and "lang" not in params:
                params["lang"] = lang
            text = named.bind(params, self.resolve)
        else:
            if params:
                raise UsageError("--param works with named queries only")
            text = query
        return self.sparql(text, limit=limit)

    def sparql(self, text: str, limit: int | None = None) -> Result:
        if is_update(text):
            raise UsageError("SPARQL updates are refused: the graph is read-only")
        if self.endpoint:
            from ftzgraph import remote

            return remote.query(self.endpoint, vocab.SPARQL_PROLOGUE + text, limit=limit)
        return self._local(text, limit)

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

    def _local(self, text: str, limit: int | None) -> Result:
        try:
            answer = self.store.query(text, prefixes=vocab.PREFIXES)
        except SyntaxError as exc:
            raise UsageError(f"malformed SPARQL: {_describe_syntax_error(exc)}") from exc
        except OSError as exc:
            raise FtzError(f"query failed: {exc}") from exc
        return from_oxigraph(answer, limit)

    def resolve(self, text: str, cls: str | None = None) -> str:
        """The one entity a name stands for: IRI, prefixed name, clause, label, alias or 文号;
        of the ontology class ``cls`` (e.g. "Zone") if given."""
        from ftzgraph.names import resolve

        return resolve(self, text, cls)


def from_oxigraph(answer, limit: int | None = None) -> Result:
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return Result("boolean", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        triples = []
        for triple in answer:
            if limit is not None and len(triples) >= limit:
                break
            triples.append(triple)
        return Result("graph", triples=triples)
    variables = [v.value for v in answer.variables]
    rows = []
    for solution in answer:
        if limit is not None and len(rows) >= limit:
            break
        rows.append({v: solution[v] for v in variables})
    return Result("rows", variables=variables, rows=rows)


def is_update(text: str) -> bool:
    """Whether the text, past its prologue, starts like a SPARQL Update."""
    body = text[_PROLOGUE.match(text).end() :]
    return bool(_UPDATE.match(body))


def _describe_syntax_error(exc: SyntaxError) -> str:
    match = _SYNTAX_AT.search(str(exc))
    if match:
        line, column, message = match.groups()
        return f"line {line}, column {column}: {' '.join(message.split())}"
    return " ".join(str(exc).split())


def open(data_dir: Path | str | None = None, endpoint: str | None = None) -> Graph:  # noqa: A001 - mirrors sqlite_utils.Database
    """Open the graph: the shipped data by default, another data folder, or a SPARQL endpoint."""
    return Graph(data_dir=data_dir, endpoint=endpoint)
