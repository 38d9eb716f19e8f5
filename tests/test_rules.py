"""The rule side: the CPTPP text as a source, its provisions, alignments grounded in it, suggest."""

import hashlib
import importlib.util
import re
import sys
import xml.parsers.expat

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

import shutil

from conftest import ROOT, run_cli
from ftzgraph import integrity, vocab
from ftzgraph.errors import UsageError
from ftzgraph.suggest import suggest, write_review

FTZ = Namespace(vocab.FTZ)
XML = ROOT / "data" / "sources" / "tpp-en.xml"
SHA256 = "449dfeb3ceeb86b2fbc8694b0546fd043c5858bafd7949c5b15467a9152217f7"
FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\d+$")  # a footnote number glued to the end of a name


def _treaty():
    """Chapters and articles of the shipped XML, read with expat (independently of the generator):
    number -> (title, first line, last line, text)."""
    parser = xml.parsers.expat.ParserCreate()
    chapters, articles, stack = {}, {}, []

    def start(name, attrs):
        stack.append([name, attrs, parser.CurrentLineNumber, []])

    def data(text):
        if stack and stack[-1][0] == "article":
            stack[-1][3].append(text)

    def end(name):
        tag, attrs, line, texts = stack.pop()
        if tag == "chapter" and attrs.get("number", "").startswith("CHAPTER "):
            chapters[attrs["number"].split()[1]] = (attrs["name"], line, parser.CurrentLineNumber, "")
        if tag == "article" and attrs.get("number", "").startswith("ARTICLE "):
            articles[attrs["number"].split()[1]] = (attrs["name"], line, parser.CurrentLineNumber,
                                                   " ".join("".join(texts).split()))

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
    parser.Parse(XML.read_bytes(), True)
    return chapters, articles


@pytest.fixture(scope="module")
def treaty():
    return _treaty()


def _rows(graph, text):
    return [{k: (v.value if v is not None else None) for k, v in row.items()} for row in graph.sparql(text).rows]


@pytest.fixture(scope="module")
def provisions(graph):
    rows = _rows(graph, """
        SELECT ?p ?kind ?number ?title ?parent ?text ?start WHERE {
          ?p ftz:within agreement:cptpp ; ftz:provisionKind ?kind ; ftz:provisionNumber ?number ; ftz:partOf ?parent .
          FILTER(?kind IN ("chapter", "article"))
          OPTIONAL { ?p dcterms:title ?title }
          OPTIONAL { ?p ftz:text ?text }
          OPTIONAL { ?e rdf:subject ?p ; rdf:predicate dcterms:title ; ftz:source source:tpp ; ftz:lineStart ?start }
        }""")
    return {(r["kind"], r["number"]): r for r in rows}


def test_the_treaty_text_is_shipped_with_its_licence():
    assert hashlib.sha256(XML.read_bytes()).hexdigest() == SHA256
    catalogue = Graph().parse(ROOT / "data" / "sources.ttl")
    tpp = URIRef(vocab.PREFIXES["source"] + "tpp")
    assert str(catalogue.value(tpp, FTZ.sourceFile)) == "tpp-en.xml"
    assert str(catalogue.value(tpp, FTZ.sha256)) == SHA256
    dcterms = Namespace("http://purl.org/dc/terms/")
    assert catalogue.value(tpp, dcterms.license) == URIRef("https://creativecommons.org/licenses/by-nc/4.0/")
    assert "Alschner" in str(catalogue.value(tpp, dcterms.bibliographicCitation))
    assert "CC BY-NC" in (ROOT / "data" / "sources" / "README.md").read_text(encoding="utf-8")


def test_30_chapters_and_507_articles_as_in_the_text(treaty, provisions):
    chapters, articles = treaty
    assert len(chapters) == 30 and len(articles) == 507
    in_graph = {n for kind, n in provisions if kind == "article"}
    assert in_graph == set(articles)
    assert {n for kind, n in provisions if kind == "chapter"} == set(chapters)


