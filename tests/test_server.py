"""`ftzgraph serve` and `ftzgraph push` against real servers and real clients."""

import signal
import subprocess
import time

import pytest

from conftest import free_port, ftzgraph_cmd, run_cli, wait_for_http

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def endpoint():
    port = free_port()
    proc = subprocess.Popen(ftzgraph_cmd("serve", "--port", str(port)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/query?query=ASK%7B%7D", proc=proc)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=20)


def test_killing_serve_stops_its_server():
    """SIGKILL cannot be caught: the kernel ends the server with `ftzgraph serve` (PR_SET_PDEATHSIG)."""
    from conftest import leftover_processes

    port = free_port()
    proc = subprocess.Popen(ftzgraph_cmd("serve", "--port", str(port)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc=proc)
    assert any("serve-read-only" in cmd for _pid, cmd in leftover_processes())
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while any(f"127.0.0.1:{port}" in cmd for _pid, cmd in leftover_processes()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(f"127.0.0.1:{port}" in cmd for _pid, cmd in leftover_processes())


def test_sparqlwrapper_queries_the_endpoint(endpoint):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint[0] + "/query")
    client.setQuery("PREFIX ftz: <https://w3id.org/ftzgraph/ontology#> SELECT (COUNT(?z) AS ?n) WHERE { ?z a ftz:PilotFreeTradeZone }")
    client.setReturnFormat(JSON)
    answer = client.query().convert()
    assert answer["results"]["bindings"][0]["n"]["value"] == "22"


def test_rdflib_sparqlstore_queries_the_endpoint(endpoint):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(store=SPARQLStore(endpoint[0] + "/query"))
    rows = list(remote.query("SELECT ?l WHERE { <https://w3id.org/ftzgraph/id/zone/fujian> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"))
    assert {str(r.l) for r in rows} >= {"中国（福建）自由贸易试验区"}


def test_update_is_refused(endpoint):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException
    from urllib.error import HTTPError

    client = SPARQLWrapper(endpoint[0] + "/update")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://a/s> <http://a/p> <http://a/o> }")
    with pytest.raises((SPARQLWrapperException, HTTPError)):
        client.query()
    result = run_cli("--endpoint", endpoint[0] + "/query", "query", "ASK { <http://a/s> ?p ?o }")
    assert result.stdout.strip() == "false"


def test_named_query_runs_against_the_endpoint(endpoint):
    local = run_cli("query", "zone-subareas", "--param", "zone=zone:guangdong", "--format", "csv")
    remote = run_cli("--endpoint", endpoint[0] + "/query", "query", "zone-subareas", "--param", "zone=zone:guangdong", "--format", "csv")
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and "guangdong-nansha" in remote.stdout


def test_port_in_use_is_one_line_error(endpoint):
    port = endpoint[0].rsplit(":", 1)[1]
    result = run_cli("serve", "--port", port)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("is already in use") and "Traceback" not in result.stderr


def test_sigterm_stops_cleanly():
    port = free_port()
    proc = subprocess.Popen(ftzgraph_cmd("serve", "--port", str(port)), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc=proc)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0


def test_push_loads_the_graph_into_a_remote_store(tmp_path):
    from ftzgraph.server import oxigraph_binary

    port = free_port()
    location = str(tmp_path / "remote-store")
    server = subprocess.Popen([oxigraph_binary(), "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/query?query=ASK%7B%7D", proc=server)
        pushed = run_cli("push", base + "/store")
        assert pushed.returncode == 0, pushed.stderr
        count = run_cli("--endpoint", base + "/query", "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
        local = run_cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
        assert count.stdout == local.stdout
        # Pushing twice replaces rather than duplicates.
        assert run_cli("push", base + "/store").returncode == 0
        again = run_cli("--endpoint", base + "/query", "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv")
        assert again.stdout == local.stdout
    finally:
        server.terminate()
        server.wait(timeout=20)
