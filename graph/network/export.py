"""The projection written for Gephi: GraphML or GEXF, with scalar attributes only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import InvalidOptionError

if TYPE_CHECKING:
    import networkx as nx

#: Formats :func:`write_network` writes.
EXPORT_FORMATS = ("graphml", "gexf")


def _flat(value: Any) -> Any:
    """GraphML and GEXF hold only scalars: lists and dicts become JSON text."""
    import json

    if isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def flatten_for_export(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes are scalars, as GraphML and GEXF require.

    Lists and dicts (``aliases``, ``facts``, ``evidence`` …) become JSON
    strings; missing values (None) are left out. Each edge also gets ``quote``
    and ``source`` (its claims' quotes and sources joined by `` | ``) so that
    Gephi shows the evidence without parsing JSON.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="p", evidence=[{"quote": "q", "source": "s"}])
    'p'
    >>> flatten_for_export(G).edges["a", "b", "p"]["quote"]
    'q'
    """
    import networkx as nx

    H = nx.MultiDiGraph()
    H.graph.update({k: _flat(v) for k, v in G.graph.items() if v is not None})
    for n, data in G.nodes(data=True):
        H.add_node(n, **{k: _flat(v) for k, v in data.items() if v is not None})
    for u, v, key, data in G.edges(keys=True, data=True):
        attrs = {k: _flat(val) for k, val in data.items() if val is not None}
        evidence = data.get("evidence") or []
        attrs["quote"] = " | ".join(e.get("quote") or "" for e in evidence)
        attrs["source"] = " | ".join(sorted({e.get("source") or "" for e in evidence}))
        H.add_edge(u, v, key=key, **attrs)
    return H


def write_network(G: nx.MultiDiGraph, path: str | Path, *, format: str | None = None) -> Path:
    """Write ``G`` as GraphML or GEXF (for Gephi), atomically.

    Parameters
    ----------
    format : {"graphml", "gexf"}, optional
        Guessed from the file extension when not given.

    Raises
    ------
    InvalidOptionError
        If the format is unknown or cannot be guessed.
    """
    import io

    import networkx as nx

    from graph.build import write_atomic

    path = Path(path)
    fmt = format or path.suffix.lstrip(".").lower()
    if fmt not in EXPORT_FORMATS:
        raise InvalidOptionError(
            f"unknown export format {fmt!r}",
            field="format",
            hint=f"use one of: {', '.join(EXPORT_FORMATS)}",
        )
    H = flatten_for_export(G)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(H, buffer, encoding="utf-8", prettyprint=True)
    else:
        nx.write_gexf(H, buffer, encoding="utf-8", prettyprint=True)
    write_atomic(path, buffer.getvalue())
    return path
