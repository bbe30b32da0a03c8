"""alliance-graph: an evidence-carrying knowledge graph of defence-alliance entities.

The public API lives in :mod:`graph.api`; the names below are re-exported lazily
so that ``import graph`` costs nothing until a function is used.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {"build", "validate", "load_dataset", "load_graph", "stats", "built_path"}


def __getattr__(name: str) -> Any:
    if name in _API:
        from graph import api

        return getattr(api, name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
