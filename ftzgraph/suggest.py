"""Suggest the treaty articles a measure (or a free Chinese or English text) may answer.

``suggest(graph, query)`` ranks the articles of an agreement (the CPTPP by default, whose full text
ships with the graph) by BM25 over their titles and texts. A Chinese query is carried into the
treaty's English through the bilingual glossary ``concept:glossary`` (data/glossary.ttl): every
glossary term found in the query contributes its English labels. A measure of the graph contributes
its zh and en labels and its definition.

A second, weaker signal comes from the alignments already in the graph: an article is also described
by the glossary terms of the measures and documents aligned with it. The queried measure's own
alignments, and those of every name in ``exclude``, never feed that signal, so a measure cannot find
its article through its own alignment (leave-one-out).

Suggestions are never facts. ``write_review`` appends an accepted suggestion to a review file outside
data/ as an alignment whose evidence has ``ftz:basis "suggested"``; the integrity checks refuse that
basis in data/ until a person has checked the treaty text, set the basis to "curated" and named an
``ftz:authority``.
"""

from __future__ import annotations

import math
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from ftzgraph import vocab
from ftzgraph.errors import UsageError

SIGNAL_WEIGHT = 0.35  # the alignment-derived signal, relative to the text match
TITLE_WEIGHT = 3  # a title's tokens count this many times

_STOP = frozenset("""a an and any are as at be been by for from has have if in into is it its
may no not of on or other such than that the their them these this those to under upon was were
which with within without shall should each party parties another agreement article chapter
paragraph subparagraph pursuant accordance including include includes provide provided provides
ensure ensures relevant respect whether where when will would can also under""".split())

_NUMBER_WORDS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven",
                 "8": "eight", "9": "nine", "10": "ten", "12": "twelve", "24": "twenty-four"}
