#!/usr/bin/env python3
"""Generate data/cptpp-text.ttl: every chapter and article of the CPTPP as an ftz:Provision.

Reads the shipped treaty text data/sources/tpp-en.xml (the TPP text as marked up by the ToTA
corpus, which the CPTPP incorporates with its chapter and article numbers unchanged) line by line,
and the Chinese titles in scripts/cptpp_titles_zh.tsv. The output is deterministic: running the
script twice gives the same bytes.

    python scripts/cptpp_provisions.py            # writes data/cptpp-text.ttl
    python scripts/cptpp_provisions.py --check    # exits 1 if data/cptpp-text.ttl is stale

Every provision gets: the IRI provision:cptpp-chN (chapter) or provision:cptpp-N.M (article); one
zh and one en skos:prefLabel; the exact title as dcterms:title (the corpus's name attribute, a
trailing footnote number removed); ftz:provisionNumber; ftz:provisionKind; ftz:partOf; for articles
ftz:text (the article element's text, whitespace normalised); and ftz:Evidence into tpp-en.xml for
the number, the title (spanning the whole element, whose text is ftz:text) and the partOf.
Paragraph nodes are made only for the few paragraphs an alignment needs (PARAGRAPHS).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
XML = ROOT / "data" / "sources" / "tpp-en.xml"
TITLES_ZH = Path(__file__).resolve().parent / "cptpp_titles_zh.tsv"
OUT = ROOT / "data" / "cptpp-text.ttl"

CHAPTER_RE = re.compile(r'<chapter number="CHAPTER (\d+)" name="([^"]*)"')
ARTICLE_RE = re.compile(r'<article number="ARTICLE (\d+)\.(\d+)" name="([^"]*)"[^>]*>')
FOOTNOTE_RE = re.compile(r"(?<=[A-Za-z)])\d+$")

# Title case as the corpus prints it -> the case used in English labels.
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
               "to", "with", "after"}
ACRONYMS = {"Tpms": "TPMs", "Rmi": "RMI", "Trqs": "TRQs", "Smes": "SMEs", "Wto": "WTO", "Tbt": "TBT",
            "Trips": "TRIPS"}
SPECIAL = {"Re-Entered": "Re-entered", "Pest-Or": "Pest- or"}

# Titles the corpus cut short: the rest of the title opens the article's text.
TITLE_COMPLETIONS = {"18.64": "14.6 of the TRIPS Agreement"}

# Paragraph nodes that an alignment needs: id -> (article, paragraph, sub-paragraph letter).
PARAGRAPHS = {"5.7.1.d": ("5.7", "1", "d")}


def clean_title(name: str) -> str:
    """The exact title: the name attribute without a trailing footnote number."""
    return FOOTNOTE_RE.sub("", name.strip())


def label_case(title: str) -> str:
    words = []
    for i, word in enumerate(title.split(" ")):
        if word in SPECIAL:
            words.append(SPECIAL[word])
            continue
        m = re.match(r"^(\(?)(.*?)(\)?)$", word)
        pre, core, post = m.groups()
        if core in ACRONYMS:
            core = ACRONYMS[core]
        elif "-" in core:
            parts = core.split("-")
            core = "-".join([parts[0]] + [p.lower() if p.lower() in SMALL_WORDS else p for p in parts[1:]])
        elif i > 0 and core.lower() in SMALL_WORDS:
            core = core.lower()
        words.append(pre + core + post)
    return " ".join(words)


def normalise(text: str) -> str:
    return " ".join(text.split())


def first_words(line: str, limit: int = 70) -> str:
    """The opening words of a line of text, cut at a word boundary: a short verbatim quote."""
    text = normalise(line)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


@dataclass
class Article:
    chapter: int
    number: str
    name: str
    start: int  # 1-based line of the <article> tag
    end: int = 0  # 1-based line of </article>
    lines: list[str] = field(default_factory=list)  # raw lines start..end

    def body_lines(self) -> list[str]:
        """The element's lines with the start tag and the end tag removed."""
        out = list(self.lines)
        out[0] = ARTICLE_RE.split(out[0], maxsplit=1)[-1]
        out[-1] = out[-1].split("</article>")[0]
        return out

    @property
    def text(self) -> str:
        return normalise("\n".join(self.body_lines()))


