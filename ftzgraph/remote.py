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
        body = exc.read().decode("utf-8", "replace").strip().splitlines()
        detail = body[0][:300] if body else exc.reason
        error = UsageError if exc.code == 400 else FtzError
        raise error(f"{url} answered {exc.code}: {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FtzError(f"cannot reach endpoint {url}: {reason}") from exc


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
    """Send N-Triples to a Graph Store Protocol endpoint: PUT replaces, POST appends."""
    if not urllib.parse.urlparse(store_url).scheme in ("http", "https"):
        raise UsageError(f"push needs an http(s) Graph Store URL, not {store_url!r}")
    target = "graph=" + urllib.parse.quote(graph, safe="") if graph else "default"
    url = store_url + ("&" if "?" in store_url else "?") + target
    with ntriples.open("rb") as body:
        request = urllib.request.Request(
            url,
            data=body,
            method="POST" if append else "PUT",
            headers={"Content-Type": "application/n-triples", "Content-Length": str(ntriples.stat().st_size)},
        )
        with _open(request, store_url):
            pass
