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
# failure. The graph is built into a temporary folder.

# %%
import itertools
import tempfile
import textwrap

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from graph import analysis, api

out = tempfile.mkdtemp(prefix="alliance-graph-")
result = api.build(graph_dir=out)
G = api.to_networkx(out)
print(f"{G.number_of_nodes()} entities, {G.number_of_edges()} facts between entities")

# %% [markdown]
# ## How does METI reach the Tomahawk procurement?
# Each hop is a fact with the sentence that states it (the first of its
# quotes, when several sources state it).

# %%
paths = analysis.shortest_paths(G, "METI", "Tomahawk")
hops = [
    {
        "from": G.nodes[h.source]["label"],
        "fact": f.predicate_label,
        "to": G.nodes[h.target]["label"],
        "quote": f.evidence[0]["quote"],
    }
    for h in paths[0]
    for f in h.facts
]
pd.DataFrame(hops)

# %%
from graph.present.text import format_paths  # noqa: E402

print(format_paths(G, paths))

# %% [markdown]
# ## What depends on the December 2023 export-rule revision?
# `impact` follows every sub-property of `ag:dependsOn` backwards, as the
# ontology declares them (not a hard-coded list).

# %%
revision = "export-rule-revision-2023"
links = analysis.impact(G, "December 2023 export-rule revision")
pd.DataFrame(
    [
        {
            "depth": link.depth,
            "dependent": G.nodes[link.fact.subject]["label"],
            "relation": link.fact.predicate_label,
            "quote": link.fact.evidence[0]["quote"],
        }
        for link in links
    ]
)

# %% [markdown]
# And what the GPI co-development builds on, transitively:

# %%
deps = analysis.dependency_closure(G, "gpi-codevelopment")
[(G.nodes[link.fact.object]["label"], link.fact.predicate_label) for link in deps]

# %% [markdown]
# ## Who is central?
# The three metrics have different scales, so the table gives each as a share
# of the most central entity's score (1 = the most central by that metric).

# %%
ranking = pd.DataFrame(
    {
        metric: dict(analysis.rank(G, metric=metric).scores)
        for metric in ("degree", "pagerank", "betweenness")
    }
)
ranking.index = [G.nodes[n]["label"] for n in ranking.index]
relative = ranking / ranking.max()
top = relative.sort_values("pagerank", ascending=False).head(10)
top.round(3)

# %%
ax = (
    top["pagerank"]
    .iloc[::-1]
    .plot.barh(title="PageRank, top 10 (share of the highest)", figsize=(8, 4.5), xlim=(0, 1))
)
ax.set_yticklabels([textwrap.shorten(t.get_text(), 45) for t in ax.get_yticklabels()])
plt.tight_layout()

# %% [markdown]
# ## Single points of failure
# Articulation points are entities whose removal splits the network; bridges
# are single facts holding two parts together.

# %%
spof = analysis.single_points_of_failure(G)
pd.DataFrame({"articulation point": [G.nodes[n]["label"] for n in spof.articulation_points]})

# %%
pd.DataFrame(
    [
        {
            "between": G.nodes[u]["label"],
            "and": G.nodes[v]["label"],
            "fact": facts[0].predicate_label,
        }
        for u, v, facts in spof.bridges
    ]
)

# %% [markdown]
# ## The network, with articulation points in red

# %%
# Articulation points in red. The hubs sit close together, so the ten entities
# of highest PageRank are marked by their rank and named in the list beside
# the drawing, where no label can overlap another.
undirected = nx.Graph(G)
pos = nx.spring_layout(undirected, seed=7, k=3 / len(undirected) ** 0.5, iterations=200)
colours = ["#d62728" if n in spof.articulation_points else "#1f77b4" for n in undirected]
top_ten = [n for n, _ in analysis.rank(G, metric="pagerank").scores[:10]]
fig, (ax, key) = plt.subplots(1, 2, figsize=(13, 8), width_ratios=(3, 1))
nx.draw_networkx_edges(undirected, pos, ax=ax, edge_color="#ccc")
nx.draw_networkx_nodes(undirected, pos, ax=ax, node_color=colours, node_size=50)
nx.draw_networkx_labels(
    undirected,
    pos,
    ax=ax,
    font_size=8,
    font_weight="bold",
    labels={n: str(i) for i, n in enumerate(top_ten, 1)},
    bbox={"facecolor": "white", "edgecolor": "#666", "boxstyle": "circle,pad=0.15"},
)
ax.set_title("Entities and facts; articulation points in red")
ax.axis("off")
key.axis("off")
key.text(
    0,
    1,
    "Highest PageRank\n\n"
    + "\n".join(
        f"{i:>2}  {textwrap.shorten(G.nodes[n]['label'], 34)}" for i, n in enumerate(top_ten, 1)
    ),
    va="top",
    family="monospace",
    fontsize=9,
    transform=key.transAxes,
)
plt.tight_layout()

