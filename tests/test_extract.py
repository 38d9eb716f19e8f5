"""`ftzgraph extract` and `ftzgraph review`: input formats, mentions, relations, table rows,
evidence that stands in the shipped text, the review loop, and bad input."""

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from conftest import ROOT
from ftzgraph.cli import cli
from ftzgraph.extract import candidates as cands
from ftzgraph.extract.gazetteer import Gazetteer, squash
from ftzgraph.extract.reading import read_document

NOTICE = """国务院关于同意在中国（上海）自由贸易试验区临港新片区开展跨境数据流动试点的批复

2025年3月10日，国务院印发《关于在中国（上海）自由贸易试验区临港新片区开展跨境数据流动试点的通知》（国函〔2025〕31号）。
商务部、海关总署、国家数据局联合印发《自由贸易试验区跨境数据流动负面清单管理办法》，在临港新片区率先开展数据出境负面清单管理。

序号	改革事项	负责单位	推广范围
1	数据出境负面清单管理	国家网信办、国家数据局	自贸试验区
2	国际航行船舶保税加油许可权下放	商务部	全国
"""


@pytest.fixture(scope="module")
def gazetteer(graph):
    return Gazetteer.from_graph(graph)


@pytest.fixture
def runner():
    return CliRunner()


def extract(runner, path, *args):
    return runner.invoke(cli, ["extract", str(path), *args])


def statements(candidates_file):
    parsed = cands.read(candidates_file)
    return parsed, {(c.subject.rsplit("/", 1)[-1], c.kind, c.object.rsplit("/", 1)[-1]) for c in parsed.statements}


# -- reading ------------------------------------------------------------------------

def test_gb18030_text_reads_like_utf8(tmp_path):
    utf8, gbk = tmp_path / "a.txt", tmp_path / "b.txt"
    utf8.write_text(NOTICE, encoding="utf-8")
    gbk.write_bytes(NOTICE.encode("gb18030"))
    assert read_document(gbk).text == read_document(utf8).text


def test_html_keeps_blocks_as_lines_and_cells_as_tabs(tmp_path):
    page = tmp_path / "n.html"
    page.write_text("<html><head><meta charset='utf-8'><style>p{}</style></head><body><p>国务院印发《通知》</p>"
                    "<table><tr><td>1</td><td>事项</td><td>商务部</td></tr></table><script>var x</script></body></html>",
                    encoding="utf-8")
    lines = [line for line in read_document(page).lines if line]
    assert lines == ["国务院印发《通知》", "1\t事项\t商务部"]


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("国务院印发《关于开展试点的通知》（国函〔2025〕31号）。")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ["序号", "改革事项", "负责单位", "1", "数据出境管理", "商务部"]):
        cell.text = text
    path = tmp_path / "n.docx"
    document.save(path)
    text = read_document(path).text
    assert "国函〔2025〕31号" in text and "1\t数据出境管理\t商务部" in text


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a Helvetica text layer, cross-reference table included."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_layer_is_read(tmp_path):
    path = tmp_path / "n.pdf"
    path.write_bytes(minimal_pdf("Pilot measures aligned with CPTPP and RCEP"))
    assert "aligned with CPTPP and RCEP" in read_document(path).text


def test_radicals_that_pdf_fonts_print_read_as_ideographs(tmp_path):
    path = tmp_path / "pdf-text.txt"
    path.write_text("⾃由贸易试验区\t中国⼈⺠银⾏\t2025 年 4 ⽉\n", encoding="utf-8")
    assert read_document(path).lines[0] == "自由贸易试验区\t中国人民银行\t2025 年 4 月"


def test_utf16_text_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes(NOTICE.encode("utf-16"))
    assert read_document(path).text == NOTICE


