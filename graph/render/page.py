"""The explorer page: vis-network data for a view, and the self-contained HTML file.

pyvis holds the network (node and edge lists filled directly) and ships the
vis-network script; the page is the project's own template
(``graph/templates/explorer.*``). Data reaches the page only as escaped JSON;
see :mod:`graph.render` for the safety rules.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import RenderError
from graph.explorer_data import date_table, entity_span, fact_item
from graph.render.layout import compute_layout
from graph.render.style import DEFAULT_STYLE, OTHER_GROUP, styles
from graph.render.views import select_view
from graph.resolve import RULES as NAME_RULES
from graph.resources import templates_dir

if TYPE_CHECKING:
    import networkx as nx

#: Above this many nodes positions are computed in Python and physics is off.
LAYOUT_THRESHOLD = 300


def _safe_json(value: Any) -> str:
    """JSON that cannot end a ``<script>`` element or be read as HTML.

    >>> _safe_json({"q": "</script>&\u2028"})
    '{"q":"\\\\u003c/script\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _sources_table(G: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """``G.graph["sources"]``, completed from evidence for sources it does not list."""
    table = {k: dict(v) for k, v in G.graph.get("sources", {}).items()}
    evidence = itertools.chain(
        (e for _, _, ev in G.edges(data="evidence", default=()) for e in ev),
        (
            e
            for _, facts in G.nodes(data="facts", default=())
            for f in facts or ()
            for e in f.get("evidence", ())
        ),
    )
    for e in evidence:
        source = e.get("source")
        if source and source not in table:
            table[source] = {"title": e.get("source_title") or source}
    return table


def build_network(
    G: nx.MultiDiGraph,
    *,
    layout: bool | Mapping[str, tuple[float, float]] | None = None,
    threshold: int = LAYOUT_THRESHOLD,
) -> Any:
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
        item = fact_item(
            data.get("evidence", ()), data.get("status"), keep_claims=keep, what=f"{u} {key} {v}"
        )
        spans[u].append((item["valid_start"], item["valid_end"]))
        spans[v].append((item["valid_start"], item["valid_end"]))
        net.edges.append(
            {
                "id": f"e{number}",
                "from": u,
                "to": v,
                "predicate": data.get("predicate") or key,
                "label": data.get("predicate_label") or key,
                **item,
                "sources": sorted({e["source"] for e in item["evidence"] if e.get("source")}),
            }
        )
    dates: set[str] = set()
    style = styles()
    for node, data in G.nodes(data=True):
        kind = data.get("type") or ""
        facts = [
            {
                **f,
                **fact_item(
                    f.get("evidence", ()),
                    f.get("status"),
                    keep_claims=keep,
                    what=f"{node} {f.get('predicate')}",
                ),
            }
            for f in data.get("facts") or []
        ]
        start, end = entity_span(spans[node] + [(f["valid_start"], f["valid_end"]) for f in facts])
        item = {
            "id": node,
            "label": data.get("label") or node,
            "label_ja": data.get("label_ja"),
            "type": kind,
            "group": kind if kind in style else OTHER_GROUP,
            "aliases": list(data.get("aliases") or []),
            "description": data.get("description"),
            "external_ids": dict(data.get("external_ids") or {}),
            "facts": facts,
            "dates": list(data.get("dates") or []),
            "sources": list(data.get("sources") or []),
            "valid_start": start,
            "valid_end": end,
        }
        if node in positions:
            item["x"], item["y"] = positions[node]
        net.nodes.append(item)
        dates.update(item["dates"])
        dates.update(
            e[k]
            for f in facts
            for e in f["evidence"]
            for k in ("date", "valid_from", "valid_until")
            if e.get(k)
        )
    dates.update(
        e[k]
        for edge in net.edges
        for e in edge["evidence"]
        for k in ("date", "valid_from", "valid_until")
        if e.get(k)
    )
    slider, bounds = date_table(dates)
    net.meta = {
        "large": bool(large),
        "type_labels": G.graph.get("type_labels", {}),
        "predicate_labels": G.graph.get("predicate_labels", {}),
        "sources": _sources_table(G),
        "dates": slider,
        "date_bounds": bounds,
    }
    return net


def _options(large: bool) -> dict[str, Any]:
    """vis-network options: hover titles off, physics only for small views."""
    groups = {
        t: {"color": {"background": c, "border": c}, "shape": s} for t, (c, s) in styles().items()
    }
    groups[OTHER_GROUP] = {
        "color": {"background": DEFAULT_STYLE[0], "border": DEFAULT_STYLE[0]},
        "shape": DEFAULT_STYLE[1],
    }
    options: dict[str, Any] = {
        "groups": groups,
        "nodes": {
            "size": 14,
            "font": {"size": 13, "face": "system-ui, sans-serif"},
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa5b1", "highlight": "#0b5cad", "inherit": False},
            "font": {"size": 10, "align": "middle", "color": "#46505c", "strokeWidth": 3},
            "smooth": {"enabled": True, "type": "continuous"},
            "width": 1,
        },
        # No hover titles: the detail panel shows everything, as text.
        "interaction": {
            "hover": False,
            "tooltipDelay": 3_600_000,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": False,
        },
        # "improvedLayout" clusters the graph before the first frame; physics does
        # the job for small views and large ones come with positions. Continuous
        # curves and 200 stabilisation steps: "dynamic" curves add a physics node per
        # edge, and with 400 steps a 300-entity view took 7.2 s to its first frame
        # (1.6 s now, benchmarks/bench_explorer.py --nodes 300 --edges 600).
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
            "stabilization": {
                "enabled": True,
                "iterations": 200,
                "fit": True,
                "updateInterval": 50,
            },
        },
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
        base.glob("templates/lib/vis-*/vis-network.min.js")
    )
    if not candidates:
        raise RenderError(
            "pyvis' vis-network script is missing", field="render", hint="reinstall pyvis"
        )
    return candidates[-1].read_text(encoding="utf-8")


def render_html(
    G: nx.MultiDiGraph,
    *,
    title: str = "alliance-graph explorer",
    view: str = "all",
    out: Path | str | None = None,
    layout: bool | Mapping[str, tuple[float, float]] | None = None,
    dependency_predicates: Collection[str] | None = None,
    threshold: int = LAYOUT_THRESHOLD,
) -> str:
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
        "title": title,
        "view": view,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _options(net.meta["large"]),
        "meta": net.meta,
        "style": {t: {"color": c, "shape": s} for t, (c, s) in styles().items()},
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
