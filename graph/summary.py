"""Counting a built graph: triples, entities by type, facts, claims and sources.

Reads the claim vocabulary from :mod:`graph.vocab` and walks rdflib's index
directly (no SPARQL), so ``stats`` costs little more than loading the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import RDF

from graph import vocab
from graph.namespaces import AG

if TYPE_CHECKING:
    from rdflib import Graph


def summarise(graph: Graph) -> dict[str, object]:
    """Counts of a built graph, as :func:`graph.api.stats` returns them.

    An entity is anything with a ``dcterms:identifier``, counted once under each
    of its types; sources are counted apart. A fact is a preferred claim
    (:mod:`graph.reconcile` chooses one per fact); it is corroborated when that
    claim corroborates another, i.e. the fact has two or more independent sources.
    """
    by_type: dict[str, int] = {}
    for entity in set(graph.subjects(vocab.IDENTIFIER, None)):
        for kind in set(graph.objects(entity, RDF.type)):
            name = str(kind).rsplit("#", 1)[-1]
            by_type[name] = by_type.get(name, 0) + 1
    by_type = dict(sorted(by_type.items()))
    claims = sum(
        1
        for c in graph.subjects(RDF.type, vocab.CLAIM_CLASS)
        for _ in graph.objects(c, vocab.SUBJECT)
    )
    preferred = set(graph.subjects(vocab.RANK, AG.PreferredRank))
    corroborated = sum(
        1
        for c in preferred
        if next(graph.objects(c, vocab.CLAIM_LINKS["corroborates"]), None) is not None
    )
    sources = by_type.pop("Source", 0)
    return {
        "triples": len(graph),
        "entities": sum(by_type.values()),
        "entities_by_type": by_type,
        "facts": len(preferred),
        "corroborated": corroborated,
        "corroborated_pct": round(100 * corroborated / len(preferred), 1) if preferred else 0.0,
        "claims": claims,
        "sources": sources,
    }