@dataclass
class Chapter:
    number: int
    name: str
    start: int
    end: int = 0
    articles: list[Article] = field(default_factory=list)


def parse(path: Path = XML) -> list[Chapter]:
    """Chapters and articles of the treaty text, read line by line, with their line ranges."""
    lines = path.read_text(encoding="utf-8").split("\n")
    chapters: list[Chapter] = []
    chapter: Chapter | None = None
    article: Article | None = None
    for index, line in enumerate(lines, start=1):
        m = CHAPTER_RE.search(line)
        if m:
            chapter = Chapter(int(m.group(1)), m.group(2), index)
            chapters.append(chapter)
        elif "<chapter " in line:
            chapter = None  # the preamble
        m = ARTICLE_RE.search(line)
        if m and chapter is not None:
            if int(m.group(1)) != chapter.number:
                raise ValueError(f"line {index}: article {m.group(1)}.{m.group(2)} in chapter {chapter.number}")
            article = Article(chapter.number, f"{m.group(1)}.{m.group(2)}", m.group(3), index)
            chapter.articles.append(article)
        if article is not None:
            article.lines.append(line)
            if "</article>" in line:
                article.end = index
                article = None
        if "</chapter>" in line and chapter is not None:
            chapter.end = index
            chapter = None
    return chapters


def read_titles_zh(path: Path = TITLES_ZH) -> dict[str, dict]:
    titles = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        entry = {"zh": cols[1], "basis": cols[2]}
        if cols[2] == "source":
            entry.update(source=cols[3], start=int(cols[4]), end=int(cols[5]), quote=cols[6])
        titles[cols[0]] = entry
    return titles


def find_paragraph(article: Article, paragraph: str, letter: str) -> tuple[int, int, str]:
    """Line range (1-based) and text of sub-paragraph (letter) of paragraph N of an article."""
    body = article.body_lines()
    starts = [i for i, l in enumerate(body) if l.strip().startswith(f"{paragraph}.")]
    if not starts:
        raise ValueError(f"paragraph {paragraph} not found in {article.number}")
    first = starts[0]
    opening = [i for i in range(first, len(body)) if body[i].strip().startswith(f"({letter})")]
    if not opening:
        raise ValueError(f"({letter}) not found in {article.number}.{paragraph}")
    begin = opening[0]
    following = chr(ord(letter) + 1)
    stop = len(body)
    for i in range(begin + 1, len(body)):
        s = body[i].strip()
        if s.startswith(f"({following})") or s.startswith(f"{int(paragraph) + 1}."):
            stop = i
            break
    while stop > begin + 1 and not body[stop - 1].strip():
        stop -= 1
    text = normalise("\n".join(body[begin:stop]))
    return article.start + begin, article.start + stop - 1, text


PREFIXES = """@prefix ftz:       <https://w3id.org/ftzgraph/ontology#> .
@prefix agreement: <https://w3id.org/ftzgraph/id/agreement/> .
@prefix provision: <https://w3id.org/ftzgraph/id/provision/> .
@prefix source:    <https://w3id.org/ftzgraph/id/source/> .
@prefix ev:        <https://w3id.org/ftzgraph/id/evidence/> .
@prefix rdf:       <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:      <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:      <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms:   <http://purl.org/dc/terms/> .
"""

HEADER = """# GENERATED by scripts/cptpp_provisions.py from data/sources/tpp-en.xml and
# scripts/cptpp_titles_zh.tsv: do not edit by hand; edit the script or the titles and run it again.
#
# Every chapter (30) and article (507) of the CPTPP, i.e. of the TPP text that the CPTPP incorporates
# with its chapter and article numbers unchanged (CPTPP Article 1), as an ftz:Provision. Titles are
# the ToTA corpus's name attributes (title case as printed; a trailing footnote number removed);
# ftz:text is the article element's text with whitespace normalised (footnote numbers, footnote
# texts and page numbers of the original remain, as in the corpus). Chinese labels are this
# project's own translations (ftz:labelBasis "translated"@zh) except where a report gives the
# wording (ftz:labelBasis "source"@zh, with evidence).
#
# Licence: the article texts (ftz:text) and the quotes from source:tpp are taken from the ToTA corpus
# v0.5.0 (Alschner, Seiermann & Skougarevskiy 2017), CC BY-NC 4.0; see data/sources/README.md.
# Evidence: ev:cptpp-<number>-num|title|part: the line of the element's start tag; the title's evidence
# spans the whole element, whose text is ftz:text.
"""


