"""The fixed world as Turtle: zones and sub-areas, bodies, concepts, agreements and provisions.

Everything here carries its real IRI, labels and facts (see world.py), except the
articles invented for chapters whose text the shipped graph lacks: their IRIs
(provision:synthetic-…) cannot be a real provision's and their labels say they are synthetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ftzgraph.synth.draws import Named
from ftzgraph.synth.world import Agreement, Entity, Provision, World
from ftzgraph.synth.writer import Output, TurtleFile, date, date_zh, literal

ARTICLES_PER_CHAPTER = (3, 6)  # invented articles per chapter or module without real ones
# Chapters whose title contains one of these are procedural and never get aligned measures.
PROCEDURAL = ("Initial Provisions", "Final Provisions", "Dispute Settlement", "Exceptions", "Institutional", "Joint Committee")


@dataclass
class Places:
    """What the invented documents and measures need to know about the zones."""

    ranked: list[list[Named]] = field(default_factory=list)  # per zone rank: the zone, then its sub-areas
    opened: dict[str, int] = field(default_factory=dict)  # place -> year its zone's plan was approved
    government: dict[str, Named] = field(default_factory=dict)  # place -> its provincial government


def labels(entity: Entity) -> list[tuple[str, list[str]]]:
    return [("skos:prefLabel", [literal(*label) for label in entity.labels]),
            ("skos:altLabel", [literal(*label) for label in entity.alt_labels])]


def write_zones(out: Output, world: World) -> Places:
    made, places = out.new_file("zones"), Places()
    written_provinces: set[str] = set()
    for zone in world.zones:
        subareas = "、".join(s.label("zh") for s in zone.subareas)
        line = made.line(f"{zone.label('zh')}：总体方案于{date_zh(zone.approved)}批复"
                         + (f"，包括{subareas}。" if subareas else "。"))
        if zone.province and zone.province.iri not in written_provinces:
            written_provinces.add(zone.province.iri)
            made.entity(zone.province.iri, [("a", ["ftz:Province"]), *labels(zone.province)])
        made.entity(zone.iri, [
            ("a", [zone.kind]), *labels(zone),
            ("ftz:province", [zone.province.iri] if zone.province else []),
            ("ftz:approvedOn", [date(zone.approved)]),
            ("ftz:inauguratedOn", [date(zone.inaugurated)] if zone.inaugurated else []),
            ("ftz:establishmentBatch", list(zone.batches)),
        ])
        out.evidence(made, zone.iri, "ftz:approvedOn", date(zone.approved), line, date_zh(zone.approved))
        ranked = [(zone.iri, zone.label("zh"))]
        for subarea in zone.subareas:
            made.entity(subarea.iri, [("a", ["ftz:SubArea"]), *labels(subarea), ("ftz:subAreaOf", [zone.iri]),
                                      ("ftz:function", [literal(*f) for f in subarea.functions])])
            out.evidence(made, subarea.iri, "ftz:subAreaOf", zone.iri, line, subarea.label("zh"))
            ranked.append((subarea.iri, subarea.label("zh")))
        places.ranked.append(ranked)
        for place, _name in ranked:
            places.opened[place] = zone.opened
            if zone.government:
                places.government[place] = (zone.government.iri, zone.government.short("zh"))
    out.finish(made)
    return places


def write_bodies(out: Output, world: World) -> None:
    made = out.new_file("bodies")
    for body in world.bodies:
        made.entity(body.iri, [("a", ["ftz:GovernmentBody", "org:Organization"]), *labels(body),
                               ("org:subOrganizationOf", list(body.parents))])
    out.finish(made)


def write_concepts(out: Output, world: World) -> None:
    made = out.new_file("concepts")
    for scheme in world.schemes:
        made.entity(scheme.iri, [("a", ["skos:ConceptScheme"]), *labels(scheme)])
    for concept in sorted((c for found in world.concepts.values() for c in found), key=lambda c: c.iri):
        made.entity(concept.iri, [("a", ["skos:Concept"]), ("skos:inScheme", [concept.scheme]), *labels(concept)])
    out.finish(made)


def write_agreements(out: Output, world: World, rng: random.Random) -> tuple[dict[str, list[Named]], int]:
    """The agreements with their real provisions, and invented articles in chapters that have
    none (the shipped graph holds the articles of CPTPP, not of DEPA or RCEP); per agreement the
    articles measures may align with, shuffled (the first ones draw the most), and how many
    provisions were written."""
    made = out.new_file("agreements")
    alignable: dict[str, list[Named]] = {}
    provisions = 0
    for agreement in world.agreements:
        made.entity(agreement.iri, [("a", ["ftz:Agreement"]), *labels(agreement)])
        alignable[agreement.iri] = []
        for chapter in agreement.chapters:
            parts = _real_parts(chapter) or _invented_articles(agreement, chapter, rng)
            for provision in [chapter, *parts]:
                _provision(out, made, provision)
            provisions += 1 + len(parts)
            if not any(word in chapter.label("en") for word in PROCEDURAL):
                alignable[agreement.iri] += [(part.iri, part.label("zh")) for part in parts]
        rng.shuffle(alignable[agreement.iri])
    out.finish(made)
    return alignable, provisions


def _real_parts(provision: Provision) -> list[Provision]:
    return [found for part in provision.parts for found in (part, *_real_parts(part))]


def _invented_articles(agreement: Agreement, chapter: Provision, rng: random.Random) -> list[Provision]:
    """Articles numbered 1, 2, … in the chapter, with IRIs and labels that say they are invented."""
    acronym = agreement.acronym
    numbers = (f"{chapter.number}.{n}" for n in range(1, rng.randint(*ARTICLES_PER_CHAPTER) + 1))
    return [Provision(iri=f"provision:synthetic-{agreement.local}-{number}", parent=chapter.iri, number=number, kind="article",
                      labels=((f"{acronym}第{number}条（合成）", "zh"), (f"{acronym} Article {number} (synthetic)", "en")),
                      alt_labels=())
            for number in numbers]


def _provision(out: Output, made: TurtleFile, provision: Provision) -> None:
    made.entity(provision.iri, [
        ("a", ["ftz:Provision"]), *labels(provision), ("ftz:partOf", [provision.parent]),
        ("ftz:provisionNumber", [literal(provision.number)] if provision.number else []),
        ("ftz:provisionKind", [literal(provision.kind)]),
    ])
    out.curated(made, provision.iri, "ftz:partOf", provision.parent, "Synthetic agreement text")

