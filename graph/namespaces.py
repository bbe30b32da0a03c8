"""IRIs of the project, defined in one place.

``AG`` is the ontology namespace, closed: a :class:`~rdflib.namespace.DefinedNamespace`
(in :mod:`graph.terms`) that knows every term of ``ontology/alliance.ttl`` and
raises ``AttributeError`` for any other, so a misspelt term fails where it is
written instead of minting a new IRI. ``graph/terms.py`` is generated from the
ontology; after editing ``alliance.ttl`` run::

    python -m graph.namespaces --write     # regenerate graph/terms.py
    python -m graph.namespaces --check     # exit 1 if it is out of date (the tests run it)

Entity, claim and source IRIs are minted from ``ID`` and ``CLAIM``. Imports
rdflib only for the namespace objects; the generator parses the ontology only
when run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Namespace

from graph.terms import AG, BASE

__all__ = [
    "AG",
    "BASE",
    "CCO",
    "CLAIM",
    "ID",
    "ORG",
    "PREFIXES",
    "PROV",
    "SCHEMA",
    "SHAPES",
    "entity_id",
    "entity_iri",
]

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
    return iri[len(str(ID)) :]


# --- the generator of graph/terms.py ------------------------------------------------------
_KINDS = (  # rdf:type of a term → heading of its group in graph/terms.py
    ("http://www.w3.org/2002/07/owl#Class", "Classes"),
    ("http://www.w3.org/2000/01/rdf-schema#Datatype", "Datatypes"),
    ("http://www.w3.org/2002/07/owl#ObjectProperty", "Object properties"),
    ("http://www.w3.org/2002/07/owl#DatatypeProperty", "Datatype properties"),
    ("http://www.w3.org/2002/07/owl#AnnotationProperty", "Annotation properties"),
)
_TERMS_HEADER = '''"""The terms of the ontology namespace ``ag:``, closed.

Generated from ``ontology/alliance.ttl`` by ``python -m graph.namespaces --write``;
do not edit. Import ``AG`` from :mod:`graph.namespaces`.
"""

from rdflib import URIRef, namespace

BASE = "https://w3id.org/alliance-graph/"


class AG(namespace.DefinedNamespace):
    """Every term ``alliance.ttl`` defines; any other name raises ``AttributeError``."""

    _NS = namespace.Namespace(BASE + "ontology#")
    _fail = True
'''


def ontology_terms(path: Path | None = None) -> dict[str, str]:
    """Every ``ag:`` term the ontology defines (is the subject of a triple), by local name,
    with the heading of its group (``"Classes"``, ``"Object properties"`` …)."""
    from rdflib import RDF, Graph, URIRef

    from graph.resources import ontology_dir

    graph = Graph().parse(path or ontology_dir() / "alliance.ttl", format="turtle")
    kinds = dict(_KINDS)
    ns = str(AG)
    terms: dict[str, str] = {}
    for subject in set(graph.subjects()):
        if isinstance(subject, URIRef) and str(subject).startswith(ns):
            types = {str(t) for t in graph.objects(subject, RDF.type)}
            heading = next((kinds[t] for t in kinds if t in types), "Named values")
            terms[str(subject)[len(ns) :]] = heading
    return terms


def terms_source(path: Path | None = None) -> str:
    """The text of ``graph/terms.py`` for the ontology at ``path`` (the shipped one)."""
    terms = ontology_terms(path)
    lines = [_TERMS_HEADER]
    for heading in [h for _, h in _KINDS] + ["Named values"]:
        names = sorted(n for n, h in terms.items() if h == heading)
        if names:
            lines.append(f"\n    # {heading}\n")
            lines.extend(f"    {name}: URIRef\n" for name in names)
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``--check`` (exit 1 if ``graph/terms.py`` is stale) or ``--write`` (regenerate it)."""
    args = sys.argv[1:] if argv is None else argv
    if args not in (["--check"], ["--write"]):
        print("usage: python -m graph.namespaces --check | --write", file=sys.stderr)
        return 2
    target = Path(__file__).with_name("terms.py")
    text = terms_source()
    if args == ["--write"]:
        target.write_text(text, encoding="utf-8")
        return 0
    if target.read_text(encoding="utf-8") != text:
        print(
            f"Error: {target.name} does not match ontology/alliance.ttl; "
            "run 'python -m graph.namespaces --write'",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
