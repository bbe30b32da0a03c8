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
# # 04 — The interactive explorer, inline
#
# The explorer is one self-contained HTML page. Here it is embedded **in the
# notebook output itself** (an iframe whose `srcdoc` is the page), not as a
# link to a file next to the notebook, so it keeps working offline, in any
# front end, and after the notebook is moved or shared.
#
# Click an entity or a link to read the sentences that state each fact; use
# the search box (it knows the sources' variant and reworded names too), the
# type and source filters, the "as of" date, and the 日本語 button. The graph
# is built into a temporary folder.

# %%
import json
import re
import tempfile

from graph import api

out = tempfile.mkdtemp(prefix="alliance-graph-")
result = api.build(graph_dir=out)
page = api.render(graph_dir=out)
api.explorer_iframe(page)

# %% [markdown]
# ## A focused view: the GPI and its neighbourhood (radius 2)

# %%
gpi_view = api.render("ego:gpi:2", graph_dir=out)
api.explorer_iframe(gpi_view, height=560)

# %% [markdown]
# ## What the dependency view of the Patriot export shows

# %%
deps_view = api.render("deps:patriot-export-decision", graph_dir=out)
api.explorer_iframe(deps_view, height=420)


# %% [markdown]
# ## Key findings, checked
# The checks are invariants: they stay true as sources and facts are added.
# - The page is self-contained: no external script, style or image.
# - The GPI view holds the GPI, its co-development programme, the partners and
#   what it builds on; the link to the SM-3 Block IIA co-development is a
#   "builds on" link with its quotes.
# - Among what the Patriot export depends on is the December 2023 revision;
#   every link of the dependency view leads, step by step, away from the export.
# - Every link of every view has evidence, each quote standing in its source's text.


# %%
def data_of(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


def normalised(text: str) -> str:
    """Whitespace runs collapsed to one space, as quotes are matched."""
    return " ".join(text.split())


texts = {sid: normalised(src.text) for sid, src in result.dataset.sources.items()}

assert not re.search(r"<(?:script|link|img)[^>]+(?:src|href)=", page)
whole = data_of(page)
gpi = data_of(gpi_view)
ids = {n["id"] for n in gpi["nodes"]}
assert {"gpi", "gpi-codevelopment", "usa", "japan", "sm-3-block-iia-codevelopment"} <= ids
assert ids <= {n["id"] for n in whole["nodes"]}
builds = [
    e
    for e in gpi["edges"]
    if e["predicate"] == "buildsOn"
    and (e["from"], e["to"]) == ("gpi-codevelopment", "sm-3-block-iia-codevelopment")
]
assert len(builds) == 1 and builds[0]["evidence"]

deps = data_of(deps_view)
pairs = {(e["from"], e["to"]) for e in deps["edges"]}
assert ("patriot-export-decision", "export-rule-revision-2023") in pairs
reached = {"patriot-export-decision"}
for _ in range(len(pairs)):
    reached |= {b for a, b in pairs if a in reached}
assert {b for _, b in pairs} <= reached and {a for a, _ in pairs} <= reached

for view in (gpi, deps):
    for edge in view["edges"]:
        assert edge["evidence"], edge["id"]
        for ev in edge["evidence"]:
            assert normalised(ev["quote"]) in texts[ev["source"]], (ev["source"], ev["quote"])
print(
    f"whole graph: {len(whole['nodes'])} entities; GPI view: {len(ids)}; "
    f"dependency view of the Patriot export: {len(pairs)} links"
)
