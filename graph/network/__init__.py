"""The NetworkX projection of the built graph, with the evidence of every fact.

:func:`to_networkx` turns the built RDF (entities, asserted facts and their
``ag:Claim`` nodes) into an :class:`networkx.MultiDiGraph` whose nodes are
entities keyed by their plain ``str`` id and whose edges are the asserted
entity-to-entity facts, keyed by the predicate's local name and carrying every
claim's source, quote and qualifiers. Literal-valued facts become the ``facts``
attribute of their subject node, never nodes. :func:`resolve_entity` finds an
entity by id, label, Japanese label or alias, in any case.

One job per module: :mod:`~graph.network.triples` reads triples as plain
values, :mod:`~graph.network.schema` reads what the ontology says of predicates and
classes, :mod:`~graph.network.projection` builds the graph,
:mod:`~graph.network.status` judges a fact's sources, :mod:`~graph.network.names`
finds entities by name and :mod:`~graph.network.export` writes GraphML/GEXF.

Loading reads the built N-Triples with pyoxigraph's parser: at 1M triples
parse and projection took 4.3 s where rdflib's parse alone took 41 s and
``rdflib_to_networkx_multidigraph`` another 15 s (``benchmarks/bench_network.py``).
An rdflib graph already in memory is accepted too. The ontology gives the labels of types
and predicates and the dependency super-property. networkx, pyoxigraph and
rdflib are imported inside the functions so that ``import graph.network`` is
cheap. Depends on :mod:`graph.ontology`, :mod:`graph.vocab` (the claim vocabulary),
:mod:`graph.namespaces` and :mod:`graph.errors`; knows nothing of YAML or of rendering.

The projection's shape (consumed by :mod:`graph.render` and
:mod:`graph.analysis`):

- node attributes: ``iri``, ``type`` (class local name), ``label``,
  ``label_ja``, ``aliases``, ``description``, ``external_ids``, ``facts``
  (literal-valued facts with their evidence), ``dates`` (ISO strings at their
  precision, from the entity's claims in and out), ``sources`` (source ids);
- edge ``(subject, object, key=predicate)`` with ``predicate``,
  ``predicate_label``, ``iri`` and ``evidence`` (list of EVIDENCE dicts:
  ``claim``, ``source``, ``source_title``, ``quote``, ``date``, ``valid_from``,
  ``valid_until``, ``role``, ``amount``, ``currency``, ``quantity``, ``rank``
  (preferred, normal or deprecated), ``rank_reason``, ``links`` (claim IRIs it
  ``corroborates``, ``refines``, is ``refined_by``, ``conflicts_with``),
  ``asserted`` (False for a less precise or disputed value, given in ``value``))
  and ``status`` (:func:`fact_status`: independent sources, corroborated,
  refined, disputed); literal facts carry the same ``evidence`` and ``status``;
- ``G.graph``: ``sources``, ``type_labels``, ``predicate_labels``,
  ``dependency_predicates``.
"""

from __future__ import annotations

from graph.dates import date_bounds, valid_as_of
from graph.network.export import EXPORT_FORMATS, flatten_for_export, write_network
from graph.network.names import entity_names, resolve_entity
from graph.network.projection import RDF_TYPE, to_networkx
from graph.network.status import fact_status

__all__ = [
    "EXPORT_FORMATS",
    "RDF_TYPE",
    "date_bounds",
    "entity_names",
    "fact_status",
    "flatten_for_export",
    "resolve_entity",
    "to_networkx",
    "valid_as_of",
    "write_network",
]
