"""The synthetic graph generator: deterministic, in the real graph's shape, and usable by every command."""

import dataclasses
from pathlib import Path

import pytest

import ftzgraph
from conftest import run_cli
from ftzgraph import catalogue, integrity, paths, synth, trace, vocab
from ftzgraph.synth import measures, world, writer

N = 200
# Parameters without a default need a value to run.
REQUIRED = {"entity-search": {"text": "海关"}}
# The classes of the fixed world, whose members carry their real IRIs and names.
WORLD_CLASSES = "ftz:PilotFreeTradeZone ftz:FreeTradePort ftz:SubArea ftz:GovernmentBody ftz:Agreement ftz:Provision skos:Concept skos:ConceptScheme"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("synth")
    return out, synth.generate(N, 1, out)


@pytest.fixture(scope="module")
def synth_dir(generated) -> Path:
    return generated[0]


def _load(files):
    import pyoxigraph as ox

    s = ox.Store()
    for path in sorted(files):
        s.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return s


@pytest.fixture(scope="module")
def store(synth_dir):
    """The synthetic data alone (no ontology) in an in-memory Oxigraph store."""
    return _load(synth_dir.glob("*.ttl"))


@pytest.fixture(scope="module")
def shipped():
    """The shipped data alone, read straight from data/*.ttl rather than through world.py."""
    return _load((paths.graph_root() / "data").glob("*.ttl"))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _select(store, query: str) -> list[tuple[str, ...]]:
    """Rows of a SELECT as tuples, IRIs compacted (zone:shanghai) and literals as text."""
    import pyoxigraph as ox

    answer = store.query(vocab.SPARQL_PROLOGUE + query)
    names = [v.value for v in answer.variables]
    return [tuple(vocab.compact(row[n].value) if isinstance(row[n], ox.NamedNode) else row[n].value for n in names)
            for row in answer]


def _ask(store, query: str) -> bool:
    return bool(store.query(vocab.SPARQL_PROLOGUE + query))


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
    assert not (tmp_path / "measures-001.ttl").exists() and (tmp_path / synth.MARKER).is_file()


