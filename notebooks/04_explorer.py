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
# the search box (it knows the source's reworded names too), the type and
# source filters, the "as of" date, and the 日本語 button.

# %%
import json
import re

from graph import api

api.build(out="build")
page = api.render(path="build")
api.explorer_iframe(page)

# %% [markdown]
# ## A focused view: the GPI and its neighbourhood (radius 2)

# %%
gpi_view = api.render("ego:gpi:2", path="build")
api.explorer_iframe(gpi_view, height=560)

# %% [markdown]
# ## What the dependency view of the Patriot export shows

# %%
deps_view = api.render("deps:patriot-export-decision", path="build")
api.explorer_iframe(deps_view, height=420)


# %% [markdown]
# ## Key findings, checked
# - The page is self-contained: no external script, style or image.
# - The GPI view holds the GPI, its co-development programme, the partners and
#   what it builds on, each link with its quote.
# - The Patriot export depends on the December 2023 revision.

# %%
def data_of(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


assert not re.search(r"<(?:script|link|img)[^>]+(?:src|href)=", page)
gpi = data_of(gpi_view)
ids = {n["id"] for n in gpi["nodes"]}
assert {"gpi", "gpi-codevelopment", "usa", "japan", "sm-3-block-iia-codevelopment"} <= ids
builds = [e for e in gpi["edges"] if e["predicate"] == "buildsOn"]
assert builds and "Block-3 IIA" in builds[0]["evidence"][0]["quote"]
deps = data_of(deps_view)
assert {(e["from"], e["to"]) for e in deps["edges"]} == {
    ("patriot-export-decision", "export-rule-revision-2023")}
print(f"whole graph: {len(data_of(page)['nodes'])} entities; GPI view: {len(ids)}")
