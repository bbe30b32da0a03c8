"""IRIs of the project, defined in one place.

``AG`` is the ontology namespace; entity, claim and source IRIs are minted from
``ENTITY_BASE``. Imports rdflib only for the :class:`~rdflib.Namespace` objects.
"""

from __future__ import annotations

from rdflib import Namespace

BASE = "https://w3id.org/alliance-graph/"
AG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
CLAIM = Namespace(BASE + "claim/")
SHAPES = Namespace(BASE + "shapes#")

ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
CCO = Namespace("https://www.commoncoreontologies.org/")

PREFIXES: dict[str, str] = {
    "ag": str(AG),
    "agid": str(ID),
    "agc": str(CLAIM),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "cco": str(CCO),
}


def entity_iri(entity_id: str) -> str:
    """Return the IRI of the entity (or source) with this id.

    >>> entity_iri("dod")
    'https://w3id.org/alliance-graph/id/dod'
    """
    return str(ID) + entity_id


def entity_id(iri: str) -> str:
    """Return the id of an entity IRI minted by :func:`entity_iri`.

    >>> entity_id("https://w3id.org/alliance-graph/id/gpi")
    'gpi'
    """
    if not iri.startswith(str(ID)):
        raise ValueError(f"{iri!r} is not an alliance-graph entity IRI")
    return iri[len(str(ID)):]