# %% [markdown]
# ## Key findings, checked
# The checks are invariants: they stay true as sources and facts are added.
# - Every shortest path from METI to Tomahawk is a chain of hops of the same
#   length, each hop a fact with its quotes; adding facts can only shorten it,
#   so it stays within three hops.
# - Japan's Tomahawk procurement states an amount in USD in at least one of its claims.
# - The Patriot export decision is among what depends on the December 2023
#   revision; every dependency link is a dependency fact, and each depth-1 link
#   points at the revision itself.
# - The GPI co-development builds on the SM-3 Block IIA co-development.
# - The rankings cover every entity, best first; PageRank scores are a
#   probability distribution. (Which entity ranks first depends on the corpus.)
# - Removing an articulation point splits the network; removing a bridge does too.
# - Every quote on every link stands in its source's text.


# %%
def normalised(text: str) -> str:
    """Whitespace runs collapsed to one space, as quotes are matched."""
    return " ".join(text.split())


texts = {sid: normalised(src.text) for sid, src in result.dataset.sources.items()}

# Paths: chained hops, all of one (shortest) length, from METI to Tomahawk.
lengths = {len(path) for path in paths}
assert len(lengths) == 1 and 1 <= min(lengths) <= 3
for path in paths:
    nodes = [path[0].source] + [h.target for h in path]
    assert nodes[0] == "meti" and nodes[-1] == "tomahawk"
    assert all(a.target == b.source for a, b in itertools.pairwise(path))
    assert all(h.facts for h in path)
    assert all(f.evidence for h in path for f in h.facts)
procures = G.edges["japan", "tomahawk", "procures"]["evidence"]
assert any(
    ev.get("amount") and float(ev["amount"]) > 0 and ev.get("currency") == "USD" for ev in procures
)

# Dependencies.
dependency_predicates = set(G.graph["dependency_predicates"])
assert "patriot-export-decision" in {link.fact.subject for link in links}
assert all(link.fact.predicate in dependency_predicates for link in links + deps)
assert all(link.fact.object == revision for link in links if link.depth == 1)
assert all(link.depth >= 1 for link in links + deps)
assert "sm-3-block-iia-codevelopment" in {link.fact.object for link in deps}

# Rankings: every entity once, best first; PageRank sums to one.
for metric in ("degree", "pagerank", "betweenness"):
    scores = analysis.rank(G, metric=metric).scores
    assert sorted(n for n, _ in scores) == sorted(G)
    values = [v for _, v in scores]
    assert values == sorted(values, reverse=True) and min(values) >= 0
pagerank = [v for _, v in analysis.rank(G, metric="pagerank").scores]
assert abs(sum(pagerank) - 1) < 1e-6

# Single points of failure are what they claim to be.
components = nx.number_connected_components(undirected)
for point in spof.articulation_points:
    rest = undirected.copy()
    rest.remove_node(point)
    assert nx.number_connected_components(rest) > components, point
for u, v, bridge_facts in spof.bridges:
    assert bridge_facts
    rest = undirected.copy()
    rest.remove_edge(u, v)
    assert nx.number_connected_components(rest) == components + 1, (u, v)

# Every quote on every link stands in its source's text.
for _u, _v, evidence in G.edges(data="evidence"):
    for ev in evidence or []:
        assert normalised(ev["quote"]) in texts[ev["source"]], (ev["source"], ev["quote"])
print(
    f"{len(paths)} shortest path(s) of {min(lengths)} hops; {len(links)} dependents of the "
    f"revision; {len(spof.articulation_points)} articulation points, "
    f"{len(spof.bridges)} bridges"
)
