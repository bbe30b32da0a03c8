# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 — Timeline: the dated events and facts
#
# Dates keep the precision the source gives: "opened 2023" is the year 2023,
# not 1 January 2023; "August 2023" is a month. When several sources date one
# fact, the timeline shows the most precise date compatible with the preferred
# claim's, and lists the others: less precise ones it *refines*, and
# *disputed* ones that do not agree. On the axis a year is drawn as a span over
# the year and a month as a span over the month; a day is a point. The graph
# is built into a temporary folder.

# %%
import tempfile
import textwrap
from datetime import date

import matplotlib.pyplot as plt
import pandas as pd

from graph import analysis, api
from graph.dates import PartialDate

out = tempfile.mkdtemp(prefix="alliance-graph-")
api.build(graph_dir=out)
G = api.to_networkx(out)
entries = analysis.timeline(G)
table = pd.DataFrame(
    [
        {
            "date": e.date,
            "precision": e.precision,
            "kind": e.kind,
            "subject": G.nodes[e.subject]["label"],
            "fact": e.predicate_label,
            "object": G.nodes[e.object]["label"] if e.object else e.value,
            "other dates": ", ".join(f"{d} ({how})" for d, how in e.alternatives),
            "quote": e.evidence[0]["quote"] if e.evidence else None,
            "subject_id": e.subject,
            "object_id": e.object,
        }
        for e in entries
    ]
)
table.drop(columns=["subject_id", "object_id"])


# %%
def span(text: str) -> tuple[date, date]:
    """First and last day a partial date covers."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        y, m = parts
        end = date(y + (m == 12), m % 12 + 1, 1)
        return date(y, m, 1), date.fromordinal(end.toordinal() - 1)
    return date(*parts), date(*parts)


events = table.drop_duplicates(subset=["date", "subject", "fact"]).reset_index(drop=True)
spans = [span(d) for d in events["date"]]
first, last = min(s for s, _ in spans), max(e for _, e in spans)
middle = first + (last - first) / 2
fig, ax = plt.subplots(figsize=(11, 0.3 * len(events) + 1))
for i, ((start, end), row) in enumerate(zip(spans, events.itertuples(), strict=True)):
    if start == end:
        ax.plot(start, i, "o", color="#d62728", markersize=4)
    else:
        ax.plot([start, end], [i, i], lw=5, color="#1f77b4", solid_capstyle="butt")
    # Labels point into the plot: right of early events, left of late ones.
    left = start > middle
    ax.annotate(
        f"{row.date}  {textwrap.shorten(row.subject, 45)} — {row.fact}",
        (start if left else end, i),
        xytext=(-6 if left else 6, 0),
        textcoords="offset points",
        fontsize=7,
        va="center",
        ha="right" if left else "left",
    )
ax.set_ylim(len(events), -1)
ax.set_yticks([])
ax.xaxis.tick_top()
ax.grid(axis="x", color="#eee")
ax.set_title("Dated facts (bars: year or month precision; dots: a day)")
plt.tight_layout()

# %% [markdown]
# ## Key findings, checked
# The checks are invariants: they stay true as sources are added (a date may
# become more precise, never move out of the period first given).
# - Entries are in date order at their precision (a year before the months and
#   days in it), and each entry's precision is that of its date.
# - Every other date of an entry is marked "refined" exactly when it is
#   compatible with the entry's date (and then less precise), else "disputed".
# - Kishida has headed Japan's government since 2021.
# - The RDT&E MOU and the SOSA were signed in 2023.
# - The GPI co-development was announced in August 2023.
# - The export-rule revision is dated 2023-12-22; the visit was announced on
#   2024-01-25 and took place in April 2024.

# %%
dates = list(table["date"])
assert dates == sorted(dates)
starts = [span(d)[0] for d in dates]
assert starts == sorted(starts)
assert all(span(d)[0] <= span(d)[1] for d in dates)
assert all(
    PartialDate.parse(d).precision == p for d, p in zip(dates, table["precision"], strict=True)
)
for e in entries:
    for other, how in e.alternatives:
        compatible = PartialDate.parse(other).compatible(PartialDate.parse(e.date))
        assert how == ("refined" if compatible else "disputed"), (e.date, other, how)
        if compatible:
            assert len(other) <= len(e.date), (e.date, other)


def dated(subject: str, obj: str | None = None, kind: str | None = None) -> list[str]:
    """The dates of a subject's entries (optionally to one object, of one kind)."""
    rows = table[table["subject_id"] == subject]
    if obj is not None:
        rows = rows[rows["object_id"] == obj]
    if kind is not None:
        rows = rows[rows["kind"] == kind]
    return list(rows["date"])


assert any(d.startswith("2021") for d in dated("kishida-fumio", "japan", "from"))
for agreement in ("rdte-mou", "sosa"):
    signed = table[(table["subject_id"] == agreement) & (table["fact"] == "signed by")]
    assert len(signed) >= 2 and all(d.startswith("2023") for d in signed["date"]), agreement
assert any(d.startswith("2023-08") for d in dated("gpi-codevelopment"))
assert "2023-12-22" in dated("export-rule-revision-2023")
assert "2024-01-25" in dated("state-visit-2024", "white-house")
assert any(d.startswith("2024-04") for d in dated("state-visit-2024", kind="date"))
print(f"{len(table)} dated entries from {dates[0]} to {dates[-1]}")
