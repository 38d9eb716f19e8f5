"""SPARQL 1.1 Protocol and Graph Store Protocol clients, on the standard library.

An Endpoint asks for the result format that fits the query form, reads SPARQL JSON
itself (Virtuoso's blank-node ids and booleans written as 1 included), sends --limit
as LIMIT, warns when an answer stops at a server's round row cap, and authenticates
with HTTP Basic or Digest (user from --user, password from FTZGRAPH_PASSWORD or
~/.netrc).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ftzgraph.errors import FtzError, UsageError

TIMEOUT = 60.0
ROW_CAPS = (1_000, 5_000, 10_000, 50_000, 100_000, 1_000_000)  # servers' usual silent result limits
PUSH_CHUNK = 100_000  # triples per request when pushing in chunks
_ROWS_ACCEPT = "application/sparql-results+json, application/json;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"
_FORM = re.compile(r"^\s*(?:(?:#[^\n]*\n|\s+|(?:PREFIX|BASE)\s+[^<]*<[^>]*>)\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_TRAILING_LIMIT = re.compile(r"\b(LIMIT|OFFSET)\s+\d+\s*(?:(?:LIMIT|OFFSET)\s+\d+\s*)?$", re.IGNORECASE)


@dataclass
class Endpoint:
    """A SPARQL endpoint (or Graph Store) URL with the credentials and timeout to use it."""

    url: str
    user: str | None = None
    password: str | None = None
    timeout: float = TIMEOUT

    def __post_init__(self):
        try:
            parts = urllib.parse.urlsplit(self.url)
            good = parts.scheme in ("http", "https") and parts.hostname and not re.search(r"[\x00-\x20\x7f]", self.url)
        except ValueError:  # a broken [IPv6] host
            good = False
        if not good:
            raise UsageError(f"an endpoint is an http(s) URL, not {self.url!r}")
        if self.user and self.password is None:
            self.password = os.environ.get("FTZGRAPH_PASSWORD")
        if self.password is None:
            self.user, self.password = _netrc(parts.hostname, self.user) or (self.user, None)

    def open(self, request: urllib.request.Request):
        handlers = []
        if self.user is not None and self.password is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, self.url, self.user, self.password)
            handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
        opener = urllib.request.build_opener(*handlers)
        try:
            return opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            detail = server_message(exc.read(), exc.headers.get_content_type()) or exc.reason
            error = UsageError if exc.code == 400 else FtzError
            hint = " (give --user, and the password in FTZGRAPH_PASSWORD or ~/.netrc)" if exc.code == 401 else ""
            raise error(f"{request.full_url.split('?')[0]} answered HTTP {exc.code} {exc.reason}: {detail}{hint}") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (BrokenPipeError, ConnectionResetError)):
                raise FtzError(f"{self.url} closed the connection before taking the data: "
                               f"does it accept {request.get_method()} there?") from exc
            raise FtzError(f"cannot reach endpoint {self.url}: {exc.reason}") from exc
        except TimeoutError as exc:
            raise FtzError(f"{self.url} did not answer within {self.timeout:g} s (--endpoint-timeout)") from exc
        except OSError as exc:
            raise FtzError(f"cannot reach endpoint {self.url}: {exc}") from exc


def _netrc(host: str, user: str | None) -> tuple[str, str] | None:
    import netrc

    try:
        entry = netrc.netrc().authenticators(host)
    except (OSError, netrc.NetrcParseError):
        return None
    if entry and (user is None or entry[0] == user):
        return entry[0], entry[2]
    return None


def server_message(body: bytes, content_type: str, width: int = 200) -> str:
    """A server's error text on one line: an HTML page's text, without markup."""
    import html

    text = body.decode("utf-8", "replace")
    if "html" in content_type or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        body_text = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", " ", text)
        body_text = re.sub(r"<[^>]+>", " ", body_text)
        text = html.unescape(body_text if body_text.strip() else title.group(1) if title else "")
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: what the query returns decides what to accept."""
    match = _FORM.match(text)
    return match.group(1).upper() if match else "SELECT"


def with_limit(text: str, limit: int | None) -> str:
    """The query with LIMIT appended, unless it has no room for one or ends with its own."""
    if limit is None or query_form(text) not in ("SELECT", "CONSTRUCT", "DESCRIBE"):
        return text
    code = re.sub(r"#[^\n]*$", "", text.rstrip())
    if _TRAILING_LIMIT.search(code) or re.search(r"\}\s*$", code) is None:
        return text
    return f"{text}\nLIMIT {limit}"


