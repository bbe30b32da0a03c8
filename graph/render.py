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

Dates, agreement and disagreement are decided in Python, by :mod:`graph.explorer_data`
(:mod:`graph.dates`' validity span of every fact and entity, the first and last day of
every as-of date, each fact's status and the side each claim takes); the page only
compares. Depends on :mod:`graph.network` (entity names), :mod:`graph.explorer_data` and
:mod:`graph.errors`; networkx, igraph and pyvis are imported inside functions so that
importing this module is cheap.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import NoPathError, RenderError
from graph.explorer_data import date_table, entity_span, fact_item
from graph.resolve import RULES as NAME_RULES
from graph.resources import templates_dir

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "DEFAULT_DEPENDENCY_PREDICATES",
    "LAYOUT_THRESHOLD",
    "RenderError",
    "build_network",
    "compute_layout",
    "render_html",
    "select_view",
]

#: Above this many nodes positions are computed in Python and physics is off.
LAYOUT_THRESHOLD = 300

#: Dependency-like predicates, used by ``deps:`` views when neither the caller
#: nor the projection (``G.graph["dependency_predicates"]``) names them.
DEFAULT_DEPENDENCY_PREDICATES: frozenset[str] = frozenset({
    "dependsOn", "buildsOn", "enabledBy", "licensedFrom", "modelledAfter", "requires",
    "mainCustomer",
})

