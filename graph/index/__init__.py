"""Tables that answer the named queries whose cost is the graph's size, not the answer's.

At a million statements a listing query (``exports``, ``entities-by-type`` …)
joins and sorts every fact it lists, ``entity`` aggregates every claim of the
graph for one entity's card (15 s), ``find-entity`` scans every label and
``timeline`` sorts every dated fact, whatever is asked. Each such query says by
its ``# index:`` line (:data:`graph.sparql.catalogue.INDEX_KINDS`) how it may
be answered from a table built by running it *once*:

- ``table``: with no parameter bound. The query states that it projects every
  parameter and binds it in every row, so the answer for given values is the
  rows holding those values, in the order the query gave them. Kept in SQLite,
  keyed by the parameters' terms: a page of the answer is an index range.
- ``text`` (``find-entity``): with an empty name (every label and alias); a
  name is found by substring search of the lower-cased ``?matched``.
- ``dates`` (``timeline``): with the widest range; a range is two bisections per
  precision (in memory) or an index scan that stops at the page (on disk).

Each answer keeps the SPARQL answer's rows and order (``tests/test_index.py``
checks every indexed query against the store, on the shipped graph and on
synthetic ones). A parameter a table cannot answer (a range beyond the one
tabled, a name holding NUL, an entity the names table does not hold) gets
``None``: the caller runs the SPARQL. Queries the index does not declare
(``dependents`` …) start from their parameter and stay SPARQL.

:class:`NamedQueryIndex` answers over a loaded store (``text`` and ``dates`` in
memory, ``table`` in a temporary SQLite file: the ``entity`` table holds a row
per fact end); :class:`DiskIndex` keeps them all beside a built graph
(``<graph dir>/.cache/query-index/``, a file per table) for one-shot processes, each
query's table built by the first process that asks it. Depends on
:mod:`graph.sparql` and :mod:`graph.resolve`.
"""

from graph.index.disk import (
    CACHE_VERSION,
    WIDEST,
    DiskIndex,
    graph_fingerprint,
    page,
    query_from_index,
)
from graph.index.memory import NamedQueryIndex, _in_range, _TimelineTable

__all__ = [
    "CACHE_VERSION",
    "WIDEST",
    "DiskIndex",
    "NamedQueryIndex",
    "_TimelineTable",
    "_in_range",
    "graph_fingerprint",
    "page",
    "query_from_index",
]
