"""Positions for views too large for the browser's physics, computed in near-linear time."""

from __future__ import annotations

import math
from collections import defaultdict

SEED = 42
HUBS = 150  # nodes placed by the force layout in a large view; the rest join them
SPACING = 28.0  # pixels between neighbouring nodes in a precomputed layout
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def precomputed_layout(nodes: list[str], pairs: list[tuple[str, str]], seed: int = SEED) -> dict[str, list[int]]:
    """Positions for a view too large for in-browser physics, in near-linear time.

    A force layout of every node is quadratic (minutes at 10,000 nodes), so networkx's
    seeded spring layout places only the hubs; every other node then joins a sunflower
    around the centre of its already placed neighbours, breadth first from the hubs.
    """
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(pairs)
    hubs = _hubs(g)
    spread = SPACING * math.sqrt(len(g))
    placed = {n: (x * spread, y * spread) for n, (x, y) in nx.spring_layout(_skeleton(g, hubs), seed=seed).items()}
    frontier = sorted(hubs)
    while frontier:
        groups: dict[tuple, list[str]] = defaultdict(list)
        for node in sorted({nb for n in frontier for nb in g[n] if nb not in placed}):
            groups[tuple(sorted(nb for nb in g[node] if nb in placed))].append(node)
        for anchors, members in sorted(groups.items()):
            _sunflower(placed, anchors, members)
        frontier = [m for members in groups.values() for m in members]
    return {n: [round(x), round(y)] for n, (x, y) in placed.items()}


def _hubs(g) -> set:
    """The best-connected nodes, and the best-connected node of every component without one."""
    import networkx as nx

    rank = sorted(g, key=lambda n: (-g.degree(n), n))
    hubs = set(rank[:HUBS])
    for component in nx.connected_components(g):
        if not component & hubs:
            hubs.add(min(component, key=lambda n: (-g.degree(n), n)))
    return hubs


def _skeleton(g, hubs: set):
    """The hubs, joined where they share a neighbour, so the spring layout sees the structure."""
    import networkx as nx

    skeleton = nx.Graph()
    skeleton.add_nodes_from(sorted(hubs))
    for node in sorted(g):
        linked = sorted(nb for nb in g[node] if nb in hubs)
        if node in hubs:
            skeleton.add_edges_from((node, nb) for nb in linked)
        else:  # a chain, not a clique: linear in the neighbours
            skeleton.add_edges_from(zip(linked, linked[1:]))
    return skeleton


def _sunflower(placed: dict, anchors: tuple, members: list[str]) -> None:
    cx = sum(placed[a][0] for a in anchors) / len(anchors)
    cy = sum(placed[a][1] for a in anchors) / len(anchors)
    for i, node in enumerate(members):
        radius = SPACING * math.sqrt(i + 2)  # + 2 keeps the first member off the anchor
        placed[node] = (cx + radius * math.cos(i * GOLDEN_ANGLE), cy + radius * math.sin(i * GOLDEN_ANGLE))