def test_every_number_title_text_and_line_equals_the_shipped_text(treaty, provisions):
    chapters, articles = treaty
    for kind, source in (("chapter", chapters), ("article", articles)):
        for number, (name, first, _last, text) in source.items():
            row = provisions[(kind, number)]
            assert row["title"] == FOOTNOTE.sub("", name), (kind, number)
            assert int(row["start"]) == first, (kind, number)
            if kind == "article":
                assert row["text"] == text, number
                assert row["parent"] == vocab.PREFIXES["provision"] + "cptpp-ch" + number.split(".")[0]
            else:
                assert row["parent"] == vocab.PREFIXES["agreement"] + "cptpp"


def test_every_cptpp_provision_has_one_label_per_language(graph):
    rows = _rows(graph, """
        SELECT ?p (SUM(IF(LANG(?l) = "zh", 1, 0)) AS ?zh) (SUM(IF(LANG(?l) = "en", 1, 0)) AS ?en) WHERE {
          ?p ftz:within agreement:cptpp ; a ftz:Provision ; skos:prefLabel ?l } GROUP BY ?p""")
    assert len(rows) >= 537
    assert all(int(r["zh"]) == 1 and int(r["en"]) == 1 for r in rows), [r for r in rows if r["zh"] != 1]


def test_the_generated_file_is_current():
    spec = importlib.util.spec_from_file_location("cptpp_provisions", ROOT / "scripts" / "cptpp_provisions.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["cptpp_provisions"] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop("cptpp_provisions", None)
    text = module.render(module.parse(), module.read_titles_zh())
    assert text == (ROOT / "data" / "cptpp-text.ttl").read_text(encoding="utf-8")


def test_every_alignment_with_a_cptpp_provision_quotes_the_treaty(graph):
    rows = _rows(graph, """
        SELECT ?s ?p ?number (COUNT(DISTINCT ?rule) AS ?quotes) (COUNT(DISTINCT ?cur) AS ?curated) WHERE {
          ?s ftz:alignsWith ?p . ?p a ftz:Provision .
          { ?p ftz:within agreement:cptpp } UNION { ?p ftz:within agreement:tpp }
          OPTIONAL { ?p ftz:provisionNumber ?number }
          OPTIONAL { ?rule rdf:subject ?s ; rdf:predicate ftz:alignsWith ; rdf:object ?p ; ftz:source source:tpp }
          OPTIONAL { ?cur rdf:subject ?s ; rdf:predicate ftz:alignsWith ; rdf:object ?p ; ftz:basis "curated" }
        } GROUP BY ?s ?p ?number""")
    assert len(rows) >= 60
    for r in rows:
        if (r["number"] or "").startswith("Annex"):  # the corpus removed the annexes: curated
            assert int(r["curated"]) >= 1, r
        else:
            assert int(r["quotes"]) >= 1, r


def test_the_six_hour_express_release_points_at_paragraph_1_d(graph):
    # written as a full IRI: Oxigraph 0.5's SPARQL parser refuses local names with two dots
    para = f"<{vocab.PREFIXES['provision']}cptpp-5.7.1.d>"
    rows = _rows(graph, f"""
        SELECT ?number ?text ?quote WHERE {{
          measure:gh2024-156-03 ftz:alignsWith {para} .
          {para} ftz:provisionNumber ?number ; ftz:text ?text ; ftz:partOf provision:cptpp-5.7 .
          ?e rdf:subject measure:gh2024-156-03 ; rdf:object {para} ; ftz:source source:tpp ; ftz:quote ?quote }}""")
    assert rows and rows[0]["number"] == "5.7.1(d)"
    assert "within six hours" in rows[0]["text"] and "six hours" in rows[0]["quote"]
    # no evidence on record cites paragraph 1(f) (the de minimis exemption) for the six-hour release
    wrong = _rows(graph, """
        SELECT ?e WHERE { ?e rdf:predicate ftz:alignsWith ; rdf:object ?p ; ftz:authority ?a .
          ?p ftz:within provision:cptpp-5.7 . FILTER(CONTAINS(?a, "1(f)")) }""")
    assert wrong == []


def test_ceta_articles_8_19_and_8_20(graph):
    rows = _rows(graph, """SELECT ?p ?n WHERE { ?p ftz:partOf agreement:ceta ; ftz:provisionNumber ?n ;
                                               ftz:provisionKind "article" }""")
    assert {"8.19", "8.20"} <= {r["n"] for r in rows}


def test_the_glossary(graph):
    rows = _rows(graph, """SELECT ?t (COUNT(?zh) AS ?z) (COUNT(?en) AS ?e) WHERE { ?t skos:inScheme concept:glossary .
        OPTIONAL { ?t skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") } OPTIONAL { ?t skos:prefLabel ?en FILTER(LANG(?en) = "en") } }
        GROUP BY ?t""")
    assert 80 <= len(rows) <= 150
    assert all(int(r["z"]) == 1 and int(r["e"]) == 1 for r in rows)
    labels = {r["l"] for r in _rows(graph, "SELECT ?l WHERE { ?t skos:inScheme concept:glossary ; skos:prefLabel ?l }")}
    assert {"预裁定", "advance ruling", "源代码", "source code", "政府采购", "原产地证书", "快运货物"} <= labels


@pytest.mark.parametrize("query,article", [
    ("measure:gh2024-156-19", "provision:cptpp-5.3"),   # advance rulings, by the measure's own words
    ("measure:gh2024-156-22", "provision:cptpp-14.17"),  # source code
    ("源代码", "provision:cptpp-14.17"),
    ("数据跨境流动", "provision:cptpp-14.11"),
    ("advance ruling", "provision:cptpp-5.3"),
])
def test_suggest_ranks_the_known_article_first(graph, query, article):
    rows = suggest(graph, query, top=5)
    assert rows[0]["article"] == article, rows
    assert set(rows[0]) == {"article", "number", "title", "score", "matched"}
    assert isinstance(rows[0]["score"], float) and rows[0]["matched"]


def test_suggest_finds_the_express_article_without_its_own_alignment(graph):
    rows = suggest(graph, "measure:gh2024-156-03", top=3, exclude={"measure:gh2024-156-03"})
    assert "provision:cptpp-5.7" in [r["article"] for r in rows]
    assert [r["number"] for r in rows][0] == "5.7"


def test_suggest_refuses_nonsense(graph):
    with pytest.raises(UsageError):
        suggest(graph, "   ")
    with pytest.raises(UsageError):
        suggest(graph, "预裁定", agreement="zone:shanghai")


def test_write_review_appends_a_suggested_alignment(tmp_path, monkeypatch):
    review = tmp_path / "suggestions.ttl"
    ev = write_review(review, "measure:gh2024-156-19", "provision:cptpp-5.3", 77.6)
    assert write_review(review, "measure:gh2024-156-19", "provision:cptpp-5.3", 77.6) == ev  # once only
    write_review(review, "measure:gh2024-156-04", "provision:cptpp-5.10", 12)
    g = Graph().parse(review)
    measure = URIRef(vocab.PREFIXES["measure"] + "gh2024-156-19")
    article = URIRef(vocab.PREFIXES["provision"] + "cptpp-5.3")
    assert (measure, FTZ.alignsWith, article) in g
    evidence = [e for e in g.subjects(RDF.type, FTZ.Evidence) if g.value(e, RDF.object) == article]
    assert len(evidence) == 1 and g.value(evidence[0], FTZ.basis) == Literal("suggested")
    assert len(list(g.subjects(RDF.type, FTZ.Evidence))) == 2
    # a suggestion is not evidence: the integrity checks refuse it as it stands
    assert integrity.check_evidence(g, integrity.SourceLines(ROOT / "data" / "sources"))
    with pytest.raises(UsageError):
        write_review(ROOT / "data" / "suggestions.ttl", "measure:gh2024-156-19", "provision:cptpp-5.3", 1)
    assert not (ROOT / "data" / "suggestions.ttl").exists()


def test_suggest_on_the_command_line_ranks_and_accepts_into_a_review_file(tmp_path):
    out = run_cli("suggest", "对进口货物实施预裁定", "--top", "3", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = out.stdout.splitlines()
    assert rows[0] == "article,number,title,score,matched" and len(rows) == 4
    assert rows[1].startswith(vocab.PREFIXES["provision"] + "cptpp-5.3,5.3,Advance Rulings,")
    assert "advance ruling" in rows[1]
    review = tmp_path / "review.ttl"
    accepted = run_cli("suggest", "measure:gh2024-156-19", "--accept", "1", "--review", str(review))
    assert accepted.returncode == 0, accepted.stderr
    g = Graph().parse(review)
    assert [str(b) for b in g.objects(None, FTZ.basis)] == ["suggested"]
    # free text cannot be aligned: only a measure or document of the graph can
    refused = run_cli("suggest", "预裁定", "--accept", "1", "--review", str(review))
    assert refused.returncode != 0 and refused.stderr.count("\n") == 1 and "not a measure" in refused.stderr
    assert Graph().parse(review).serialize(format="nt") == g.serialize(format="nt")


def test_validate_refuses_a_suggestion_moved_into_data_until_it_is_curated(tmp_path, data_copy):
    review = tmp_path / "review.ttl"
    assert run_cli("suggest", "measure:gh2024-156-19", "--accept", "1", "--review", str(review)).returncode == 0
    shutil.copy(review, data_copy / "suggested.ttl")
    refused = run_cli("--data", str(data_copy), "validate")
    assert refused.returncode != 0 and 'basis "suggested" is a ranking' in refused.stdout + refused.stderr
    text = review.read_text(encoding="utf-8").replace('ftz:basis "suggested"', 'ftz:basis "curated" ; ftz:authority "a reviewer read Art. 5.3"')
    (data_copy / "suggested.ttl").write_text(text, encoding="utf-8")
    accepted = run_cli("--data", str(data_copy), "validate")
    assert 'basis "suggested"' not in accepted.stdout + accepted.stderr


def test_gaps_by_level_lists_every_cptpp_article_once():
    out = run_cli("gaps", "CPTPP", "--level", "article", "--format", "csv")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("provision,kind,number")
    assert len(lines) - 1 == 507 and all(",article," in line for line in lines[1:])
    chapters = run_cli("gaps", "CPTPP", "--level", "chapter", "--format", "csv").stdout.splitlines()
    assert len(chapters) - 1 == 30


def test_trace_shows_an_articles_first_sentence_and_all_of_it_with_full(treaty):
    _chapters, articles = treaty
    whole = " ".join(articles["5.7"][3].split())
    short = run_cli("trace", "CPTPP 5.7")
    full = run_cli("trace", "CPTPP 5.7", "--full")
    assert short.returncode == 0 and full.returncode == 0, short.stderr + full.stderr
    shown = short.stdout.splitlines()[1]
    assert shown.endswith("…”") and len(shown) < len(whole)
    assert whole.startswith(shown.strip("│ “…”").rstrip(" …"))
    assert f"“{whole}”" in full.stdout
    # the paragraph 1(d) the six-hour release aligns with has its own text, from the same treaty text
    assert "released within six hours" in full.stdout


def test_a_reports_recommendation_is_a_proposal_not_a_measure(graph):
    rows = graph.sparql("""SELECT ?p ?source WHERE { ?p a ftz:Proposal ; ftz:proposedIn ?source }""").dicts()
    assert len(rows) >= 20 and {r["source"].rsplit("/", 1)[-1] for r in rows} == {"001", "004"}
    assert not graph.sparql("ASK { ?p a ftz:Proposal , ftz:Measure }").boolean
    # gaps counts them in a column of their own, and never lets them close a gap
    ch9 = next(r for r in graph.gaps("CPTPP", level="chapter").dicts() if r["number"] == "9")
    proposals = graph.sparql("""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
        ?p a ftz:Proposal ; ftz:alignsWith ?x . ?x ftz:within provision:cptpp-ch9 }""").dicts()[0]["n"]
    assert ch9["proposals"] == proposals > 0
    uncovered = [r for r in graph.gaps("CPTPP", level="article").dicts() if r["proposals"] and not (r["measures"] or r["documents"])]
    assert uncovered and all(r["gap"] == "GAP" for r in uncovered)
