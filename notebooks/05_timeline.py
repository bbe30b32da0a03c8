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
# not 1 January 2023; "August 2023" is a month. On the axis a year is drawn as
# a span over the year and a month as a span over the month; a day is a point.

# %%
from datetime import date

import matplotlib.pyplot as plt
import pandas as pd

from graph import analysis, api

api.build(out="build")
G = api.to_networkx("build")
entries = analysis.timeline(G)
table = pd.DataFrame([{
    "date": e.date, "precision": e.precision, "kind": e.kind,
    "subject": G.nodes[e.subject]["label"], "fact": e.predicate_label,
    "object": G.nodes[e.object]["label"] if e.object else e.value,
    "quote": e.evidence[0]["quote"] if e.evidence else None,
} for e in entries])
table

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
fig, ax = plt.subplots(figsize=(11, 0.45 * len(events) + 1))
for i, row in events.iterrows():
    start, end = span(row["date"])
    if start == end:
        ax.plot(start, i, "o", color="#d62728")
    else:
        ax.plot([start, end], [i, i], lw=6, color="#1f77b4", solid_capstyle="butt")
    ax.annotate(f"{row['date']}  {row['subject'][:45]} — {row['fact']}", (end, i),
                xytext=(6, -3), textcoords="offset points", fontsize=7)
ax.set_yticks([])
ax.set_title("Dated facts (bars: year or month precision; dots: a day)")
plt.tight_layout()

# %% [markdown]
# ## Key findings, checked
# - The timeline runs from Kishida taking office (2021) to the state visit on 2024-04-10.
# - The RDT&E MOU and the SOSA were signed in 2023 (year precision, as stated).
# - The GPI co-development was announced in August 2023 (month precision).
# - The export-rule revision is dated 2023-12-22; the visit was announced on 2024-01-25.
# - Entries are in date order.

# %%
dates = list(table["date"])
assert dates == sorted(dates, key=lambda d: span(d)[0])
assert dates[0] == "2021" and dates[-1] == "2024-04-10"
signed = table[(table["fact"] == "signed by")]
assert set(signed["date"]) == {"2023"} and set(signed["precision"]) == {"year"}
gpi = table[table["subject"] == "GPI co-development programme"]
assert set(gpi["date"]) == {"2023-08"}
assert {"2023-12-22", "2024-01-25"} <= set(dates)