_DURATION = re.compile(r"(\d+)\s*(小时|天|日|个月|年)")
_DURATION_EN = {"小时": "hours", "天": "days", "日": "days", "个月": "months", "年": "years"}
_TOKEN = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def stem(word: str) -> str:
    """A light English stemmer: enough to meet 'rulings' with 'ruling', 'shipments' with 'shipment'."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ings", ""), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            if suffix == "es" and not re.search(r"(ch|sh|x|z)es$", word):
                continue
            word = word[: -len(suffix)] + keep
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def tokens(text: str) -> list[str]:
    """Lower-case English word stems of a text, stop words dropped; numbers kept."""
    return [stem(t) for t in _TOKEN.findall(text.lower()) if t not in _STOP and len(t) > 1]


@dataclass(eq=False)
class Term:
    iri: str
    zh: list[str]  # preferred first
    en: list[str]  # preferred first

    @property
    def label(self) -> str:
        return f"{self.zh[0]} → {self.en[0]}" if self.zh else self.en[0]


@dataclass
class Glossary:
    terms: list[Term]
    _zh: list[tuple[str, Term]] = field(default_factory=list)
    _en: list[tuple[list[str], Term]] = field(default_factory=list)

    def __post_init__(self):
        self._zh = sorted(((_squash(z), t) for t in self.terms for z in t.zh if z), key=lambda p: -len(p[0]))
        self._en = [(tokens(e), t) for t in self.terms for e in t.en if tokens(e)]

    def match_zh(self, text: str) -> list[Term]:
        """Glossary terms whose Chinese labels occur in the text, longest first, without overlap."""
        text = _squash(text)
        taken = [False] * len(text)
        found: list[Term] = []
        for label, term in self._zh:
            start = text.find(label)
            while start >= 0:
                end = start + len(label)
                if not any(taken[start:end]):
                    for i in range(start, end):
                        taken[i] = True
                    if term not in found:
                        found.append(term)
                start = text.find(label, end)
        return found

    def match_en(self, words: list[str]) -> list[Term]:
        """Glossary terms one of whose English labels occurs, as a phrase, in the token list."""
        found = []
        joined = " " + " ".join(words) + " "
        for phrase, term in self._en:
            if " " + " ".join(phrase) + " " in joined and term not in found:
                found.append(term)
        return found


@dataclass
class Article:
    iri: str
    number: str
    title: str
    words: list[str]


@dataclass
class Corpus:
    articles: list[Article]
    bm25: object
    glossary: Glossary
    # article index -> (aligned subject IRI, glossary terms of that subject)
    aligned: dict[int, list[tuple[str, list[Term]]]]


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _value(term) -> str:
    return "" if term is None else str(term.value)


def load_glossary(graph) -> Glossary:
    rows = graph.sparql("""
        SELECT ?t ?label ?pref WHERE {
          ?t skos:inScheme concept:glossary .
          { ?t skos:prefLabel ?label . BIND(1 AS ?pref) } UNION { ?t skos:altLabel ?label . BIND(0 AS ?pref) }
        }""").rows
    by_term: dict[str, dict] = {}
    for row in rows:
        entry = by_term.setdefault(_value(row["t"]), {"zh": [], "en": []})
        label = row["label"]
        lang = getattr(label, "language", None) or "en"
        bucket = entry["zh" if lang.startswith("zh") else "en"]
        if int(_value(row["pref"])):
            bucket.insert(0, label.value)
        else:
            bucket.append(label.value)
    terms = [Term(iri, sorted(set(e["zh"]), key=e["zh"].index), sorted(set(e["en"]), key=e["en"].index))
             for iri, e in sorted(by_term.items())]
    return Glossary(terms)


def _agreement_iri(graph, agreement: str) -> str:
    return graph.resolve(agreement, "Agreement")


def load_corpus(graph, agreement: str = "CPTPP") -> Corpus:
    """The articles of an agreement as BM25 documents (cached per graph and agreement)."""
    from rank_bm25 import BM25Okapi

    agreement_iri = _agreement_iri(graph, agreement)
    per_graph = _CACHE.setdefault(graph, {})
    if agreement_iri in per_graph:
        return per_graph[agreement_iri]
    rows = graph.sparql(f"""
        SELECT ?a ?number ?title ?label ?text WHERE {{
          ?a a ftz:Provision ; ftz:provisionKind "article" ; ftz:within <{agreement_iri}> .
          OPTIONAL {{ ?a ftz:provisionNumber ?number }}
          OPTIONAL {{ ?a dcterms:title ?title }}
          OPTIONAL {{ ?a skos:prefLabel ?label FILTER(LANG(?label) = "en") }}
          OPTIONAL {{ ?a ftz:text ?text }}
        }}""").rows
    if not rows:  # no article-level text (RCEP, DEPA): rank the chapters or modules by their labels
        rows = graph.sparql(f"""
            SELECT ?a ?number ?title ?label ?text WHERE {{
              ?a a ftz:Provision ; ftz:partOf <{agreement_iri}> .
              OPTIONAL {{ ?a ftz:provisionNumber ?number }}
              OPTIONAL {{ ?a skos:prefLabel ?label FILTER(LANG(?label) = "en") }}
              BIND("" AS ?title) BIND("" AS ?text)
            }}""").rows
    if not rows:
        raise UsageError(f"{vocab.compact(agreement_iri)} has no provisions to rank")
    seen, articles = set(), []
    for row in rows:
        iri = _value(row["a"])
        if iri in seen:
            continue
        seen.add(iri)
        title = _value(row["title"]) or _value(row["label"])
        words = tokens(title) * TITLE_WEIGHT + tokens(_value(row["text"]))
        articles.append(Article(iri, _value(row["number"]), title, words))
    articles.sort(key=lambda a: _number_key(a.number))
    glossary = load_glossary(graph)
    index = {a.iri: i for i, a in enumerate(articles)}
    aligned: dict[int, list[tuple[str, list[Term]]]] = {}
    for row in graph.sparql(f"""
        SELECT ?s ?article (GROUP_CONCAT(DISTINCT STR(?text); SEPARATOR=" | ") AS ?texts) WHERE {{
          ?s ftz:alignsWith ?p . ?p ftz:within ?article .
          ?article ftz:provisionKind "article" ; ftz:within <{agreement_iri}> .
          ?s skos:prefLabel|skos:altLabel|skos:definition ?text .
        }} GROUP BY ?s ?article""").rows:
        i = index.get(_value(row["article"]))
        if i is not None:
            text = _value(row["texts"])
            terms = glossary.match_zh(text) + [t for t in glossary.match_en(tokens(text))]
            aligned.setdefault(i, []).append((_value(row["s"]), list(dict.fromkeys(terms))))
    corpus = Corpus(articles, BM25Okapi([a.words or ["_"] for a in articles]), glossary, aligned)
    per_graph[agreement_iri] = corpus
    return corpus


def _number_key(number: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"[.\s]", number)]


def subject_of(graph, query: str) -> str | None:
    """The measure or document IRI a query names (an IRI, a prefixed name or an exact label), else None."""
    from ftzgraph.names import as_iri

    iri = as_iri(query.strip())
    if iri is None:
        try:
            found = graph.resolve(query, "Measure")
        except UsageError:
            found = None
        # only an exact label counts: a free text that happens to be part of a label stays text
        if found and _squash(query) in {_squash(t) for t in _labels(graph, found)}:
            iri = found
    return iri


def _query_text(graph, query: str) -> tuple[str | None, str]:
    """(the measure or document IRI, its text) for a name of one; (None, query) for free text."""
    iri = subject_of(graph, query)
    if iri is None:
        return None, query
    texts = _labels(graph, iri, with_definition=True)
    if not texts:
        raise UsageError(f"{vocab.compact(iri)} has no labels or definition to rank articles by")
    return iri, "\n".join(texts)


def _labels(graph, iri: str, with_definition: bool = False) -> list[str]:
    props = "skos:prefLabel|skos:altLabel" + ("|skos:definition|rdfs:comment" if with_definition else "")
    rows = graph.sparql(f"SELECT DISTINCT ?t WHERE {{ <{iri}> {props} ?t }}").rows
    texts = [_value(r["t"]) for r in rows]
    if with_definition:
        # an rdfs:comment in English is often about provenance, not the measure: keep the Chinese ones
        comments = {_value(r["t"]) for r in graph.sparql(
            f"SELECT ?t WHERE {{ <{iri}> rdfs:comment ?t FILTER(!LANGMATCHES(LANG(?t), 'zh')) }}").rows}
        texts = [t for t in texts if t not in comments]
    return sorted(texts)


def _expand(query: str, glossary: Glossary) -> tuple[list[str], list[Term]]:
    """Query tokens (English stems) and the glossary terms that produced them."""
    text = _DURATION.sub(lambda m: f" {m.group(1)} {_NUMBER_WORDS.get(m.group(1), '')} {_DURATION_EN[m.group(2)]} ", query)
    words = tokens(text)
    terms = glossary.match_zh(text) if _CJK.search(text) else []
    terms += [t for t in glossary.match_en(words) if t not in terms]
    for term in terms:
        for label in term.en:
            words += tokens(label)
    return words, terms


def suggest(graph, query: str, agreement: str = "CPTPP", top: int = 5,
            exclude: set[str] | None = None) -> list[dict]:
    """The ``top`` articles of ``agreement`` that best answer a measure or a free text.

    ``query`` is a measure (IRI, prefixed name or exact label: its labels and definition are used)
    or free Chinese or English text. ``exclude`` names measures or documents (IRIs or prefixed names)
    whose alignments must not feed the ranking; the queried measure's own are always left out.
    Each row: article (compact IRI), number, title, score (rounded) and matched (the glossary terms
    and query words the article shares with the query). A suggestion is never a fact.
    """
    if not query or not query.strip():
        raise UsageError("suggest needs a measure or a text")
    if top < 1:
        raise UsageError("top must be at least 1")
    corpus = load_corpus(graph, agreement)
    subject, text = _query_text(graph, query)
    words, terms = _expand(text, corpus.glossary)
    if not words:
        return []
    left_out = {vocab.expand(e) or e for e in (exclude or set())}
    if subject:
        left_out.add(subject)
    scores = list(corpus.bm25.get_scores(words))
    best = max(scores) if scores and max(scores) > 0 else 1.0
    query_terms = set(t.iri for t in terms)
    for i, entries in corpus.aligned.items():
        shared = 0.0
        for aligned_subject, aligned_terms in entries:
            if aligned_subject in left_out:
                continue
            if aligned_terms:
                overlap = len(query_terms & {t.iri for t in aligned_terms})
                shared = max(shared, overlap / math.sqrt(len(aligned_terms) * max(len(query_terms), 1)))
        scores[i] += SIGNAL_WEIGHT * best * shared
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], _number_key(corpus.articles[i].number)))
    query_set = set(words)
    out = []
    for i in order[:top]:
        if scores[i] <= 0:
            break
        article = corpus.articles[i]
        doc = set(article.words)
        matched = [t.label for t in terms if any(tokens(label) and set(tokens(label)) <= doc for label in t.en)]
        plain = sorted(w for w in query_set & doc if not any(w in tokens(l) for t in terms for l in t.en))
        out.append({"article": vocab.compact(article.iri), "number": article.number, "title": article.title,
                    "score": round(float(scores[i]), 3), "matched": matched + plain})
    return out


# -- accepting a suggestion ---------------------------------------------------------------

_REVIEW_HEADER = "".join(f"@prefix {p}: <{vocab.PREFIXES[p]}> .\n" for p in
                         ("ftz", "measure", "doc", "provision", "agreement", "ev", "rdf", "rdfs", "xsd")) + """
