"""The schema, read from ``ontology/alliance.ttl``: classes, predicates, domains, ranges.

Python does not restate the class or property lists: records are checked against
what this module reads. Depends on :mod:`graph.errors` and :mod:`graph.namespaces`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import rdflib
from rdflib import Graph, URIRef
from rdflib.namespace import split_uri

from graph.errors import OntologyError
from graph.namespaces import AG
from graph.resources import ontology_dir

# rdflib's namespaces are used through the module: as globals, the doctest finder
# would probe them and they warn.

#: Literal kinds a datatype property may take, by its rdfs:range.
LITERAL_KINDS: dict[URIRef, str] = {
    rdflib.XSD.string: "string",
    rdflib.XSD.boolean: "boolean",
    rdflib.XSD.decimal: "decimal",
    rdflib.XSD.integer: "integer",
    AG.Date: "date",
}


@dataclass(frozen=True)
class OntClass:
    """A class of the ontology."""

    name: str
    iri: URIRef
    label_en: str
    label_ja: str | None
    comment: str
    ancestors: frozenset[URIRef]


@dataclass(frozen=True)
class Concept:
    """A named value of a controlled list (source kinds, copy kinds, ranks)."""

    notation: str
    iri: URIRef
    label_en: str
    label_ja: str | None
    comment: str
    precedence: int


@dataclass(frozen=True)
class OntProperty:
    """A property a claim may use (or a qualifier of claims)."""

    name: str
    iri: URIRef
    kind: str  # "object" or "datatype"
    domain: URIRef
    range: URIRef
    label_en: str
    label_ja: str | None
    comment: str
    ancestors: frozenset[URIRef] = field(default_factory=frozenset)

    @property
    def literal_kind(self) -> str | None:
        """``"date"``, ``"string"`` … for datatype properties, else None."""
        return LITERAL_KINDS.get(self.range) if self.kind == "datatype" else None


def _label(graph: Graph, subject: URIRef, lang: str) -> str | None:
    for value in graph.objects(subject, rdflib.RDFS.label):
        if getattr(value, "language", None) == lang:
            return str(value)
    return None


class Ontology:
    """The classes and properties of ``alliance.ttl``.

    Parameters
    ----------
    graph : rdflib.Graph
        The parsed ontology.
    path : Path
        Where it came from, for error messages.

    Examples
    --------
    >>> onto = load_ontology()
    >>> onto.is_subclass("GovernmentAgency", "Agent")
    True
    >>> "buildsOn" in onto.dependency_predicates
    True
    """

    def __init__(self, graph: Graph, path: Path) -> None:
        self.graph = graph
        self.path = path
        self.classes: dict[str, OntClass] = {}
        self.properties: dict[str, OntProperty] = {}
        self._concepts: dict[str, dict[str, Concept]] = {}
        self._read_classes()
        self._read_properties()

    def _read_classes(self) -> None:
        g = self.graph
        for iri in sorted(set(g.subjects(rdflib.RDF.type, rdflib.OWL.Class)), key=str):
            if not isinstance(iri, URIRef) or not str(iri).startswith(str(AG)):
                continue
            name = str(iri)[len(str(AG)) :]
            ancestors = frozenset(
                a
                for a in g.transitive_objects(iri, rdflib.RDFS.subClassOf)
                if isinstance(a, URIRef)
            )
            label = _label(g, iri, "en")
            if label is None:
                raise OntologyError(f"class {name} has no English rdfs:label", path=self.path)
            self.classes[name] = OntClass(
                name,
                iri,
                label,
                _label(g, iri, "ja"),
                str(g.value(iri, rdflib.RDFS.comment) or ""),
                ancestors,
            )

    def _read_properties(self) -> None:
        g = self.graph
        for kind, rdf_class in (
            ("object", rdflib.OWL.ObjectProperty),
            ("datatype", rdflib.OWL.DatatypeProperty),
        ):
            for iri in sorted(set(g.subjects(rdflib.RDF.type, rdf_class)), key=str):
                assert isinstance(iri, URIRef)
                name = self.compact(iri)
                domain, range_ = g.value(iri, rdflib.RDFS.domain), g.value(iri, rdflib.RDFS.range)
                label = _label(g, iri, "en")
                if domain is None or range_ is None or label is None:
                    raise OntologyError(
                        f"property {name} needs rdfs:domain, rdfs:range and an English label",
                        path=self.path,
                    )
                ancestors = frozenset(
                    a
                    for a in g.transitive_objects(iri, rdflib.RDFS.subPropertyOf)
                    if isinstance(a, URIRef)
                )
                self.properties[name] = OntProperty(
                    name,
                    iri,
                    kind,
                    URIRef(str(domain)),
                    URIRef(str(range_)),
                    label,
                    _label(g, iri, "ja"),
                    str(g.value(iri, rdflib.RDFS.comment) or ""),
                    ancestors,
                )
        # Edges of the NetworkX projection are keyed by local name: keep them unique.
        locals_ = [split_uri(p.iri)[1] for p in self.properties.values()]
        clashes = {n for n in locals_ if locals_.count(n) > 1}
        if clashes:
            raise OntologyError(
                f"property local names must be unique, these clash: {sorted(clashes)}",
                path=self.path,
            )

    def compact(self, iri: URIRef) -> str:
        """Return ``localName`` for ``ag:`` terms and ``prefix:localName`` for others."""
        if str(iri).startswith(str(AG)):
            return str(iri)[len(str(AG)) :]
        return self.graph.namespace_manager.normalizeUri(iri)

    # --- questions the loader and the analysis ask ---------------------------
    def is_subclass(self, name: str, ancestor: str) -> bool:
        """True if class ``name`` is ``ancestor`` or below it."""
        cls = self.classes[name]
        target = self.classes[ancestor].iri
        return cls.iri == target or target in cls.ancestors

    def class_satisfies(self, name: str, required: URIRef) -> bool:
        """True if instances of class ``name`` are instances of the IRI ``required``."""
        cls = self.classes[name]
        return cls.iri == required or required in cls.ancestors

    @cached_property
    def claim_predicates(self) -> dict[str, OntProperty]:
        """Properties a claim may state: all but qualifiers of claims and source metadata."""
        excluded = {AG.Claim, AG.Source}
        return {n: p for n, p in self.properties.items() if p.domain not in excluded}

    @cached_property
    def qualifiers(self) -> dict[str, OntProperty]:
        """Properties of ag:Claim nodes (quote, dates, role, amount …)."""
        return {n: p for n, p in self.properties.items() if p.domain == AG.Claim}

    @cached_property
    def dependency_predicates(self) -> frozenset[str]:
        """Names of ag:dependsOn and every property below it.

        Analysis follows these generically instead of a hard-coded list.
        """
        return frozenset(
            n
            for n, p in self.properties.items()
            if p.iri == AG.dependsOn or AG.dependsOn in p.ancestors
        )

    def concepts(self, scheme: str) -> dict[str, Concept]:
        """The values of a controlled list, by ``skos:notation``.

        ``scheme`` is the local name of the class whose instances they are
        (``SourceKind``, ``CopyKind``, ``Rank``).

        >>> sorted(load_ontology().concepts("CopyKind"))
        ['original', 'reprint', 'reworded']
        """
        if scheme not in self._concepts:  # read once: asked once per claim by the loader
            self._concepts[scheme] = self._read_concepts(AG[scheme])
        return self._concepts[scheme]

    def _read_concepts(self, cls: URIRef) -> dict[str, Concept]:
        g = self.graph
        found: dict[str, Concept] = {}
        for iri in sorted(set(g.subjects(rdflib.RDF.type, cls)), key=str):
            notation = g.value(iri, rdflib.SKOS.notation)
            label = _label(g, iri, "en") if isinstance(iri, URIRef) else None
            if not isinstance(iri, URIRef) or notation is None or label is None:
                raise OntologyError(
                    f"{self.compact(URIRef(str(iri)))} needs skos:notation and an English label",
                    path=self.path,
                )
            precedence = g.value(iri, AG.precedence)
            found[str(notation)] = Concept(
                str(notation),
                iri,
                label,
                _label(g, iri, "ja"),
                str(g.value(iri, rdflib.RDFS.comment) or ""),
                int(precedence) if isinstance(precedence, rdflib.Literal) else 0,
            )
        return found

    def cues(self, name: str) -> tuple[str, ...]:
        """The cue words (``ag:cue``) of a property or class, by name, sorted.

        Words whose presence in a sentence suggests the predicate, or an
        instance of the class; the ingest pipeline ranks drafted claims with them.

        >>> load_ontology().cues("signedBy")
        ('signatory', 'signature', 'signing', 'sign', '署名')
        """
        if name in self.properties:
            iri = self.properties[name].iri
        elif name in self.classes:
            iri = self.classes[name].iri
        else:
            raise KeyError(name)
        # Longest first, so that a phrase is tried before a word inside it.
        return tuple(
            sorted((str(c) for c in self.graph.objects(iri, AG.cue)), key=lambda c: (-len(c), c))
        )

    @cached_property
    def nesting_predicates(self) -> frozenset[str]:
        """Predicates marked ``ag:nestingCue``: what a name inside a name suggests.

        >>> sorted(load_ontology().nesting_predicates)
        ['industrialBaseOf', 'org:subOrganizationOf']
        """
        return frozenset(
            n for n, p in self.properties.items() if bool(self.graph.value(p.iri, AG.nestingCue))
        )

    # Annotations asked once per claim or fact: read from the graph once, into sets.
    @cached_property
    def _functional(self) -> frozenset[str]:
        return frozenset(
            n
            for n, p in self.properties.items()
            if (p.iri, rdflib.RDF.type, rdflib.OWL.FunctionalProperty) in self.graph
        )

    @cached_property
    def _rounded(self) -> frozenset[str]:
        return frozenset(
            n
            for n, p in self.properties.items()
            if str(self.graph.value(p.iri, AG.valueComparison)) == "rounded"
        )

    @cached_property
    def _instantaneous(self) -> frozenset[str]:
        return frozenset(
            n
            for n, p in self.properties.items()
            if (v := self.graph.value(p.iri, AG.instantaneous)) is not None
            and isinstance(v, rdflib.Literal)
            and bool(v.toPython())
        )

    def functional(self, name: str) -> bool:
        """True if the named property is an ``owl:FunctionalProperty``: one value per subject."""
        return name in self._functional

    def value_comparison(self, name: str) -> str:
        """``"rounded"`` or ``"exact"``: how numbers of the property compare."""
        return "rounded" if name in self._rounded else "exact"

    def instantaneous(self, name: str) -> bool:
        """True if the relation comes about at one moment (``ag:instantaneous true``):
        different points in time for it are a conflict, not separate observations."""
        return name in self._instantaneous

    @cached_property
    def styles(self) -> dict[str, tuple[str, str]]:
        """``{class name: (colour, shape)}`` from ``ag:colour`` and ``ag:shape``: how the
        explorer draws instances of each class that has both.

        >>> load_ontology().styles["Nation"]
        ('#4477AA', 'star')
        """
        found = {}
        g = self.graph
        for name, cls in self.classes.items():
            colour, shape = g.value(cls.iri, AG.colour), g.value(cls.iri, AG.shape)
            if colour is not None and shape is not None:
                found[name] = (str(colour), str(shape))
        return found

    @cached_property
    def synth_weights(self) -> dict[str, int]:
        """``{class name: weight}`` from ``ag:synthWeight``, in name order: the classes the
        synthetic-graph generator draws entities from, and how often.

        >>> load_ontology().synth_weights["Company"]
        20
        """
        found = {}
        for name, cls in sorted(self.classes.items()):
            weight = self.graph.value(cls.iri, AG.synthWeight)
            if isinstance(weight, rdflib.Literal):
                found[name] = int(weight)
        return found

    def entity_classes(self) -> dict[str, OntClass]:
        """Classes whose instances are entities (below ag:Entity)."""
        return {n: c for n, c in self.classes.items() if n != "Entity" and AG.Entity in c.ancestors}

    def class_name(self, iri: URIRef) -> str:
        """Local name of a class IRI of the ontology."""
        for name, cls in self.classes.items():
            if cls.iri == iri:
                return name
        return self.compact(iri)


@cache
def shipped_ontology() -> Ontology:
    """The shipped ontology, parsed once per process (treat it as read-only)."""
    return load_ontology()


def load_ontology(path: Path | None = None) -> Ontology:
    """Parse ``alliance.ttl`` (the shipped one by default).

    Raises
    ------
    OntologyError
        If the file does not parse or a term lacks its label, domain or range.
    """
    path = path or ontology_dir() / "alliance.ttl"
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds; all mean "does not parse"
        raise OntologyError(f"does not parse: {exc}", path=path) from exc
    return Ontology(graph, path)