def test_docx_tables_stay_where_they_are_and_merged_cells_count_once(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("附件1")
    first = document.add_table(rows=3, cols=4)
    for cell, text in zip(first.rows[0].cells, ["序号", "改革事项", "负责单位", "配合单位"]):
        cell.text = text
    for cell, text in zip(first.rows[1].cells, ["1", "数据出境管理", "商务部", "商务部"]):
        cell.text = text
    first.cell(2, 0).text = "2"
    first.cell(2, 1).merge(first.cell(2, 2)).text = "船舶加油"
    first.cell(1, 3).merge(first.cell(2, 3))  # one cell down two rows: it applies to both
    document.add_paragraph("附件2")
    path = tmp_path / "n.docx"
    document.save(path)
    lines = read_document(path).lines
    assert lines.index("附件1") < lines.index("1\t数据出境管理\t商务部\t商务部") < lines.index("附件2")
    assert "2\t船舶加油\t商务部" in lines  # two cells of one text are two columns; a merged cell is one


# -- bad input: one line, non-zero exit, nothing written ----------------------------

def blank_pdf(path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with path.open("wb") as handle:
        writer.write(handle)


@pytest.mark.parametrize("name,make,message", [
    ("binary.txt", lambda p: p.write_bytes(b"\x7fELF\x00\x00\x01" * 100), "binary"),
    ("latin.txt", lambda p: p.write_bytes(bytes(range(0x80, 0x100)) * 40), "cannot decode"),
    ("empty.txt", lambda p: p.write_bytes(b" \n\n"), "empty"),
    ("scan.pdf", blank_pdf, "OCR"),
    ("broken.pdf", lambda p: p.write_bytes(b"%PDF-1.4\nnot really a pdf"), "PDF"),
    ("huge.txt", lambda p: p.open("wb").truncate(60_000_000), "too large"),
    ("japanese.txt", lambda p: p.write_bytes("東京都の自由貿易試験区について、国務院が発表した通知。".encode("shift_jis") * 4),
     "cannot decode"),
])
def test_bad_input_gets_one_line_and_writes_nothing(runner, tmp_path, name, make, message):
    source = tmp_path / name
    make(source)
    out = tmp_path / "out"
    out.mkdir()
    result = extract(runner, source, "-o", str(out / "c.ttl"))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ") and message in result.output
    assert list(out.iterdir()) == []


def test_output_never_replaces_a_file_that_is_not_candidates(runner, tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    result = extract(runner, notice, "-o", str(notice))
    assert result.exit_code == 2 and "not a candidates file" in result.output
    assert notice.read_text(encoding="utf-8") == NOTICE and [p.name for p in tmp_path.iterdir()] == ["notice.txt"]
    out = tmp_path / "c.ttl"
    assert extract(runner, notice, "-o", str(out)).exit_code == 0
    assert extract(runner, notice, "-o", str(out)).exit_code == 0  # an earlier candidates file is replaced


def test_a_source_id_the_graph_has_is_refused(runner, tmp_path):
    for name in ("000.txt", "zones.txt"):  # a shipped source; a shipped data file review would replace
        path = tmp_path / name
        path.write_text(NOTICE, encoding="utf-8")
        result = extract(runner, path)
        assert result.exit_code == 2 and "--source-id" in result.output
    assert extract(runner, tmp_path / "zones.txt", "--source-id", "zones-2025").exit_code == 0


def test_extract_needs_a_file_or_evaluate(runner):
    assert runner.invoke(cli, ["extract"]).exit_code == 2
    assert runner.invoke(cli, ["extract", "--evaluate", "-o", "x.ttl"]).exit_code == 2


def test_the_source_is_named_by_its_first_real_line_or_by_title(runner, tmp_path):
    section = tmp_path / "section.txt"
    section.write_text("· 2024年3月22日\n\n商务部发布《跨境服务贸易特别管理措施（负面清单）》。全国版共71条。\n", encoding="utf-8")

    def labels(*args):
        out = tmp_path / f"c{len(list(tmp_path.iterdir()))}.ttl"
        result = extract(runner, section, "-o", str(out), "--source-id", out.stem, *args)
        assert result.exit_code == 0, result.output
        source = cands.read(out).source
        return source.label, source.label_en

    assert labels() == ("商务部发布《跨境服务贸易特别管理措施（负面清单）》。", "Text of section.txt")
    assert labels("--title", "2024年大事记（节选）") == ("2024年大事记（节选）", "Text of section.txt")
    assert labels("--title", "2024 chronicle, excerpt")[1] == "2024 chronicle, excerpt"
    result = extract(runner, section, "--title", "  ")
    assert result.exit_code == 2 and "--title is empty" in result.output
    result = extract(runner, section, "--title", "通知\x01")
    assert result.exit_code == 2 and "control character" in result.output and "Traceback" not in result.output


# -- what it finds ------------------------------------------------------------------

@pytest.fixture
def notice_candidates(runner, tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "work"
    out.mkdir()
    result = extract(runner, notice, "-o", str(out / "notice.candidates.ttl"))
    assert result.exit_code == 0, result.output
    return out / "notice.candidates.ttl"


def test_relations_and_rows_of_a_notice(notice_candidates):
    parsed, found = statements(notice_candidates)
    assert ("guohan-2025-31", "issuedBy", "state-council") in found
    assert ("guohan-2025-31", "issuedOn", "2025-03-10") in found
    assert ("guohan-2025-31", "appliesTo", "shanghai-lingang") in found
    new_doc = next(e for e in parsed.new.values() if e.label == "自由贸易试验区跨境数据流动负面清单管理办法")
    issuers = {o for s, k, o in found if k == "issuedBy" and s == new_doc.iri.rsplit("/", 1)[-1]}
    assert issuers == {"mofcom", "gacc", "nda"}  # 国家数据局 is in the graph as body:nda
    assert parsed.new[cands.vocab.PREFIXES["doc"] + "guohan-2025-31"].number == "国函〔2025〕31号"
    rows = {(s, k, o) for s, k, o in found if k in ("leadBody", "scope", "row")}
    # Row 1 names the measure the sentence before says was piloted first: one thing, one IRI.
    assert {("notice-pilot-001", "leadBody", "cac"), ("notice-pilot-001", "leadBody", "nda"),
            ("notice-pilot-001", "scope", "scope-ftz"), ("notice-pilot-001", "row", "1"),
            ("notice-t1-02", "leadBody", "mofcom"), ("notice-t1-02", "scope", "scope-national")} <= rows
    piloted = [c for c in parsed.statements if c.kind == "pilotedIn"]
    assert [(parsed.new[c.subject].label, c.object.rsplit("/", 1)[-1]) for c in piloted] == [
        ("数据出境负面清单管理", "shanghai-lingang")]


def test_every_quote_stands_in_its_lines_of_the_shipped_text(notice_candidates):
    parsed = cands.read(notice_candidates)
    lines = (notice_candidates.parent / parsed.source.file).read_text(encoding="utf-8").split("\n")
    assert parsed.statements
    for candidate in parsed.statements:
        for e in candidate.evidence:
            assert squash(e.quote) in squash("\n".join(lines[e.line_start - 1:e.line_end])), (candidate.key, e)
    assert "ftz:basis \"extracted\"" in notice_candidates.read_text(encoding="utf-8")


def test_without_output_it_lists_and_writes_nothing(runner, tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    result = extract(runner, notice)
    assert result.exit_code == 0 and "issuedBy  doc:guohan-2025-31* → body:state-council" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notice.txt"]


def test_known_names_aliases_and_new_bodies(graph, gazetteer):
    from ftzgraph.extract import extract_text, source_info
    from pathlib import Path

    text = "上海自贸区、海南自由贸易港和国务院办公厅。国家低空经济发展局印发《低空经济试点工作方案》。浙江省人民政府会同商务部发布《关于支持舟山的若干措施》。\n"
    extraction = extract_text(text, gazetteer, source_info(Path("t.txt"), text))
    known = {(m.kind, m.iri.rsplit("/", 1)[-1]) for m in extraction.mentions if m.known}
    assert {("zone", "shanghai"), ("zone", "hainan-ftp"), ("body", "gosc"), ("body", "mofcom")} <= known
    new_bodies = {m.text for m in extraction.mentions if m.kind == "body" and not m.known}
    assert "国家低空经济发展局" in new_bodies
    issued = {(c.subject in extraction.candidates.new, c.object.rsplit("/", 1)[-1])
              for c in extraction.candidates.statements if c.kind == "issuedBy"}
    assert (True, "zhejiang-government") in issued and (True, "mofcom") in issued
    assert any(o.startswith("guojiadikong") for _, o in issued)


def test_spaced_annex_rows_of_report_002(graph, gazetteer):
    """002's annex lost its columns: rows continue on the next lines, "-" means no lead body."""
    from ftzgraph.extract import extract_text, source_info
    from pathlib import Path

    lines = (ROOT / "data/sources/002_285a57fcb6e4355e.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[3956:4046])  # 附表1 and 附表2 (lines 3957-4046)
    rows = extract_text(text, gazetteer, source_info(Path("a.txt"), text)).rows
    by_number = {}
    for row in rows:
        by_number.setdefault(row.number, []).append(row)
    four = by_number[4][0]
    assert four.item.startswith("电信业务对外资开放政策") and four.item.endswith("三项业务）")
    assert [m.iri.rsplit("/", 1)[-1] for m in four.leads] == ["miit"] and four.scope == "全国"
    assert by_number[6][0].leads == [] and by_number[6][0].scope == "全国"  # "6 药品上市许可持有人制度试点 - 全国"
    two = [r for r in by_number[2] if r.item.startswith("国际航行船舶")][0]
    assert [m.text for m in two.leads] == ["交通运输部", "海关总署", "移民局"]


def test_two_rows_merged_on_one_line_are_split(graph, gazetteer):
    from ftzgraph.extract import extract_text, source_info
    from pathlib import Path

    text = ("序号\t试点措施\t责任分工\t推广范围\n"
            "15\t支持企业自愿遵循环境领域原则。\t生态环境部负责\t全部自由贸易试验区\t23\t转移可自由汇入汇出。\t中国人民银行、国家外汇局按职责分工负责\t全国\n")
    rows = extract_text(text, gazetteer, source_info(Path("t.txt"), text)).rows
    assert [(r.number, [m.iri.rsplit("/", 1)[-1] for m in r.leads], r.scope) for r in rows] == [
        (15, ["mee"], "全部自由贸易试验区"), (23, ["pboc", "safe"], "全国")]


# -- review -------------------------------------------------------------------------

def test_review_accepts_rejects_remembers_and_validates(runner, notice_candidates, tmp_path, data_copy):
    answers = "\n".join(["a", "Notice on cross-border data flow pilots in Lin-gang (Guohan [2025] No. 31)",  # issuedBy
                         "r",  # issuedOn
                         "s",  # appliesTo
                         "q"]) + "\n"
    result = runner.invoke(cli, ["review", str(notice_candidates), "--into", str(data_copy), "--reviewer", "tester"],
                           input=answers)
    assert result.exit_code == 0, result.output
    assert "lines 3-3" in result.output and "> " in result.output and "quote: “国务院印发" in result.output
    assert "1 accepted, 1 rejected" in result.output
    parsed = cands.read(notice_candidates)
    written = data_copy / "notice.ttl"
    text = written.read_text(encoding="utf-8")
    assert "doc:guohan-2025-31 ftz:issuedBy body:state-council ." in text
    assert 'ftz:basis "stated"' in text and 'prov:wasAttributedTo "tester"' in text and "dateAccepted" in text
    assert 'ftz:labelBasis "translated"@en' in text  # the reviewer's English title is marked as our translation
    assert "issuedOn" not in text and "appliesTo" not in text
    assert (data_copy / "sources" / parsed.source.file).is_file()
    decisions = json.loads((notice_candidates.parent / "notice.candidates.ttl.decisions.json").read_text(encoding="utf-8"))
    assert sorted(d["decision"] for d in decisions["statements"].values()) == ["accepted", "rejected"]

    again = runner.invoke(cli, ["review", str(notice_candidates), "--into", str(data_copy)], input="q\n")
    assert "[2/" not in again.output and "[1/" not in again.output  # decided ones are not asked again
    assert "[3/" in again.output  # the skipped one is

    valid = runner.invoke(cli, ["--data", str(data_copy), "validate", "--no-shacl"])
    assert valid.exit_code == 0, valid.output


def test_accept_all_matched_takes_only_statements_of_known_entities(runner, tmp_path, data_copy):
    notice = tmp_path / "known.txt"
    notice.write_text("商务部、海关总署联合印发《海关总署关于实施海关预裁定展期等有关事项的公告》。\n"
                      "国务院印发《关于在新片区开展试点的通知》（国函〔2025〕7号）。\n", encoding="utf-8")
    candidates_file = tmp_path / "known.candidates.ttl"
    assert extract(runner, notice, "-o", str(candidates_file)).exit_code == 0
    parsed = cands.read(candidates_file)
    matched = [c for c in parsed.statements if parsed.matched(c)]
    assert matched and len(matched) < len(parsed.statements)
    result = runner.invoke(cli, ["review", str(candidates_file), "--into", str(data_copy), "--accept-all-matched"])
    assert result.exit_code == 0 and f"{len(matched)} accepted, 0 rejected" in result.output
    text = (data_copy / "known.ttl").read_text(encoding="utf-8")
    assert "guohan-2025-7" not in text and "doc:haiguanzongshugonggao-2024-32 ftz:issuedBy body:mofcom ." in text


def test_edit_renames_a_proposed_entity(runner, notice_candidates, data_copy):
    answers = "\n".join(["e", "doc:guohan-2025-31-notice", "", "", "Notice (Guohan [2025] No. 31)", "q"]) + "\n"
    result = runner.invoke(cli, ["review", str(notice_candidates), "--into", str(data_copy)], input=answers)
    assert result.exit_code == 0, result.output
    text = (data_copy / "notice.ttl").read_text(encoding="utf-8")
    assert "doc:guohan-2025-31-notice a ftz:PolicyDocument" in text and "Edited by the reviewer" in text
    assert "doc:guohan-2025-31 " not in text


def test_a_wrong_answer_while_editing_is_asked_again(runner, notice_candidates, data_copy):
    answers = "\n".join(["e", "not an iri", "body:guohan-2025-31", "doc:Bad Name", "doc:guohan-2025-31-notice", "", "",
                          "Notice No. 31",  # issuedBy, the document renamed
                          "e", "", "2025-13-45", "2025-03-11",  # issuedOn: a wrong date, then a right one
                          "q"]) + "\n"
    result = runner.invoke(cli, ["review", str(notice_candidates), "--into", str(data_copy)], input=answers)
    assert result.exit_code == 0, result.output
    assert result.output.count("try again") == 4 and "'2025-13-45' is not a valid xsd:date" in result.output
    text = (data_copy / "notice.ttl").read_text(encoding="utf-8")
    # The rename reaches the next statement about the document: no statement names the old IRI.
    assert "[2/" in result.output and "issuedOn: doc:guohan-2025-31-notice (new:" in result.output
    assert 'doc:guohan-2025-31-notice ftz:issuedOn "2025-03-11"^^xsd:date .' in text
    assert "doc:guohan-2025-31 " not in text


def test_review_never_replaces_a_data_file_of_the_graph(runner, tmp_path, data_copy):
    notice = tmp_path / "notice.txt"
    notice.write_text("商务部、海关总署联合印发《海关总署关于实施海关预裁定展期等有关事项的公告》。\n", encoding="utf-8")
    candidates_file = tmp_path / "c.ttl"
    assert extract(runner, notice, "-o", str(candidates_file), "--source-id", "mine").exit_code == 0
    shutil.copy(data_copy / "zones.ttl", data_copy / "mine.ttl")  # a data file of the same name, not review's
    result = runner.invoke(cli, ["review", str(candidates_file), "--into", str(data_copy), "--accept-all-matched"])
    assert result.exit_code == 1 and "is left alone" in result.output
    assert (data_copy / "mine.ttl").read_bytes() == (data_copy / "zones.ttl").read_bytes()
    assert not (tmp_path / "c.ttl.decisions.json").exists()  # refused before any decision


class AcceptEverything:
    """A reviewer who accepts every candidate and gives each new entity its own English label."""

    def __init__(self):
        self.labels = 0

    def show(self, text):
        pass

    def choose(self, question, choices):
        return "a"

    def ask(self, question, default=None):
        self.labels += 1
        return f"English label {self.labels}"


@pytest.mark.slow
def test_an_accepted_file_passes_the_full_validate(graph, runner, notice_candidates, data_copy):
    outcome = graph.review(notice_candidates, into=data_copy, reviewer="tester", terminal=AcceptEverything())
    assert outcome.open == 0 and outcome.accepted == len(cands.read(notice_candidates).statements)
    valid = runner.invoke(cli, ["--data", str(data_copy), "validate"])
    assert valid.exit_code == 0, valid.output


def test_review_refuses_a_file_that_is_not_candidates(runner, tmp_path):
    bogus = tmp_path / "x.ttl"
    bogus.write_text("this is not turtle", encoding="utf-8")
    result = runner.invoke(cli, ["review", str(bogus)])
    assert result.exit_code == 1 and result.output.startswith("Error: cannot read")


def test_review_needs_the_source_text_beside_the_candidates(runner, notice_candidates, tmp_path):
    moved = tmp_path / "elsewhere.ttl"
    shutil.copy(notice_candidates, moved)
    result = runner.invoke(cli, ["review", str(moved), "--into", str(tmp_path / "g")])
    assert result.exit_code == 1 and "is not beside" in result.output


# -- figures: proposed observations ------------------------------------------------

FIGURES = "临港新片区发展情况\n\n2024年，临港新片区实现进出口总额1234.5亿元。\n全年新设企业超过300家。\n"


@pytest.fixture
def figure_candidates(runner, tmp_path):
    text = tmp_path / "lingang-figures.txt"
    text.write_text(FIGURES, encoding="utf-8")
    out = tmp_path / "work"
    out.mkdir()
    result = extract(runner, text, "-o", str(out / "figures.candidates.ttl"))
    assert result.exit_code == 0, result.output
    return out / "figures.candidates.ttl"


def review_figures(runner, candidates_file, data_dir, *answers, options=()):
    return runner.invoke(cli, ["review", str(candidates_file), "--into", str(data_dir), "--reviewer", "tester", *options],
                         input="\n".join(answers) + "\n")


def test_every_unit_a_figure_maps_to_is_a_unit_concept_of_the_graph(graph):
    from ftzgraph.extract.figures import UNITS

    units = {row["u"].value for row in graph.sparql("SELECT ?u WHERE { ?u a skos:Concept ; skos:inScheme concept:units }").rows}
    assert {cands.vocab.PREFIXES["concept"] + name for name in UNITS.values()} <= units


def test_a_figure_with_unit_period_and_area_is_a_proposed_observation(figure_candidates):
    parsed = cands.read(figure_candidates)
    observations = [e.iri for e in parsed.new.values() if e.cls == cands.OBSERVATION]
    assert observations == [cands.vocab.PREFIXES["obs"] + "lingang-figures-shanghai-lingang-2024"]
    parts = {c.predicate.rsplit("#", 1)[-1]: c for c in parsed.statements if c.subject == observations[0]}
    assert {p: (c.object.rsplit("/", 1)[-1], (c.datatype or "").rsplit("#", 1)[-1]) for p, c in parts.items()} == {
        "value": ("1234.5", "decimal"), "unit": ("unit-yi-yuan", ""), "refPeriod": ("2024", "gYear"),
        "refArea": ("shanghai-lingang", "")}
    line = FIGURES.split("\n")[2]
    for candidate in parts.values():
        [evidence] = candidate.evidence
        assert (evidence.line_start, evidence.line_end) == (3, 3) and evidence.quote in line and "1234.5亿元" in evidence.quote
    text = figure_candidates.read_text(encoding="utf-8")
    assert text.count('ftz:basis "extracted"') == 4
    assert "#   4  300 家  -  -" in text  # no period and no area: left to draft by hand, as a comment


@pytest.mark.slow
def test_review_writes_an_observation_with_the_indicator_it_asks_for(runner, figure_candidates, data_copy):
    result = review_figures(runner, figure_candidates, data_copy, "a",  # value
                            "concept:indicator-nope", "concept:unit-yi-yuan",  # no concept; a unit, not an indicator
                            "concept:indicator-import-export", "a", "a", "a")
    assert result.exit_code == 0, result.output
    assert result.output.count("try again") == 2 and "is not an indicator of the graph" in result.output
    assert result.output.count("Indicator of obs:") == 3 and "4 accepted, 0 rejected, 0 open" in result.output
    text = (data_copy / "lingang-figures.ttl").read_text(encoding="utf-8")
    assert "qb:dataSet ftz:statistics" in text and "ftz:indicator concept:indicator-import-export" in text
    assert '"2024年临港新片区进出口总额"@zh' in text
    valid = runner.invoke(cli, ["--data", str(data_copy), "validate"])
    assert valid.exit_code == 0, valid.output
    found = runner.invoke(cli, ["--data", str(data_copy), "query", "--format", "json",
                                "SELECT ?o ?v WHERE { ?o a qb:Observation ; qb:dataSet ftz:statistics ; "
                                "ftz:indicator concept:indicator-import-export ; ftz:refArea subarea:shanghai-lingang ; "
                                "ftz:refPeriod \"2024\"^^xsd:gYear ; ftz:unit concept:unit-yi-yuan ; ftz:value ?v }"])
    assert found.exit_code == 0, found.output
    rows = json.loads(found.output)["results"]["bindings"]
    assert any(r["o"]["value"].endswith("lingang-figures-shanghai-lingang-2024") and float(r["v"]["value"]) == 1234.5
               for r in rows), rows


def test_an_incomplete_observation_waits_in_the_decisions_and_is_not_written(runner, figure_candidates, data_copy):
    first = review_figures(runner, figure_candidates, data_copy, "a", "concept:indicator-import-export", "a", "q")
    assert first.exit_code == 0, first.output
    assert "2 accepted, 0 rejected, 2 open; 1 incomplete observation" in first.output
    assert "figures.candidates.ttl.decisions.json" in first.output
    assert not (data_copy / "lingang-figures.ttl").exists()
    decisions = json.loads((figure_candidates.parent / "figures.candidates.ttl.decisions.json").read_text(encoding="utf-8"))
    assert [e["indicator"] for e in decisions["entities"].values()] == [cands.vocab.PREFIXES["concept"] + "indicator-import-export"]

    second = review_figures(runner, figure_candidates, data_copy, "a", "a")  # period and area: now it is whole
    assert second.exit_code == 0 and "Indicator of" not in second.output and "incomplete observation" not in second.output
    text = (data_copy / "lingang-figures.ttl").read_text(encoding="utf-8")
    assert "ftz:indicator concept:indicator-import-export" in text and "ftz:refArea subarea:shanghai-lingang ." in text


def test_accept_all_matched_leaves_observations_to_a_person(runner, figure_candidates, data_copy):
    result = review_figures(runner, figure_candidates, data_copy, options=["--accept-all-matched"])
    assert result.exit_code == 0 and "0 accepted, 0 rejected, 4 open" in result.output
    assert not (data_copy / "lingang-figures.ttl").exists()


# -- evaluation ---------------------------------------------------------------------

def test_leave_one_out_treats_what_a_report_introduced_as_new(graph, gazetteer):
    only_003 = gazetteer.introduced_only_by("003")
    assert only_003 and all(gazetteer.entities[i].sources == {"003"} for i in only_003)
    assert gazetteer.without(only_003).lookup("国函〔2024〕156号") is None
    assert gazetteer.lookup("国函〔2024〕156号").iri.endswith("doc/guohan-2024-156")


def test_evaluation_counts_are_consistent(graph):
    from ftzgraph.extract.evaluate import evaluate

    result = evaluate(graph, reports=("004", "001"))
    for kind, score in result.scores.items():
        assert 0 <= score.matched <= min(score.gold, score.predicted), kind
    assert result.scores["zone"].gold > 0
    table = result.markdown()
    assert re.search(r"\| zone mentions \| \d+ \| \d+ \| \d+ \|", table)


def test_rows_of_a_known_document_reuse_the_graphs_measures(graph, gazetteer):
    """003's 附表3 prints the long text of each measure of 国函〔2024〕156号; the graph has short
    labels, so the row is found by its document and number, and its statements are all matched."""
    from ftzgraph.extract import extract_text, source_info
    from pathlib import Path

    lines = (ROOT / "data/sources/003_5f6d5d24db92b737.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[1434:1440])  # header, the document's line, rows 1-4
    extraction = extract_text(text, gazetteer, source_info(Path("s.txt"), text))
    rows = {c.object: c.subject.rsplit("/", 1)[-1] for c in extraction.candidates.statements if c.kind == "row"}
    assert rows == {"1": "gh2024-156-01", "2": "gh2024-156-02", "3": "gh2024-156-03", "4": "gh2024-156-04"}
    assert all(extraction.candidates.matched(c) for c in extraction.candidates.statements)
    held_out = gazetteer.without(gazetteer.introduced_only_by("003"))
    fresh = extract_text(text, held_out, source_info(Path("s.txt"), text))
    assert not any(c.subject.endswith("gh2024-156-01") for c in fresh.candidates.statements)


# -- mention and relation patterns (from sentences of the five reports) -------------

def mentions_of(text, gazetteer, kind):
    from ftzgraph.extract import extract_text, source_info
    from pathlib import Path

    extraction = extract_text(text, gazetteer, source_info(Path("t.txt"), text))
    return extraction, [m for m in extraction.mentions if m.kind == kind]


def issued_pairs(extraction):
    def name(iri):
        entity = extraction.candidates.new.get(iri)
        return entity.label if entity else iri.rsplit("/", 1)[-1]

    return {(name(c.subject), name(c.object)) for c in extraction.candidates.statements if c.kind == "issuedBy"}


def test_new_agreements_by_their_printed_form(gazetteer):
    held_out = gazetteer.without({gazetteer.lookup(name, "agreement").iri for name in ("中欧投资协定", "TIR公约", "关贸总协定")})
    text = ("例如，WTO《政府采购协定》（GPA）、CPTPP、《中欧投资协定》（CAI）等。国际经贸规则是通过关贸总协定(GATT)建立的。"
            "在遵循《TIR 公约》的原则下，制定团体标准。签署《合作共建西部陆海新通道框架协议》。\n")
    _, found = mentions_of(text, held_out, "agreement")
    new = {m.text: m.iri.rsplit("/", 1)[-1] for m in found if not m.known}
    assert new == {"中欧投资协定": "cai", "关贸总协定": "gatt", "TIR公约": "tir"}
    assert {m.iri.rsplit("/", 1)[-1] for m in found if m.known} >= {"wto-gpa", "cptpp"}


def test_dashes_fold_so_a_name_printed_with_a_hyphen_is_known(gazetteer):
    _, found = mentions_of("写入《中国-东盟自由贸易协定》。\n", gazetteer, "agreement")
    assert [m.iri.rsplit("/", 1)[-1] for m in found] == ["acfta"]  # the graph spells it 中国—东盟


def test_provisions_later_in_the_clause_of_an_agreement(gazetteer):
    text = ("TPP 知识产权章节版权部分 18.68 条规定了“技术保护措施 (TPM)”、18.69 条规定了“权利管理信息 (RMI)”。"
            "CPTPP第5.3条。CETA 第 6 节投资者国家争端解决第 10 条第 17 款则确认协商。另有第 2.1 条。\n")
    _, found = mentions_of(text, gazetteer, "provision")
    assert [m.iri.rsplit("/", 1)[-1] for m in found] == ["tpp-ch18", "tpp-18.68", "tpp-18.69", "cptpp-5.3", "ceta-10.17"]


def test_china_ftas_listed_by_their_partners_short_names(gazetteer):
    text = "全面落实中韩、中瑞士等自由贸易协定和中智、中新加坡、中新西兰等升级自由贸易协定中有关生态环境条款。集中智力资源，深化中新合作。\n"
    _, found = mentions_of(text, gazetteer, "agreement")
    assert [m.iri.rsplit("/", 1)[-1] for m in found] == [
        "china-korea-fta", "china-switzerland-fta", "china-chile-fta", "china-singapore-fta", "china-new-zealand-fta"]
    held_out = gazetteer.without({m.iri for m in found})
    _, new = mentions_of(text, held_out, "agreement")
    assert [(m.text, m.label) for m in new if not m.known][:2] == [("中韩", "中国—韩国自由贸易协定"), ("中瑞士", "中国—瑞士自由贸易协定")]
    _, none = mentions_of("推动中新等自由贸易协定落地。\n", gazetteer, "agreement")  # 中新: Singapore or New Zealand
    assert none == []


def test_chapters_and_articles_by_their_titles_after_the_agreement(gazetteer):
    text = ("主动对标和参考CPTPP等高标准环境条款。试点地区对接CPTPP“快运货物”条款。将CPTPP知识产权边境保护条款视为蓝本。"
            "CPTPP成员国的投资规则更严格。\n")
    _, found = mentions_of(text, gazetteer, "provision")
    assert [m.iri.rsplit("/", 1)[-1] for m in found] == ["cptpp-ch20", "cptpp-5.7", "cptpp-ch18", "cptpp-ip-border-measures"]
    held_out = gazetteer.without({gazetteer.lookup("CPTPP知识产权边境保护条款", "provision").iri})
    _, found = mentions_of(text, held_out, "provision")
    assert [m.label for m in found if not m.known] == ["CPTPP知识产权边境保护条款"]


def test_a_section_heading_does_not_make_an_agreement_name_a_chapter(gazetteer):
    """Under （三）投资 a report may mean CPTPP's investment chapter, but it does not say so: that is
    for a person to infer, not for the extractor to state."""
    text = "（三）投资\n目前，CPTPP、CETA等新一代贸易协定采用了多元化的投资争端解决机制。\nCPTPP投资章节规定了争端解决。\n"
    _, found = mentions_of(text, gazetteer, "provision")
    assert [(m.iri.rsplit("/", 1)[-1], m.start) for m in found] == [("cptpp-ch9", text.replace("\n", "").rindex("CPTPP"))]


def test_agreements_new_to_the_graph_by_their_form(gazetteer):
    names = ("NAFTA", "TPP", "欧盟与南方共同市场自贸协定", "国际固体散装货物规则", "IGC规则", "CEPA")
    held_out = gazetteer.without({e.iri for name in names for e in [gazetteer.lookup(name, "agreement")] if e}
                                 | {e.iri for e in gazetteer.entities.values() if e.pref.startswith("内地与")})
    text = ("在NAFTA负面清单基础上。TPP知识产权章节版权部分18.68条规定了技术保护措施。以及欧盟与南方共同市场等自贸协定签署。"
            "制定《国际固体散装货物规则》绿泥石运输标准。起草《IGC规则港口国监督检查指南》。"
            "与更紧密经贸关系的安排（CEPA）协同。发布《上海市数据交易规则》。\n")
    extraction, found = mentions_of(text, held_out, "agreement")
    assert {(m.text, m.iri.rsplit("/", 1)[-1]) for m in found} == {
        ("NAFTA", "nafta"), ("TPP", "tpp"), ("欧盟与南方共同市场等自贸协定", "oumengyunanfanggongtongshichangzimaoxieding"),
        ("国际固体散装货物规则", "guojigutisanzhuanghuowuguize"), ("IGC规则", "igc")}
    assert {m.label for m in found} >= {"欧盟与南方共同市场自贸协定"}  # the 等 of the list is not part of the name
    assert any(m.kind == "document" and m.text == "IGC规则港口国监督检查指南" for m in extraction.mentions)


def test_a_title_wrapped_across_a_blank_line_is_one_name(gazetteer):
    """PDF text that prints a blank line after every full line: the blank line wraps, it does not end a paragraph."""
    body = "实施的多边经贸协定的规则。例如，WTO\n\n《政府采购协定》（GPA）、CPTPP、《数字\n\n经济伙伴关系协定》（DEPA）、《中欧投资\n\n协定》（CAI）等。\n\n"
    heading = "一、总体要求\n\n"
    _, found = mentions_of(heading + body * 3, gazetteer, "agreement")
    assert {m.text for m in found if m.text.endswith("协定")} == {"政府采购协定", "数字经济伙伴关系协定", "中欧投资协定"}
    from ftzgraph.extract.mentions import PARAGRAPH, Document

    assert Document(heading + body * 3).squashed.startswith("一、总体要求" + PARAGRAPH)  # a short heading stays apart


def test_issuers_printed_with_spaces_offices_and_abbreviations(gazetteer):
    held_out = gazetteer.without({gazetteer.lookup(n, "body").iri for n in ("金融监管总局", "中国证监会", "中共中央办公厅", "中央台办")})
    text = ("2024年7月26日，中国人民银行 金融监管总局 中国证监会 国家外汇局联合发布《关于金融支持某市高质量发展的意见》。"
            "中共中央办公厅、国务院办公厅印发《关于完善某项制度的意见》。"
            "商务部、中央台办、国家发展改革委联合印发《关于经贸领域支持福建的若干措施的通知》。\n")
    extraction, _ = mentions_of(text, held_out, "body")
    pairs = issued_pairs(extraction)
    tianjin = {b for d, b in pairs if d == "关于金融支持某市高质量发展的意见"}
    assert tianjin == {"pboc", "金融监管总局", "中国证监会", "safe"}
    assert {b for d, b in pairs if d == "关于完善某项制度的意见"} == {"中共中央办公厅", "gosc"}
    assert {b for d, b in pairs if d.startswith("关于经贸领域")} == {"mofcom", "中央台办", "ndrc"}


def test_issue_verbs_titles_with_trailing_brackets_and_numbers_after_the_notice(gazetteer):
    text = ("商务部发布《自由贸易试验区跨境服务贸易特别管理措施（负面清单）》（2025年版）。"
            "工业和信息化部、商务部印发《中关村科技园区建设方案（2024—2027年）》。"
            "海关总署制定印发《海关支持和促进自由贸易试验区建设发展的若干措施》。"
            "市场监管总局关于印发《市场监管部门优化营商环境重点举措（2025年版）》的通知（国市监注发〔2025〕84号）。"
            "国务院批复《某某枢纽国际商务合作区建设总体方案》（国函〔2025〕30号）。国务院批复《某某区建设方案》。\n")
    extraction, _ = mentions_of(text, gazetteer, "body")
    pairs = issued_pairs(extraction)
    assert ("自由贸易试验区跨境服务贸易特别管理措施（负面清单）（2025年版）", "mofcom") in pairs
    # Names are compared with their dashes folded: 2024—2027 and 2024-2027 are one name.
    assert {("中关村科技园区建设方案（2024-2027年）", "miit"), ("海关支持和促进自由贸易试验区建设发展的若干措施", "gacc")} <= pairs
    numbered = {d: b for d, b in pairs if d.startswith("市场监管部门")}
    assert numbered == {"市场监管部门优化营商环境重点举措（2025年版）": "samr"}
    new = extraction.candidates.new
    assert any(e.number == "国市监注发〔2025〕84号" for e in new.values() if e.label.startswith("市场监管部门"))
    assert ("某某枢纽国际商务合作区建设总体方案", "state-council") in pairs
    assert any(e.number == "国函〔2025〕30号" for e in new.values())
    assert not any(d == "某某区建设方案" for d, _ in pairs)  # 批复 without a 文号 names no issuer


def test_new_bodies_must_say_whose_they_are(gazetteer):
    text = ("实现包括上海海关、新区商务委、卫健委、市场监管局、科经委、生态环境局、建交委、公安分局等单位协同。"
            "长沙市科技局、国家保密局、外交部、国家安全部等有关部门按职责分工负责。助推形成新时代西部大开发新格局。\n")
    _, found = mentions_of(text, gazetteer.without({gazetteer.lookup(n, "body").iri for n in ("外交部", "国家安全部")}), "body")
    new = {m.text for m in found if not m.known}
    assert new >= {"长沙市科技局", "外交部", "国家安全部"}
    assert not new & {"新区商务委", "卫健委", "市场监管局", "科经委", "生态环境局", "建交委", "公安分局", "助推形成新时代西部"}


def test_names_a_table_cell_breaks_over_a_blank_line(gazetteer):
    """PDF tables print narrow cells: a zone's full name and a sub-area's 片区 run over blank lines."""
    held_out = gazetteer.without({gazetteer.lookup("高端产业片区", "subarea").iri})
    text = "中国（安徽）自由贸易\n\n试验区\n\n高端制造：合肥片区；\n\n生物技术：高端产业\n\n片区；\n\n发展现代农业。\n\n片区建设\n"
    extraction, zones = mentions_of(text, held_out, "zone")
    assert [m.iri.rsplit("/", 1)[-1] for m in zones] == ["anhui"]
    assert extraction.document.quote(zones[0].start, zones[0].end) == "中国（安徽）自由贸易试验区"
    subareas = [(m.text, m.known) for m in extraction.mentions if m.kind == "subarea"]
    assert subareas == [("合肥片区", True), ("高端产业片区", False)]


def test_a_quote_joins_chinese_that_a_line_break_split_but_keeps_spaces_between_latin_words():
    from ftzgraph.extract.mentions import Document

    document = Document("在上海率先开\n展试点，对接 CPTPP\nArticle 5.3 的规定\n")
    text = document.squashed
    assert document.quote(text.index("率"), text.index("试")) == "率先开展"
    assert document.quote(text.index("C"), text.index("的")) == "CPTPP Article 5.3"


def test_the_last_row_of_a_spaced_table_stops_before_the_text_after_it(gazetteer):
    from ftzgraph.extract import extract_text, source_info
    from pathlib import Path

    text = ("序号 改革事项 负责单位 推广范围\n"
            "1 国际船舶登记制度创新 ( 含船舶\n"
            "登记 ) 交通运输部 全国\n"
            "2 进口商品检验采信 海关总署 全国\n"
            "各地区要结合实际抓好落实。相关经验将继续复制推广。\n")
    rows = extract_text(text, gazetteer, source_info(Path("t.txt"), text)).rows
    assert [(r.number, r.item, r.scope) for r in rows] == [(1, "国际船舶登记制度创新（含船舶登记）", "全国"),
                                                          (2, "进口商品检验采信", "全国")]
