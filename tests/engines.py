"""Helpers for comparing query answers across SPARQL engines, and a throwaway Virtuoso server.

Used by tests/test_engines.py and bench/engines.py.  Nothing here writes outside the folder
it is given, and every process it starts has that folder in its command line.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

GRAPH_IRI = "https://w3id.org/ftzgraph/graph"
VIRTUOSO_VSP = "/var/lib/virtuoso-opensource-7/vsp"
# GROUP_CONCAT(... ; separator="x") AS ?name: cells compared as sorted sets of their items.
_GROUP_CONCAT = re.compile(r'GROUP_CONCAT\s*\((?:[^;()]|\([^()]*(?:\([^()]*\)[^()]*)*\))*;\s*separator\s*=\s*"((?:[^"\\]|\\.)*)"\s*\)\s*AS\s*\?(\w+)',
                           re.IGNORECASE)


# -- comparing answers ------------------------------------------------------------------------------

def group_concat_columns(text: str) -> dict[str, str]:
    """{variable: separator} of every GROUP_CONCAT projected by the query."""
    return {name: bytes(sep, "utf-8").decode("unicode_escape") for sep, name in _GROUP_CONCAT.findall(text)}


def has_order_by(text: str) -> bool:
    code = "\n".join(line.split("#", 1)[0] if not line.lstrip().startswith("#") else "" for line in text.splitlines())
    return re.search(r"\bORDER\s+BY\b", code, re.IGNORECASE) is not None


def cell_key(term, separator: str | None = None):
    """A hashable, comparable form of one cell: unbound and the empty string are the same;
    a GROUP_CONCAT cell is the sorted tuple of its items."""
    if term is None:
        return ""
    value = getattr(term, "value", None)
    if separator is not None:
        text = str(value if value is not None else term)
        return tuple(sorted(item for item in text.split(separator) if item)) if text else ""
    import pyoxigraph as ox

    if isinstance(term, ox.Literal) and term.value == "" and not term.language:
        return ""
    return str(term)  # N-Triples: kind, value, datatype and language tag all count


def row_keys(result, text: str, variables: list[str] | None = None) -> list[tuple]:
    """The rows of a Result as tuples of cell keys, in the Result's order."""
    concat = group_concat_columns(text)
    variables = variables or result.variables
    return [tuple(cell_key(row.get(v), concat.get(v)) for v in variables) for row in result.rows]


@dataclass
class Comparison:
    """How one engine's answer differs from the reference answer; empty when they agree."""

    variables: list[str]
    missing: list[tuple] = field(default_factory=list)  # in the reference, not in the other
    extra: list[tuple] = field(default_factory=list)  # in the other, not in the reference
    order: list[tuple[int, tuple, tuple]] = field(default_factory=list)  # (position, reference, other)
    heading: str = ""

    def __bool__(self) -> bool:  # true when they differ
        return bool(self.missing or self.extra or self.order or self.heading)

    def report(self, limit: int = 10) -> str:
        lines = []
        if self.heading:
            lines.append(self.heading)
        for title, rows in (("rows only in the local answer", self.missing), ("rows only in the engine's answer", self.extra)):
            if rows:
                lines.append(f"{len(rows)} {title} ({', '.join(self.variables)}):")
                lines += [f"  {_show(row)}" for row in rows[:limit]]
                if len(rows) > limit:
                    lines.append(f"  … and {len(rows) - limit} more")
        if self.order:
            lines.append(f"same rows, different order; first {min(limit, len(self.order))} of {len(self.order)} positions that differ:")
            for position, mine, theirs in self.order[:limit]:
                lines.append(f"  #{position}: local {_show(mine)}")
                lines.append(f"  {' ' * len(str(position))}   engine {_show(theirs)}")
        return "\n".join(lines)


def _show(row: tuple) -> str:
    return "(" + ", ".join(repr(c) if isinstance(c, tuple) else (c or "·") for c in row) + ")"


def compare(reference, other, text: str, ordered: bool | None = None) -> Comparison:
    """Compare two Results of the query ``text``: as multisets of rows, and row by row when
    the query has ORDER BY."""
    from collections import Counter

    if reference.variables != other.variables:
        if set(reference.variables) != set(other.variables):
            return Comparison(reference.variables, heading=f"columns differ: local {reference.variables}, engine {other.variables}")
    mine, theirs = row_keys(reference, text), row_keys(other, text, reference.variables)
    left, right = Counter(mine), Counter(theirs)
    result = Comparison(reference.variables, missing=sorted((left - right).elements(), key=repr),
                        extra=sorted((right - left).elements(), key=repr))
    if ordered is None:
        ordered = has_order_by(text)
    if not result and ordered:
        result.order = [(i, a, b) for i, (a, b) in enumerate(zip(mine, theirs)) if a != b]
    return result


# -- rdflib as an engine ------------------------------------------------------------------------------

def rdflib_result(rdf_graph, text: str):
    """Run SPARQL text on an rdflib Graph; the answer as a ftzgraph Result of pyoxigraph terms."""
    from ftzgraph.results import Result

    answer = rdf_graph.query(text)
    if answer.type == "ASK":
        return Result("boolean", boolean=bool(answer.askAnswer))
    variables = [str(v) for v in answer.vars]
    rows = [{v: to_oxigraph(row[i]) for i, v in enumerate(variables)} for row in answer]
    return Result("rows", variables=variables, rows=rows)


def to_oxigraph(term):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", str(term)))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


