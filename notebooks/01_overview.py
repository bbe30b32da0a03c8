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
# the verbatim sentence that states it. This notebook builds the graph from the
# curated records, counts what is in it, and lists the entities and sources.

# %%
import pandas as pd

from graph import api

pd.set_option("display.max_colwidth", 80)
result = api.build(out="build")
summary = result.summary()
summary

# %% [markdown]
# ## Counts by type

# %%
by_type = pd.Series(summary["entities_by_type"], name="entities").sort_values(ascending=False)
by_type.to_frame()

# %%
by_type.plot.barh(title="Entities by type", figsize=(7, 4)).invert_yaxis()

# %% [markdown]
# ## The entities
# Real names, Japanese labels, and the variant names the sources use (the
# first source was machine-reworded: "Division of Protection" is the
# Department of Defense).

# %%
entities = api.entity_table()
entities[["id", "type", "label", "label_ja", "aliases", "claims"]]

# %% [markdown]
# ## The sources and what each states

# %%
sources = api.source_table()
sources

# %% [markdown]
# ## Key findings, checked
# - The graph validates against the ontology's SHACL shapes.
# - Every entity has an English and a Japanese label.
# - The spun name "Division of Protection" is an alias of the Department of Defense.
# - The one source states every fact in the graph, each with a quote.

# %%
assert summary["validation"] == "ok"
assert entities["label_ja"].notna().all()
dod = entities.set_index("id").loc["dod"]
assert "Division of Protection" in dod["aliases"]
assert sources["facts"].sum() == summary["facts"]
assert summary["sources"] >= 1 and summary["entities"] >= 30
print(f"{summary['entities']} entities, {summary['facts']} facts, "
      f"{summary['claims']} statements with evidence, {summary['sources']} sources")
