"""The synthetic graph generator: deterministic, in the real graph's shape, and usable by every command."""

from pathlib import Path

import pytest

import ftzgraph
from conftest import run_cli
from ftzgraph import catalogue, gaps, integrity, paths, synth, trace, vocab

N = 200
# Parameters without a default need a value to run.
REQUIRED = {"entity-search": {"text": "海关"}}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("synth")
    return out, synth.generate(N, 1, out)


@pytest.fixture(scope="module")
def synth_dir(generated) -> Path:
    return generated[0]


@pytest.fixture(scope="module")
def store(synth_dir):
    """The synthetic data alone (no ontology) in an in-memory Oxigraph store."""
    import pyoxigraph as ox

    s = ox.Store()
    for path in sorted(synth_dir.glob("*.ttl")):
        s.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return s


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes(tmp_path, synth_dir):
    synth.generate(N, 1, tmp_path / "again")
    assert _files(tmp_path / "again") == _files(synth_dir)


def test_another_seed_gives_another_graph(tmp_path, synth_dir):
    synth.generate(N, 2, tmp_path / "other")
    assert (tmp_path / "other" / "measures-000.ttl").read_bytes() != (synth_dir / "measures-000.ttl").read_bytes()


def test_measures_are_chunked_and_a_rerun_replaces_old_chunks(tmp_path):
    counts = synth.generate(synth.MEASURES_PER_FILE + 1, 1, tmp_path)
    assert (tmp_path / "measures-001.ttl").is_file() and counts["measures"] == synth.MEASURES_PER_FILE + 1
    synth.generate(10, 1, tmp_path)
    assert not (tmp_path / "measures-001.ttl").exists()


def test_refuses_a_folder_that_is_not_synthetic(tmp_path):
    (tmp_path / "mine.ttl").write_text("")
    with pytest.raises(FileExistsError):
        synth.generate(10, 1, tmp_path)


def test_counts_match_what_was_written(generated, store):
    counts = generated[1]
    assert counts["triples"] == len(store)
    assert (counts["zones"], counts["measures"], counts["documents"]) == (23, N, N // 20)
    assert 60 <= counts["bodies"] <= 100


def _ask(store, query: str) -> bool:
    return bool(store.query(vocab.SPARQL_PROLOGUE + query))


def test_every_class_of_the_ontology_has_instances(store):
    import pyoxigraph as ox

    ontology = ox.Store()
    ontology.bulk_load(path=str(paths.ontology_dir() / "ftz.ttl"), format=ox.RdfFormat.TURTLE)
    classes = [r["c"].value for r in ontology.query(vocab.SPARQL_PROLOGUE + "SELECT ?c WHERE { ?c a owl:Class }")]
    missing = [c for c in classes if not _ask(store, f"ASK {{ ?s a <{c}> }}")
               and c not in (vocab.FTZ + "Zone", vocab.FTZ + "Measure")]  # abstract: only subclasses have instances
    assert classes and not missing


def test_zones_and_subareas(store):
    assert _ask(store, "ASK { zone:hainan-ftp a ftz:FreeTradePort }")
    rows = store.query(vocab.SPARQL_PROLOGUE + """
        SELECT ?z (COUNT(?s) AS ?n) WHERE { ?z a ftz:PilotFreeTradeZone . ?s ftz:subAreaOf ?z } GROUP BY ?z""")
    counts = [int(r["n"].value) for r in rows]
    assert len(counts) == 22 and min(counts) >= 3 and max(counts) <= 4


@pytest.mark.parametrize("predicate", vocab.CORE_PREDICATES)
def test_every_core_statement_has_evidence(store, predicate):
    assert not _ask(store, f"""ASK {{ ?s ftz:{predicate} ?o
        FILTER NOT EXISTS {{ ?e a ftz:Evidence ; rdf:subject ?s ; rdf:predicate ftz:{predicate} ; rdf:object ?o }} }}""")


def test_every_entity_has_one_zh_and_one_en_label(store):
    for lang in ("zh", "en"):
        assert not _ask(store, f"""ASK {{ ?s a ?c FILTER(?c != ftz:Evidence)
            FILTER NOT EXISTS {{ ?s skos:prefLabel ?l FILTER(LANG(?l) = "{lang}") }} }}""")
    assert not _ask(store, "ASK { ?s skos:prefLabel ?a , ?b FILTER(?a != ?b && LANG(?a) = LANG(?b)) }")


def test_quotes_stand_in_their_source_lines(synth_dir):
    graphs, problems = integrity.parse_files(sorted(synth_dir.glob("*.ttl")))
    merged = next(iter(graphs.values()))
    for graph in list(graphs.values())[1:]:
        merged += graph
    problems += integrity.check_evidence(merged, integrity.SourceLines(synth_dir / "sources"))
    assert problems == []


def test_a_few_bodies_lead_most_measures(store):
    rows = store.query(vocab.SPARQL_PROLOGUE + """
        SELECT ?b (COUNT(?m) AS ?n) WHERE { ?m ftz:leadBody ?b } GROUP BY ?b ORDER BY DESC(?n)""")
    led = [int(r["n"].value) for r in rows]
    assert sum(led[:5]) > sum(led) / 2


@pytest.fixture(scope="module")
def graph(synth_dir):
    return ftzgraph.open(data_dir=synth_dir)


@pytest.mark.parametrize("name", sorted(catalogue.catalogue()))
def test_named_query_finds_something(graph, name):
    assert graph.query(name, **REQUIRED.get(name, {})).rows


def test_trace_of_an_article(graph):
    result = trace.trace(graph, "CPTPP 5.3")
    assert result.root == vocab.PREFIXES["provision"] + "cptpp-5.3"
    assert result.edges and all(edge.evidence for edge in result.edges)


def test_gaps_of_an_agreement(graph):
    report = gaps.coverage(graph, "CPTPP")
    assert report["chapters"] == 30
    assert 0 < report["chapters_covered"] < 30  # procedural chapters are never aligned


def test_synth_command_writes_a_graph_every_command_reads(tmp_path):
    out = tmp_path / "synth"
    done = run_cli("synth", "--measures", "50", "--seed", "3", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "50 measures" in done.stderr and (out / "measures-000.ttl").is_file()
    queried = run_cli("--data", str(out), "query", "class-counts", "--format", "csv")
    assert queried.returncode == 0, queried.stderr
    counts = dict(line.split(",")[:2] for line in queried.stdout.splitlines()[1:])
    assert counts["https://w3id.org/ftzgraph/ontology#Measure"] == "50"


def test_synth_command_never_overwrites_foreign_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    done = run_cli("synth", "--measures", "5", "-o", str(tmp_path))
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "not empty" in done.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine" and not list(tmp_path.glob("*.ttl"))
