"""SPARQL 1.1 Protocol and Graph Store Protocol clients, on the standard library."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ftzgraph.errors import FtzError, UsageError

TIMEOUT = 60
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


def _open(request: urllib.request.Request, url: str):
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as exc:
        detail = server_message(exc.read(), exc.headers.get_content_type()) or exc.reason
        error = UsageError if exc.code == 400 else FtzError
        raise error(f"{url} answered HTTP {exc.code} {exc.reason}: {detail}") from exc
    except (BrokenPipeError, ConnectionResetError) as exc:
        raise FtzError(f"{url} closed the connection before taking the data: does it accept {request.get_method()} there?") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FtzError(f"cannot reach endpoint {url}: {reason}") from exc


def server_message(body: bytes, content_type: str, width: int = 200) -> str:
    """A server's error text on one line: an HTML page's title or text, without markup."""
    import html
    import re

    text = body.decode("utf-8", "replace")
    if "html" in content_type or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        body = re.sub(r"(?is)<(head|script|style)\b.*?</\1>", " ", text)
        body = re.sub(r"<[^>]+>", " ", body)
        text = html.unescape(body if body.strip() else title.group(1) if title else "")
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def query(endpoint: str, text: str, limit: int | None = None):
    """Run a query on a SPARQL endpoint and return a Result."""
    import pyoxigraph as ox

    from ftzgraph.results import Result

    if not urllib.parse.urlparse(endpoint).scheme in ("http", "https"):
        raise UsageError(f"--endpoint needs an http(s) URL, not {endpoint!r}")
    data = urllib.parse.urlencode({"query": text}).encode("utf-8")
    request = urllib.request.Request(
        endpoint,
        data=data,
        headers={"Accept": _ACCEPT, "Content-Type": "application/x-www-form-urlencoded"},
    )
    with _open(request, endpoint) as response:
        body = response.read()
        ctype = response.headers.get_content_type()
    if ctype in ("application/sparql-results+json", "application/json"):
        return Result.from_oxigraph(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON), limit)
    formats = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}
    if ctype in formats:
        triples = [q.triple for q in ox.parse(body, format=formats[ctype])]
        return Result("graph", triples=triples[:limit] if limit is not None else triples)
    raise FtzError(f"{endpoint} answered with unexpected content type {ctype}")


def push(store_url: str, ntriples: Path, graph: str | None = None, append: bool = False) -> None:
    """Send N-Triples to a Graph Store Protocol endpoint: PUT replaces, POST appends.

    Sent with http.client rather than urllib, so that a server which answers and closes
    before taking the whole upload (a 401, 405 or 413) is reported by its answer.
    """
    import http.client

    parts = urllib.parse.urlsplit(store_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"push needs an http(s) Graph Store URL, not {store_url!r}")
    target = "graph=" + urllib.parse.quote(graph, safe="") if graph else "default"
    path = (parts.path or "/") + "?" + (parts.query + "&" if parts.query else "") + target
    method = "POST" if append else "PUT"
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        connection.putrequest(method, path)
        connection.putheader("Content-Type", "application/n-triples")
        connection.putheader("Content-Length", str(ntriples.stat().st_size))
        connection.endheaders()
        try:
            with ntriples.open("rb") as body:
                while chunk := body.read(1 << 20):
                    connection.send(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: its answer says why
        try:
            answer = connection.getresponse()
        except (http.client.HTTPException, OSError) as exc:
            raise FtzError(f"{store_url} closed the connection before taking the data: does it accept {method}?") from exc
        body = answer.read()
        if answer.status >= 300:
            detail = server_message(body, answer.getheader("Content-Type") or "") or answer.reason
            raise FtzError(f"{store_url} answered HTTP {answer.status} {answer.reason}: {detail}")
    except OSError as exc:
        raise FtzError(f"cannot reach {store_url}: {exc.strerror or exc}") from exc
    finally:
        connection.close()
