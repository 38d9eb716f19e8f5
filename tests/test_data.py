"""Integrity of the curated graph: parsing, SHACL, evidence, labels, table counts, identity."""

import hashlib
import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from conftest import ROOT
from ftzgraph import integrity, paths, validate, vocab

FTZ = Namespace(vocab.FTZ)
DATA_FILES = sorted((ROOT / "data").glob("*.ttl"))
ONTOLOGY_FILES = sorted((ROOT / "ontology").glob("*.ttl"))
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def parsed():
    graphs, problems = integrity.parse_files(DATA_FILES)
    assert problems == []
    return graphs


@pytest.fixture(scope="module")
def merged(parsed):
    g = Graph()
    for graph in parsed.values():
        g += graph
    g.parse(ROOT / "ontology" / "ftz.ttl")
    return g


@pytest.mark.parametrize("path", ONTOLOGY_FILES + DATA_FILES, ids=lambda p: p.name)
def test_turtle_parses_with_rdflib_and_pyoxigraph(path):
    assert len(Graph().parse(path, format="turtle")) > 0
    assert len(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))) > 0


def test_sources_are_the_shipped_reports():
    graph = Graph().parse(ROOT / "data" / "sources.ttl")
    files = {str(f): str(h) for s in graph.subjects(RDF.type, FTZ.Source)
             for f in graph.objects(s, FTZ.sourceFile) for h in graph.objects(s, FTZ.sha256)}
    # the five reports, plus any further shipped source (e.g. the treaty text tpp-en.xml)
    assert len([name for name in files if re.match(r"00[0-4]_[0-9a-f]{16}\.txt$", name)]) == 5
    for name, digest in files.items():
        data = (ROOT / "data" / "sources" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest
        if SEEDS.is_dir() and (SEEDS / name).exists():
            assert (SEEDS / name).read_bytes() == data


def test_shacl_valid(parsed):
    assert validate.shacl(parsed) == []


def test_every_quote_stands_in_its_cited_lines(parsed):
    sources = integrity.SourceLines(paths.sources_dir())
    context = Graph().parse(ROOT / "data" / "sources.ttl")
    problems, quotes = [], 0
    for path, graph in parsed.items():
        problems += integrity.check_evidence(graph + context, sources, path.name)
        quotes += len(list(graph.subjects(FTZ.quote, None)))
    assert problems == [] and quotes > 2000


def test_the_quote_check_catches_a_wrong_line():
    bad = Graph().parse(data=f"""
        @prefix ftz: <{vocab.FTZ}> . @prefix ev: <{vocab.PREFIXES['ev']}> .
        @prefix source: <{vocab.PREFIXES['source']}> . @prefix rdf: <{vocab.PREFIXES['rdf']}> .
        ev:x a ftz:Evidence ; rdf:subject ev:a ; rdf:predicate ftz:leadBody ; rdf:object ev:b ;
            ftz:source source:003 ; ftz:lineStart 1436 ; ftz:lineEnd 1436 ;
            ftz:quote "国函〔2024〕157号" ; ftz:basis "stated" .""", format="turtle")
    bad.parse(ROOT / "data" / "sources.ttl")
    problems = integrity.check_evidence(bad, integrity.SourceLines(paths.sources_dir()))
    assert len(problems) == 1 and "quote not found" in problems[0].message


def test_every_core_statement_has_evidence(merged):
    assert integrity.check_core_coverage(merged) == []
    core = sum(1 for p in integrity.CORE_PREDICATES for _ in merged.subject_objects(p))
    assert core > 1000


def test_every_entity_has_one_zh_and_one_en_label(merged):
    assert integrity.check_labels(merged) == []


def test_no_entity_is_defined_twice_under_two_iris(merged):
    assert integrity.check_collisions(merged) == []


def test_nothing_points_to_an_undefined_entity(merged):
    assert integrity.check_dangling(merged) == []


def _count_in_report(source: str, pattern: str) -> int:
    text = next((ROOT / "data" / "sources").glob(f"{source}_*.txt")).read_text(encoding="utf-8")
    return int(re.search(pattern, re.sub(r"\s+", "", text)).group(1))


def _measures(merged, prefix: str) -> int:
    ns = vocab.PREFIXES["measure"] + prefix
    return len({s for s in merged.subjects(RDF.type, None) if str(s).startswith(ns)})


@pytest.mark.parametrize("table,pattern", [
    (1, r"附表1 ?2019年向全国复制推广的(\d+)项投资领域"),
    (2, r"附表2 ?2019年向全国复制推广的(\d+)项贸易领域"),
    (3, r"附表3 ?2019年向全国复制推广的(\d+)项金融开放创新领域"),
    (4, r"附表4 ?2019年向全国复制推广的(\d+)项事中事后监管领域"),
    (5, r"附表5 ?2019年向全国复制推广的(\d+)项优化税收征管领域"),
    (6, r"附表6 ?2019年向全国复制推广的(\d+)项人员流动便利领域"),
])
def test_report_002_annex_2_tables_have_the_reported_row_counts(merged, table, pattern):
    assert _measures(merged, f"002-a2-{table}-") == _count_in_report("002", pattern)


def test_report_002_annex_2_total(merged):
    assert _measures(merged, "002-a2-") == _count_in_report("002", r"附件2梳理了2019年向全国复制推广的(\d+)项")


@pytest.mark.parametrize("prefix,pattern", [
    ("szm2024-14-", r"第五批(\d+)项“最佳实践案例”"),
    ("dept2024-", r"第三批(\d+)项部门推广改革试点经验"),
    ("gh2024-156-", r"将(\d+)项对接国际高标准推进制度型开放试点措施"),
])
def test_report_003_annex_1_tables_have_the_reported_row_counts(merged, prefix, pattern):
    assert _measures(merged, prefix) == _count_in_report("003", pattern)


def test_report_003_annex_1_total(merged):
    total = _measures(merged, "szm2024-14-") + _measures(merged, "dept2024-") + _measures(merged, "gh2024-156-")
    assert total == _count_in_report("003", r"国家层面复制推广的(\d+)项自贸试验区")


def test_acceptance_counts(merged):
    def count(cls):
        classes = {cls} | set(merged.transitive_subjects(Namespace(vocab.PREFIXES["rdfs"])["subClassOf"], cls))
        return len({s for c in classes for s in merged.subjects(RDF.type, c)})

    assert count(FTZ.Zone) == 23 and count(FTZ.PilotFreeTradeZone) == 22 and count(FTZ.FreeTradePort) == 1
    assert count(FTZ.SubArea) >= 70
    assert count(FTZ.GovernmentBody) >= 50
    assert count(FTZ.PolicyDocument) >= 110
    assert count(FTZ.Measure) >= 250
    assert count(FTZ.Agreement) >= 10
    assert count(FTZ.Provision) >= 70
    assert len(list(merged.subject_objects(FTZ.alignsWith))) >= 60


def test_disagreements_keep_both_claims(merged):
    disagreements = list(merged.subjects(RDF.type, FTZ.Disagreement))
    assert len(disagreements) >= 10
    for d in disagreements:
        claims = list(merged.objects(d, FTZ.claim))
        assert len(claims) >= 2 and all((c, RDF.type, FTZ.Evidence) in merged for c in claims)


def test_cptpp_rcep_depa_are_complete(merged):
    def chapters(agreement, kind):
        node = Namespace(vocab.PREFIXES["agreement"])[agreement]
        return {str(n) for p in merged.subjects(FTZ.partOf, node) for n in merged.objects(p, FTZ.provisionNumber)
                if str(merged.value(p, FTZ.provisionKind)) == kind}

    assert chapters("cptpp", "chapter") == {str(n) for n in range(1, 31)}
    assert chapters("rcep", "chapter") == {str(n) for n in range(1, 21)}
    assert chapters("depa", "module") == {str(n) for n in range(1, 17)}


SKOS = Namespace(vocab.PREFIXES["skos"])
RDFS = Namespace(vocab.PREFIXES["rdfs"])


def test_every_evidence_backs_an_asserted_statement_or_a_claim(merged):
    """An evidence whose statement is not asserted must be a claim of a recorded disagreement."""
    claims = set(merged.objects(None, FTZ.claim))
    loose = []
    for ev in merged.subjects(RDF.type, FTZ.Evidence):
        triple = (merged.value(ev, RDF.subject), merged.value(ev, RDF.predicate), merged.value(ev, RDF.object))
        if triple not in merged and ev not in claims:
            loose.append(str(ev))
    assert loose == []


def test_exact_matches_are_symmetric(merged):
    one_way = [(a, b) for a, b in merged.subject_objects(SKOS.exactMatch) if (b, SKOS.exactMatch, a) not in merged]
    assert one_way == []


def test_the_2019_best_practice_cases_are_typed_as_such(merged):
    doc = Namespace(vocab.PREFIXES["doc"])
    cases = set(merged.subjects(FTZ.listedIn, doc["shangzihan-2019-347"]))
    assert len(cases) == _count_in_report("002", r"将(\d+)个“最佳实践案例”")
    assert all((m, RDF.type, FTZ.BestPracticeCase) in merged for m in cases)
    assert not any((m, RDF.type, FTZ.ReformPilotExperience) in merged for m in cases)


def test_no_zone_date_from_the_undated_column_is_stated(merged):
    """Report 000's appendix date column (headed only 年份) never names the event: its evidence is inferred."""
    for ev in merged.subjects(FTZ.source, Namespace(vocab.PREFIXES["source"])["000"]):
        if merged.value(ev, RDF.predicate) in (FTZ.approvedOn, FTZ.inauguratedOn) and 1099 <= int(merged.value(ev, FTZ.lineStart)) <= 1510:
            assert str(merged.value(ev, FTZ.basis)) == "inferred"


def test_a_measure_without_its_specific_class_fails_the_shapes(parsed):
    """Every measure names what kind it is; the shape catches one typed only ftz:Measure."""
    name, graph = next((n, g) for n, g in parsed.items() if (None, RDF.type, FTZ.ProgrammeInnovation) in g)
    broken = Graph() + graph
    measure = next(broken.subjects(RDF.type, FTZ.ProgrammeInnovation))
    broken.remove((measure, RDF.type, FTZ.ProgrammeInnovation))
    broken.add((measure, RDF.type, FTZ.Measure))
    problems = validate.shacl({**parsed, name: broken})
    assert any("specific class" in str(p) for p in problems)


def test_the_stated_standards_are_typed_as_standards_with_their_level(merged):
    """Report 003 calls these documents 团体/行业/地方标准: each is an ftz:Standard whose type is
    evidenced by a quote naming it a standard, and a stated level appears in that quote."""
    names = {"group": "团体", "industry": "行业", "local": "地方"}
    standards = set(merged.subjects(RDF.type, FTZ.Standard))
    assert len(standards) == 8
    for s in standards:
        quotes = [str(merged.value(ev, FTZ.quote)) for ev in merged.subjects(RDF.subject, s)
                  if merged.value(ev, RDF.predicate) == RDF.type]
        assert quotes and all("标准" in q for q in quotes), s
        level = merged.value(s, FTZ.standardLevel)
        if level is not None:
            assert names[str(level).rsplit("-", 1)[-1]] in quotes[0], s
        # A measure drew the standard up; the standard does not promulgate the measure.
        assert list(merged.subjects(FTZ.producedStandard, s)) and not list(merged.subjects(FTZ.listedIn, s)), s


def test_a_row_that_names_no_body_keeps_its_responsibility_cell_and_no_lead_body(merged):
    """Rows 26-30 of 国函〔2024〕156号 give 各有关部门和各省级人民政府按职责分工负责: the cell is a
    statement with evidence, and no lead body is guessed from it."""
    rows = {int(merged.value(m, FTZ.rowNumber)): m for m, _ in merged.subject_objects(FTZ.responsibility)}
    assert sorted(rows) == [26, 27, 28, 29, 30]
    for measure in rows.values():
        assert merged.value(measure, FTZ.leadBody) is None
        cell = str(merged.value(measure, FTZ.responsibility))
        quotes = [str(merged.value(ev, FTZ.quote)) for ev in merged.subjects(RDF.subject, measure)
                  if merged.value(ev, RDF.predicate) == FTZ.responsibility]
        assert quotes == [cell]


def test_no_evidence_is_written_twice():
    """An evidence block pasted twice is invisible in RDF (the triples merge) but doubles a file's
    weight and hides edits made to one copy only: each evidence IRI opens one block in data/."""
    openings = [m.group(1) for path in DATA_FILES
                for m in re.finditer(r"^(ev:\S+) a ftz:Evidence", path.read_text(encoding="utf-8"), re.M)]
    assert sorted({e for e in openings if openings.count(e) > 1}) == []


def test_every_observation_has_evidence_for_its_value_and_its_period(merged):
    """Where a figure's period was read is a fact like the figure itself: each observation's
    ftz:value and ftz:refPeriod carry an evidence with that very object, and validate reports a
    period left without one."""
    qb = Namespace(vocab.PREFIXES["qb"])
    observations = sorted(merged.subjects(RDF.type, qb.Observation))
    assert len(observations) > 300
    evidenced = {(merged.value(ev, RDF.subject), merged.value(ev, RDF.predicate), merged.value(ev, RDF.object))
                 for ev in merged.subjects(RDF.type, FTZ.Evidence)}
    missing = [(str(o), p.n3(merged.namespace_manager)) for o in observations for p in (FTZ.value, FTZ.refPeriod)
               if (o, p, merged.value(o, p)) not in evidenced]
    assert missing == []

    observation = observations[0]
    kept = [observation] + [ev for ev in merged.subjects(RDF.subject, observation)
                            if merged.value(ev, RDF.predicate) != FTZ.refPeriod]
    without_period_evidence = Graph()
    for node in kept:
        for triple in merged.triples((node, None, None)):
            without_period_evidence.add(triple)
    problems = integrity.check_core_coverage(without_period_evidence)
    assert len(problems) == 1 and "refPeriod" in problems[0].message


def test_every_zone_and_sub_area_has_approximate_coordinates(merged):
    """The map view places every place by data/geography.ttl; each value is curated and marked approximate."""
    geo = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
    places = {s for c in (FTZ.PilotFreeTradeZone, FTZ.FreeTradePort, FTZ.SubArea) for s in merged.subjects(RDF.type, c)}
    assert len(places) == 96
    for place in places:
        for axis in (geo.lat, geo.long):
            value = merged.value(place, axis)
            assert value is not None, (place, axis)
            evidence = [ev for ev in merged.subjects(RDF.subject, place) if merged.value(ev, RDF.predicate) == axis
                        and merged.value(ev, RDF.object) == value]
            assert evidence and all(merged.value(ev, FTZ.approximate).toPython() is True
                                    and str(merged.value(ev, FTZ.basis)) == "curated" for ev in evidence), (place, axis)
