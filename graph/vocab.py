"""The claim vocabulary: how a fact, its evidence and its sources are written in rdflib.RDF.

Every fact is asserted as a plain triple and reified by an ``ag:Claim`` that
names it with ``rdf:subject``, ``rdf:predicate`` and ``rdf:object`` and carries
its source (``prov:wasQuotedFrom``), verbatim quote and qualifiers. The modules
that write claims (:mod:`graph.build`, :mod:`graph.synth`) and those that read
them (:mod:`graph.network`, :func:`graph.api.stats`) take the terms from here;
``ag:`` terms come from the closed :data:`graph.namespaces.AG`, so a term that
is not in the ontology fails on import.

>>> str(QUOTE)
'https://w3id.org/alliance-graph/ontology#quote'
>>> EVIDENCE_KEYS[POINT_IN_TIME]
'date'
"""

from __future__ import annotations

import rdflib
from rdflib import URIRef

from graph.namespaces import AG, PREFIXES, PROV

# rdflib's namespaces are used through the module: as globals, the doctest finder
# would probe them and they warn.

#: The class of reified facts and of the documents that state them.
CLAIM_CLASS, SOURCE_CLASS = AG.Claim, AG.Source
#: The fact a claim reifies.
SUBJECT, PREDICATE, OBJECT = rdflib.RDF.subject, rdflib.RDF.predicate, rdflib.RDF.object
#: The source a claim quotes, the quote and where it sits in the source's text.
SOURCE = PROV.wasQuotedFrom
QUOTE, QUOTE_START, QUOTE_END = AG.quote, AG.quoteStart, AG.quoteEnd
#: The claim's rank among the claims of its fact (ag:PreferredRank …) and why.
RANK, RANK_REASON = AG.rank, AG.rankReason
#: Qualifiers: when, in which office, how much.
POINT_IN_TIME, VALID_FROM, VALID_UNTIL = AG.pointInTime, AG.validFrom, AG.validUntil
ROLE, AMOUNT, CURRENCY, QUANTITY = AG.role, AG.amount, AG.currency, AG.quantity

#: Links between the claims of one fact (:mod:`graph.reconcile`), by ``Link.kind``.
CLAIM_LINKS: dict[str, URIRef] = {
    "corroborates": AG.corroborates,
    "refines": AG.refines,
    "conflictsWith": AG.conflictsWith,
}
#: Links stated both ways (``refines`` has a direction).
SYMMETRIC_LINKS = frozenset({"corroborates", "conflictsWith"})

#: Claim properties → key of the evidence dicts of :func:`graph.network.to_networkx`.
EVIDENCE_KEYS: dict[URIRef, str] = {
    SUBJECT: "s",
    PREDICATE: "p",
    OBJECT: "o",
    SOURCE: "source",
    QUOTE: "quote",
    POINT_IN_TIME: "date",
    VALID_FROM: "valid_from",
    VALID_UNTIL: "valid_until",
    ROLE: "role",
    AMOUNT: "amount",
    CURRENCY: "currency",
    QUANTITY: "quantity",
    RANK: "rank",
    RANK_REASON: "rank_reason",
}
#: Source metadata → key of ``G.graph["sources"]`` entries (and of the projection's reader).
SOURCE_KEYS: dict[URIRef, str] = {
    rdflib.DCTERMS.title: "title",
    rdflib.DCTERMS.publisher: "publisher",
    rdflib.DCTERMS.issued: "date",
    rdflib.RDFS.comment: "notes",
    rdflib.SKOS.exactMatch: "url",
    AG.independentSource: "independence",
    AG.excerpt: "excerpt",
}

#: Entity description: identifier, labels, aliases.
IDENTIFIER, LABEL, PREF_LABEL, ALT_LABEL, DESCRIPTION, EXACT_MATCH = (
    rdflib.DCTERMS.identifier,
    rdflib.RDFS.label,
    rdflib.SKOS.prefLabel,
    rdflib.SKOS.altLabel,
    rdflib.DCTERMS.description,
    rdflib.SKOS.exactMatch,
)


def sparql_prefixes(*names: str) -> str:
    """``PREFIX`` lines for the named prefixes of :data:`graph.namespaces.PREFIXES`.

    >>> print(sparql_prefixes("ag", "rdf"))
    PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    """
    return "\n".join(f"PREFIX {n}: <{PREFIXES[n]}>" for n in names)