def test_refuses_a_folder_that_is_not_synthetic(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.ttl").write_text("")
    with pytest.raises(FileExistsError, match="not empty"):
        synth.generate(10, 1, tmp_path / "out")
    assert _files(tmp_path) == {"out/mine.ttl": b""}


def test_counts_match_what_was_written(generated, store, shipped):
    counts = generated[1]
    assert counts["triples"] == len(store)
    assert (counts["measures"], counts["documents"]) == (N, N // 20)
    for key, classes in (("zones", "ftz:PilotFreeTradeZone ftz:FreeTradePort"), ("subareas", "ftz:SubArea"), ("bodies", "ftz:GovernmentBody")):
        assert [(str(counts[key]),)] == _select(shipped, f"SELECT (COUNT(?s) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }}")


def test_about_33_triples_per_measure(tmp_path):
    """30,000 measures make about 1 M triples, as the synth command and the benchmarks expect."""
    base = synth.generate(1, 1, tmp_path / "one")["triples"]
    slope = (synth.generate(1001, 1, tmp_path / "more")["triples"] - base) / 1000
    assert 30 <= slope <= 36


def test_every_class_of_the_shipped_graph_has_instances(store, shipped):
    ontology = _load([paths.ontology_dir() / "ftz.ttl"])
    classes = [r["c"].value for r in ontology.query(vocab.SPARQL_PROLOGUE + "SELECT ?c WHERE { ?c a owl:Class }")]
    used = [c for c in classes if _ask(shipped, f"ASK {{ ?s a <{c}> }}")
            and c not in (vocab.FTZ + "Zone", vocab.FTZ + "Measure")]  # synthetic ones are all of a subclass
    assert len(used) > 10 and [c for c in used if not _ask(store, f"ASK {{ ?s a <{c}> }}")] == []


def test_zones_and_subareas_are_the_shipped_ones(store, shipped):
    """Every real zone and sub-area, each in its real zone: none invented, none missing."""
    zones = "SELECT ?z ?c WHERE { VALUES ?c { ftz:PilotFreeTradeZone ftz:FreeTradePort } ?z a ?c } ORDER BY ?z"
    subareas = "SELECT ?s ?z WHERE { ?s a ftz:SubArea ; ftz:subAreaOf ?z } ORDER BY ?s"
    assert _select(store, zones) == _select(shipped, zones) and len(_select(store, zones)) > 20
    assert _select(store, subareas) == _select(shipped, subareas)


# -- drift: the fixed world is the shipped graph's --------------------------------------------------

def _labels(store, where: str = "") -> dict[str, set[tuple[str, str, str]]]:
    """IRI -> its (property, text, language) prefLabels and altLabels."""
    found: dict[str, set] = {}
    for s, p, text, lang in _select(store, f"""SELECT ?s ?p ?text ?lang WHERE {{ {where}
            VALUES ?p {{ skos:prefLabel skos:altLabel }} ?s ?p ?l BIND(STR(?l) AS ?text) BIND(LANG(?l) AS ?lang) }}"""):
        found.setdefault(s, set()).add((p, text, lang))
    return found


def _entities(w: world.World) -> list[world.Entity]:
    """Every named thing of the world: zones, sub-areas, bodies, agreements, provisions, concepts."""
    found = [*w.zones, *w.bodies, *w.agreements, *w.schemes, w.first_document]
    found += [s for z in w.zones for s in z.subareas] + [c for cs in w.concepts.values() for c in cs]
    provisions = [p for a in w.agreements for p in a.chapters]
    while provisions:
        found.append(provisions.pop())
        provisions += found[-1].parts
    return found


def drift(entities: list[world.Entity], real: dict[str, set]) -> list[str]:
    """What the entities name differently from the shipped graph, or name that it lacks."""
    problems = []
    for entity in entities:
        mine = {("skos:prefLabel", *label) for label in entity.labels} | {("skos:altLabel", *label) for label in entity.alt_labels}
        if entity.iri not in real:
            problems.append(f"{entity.iri} is not in the shipped graph")
        elif mine != real[entity.iri]:
            problems.append(f"{entity.iri}: {sorted(mine ^ real[entity.iri])}")
    return problems


def test_every_world_entity_has_its_shipped_iri_and_names(shipped):
    entities = _entities(world.load())
    kinds = {e.iri.split(":")[0] for e in entities}
    assert {"zone", "subarea", "body", "agreement", "provision", "concept", "doc"} <= kinds and len(entities) > 300
    assert drift(entities, _labels(shipped)) == []


def test_the_drift_check_catches_a_renamed_or_invented_entity(shipped):
    zone = world.load().zones[0]
    renamed = dataclasses.replace(zone, labels=(("中国（某地）自由贸易试验区", "zh"), *zone.labels[1:]))
    invented = dataclasses.replace(zone.subareas[0], iri="subarea:shanghai-nowhere")
    assert len(drift([renamed, invented, zone], _labels(shipped))) == 2


def test_the_synthetic_graph_names_the_world_as_the_shipped_graph_does(store, shipped):
    """Zones, sub-areas, bodies, agreements, provisions (the real CPTPP articles among them) and
    concepts carry the shipped names; only the invented articles are new, and they say so."""
    real = _labels(shipped)
    written = _labels(store, f"VALUES ?c {{ {WORLD_CLASSES} }} ?s a ?c .")
    invented = {s for s, labels in written.items() if any(text.endswith("(synthetic)") for _p, text, _l in labels)}
    assert "provision:cptpp-5.1" in written.keys() - invented
    assert invented and all(s.startswith("provision:synthetic-") for s in invented) and not invented & real.keys()
    assert {s: written[s] for s in written.keys() - invented} == {s: real[s] for s in written.keys() - invented}


def test_measure_topics_name_real_policy_fields(shipped):
    fields = {s for (s,) in _select(shipped, "SELECT ?s WHERE { ?s skos:inScheme concept:fields }")}
    assert measures.TOPICS.keys() <= {f.split(":")[1] for f in fields}


# -- interruption: a folder is absent, unchanged or complete -----------------------------------------

def _interrupt_at(monkeypatch, file_name: str) -> None:
    finish = writer.Output.finish

    def interrupted(self, made):
        if made.name == file_name:
            raise KeyboardInterrupt
        finish(self, made)

    monkeypatch.setattr(writer.Output, "finish", interrupted)


def test_an_interrupted_run_leaves_nothing_behind(tmp_path, monkeypatch):
    _interrupt_at(monkeypatch, "measures-000")
    with pytest.raises(KeyboardInterrupt):
        synth.generate(N, 1, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_rerun_keeps_the_previous_graph(tmp_path, monkeypatch):
    synth.generate(N, 1, tmp_path / "out")
    before = _files(tmp_path / "out")
    _interrupt_at(monkeypatch, "measures-000")
    with pytest.raises(KeyboardInterrupt):
        synth.generate(N, 2, tmp_path / "out")
    assert _files(tmp_path / "out") == before and [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_failed_swap_puts_the_previous_graph_back(tmp_path, monkeypatch):
    synth.generate(10, 1, tmp_path / "out")
    before = _files(tmp_path / "out")

    def interrupted(source, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(writer.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        synth.generate(10, 2, tmp_path / "out")
    assert _files(tmp_path / "out") == before and [p.name for p in tmp_path.iterdir()] == ["out"]


# -- the synthetic graph works like the real one ----------------------------------------------------

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
def synthetic(synth_dir):
    return ftzgraph.open(data_dir=synth_dir)


@pytest.mark.parametrize("name", sorted(catalogue.catalogue()))
def test_named_query_finds_something(synthetic, graph, name):
    """What a named query finds in the shipped graph with its defaults, it finds in the synthetic one."""
    if not graph.query(name, **REQUIRED.get(name, {})).rows:
        pytest.skip(f"{name} finds nothing in the shipped graph either: nothing to imitate yet")
    assert synthetic.query(name, **REQUIRED.get(name, {})).rows


def test_trace_of_an_article(synthetic):
    result = trace.trace(synthetic, "CPTPP 5.3")
    assert result.root == vocab.PREFIXES["provision"] + "cptpp-5.3"
    # Only core statements (and partOf) carry evidence in a synthetic graph; a measure's scope has none.
    evidenced = {vocab.FTZ + name for name in (*vocab.CORE_PREDICATES, "partOf")}
    assert result.edges and all(edge.evidence for edge in result.edges if edge.predicate in evidenced)


def test_gaps_of_an_agreement(synthetic):
    chapters = [r for r in synthetic.gaps("CPTPP").dicts() if r["kind"] == "chapter"]
    assert len(chapters) == 30
    assert 0 < sum(1 for r in chapters if not r["gap"]) < 30  # procedural chapters are never aligned


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


def test_the_synthetic_graph_validates(synthetic):
    """Shapes, quotes and evidence: figures, events and proposals included."""
    assert synthetic.validate() == []


def test_the_first_document_lists_the_rows_of_its_shipped_namesake(synthetic, graph):
    rows = [(r["measure"], r["row"]) for r in graph.query("measures-by-document").dicts()]
    assert len(rows) > 20 and [(r["measure"], r["row"]) for r in synthetic.query("measures-by-document").dicts()] == rows


def test_every_shipped_figure_has_a_synthetic_one_for_its_indicator_area_and_period(store, shipped):
    keys = "SELECT DISTINCT ?i ?a ?p WHERE { ?o a qb:Observation ; ftz:indicator ?i ; ftz:refArea ?a ; ftz:refPeriod ?p }"
    real = set(_select(shipped, keys))
    assert len(real) > 300 and real <= set(_select(store, keys))


def test_some_events_issue_no_document_and_involve_a_zone(tmp_path):
    """As in the shipped chronicles, not every event is a document's issue (1,000 measures call for 4 events)."""
    synth.generate(1000, 1, tmp_path)
    store = _load(tmp_path.glob("*.ttl"))
    events = _select(store, "SELECT ?e WHERE { ?e a ftz:Event }")
    meetings = _select(store, """SELECT ?e WHERE { ?e a ftz:Event ; ftz:involves ?z FILTER(STRSTARTS(STR(?z), STR(zone:)))
                                   FILTER NOT EXISTS { ?e ftz:involves ?d FILTER(STRSTARTS(STR(?d), STR(doc:))) } }""")
    assert len(events) >= 4 and 0 < len(meetings) < len(events)
