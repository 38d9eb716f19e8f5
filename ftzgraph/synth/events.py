"""Chronicle events (大事记) in the shape of data/events-*.ttl: mostly the issue of a document, on
its date, involving its issuers, the document and the places it applies to; and, as the shipped
chronicles also record events that issue nothing (14 of 54: an inauguration, a forum, a meeting),
every fourth event a zone's meeting with its provincial government.  Each with evidence.

The first events are the issues of the first documents (the real one the named queries
default to, then one per family of issuers), as many as the measures call for, and at least one.
"""

from __future__ import annotations

from ftzgraph.synth.documents import Document
from ftzgraph.synth.draws import scaled
from ftzgraph.synth.world import World
from ftzgraph.synth.writer import Output, TurtleFile, date, date_zh, en, zh


MEETING_EVERY = 4


def write_events(out: Output, world: World, documents: list[Document], measures: int) -> int:
    """Writes events.ttl; how many events it holds."""
    made = out.new_file("events")
    count = min(len(documents), max(1, scaled(world.real.events, world.real.measures, measures)))
    english = {body.iri: body.short("en") for body in world.bodies}
    issued = iter(documents)
    for index in range(1, count + 1):
        if index % MEETING_EVERY == 0:
            _meeting(out, made, f"event:syn-{index:06d}", world)
        else:
            _event(out, made, f"event:syn-{index:06d}", next(issued), english)
    out.finish(made)
    return count


def _meeting(out: Output, made: TurtleFile, iri: str, world: World) -> None:
    zone = out.rng.choice(world.zones)
    year = out.rng.randint(max(zone.opened, world.years.start), max(zone.opened, world.years.stop - 1))
    day = f"{year}-{out.rng.randint(1, 12):02d}-{out.rng.randint(1, 28):02d}"
    government = zone.government
    line = made.line(f"{date_zh(day)} {zone.short('zh')}召开建设工作推进会"
                     + (f"，{government.short('zh')}出席。" if government else "。"))
    made.entity(iri, [
        ("a", ["ftz:Event"]),
        ("skos:prefLabel", [zh(f"{zone.short('zh')}召开建设工作推进会（合成事件）"),
                            en(f"{zone.short('en')} holds a work meeting on the zone's development (synthetic event)")]),
        ("ftz:eventDate", [date(day)]),
        ("ftz:involves", [zone.iri] + ([government.iri] if government else [])),
    ])
    out.evidence(made, iri, "ftz:eventDate", date(day), line, date_zh(day))
    out.evidence(made, iri, "ftz:involves", zone.iri, line, zone.short("zh"))
    if government:
        out.evidence(made, iri, "ftz:involves", government.iri, line, government.short("zh"))


def _event(out: Output, made: TurtleFile, iri: str, document: Document, english: dict[str, str]) -> None:
    issuers = "、".join(name for _body, name in document.issuers)
    places = "、".join(name for _place, name in document.places)
    line = made.line(f"{date_zh(document.issued)} {issuers}印发《{document.title[0]}》（{document.number}）"
                     + (f"，适用于{places}。" if places else "。"))
    issuers_en = ", ".join(english[body] for body, _name in document.issuers)
    made.entity(iri, [
        ("a", ["ftz:Event"]),
        ("skos:prefLabel", [zh(f"{issuers}印发《{document.title[0]}》（合成事件）"),
                            en(f"{issuers_en} issue the {document.title[1]} (synthetic event)")]),
        ("ftz:eventDate", [date(document.issued)]),
        ("ftz:involves", [body for body, _name in document.issuers] + [document.iri] + [place for place, _name in document.places]),
    ])
    out.evidence(made, iri, "ftz:eventDate", date(document.issued), line, date_zh(document.issued))
    for involved, quote in [*document.issuers, (document.iri, document.number), *document.places]:
        out.evidence(made, iri, "ftz:involves", involved, line, quote)