# -- Virtuoso -----------------------------------------------------------------------------------------

def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


def isql_binary() -> str | None:
    return shutil.which("isql-vt") or shutil.which("isql-v")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Virtuoso:
    """Virtuoso Open Source on private ports with its database in ``folder``.

    ``sparql_url`` is the query endpoint with ``default-graph-uri`` naming the graph that
    ``push`` fills, so the catalogue's queries (which use the default graph) see that graph
    and not the union of Virtuoso's own system graphs."""

    def __init__(self, folder: Path, graph: str = GRAPH_IRI, buffers: int = 10_000):
        self.folder = Path(folder)
        self.graph = graph
        self.buffers = buffers
        self.sql_port = _free_port()
        self.http_port = _free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        return f"{self.base}/sparql?default-graph-uri={urllib.parse.quote(self.graph, safe='')}"

    @property
    def crud_url(self) -> str:
        return f"{self.base}/sparql-graph-crud"

    def write_ini(self) -> Path:
        d = self.folder
        ini = d / "virtuoso.ini"
        ini.write_text(f"""[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
Striping           = 0

[Parameters]
ServerPort          = {self.sql_port}
DisableUnixSocket   = 1
DisableTcpSocket    = 0
CheckpointInterval  = 60
DirsAllowed         = ., {d}
NumberOfBuffers     = {self.buffers}
MaxDirtyBuffers     = {self.buffers * 3 // 4}
MaxQueryMem         = 1G
ThreadsPerQuery     = 2
MaxClientConnections = 10

[HTTPServer]
ServerPort           = {self.http_port}
ServerRoot           = {VIRTUOSO_VSP if Path(VIRTUOSO_VSP).is_dir() else d}
ServerThreads        = 10
MaxClientConnections = 10
EnabledDavVSP        = 0
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 600
DefaultGraph               = {self.graph}
""", encoding="utf-8")
        return ini

    def start(self, timeout: float = 120.0) -> Virtuoso:
        binary = virtuoso_binary()
        if binary is None:
            raise RuntimeError("virtuoso-t is not installed (Debian package virtuoso-opensource)")
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self.write_ini()
        log = (self.folder / "stdout.log").open("wb")
        # +foreground: the process we hold is the server itself, so terminate() stops it.
        self.proc = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=self.folder,
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        try:
            self._wait(timeout)
            self.grant()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.proc.returncode} at start: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/sparql?query=ASK%7B%7D", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"Virtuoso did not answer within {timeout:g} s: {self.log_tail()}")

    def log_tail(self, lines: int = 15) -> str:
        text = ""
        for name in ("virtuoso.log", "stdout.log"):
            path = self.folder / name
            if path.exists():
                text += path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def sql(self, statements: str) -> str:
        isql = isql_binary()
        if isql is None:
            raise RuntimeError("isql-vt is not installed (Debian package virtuoso-opensource-7-bin)")
        done = subprocess.run([isql, str(self.sql_port), "dba", "dba", f"exec={statements}"],
                              capture_output=True, text=True, timeout=120, cwd=self.folder)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout}{done.stderr}")
        return done.stdout

    def grant(self) -> None:
        """Let the anonymous SPARQL user write through the Graph Store endpoint (a throwaway
        database on a loopback port)."""
        self.sql("GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# -- rendered pages ---------------------------------------------------------------------------------

_JSON_SCRIPT = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.DOTALL)


def page_graph(html: str) -> tuple[dict[str, str], dict[tuple, str]]:
    """The nodes (by id) and edges (by from, relation, to) a rendered page draws, each as
    canonical JSON of everything the page holds about it (labels, class, properties,
    evidence, position).  Reads the JSON the page embeds, whichever script elements hold it."""
    import json

    blocks = {name: json.loads(text) for name, text in _JSON_SCRIPT.findall(html)}
    lists = [b for b in blocks.values() if isinstance(b, list)]
    lists += [b[key] for b in blocks.values() if isinstance(b, dict) for key in ("nodes", "edges") if isinstance(b.get(key), list)]
    nodes: dict[str, str] = {}
    edges: dict[tuple, str] = {}
    for items in lists:
        for item in items:
            if not isinstance(item, dict):
                continue
            text = json.dumps(item, ensure_ascii=False, sort_keys=True)
            if "from" in item and "to" in item:
                edges[(item["from"], item.get("rel", item.get("label")), item["to"])] = text
            elif "id" in item:
                nodes[item["id"]] = text
    if not nodes:
        raise ValueError("the page embeds no node data")
    return nodes, edges


def dict_differences(mine: dict, theirs: dict, what: str, limit: int = 8) -> list[str]:
    """Lines naming the keys only one side has and the keys whose values differ."""
    lines = []
    only_mine, only_theirs = sorted(set(mine) - set(theirs), key=str), sorted(set(theirs) - set(mine), key=str)
    changed = sorted((k for k in set(mine) & set(theirs) if mine[k] != theirs[k]), key=str)
    for title, keys in ((f"{what} only in the local page", only_mine), (f"{what} only in the engine's page", only_theirs)):
        if keys:
            lines.append(f"{len(keys)} {title}: " + ", ".join(map(str, keys[:limit])) + (" …" if len(keys) > limit else ""))
    for key in changed[:limit]:
        lines.append(f"{what} {key} differs:\n  local  {mine[key][:400]}\n  engine {theirs[key][:400]}")
    if len(changed) > limit:
        lines.append(f"… and {len(changed) - limit} more {what} that differ")
    return lines
