"""Portable queries and real servers (issue 12): every named query, in both languages, gives the
same rows on the local store, on `ftzgraph serve`, on Virtuoso Open Source loaded by
`ftzgraph push`, and on rdflib's own SPARQL engine; trace, gaps and render through
`--endpoint` on Virtuoso give what they give locally.

Rows are compared as multisets, and in order (every catalogue query has ORDER BY);
GROUP_CONCAT cells as sorted sets of their items; unbound and empty cells alike.
One server per engine for the module.  Virtuoso runs from its own folder under the test
scratch folder and is skipped, with the reason, where `virtuoso-t` is not installed
(scripts/test.sh installs it).
"""

from __future__ import annotations

import difflib
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import engines
from conftest import SCRATCH, free_port, missing_real_part, run_cli, wait_for_http
from ftzgraph import catalogue
from ftzgraph.cli import cli
from ftzgraph.remote import parse_json_results

QUERIES = catalogue.catalogue()
LANGS = ("en", "zh")
CASES = [(name, lang) for name in sorted(QUERIES) for lang in LANGS]
ENGINES = [
    pytest.param("serve", marks=pytest.mark.server),
    pytest.param("virtuoso", marks=pytest.mark.server),
    pytest.param("rdflib", marks=pytest.mark.slow),  # about 35 s for the 56 cases, entity-search 5 s each
]


# -- the engines ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def serve():
    """`ftzgraph serve` on a free port; its URL for --endpoint.  `-X pycache_prefix` puts the
    scratch folder in its command line, so conftest notices it if it were ever left behind."""
    port = free_port()
    cmd = [sys.executable, "-X", f"pycache_prefix={SCRATCH / 'pycache'}", "-m", "ftzgraph.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/query?query=ASK%7B%7D", timeout=180, proc=proc)
        yield base + "/query"
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """Virtuoso Open Source 7 with the compiled graph pushed into it by `ftzgraph push`; the
    query endpoint's URL (with default-graph-uri naming that graph) for --endpoint."""
    if engines.virtuoso_binary() is None:
        missing_real_part("virtuoso-t is not installed (Debian package virtuoso-opensource)")
    server = engines.Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.start()
        pushed = run_cli("push", server.crud_url, "--graph", server.graph)
        assert pushed.returncode == 0, pushed.stderr
        yield server.sparql_url
    finally:
        server.stop()
        server.remove()


@pytest.fixture(scope="module")
def rdflib():
    """rdflib's SPARQL engine on the compiled graph, inferred triples included."""
    import ftzgraph

    return ftzgraph.open().rdflib_graph()


# -- running a named query ----------------------------------------------------------------------------

def cli_args(name: str, lang: str) -> list[str]:
    args = ["query", name, "--lang", lang, "--format", "json"]
    for key, value in QUERIES[name].example_params().items():
        args += ["--param", f"{key}={value}"]
    return args


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, f"ftzgraph {' '.join(args)}:\n{result.output}"
    return result.stdout


def via_cli(name: str, lang: str, endpoint: str | None = None):
    """The rows `ftzgraph [--endpoint URL] query NAME --lang LANG --param …` prints, read back."""
    prefix = ["--endpoint", endpoint] if endpoint else []
    return parse_json_results(invoke(*prefix, *cli_args(name, lang)).encode("utf-8"))


@pytest.fixture(scope="module")
def local():
    """The local store's answer to each case, computed once."""
    answers = {}

    def answer(name: str, lang: str):
        if (name, lang) not in answers:
            answers[(name, lang)] = via_cli(name, lang)
        return answers[(name, lang)]

    return answer


def on_rdflib(rdf_graph, name: str, lang: str, resolver):
    """The named query bound as `ftzgraph query` binds it (names resolved on the local store), run by rdflib."""
    named = QUERIES[name]
    params = named.example_params()
    if named.param("lang"):
        params["lang"] = lang
    return engines.rdflib_result(rdf_graph, named.bind(params, resolver.resolve))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name,lang", CASES)
def test_named_query_gives_the_same_rows(engine, name, lang, local, request):
    target = request.getfixturevalue(engine)
    mine = local(name, lang)
    if engine == "rdflib":
        theirs = on_rdflib(target, name, lang, request.getfixturevalue("graph"))
    else:
        theirs = via_cli(name, lang, target)
    difference = engines.compare(mine, theirs, QUERIES[name].text)
    assert not difference, (f"{engine} answers `ftzgraph query {name} --lang {lang}` differently from the local store "
                            f"({len(mine.rows)} rows locally, {len(theirs.rows)} there):\n{difference.report()}")


