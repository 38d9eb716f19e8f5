"""Positions for every view, computed before the page is written so it is drawn at once.

Each view kind has its own layout: a seeded force layout (zone, body, overview and custom
views; near-linear for large ones), a radial tree (agreement → chapter → article, and
traces from their root), geography (the map) and years (the timeline).  All of them are
deterministic: the same view gives the same positions.
"""

from __future__ import annotations

import math
from collections import defaultdict

SEED = 42
LARGE = 500  # above this many nodes the force layout places hubs only (see precomputed_layout)
HUBS = 150  # nodes placed by the force layout in a large view; the rest join them
SPACING = 28.0  # pixels between neighbouring nodes in a precomputed layout
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
ARC_ROUNDS = 12  # rounds that settle the weights of nodes given an arc (radial_tree)


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


def force(nodes: list[str], pairs: list[tuple[str, str]], centre: str | None = None, seed: int = SEED) -> dict[str, list[int]]:
    """A seeded spring layout, with ``centre`` (the view's focus) held in the middle.  Each
    connected part is laid out alone and the parts are packed in rows, biggest first: a spring
    layout of disconnected parts flings them to the corners and leaves them tiny."""
    import networkx as nx

    if len(nodes) > LARGE:
        return precomputed_layout(nodes, pairs, seed)
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(pairs)
    parts = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    laid = [_spring(_ordered(g, part), centre, seed) for part in parts]
    return _pack(laid)


def _ordered(g, part: list[str]):
    """The part as a graph of its own with nodes in sorted order (a networkx subgraph view can
    iterate in set order, which changes with Python's hash seed, and so would the layout)."""
    import networkx as nx

    sub = nx.Graph()
    sub.add_nodes_from(part)
    sub.add_edges_from(sorted((a, b) for a in part for b in g[a] if a < b))
    return sub


def _spring(g, centre: str | None, seed: int) -> dict[str, tuple[float, float]]:
    import networkx as nx

    if len(g) == 1:
        return {next(iter(g)): (0.0, 0.0)}
    held = {"pos": {centre: (0.0, 0.0)}, "fixed": [centre]} if centre in g else {}
    # k a little above networkx's default 1/sqrt(n) spreads leaves so their labels have room.
    raw = nx.spring_layout(g, k=1.8 / math.sqrt(len(g)), iterations=150, seed=seed, **held)
    return _scaled(raw, SPACING * 2.6 * math.sqrt(len(g)))


def _pack(laid: list[dict]) -> dict[str, list[int]]:
    """Parts side by side in rows about 16:9 wide, each in a box of its own extent."""
    if not laid:
        return {}
    boxes = []
    for part in laid:
        xs = [x for x, _ in part.values()]
        ys = [y for _, y in part.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + 2 * SPACING * 3, max(ys) - min(ys) + 2 * SPACING * 3))
    row_width = max(max(b[2] for b in boxes), math.sqrt(sum(b[2] * b[3] for b in boxes) * 16 / 9))
    placed: dict[str, list[int]] = {}
    x = y = row_height = 0.0
    for part, (left, top, width, height) in zip(laid, boxes):
        if x and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in part.items():
            placed[node] = [round(x + px - left + SPACING * 3), round(y + py - top + SPACING * 3)]
        x += width
        row_height = max(row_height, height)
    return placed


def radial_tree(root: str, nodes: list[str], pairs: list[tuple[str, str]], ring: float = 260.0,
                arcs: dict[str, float] | None = None) -> dict[str, list[int]]:
    """A tree in rings: the root in the middle, each breadth-first level on the next ring, every
    subtree given an angle in proportion to its leaves, so branches never cross.  ``arcs`` gives
    some nodes the length of ring they need at least, so that siblings whose labels must show
    stand apart; a node short of it counts as as many leaves as it takes."""
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        neighbours[a].append(b)
        neighbours[b].append(a)
    children: dict[str, list[str]] = defaultdict(list)
    depth = {root: 0}
    frontier = [root]
    while frontier:
        following = []
        for node in frontier:
            for nb in sorted(set(neighbours[node])):
                if nb not in depth:
                    depth[nb] = depth[node] + 1
                    children[node].append(nb)
                    following.append(nb)
        frontier = following
    # Nodes the root does not reach go on an outer ring of their own.
    stray = sorted(n for n in nodes if n not in depth)
    outer = max(depth.values()) + 1
    for node in stray:
        depth[node] = outer
        children[root].append(node)
    leaves: dict[str, float] = {}
    weight: dict[str, float] = {}

    def count(node: str) -> float:
        leaves[node] = max(sum(count(c) for c in children[node]), weight.get(node, 1.0))
        return leaves[node]

    # A node's share of the circle depends on the total, which its weight changes: a few rounds settle it.
    wanted = {node: arc / (ring * depth[node]) / (2 * math.pi) for node, arc in sorted((arcs or {}).items()) if depth.get(node)}
    for _ in range(ARC_ROUNDS if wanted else 0):
        total = count(root)
        weight.update({node: max(1.0, fraction * total) for node, fraction in wanted.items()})
    count(root)
    placed = {root: [0, 0]}
    stack = [(root, 0.0, 2 * math.pi)]
    while stack:
        node, start, span = stack.pop()
        for child in children[node]:
            share = span * leaves[child] / leaves[node]
            angle = start + share / 2
            radius = ring * depth[child]
            placed[child] = [round(radius * math.cos(angle)), round(radius * math.sin(angle))]
            stack.append((child, start, share))
            start += share
    return placed


def spread_apart(positions: dict[str, tuple[float, float]], gap: float = 46.0, rounds: int = 60) -> dict[str, list[int]]:
    """Nudge points that sit on top of each other (sub-areas of one city) until ``gap`` apart,
    moving each as little as it can: geography stays recognisable."""
    points = {n: list(p) for n, p in sorted(positions.items())}
    names = list(points)
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                dx, dy = points[b][0] - points[a][0], points[b][1] - points[a][1]
                distance = math.hypot(dx, dy)
                if distance < gap:
                    if distance < 1e-6:  # the same spot: part along a fixed, name-ordered direction
                        dx, dy, distance = math.cos(i), math.sin(i), 1.0
                    push = (gap - distance) / 2 / distance
                    points[a][0] -= dx * push
                    points[a][1] -= dy * push
                    points[b][0] += dx * push
                    points[b][1] += dy * push
                    moved = True
        if not moved:
            break
    return {n: [round(x), round(y)] for n, (x, y) in points.items()}


def around(centre: list[int], members: list[str], spacing: float = 34.0,
           occupied: list[list[int]] = ()) -> dict[str, list[int]]:
    """Members of a group, in a sunflower around where the group's node stands; a spot closer than
    ``spacing`` to an ``occupied`` one (a node that stays in view when the group opens) is skipped."""
    placed = {}
    slot = 0
    for node in members:
        while True:
            radius = spacing * math.sqrt(slot + 1)
            spot = [round(centre[0] + radius * math.cos(slot * GOLDEN_ANGLE)), round(centre[1] + radius * math.sin(slot * GOLDEN_ANGLE))]
            slot += 1
            if all(math.hypot(spot[0] - x, spot[1] - y) >= spacing for x, y in occupied):
                break
        placed[node] = spot
    return placed


def _scaled(raw: dict, spread: float) -> dict[str, list[int]]:
    extent = max((math.hypot(x, y) for x, y in raw.values()), default=0.0) or 1.0
    return {n: [round(x / extent * spread), round(y / extent * spread)] for n, (x, y) in raw.items()}
