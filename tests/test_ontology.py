"""The ontology: complete labels, domains and ranges, CCO alignment, the dependency group;
and the ontology as the one source of the vocabulary Python uses (the closed ``AG``
namespace, explorer styles, synthetic weights, dependency predicates)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, URIRef

from graph import namespaces
from graph.errors import OntologyError
from graph.namespaces import AG, CCO
from graph.ontology import LITERAL_KINDS, Ontology, load_ontology
from graph.resources import ontology_dir

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


def ag_terms(onto: Ontology) -> list[URIRef]:
    g = onto.graph
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype)
    return sorted(
        {
            s
            for k in kinds
            for s in g.subjects(RDF.type, k)
            if isinstance(s, URIRef) and str(s).startswith(str(AG))
        }
    )


def test_every_term_has_english_and_japanese_label_and_comment(onto: Ontology) -> None:
    terms = ag_terms(onto)
    assert len(terms) > 50
    for term in terms:
        langs = {getattr(lbl, "language", None) for lbl in onto.graph.objects(term, RDFS.label)}
        assert {"en", "ja"} <= langs, term
        assert onto.graph.value(term, RDFS.comment) is not None, term


def test_domains_and_ranges_are_terms_the_ontology_or_xsd_defines(onto: Ontology) -> None:
    # Loading guarantees that each property has a domain and a range; not that they
    # name a class that exists or a datatype Python knows how to read.
    classes = {c.iri for c in onto.classes.values()}
    for prop in onto.properties.values():
        assert prop.domain in classes, (prop.name, prop.domain)
        if prop.kind == "object":
            assert prop.range in classes, (prop.name, prop.range)
        else:
            assert prop.range in LITERAL_KINDS, (prop.name, prop.range)


def test_a_property_without_a_range_is_an_error(tmp_path: Path) -> None:
    text = (ontology_dir() / "alliance.ttl").read_text(encoding="utf-8")
    broken = tmp_path / "alliance.ttl"
    broken.write_text(
        text.replace(
            "rdfs:domain ag:Programme ; rdfs:range ag:Programme .", "rdfs:domain ag:Programme .", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(OntologyError, match="buildsOn needs rdfs:domain, rdfs:range"):
        load_ontology(broken)


# --- the closed namespace ----------------------------------------------------------------
def test_ag_namespace_has_exactly_the_terms_of_the_ontology(onto: Ontology) -> None:
    defined = {
        str(s)[len(str(AG)) :]
        for s in set(onto.graph.subjects())
        if isinstance(s, URIRef) and str(s).startswith(str(AG))
    }
    used = {
        str(t)[len(str(AG)) :]
        for triple in onto.graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(AG))
    }
    assert used <= defined  # every ag: term the ontology uses, it defines
    in_python = set(AG.__annotations__)
    assert defined - in_python == set()  # no ontology term missing from AG
    assert in_python - defined == set()  # no term in AG that the ontology lacks


def test_ag_namespace_is_closed() -> None:
    assert AG.buildsOn == URIRef(str(AG) + "buildsOn")
    with pytest.raises(AttributeError):
        AG.buildOn  # noqa: B018 - a misspelling must fail
    with pytest.raises(AttributeError):
        AG["partOf"]


def test_generated_terms_module_is_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph.namespaces", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert namespaces.terms_source() == (ROOT / "graph" / "terms.py").read_text(encoding="utf-8")


def test_the_generator_sees_a_new_term(tmp_path: Path) -> None:
    text = (ontology_dir() / "alliance.ttl").read_text(encoding="utf-8")
    extended = tmp_path / "alliance.ttl"
    extended.write_text(
        text + '\nag:Satellite a owl:Class ; rdfs:label "satellite"@en .\n', encoding="utf-8"
    )
    assert "    Satellite: URIRef\n" in namespaces.terms_source(extended)
    assert "    Satellite: URIRef\n" not in namespaces.terms_source()


def test_python_spells_no_ag_term_the_ontology_lacks(onto: Ontology) -> None:
    # AG.<name> fails on import; this catches IRIs spelled out in strings.
    defined = set(AG.__annotations__)
    pattern = re.compile(re.escape(str(AG)) + r"(\w+)")
    for folder in ("graph", "tests", "benchmarks", "notebooks"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for name in pattern.findall(path.read_text(encoding="utf-8")):
                assert name in defined, f"{path.relative_to(ROOT)}: ag:{name}"


# --- vocabulary read from the ontology ---------------------------------------------------
def test_styles_come_from_the_ontology(onto: Ontology) -> None:
    from graph.render import DEFAULT_STYLE, STYLE

    g = onto.graph
    annotated = {onto.class_name(s) for s in g.subjects(AG.colour, None)}
    assert set(STYLE) == annotated == set(onto.styles)
    shapes = {"dot", "star", "triangle", "triangleDown", "square", "diamond", "hexagon"}
    for name, (colour, shape) in STYLE.items():
        assert re.fullmatch(r"#[0-9A-F]{6}", colour), name
        assert shape in shapes, name
        assert onto.is_subclass(name, "Entity"), name
    # Colour tells types apart, and no type looks like an unstyled one.
    assert len({c for c, _ in STYLE.values()}) == len(STYLE)
    assert DEFAULT_STYLE[0] not in {c for c, _ in STYLE.values()}


def test_every_entity_class_with_instances_in_the_records_has_a_style(onto: Ontology) -> None:
    from graph import api
    from graph.render import STYLE

    used = {e.record.type for e in api.load_dataset().entities.values()}
    # Places are drawn in the default style; every other type in use has its own.
    assert used - set(STYLE) <= {"Place"}


def test_dependency_predicates_of_views_are_the_sub_properties_of_depends_on(
    onto: Ontology,
) -> None:
    from graph.render import DEFAULT_DEPENDENCY_PREDICATES

    below = {
        onto.compact(s) for s in onto.graph.transitive_subjects(RDFS.subPropertyOf, AG.dependsOn)
    }
    assert frozenset(below) == DEFAULT_DEPENDENCY_PREDICATES


def test_synthetic_weights_come_from_the_ontology(onto: Ontology) -> None:
    from graph.synth import TYPE_WEIGHTS

    weighted = {
        onto.class_name(s): int(w.toPython()) for s, w in onto.graph.subject_objects(AG.synthWeight)
    }
    assert weighted == TYPE_WEIGHTS and all(w > 0 for w in weighted.values())
    assert all(onto.is_subclass(name, "Entity") for name in weighted)


def test_new_annotation_properties_are_declared_and_labelled(onto: Ontology) -> None:
    for prop in (AG.colour, AG.shape, AG.synthWeight):
        assert (prop, RDF.type, OWL.AnnotationProperty) in onto.graph
        assert onto.graph.value(prop, RDFS.comment) is not None
        langs = {getattr(x, "language", None) for x in onto.graph.objects(prop, RDFS.label)}
        assert {"en", "ja"} <= langs


def test_claim_vocabulary_is_the_ontology_s(onto: Ontology) -> None:
    from graph import vocab

    # Claim qualifiers in the vocabulary are the ontology's properties of ag:Claim.
    qualifiers = {p.iri for p in onto.qualifiers.values()}
    ag_terms = {t for t in vocab.EVIDENCE_KEYS if str(t).startswith(str(AG))}
    assert ag_terms <= qualifiers
    assert {vocab.CLAIM_CLASS, vocab.SOURCE_CLASS} <= {c.iri for c in onto.classes.values()}
    links = set(onto.graph.subjects(RDF.type, OWL.ObjectProperty))
    assert set(vocab.CLAIM_LINKS.values()) <= links


def test_dependency_predicates_come_from_the_super_property(onto: Ontology) -> None:
    below = {
        onto.compact(s) for s in onto.graph.transitive_subjects(RDFS.subPropertyOf, AG.dependsOn)
    }
    assert onto.dependency_predicates == frozenset(below)
    assert {"buildsOn", "enabledBy", "licensedFrom", "modelledAfter"} <= onto.dependency_predicates


def test_every_entity_class_aligns_with_the_common_core_ontologies(onto: Ontology) -> None:
    g = onto.graph
    for name, cls in onto.entity_classes().items():
        aligned = [
            o
            for s in [cls.iri, *cls.ancestors]
            for p in (RDFS.subClassOf, SKOS.closeMatch, SKOS.exactMatch)
            for o in g.objects(s, p)
            if str(o).startswith(str(CCO))
        ]
        assert aligned, f"{name} has no CCO alignment"


def test_reuses_standard_vocabularies(onto: Ontology) -> None:
    iris = {str(p.iri) for p in onto.properties.values()}
    assert "http://www.w3.org/ns/org#headOf" in iris
    assert "http://www.w3.org/ns/org#subOrganizationOf" in iris
    assert (
        AG.Organization,
        RDFS.subClassOf,
        URIRef("http://www.w3.org/ns/org#Organization"),
    ) in onto.graph


def test_subclass_reasoning(onto: Ontology) -> None:
    assert onto.is_subclass("Nation", "Agent")
    assert onto.is_subclass("Regulation", "Policy")
    assert not onto.is_subclass("WeaponSystem", "Agent")
