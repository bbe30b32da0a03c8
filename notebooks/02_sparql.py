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
# # 02 — The competency questions, in SPARQL
#
# Each question the first source can answer is a named query shipped with the
# package (`alliance-graph queries` lists them). Here each one is asked in
# words, shown in SPARQL, and answered as a DataFrame **with its evidence**:
# the verbatim quote from the source. Parameters are bound as RDF terms, never
# pasted into the query text.

# %%
import pandas as pd
from IPython.display import Markdown, display

from graph import api

pd.set_option("display.max_colwidth", 90)
api.build(out="build")
queries = {q.name: q for q in api.queries()}
pd.DataFrame([{"name": q.name, "question": q.title,
               "parameters": ", ".join(f"{p.name}={p.default}" for p in q.parameters)}
              for q in queries.values()])


# %%
def ask(query_name: str, **params: str) -> pd.DataFrame:
    """Show the question and its SPARQL, and return the answer as a DataFrame."""
    q = queries[query_name]
    display(Markdown(f"**{q.title}** — {q.description}"))
    body = "\n".join(line for line in q.sparql.splitlines()
                     if not line.startswith(("#", "PREFIX")))
    display(Markdown(f"```sparql\n{body.strip()}\n```"))
    return api.query(query_name, params or None, out="build").to_dataframe()


# %% [markdown]
# ## Which agreements bind the US DoD and Japan's MOD, who signed them, and when?

# %%
agreements = ask("agreements", party_a="dod", party_b="mod-japan")
agreements[["agreement_label", "signatory_label", "signed", "quote"]]

# %% [markdown]
# ## What does the GPI co-development build on?

# %%
builds_on = ask("builds-on", programme="gpi-codevelopment")
builds_on[["foundation_label", "develops_label", "quote"]]

# %% [markdown]
# ## What depends, transitively, on the December 2023 export-rule revision?

# %%
dependents = ask("dependents", entity="export-rule-revision-2023")
dependents[["dependent_label", "relation", "quote"]]

# %% [markdown]
# ## Licensed production and exports

# %%
licensed = ask("licensed-production")
licensed[["producer_label", "product_label", "licensor_label", "quote"]]

# %%
exports = ask("exports")
exports[["item_label", "exporter_label", "destination_label", "enabled_by_label", "quote"]]

# %% [markdown]
# ## Procurements with amounts

# %%
procurements = ask("procurements")
procurements

# %% [markdown]
# ## Who heads what, and who co-develops what

# %%
ask("office-holders")

# %%
ask("co-development")

# %% [markdown]
# ## The evidence for one fact, and everything one source states

# %%
evidence = ask("evidence", subject="gpi-codevelopment", predicate="ag:buildsOn",
               object="sm-3-block-iia-codevelopment")
evidence[["title", "quote", "start", "end"]]

# %%
statements = ask("source-statements", source="us-japan-cooperation-2024")
print(f"{len(statements)} statements, in the order of the text")
statements.head(10)

# %% [markdown]
# ## A timeline, and finding an entity by the source's own (reworded) name

# %%
ask("timeline")[["date", "subject_label", "predicate", "object"]]

# %%
ask("find-entity", name="Division of Protection")

# %% [markdown]
# ## Key findings, checked
# - Lloyd Austin and Hamada Yasukazu signed both the RDT&E MOU and the SOSA in 2023.
# - The GPI co-development builds on the SM-3 Block IIA co-development.
# - Only the Patriot export decision depends on the 2023-12-22 revision.
# - Japan produces Patriot under a US licence and procures Tomahawk for USD 2.4 billion.
# - Every answer carries a quote that stands verbatim in the source text.

# %%
assert set(agreements["agreement"]) == {"rdte-mou", "sosa"}
assert set(agreements["signatory_label"]) == {"Lloyd Austin", "Hamada Yasukazu"}
assert set(agreements["signed"]) == {"2023"}
assert list(builds_on["foundation"]) == ["sm-3-block-iia-codevelopment"]
assert list(dependents["dependent"]) == ["patriot-export-decision"]
assert licensed.loc[0, "licensor_label"] == "United States"
top = procurements.iloc[0]
assert (top["system_label"], float(top["amount"]), top["currency"]) == ("Tomahawk", 2.4e9, "USD")
text = open(api.data_dir() / "sources" / "us-japan-cooperation-2024" / "text.txt",
            encoding="utf-8").read()
assert all(q in text for q in statements["quote"])
