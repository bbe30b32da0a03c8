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
# Each competency question is a named query shipped with the package
# (`alliance-graph queries` lists them). Here each one is asked in words, shown
# in SPARQL, and answered as a DataFrame **with its evidence**: the verbatim
# quote of the fact's preferred claim, the sources that state the fact, how
# many of them are independent (a reprint counts as its original) and whether
# they agree. Parameters are bound as RDF terms, never pasted into the query
# text. The graph is built into a temporary folder.

# %%
import tempfile

import pandas as pd
from IPython.display import Markdown, display

from graph import api

pd.set_option("display.max_colwidth", 90)
out = tempfile.mkdtemp(prefix="alliance-graph-")
result = api.build(graph_dir=out)
queries = {q.name: q for q in api.queries()}
pd.DataFrame(
    [
        {
            "name": q.name,
            "question": q.title,
            "parameters": ", ".join(f"{p.name}={p.default}" for p in q.parameters),
        }
        for q in queries.values()
    ]
)


# %%
def ask(query_name: str, **params: str) -> pd.DataFrame:
    """Show the question and its SPARQL, and return the answer as a DataFrame.

    Every answer is kept in ``answers`` to be checked at the end."""
    q = queries[query_name]
    display(Markdown(f"**{q.title}** — {q.description}"))
    body = "\n".join(line for line in q.sparql.splitlines() if not line.startswith(("#", "PREFIX")))
    display(Markdown(f"```sparql\n{body.strip()}\n```"))
    answer = api.query(query_name, params or None, graph_dir=out).to_dataframe()
    answers[query_name, tuple(sorted(params.items()))] = answer
    return answer


answers: dict[tuple[str, tuple[tuple[str, str], ...]], pd.DataFrame] = {}


# %% [markdown]
# ## Which agreements bind the US DoD and Japan's MOD, who signed them, and when?

# %%
agreements = ask("agreements", party_a="dod", party_b="mod-japan")
agreements[
    ["agreement_label", "signatory_label", "signed", "quote", "sources", "n_sources", "status"]
]

# %% [markdown]
# ## What does the GPI co-development build on?

# %%
builds_on = ask("builds-on", programme="gpi-codevelopment")
builds_on[["foundation_label", "develops_label", "quote", "n_sources", "status"]]

# %% [markdown]
# ## What depends, transitively, on the December 2023 export-rule revision?

# %%
dependents = ask("dependents", entity="export-rule-revision-2023")
dependents[["dependent_label", "relation", "quote", "n_sources", "status"]]

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
procurements.drop(columns=["buyer", "system"])

# %% [markdown]
# A fact's row carries the qualifiers of its preferred claim; the amounts the
# other sources give are in the fact's evidence, one row per claim:

# %%
tomahawk_evidence = ask("evidence", subject="japan", predicate="ag:procures", object="tomahawk")
tomahawk_evidence[["source", "amount", "currency", "quote", "rank"]]

# %% [markdown]
# ## Who heads what, and who co-develops what

# %%
ask("office-holders")

# %%
ask("co-development")

# %% [markdown]
# ## The evidence for one fact, and everything one source states
# `evidence` lists every claim of a fact, one row per source statement, with
# its rank (one preferred claim per fact) and the reason for it.

# %%
evidence = ask(
    "evidence",
    subject="gpi-codevelopment",
    predicate="ag:buildsOn",
    object="sm-3-block-iia-codevelopment",
)
evidence[["source", "quote", "start", "end", "rank", "rank_reason"]]

# %%
statements = ask("source-statements", source="us-japan-cooperation-2024")
print(f"{len(statements)} statements, in the order of the text")
statements.head(10)

# %% [markdown]
# ## A timeline, and finding an entity by a source's own (reworded) name

# %%
ask("timeline")[["date", "subject_label", "predicate", "object"]]

# %%
ask("find-entity", name="Division of Protection")