def block(subject: str, pairs: list[tuple[str, list[str]]]) -> str:
    lines = [subject]
    for i, (pred, objs) in enumerate(pairs):
        end = " ." if i == len(pairs) - 1 else " ;"
        lines.append(f"    {pred} " + " ,\n        ".join(objs) + end)
    return "\n".join(lines) + "\n"


def evidence(name: str, subject: str, predicate: str, obj: str, start: int, end: int, quote: str,
             basis: str = "stated", comment: str | None = None, source: str = "source:tpp") -> str:
    out = (f"ev:{name} a ftz:Evidence ; rdf:subject {subject} ; rdf:predicate {predicate} ; rdf:object {obj} ;\n"
           f"    ftz:source {source} ; ftz:lineStart {start} ; ftz:lineEnd {end} ; ftz:quote {lit(quote)} ;\n"
           f"    ftz:basis {lit(basis)}")
    if comment:
        out += f" ;\n    rdfs:comment {lit(comment, 'en')}"
    return out + " .\n"


def zh_label_parts(titles_zh: dict, key: str, subject: str, zh_label: str) -> tuple[list, str]:
    entry = titles_zh[key]
    extra = ""
    if entry["basis"] == "source":
        extra = evidence(f"cptpp-{key}-label-zh", subject, "skos:prefLabel", lit(zh_label, "zh"),
                         entry["start"], entry["end"], entry["quote"], source=f"source:{entry['source']}",
                         basis="inferred",
                         comment="The report's Chinese words for the provision give the title in the label; "
                                 "the number is the treaty's.")
    return [("ftz:labelBasis", [lit(entry["basis"], "zh")])], extra


def render(chapters: list[Chapter], titles_zh: dict) -> str:
    out = [PREFIXES, "\n", HEADER]
    for ch in chapters:
        key = f"ch{ch.number}"
        subject = f"provision:cptpp-ch{ch.number}"
        title = clean_title(ch.name)
        en_title = label_case(title)
        zh = titles_zh[key]["zh"]
        zh_label = f"CPTPP第{ch.number}章 {zh}"
        basis_pairs, extra = zh_label_parts(titles_zh, key, subject, zh_label)
        out.append(f"\n# {'=' * 95}\n# Chapter {ch.number} {en_title} (lines {ch.start}-{ch.end})\n# {'=' * 95}\n\n")
        out.append(block(subject, [
            ("a", ["ftz:Provision"]),
            ("skos:prefLabel", [lit(zh_label, "zh"), lit(f"CPTPP Chapter {ch.number} {en_title}", "en")]),
            ("skos:altLabel", [lit(zh, "zh"), lit(en_title, "en")]),
            ("dcterms:title", [lit(title, "en")]),
            *basis_pairs,
            ("ftz:provisionNumber", [lit(str(ch.number))]),
            ("ftz:provisionKind", [lit("chapter")]),
            ("ftz:partOf", ["agreement:cptpp"]),
        ]))
        out.append(evidence(f"cptpp-ch{ch.number}-num", subject, "ftz:provisionNumber", lit(str(ch.number)),
                            ch.start, ch.start, f"CHAPTER {ch.number}"))
        out.append(evidence(f"cptpp-ch{ch.number}-title", subject, "dcterms:title", lit(title, "en"),
                            ch.start, ch.start, title))
        out.append(evidence(
            f"cptpp-ch{ch.number}-part", subject, "ftz:partOf", "agreement:cptpp", ch.start, ch.start,
            f"CHAPTER {ch.number}", basis="inferred",
            comment=f"Chapter {ch.number} of the TPP text, which the CPTPP incorporates by reference "
                    "(CPTPP Article 1) with its chapter and article numbers unchanged."))
        out.append(extra)
        for art in ch.articles:
            out.append("\n" + render_article(art, titles_zh))
            for pid, (art_no, para, letter) in PARAGRAPHS.items():
                if art_no == art.number:
                    out.append("\n" + render_paragraph(art, pid, para, letter, titles_zh))
    return "".join(out)


