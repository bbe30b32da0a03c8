"""The explorer: one self-contained, offline HTML file over a NetworkX projection.

pyvis holds the network (its :class:`~pyvis.network.Network` node and edge
lists, filled directly because ``add_node``/``from_nx`` are quadratic) and
ships the vis-network script; the page itself is the project's own template
(``graph/templates/explorer.html`` + ``explorer.js`` + ``explorer.css``).
pyvis' templates are not used: they fetch Bootstrap from a CDN, switch
tooltips to raw HTML when a title contains ``href``, and insert ids unescaped.

Safety: data reaches the page only as JSON inside ``<script
type="application/json">`` with ``<``, ``>``, ``&`` and line separators
escaped; the page's script builds the DOM with ``textContent``, never
``innerHTML``; a Content-Security-Policy forbids every network request.
Depends on :mod:`graph.network` (names, dates) and :mod:`graph.errors`.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import RenderError
from graph.resources import templates_dir

if TYPE_CHECKING:
    import networkx as nx

#: Above this many nodes positions are computed in Python and physics is off.
LAYOUT_THRESHOLD = 300

#: Colour and vis-network shape per entity type (colour-blind-safe palette).
STYLE: dict[str, tuple[str, str]] = {
    # Shapes that keep the label outside, so nodes stay small and readable.
    "Nation": ("#4477AA", "star"),
    "GovernmentAgency": ("#66CCEE", "dot"),
    "MilitaryOrganization": ("#228833", "triangle"),
    "Company": ("#CCBB44", "dot"),
    "IndustrialBase": ("#AA7744", "hexagon"),
    "Organization": ("#88CCAA", "dot"),
    "Person": ("#EE6677", "dot"),
    "WeaponSystem": ("#AA3377", "diamond"),
    "Programme": ("#EE7733", "square"),
    "Agreement": ("#0077BB", "hexagon"),
    "Policy": ("#009988", "square"),
    "Regulation": ("#33BBEE", "square"),
    "Event": ("#CC3311", "triangleDown"),
    "Resource": ("#BBBBBB", "dot"),
}
DEFAULT_STYLE = ("#999999", "dot")


# --- views ---------------------------------------------------------------------------------
def select_view(G: nx.MultiDiGraph, view: str = "all") -> nx.MultiDiGraph:
    """The part of ``G`` a view shows.

    Views: ``all``; ``ego:ID`` or ``ego:ID:RADIUS`` (neighbourhood, default
    radius 1); ``path:A,B`` (every shortest path between two entities);
    ``deps:ID`` (what the entity depends on, following the dependency
    predicates of ``G.graph``); ``source:SRC`` (what one source states).
    Entities may be named by id, label or alias.

    Raises
    ------
    RenderError
        For an unknown view; :class:`~graph.errors.EntityNotFound` for an
        unknown entity; :class:`~graph.errors.NoPathError` when no path exists.
    """
    import networkx as nx

    from graph.network import resolve_entity

    kind, _, arg = view.partition(":")
    if kind == "all" and not arg:
        return G
    if kind == "ego" and arg:
        name, _, radius = arg.rpartition(":") if arg.rsplit(":", 1)[-1].isdigit() else (
            arg, "", "1")
        node = resolve_entity(G, name)
        nodes = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node,
                                                      cutoff=int(radius))
        return G.subgraph(nodes).copy()
    if kind == "path" and "," in arg:
        a, b = (resolve_entity(G, part.strip()) for part in arg.split(",", 1))
        from graph.errors import NoPathError

        undirected = G.to_undirected(as_view=True)
        try:
            paths = list(nx.all_shortest_paths(undirected, a, b))
        except nx.NetworkXNoPath as exc:
            raise NoPathError(f"no path between {a!r} and {b!r}") from exc
        nodes = {n for path in paths for n in path}
        keep = {(u, v) for path in paths for u, v in itertools.pairwise(path)}
        sub = nx.MultiDiGraph(**G.graph)
        sub.add_nodes_from((n, G.nodes[n]) for n in nodes)
        for u, v, key, data in G.subgraph(nodes).edges(keys=True, data=True):
            if (u, v) in keep or (v, u) in keep:
                sub.add_edge(u, v, key=key, **data)
        return sub
    if kind == "deps" and arg:
        node = resolve_entity(G, arg)
        dependency = set(G.graph.get("dependency_predicates", ()))
        sub = nx.MultiDiGraph(**G.graph)
        sub.add_node(node, **G.nodes[node])
        frontier, seen = [node], {node}
        while frontier:
            current = frontier.pop()
            for _, target, key, data in G.out_edges(current, keys=True, data=True):
                if key in dependency:
                    sub.add_node(target, **G.nodes[target])
                    sub.add_edge(current, target, key=key, **data)
                    if target not in seen:
                        seen.add(target)
                        frontier.append(target)
        return sub
    if kind == "source" and arg:
        if arg not in G.graph.get("sources", {}):
            known = ", ".join(sorted(G.graph.get("sources", {}))) or "none"
            raise RenderError(f"no source {arg!r} in the graph", field="view",
                              hint=f"known sources: {known}")
        sub = nx.MultiDiGraph(**G.graph)
        for u, v, key, data in G.edges(keys=True, data=True):
            evidence = [e for e in data.get("evidence", []) if e.get("source") == arg]
            if evidence:
                for n in (u, v):
                    sub.add_node(n, **G.nodes[n])
                sub.add_edge(u, v, key=key, **{**data, "evidence": evidence})
        for n, data in G.nodes(data=True):
            if arg in data.get("sources", ()) and n not in sub:
                sub.add_node(n, **data)
        return sub
    raise RenderError(f"unknown view {view!r}", field="view",
                      hint="use all, ego:ID[:RADIUS], path:A,B, deps:ID or source:SRC")


# --- layout ---------------------------------------------------------------------------------
def compute_layout(G: nx.MultiDiGraph, *, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Positions for every node, from igraph's C Fruchterman-Reingold layout.

    Coordinates are scaled to about 40 px per node spacing; same seed, same layout.
    """
    import igraph as ig

    nodes = list(G.nodes)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    edges = {(index[u], index[v]) for u, v in G.edges() if u != v}
    graph = ig.Graph(n=len(nodes), edges=sorted(edges))
    ig.set_random_number_generator(random.Random(seed))
    try:
        # Grid-accelerated Fruchterman-Reingold: 0.3 s at 5,000 nodes here, where
        # DrL took 16 s and networkx spring_layout 46 s.
        layout = graph.layout_fruchterman_reingold(niter=300, grid=True)
    finally:
        ig.set_random_number_generator(random)
    coords = layout.coords
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = 40.0 * math.sqrt(len(nodes)) / span
    return {n: (round((c[0] - min(xs)) * scale, 1), round((c[1] - min(ys)) * scale, 1))
            for n, c in zip(nodes, coords, strict=True)}


