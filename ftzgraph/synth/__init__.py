"""Synthetic graphs in the exact shape of the shipped one, for benchmarks and scale tests.

    counts = generate(measures=30_000, seed=1, out_dir=Path("synth"))
    # then: ftzgraph --data synth query zones

The folder gets zones.ttl, bodies.ttl, concepts.ttl, agreements.ttl, documents.ttl,
measures-000.ttl …, figures.ttl, events.ttl, proposals.ttl and sources.ttl with
sources/*.txt.  The fixed world (zones, sub-areas, bodies, agreements with their chapters
and articles, concept schemes with the indicators and units) is read from the shipped
graph (world.py), with its real IRIs, names and facts, so the named queries' default
parameters find something; documents, measures, figures (in the shape of the real ones),
events, proposals and the articles of chapters whose text the graph lacks are invented.  Every core statement has one ftz:Evidence whose quote stands in
the cited line of a synthetic source text, so ``ftzgraph validate`` can check them.
Zones and bodies are drawn from power laws over their real ranks (a few bodies lead most
measures, a few zones pilot most).  The same arguments give byte-identical files, and
the folder appears only once complete (writer.staged).

Modules: world (the fixed world, from the shipped graph), draws (the random draws),
writer (Turtle, files and the folder), fixed (the world as Turtle), documents, measures,
figures, events and proposals (the invented part).
"""

from __future__ import annotations

import random
from pathlib import Path

from ftzgraph.synth import world as shipped
from ftzgraph.synth.documents import DocumentWriter
from ftzgraph.synth.draws import Draws, Weighted
from ftzgraph.synth.events import write_events
from ftzgraph.synth.figures import FigureWriter
from ftzgraph.synth.fixed import write_agreements, write_bodies, write_concepts, write_zones
from ftzgraph.synth.measures import MEASURES_PER_FILE, MeasureWriter
from ftzgraph.synth.proposals import write_proposals
from ftzgraph.synth.writer import MARKER, Output, staged

__all__ = ["MARKER", "MEASURES_PER_FILE", "generate"]


def generate(measures: int, seed: int, out_dir: Path) -> dict:
    """Write a synthetic graph of `measures` measures into out_dir; the counts of what was written.

    out_dir must be absent, empty or an earlier synthetic graph (which is replaced once the
    new one is complete); any other folder is refused with FileExistsError.
    """
    if measures < 1:
        raise ValueError("measures must be at least 1")
    out_dir = Path(out_dir)
    with staged(out_dir) as folder:
        world = shipped.load()
        rng = random.Random(seed)
        out = Output(folder, seed, rng)
        places = write_zones(out, world)
        write_bodies(out, world)
        write_concepts(out, world)
        articles, provisions = write_agreements(out, world, rng)
        aligned = [a for a in world.agreements if a.alignments]
        agreements = Weighted([(a.iri, a.acronym) for a in aligned], [a.alignments for a in aligned])
        documents = DocumentWriter(out, world, places, agreements, rng)
        listed = documents.write(measures)
        draws = Draws(rng, places.ranked, [(b.iri, b.short("zh")) for b in world.leaders], agreements, articles)
        MeasureWriter(out, world, places, listed, draws, rng).write(measures)
        figures, figure_disagreements = FigureWriter(out, world, places, rng).write(measures)
        events = write_events(out, world, listed, measures)
        proposals = write_proposals(out, world, draws, rng, measures)
        out.sources_file()
        out.marker(measures)
    return {
        "zones": len(world.zones),
        "subareas": sum(len(z.subareas) for z in world.zones),
        "bodies": len(world.bodies),
        "agreements": len(world.agreements),
        "provisions": provisions,
        "documents": len(listed),
        "disagreements": documents.disagreements + figure_disagreements,
        "measures": measures,
        "observations": figures,
        "events": events,
        "proposals": proposals,
        "evidence": out.evidence_count,
        "files": out.files + 1,  # and the marker
        "triples": out.triples,
        "bytes": out.bytes,
    }