def render_article(art: Article, titles_zh: dict) -> str:
    subject = f"provision:cptpp-{art.number}"
    title = clean_title(art.name)
    en_title = label_case(title)
    if art.number in TITLE_COMPLETIONS:
        en_title = f"{en_title} {TITLE_COMPLETIONS[art.number]}"
    zh = titles_zh[art.number]["zh"]
    zh_label = f"CPTPP第{art.number}条 {zh}"
    basis_pairs, extra = zh_label_parts(titles_zh, art.number, subject, zh_label)
    pairs = [
        ("a", ["ftz:Provision"]),
        ("skos:prefLabel", [lit(zh_label, "zh"), lit(f"CPTPP Article {art.number} {en_title}", "en")]),
        ("skos:altLabel", [lit(zh, "zh"), lit(en_title, "en")]),
        ("dcterms:title", [lit(title, "en")]),
        *basis_pairs,
        ("ftz:provisionNumber", [lit(art.number)]),
        ("ftz:provisionKind", [lit("article")]),
        ("ftz:partOf", [f"provision:cptpp-ch{art.chapter}"]),
    ]
    if art.number in TITLE_COMPLETIONS:
        pairs.append(("rdfs:comment", [lit(
            f"The corpus cuts the title after 'Article'; the rest of it, '{TITLE_COMPLETIONS[art.number]}', "
            "opens the article's text. dcterms:title keeps the title as the corpus prints it.", "en")]))
    pairs.append(("ftz:text", [lit(art.text)]))
    out = [block(subject, pairs)]
    number_quote = f"ARTICLE {art.number}"
    out.append(evidence(f"cptpp-{art.number}-num", subject, "ftz:provisionNumber", lit(art.number),
                        art.start, art.start, number_quote))
    # One evidence spans the whole <article> element: its quote is the title, and the element's text
    # is the provision's ftz:text (not reified separately: that would store every text twice).
    out.append(evidence(f"cptpp-{art.number}-title", subject, "dcterms:title", lit(title, "en"),
                        art.start, art.end, title,
                        comment=f"The <article> element, lines {art.start}-{art.end}; its text, whitespace "
                                "normalised, is the provision's ftz:text."))
    out.append(evidence(f"cptpp-{art.number}-part", subject, "ftz:partOf", f"provision:cptpp-ch{art.chapter}",
                        art.start, art.start, number_quote,
                        comment=f"The <article> element lies inside <chapter number=\"CHAPTER {art.chapter}\">."))
    out.append(extra)
    return "".join(out)


def render_paragraph(art: Article, pid: str, para: str, letter: str, titles_zh: dict) -> str:
    start, end, text = find_paragraph(art, para, letter)
    subject = f"provision:cptpp-{pid}"
    number = f"{art.number}.{para}({letter})"
    zh_article = titles_zh[art.number]["zh"]
    pairs = [
        ("a", ["ftz:Provision"]),
        ("skos:prefLabel", [lit(f"CPTPP第{art.number}条（{zh_article}）第{para}款({letter})项", "zh"),
                            lit(f"CPTPP Article {art.number}.{para}({letter}) ({label_case(clean_title(art.name))})", "en")]),
        ("ftz:labelBasis", [lit("translated", "zh")]),
        ("ftz:provisionNumber", [lit(number)]),
        ("ftz:provisionKind", [lit("paragraph")]),
        ("ftz:partOf", [f"provision:cptpp-{art.number}"]),
        ("ftz:text", [lit(text)]),
    ]
    out = [block(subject, pairs)]
    quote = first_words(text)
    out.append(evidence(f"cptpp-{pid}-text", subject, "ftz:text", lit(text), start, end, quote))
    out.append(evidence(f"cptpp-{pid}-part", subject, "ftz:partOf", f"provision:cptpp-{art.number}",
                        start, end, quote,
                        comment=f"Sub-paragraph ({letter}) of paragraph {para} of Article {art.number} "
                                f"(lines {art.start}-{art.end})."))
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the output file is stale")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    chapters = parse()
    articles = sum(len(c.articles) for c in chapters)
    if len(chapters) != 30 or articles != 507:
        print(f"expected 30 chapters and 507 articles, found {len(chapters)} and {articles}", file=sys.stderr)
        return 1
    text = render(chapters, read_titles_zh())
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        if current != text:
            print(f"{args.out} is stale: run scripts/cptpp_provisions.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT)}: {len(chapters)} chapters, {articles} articles, "
          f"{len(PARAGRAPHS)} paragraphs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
