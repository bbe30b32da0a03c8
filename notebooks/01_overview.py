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
# # 01 — Overview: what the graph holds
#
# The alliance graph models the entities of the US–Japan defence alliance and
# the facts that link them. **Every fact carries its evidence**: the source and
# the verbatim sentence that states it. Several sources may state one fact
# (each statement stays its own claim), so the graph counts *claims* (one
# statement by one source) and *facts* (what the claims say) apart. This
# notebook builds the graph from the curated records, counts what is in it, and
# lists the entities and sources. The build goes to a temporary folder.

# %%
import tempfile

import pandas as pd

from graph import api

pd.set_option("display.max_colwidth", 80)
out = tempfile.mkdtemp(prefix="alliance-graph-")
result = api.build(graph_dir=out)
summary = result.summary()
{k: v for k, v in summary.items() if k != "outputs"}

# %% [markdown]
# ## Counts by type

# %%
by_type = pd.Series(summary["entities_by_type"], name="entities").sort_values(ascending=False)
by_type.to_frame()

# %%
by_type.plot.barh(title="Entities by type", figsize=(7, 4)).invert_yaxis()

# %% [markdown]
# ## The entities
# Real names, Japanese labels, and the variant names the sources use (one
# source is a machine-reworded copy of a web article, in which "Division of
# Protection" is the Department of Defense).

# %%
entities = api.entity_table()
entities[["id", "type", "label", "label_ja", "aliases", "claims"]]

# %% [markdown]
# ## The sources and what each states
# A source's *claims* are its statements; its *facts* are the distinct facts
# those statements make. One fact may be stated by several sources, so the
# facts of all sources add up to at least the facts of the graph.

# %%
sources = api.source_table()
sources.set_index("id")

# %% [markdown]
# ## Key findings, checked
# These checks are invariants: they hold for any corpus the graph is built
# from, however many sources it has.
# - The graph validates against the ontology's SHACL shapes.
# - Every entity has an English and a Japanese label.
# - The reworded name "Division of Protection" is an alias of the Department of Defense.
# - Counts add up: entities by type sum to the entities; the sources' claims sum
#   to the claims; every claim belongs to exactly one fact; the facts stated by
#   each source add up to at least all the facts, and no source states more
#   facts than there are.
# - Every claim's quote stands in its source's text, at the offsets recorded.


# %%
def normalised(text: str) -> str:
    """Whitespace runs collapsed to one space, as quotes are matched."""
    return " ".join(text.split())


assert summary["validation"] == "ok"
assert entities["label"].notna().all() and entities["label_ja"].notna().all()
dod = entities.set_index("id").loc["dod"]
assert "Division of Protection" in dod["aliases"]

# Counts add up.
assert sum(summary["entities_by_type"].values()) == summary["entities"] == len(entities)
assert len(sources) == summary["sources"] >= 1
assert sources["id"].is_unique
assert sources["claims"].sum() == summary["claims"]
facts = result.reconciliation.facts
assert len(facts) == summary["facts"] <= summary["claims"]
assert sum(len(f.claims) for f in facts) == summary["claims"]
assert sources["facts"].max() <= summary["facts"] <= sources["facts"].sum()
assert (sources["facts"] <= sources["claims"]).all()

# Every quote stands in its source's text.
dataset = result.dataset
for claim in dataset.claims:
    text = dataset.sources[claim.source].text
    assert normalised(claim.quote) in normalised(text), (claim.source, claim.quote)
    assert normalised(text[claim.quote_start : claim.quote_end]) == normalised(claim.quote)

stating = (sources["claims"] > 0).sum()
print(
    f"{summary['entities']} entities, {summary['facts']} facts, "
    f"{summary['claims']} statements with evidence, from {stating} of "
    f"{summary['sources']} sources"
)
