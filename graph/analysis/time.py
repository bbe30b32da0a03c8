"""Dated facts in date order, and what the sources say of one fact's dates and values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from graph.analysis.model import TimelineEntry
from graph.dates import PartialDate

if TYPE_CHECKING:
    import networkx as nx


def timeline(G: nx.MultiDiGraph) -> list[TimelineEntry]:
    """Dated facts and events in date order, each date at the precision the source gives.

    Entries come from entities' date-valued facts (``kind="date"``, e.g. when an
    event happened) and from the qualifiers of claims on facts and edges
    (``at`` = point in time, ``from``, ``until``). ISO order puts a year before
    the months and days in it (``2023`` < ``2023-08`` < ``2023-12-22``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("visit", facts=[{"predicate": "date", "predicate_label": "date",
    ...            "value": "2024-04-10", "datatype": "date", "evidence": []}])
    >>> G.add_edge("visit", "wh", key="announcedBy", predicate_label="announced by",
    ...            evidence=[{"date": "2024-01-25"}])
    'announcedBy'
    >>> [(e.date, e.kind, e.predicate) for e in timeline(G)]
    [('2024-01-25', 'at', 'announcedBy'), ('2024-04-10', 'date', 'date')]
    """
    from graph.network.projection import gc_paused

    with gc_paused():  # entries allocate many objects and free none: linear cost at 1M
        return _timeline(G)


def _timeline(G: nx.MultiDiGraph) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    kinds = (("date", "at"), ("valid_from", "from"), ("valid_until", "until"))

    def qualified(
        subject: str,
        predicate: str,
        label: str,
        obj: str | None,
        value: str | None,
        evidence: list[dict[str, Any]],
    ) -> None:
        for key, kind in kinds:
            best, alternatives = best_date(evidence, key)
            if best is not None:
                evs = [ev for ev in evidence if ev.get(key)]
                entries.append(
                    TimelineEntry(
                        best, kind, subject, predicate, label, obj, value, evs, alternatives
                    )
                )

    for node, facts in G.nodes(data="facts"):
        for f in facts or ():
            if f.get("datatype") in ("date", "gYearMonth", "gYear"):
                others = tuple(
                    sorted(
                        (
                            ev["value"],
                            "refined"
                            if PartialDate(ev["value"]).compatible(PartialDate(f["value"]))
                            else "disputed",
                        )
                        for ev in f["evidence"]
                        if not ev.get("asserted", True) and ev.get("value")
                    )
                )
                entries.append(
                    TimelineEntry(
                        f["value"],
                        "date",
                        node,
                        f["predicate"],
                        f["predicate_label"],
                        None,
                        f["value"],
                        f["evidence"],
                        tuple(dict.fromkeys(others)),
                    )
                )
            qualified(node, f["predicate"], f["predicate_label"], None, f["value"], f["evidence"])
    for u, v, key, data in G.edges(keys=True, data=True):
        qualified(u, key, data.get("predicate_label", key), v, None, data.get("evidence", []))
    order = {"date": 0, "at": 1, "from": 2, "until": 3}
    return sorted(
        entries,
        key=lambda e: (
            e.date,
            order[e.kind],
            e.subject,
            e.predicate,
            e.object or "",
            e.value or "",
        ),
    )


def best_date(
    evidence: Iterable[dict[str, Any]], key: str = "date"
) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The best ``key`` date (``date``, ``valid_from``, ``valid_until``) of one fact's claims,
    and the others.

    The best is the preferred claim's date refined by the most precise date
    compatible with it (:mod:`graph.dates`); without a preferred claim, the most
    precise date. The others come as ``(date, "refined")`` when compatible with
    the best; ``(date, "disputed")`` when not and a claim giving it conflicts
    (``links["conflicts_with"]``) with a claim giving an incompatible date. An
    incompatible date that no claim disputes is another point in time of a
    relation that holds at many (a minister seen at two meetings; see
    :mod:`graph.reconcile`), not an alternative, and is left out.

    >>> best_date([{"claim": "a", "date": "2023", "rank": "preferred"},
    ...            {"claim": "b", "date": "2023-01-12"},
    ...            {"claim": "c", "date": "2024", "links": {"conflicts_with": ["a"]}}])
    ('2023-01-12', (('2023', 'refined'), ('2024', 'disputed')))
    >>> best_date([{"date": "2024-07-29", "rank": "preferred"}, {"date": "2023-01-11"}])
    ('2024-07-29', ())
    """
    evidence = [ev for ev in evidence if ev.get(key) and ev.get("rank") != "deprecated"]
    if not evidence:
        return None, ()
    dates = sorted({PartialDate(ev[key]) for ev in evidence}, key=lambda d: (-len(d.text), d))
    anchor = next(
        (PartialDate(ev[key]) for ev in evidence if ev.get("rank") == "preferred"), dates[0]
    )
    best = next(d for d in dates if d.compatible(anchor))
    by_claim = {ev.get("claim"): ev for ev in evidence if ev.get("claim")}
    disputed = {
        PartialDate(ev[key])
        for ev in evidence
        for c in (ev.get("links") or {}).get("conflicts_with", ())
        if c in by_claim and not PartialDate(by_claim[c][key]).compatible(PartialDate(ev[key]))
    }

    others = tuple(
        sorted(
            (d.text, "refined" if d.compatible(best) else "disputed")
            for d in dates
            if d != best and (d.compatible(best) or d in disputed)
        )
    )
    return best.text, others


def fact_marks(status: dict[str, Any] | None, evidence: Iterable[dict[str, Any]]) -> str:
    """What the sources say of one fact, in words: "2 sources agree; refined by …; disputed by …".

    >>> fact_marks({"sources": 2, "corroborated": True, "refined": False, "disputed": False}, [])
    '2 sources agree'
    """
    if not status:
        return ""
    evidence = list(evidence)
    by_claim = {ev.get("claim"): ev for ev in evidence}
    marks = []
    if status.get("corroborated"):
        marks.append(f"{status['sources']} sources agree")
    refiners = sorted(
        {ev.get("source") or "?" for ev in evidence if (ev.get("links") or {}).get("refines")}
    )
    if refiners:
        marks.append("refined by " + ", ".join(refiners))
    disputers = sorted(
        {
            by_claim[c].get("source") or "?"
            for ev in evidence
            if ev.get("rank") == "preferred"
            for c in (ev.get("links") or {}).get("conflicts_with", ())
            if c in by_claim
        }
    )
    if not disputers:
        disputers = sorted(
            {
                ev.get("source") or "?"
                for ev in evidence
                if (ev.get("links") or {}).get("conflicts_with")
            }
        )
    if disputers:
        marks.append("disputed by " + ", ".join(disputers))
    return "; ".join(marks)
