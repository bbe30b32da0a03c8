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
# # 06 — The sources: who says what, and how they stand to each other
#
# The graph is built from many documents: government releases, news reports,
# encyclopedia articles and other web articles, some of them reprints (another
# publisher's verbatim copy) or reworded copies of an original. Each source's
# statement stays its own *claim*; a *fact* is what the claims share. This
# notebook shows
#
# 1. which sources there are, of what kind and copy, when published;
# 2. who says what: facts per source, and a source × predicate table;
# 3. corroboration: facts stated by two or more *independent* sources (copies
#    of one original count once);
# 4. refinements: a less precise value and the more precise one that refines it;
# 5. conflicts: incompatible values, both kept with their quotes, and which one
#    the graph prefers and why;
# 6. the kinds of source over time.
#
# The verdicts come from `graph.reconcile` (returned by `api.build` as
# `result.reconciliation`); the sources' metadata is read back from the built
# RDF. The graph is built into a temporary folder.

# %%
import tempfile
from collections import Counter

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from graph import api
from graph.namespaces import AG, CLAIM
from graph.reconcile import compare, show_value

pd.set_option("display.max_colwidth", 70)
out = tempfile.mkdtemp(prefix="alliance-graph-")
result = api.build(graph_dir=out)
dataset, reconciliation, ontology = result.dataset, result.reconciliation, result.ontology
summary = result.summary()
{
    k: summary[k]
    for k in (
        "sources",
        "claims",
        "facts",
        "corroborated",
        "corroborated_pct",
        "refined",
        "conflicting",
    )
}

# %% [markdown]
# ## 1. Which sources there are
# Read from the built graph: `ag:sourceKind` (who speaks), `ag:copyKind`
# (original, reprint or reworded copy), `ag:excerpt` (only part of the document
# was kept), `ag:independentSource` (copies of one original share it) and
# `dcterms:issued` (at the precision known; some sources are undated).

# %%
SOURCES = """
PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?id ?kind_iri ?copy_iri ?excerpt ?independent ?published ?publisher ?title WHERE {
  ?source a ag:Source ; dcterms:identifier ?id ; dcterms:title ?title ;
          ag:sourceKind ?kind_iri ; ag:copyKind ?copy_iri ; ag:excerpt ?excerpt ;
          ag:independentSource ?independent .
  OPTIONAL { ?source dcterms:issued ?published }
  OPTIONAL { ?source dcterms:publisher ?publisher }
}
ORDER BY STR(?published) ?id
"""


def local(iri: str) -> str:
    """The local name of an IRI, full or compact (ag:NewsReport → NewsReport)."""
    return str(iri).rsplit("#", 1)[-1].rsplit(":", 1)[-1]


kinds = {local(c.iri): n for n, c in ontology.concepts("SourceKind").items()}
copies = {local(c.iri): n for n, c in ontology.concepts("CopyKind").items()}
sources = api.query(SOURCES, graph_dir=out).to_dataframe()
sources["kind"] = sources.pop("kind_iri").map(lambda iri: kinds[local(iri)])
sources["copy"] = sources.pop("copy_iri").map(lambda iri: copies[local(iri)])
assert sources["excerpt"].dtype == "boolean"  # a typed column, not "true"/"false" text
sources["excerpt"] = sources["excerpt"].fillna(False).astype(bool)

claims_of = Counter(c.source for c in dataset.claims)
facts_of: Counter[str] = Counter()
for fact in reconciliation.facts:
    facts_of.update({c.source for c in fact.claims})
sources["claims"] = sources["id"].map(lambda s: claims_of[s])
sources["facts"] = sources["id"].map(lambda s: facts_of[s])
sources[["id", "kind", "copy", "excerpt", "published", "publisher", "claims", "facts"]]

# %%
pd.crosstab(sources["kind"], sources["copy"], margins=True, margins_name="all")

