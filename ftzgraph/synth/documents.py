"""Policy documents, invented after the real ones: issued by the sets of bodies that issue
real documents, numbered in their 文号 families (skipping real numbers), titled as synthetic.

The first document is the real one measures-by-document defaults to, with its real title,
number, date and issuers; the invented measures filling its rows carry the IRIs of its real
rows, among them the default of evidence-for.  Then each family of real documents
(one set of issuers) gets one document that applies to every place its real documents
apply to, so that the named queries' default zones and issuers find documents even in a
small graph; the rest are drawn by family size.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ftzgraph.synth.draws import Named, Weighted
from ftzgraph.synth.fixed import Places
from ftzgraph.synth.world import Family, Numbering, World
from ftzgraph.synth.writer import Output, TurtleFile, date, date_zh, en, text, zh

MEASURES_PER_DOCUMENT = 20
MAX_PLACES = 3  # of a drawn document
AGREEMENT_SHARE = 0.15  # of documents that align with a whole agreement
DISAGREEMENT_EVERY = 50  # one document in so many has two disagreeing dates
DOCUMENTS_PER_STANDARD = 20  # the shipped graph has 8 standards among 156 documents
GENRES = (("公告", "Announcement"), ("函", "Letter"), ("令", "Order"))  # by how the 文号 ends; else a notice
SUBJECTS = [
    ("支持自由贸易试验区深化改革创新若干措施", "measures supporting the pilot free trade zones in deepening reform and innovation"),
    ("做好自由贸易试验区改革试点经验复制推广工作", "replicating the reform pilot experiences of the pilot free trade zones"),
    ("推进自由贸易试验区贸易投资便利化改革创新", "trade and investment facilitation in the pilot free trade zones"),
    ("在自由贸易试验区暂时调整实施有关行政法规", "temporarily adjusting administrative regulations in the pilot free trade zones"),
    ("自由贸易试验区跨境服务贸易特别管理措施", "special measures for cross-border trade in services in the pilot free trade zones"),
    ("印发自由贸易试验区“最佳实践案例”", "the best-practice cases of the pilot free trade zones"),
    ("支持自由贸易试验区金融开放创新", "financial opening and innovation in the pilot free trade zones"),
    ("规范自由贸易试验区数据出境管理", "outbound data management in the pilot free trade zones"),
]


@dataclass
class Document:
    iri: str
    number: str  # the 文号 as printed
    title: tuple[str, str]  # zh, en
    issued: str
    issuers: list[Named]
    places: list[Named]
    row_prefix: str  # the measures it lists are measure:{row_prefix}01 …
    rows: int = 0

    @property
    def year(self) -> int:
        return int(self.issued[:4])


class DocumentWriter:
    """Writes documents.ttl: the first document, one per family, then drawn ones."""

    def __init__(self, out: Output, world: World, places: Places, agreements: Weighted, rng: random.Random):
        self.out, self.world, self.places, self.agreements, self.rng = out, world, places, agreements, rng
        self.bodies = {body.iri: body for body in world.bodies}
        self.place_names = dict(place for ranked in places.ranked for place in ranked)
        self.last_number: dict[tuple[str, int], int] = {}
        self.disagreements = 0

    def write(self, measures: int) -> list[Document]:
        made = self.out.new_file("documents")
        first = self.world.first_document
        title = (first.label("zh"), first.label("en"))
        documents = [self._entity(made, 0, first.iri, first.number, title, first.issued, first.issuers, [], [], first.row_prefix)]
        families = Weighted(self.world.families, [f.documents for f in self.world.families])
        for index in range(1, max(3, measures // MEASURES_PER_DOCUMENT)):
            covering = index <= len(self.world.families)
            family = self.world.families[index - 1] if covering else families.draw(self.rng)
            documents.append(self._invented(made, index, family, covering))
        for index in range(max(1, len(documents) // DOCUMENTS_PER_STANDARD)):
            self._standard(made, index)
        self.out.finish(made)
        return documents

    def _standard(self, made: TurtleFile, index: int) -> None:
        """A standard of a drawn level; no 文号, and not a document that lists measures."""
        level = self.rng.choice(self.world.concepts["ftz:standardLevel"])
        subject_zh, subject_en = self.rng.choice(SUBJECTS)
        title = (f"{subject_zh}技术规范（第{index + 1}号，合成）", f"Technical specification on {subject_en} (No. {index + 1}, synthetic)")
        line = made.line(f"《{title[0]}》｜{level.label('zh')}")
        iri = f"doc:synthetic-standard-{index + 1}"
        made.entity(iri, [("a", ["ftz:Standard"]), ("skos:prefLabel", [zh(title[0]), en(title[1])]),
                          ("ftz:labelBasis", [en("translated")]), ("ftz:standardLevel", [level.iri])])
        self.out.evidence(made, iri, "ftz:standardLevel", level.iri, line, level.label("zh"))

    def _invented(self, made: TurtleFile, index: int, family: Family, covering: bool) -> Document:
        rng = self.rng
        if covering:  # every place of the family, in a year all of them are open
            places = list(family.places)
            year = self._year(max((self.places.opened[p] for p in places), default=self.world.years[0]))
        else:
            year = self._year(self.world.years[0])
            open_places = [p for p in family.places if self.places.opened[p] <= year]
            placed = open_places and rng.random() < family.placed / family.documents
            places = sorted(rng.sample(open_places, rng.randint(1, min(MAX_PLACES, len(open_places))))) if placed else []
        numbering = self._numbering(family)
        number = self.last_number.get((numbering.code, year), rng.randint(0, 40)) + rng.randint(1, 30)
        while f"doc:{numbering.code}-{year}-{number}" in self.world.documents:
            number += 1
        self.last_number[(numbering.code, year)] = number
        if numbering.yearly:
            number_zh, number_en = f"{numbering.code_zh}{year}年第{number}号", f"{numbering.code.title()} No. {number} of {year}"
        else:
            number_zh, number_en = f"{numbering.code_zh}〔{year}〕{number}号", f"{numbering.code.title()} [{year}] No. {number}"
        genre_zh, genre_en = next((g for g in GENRES if numbering.code_zh.endswith(g[0])), ("通知", "Notice"))
        issuers = [self.bodies[b] for b in family.issuers]
        subject_zh, subject_en = rng.choice(SUBJECTS)
        english = [b.short("en") for b in issuers]
        title = (f"{' '.join(b.short('zh') for b in issuers)}关于{subject_zh}的{genre_zh}（{number_zh}，合成）",
                 f"{genre_en} of {', '.join(english[:-1]) + ' and ' if english[:-1] else ''}{english[-1]} "
                 f"on {subject_en} ({number_en}, synthetic)")
        issued = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 25):02d}"  # room for a later disagreeing date
        targets = [self.agreements.draw(rng)] if rng.random() < AGREEMENT_SHARE else []
        iri = f"doc:{numbering.code}-{year}-{number}"
        return self._entity(made, index, iri, number_zh, title, issued, family.issuers, places, targets,
                            f"{numbering.code}{year}-{number}-")

    def _entity(self, made: TurtleFile, index: int, iri: str, number: str, title: tuple[str, str], issued: str,
                issuers: tuple[str, ...], places: list[str], targets: list[Named], row_prefix: str) -> Document:
        issuer_names = [self.bodies[b].short("zh") for b in issuers]
        line = made.line(f"{number}《{title[0]}》｜发文机关：{'、'.join(issuer_names)}"
                         f"｜印发日期：{date_zh(issued)}｜适用于：{'、'.join(self.place_names[p] for p in places) or '—'}"
                         f"｜对接：{'、'.join(name for _t, name in targets) or '—'}")
        dates = [date(issued)]
        if index % DISAGREEMENT_EVERY == 1:  # a second date, only claimed: one ftz:issuedOn per document
            dates.append(date(f"{issued[:8]}{int(issued[8:]) + self.rng.randint(1, 3):02d}"))
        made.entity(iri, [
            ("a", ["ftz:PolicyDocument"]), ("skos:prefLabel", [zh(title[0]), en(title[1])]), ("ftz:labelBasis", [en("translated")]),
            ("ftz:documentNumber", [text(number)]),
            ("ftz:issuedOn", dates[:1]), ("ftz:issuedBy", list(issuers)), ("ftz:appliesTo", places),
            ("ftz:alignsWith", [t for t, _name in targets]),
        ])
        for body, name in zip(issuers, issuer_names):
            self.out.evidence(made, iri, "ftz:issuedBy", body, line, name)
        for place in places:
            self.out.evidence(made, iri, "ftz:appliesTo", place, line, self.place_names[place])
        for target, name in targets:
            self.out.evidence(made, iri, "ftz:alignsWith", target, line, name)
        if len(dates) > 1:
            self._disagreement(made, iri, number, dates, line)
        return Document(iri, number, title, issued, list(zip(issuers, issuer_names)),
                        [(p, self.place_names[p]) for p in places], row_prefix)

    def _year(self, earliest: int) -> int:
        years = [y for y in self.world.years if y >= earliest] or [self.world.years[-1]]
        return self.rng.choices(years, weights=[y - self.world.years[0] + 1 for y in years])[0]  # more in later years

    def _numbering(self, family: Family) -> Numbering:
        """One of the family's real 文号 families, or one named after its issuers if it has none."""
        if family.numberings:
            return Weighted(family.numberings, [n.documents for n in family.numberings]).draw(self.rng)
        issuers = [self.bodies[b] for b in family.issuers]
        code = "-".join(b.local for b in issuers)
        return Numbering(code, "".join(b.short("zh") for b in issuers) + ("联发" if len(issuers) > 1 else "发"), False, 0)

    def _disagreement(self, made: TurtleFile, iri: str, number: str, dates: list[str], line: int) -> None:
        second_line = made.line(f"{number} 另见：该文件于{date_zh(dates[1][1:11])}印发。")
        claims = [self.out.stated(made, iri, "ftz:issuedOn", value, cited, date_zh(value[1:11]))
                  for value, cited in zip(dates, (line, second_line))]
        local = iri.split(":", 1)[1]
        made.entity(f"dis:syn-{local}-date", [
            ("a", ["ftz:Disagreement"]),
            ("skos:prefLabel", [zh(f"{number}印发日期不一致"), en(f"Conflicting dates of issue for {local}")]),
            ("ftz:about", [iri]), ("ftz:onProperty", ["ftz:issuedOn"]), ("ftz:claim", claims),
            ("rdfs:comment", [en("Synthetic: two lines of the source give different dates of issue.")]),
        ])
        self.disagreements += 1