# Alignment candidates accepted from `ftzgraph suggest`, for review. NOT data: a suggestion is a
# ranking, not evidence. To adopt one, check the treaty text, then move the statement and its
# evidence into data/ with ftz:basis "curated" and an ftz:authority (or with stated/inferred
# evidence quoting the sources). The integrity checks refuse ftz:basis "suggested" in data/.
"""


def _iri(name: str) -> str:
    from ftzgraph.names import as_iri

    iri = as_iri(name.strip())
    if not iri:
        raise UsageError(f"not an IRI or prefixed name: {name!r}")
    return iri


def write_review(path: Path | str, measure: str, article: str, score: float, data_dir: Path | None = None) -> str:
    """Add ``measure ftz:alignsWith article`` with an evidence of basis "suggested" to a review file
    (never under the data folder), rewriting it atomically. Returns the evidence's compact IRI;
    adding the same pair twice writes it once."""
    from ftzgraph import output, paths

    path = Path(path)
    data = Path(data_dir or paths.data_dir()).resolve()
    target = path.resolve()
    if target == data or data in target.parents:
        raise UsageError(f"{path}: a review file must not be under {data}: suggestions are not data")
    m, a = _iri(measure), _iri(article)
    m_name, a_name = vocab.compact(m), vocab.compact(a)
    local = re.sub(r"[^A-Za-z0-9.-]+", "-", f"{m.rsplit('/', 1)[-1]}--{a.rsplit('/', 1)[-1]}").strip("-.")
    evidence = f"ev:suggested-{local}"
    try:
        existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the review file {path}: {exc}") from exc
    if f"{evidence} " in existing:
        return evidence
    chunk = (f"\n{m_name} ftz:alignsWith {a_name} .\n"
             f"{evidence} a ftz:Evidence ; rdf:subject {m_name} ; rdf:predicate ftz:alignsWith ; rdf:object {a_name} ;\n"
             f"    ftz:basis \"suggested\" ;\n"
             f"    rdfs:comment \"Suggested by ftzgraph suggest (score {float(score):.3f}). Not a fact: a person must "
             f"check the treaty text, set ftz:basis \\\"curated\\\" and name an ftz:authority before it enters data/.\"@en .\n")
    text = (existing if existing.strip() else _REVIEW_HEADER) + chunk
    _check_turtle(text, path)  # a review file someone broke by hand is refused, not extended
    output.write(path, text)
    return evidence


def _check_turtle(text: str, path: Path) -> None:
    import pyoxigraph as ox

    try:
        list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise UsageError(f"{path}: the review file would not be valid Turtle, so it is left as it was: {exc}") from exc