# %% [markdown]
# ## 2. Who says what
# Facts per source (a source's *facts* are the distinct facts its claims
# state), and which kinds of statement each kind of source makes. Then the
# full table: one row per source, one column per predicate, claims in each cell.

# %%
claims = pd.DataFrame([{"source": c.source, "predicate": c.predicate.name} for c in dataset.claims])
kind_of = dict(zip(sources["id"], sources["kind"], strict=True))
claims["kind"] = claims["source"].map(kind_of)
top_sources = sources.sort_values(["facts", "id"], ascending=[False, True]).head(15)
top_sources.set_index("id")["facts"].iloc[::-1].plot.barh(
    title="Facts stated, the 15 sources stating most", figsize=(8, 5)
)
plt.xlabel("facts")
plt.ylabel("")
plt.tight_layout()

# %%
by_kind = pd.crosstab(claims["predicate"], claims["kind"], margins=True, margins_name="all")
by_kind.sort_values("all", ascending=False)

# %%
source_by_predicate = pd.crosstab(claims["source"], claims["predicate"])
source_by_predicate.reindex(sources["id"], fill_value=0)

# %% [markdown]
# ## 3. Corroboration
# A fact is *corroborated* when two or more independent sources state it; a
# reprint or a reworded copy counts as its original, so it never adds to the
# count.

# %%
verdicts = reconciliation.summary()
print(
    f"{verdicts['corroborated']} of {verdicts['facts']} facts "
    f"({verdicts['corroborated_pct']}%) are stated by two or more independent sources"
)
pd.Series(
    Counter(f.independent_sources for f in reconciliation.facts), name="facts"
).sort_index().rename_axis("independent sources").to_frame()


# %%
def label(entity_id: str) -> str:
    entity = dataset.entities.get(entity_id)
    return entity.record.label.en if entity else entity_id


def shown(claim, field: str = "value") -> str:
    """A claim's value (or qualifier) as a reader wants it: labels for entities."""
    if field != "value":
        return show_value(getattr(claim, field))
    return show_value(claim.obj) if claim.is_literal else label(claim.obj)


best = sorted(
    reconciliation.facts,
    key=lambda f: (-f.independent_sources, -len(f.claims), f.subject, f.predicate),
)
pd.DataFrame(
    [
        {
            "subject": label(f.subject),
            "predicate": f.predicate,
            "value": shown(f.preferred) if f.preferred else None,
            "independent sources": f.independent_sources,
            "claims": len(f.claims),
            "source kinds": ", ".join(sorted({kind_of[c.source] for c in f.claims})),
        }
        for f in best[:12]
    ]
)

# %% [markdown]
# ## 4. Refinements
# Two compatible values at different precision: dates whose spans nest
# ("2023" and "2023-01-12"), or rounded amounts ("2.4 billion" and "2.35
# billion"). The fact keeps the most precise value; both statements stay, with
# their quotes.

# %%
refinements = [link for link in reconciliation.links if link.kind == "refines"]


def value_of(claim, field: str):
    return claim.obj if field == "value" else getattr(claim, field)


refinement_table = pd.DataFrame(
    [
        {
            "subject": label(r.a.subject),
            "predicate": r.a.predicate.name,
            "field": r.field,
            "less precise": shown(r.b, r.field),
            "source": r.b.source,
            "quote": r.b.quote,
            "refined to": shown(r.a, r.field),
            "refining source": r.a.source,
            "refining quote": r.a.quote,
        }
        for r in refinements
    ]
)
if refinements:
    display(refinement_table)
else:
    print("no refinements")

# %% [markdown]
# ## 5. Conflicts
# Incompatible values of a property that takes one value (a date, a rank, a
# visit type, an amount). Both claims are kept with their quotes and linked by
# `ag:conflictsWith`; the graph prefers one by the default rule (a primary
# government text before a news report before an encyclopedia, a reworded copy
# last; then the value more independent sources state; then the latest
# publication) unless a record ranks one by hand.

