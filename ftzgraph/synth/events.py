"""Chronicle events (大事记) in the shape of data/events-*.ttl: the issue of a document, on its
date, involving its issuers, the document and the places it applies to, each with evidence.

The first events are the issues of the first documents (the real one the named queries
default to, then one per family of issuers), as many as the measures call for, and at least one.
"""

from __future__ import annotations

from ftzgraph.synth.documents import Document
from ftzgraph.synth.draws import scaled
from ftzgraph.synth.world import World
from ftzgraph.synth.writer import Output, TurtleFile, date, date_zh, en, zh


def write_events(out: Output, world: World, documents: list[Document], measures: int) -> int:
    """Writes events.ttl; how many events it holds."""
    made = out.new_file("events")
    count = min(len(documents), max(1, scaled(world.real.events, world.real.measures, measures)))
    english = {body.iri: body.short("en") for body in world.bodies}
    for index, document in enumerate(documents[:count], 1):
        _event(out, made, f"event:syn-{index:06d}", document, english)
    out.finish(made)
    return count


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