#: Colour and vis-network shape per entity type. Paul Tol's colour-blind-safe
#: palettes; shapes differ too, so that type never rests on colour alone.
STYLE: dict[str, tuple[str, str]] = {
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
#: The vis-network group of nodes whose type has no style (or no type).
OTHER_GROUP = "_other"

_VIEW_HELP = "use all, ego:ID[:RADIUS], path:A,B, deps:ID or source:SRC"


# --- views ---------------------------------------------------------------------------------
def _entity(G: nx.MultiDiGraph, name: str) -> str:
    """The node ``name`` names (id, label or alias); errors say which names exist."""
    from graph.network import resolve_entity

    name = name.strip()
    if not name:
        raise RenderError("the view names no entity", field="view", hint=_VIEW_HELP)
    return resolve_entity(G, name)


def _copy_nodes(G: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    import networkx as nx

    sub = nx.MultiDiGraph(**G.graph)
    sub.add_nodes_from((n, G.nodes[n]) for n in nodes)
    return sub


def select_view(G: nx.MultiDiGraph, view: str = "all", *,
                dependency_predicates: Collection[str] | None = None) -> nx.MultiDiGraph:
    """The part of ``G`` a view shows.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A projection from :func:`graph.network.to_networkx`.
    view : str
        ``all``; ``ego:ID`` or ``ego:ID:RADIUS`` (the undirected neighbourhood,
        radius 1 by default); ``path:A,B`` (every shortest undirected path
        between two entities, with the facts along them); ``deps:ID`` (the
        dependency tree: dependency predicates followed outwards from ID);
        ``source:SRC`` (the facts one source states, with only that source's
        evidence). Entities may be named by id, label or alias.
    dependency_predicates : collection of str, optional
        Predicate local names that ``deps:`` follows; by default those of
        ``G.graph["dependency_predicates"]``, else
        :data:`DEFAULT_DEPENDENCY_PREDICATES`.

    Returns
    -------
    nx.MultiDiGraph
        ``G`` itself for ``all``, otherwise a new graph with ``G.graph`` copied.

    Raises
    ------
    RenderError
        For an unknown view kind, a bad radius or an unknown source.
    graph.errors.EntityNotFound
        For an entity no id, label or alias names (the message suggests close names).
    graph.errors.NoPathError
        When ``path:`` entities are not connected.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="buildsOn")
    'buildsOn'
    >>> G.add_edge("b", "c", key="mentions")
    'mentions'
    >>> sorted(select_view(G, "deps:a", dependency_predicates={"buildsOn"}))
    ['a', 'b']
    >>> sorted(select_view(G, "ego:c"))
    ['b', 'c']
    """
    import networkx as nx

    kind, _, arg = view.strip().partition(":")
    if kind == "all" and not arg:
        return G
    if kind == "ego" and arg:
        name, radius = arg, "1"
        head, sep, tail = arg.rpartition(":")
        if sep and (tail.strip().lstrip("-").isdigit()):
            name, radius = head, tail.strip()
        if int(radius) < 0:
            raise RenderError(f"radius {radius} is negative", field="view", hint=_VIEW_HELP)
        node = _entity(G, name)
        nodes = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node,
                                                      cutoff=int(radius))
        return G.subgraph(nodes).copy()
    if kind == "path" and "," in arg:
        a, b = (_entity(G, part) for part in arg.split(",", 1))
        try:
            paths = list(nx.all_shortest_paths(G.to_undirected(as_view=True), a, b))
        except nx.NetworkXNoPath as exc:
            raise NoPathError(f"no path between {a!r} and {b!r}",
                              hint="try ego: views of each to see their neighbours") from exc
        nodes = {n for path in paths for n in path}
        # Only the facts along the paths: two path nodes may share other facts
        # (a shortcut the other way round), which would not be on any path.
        steps = {frozenset(pair) for path in paths for pair in itertools.pairwise(path)}
        sub = _copy_nodes(G, nodes)
        for u, v, key, data in G.subgraph(nodes).edges(keys=True, data=True):
            if frozenset((u, v)) in steps:
                sub.add_edge(u, v, key=key, **data)
        return sub
    if kind == "deps" and arg:
        node = _entity(G, arg)
        if dependency_predicates is None:
            dependency_predicates = (G.graph.get("dependency_predicates")
                                     or DEFAULT_DEPENDENCY_PREDICATES)
        follow = set(dependency_predicates)
        sub = _copy_nodes(G, [node])
        frontier, seen = [node], {node}
        while frontier:
            current = frontier.pop()
            for _, target, key, data in G.out_edges(current, keys=True, data=True):
                if key in follow:
                    if target not in sub:
                        sub.add_node(target, **G.nodes[target])
                    sub.add_edge(current, target, key=key, **data)
                    if target not in seen:
                        seen.add(target)
                        frontier.append(target)
        return sub
    if kind == "source" and arg:
        return _source_view(G, arg.strip())
    raise RenderError(f"unknown view {view!r}", field="view", hint=_VIEW_HELP)


def _source_view(G: nx.MultiDiGraph, source: str) -> nx.MultiDiGraph:
    """The entities and facts one source states, keeping only that source's evidence."""
    import networkx as nx

    known = set(G.graph.get("sources", {}))
    for _, _, evidence in G.edges(data="evidence", default=()):
        known.update(e.get("source") for e in evidence if e.get("source"))
    if source not in known:
        raise RenderError(f"no source {source!r} in the graph", field="view",
                          hint=f"known sources: {', '.join(sorted(known)) or 'none'}")

    def own(node: str) -> dict[str, Any]:
        data = dict(G.nodes[node])
        data["facts"] = [
            {**fact, "evidence": [e for e in fact.get("evidence", [])
                                  if e.get("source") == source]}
            for fact in data.get("facts", [])
            if any(e.get("source") == source for e in fact.get("evidence", []))]
        return data

    sub = nx.MultiDiGraph(**G.graph)
    for u, v, key, data in G.edges(keys=True, data=True):
        evidence = [e for e in data.get("evidence", []) if e.get("source") == source]
        if evidence:
            for n in (u, v):
                if n not in sub:
                    sub.add_node(n, **own(n))
            sub.add_edge(u, v, key=key, **{**data, "evidence": evidence})
    for n, data in G.nodes(data=True):
        if n not in sub and source in data.get("sources", ()):
            sub.add_node(n, **own(n))
    return sub


# --- layout ---------------------------------------------------------------------------------
def compute_layout(G: nx.MultiDiGraph, *, seed: int = 0,
                   iterations: int = 300) -> dict[str, tuple[float, float]]:
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
    span = max(max(coords[i][d] for i in main) - min(coords[i][d] for i in main)
               for d in (0, 1)) or 1.0
    scale = 40.0 * math.sqrt(len(main)) / span
    boxes = []
    for members in components:
        xs = [coords[i][0] for i in members]
        ys = [coords[i][1] for i in members]
        boxes.append((min(xs), min(ys), (max(xs) - min(xs)) * scale,
                      (max(ys) - min(ys)) * scale))
    gap = 60.0
    row_width = max(boxes[0][2], math.sqrt(sum((w + gap) * (h + gap) for *_, w, h in boxes)))
    positions: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for members, (x0, y0, w, h) in zip(components, boxes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for i in members:
            positions[nodes[i]] = (round(x + (coords[i][0] - x0) * scale, 1),
                                   round(y + (coords[i][1] - y0) * scale, 1))
        x += w + gap
        row_height = max(row_height, h)
    return positions


# --- the page ---------------------------------------------------------------------------------
def _safe_json(value: Any) -> str:
    """JSON that cannot end a ``<script>`` element or be read as HTML.

    >>> _safe_json({"q": "</script>&\u2028"})
    '{"q":"\\\\u003c/script\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _sources_table(G: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """``G.graph["sources"]``, completed from evidence for sources it does not list."""
    table = {k: dict(v) for k, v in G.graph.get("sources", {}).items()}
    evidence = itertools.chain(
        (e for _, _, ev in G.edges(data="evidence", default=()) for e in ev),
        (e for _, facts in G.nodes(data="facts", default=()) for f in facts or ()
         for e in f.get("evidence", ())))
    for e in evidence:
        source = e.get("source")
        if source and source not in table:
            table[source] = {"title": e.get("source_title") or source}
    return table


def build_network(G: nx.MultiDiGraph, *,
                  layout: bool | Mapping[str, tuple[float, float]] | None = None,
                  threshold: int = LAYOUT_THRESHOLD) -> Any:
    """A pyvis Network holding the view's nodes and edges, with the page's metadata.

    Node and edge lists are filled directly (pyvis' ``add_node`` and
    ``from_nx`` scan the lists for duplicates: quadratic).

    Parameters
    ----------
    G : nx.MultiDiGraph
        The view.
    layout : bool or mapping, optional
        ``True``/``False`` force or forbid precomputed positions; a mapping
        ``{node: (x, y)}`` gives them (nodes it lacks are placed by physics);
        by default positions are computed above ``threshold`` nodes.
    threshold : int
        See ``layout``.

    Returns
    -------
    pyvis.network.Network
        With ``nodes``, ``edges``, ``options`` and an extra ``meta`` dict. Each edge and
        literal fact carries :func:`graph.explorer_data.fact_item`'s record (evidence
        with sides, ``status``, ``marks``, ``valid_start``/``valid_end``), each node its
        :func:`~graph.explorer_data.entity_span`; ``meta`` holds the slider's ``dates``
        and their first and last days, ``date_bounds``.
    """
    from pyvis.network import Network

    net = Network(directed=True)
    positions: dict[str, tuple[float, float]]
    if isinstance(layout, Mapping):
        positions = {n: (float(p[0]), float(p[1])) for n, p in layout.items()}
        large = G.number_of_nodes() > threshold
    else:
        large = layout if layout is not None else G.number_of_nodes() > threshold
        positions = compute_layout(G) if large else {}
    keep = not large
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    spans: dict[str, list[tuple[str | None, str | None]]] = {n: [] for n in G}
    for number, (u, v, key, data) in enumerate(edges):
        item = fact_item(data.get("evidence", ()), data.get("status"), keep_claims=keep,
                         what=f"{u} {key} {v}")
        spans[u].append((item["valid_start"], item["valid_end"]))
        spans[v].append((item["valid_start"], item["valid_end"]))
        net.edges.append({
            "id": f"e{number}", "from": u, "to": v, "predicate": data.get("predicate") or key,
            "label": data.get("predicate_label") or key, **item,
            "sources": sorted({e["source"] for e in item["evidence"] if e.get("source")}),
        })
    dates: set[str] = set()
    for node, data in G.nodes(data=True):
        kind = data.get("type") or ""
        facts = [{**f, **fact_item(f.get("evidence", ()), f.get("status"), keep_claims=keep,
                                   what=f"{node} {f.get('predicate')}")}
                 for f in data.get("facts") or []]
        start, end = entity_span(spans[node] + [(f["valid_start"], f["valid_end"]) for f in facts])
        item = {
            "id": node, "label": data.get("label") or node, "label_ja": data.get("label_ja"),
            "type": kind, "group": kind if kind in STYLE else OTHER_GROUP,
            "aliases": list(data.get("aliases") or []), "description": data.get("description"),
            "external_ids": dict(data.get("external_ids") or {}), "facts": facts,
            "dates": list(data.get("dates") or []), "sources": list(data.get("sources") or []),
            "valid_start": start, "valid_end": end,
        }
        if node in positions:
            item["x"], item["y"] = positions[node]
        net.nodes.append(item)
        dates.update(item["dates"])
        dates.update(e[k] for f in facts for e in f["evidence"]
                     for k in ("date", "valid_from", "valid_until") if e.get(k))
    dates.update(e[k] for edge in net.edges for e in edge["evidence"]
                 for k in ("date", "valid_from", "valid_until") if e.get(k))
    slider, bounds = date_table(dates)
    net.meta = {"large": bool(large), "type_labels": G.graph.get("type_labels", {}),
                "predicate_labels": G.graph.get("predicate_labels", {}),
                "sources": _sources_table(G), "dates": slider, "date_bounds": bounds}
    return net


def _options(large: bool) -> dict[str, Any]:
    """vis-network options: hover titles off, physics only for small views."""
    groups = {t: {"color": {"background": c, "border": c}, "shape": s}
              for t, (c, s) in STYLE.items()}
    groups[OTHER_GROUP] = {"color": {"background": DEFAULT_STYLE[0],
                                     "border": DEFAULT_STYLE[0]}, "shape": DEFAULT_STYLE[1]}
    options: dict[str, Any] = {
        "groups": groups,
        "nodes": {"size": 14, "font": {"size": 13, "face": "system-ui, sans-serif"},
                  "borderWidth": 1},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "color": {"color": "#9aa5b1", "highlight": "#0b5cad", "inherit": False},
                  "font": {"size": 10, "align": "middle", "color": "#46505c",
                           "strokeWidth": 3},
                  "smooth": {"enabled": True, "type": "dynamic"}, "width": 1},
        # No hover titles: the detail panel shows everything, as text.
        "interaction": {"hover": False, "tooltipDelay": 3_600_000, "multiselect": False,
                        "navigationButtons": False, "keyboard": False},
        # "improvedLayout" clusters the graph before the first frame; physics does
        # the job for small views and large ones come with positions.
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
                    "stabilization": {"enabled": True, "iterations": 400, "fit": True,
                                      "updateInterval": 50}},
    }
    if large:
        options["physics"] = {"enabled": False, "stabilization": {"enabled": False}}
        options["edges"]["smooth"] = False
        options["edges"]["arrows"]["to"]["scaleFactor"] = 0.3
        options["interaction"].update({"hideEdgesOnDrag": True, "hideEdgesOnZoom": True})
    return options


def _vis_network_js() -> str:
    import pyvis

    # pyvis 0.3.2 ships the script twice (``lib`` and ``templates/lib``).
    base = Path(pyvis.__file__).parent
    candidates = sorted(base.glob("lib/vis-*/vis-network.min.js")) or sorted(
        base.glob("templates/lib/vis-*/vis-network.min.js"))
    if not candidates:
        raise RenderError("pyvis' vis-network script is missing", field="render",
                          hint="reinstall pyvis")
    return candidates[-1].read_text(encoding="utf-8")


def render_html(G: nx.MultiDiGraph, *, title: str = "alliance-graph explorer",
                view: str = "all", out: Path | str | None = None,
                layout: bool | Mapping[str, tuple[float, float]] | None = None,
                dependency_predicates: Collection[str] | None = None,
                threshold: int = LAYOUT_THRESHOLD) -> str:
    """Render a view of ``G`` as one self-contained, offline HTML page.

    Parameters
    ----------
    G : nx.MultiDiGraph
        A projection from :func:`graph.network.to_networkx`.
    title : str
        The page title (inserted as text).
    view : str
        See :func:`select_view`.
    out : Path or str, optional
        Also write the page here, atomically (temporary file in the same folder,
        then rename).
    layout : bool or mapping, optional
        See :func:`build_network`.
    dependency_predicates : collection of str, optional
        See :func:`select_view`.
    threshold : int
        Views with more nodes get Python-computed positions and no physics.

    Returns
    -------
    str
        The HTML.

    Raises
    ------
    RenderError, graph.errors.EntityNotFound, graph.errors.NoPathError
        See :func:`select_view`.
    """
    sub = select_view(G, view, dependency_predicates=dependency_predicates)
    net = build_network(sub, layout=layout, threshold=threshold)
    payload = {
        "title": title, "view": view, "nodes": net.nodes, "edges": net.edges,
        "options": _options(net.meta["large"]), "meta": net.meta,
        "style": {t: {"color": c, "shape": s} for t, (c, s) in STYLE.items()},
        "default_style": {"color": DEFAULT_STYLE[0], "shape": DEFAULT_STYLE[1]},
        "normalise": NAME_RULES,  # the search box matches names as graph.resolve does
    }
    folder = templates_dir()
    page = (folder / "explorer.html").read_text(encoding="utf-8")
    replacements = {
        "/*__CSS__*/": (folder / "explorer.css").read_text(encoding="utf-8"),
        # vis-network's minified code holds no "</script", but make sure.
        "/*__VIS__*/": _vis_network_js().replace("</script", "<\\/script"),
        "/*__APP__*/": (folder / "explorer.js").read_text(encoding="utf-8"),
        "__DATA__": _safe_json(payload),
        "__TITLE__": _html_text(title),
    }
    # One pass, so that text inserted for one marker is never searched for another.
    pattern = re.compile("|".join(re.escape(m) for m in replacements))
    page = pattern.sub(lambda match: replacements[match.group(0)], page)
    if out is not None:
        from graph.files import write_atomic

        write_atomic(Path(out), page.encode("utf-8"))
    return page


def _html_text(text: str) -> str:
    import html

    return html.escape(text, quote=True)