# %%
conflicts = reconciliation.conflicts


def why(conflict) -> str:
    """Why the graph prefers one of the two values: the preferred claim's rank reason,
    or, for a qualifier (a date or amount of an agreed fact), the default order."""
    rank, reason = reconciliation.ranks[conflict.preferred.key]
    if conflict.field == "value":
        return reason
    return (
        f"{conflict.field} of the claim ranked first by the default order (a record's "
        f"rank, precision, source kind, latest publication); that claim is {rank}: "
        f"{reason}"
    )


conflict_table = pd.DataFrame(
    [
        {
            "subject": label(c.subject),
            "predicate": c.predicate,
            "field": c.field,
            "preferred value": show_value(c.values()[0]),
            "preferred source": c.preferred.source,
            "preferred quote": c.preferred.quote,
            "other value": show_value(c.values()[1]),
            "other source": c.other.source,
            "other quote": c.other.quote,
            "why": why(c),
            "settled by hand": c.acknowledged,
        }
        for c in conflicts
    ]
)
if conflicts:
    display(conflict_table)
else:
    print("no conflicts")

# %% [markdown]
# ## 6. Source kinds over time
# Sources per month of publication, by kind. Sources dated only to a year, or
# not dated at all, cannot be placed on a month and are counted apart.

# %%
monthly = sources[sources["published"].fillna("").str.len() >= 7].copy()
monthly["month"] = pd.to_datetime(monthly["published"].str[:7] + "-01")
per_month = pd.crosstab(monthly["month"], monthly["kind"])
not_placed = len(sources) - len(monthly)

fig, ax = plt.subplots(figsize=(11, 4))
bottom = pd.Series(0, index=per_month.index)
colours = {
    "government": "#1f77b4",
    "news": "#ff7f0e",
    "encyclopedia": "#2ca02c",
    "article": "#7f7f7f",
}
for kind in per_month.columns:
    ax.bar(
        per_month.index,
        per_month[kind],
        width=25,
        bottom=bottom,
        color=colours.get(kind),
        label=ontology.concepts("SourceKind")[kind].label_en,
    )
    bottom += per_month[kind]
ax.xaxis.set_major_locator(mdates.YearLocator())
ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
ax.xaxis.set_minor_locator(mdates.MonthLocator())
ax.yaxis.get_major_locator().set_params(integer=True)
ax.set_ylabel("sources published")
ax.set_title(f"Sources per month, by kind ({not_placed} without a month not shown)")
ax.legend(title="source kind", frameon=False)
plt.tight_layout()
print(
    f"{len(monthly)} sources dated to a month or day; {not_placed} dated to a year only or undated"
)

# %% [markdown]
# ## Key findings, checked
# These checks are invariants, true for any corpus:
# - The built graph describes every source once, with a known kind and copy; an
#   original is its own independent source, a copy names the original it carries.
# - Counts add up: claims per source sum to the claims; the source × predicate
#   table sums to the claims; no source states more facts than there are, and
#   together they state every fact at least once.
# - The corroborated share lies between 0 and 100 and matches the facts stated
#   by two or more independent sources; a reprint never raises a fact's
#   independent count (never more than the distinct originals of its claims,
#   and exactly that many when its claims agree).
# - Ranks: every claim has one; every fact has exactly one preferred claim.
# - Every refinement is a finer value compatible with the one it refines.
# - Every conflict has two different values, both quotes found in their
#   sources' texts, linked by `ag:conflictsWith` in the graph; the value the
#   graph prefers is never ranked below the other.
# - The plot shows every source that has a month.


# %%
def normalised(text: str) -> str:
    """Whitespace runs collapsed to one space, as quotes are matched."""
    return " ".join(text.split())


texts = {sid: normalised(s.text) for sid, s in dataset.sources.items()}


def quoted(claim) -> bool:
    return normalised(claim.quote) in texts[claim.source]