def test_the_comparison_sees_a_difference():
    """The comparison is not vacuous: a changed cell, a missing row and a swapped order all count,
    while GROUP_CONCAT item order and unbound-versus-empty do not."""
    import pyoxigraph as ox

    from ftzgraph.results import Result

    text = 'SELECT ?a (GROUP_CONCAT(?x; separator=", ") AS ?b) ?c WHERE { } ORDER BY ?a'
    rows = [{"a": ox.Literal("1"), "b": ox.Literal("p, q"), "c": None}, {"a": ox.Literal("2"), "b": ox.Literal(""), "c": ox.Literal("")}]
    same = [{"a": ox.Literal("1"), "b": ox.Literal("q, p"), "c": ox.Literal("")}, {"a": ox.Literal("2"), "b": None, "c": None}]
    result = Result("rows", variables=["a", "b", "c"], rows=rows)
    assert not engines.compare(result, Result("rows", variables=["a", "b", "c"], rows=same), text)
    changed = [dict(rows[0], c=ox.Literal("x")), rows[1]]
    assert engines.compare(result, Result("rows", variables=["a", "b", "c"], rows=changed), text).extra
    assert engines.compare(result, Result("rows", variables=["a", "b", "c"], rows=rows[:1]), text).missing
    assert engines.compare(result, Result("rows", variables=["a", "b", "c"], rows=rows[::-1]), text).order
    typed = [dict(rows[0], a=ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))), rows[1]]
    assert engines.compare(result, Result("rows", variables=["a", "b", "c"], rows=typed), text)


# -- trace, gaps and render through --endpoint on Virtuoso -------------------------------------------

RESEARCH = [
    ("trace", "CPTPP 5.3"),
    ("trace", "国函〔2024〕156号"),
    ("gaps", "CPTPP"),
    ("gaps", "DEPA"),
]


@pytest.mark.server
@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("command,target", RESEARCH)
def test_trace_and_gaps_print_the_same_on_virtuoso(virtuoso, command, target, lang, fmt):
    args = [command, target, "--lang", lang] + (["--format", "json"] if fmt == "json" else [])
    mine, theirs = invoke(*args), invoke("--endpoint", virtuoso, *args)
    if fmt == "json":
        json.loads(mine)  # well-formed, and so a real comparison below
    assert len(mine) > 200
    assert theirs == mine, "\n".join(difflib.unified_diff(mine.splitlines(), theirs.splitlines(), "local", "virtuoso", n=1, lineterm=""))[:6000]


@pytest.mark.server
@pytest.mark.parametrize("pattern,expected", [("provision:cptpp-5.3 a ftz:Provision", "true"), ("provision:cptpp-5.3 a ftz:Zone", "false")])
def test_ask_answers_true_or_false_on_virtuoso(virtuoso, pattern, expected):
    """Virtuoso 7.2 answers ASK in JSON as a one-row table of ?__ASK_RETVAL; names.resolve relies on ASK."""
    assert invoke("--endpoint", virtuoso, "query", f"ASK {{ {pattern} }}").strip() == expected
    assert json.loads(invoke("--endpoint", virtuoso, "query", f"ASK {{ {pattern} }}", "--format", "json"))["boolean"] is (expected == "true")


@pytest.mark.server
def test_gaps_matrix_is_the_same_on_virtuoso(virtuoso):
    args = ["gaps", "RCEP", "--matrix", "--format", "csv"]
    mine, theirs = invoke(*args), invoke("--endpoint", virtuoso, *args)
    assert mine.count("\n") > 2 and theirs == mine


VIEWS = [
    pytest.param(["overview"], id="overview"),
    pytest.param(["zone", "zone:shanghai"], id="zone"),
    pytest.param(["body", "海关总署"], id="body"),
    pytest.param(["agreement", "agreement:cptpp"], id="agreement"),
    pytest.param(["trace", "CPTPP 5.3"], id="trace"),
]


@pytest.mark.server
@pytest.mark.parametrize("view", VIEWS)
def test_render_draws_the_same_nodes_and_edges_on_virtuoso(virtuoso, view, tmp_path):
    pages = {}
    for side, prefix in (("local", []), ("virtuoso", ["--endpoint", virtuoso])):
        out = tmp_path / f"{side}.html"
        invoke(*prefix, "render", *view, "--lang", "zh", "-o", str(out))
        pages[side] = engines.page_graph(out.read_text(encoding="utf-8"))
    (nodes, edges), (their_nodes, their_edges) = pages["local"], pages["virtuoso"]
    assert nodes and edges
    problems = engines.dict_differences(nodes, their_nodes, "nodes") + engines.dict_differences(edges, their_edges, "edges")
    assert not problems, "\n".join(problems)