# %% [markdown]
# ## Key findings, checked
# The checks are invariants: they stay true as sources are added.
# - Lloyd Austin and Hamada Yasukazu are among the signatories of the RDT&E MOU
#   and of the SOSA, both signed in 2023 (at whatever precision the sources give).
# - The GPI co-development builds on the SM-3 Block IIA co-development.
# - The Patriot export decision is among what depends on the December 2023 revision.
# - Japan produces Patriot under a US licence and procures Tomahawk, with an
#   amount in USD.
# - No answer has two rows for the same fact (one row per fact, however many
#   sources state it); the counts of sources and claims are consistent.
# - Every quote stands verbatim (up to whitespace) in the text of one of the
#   sources its row names; the statements of a source come in text order.

# %%
dataset = result.dataset


def normalised(text: str) -> str:
    """Whitespace runs collapsed to one space, as quotes are matched."""
    return " ".join(text.split())


texts = {sid: normalised(s.text) for sid, s in dataset.sources.items()}

# Known facts are present (membership, not equality of whole sets).
for agreement in ("rdte-mou", "sosa"):
    rows = agreements[agreements["agreement"] == agreement]
    assert {"Lloyd Austin", "Hamada Yasukazu"} <= set(rows["signatory_label"]), agreement
    assert all(str(d).startswith("2023") for d in rows["signed"].dropna() if str(d)), agreement
assert "sm-3-block-iia-codevelopment" in set(builds_on["foundation"])
assert "patriot-export-decision" in set(dependents["dependent"])
assert (
    (licensed["producer_label"] == "Japan")
    & (licensed["product_label"] == "Patriot")
    & (licensed["licensor_label"] == "United States")
).any()
assert (
    len(procurements[(procurements["buyer"] == "japan") & (procurements["system"] == "tomahawk")])
    == 1
)
priced = tomahawk_evidence[tomahawk_evidence["amount"].notna()]
assert pd.api.types.is_numeric_dtype(priced["amount"])  # amounts are numbers, not text
assert (priced["currency"] == "USD").any() and (priced["amount"] > 0).all()
assert (tomahawk_evidence["rank"] == "preferred").sum() == 1

# No row doubled: one row per fact, whatever number of sources state it. A fact
# is named by the columns below; other answers must differ in more than their
# evidence (quote, sources, counts, status, rank).
FACT_KEYS = {
    "agreements": ["agreement", "a_party", "b_party", "signatory_label"],
    "builds-on": ["programme", "from", "foundation"],
    "dependents": ["dependent", "relation", "on"],
    "procurements": ["buyer", "system"],
    "co-development": ["programme", "partner"],
    "timeline": ["subject", "predicate", "object", "dated_by"],
}
EVIDENCE = {
    "quote",
    "sources",
    "n_sources",
    "n_claims",
    "status",
    "other_dates",
    "rank",
    "rank_reason",
    "title",
}
for (name, _params), answer in answers.items():
    key = FACT_KEYS.get(name, [])
    if not key or not set(key) <= set(answer.columns):
        key = [c for c in answer.columns if c not in EVIDENCE]
    assert not answer.duplicated(subset=key).any(), f"{name}: a fact has two rows"
    if {"n_sources", "n_claims"} <= set(answer.columns):
        stated = answer[answer["n_claims"].notna()]
        n_sources, n_claims = stated["n_sources"], stated["n_claims"]
        assert pd.api.types.is_integer_dtype(n_claims), name  # counts are integers
        assert ((n_sources >= 1) & (n_sources <= n_claims)).all(), name
        corroborated = stated["status"].str.contains("corroborated")
        assert (n_sources[corroborated] >= 2).all(), name

# Every quote stands in the text of a source its row names.
for (name, _params), answer in answers.items():
    if "quote" not in answer.columns:
        continue
    for _, row in answer[answer["quote"].fillna("").astype(str) != ""].iterrows():
        named = row["source"] if "source" in answer.columns else row.get("sources", "")
        named = "" if pd.isna(named) else named
        ids = [i.strip() for i in str(named).split(",") if i.strip()] or list(texts)
        assert any(normalised(row["quote"]) in texts[i] for i in ids), (name, row["quote"])

# The statements of a source come in text order, and all of them.
assert pd.api.types.is_integer_dtype(statements["start"])
assert list(statements["start"]) == sorted(statements["start"])
assert len(statements) == sum(c.source == "us-japan-cooperation-2024" for c in dataset.claims)
print(f"{len(answers)} answers checked, {sum(len(a) for a in answers.values())} rows")