# Sources: each once, a known kind and copy, independence as the copy says.
assert sorted(sources["id"]) == sorted(dataset.sources) and sources["id"].is_unique
assert len(sources) == summary["sources"]
assert set(sources["kind"]) <= set(ontology.concepts("SourceKind"))
assert set(sources["copy"]) <= set(ontology.concepts("CopyKind"))
originals = sources[sources["copy"] == "original"]
assert (originals["independent"] == originals["id"]).all()
copied = sources[sources["copy"] != "original"]
assert (copied["independent"] != copied["id"]).all()
independence = dict(zip(sources["id"], sources["independent"], strict=True))

# Counts add up.
assert sources["claims"].sum() == summary["claims"] == len(dataset.claims)
assert source_by_predicate.to_numpy().sum() == summary["claims"]
assert by_kind.loc["all", "all"] == summary["claims"]
assert sources["facts"].max() <= summary["facts"] <= sources["facts"].sum()
assert sum(len(f.claims) for f in reconciliation.facts) == summary["claims"]

# Corroboration, and reprints never counted twice.
assert 0 <= verdicts["corroborated_pct"] <= 100
assert verdicts["corroborated"] == sum(f.independent_sources >= 2 for f in reconciliation.facts)
for f in reconciliation.facts:
    originals_of_claims = {independence[c.source] for c in f.claims}
    assert f.independent_sources <= len(originals_of_claims) <= len({c.source for c in f.claims})
    assert f.corroborated == (f.independent_sources >= 2)
    assert f.preferred is None or f.independent_sources >= 1
    live = [c for c in f.claims if reconciliation.ranks[c.key][0] != "deprecated"]
    if live and not any(c.field == "value" for c in f.conflicts):
        # All its claims agree: it counts each original once, reprints and all.
        assert f.independent_sources == len({independence[c.source] for c in live})

# Ranks: one per claim, one preferred claim per fact.
assert {c.key for c in dataset.claims} == set(reconciliation.ranks)
for f in reconciliation.facts:
    preferred = [c for c in f.claims if reconciliation.ranks[c.key][0] == "preferred"]
    assert preferred == ([f.preferred] if f.preferred is not None else []), f.subject

# Refinements: finer and compatible, both quotes in their texts.
for r in refinements:
    assert (r.a.subject, r.a.predicate) == (r.b.subject, r.b.predicate)
    assert compare(value_of(r.a, r.field), value_of(r.b, r.field), rounded=True) == "finer"
    assert quoted(r.a) and quoted(r.b)

# Conflicts: two values, two quotes, linked, the preferred not ranked below the other.
order = {"deprecated": 0, "normal": 1, "preferred": 2}
for c in conflicts:
    keep, lose = c.values()
    assert compare(keep, lose) == "conflict" and show_value(keep) != show_value(lose)
    assert quoted(c.preferred) and quoted(c.other)
    assert (CLAIM[c.preferred.key], AG.conflictsWith, CLAIM[c.other.key]) in result.graph or (
        CLAIM[c.other.key],
        AG.conflictsWith,
        CLAIM[c.preferred.key],
    ) in result.graph
    assert (
        order[reconciliation.ranks[c.preferred.key][0]]
        >= order[reconciliation.ranks[c.other.key][0]]
    )
    if c.field == "value":
        assert reconciliation.ranks[c.preferred.key][0] == "preferred"
assert verdicts["conflicts"] == len(conflicts)
assert verdicts["conflicting"] == sum(bool(f.conflicts) for f in reconciliation.facts)

# The plot shows every source that has a month.
assert per_month.to_numpy().sum() + not_placed == len(sources)
print(
    f"{len(sources)} sources ({sources['independent'].nunique()} distinct originals), "
    f"{verdicts['corroborated_pct']}% of facts corroborated, {len(refinements)} refinements, "
    f"{len(conflicts)} conflicts"
)
