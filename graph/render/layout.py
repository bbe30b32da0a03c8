"""Positions for large views, from igraph's grid Fruchterman-Reingold layout.

Large views (more than :data:`graph.render.LAYOUT_THRESHOLD` entities) get
positions in Python, straight edges and no physics, so that the browser draws
them at once. igraph is imported inside the function.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx


def compute_layout(
    G: nx.MultiDiGraph, *, seed: int = 0, iterations: int = 300
) -> dict[str, tuple[float, float]]:
    """Positions for every node, from igraph's grid Fruchterman-Reingold layout (C).

    Parameters
    ----------
    G : nx.MultiDiGraph
        The view to lay out; edge direction and multiplicity are ignored.
    seed : int
        Same seed, same layout.
    iterations : int
        Fruchterman-Reingold iterations.

    Returns
    -------
    dict
        ``{node: (x, y)}`` in screen pixels, about 40 px apart on average; the
        largest component first, smaller ones and lone entities packed in rows
        after it, each keeping its shape.

    Notes
    -----
    Measured at 5,000 nodes / 10,000 edges on two cores: this layout 0.4 s,
    igraph DrL 9.9 s, ``layout_auto`` (DrL at that size) 8.9 s, Fruchterman-Reingold
    without the grid 33 s, networkx ``spring_layout`` about 46 s
    (``benchmarks/bench_explorer.py`` repeats the comparison with networkx).
    """
    import igraph as ig

    nodes = list(G.nodes)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    edges = {(index[u], index[v]) for u, v in G.edges() if u != v}
    graph = ig.Graph(n=len(nodes), edges=sorted(edges))
    # igraph draws its random starting positions from a process-wide generator;
    # swap in a seeded one and always put the default back.
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = graph.layout_fruchterman_reingold(niter=iterations, grid=True).coords
    finally:
        ig.set_random_number_generator(random)
    # Force layouts fling small components and lone entities to the rim, and a
    # view scaled to fit them squeezes the main component into a ball. Keep each
    # component's own shape, at one scale, and pack them in rows instead.
    components = sorted(graph.connected_components(), key=lambda c: (-len(c), c[0]))
    main = components[0]
    span = (
        max(max(coords[i][d] for i in main) - min(coords[i][d] for i in main) for d in (0, 1))
        or 1.0
    )
    scale = 40.0 * math.sqrt(len(main)) / span
    boxes = []
    for members in components:
        xs = [coords[i][0] for i in members]
        ys = [coords[i][1] for i in members]
        boxes.append((min(xs), min(ys), (max(xs) - min(xs)) * scale, (max(ys) - min(ys)) * scale))
    gap = 60.0
    row_width = max(boxes[0][2], math.sqrt(sum((w + gap) * (h + gap) for *_, w, h in boxes)))
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for members, (x0, y0, w, h) in zip(components, boxes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for i in members:
            positions[nodes[i]] = (
                round(x + (coords[i][0] - x0) * scale, 1),
                round(y + (coords[i][1] - y0) * scale, 1),
            )
        x += w + gap
        row_height = max(row_height, h)
    return positions
