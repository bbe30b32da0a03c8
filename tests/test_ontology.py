"""The ontology: complete labels, domains and ranges, CCO alignment, the dependency group."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, URIRef

from graph.namespaces import AG, CCO
from graph.ontology import Ontology, load_ontology


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


def ag_terms(onto: Ontology) -> list[URIRef]:
    g = onto.graph
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype)
    return sorted({s for k in kinds for s in g.subjects(RDF.type, k)
                   if isinstance(s, URIRef) and str(s).startswith(str(AG))})


def test_every_term_has_english_and_japanese_label_and_comment(onto: Ontology) -> None:
    terms = ag_terms(onto)
    assert len(terms) > 50
    for term in terms:
        langs = {getattr(lbl, "language", None) for lbl in onto.graph.objects(term, RDFS.label)}
        assert {"en", "ja"} <= langs, term
        assert onto.graph.value(term, RDFS.comment) is not None, term


def test_every_property_has_domain_and_range(onto: Ontology) -> None:
    assert len(onto.properties) > 40
    for prop in onto.properties.values():
        assert prop.domain is not None and prop.range is not None, prop.name


def test_dependency_predicates_come_from_the_super_property(onto: Ontology) -> None:
    below = {onto.compact(s) for s in onto.graph.transitive_subjects(RDFS.subPropertyOf,
                                                                     AG.dependsOn)}
    assert onto.dependency_predicates == frozenset(below)
    assert {"buildsOn", "enabledBy", "licensedFrom", "modelledAfter"} <= onto.dependency_predicates


def test_every_entity_class_aligns_with_the_common_core_ontologies(onto: Ontology) -> None:
    g = onto.graph
    for name, cls in onto.entity_classes().items():
        aligned = [o for s in [cls.iri, *cls.ancestors]
                   for p in (RDFS.subClassOf, SKOS.closeMatch, SKOS.exactMatch)
                   for o in g.objects(s, p) if str(o).startswith(str(CCO))]
        assert aligned, f"{name} has no CCO alignment"


def test_reuses_standard_vocabularies(onto: Ontology) -> None:
    iris = {str(p.iri) for p in onto.properties.values()}
    assert "http://www.w3.org/ns/org#headOf" in iris
    assert "http://www.w3.org/ns/org#subOrganizationOf" in iris
    assert (AG.Organization, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")) \
        in onto.graph


def test_subclass_reasoning(onto: Ontology) -> None:
    assert onto.is_subclass("Nation", "Agent")
    assert onto.is_subclass("Regulation", "Policy")
    assert not onto.is_subclass("WeaponSystem", "Agent")
