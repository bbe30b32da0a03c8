"""alliance-graph: an evidence-carrying knowledge graph of defence-alliance entities.

The public API lives in :mod:`graph.api`: use ``from graph import api`` and
``api.build(...)``, ``api.validate(...)``. A few of its names are re-exported
here, lazily, so that ``import graph`` costs nothing until a function is used.
Only names that are not also submodules are re-exported: ``graph.build`` and
``graph.validate`` are modules (a re-exported function of the same name would be
replaced by the module as soon as anything imports it).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

#: Names of :mod:`graph.api` available as ``graph.<name>``; none is a submodule's name.
_API = frozenset({"load_dataset", "load_graph", "stats", "built_path"})


def __getattr__(name: str) -> Any:
    if name in _API:
        from graph import api

        return getattr(api, name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
