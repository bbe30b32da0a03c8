"""The long-form terminal reports of ``show``, ``path``, ``deps``, ``impact``,
``timeline`` and ``rank``: each fact as a line, each claim under it as its whole
quote (wrapped to the width, never cut) and a line naming its source and
qualifiers. ``width`` is the terminal's unless given."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from graph.analysis import Fact, Hop, Link, TimelineEntry, fact_marks
from graph.analysis.dependencies import why_no_links
from graph.analysis.model import node_of
from graph.present.terminal import wrap

if TYPE_CHECKING:
    import networkx as nx


def _label(G: nx.MultiDiGraph, node: str) -> str:
    return G.nodes[node].get("label") or node if node in G else node


def _money(amount: str, currency: str | None) -> str:
    try:
        text = f"{Decimal(amount).normalize():,f}"
    except InvalidOperation:
        text = amount
    return f"{text} {currency or ''}".strip()


def format_evidence(
    evidence: Iterable[dict[str, Any]], *, indent: int = 6, width: int = 88
) -> list[str]:
    """Each claim as its quote (wrapped, in double quotes) and a line naming the
    source and the qualifiers.

    Examples
    --------
    >>> print("\\n".join(format_evidence([{"quote": "Japan produces Patriot",
    ...     "source": "s1", "source_title": "A report", "date": "2023"}], indent=2)))
      "Japan produces Patriot"
      — A report [s1]; date 2023
    """
    pad = " " * indent
    lines: list[str] = []
    for ev in evidence:
        quote = wrap(f'"{ev.get("quote") or ""}"', width - len(pad) - 1)
        lines += [pad + quote[0], *(pad + " " + q for q in quote[1:])]
        where = [f"{ev.get('source_title') or ev.get('source')} [{ev.get('source')}]"]
        if not ev.get("asserted", True) and ev.get("value") is not None:
            where.append(f"states {ev['value']}")
        for key, name in (
            ("date", "date"),
            ("valid_from", "from"),
            ("valid_until", "until"),
            ("role", "role"),
            ("quantity", "quantity"),
        ):
            if ev.get(key):
                where.append(f"{name} {ev[key]}")
        if ev.get("amount"):
            where.append(f"amount {_money(ev['amount'], ev.get('currency'))}")
        links = ev.get("links") or {}
        if ev.get("rank") and (
            links.get("conflicts_with")
            or links.get("refines")
            or links.get("refined_by")
            or ev["rank"] == "deprecated"
        ):
            where.append(f"{ev['rank']}: {ev.get('rank_reason') or ''}".rstrip(": "))
        lines.append(f"{pad}— " + "; ".join(where))
    return lines


def format_fact(G: nx.MultiDiGraph, fact: Fact, *, walking_from: str | None = None) -> str:
    """``Subject —predicate→ Object``, or ``Object ←predicate— Subject`` when a path
    walks the fact backwards from ``walking_from``."""
    if walking_from is not None and walking_from == fact.object != fact.subject:
        return f"{_label(G, fact.object)} ←{fact.predicate_label}— {_label(G, fact.subject)}"
    return f"{_label(G, fact.subject)} —{fact.predicate_label}→ {_label(G, fact.object)}"


def format_card(G: nx.MultiDiGraph, node: str, *, width: int = 88) -> str:
    """An entity card: type, labels, aliases, description and every fact in and out,
    each with its quote and source."""
    node = node_of(G, node)
    a = G.nodes[node]
    type_label = G.graph.get("type_labels", {}).get(a.get("type"), {}).get("en")
    lines = [
        f"{a.get('label') or node}" + (f" / {a['label_ja']}" if a.get("label_ja") else ""),
        f"  id:          {node}",
        f"  type:        {a.get('type')}" + (f" ({type_label})" if type_label else ""),
        f"  iri:         {a.get('iri')}",
    ]
    if a.get("aliases"):
        lines.append(f"  aliases:     {'; '.join(a['aliases'])}")
    if a.get("description"):
        lines += textwrap.wrap(
            a["description"],
            width=width,
            initial_indent="  description: ",
            subsequent_indent=" " * 15,
        )
    for scheme, value in sorted((a.get("external_ids") or {}).items()):
        lines.append(f"  {scheme}: {value}")
    if a.get("dates"):
        lines.append(f"  dates:       {', '.join(a['dates'])}")
    facts = a.get("facts") or []
    lines.append(f"\nfacts about it ({len(facts)}):" if facts else "\nfacts about it: none")
    for f in facts:
        marks = fact_marks(f.get("status"), f["evidence"])
        lines.append(f"  {f['predicate_label']}: {f['value']}" + (f"   [{marks}]" if marks else ""))
        lines += format_evidence(f["evidence"], width=width)
    out = [Fact.of_edge(G, u, v, k) for u, v, k in sorted(G.out_edges(node, keys=True))]
    into = [Fact.of_edge(G, u, v, k) for u, v, k in sorted(G.in_edges(node, keys=True))]
    for title, group in (("links out", out), ("links in", into)):
        lines.append(f"\n{title} ({len(group)}):" if group else f"\n{title}: none")
        for fact in group:
            data = G.edges[fact.subject, fact.object, fact.predicate]
            marks = fact_marks(data.get("status"), fact.evidence)
            lines.append(f"  {format_fact(G, fact)}" + (f"   [{marks}]" if marks else ""))
            lines += format_evidence(fact.evidence, width=width)
    return "\n".join(lines)


def format_paths(G: nx.MultiDiGraph, paths: list[list[Hop]], *, width: int = 88) -> str:
    """Each path hop by hop, each hop's facts with their quotes."""
    lines: list[str] = []
    for i, path in enumerate(paths, 1):
        start, end = path[0].source, path[-1].target
        lines.append(
            f"Path {i} of {len(paths)} ({len(path)} hop{'s' * (len(path) != 1)}): "
            f"{_label(G, start)} → {_label(G, end)}"
        )
        for j, hop in enumerate(path, 1):
            for m, fact in enumerate(hop.facts):
                prefix = f"{j}." if m == 0 else "  "
                lines.append(f"  {prefix} {format_fact(G, fact, walking_from=hop.source)}")
                lines += format_evidence(fact.evidence, indent=7, width=width)
        lines.append("")
    return "\n".join(lines).rstrip()


