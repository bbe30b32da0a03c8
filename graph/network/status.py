"""How the sources of one fact stand to each other: its status.

Read from the ranks and links :mod:`graph.reconcile` gave its claims; used by
the projection for every fact and by :mod:`graph.explorer_data`.
"""

from __future__ import annotations

from typing import Any


def fact_status(
    evidence: list[dict[str, Any]], independence: dict[str, str] | None = None
) -> dict[str, Any]:
    """How the sources of one fact stand to each other, from its claims' ranks and links.

    ``sources``: independent sources stating the asserted value or a less precise
    one compatible with it (copies of one original count once); ``corroborated``:
    two or more of them; ``refined``: some claim gives a more precise value or
    qualifier than another;
    ``disputed``: some claim conflicts with another.

    >>> fact_status([{"source": "a", "asserted": True, "links": {"conflicts_with": ["x"]}},
    ...              {"source": "b", "asserted": True, "links": {}}])["disputed"]
    True
    """
    # Agreeing claims: the asserted value, or a less precise one that it refines (a
    # claim stating a disputed value does not count for the asserted one).
    keys = {
        (independence or {}).get(e["source"], e["source"])
        for e in evidence
        if e.get("source")
        and e.get("rank") != "deprecated"
        and (e.get("asserted", True) or not (e.get("links") or {}).get("conflicts_with"))
    }
    links = [e.get("links") or {} for e in evidence]
    return {
        "sources": len(keys),
        "corroborated": len(keys) >= 2,
        "refined": any(lk.get("refines") for lk in links),
        "disputed": any(lk.get("conflicts_with") for lk in links),
    }
