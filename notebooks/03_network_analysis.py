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
# # 03 — Network analysis: how things connect, what depends on what, what breaks
#
# The graph is projected into NetworkX (`api.to_networkx`): nodes are
# entities, edges are facts, and **every edge carries the quotes that state
# it**. The functions in `graph.analysis` answer the questions SPARQL answers
# badly: paths, dependency closure and impact, centrality, single points of
# failure.

# %%
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from graph import analysis, api

api.build(out="build")
G = api.to_networkx("build")
print(f"{G.number_of_nodes()} entities, {G.number_of_edges()} facts between entities")

# %% [markdown]
# ## How does METI reach the Tomahawk procurement?
# Each hop is a fact with the sentence that states it.

# %%
paths = analysis.shortest_paths(G, "METI", "Tomahawk")
hops = [
    {"from": G.nodes[h.source]["label"], "fact": f.predicate_label,
     "to": G.nodes[h.target]["label"], "quote": f.evidence[0]["quote"]}
    for h in paths[0] for f in h.facts
]
pd.DataFrame(hops)

# %%
print(analysis.format_paths(G, paths))

# %% [markdown]
# ## What depends on the December 2023 export-rule revision?
# `impact` follows every sub-property of `ag:dependsOn` backwards, as the
# ontology declares them (not a hard-coded list).

# %%
revision = "export-rule-revision-2023"
links = analysis.impact(G, "December 2023 export-rule revision")
pd.DataFrame([{"depth": link.depth, "dependent": G.nodes[link.fact.subject]["label"],
               "relation": link.fact.predicate_label, "quote": link.fact.evidence[0]["quote"]}
              for link in links])

# %% [markdown]
# And what the GPI co-development builds on, transitively:

# %%
deps = analysis.dependency_closure(G, "gpi-codevelopment")
[(G.nodes[link.fact.object]["label"], link.fact.predicate_label) for link in deps]

# %% [markdown]
# ## Who is central?

# %%
ranking = pd.DataFrame(
    {metric: dict(analysis.rank(G, metric=metric).scores)
     for metric in ("degree", "pagerank", "betweenness")})
ranking.index = [G.nodes[n]["label"] for n in ranking.index]
top = ranking.sort_values("pagerank", ascending=False).head(10)
top

# %%
top["pagerank"].iloc[::-1].plot.barh(title="PageRank, top 10", figsize=(7, 4))
plt.tight_layout()

# %% [markdown]
# ## Single points of failure
# Articulation points are entities whose removal splits the network; bridges
# are single facts holding two parts together.

# %%
spof = analysis.single_points_of_failure(G)
pd.DataFrame({"articulation point": [G.nodes[n]["label"] for n in spof.articulation_points]})

# %%
pd.DataFrame([{"between": G.nodes[u]["label"], "and": G.nodes[v]["label"],
               "fact": facts[0].predicate_label} for u, v, facts in spof.bridges])

# %% [markdown]
# ## The network, with articulation points in red

# %%
undirected = nx.Graph(G)
pos = nx.spring_layout(undirected, seed=7)
colours = ["#d62728" if n in spof.articulation_points else "#1f77b4" for n in undirected]
plt.figure(figsize=(11, 8))
nx.draw_networkx(undirected, pos, node_color=colours, node_size=220, font_size=7,
                 labels={n: G.nodes[n]["label"][:28] for n in undirected}, edge_color="#bbb")
plt.axis("off")
plt.tight_layout()

# %% [markdown]
# ## Key findings, checked
# - METI reaches Tomahawk in three hops: METI promotes Japan's defence industry,
#   which is Japan's industrial base, and Japan procures Tomahawk (USD 2.4 billion).
# - The Patriot export decision depends on the December 2023 revision, quoted.
# - The GPI co-development builds on the SM-3 Block IIA co-development.
# - Japan is the most central entity by PageRank and an articulation point.

# %%
path_nodes = [paths[0][0].source] + [h.target for h in paths[0]]
assert path_nodes == ["meti", "japan-defence-industry", "japan", "tomahawk"]
assert paths[0][-1].facts[0].evidence[0]["amount"] in {"2400000000", "2400000000.0"}
assert "patriot-export-decision" in {link.fact.subject for link in links}
assert all("revision" in link.fact.evidence[0]["quote"] or link.depth > 1 for link in links)
assert "sm-3-block-iia-codevelopment" in {link.fact.object for link in deps}
assert analysis.rank(G, metric="pagerank").scores[0][0] == "japan"
assert "japan" in spof.articulation_points
