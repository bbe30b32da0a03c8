"""The explorer: one self-contained, offline HTML file over a NetworkX projection.

pyvis holds the network (its :class:`~pyvis.network.Network` node and edge
lists, filled directly because ``add_node``/``from_nx`` are quadratic) and
ships the vis-network script; the page itself is the project's own template
(``graph/templates/explorer.html`` + ``explorer.js`` + ``explorer.css``).
pyvis' templates are not used: they fetch Bootstrap from a CDN even "in line",
switch tooltips to raw HTML when a title contains ``href``, and insert ids
unescaped.

Safety: data reaches the page only as JSON inside ``<script
type="application/json">`` with ``<``, ``>``, ``&`` and the two line
separators escaped; the page's script builds the DOM with ``textContent`` and
``createElement``, never ``innerHTML``; hover titles are off (vis-network
renders an element title as HTML); a Content-Security-Policy forbids every
network request.

Large views (more than :data:`LAYOUT_THRESHOLD` entities) get positions from
igraph's grid Fruchterman-Reingold layout in Python, straight edges and no
physics, so that the browser draws them at once.

One job per module: :mod:`~graph.render.style` (colours, shapes and dependency
predicates, read from the ontology), :mod:`~graph.render.views` (which part of the
graph a view shows, on :mod:`graph.analysis`' traversals),
:mod:`~graph.render.layout` (positions) and :mod:`~graph.render.page` (the
vis-network data and the HTML page).

Dates, agreement and disagreement are decided in Python, by :mod:`graph.explorer_data`
(:mod:`graph.dates`' validity span of every fact and entity, the first and last day of
every as-of date, each fact's status and the side each claim takes); the page only
compares. Depends on :mod:`graph.network` (entity names), :mod:`graph.explorer_data` and
:mod:`graph.errors`; networkx, igraph and pyvis are imported inside functions so that
importing this module is cheap.
"""

from __future__ import annotations

from typing import Any

from graph.errors import RenderError
from graph.render.layout import compute_layout
from graph.render.page import LAYOUT_THRESHOLD, build_network, render_html
from graph.render.style import DEFAULT_STYLE, OTHER_GROUP, dependency_predicates, styles
from graph.render.views import select_view

__all__ = [
    "DEFAULT_DEPENDENCY_PREDICATES",
    "DEFAULT_STYLE",
    "LAYOUT_THRESHOLD",
    "OTHER_GROUP",
    "STYLE",
    "RenderError",
    "build_network",
    "compute_layout",
    "dependency_predicates",
    "render_html",
    "select_view",
    "styles",
]


def __getattr__(name: str) -> Any:
    # Read from the ontology on first use, so that importing the package stays cheap.
    if name == "STYLE":
        return styles()
    if name == "DEFAULT_DEPENDENCY_PREDICATES":
        return dependency_predicates()
    raise AttributeError(f"module 'graph.render' has no attribute {name!r}")