def query(endpoint: Endpoint, text: str, limit: int | None = None):
    """Run a query on a SPARQL endpoint and return a Result."""
    import pyoxigraph as ox

    from ftzgraph.results import Result

    form = query_form(text)
    sent = with_limit(text, limit)
    request = urllib.request.Request(
        endpoint.url,
        data=urllib.parse.urlencode({"query": sent}).encode("utf-8"),
        headers={"Accept": _GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else _ROWS_ACCEPT,
                 "Content-Type": "application/x-www-form-urlencoded"},
    )
    with endpoint.open(request) as response:
        body = response.read()
        kind = response.headers.get_content_type()
    if kind in ("application/sparql-results+json", "application/json"):
        result = parse_json_results(body)
        if form == "ASK" and result.kind == "rows":  # Virtuoso 7.2: one row of ?__ASK_RETVAL 1 for true, none for false
            cells = [t for row in result.rows for t in row.values() if t is not None]
            result = Result("boolean", boolean=bool(cells) and cells[0].value.lower() in ("1", "true"))
    else:
        formats = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                   "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML}
        if kind not in formats:
            raise FtzError(f"{endpoint.url} answered with {kind}, which is not a SPARQL result format")
        try:
            result = Result("graph", triples=[q.triple for q in ox.parse(body, format=formats[kind])])
        except SyntaxError as exc:
            raise FtzError(f"{endpoint.url} answered with broken {kind}: {' '.join(str(exc).split())[:200]}") from exc
    count = len(result.rows) if result.kind == "rows" else len(result.triples)
    if count in ROW_CAPS and (limit is None or limit > count):
        print(f"Warning: {endpoint.url} returned exactly {count:,} rows: the server may have cut the answer "
              "at its row limit", file=sys.stderr)
    return result.head(limit)


def parse_json_results(body: bytes):
    """SPARQL 1.1 Query Results JSON as a Result; blank nodes keep a valid, stable id whatever
    the server calls them, and booleans may be written true or 1."""
    import pyoxigraph as ox

    from ftzgraph.results import Result

    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise FtzError(f"the endpoint answered with broken JSON: {exc}") from exc
    if "boolean" in doc:
        value = doc["boolean"]
        return Result("boolean", boolean=value is True or str(value).lower() in ("true", "1"))
    variables = doc.get("head", {}).get("vars", [])
    rows = []
    for binding in doc.get("results", {}).get("bindings", []):
        rows.append({v: _term(binding[v], ox) if v in binding else None for v in variables})
    return Result("rows", variables=variables, rows=rows)


def _term(cell: dict, ox):
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        safe = value if re.fullmatch(r"[A-Za-z0-9_]+", value) else "b" + hashlib.sha1(value.encode()).hexdigest()[:16]
        return ox.BlankNode(safe)
    if cell.get("xml:lang"):
        return ox.Literal(value, language=cell["xml:lang"])
    if cell.get("datatype"):
        return ox.Literal(value, datatype=ox.NamedNode(cell["datatype"]))
    return ox.Literal(value)


def push(store: Endpoint, ntriples: Path, graph: str | None = None, append: bool = False,
         chunk: int | None = None, progress: Callable[[int], None] | None = None) -> None:
    """Send N-Triples to a Graph Store Protocol endpoint: PUT replaces, POST appends.

    ``graph`` names the target graph (the default graph otherwise). With ``chunk`` the
    file goes in requests of that many triples, the first replacing (unless ``append``)
    and the rest appending, for graphs too big for one request; ``progress(triples)``
    is called after each.
    """
    target = "graph=" + urllib.parse.quote(graph, safe="") if graph else "default"
    url = store.url + ("&" if "?" in store.url else "?") + target
    method = "POST" if append else "PUT"
    for part in _parts(ntriples, chunk):
        request = urllib.request.Request(url, data=part, method=method,
                                         headers={"Content-Type": "application/n-triples"})
        with store.open(request) as response:
            response.read()
        method = "POST"
        if progress:
            progress(part.count(b"\n"))


def _parts(ntriples: Path, chunk: int | None):
    """The file whole, or in pieces of ``chunk`` lines (one triple per line in N-Triples)."""
    if not chunk:
        yield ntriples.read_bytes()
        return
    lines: list[bytes] = []
    with ntriples.open("rb") as handle:
        for line in handle:
            lines.append(line)
            if len(lines) >= chunk:
                yield b"".join(lines)
                lines = []
    if lines:
        yield b"".join(lines)
