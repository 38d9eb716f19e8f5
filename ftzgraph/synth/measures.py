"""Invented measures, one Turtle file per MEASURES_PER_FILE, each statement with its evidence."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ftzgraph.synth.documents import Document
from ftzgraph.synth.draws import Draws, Weighted
from ftzgraph.synth.fixed import Places
from ftzgraph.synth.world import World
from ftzgraph.synth.writer import Output, TurtleFile, en, zh

MEASURES_PER_FILE = 5000  # one measures-NNN.ttl per this many: a progress bar by file moves


@dataclass(frozen=True)
class Kind:
    """A class of measure: its share of measures, the chance of being listed in a document,
    of lead bodies (and how many), of pilot places (and how many), of aligning with a rule."""

    name: str
    share: int
    listed: float
    lead: float
    leads: int
    piloted: float
    places: int
    aligned: float


KINDS = [
    Kind("PilotMeasure", 10, 1.0, 1.0, 3, 0.2, 1, 0.85),
    Kind("BestPracticeCase", 10, 1.0, 0.3, 1, 1.0, 2, 0.05),
    Kind("ReformPilotExperience", 25, 0.85, 1.0, 2, 0.5, 3, 0.05),
    Kind("ZoneInnovation", 54, 0.1, 0.1, 1, 1.0, 2, 0.05),
    Kind("ProgrammeInnovation", 1, 0.0, 0.2, 1, 0.0, 1, 0.1),  # credited to the zones as a whole: no place
]
# Topics (zh, en) of invented measures by policy field; a field not named here lends its own label.
TOPICS = {
    "field-trade": [("跨境贸易", "Cross-border trade"), ("通关", "Customs clearance"), ("国际贸易“单一窗口”", "International trade single window"),
                    ("保税维修", "Bonded maintenance"), ("转口贸易", "Entrepôt trade"), ("跨境电商", "Cross-border e-commerce")],
    "field-investment": [("外商投资准入", "Foreign investment access"), ("企业开办", "Business start-up"),
                         ("投资项目审批", "Investment project approval"), ("境外投资备案", "Outbound investment filing")],
    "field-finance": [("跨境资金池", "Cross-border cash pooling"), ("本外币一体化账户", "Integrated currency accounts"),
                      ("融资租赁", "Financial leasing"), ("跨境人民币结算", "Cross-border RMB settlement")],
    "field-supervision": [("信用监管", "Credit-based supervision"), ("包容审慎监管", "Inclusive and prudent supervision"), ("风险防控", "Risk prevention")],
    "field-government-functions": [("证照分离", "Separation of permits and licences"), ("一网通办", "One-stop online services"),
                                   ("告知承诺制", "Notification and commitment")],
    "field-tax": [("出口退税", "Export tax rebates"), ("电子发票", "Electronic invoices"), ("离境退税", "Departure tax refunds")],
    "field-mobility": [("外籍人才签证", "Visas for foreign talent"), ("跨境执业", "Cross-border professional practice"),
                       ("职业资格互认", "Mutual recognition of qualifications")],
    "field-digital": [("数据跨境流动", "Cross-border data flows"), ("数字身份认证", "Digital identity authentication"), ("无纸化贸易", "Paperless trade")],
    "field-industry": [("生物医药研发", "Biomedical R&D"), ("集成电路", "Integrated circuits"), ("航运服务", "Shipping services")],
    "field-ip": [("知识产权保护", "Intellectual property protection"), ("专利快速审查", "Fast-track patent examination")],
    "field-judicial": [("国际商事仲裁", "International commercial arbitration"), ("商事调解", "Commercial mediation")],
    "field-environment": [("碳排放权交易", "Carbon emissions trading"), ("生态环境监管", "Environmental supervision")],
}
ACTIONS = [("试点", "pilot"), ("改革", "reform"), ("便利化措施", "facilitation measure"), ("监管创新", "supervision innovation"), ("服务模式", "service model")]


class MeasureWriter:
    """Writes measures-NNN.ttl: the first document's rows, then measures of drawn kinds."""

    def __init__(self, out: Output, world: World, places: Places, documents: list[Document], draws: Draws, rng: random.Random):
        self.out, self.world, self.places, self.documents, self.draws, self.rng = out, world, places, documents, draws, rng
        self.kinds = Weighted(KINDS, [k.share for k in KINDS])
        fields = [c for c in world.concepts["ftz:policyField"] if c.uses]
        self.fields = Weighted(fields, [c.uses for c in fields])
        self.concept_names = {c.iri: c.label("zh") for found in world.concepts.values() for c in found}
        spreads = {key: Weighted([c for c, _n in pairs], [n for _c, n in pairs]) for key, pairs in world.kind_concepts.items()}
        # per kind: scopes and batches as its real measures have them (a None among them: some have none)
        self.scopes_batches = {k.name: [spreads.get((f"ftz:{k.name}", p)) for p in ("ftz:replicationScope", "ftz:replicationBatch")]
                               for k in KINDS}
        listing = documents[1:]  # the first document lists exactly its real number of rows
        self.listing = Weighted(listing, [rng.lognormvariate(0, 1) for _ in listing])

    def write(self, measures: int) -> None:
        for start in range(0, measures, MEASURES_PER_FILE):
            made = self.out.new_file(f"measures-{start // MEASURES_PER_FILE:03d}")
            for i in range(start, min(start + MEASURES_PER_FILE, measures)):
                self._measure(made, i)
            self.out.finish(made)

    def _measure(self, made: TurtleFile, i: int) -> None:
        rng, draws = self.rng, self.draws
        first = i < self.world.first_document.rows
        kind = KINDS[0] if first else self.kinds.draw(rng)
        field = self.fields.draw(rng)
        topic_zh, topic_en = rng.choice(TOPICS.get(field.local, [(field.label("zh"), field.label("en"))]))
        action_zh, action_en = rng.choice(ACTIONS)
        document = self.documents[0] if first else (self.listing.draw(rng) if rng.random() < kind.listed else None)
        if document:
            document.rows += 1
            iri = f"measure:{document.row_prefix}{document.rows:02d}"
        else:
            iri = f"measure:syn-inn-{i:06d}"
        places = draws.zones(rng.randint(1, kind.places)) if rng.random() < kind.piloted else []
        if kind.name == "ZoneInnovation":  # led, if at all, by the provincial government
            government = self.places.government.get(places[0][0]) if places else None
            leads = [government] if government and rng.random() < kind.lead else []
        else:
            leads = draws.bodies(rng.randint(1, kind.leads)) if rng.random() < kind.lead else []
        targets = draws.targets(rng.randint(1, 2)) if rng.random() < kind.aligned else []
        scope, batch = (spread.draw(rng) if spread else None for spread in self.scopes_batches[kind.name])
        label_zh = f"{topic_zh}{action_zh}（合成第{i:06d}号）"
        line = made.line(f"{document.rows if document else '—'} {label_zh}｜牵头：{'、'.join(name for _b, name in leads) or '—'}"
                         f"｜试点：{'、'.join(p[1] for p in places) or '—'}｜载于：{document.number if document else '—'}"
                         f"｜范围：{self.concept_names[scope] if scope else '—'}｜对接：{'、'.join(t[1] for t in targets) or '—'}")
        made.entity(iri, [
            ("a", [f"ftz:{kind.name}"]),
            ("skos:prefLabel", [zh(label_zh), en(f"{topic_en} {action_en} (synthetic no. {i:06d})")]),
            ("ftz:labelBasis", [en("translated")]),
            ("ftz:rowNumber", [str(document.rows)] if document else []),
            ("ftz:leadBody", [b for b, _name in leads]),
            ("ftz:pilotedIn", [p for p, _name in places]),
            ("ftz:listedIn", [document.iri] if document else []),
            ("ftz:replicationScope", [scope] if scope else []),
            ("ftz:policyField", [field.iri]),
            ("ftz:replicationBatch", [batch] if batch else []),
            ("ftz:year", [f'"{document.year}"^^xsd:gYear'] if document else []),
            ("ftz:alignsWith", [t for t, _name in targets]),
        ])
        for body, name in leads:
            self.out.evidence(made, iri, "ftz:leadBody", body, line, name)
        for place, name in places:
            self.out.evidence(made, iri, "ftz:pilotedIn", place, line, name)
        if document:
            self.out.evidence(made, iri, "ftz:listedIn", document.iri, line, document.number)
        for target, name in targets:
            self.out.evidence(made, iri, "ftz:alignsWith", target, line, name)
