"""Network questions asked of the projection, as plain functions on ``G``.

Every function takes the :class:`networkx.MultiDiGraph` made by
:func:`graph.network.to_networkx` first and its options keyword-only, in the
manner of networkx. Entities may be given by id, or by any name the one
resolver (:mod:`graph.resolve`) accepts. Results that an analyst must be able
to check carry the evidence (source, quote, qualifiers) of every fact.

- :mod:`~graph.analysis.paths` — :func:`neighbourhood`, :func:`shortest_paths`,
  :func:`k_shortest_paths`: how two entities are connected, hop by hop, each
  hop with its facts in their real direction;
- :mod:`~graph.analysis.dependencies` — :func:`dependency_closure`,
  :func:`impact`: what an entity depends on and what depends on it, following
  ``G.graph["dependency_predicates"]`` (``ag:dependsOn`` and its sub-properties);
- :mod:`~graph.analysis.structure` — :func:`rank` (degree, PageRank,
  betweenness, sampled on large graphs), :func:`single_points_of_failure`,
  :func:`communities`;
- :mod:`~graph.analysis.time` — :func:`timeline`, dates at their precision;
- :mod:`~graph.analysis.tables` — every answer as typed rows (``*_table``) for
  :mod:`graph.present` and for pandas.

networkx and igraph are imported inside functions. Text for the terminal is
made by :mod:`graph.present`, not here.
"""

from graph.analysis.dependencies import (
    dependency_closure,
    dependency_facts,
    impact,
    why_no_links,
)
from graph.analysis.model import (
    Fact,
    Hop,
    Link,
    Ranking,
    SinglePointsOfFailure,
    TimelineEntry,
)
from graph.analysis.paths import k_shortest_paths, neighbourhood, shortest_paths
from graph.analysis.structure import (
    BETWEENNESS_SAMPLES,
    EXACT_BETWEENNESS_LIMIT,
    METRICS,
    communities,
    rank,
    single_points_of_failure,
)
from graph.analysis.time import best_date, fact_marks, timeline

__all__ = [
    "BETWEENNESS_SAMPLES",
    "EXACT_BETWEENNESS_LIMIT",
    "METRICS",
    "Fact",
    "Hop",
    "Link",
    "Ranking",
    "SinglePointsOfFailure",
    "TimelineEntry",
    "best_date",
    "communities",
    "dependency_closure",
    "dependency_facts",
    "fact_marks",
    "impact",
    "k_shortest_paths",
    "neighbourhood",
    "rank",
    "shortest_paths",
    "single_points_of_failure",
    "timeline",
    "why_no_links",
]