# --- the page ---------------------------------------------------------------------------------
def _edge_date(evidence: Iterable[dict[str, Any]]) -> str | None:
    dates = [d for e in evidence for d in (e.get("date"), e.get("valid_from")) if d]
    return min(dates) if dates else None


def _safe_json(value: Any) -> str:
    """JSON that cannot end a ``<script>`` element or be read as HTML."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def build_network(G: nx.MultiDiGraph, *, layout: bool | None = None) -> Any:
    """A pyvis Network holding the view's nodes and edges, with our options.

    Node and edge lists are filled directly (pyvis' ``add_node`` and
    ``from_nx`` scan the lists for duplicates: quadratic).
    """
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    large = layout if layout is not None else G.number_of_nodes() > LAYOUT_THRESHOLD
    positions = compute_layout(G) if large else {}
    type_labels = G.graph.get("type_labels", {})
    for node, data in G.nodes(data=True):
        colour, shape = STYLE.get(data.get("type", ""), DEFAULT_STYLE)
        item = {
            "id": node, "label": data.get("label") or node, "label_ja": data.get("label_ja"),
            "type": data.get("type"), "aliases": list(data.get("aliases", [])),
            "description": data.get("description"),
            "external_ids": dict(data.get("external_ids", {})),
            "facts": list(data.get("facts", [])), "dates": list(data.get("dates", [])),
            "sources": list(data.get("sources", [])), "color": colour, "shape": shape,
        }
        if node in positions:
            item["x"], item["y"] = positions[node]
        net.nodes.append(item)
    for number, (u, v, key, data) in enumerate(sorted(G.edges(keys=True, data=True),
                                                      key=lambda e: (e[0], e[1], e[2]))):
        # The claim IRI and source title are not shown per quote (titles come from
        # the sources table once): leaving them out keeps large pages small.
        evidence = [{k: v for k, v in e.items() if k not in ("claim", "source_title")
                     and v is not None} for e in data.get("evidence", [])]
        net.edges.append({
            "id": f"e{number}", "from": u, "to": v, "predicate": key,
            "label": data.get("predicate_label") or key, "evidence": evidence,
            "date": _edge_date(evidence),
            "sources": sorted({e.get("source") for e in evidence if e.get("source")}),
        })
    net.options.physics.enabled = not large
    net.options.edges.smooth.enabled = not large
    net.meta = {"large": large, "type_labels": type_labels,
                "predicate_labels": G.graph.get("predicate_labels", {}),
                "sources": G.graph.get("sources", {})}
    return net


def _vis_network_js() -> str:
    import pyvis

    base = Path(pyvis.__file__).parent / "lib"
    candidates = sorted(base.glob("vis-*/vis-network.min.js"))
    if not candidates:
        raise RenderError("pyvis' vis-network script is missing", field="render",
                          hint="reinstall pyvis")
    return candidates[-1].read_text(encoding="utf-8")


def render_html(G: nx.MultiDiGraph, *, title: str = "alliance-graph explorer",
                view: str = "all", out: Path | str | None = None,
                layout: bool | None = None) -> str:
    """Render a view of ``G`` as one self-contained HTML page; optionally write it.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A projection from :func:`graph.network.to_networkx`.
    title : str
        The page title (inserted as text).
    view : str
        See :func:`select_view`.
    out : Path, optional
        Write the page here, atomically (temporary file, then rename).
    layout : bool, optional
        Force (True) or forbid (False) precomputed positions; by default they
        are computed above :data:`LAYOUT_THRESHOLD` nodes.

    Returns
    -------
    str
        The HTML.
    """
    started = time.perf_counter()
    sub = select_view(G, view)
    net = build_network(sub, layout=layout)
    options = json.loads(net.options.to_json())
    options.setdefault("interaction", {}).update(
        {"hover": True, "tooltipDelay": 3_600_000, "navigationButtons": False})
    options["edges"].update({"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                             "font": {"size": 10, "align": "middle"}})
    options["nodes"] = {"font": {"size": 13}, "size": 14}
    options["physics"].update({"solver": "forceAtlas2Based",
                               "stabilization": {"enabled": True, "iterations": 300,
                                                 "fit": True}})
    # vis-network's "improved layout" clusters large graphs before drawing: the
    # positions are already computed, so skip it.
    options["layout"] = {"improvedLayout": False}
    if net.meta["large"]:
        options["physics"] = {"enabled": False, "stabilization": {"enabled": False}}
        options["interaction"].update({"hideEdgesOnDrag": True, "hideEdgesOnZoom": True})
        options["edges"]["arrows"]["to"]["scaleFactor"] = 0.3
    payload = {
        "title": title, "view": view, "nodes": net.nodes, "edges": net.edges,
        "options": options, "meta": net.meta,
        "style": {t: {"color": c, "shape": s} for t, (c, s) in STYLE.items()},
        "built_seconds": round(time.perf_counter() - started, 3),
    }
    folder = templates_dir()
    page = (folder / "explorer.html").read_text(encoding="utf-8")
    replacements = {
        "/*__CSS__*/": (folder / "explorer.css").read_text(encoding="utf-8"),
        "/*__VIS__*/": _vis_network_js().replace("</script", "<\\/script"),
        "/*__APP__*/": (folder / "explorer.js").read_text(encoding="utf-8"),
        "__DATA__": _safe_json(payload),
        "__TITLE__": _html_text(title),
    }
    # One pass, so that text inserted for one marker is never searched for another.
    pattern = re.compile("|".join(re.escape(m) for m in replacements))
    page = pattern.sub(lambda match: replacements[match.group(0)], page)
    if out is not None:
        from graph.build import write_atomic

        write_atomic(Path(out), page.encode("utf-8"))
    return page


def _html_text(text: str) -> str:
    import html

    return html.escape(text, quote=True)
