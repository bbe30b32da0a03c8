"""The synthetic generator: ontology-conformant, sized, seeded, skewed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Graph

from graph.cli import main
from graph.namespaces import AG
from graph.ontology import load_ontology
from graph.synth import generate, write_synthetic
from graph.validate import validate_graph


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    path = write_synthetic(tmp_path_factory.mktemp("synth") / "g.nt", 6_000, seed=5)
    return Graph().parse(path, format="nt")


def test_synthetic_graph_satisfies_the_shapes(small: Graph) -> None:
    report = validate_graph(small, load_ontology(), raise_on_error=False)
    assert report.violations == []


def test_size_is_close_to_the_request(small: Graph) -> None:
    assert abs(len(small) - 6_000) < 300


def test_every_class_and_many_predicates_appear(small: Graph) -> None:
    onto = load_ontology()
    types = {onto.class_name(t) for t in small.objects(None, RDF.type)}
    assert {"GovernmentAgency", "Agreement", "Programme", "Person", "Event"} <= types
    predicates = {onto.compact(p) for p in small.objects(None, RDF.predicate)}
    assert len(predicates) >= 15
    assert predicates & onto.dependency_predicates


def test_degrees_are_skewed(small: Graph) -> None:
    predicates = {x.iri for x in load_ontology().claim_predicates.values()}
    degree = Counter(o for _, p, o in small if p in predicates and str(o).startswith("http"))
    counts = sorted(degree.values(), reverse=True)
    assert counts[0] > 10 * (sum(counts) / len(counts))


def test_same_seed_same_graph() -> None:
    assert list(generate(3_000, seed=9)) == list(generate(3_000, seed=9))
    assert list(generate(3_000, seed=9)) != list(generate(3_000, seed=10))


def test_every_claim_is_asserted(small: Graph) -> None:
    for claim in small.subjects(RDF.type, AG.Claim):
        s, p, o = (small.value(claim, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        assert (s, p, o) in small


def test_every_claim_is_ranked_one_preferred_per_fact(small: Graph) -> None:
    ranks = {c.iri: n for n, c in load_ontology().concepts("Rank").items()}
    preferred: Counter[tuple[object, ...]] = Counter()
    claims = list(small.subjects(RDF.type, AG.Claim))
    for claim in claims:
        rank = list(small.objects(claim, AG.rank))
        assert len(rank) == 1 and rank[0] in ranks
        assert small.value(claim, AG.rankReason)
        fact = tuple(small.value(claim, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if ranks[rank[0]] == "preferred":
            preferred[fact] += 1
        else:  # another claim of a fact drawn again agrees with its preferred claim
            (other,) = small.objects(claim, AG.corroborates)
            assert ranks[small.value(other, AG.rank)] == "preferred"
            assert (other, AG.corroborates, claim) in small
            assert (
                tuple(small.value(other, x) for x in (RDF.subject, RDF.predicate, RDF.object))
                == fact
            )
    facts = {
        tuple(small.value(c, x) for x in (RDF.subject, RDF.predicate, RDF.object)) for c in claims
    }
    assert set(preferred) == facts and set(preferred.values()) == {1}


def test_sources_have_a_kind_and_a_copy_kind(small: Graph) -> None:
    onto = load_ontology()
    kinds = {c.iri for c in onto.concepts("SourceKind").values()}
    copies = {c.iri for c in onto.concepts("CopyKind").values()}
    sources = list(small.subjects(RDF.type, AG.Source))
    assert sources
    for source in sources:
        assert small.value(source, AG.sourceKind) in kinds
        assert small.value(source, AG.copyKind) in copies
        assert small.value(source, AG.independentSource)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.nt"
    assert main(["synth", "--triples", "1000", "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: ")
    assert out.stat().st_size > 0


# --- synthetic records (YAML), for the build benchmark ---------------------------------
@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from graph.synth_records import write_records

    return write_records(tmp_path_factory.mktemp("records") / "data", 150, 900, seed=7)


def test_synthetic_records_build_and_validate(records: Path) -> None:
    from graph import api

    result = api.validate(records)
    assert result.report.ok
    assert len(result.dataset.entities) == 150
    assert len(result.dataset.claims) == 900
    # Repeated facts refine or corroborate one another; none contradicts.
    assert not result.reconciliation.conflicts


def test_synthetic_records_are_shaped_like_the_corpus(records: Path) -> None:
    from graph import api

    onto = load_ontology()
    dataset = api.load_dataset(records, ontology=onto)
    assert len({e.record.type for e in dataset.entities.values()}) >= 10
    claims = dataset.claims
    assert sum(c.point_in_time is not None for c in claims) > len(claims) / 5
    assert {c.point_in_time.precision for c in claims if c.point_in_time} == {
        "year",
        "month",
        "day",
    }
    # Dependencies form chains (a depends on b, b on c), pointing to earlier entities.
    deps = {(c.subject, c.obj) for c in claims if c.predicate.name in onto.dependency_predicates}
    heads = {s for s, _ in deps}
    assert any(o in heads for _, o in deps)
    # Each quote is text of its source, at the offsets recorded.
    for claim in claims[:200]:
        text = dataset.sources[claim.source].text
        assert text[claim.quote_start : claim.quote_end] == claim.quote


def test_synthetic_records_same_seed_same_files(tmp_path: Path) -> None:
    from graph.synth_records import write_records

    def files(root: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
        }

    a = write_records(tmp_path / "a", 60, 200, seed=3)
    b = write_records(tmp_path / "b", 60, 200, seed=3)
    c = write_records(tmp_path / "c", 60, 200, seed=4)
    assert files(a) == files(b) != files(c)


def test_synthetic_records_refuse_a_folder_in_use(tmp_path: Path) -> None:
    from graph.synth_records import write_records

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_records(tmp_path / "data", 20, 40)
    assert (tmp_path / "data" / "mine.txt").read_text(encoding="utf-8") == "keep"