def format_links(
    G: nx.MultiDiGraph, node: str, links: list[Link], *, reverse: bool, width: int = 88
) -> str:
    """A dependency closure (or, with ``reverse``, an impact) as an indented list."""
    node = node_of(G, node)
    preds = ", ".join(G.graph.get("dependency_predicates", ()))
    reached = {(lk.fact.subject if reverse else lk.fact.object) for lk in links}
    head = (
        f"What depends on {_label(G, node)} [{node}]"
        if reverse
        else f"What {_label(G, node)} [{node}] depends on"
    )
    lines = [
        f"{head}, transitively: {len(reached)} entit{'y' if len(reached) == 1 else 'ies'}"
        f" (following {preds})"
    ]
    if not links:
        lines.append(f"  nothing: {why_no_links(G, node, reverse=reverse)}.")
    for lk in links:
        pad = "  " * lk.depth
        other = lk.fact.subject if reverse else lk.fact.object
        lines.append(f"{pad}[{lk.depth}] {format_fact(G, lk.fact)}   ({other})")
        lines += format_evidence(lk.fact.evidence, indent=len(pad) + 6, width=width)
    return "\n".join(lines)


def format_timeline(
    G: nx.MultiDiGraph,
    entries: list[TimelineEntry],
    *,
    width: int = 88,
    empty: str = "no dated facts",
) -> str:
    """One line per dated fact (date at its precision, kind, fact), its quotes below."""
    lines: list[str] = []
    for e in entries:
        if e.object is not None:
            what = format_fact(G, Fact(e.subject, e.predicate, e.object, e.predicate_label, []))
        else:
            what = f"{_label(G, e.subject)} — {e.predicate_label}: {e.value}"
        lines.append(f"{e.date:<10}  {e.kind:<5}  {what}")
        if e.alternatives:
            lines.append(
                " " * 19
                + "other dates given: "
                + ", ".join(f"{d} ({how})" for d, how in e.alternatives)
            )
        lines += format_evidence(e.evidence, indent=19, width=width)
    return "\n".join(lines) if lines else empty
