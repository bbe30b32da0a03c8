"""What the explorer page is handed about each fact, computed here so that the page only compares.

For every fact (an edge, or a literal fact of an entity) :func:`fact_item` gives:

- ``valid_start`` / ``valid_end``: the ISO days of :func:`graph.dates.validity`, the span in
  which the fact may hold (None: open). The page shows a fact as of a date iff (start is
  null or start <= the date's last day) and (end is null or end >= its first day), which is
  :func:`graph.dates.valid_as_of` exactly; the first and last day of every date the page
  offers come from :func:`date_table`, so the page does no date arithmetic;
- ``status`` (:func:`graph.network.fact_status`, computed if the projection has none) and
  ``marks``, the same words the CLI prints (:func:`graph.analysis.fact_marks`);
- its evidence, each claim with a ``side``: ``"agree"`` or ``"disagree"``
  (:func:`claim_sides`), for the panel's two columns.

An entity gets the span of its facts (:func:`entity_span`). Depends on :mod:`graph.dates`
and :mod:`graph.errors`; :mod:`graph.network` and :mod:`graph.analysis` are imported inside
functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graph.dates import PartialDate, validity
from graph.errors import RenderError

__all__ = ["claim_sides", "date_table", "entity_span", "fact_item"]

Span = tuple[str | None, str | None]


def _links(ev: Mapping[str, Any], kind: str) -> list[str]:
    return list((ev.get("links") or {}).get(kind) or ())


def _conflict(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return bool(
        (b.get("claim") and b["claim"] in _links(a, "conflicts_with"))
        or (a.get("claim") and a["claim"] in _links(b, "conflicts_with"))
    )


def claim_sides(evidence: Sequence[Mapping[str, Any]]) -> list[str]:
    """``"agree"`` or ``"disagree"`` for each claim of one fact, in order.

    The preferred claim agrees, then the other asserted claims, the non-asserted ones
    and the deprecated ones, in that order: each agrees unless it conflicts with a claim
    already on that side. A non-asserted claim with a conflict (a disputed value, not a
    less precise one) always disagrees.

    >>> claim_sides([{"claim": "a", "rank": "normal", "links": {"conflicts_with": ["b"]}},
    ...              {"claim": "b", "rank": "preferred", "links": {"conflicts_with": ["a"]}},
    ...              {"claim": "c", "asserted": False, "links": {"refines": ["b"]}}])
    ['disagree', 'agree', 'agree']
    """
    if not any(_links(ev, "conflicts_with") for ev in evidence):
        return ["agree"] * len(evidence)
    order = sorted(
        range(len(evidence)),
        key=lambda i: (
            evidence[i].get("rank") != "preferred",
            evidence[i].get("asserted", True) is False,
            evidence[i].get("rank") == "deprecated",
            i,
        ),
    )
    sides = [""] * len(evidence)
    agreed: list[Mapping[str, Any]] = []
    for i in order:
        ev = evidence[i]
        disputed_value = ev.get("asserted", True) is False and _links(ev, "conflicts_with")
        if disputed_value or any(_conflict(ev, other) for other in agreed):
            sides[i] = "disagree"
        else:
            sides[i] = "agree"
            agreed.append(ev)
    return sides


def fact_item(
    evidence: Iterable[Mapping[str, Any]],
    status: Mapping[str, Any] | None,
    *,
    keep_claims: bool,
    what: str = "a fact",
) -> dict[str, Any]:
    """The page's record of one fact: evidence with sides, status, marks and validity span.

    Source titles travel once, in the page's sources table; claim IRIs and the links
    between claims are left out when ``keep_claims`` is false (large pages, where they
    would add megabytes nobody reads). ``what`` names the fact in errors.

    Raises
    ------
    RenderError
        If a claim carries a date that does not parse.

    >>> item = fact_item([{"claim": "c1", "source": "s", "date": "2023", "quote": "q"}],
    ...                  None, keep_claims=False)
    >>> item["valid_start"], item["valid_end"], item["evidence"][0]["side"]
    ('2023-01-01', None, 'agree')
    """
    from graph.analysis import fact_marks
    from graph.network import fact_status

    rows: list[dict[str, Any]] = [dict(e) for e in evidence]
    try:
        start, end = validity(rows)
    except ValueError as exc:
        raise RenderError(
            f"{what}: {exc}",
            field="evidence",
            hint="rebuild the graph; dates must be YYYY, YYYY-MM or YYYY-MM-DD",
        ) from None
    status = dict(status) if status else fact_status(rows)
    drop = {"source_title"} if keep_claims else {"source_title", "claim", "links"}
    items = [
        {**{k: v for k, v in e.items() if k not in drop and v is not None}, "side": side}
        for e, side in zip(rows, claim_sides(rows), strict=True)
    ]
    notable = status.get("corroborated") or status.get("refined") or status.get("disputed")
    return {
        "evidence": items,
        "status": status,
        "marks": fact_marks(status, rows) if notable else "",
        "valid_start": start,
        "valid_end": end,
    }


def entity_span(spans: Iterable[Span]) -> Span:
    """An entity is known from its earliest dated fact for as long as any of its facts may hold.

    The start is the earliest start (None if no fact is dated); the end the latest end,
    None (open) if some fact has no end or there are no facts.

    >>> entity_span([("2023-01-01", "2024-12-31"), ("2021-05-01", None)])
    ('2021-05-01', None)
    >>> entity_span([("2023-01-01", "2024-12-31"), (None, "2022-03-31")])
    ('2023-01-01', '2024-12-31')
    >>> entity_span([])
    (None, None)
    """
    spans = list(spans)
    starts = [s for s, _ in spans if s is not None]
    ends = [e for _, e in spans]
    return (min(starts) if starts else None, max(ends) if ends and None not in ends else None)  # type: ignore[type-var]


def date_table(dates: Iterable[str]) -> tuple[list[str], dict[str, list[str]]]:
    """The as-of slider's dates and ``{date: [first day, last day]}`` for the page.

    The slider offers every distinct well-formed date, sorted (a coarser date before a
    finer one that starts on the same day); the table also holds the year and month each
    falls in, so that the page can be set to those too.

    >>> dates, table = date_table(["2024-02", "2023-12-22", "bad", "2024-02"])
    >>> dates
    ['2023-12-22', '2024-02']
    >>> table["2024-02"], table["2023"]
    (['2024-02-01', '2024-02-29'], ['2023-01-01', '2023-12-31'])
    """
    parsed = set()
    for text in dates:
        try:
            parsed.add(PartialDate.parse(text))
        except ValueError:
            continue
    table: dict[str, list[str]] = {}
    for d in parsed:
        for prefix in {d.text[:4], d.text[:7], d.text}:
            p = PartialDate(prefix)
            table[prefix] = [p.first_day, p.last_day]
    return sorted(d.text for d in parsed), dict(sorted(table.items()))
