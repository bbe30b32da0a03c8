"""Release files of the build: the full file answers ``ag:dependsOn+`` and symmetric
questions in plain rdflib with exactly the entailed triples; the VoID counts, the
claims table and the ontology page agree with independent readings of the graph,
the records and the ontology."""

from __future__ import annotations

import html
import tomllib
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef

from graph import api
from graph.analysis import dependency_closure
from graph.dates import PartialDate
from graph.entailment import Rules, entail
from graph.namespaces import AG, ID
from graph.network import to_networkx
from graph.release import DATA_RIGHTS, release_files

ROOT = Path(__file__).parents[1]
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
PREFIXES = """
PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
PREFIX agid: <https://w3id.org/alliance-graph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


def eid(term: object) -> str:
    return str(term)[len(str(ID)) :]


@pytest.fixture(scope="module")
def full(built_dir: Path) -> Graph:
    """The full release, parsed by plain rdflib with no reasoner."""
    return Graph().parse(built_dir / "alliance-full.ttl", format="turtle")


@pytest.fixture(scope="module")
def base(built_dir: Path) -> Graph:
    return Graph().parse(built_dir / "alliance-base.ttl", format="turtle")


def test_base_is_the_data_alone(built_dir: Path) -> None:
    assert (built_dir / "alliance-base.ttl").read_bytes() == (
        built_dir / "alliance.ttl"
    ).read_bytes()


def test_full_answers_depends_on_plus_as_networkx_does(built: api.BuildResult, full: Graph) -> None:
    G = to_networkx(built.graph)
    expected = {
        (node, link.fact.object) for node in G.nodes for link in dependency_closure(G, node)
    }
    assert expected, "the shipped data states dependencies"
    rows = full.query(PREFIXES + "SELECT ?a ?b WHERE { ?a ag:dependsOn+ ?b }")
    assert {(eid(a), eid(b)) for a, b in rows} == expected  # type: ignore[misc]
    # The closure is stated, so the one-step question has the same answer.
    direct = full.query(PREFIXES + "SELECT ?a ?b WHERE { ?a ag:dependsOn ?b }")
    assert {(eid(a), eid(b)) for a, b in direct} == expected  # type: ignore[misc]


def test_symmetric_and_inverse_properties_answer_both_ways(base: Graph, full: Graph) -> None:
    spouses = list(base.subject_objects(AG.spouse))
    assert spouses, "the shipped data names a spouse"
    for a, b in spouses:
        for x, y in ((a, b), (b, a)):
            rows = full.query(PREFIXES + f"SELECT ?x WHERE {{ ?x ag:spouse <{y}> }}")
            assert x in {r[0] for r in rows}  # type: ignore[index]
    for p, q in full.subject_objects(OWL.inverseOf):
        for s, o in base.subject_objects(p):
            assert (o, q, s) in full, (s, p, o)
        for s, o in base.subject_objects(q):
            assert (o, p, s) in full, (s, q, o)


CLOSED = {  # each query finds a rule's conclusion missing from the graph: must be empty
    "subClassOf": "?x a ?c . ?c rdfs:subClassOf ?d . FILTER NOT EXISTS { ?x a ?d }",
    "subPropertyOf": "?x ?p ?y . ?p rdfs:subPropertyOf ?q . FILTER NOT EXISTS { ?x ?q ?y }",
    "symmetric": "?p a owl:SymmetricProperty . ?x ?p ?y . FILTER(!isLiteral(?y)) "
    "FILTER NOT EXISTS { ?y ?p ?x }",
    "inverse": "{ ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } ?x ?p ?y . "
    "FILTER NOT EXISTS { ?y ?q ?x }",
    "transitive": "?p a owl:TransitiveProperty . ?x ?p ?y . ?y ?p ?z . "
    "FILTER NOT EXISTS { ?x ?p ?z }",
}


@pytest.mark.parametrize("rule", sorted(CLOSED))
def test_full_is_closed_under_each_rule(full: Graph, rule: str) -> None:
    assert list(full.query(PREFIXES + f"SELECT * WHERE {{ {CLOSED[rule]} }} LIMIT 3")) == []


def test_full_adds_nothing_the_rules_do_not_imply(
    built: api.BuildResult, base: Graph, full: Graph
) -> None:
    """Each triple beyond the data and the ontology follows in one step from the file."""

    def named(graph: Graph) -> set:  # blank nodes differ from parse to parse
        return {t for t in graph if not any(isinstance(x, BNode) for x in t)}

    extra = named(full) - named(base) - named(built.ontology.graph)
    assert extra
    assert len(full) - len(named(full)) == len(built.ontology.graph) - len(
        named(built.ontology.graph)
    )
    transitive = set(full.subjects(RDF.type, OWL.TransitiveProperty)) | {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
    }

    def justified(s: object, p: URIRef, o: object) -> bool:
        if p == RDF.type and any(
            (c, RDFS.subClassOf, o) in full for c in full.objects(s, RDF.type) if c != o
        ):
            return True
        if any((s, q, o) in full for q in full.subjects(RDFS.subPropertyOf, p) if q != p):
            return True
        if (p, RDF.type, OWL.SymmetricProperty) in full and (o, p, s) in full:
            return True
        inverses = {*full.objects(p, OWL.inverseOf), *full.subjects(OWL.inverseOf, p)}
        if any((o, q, s) in full for q in inverses):
            return True
        return p in transitive and any(
            (m, p, o) in full for m in full.objects(s, p) if m not in (s, o)
        )

    assert [t for t in extra if not justified(*t)] == []


def test_entail_rules_on_a_small_ontology() -> None:
    ex = Namespace("http://example.org/")
    onto = Graph()
    for t in [
        (ex.spouse, RDF.type, OWL.SymmetricProperty),
        (ex.signed, OWL.inverseOf, ex.signedBy),
        (ex.buildsOn, RDFS.subPropertyOf, ex.dependsOn),
        (ex.dependsOn, RDF.type, OWL.TransitiveProperty),
        (ex.Agency, RDFS.subClassOf, ex.Agent),
        (ex.Agent, RDFS.subClassOf, ex.Entity),
    ]:
        onto.add(t)
    data = [
        (ex.a, ex.spouse, ex.b),
        (ex.p, ex.signed, ex.m),
        (ex.x, ex.buildsOn, ex.y),
        (ex.y, ex.dependsOn, ex.z),
        (ex.d, RDF.type, ex.Agency),
        (ex.a, ex.spouse, Literal("not a node")),
    ]
    got = entail([*data, *onto], Rules(onto))
    assert got == {
        (ex.b, ex.spouse, ex.a),
        (ex.m, ex.signedBy, ex.p),
        (ex.x, ex.dependsOn, ex.y),
        (ex.x, ex.dependsOn, ex.z),
        (ex.d, RDF.type, ex.Agent),
        (ex.d, RDF.type, ex.Entity),
        (ex.Agency, RDFS.subClassOf, ex.Entity),
    }


# --- VoID ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def void(built_dir: Path) -> Graph:
    return Graph().parse(built_dir / "void.ttl", format="turtle")


def test_void_counts_agree_with_the_graph_and_records(
    built: api.BuildResult, base: Graph, full: Graph, void: Graph
) -> None:
    (dataset,) = set(void.subjects(RDF.type, VOID.Dataset))
    assert void.value(dataset, VOID.triples).toPython() == len(base)
    (row,) = full.query(PREFIXES + "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ag:Entity }")
    assert (
        void.value(dataset, VOID.entities).toPython()
        == row[0].toPython()
        == len(built.dataset.entities)
    )  # type: ignore[index]
    parts = {
        void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
        for p in void.objects(dataset, VOID.classPartition)
    }
    assert parts[AG.Claim] == len(built.dataset.claims)
    assert parts[AG.Source] == len(built.dataset.sources)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert str(void.value(dataset, OWL.versionInfo)) == version
    assert str(void.value(dataset, URIRef(str(DCAT) + "version"))) == version
    assert AG.Claim in {
        void.value(p, VOID["class"]) for p in void.objects(dataset, VOID.classPartition)
    }
    assert URIRef(str(AG)) in set(void.objects(dataset, VOID.vocabulary))


def test_void_lists_each_source_with_its_url(built: api.BuildResult, void: Graph) -> None:
    (dataset,) = set(void.subjects(RDF.type, VOID.Dataset))
    listed = set(void.objects(dataset, DCT.source))
    for source in built.dataset.sources.values():
        node = URIRef(str(ID) + source.record.id)
        assert node in listed
        url = void.value(node, DCAT.landingPage)
        assert (str(url) if url else None) == source.record.url


def test_void_rights_say_what_the_readme_and_ontology_say(
    built: api.BuildResult, void: Graph
) -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert DATA_RIGHTS.split(". ")[0] in readme
    assert "Code: Apache-2.0" in readme
    (dataset,) = set(void.subjects(RDF.type, VOID.Dataset))
    assert str(void.value(dataset, DCT.rights)) == DATA_RIGHTS
    onto = URIRef("https://w3id.org/alliance-graph/ontology")
    declared = set(built.ontology.graph.objects(onto, DCT.license))
    assert declared and set(void.objects(onto, DCT.license)) == declared
    (page,) = [
        d
        for d in void.subjects(RDF.type, DCAT.Distribution)
        if str(void.value(d, DCT.title)) == "ontology.html"
    ]
    assert set(void.objects(page, DCT.license)) == declared


def test_void_describes_every_file_with_its_size(built_dir: Path, void: Graph) -> None:
    sizes = {
        str(void.value(d, DCT.title)): void.value(d, DCAT.byteSize).toPython()
        for d in void.subjects(RDF.type, DCAT.Distribution)
    }
    on_disk = {
        p.name: p.stat().st_size
        for p in built_dir.iterdir()
        if p.is_file() and p.name != "void.ttl" and not p.name.startswith(".")
    }
    assert set(sizes) <= set(on_disk)
    for name in (
        "alliance-base.ttl",
        "alliance-full.ttl",
        "claims.parquet",
        "claims.csv",
        "ontology.html",
        "alliance.nt",
        "explorer.html",
    ):
        assert sizes[name] == on_disk[name], name
    for d in void.subjects(RDF.type, DCAT.Distribution):
        assert str(void.value(d, DCAT.mediaType)).startswith("https://www.iana.org/")


# --- claims table -------------------------------------------------------------------
def _expected_rows(built: api.BuildResult) -> set[tuple]:
    """The claims as the records state them (not read from RDF)."""

    def obj(claim: object) -> object:
        value = claim.obj  # type: ignore[attr-defined]
        if isinstance(value, PartialDate):
            return value.text
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, Decimal | int):
            return float(value)
        return value

    def text(value: object) -> str | None:
        return None if value is None else str(getattr(value, "text", value))

    return {
        (
            c.key,
            c.subject,
            c.predicate.name,
            obj(c),
            text(c.point_in_time),
            text(c.valid_from),
            text(c.valid_until),
            c.role,
            None if c.amount is None else float(c.amount),
            c.currency,
            c.quote,
            c.source,
            built.dataset.sources[c.source].record.url,
        )
        for c in built.dataset.claims
    }


def _rows(df: pd.DataFrame) -> set[tuple]:
    def none(v: object) -> object:
        return None if v is None or (isinstance(v, float) and pd.isna(v)) or v == "" else v

    def obj(v: object, datatype: object) -> object:
        return float(v) if datatype in ("xsd:decimal", "xsd:integer") else none(v)

    out = set()
    for r in df.itertuples(index=False):
        amount = none(r.amount)
        out.add(
            (
                r.claim,
                r.subject,
                r.predicate,
                obj(r.object, none(r.object_datatype)),
                none(r.date),
                none(r.valid_from),
                none(r.valid_until),
                none(r.role),
                None if amount is None else float(amount),
                none(r.currency),
                r.quote,
                r.source,
                none(r.source_url),
            )
        )
    return out


@pytest.fixture(scope="module")
def parquet(built_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(built_dir / "claims.parquet")


def test_claims_parquet_has_one_row_per_claim(
    built: api.BuildResult, parquet: pd.DataFrame
) -> None:
    assert len(parquet) == len(built.dataset.claims)
    assert _rows(parquet) == _expected_rows(built)


def test_claims_csv_has_the_same_rows(built: api.BuildResult, built_dir: Path) -> None:
    df = pd.read_csv(built_dir / "claims.csv", dtype=str, keep_default_na=False)
    assert len(df) == len(built.dataset.claims)
    assert _rows(df) == _expected_rows(built)


def test_claims_are_sorted_by_date_with_real_date_bounds(parquet: pd.DataFrame) -> None:
    dated = parquet[parquet["date"].notna()]
    assert len(dated), "the shipped claims carry dates"
    assert parquet["date_min"].notna().tolist() == sorted(
        parquet["date_min"].notna(), reverse=True
    )  # undated last
    mins = pd.to_datetime(dated["date_min"])
    assert mins.is_monotonic_increasing
    for text, first, last in zip(dated["date"], dated["date_min"], dated["date_max"], strict=True):
        period = pd.Period(text)
        assert pd.Timestamp(first) == period.start_time.normalize(), text
        assert pd.Timestamp(last) == period.end_time.normalize(), text
    for _, group in dated.groupby("date_min", sort=False):  # ties sorted by subject
        assert group["subject"].is_monotonic_increasing
    assert parquet["quote_start"].dtype.kind == "i"
    assert parquet["amount"].dtype.kind == "f"


def test_claims_table_covers_every_claim_qualifier_of_the_ontology(built: api.BuildResult) -> None:
    from graph.claims_table import DATE_COLUMNS, NOT_COLUMNS, VALUE_COLUMNS

    covered = set(DATE_COLUMNS) | set(VALUE_COLUMNS) | NOT_COLUMNS
    claim_props = {p.iri for p in built.ontology.properties.values() if p.domain == AG.Claim}
    assert claim_props - covered == set()


# --- ontology page ------------------------------------------------------------------
def test_ontology_html_lists_every_term_with_its_labels(
    built: api.BuildResult, built_dir: Path
) -> None:
    page = (built_dir / "ontology.html").read_text(encoding="utf-8")
    g = built.ontology.graph
    terms = [
        t
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for t in g.subjects(RDF.type, kind)
        if str(t).startswith(str(AG)) or kind != OWL.Class
    ]
    assert terms
    for term in terms:
        name = built.ontology.compact(term)
        start = page.index(f'id="{html.escape(name)}"')
        section = page[start : page.index("</section>", start)]
        for label in g.objects(term, RDFS.label):
            assert html.escape(str(label)) in section, (name, str(label))
    assert "<script" not in page and "<link" not in page and " src=" not in page


def test_release_files_are_deterministic(built: api.BuildResult, built_dir: Path) -> None:
    outputs = {
        name: (built_dir / name).read_bytes()
        for name in ("alliance.ttl", "alliance.jsonld", "alliance.nt", "explorer.html")
    }
    for name, data in release_files(built.graph, outputs).items():
        assert data == (built_dir / name).read_bytes(), name


def test_full_release_checked_by_parts_reads_back_whole(built: api.BuildResult) -> None:
    """The full file, checked by its parts as it is made, parses whole to the same
    triples as base + ontology + entailment (strict pyoxigraph parser)."""
    import pyoxigraph as ox

    from graph.release import FULL_FILE

    checked: set[str] = set()
    files = release_files(built.graph, {}, checked=checked)
    assert checked == {FULL_FILE}
    parsed = {str(q.triple) for q in ox.parse(files[FULL_FILE], format=ox.RdfFormat.TURTLE)}
    base = {str(q.triple) for q in ox.parse(files["alliance-base.ttl"], format=ox.RdfFormat.TURTLE)}
    assert base < parsed
    rules = Rules(built.ontology.graph)
    closure = entail([*built.graph, *built.ontology.graph], rules)
    assert len(parsed) == len(set(closure) | set(built.graph) | set(built.ontology.graph))


def _renamed(text: str) -> str:
    """Another IRI's text: still Turtle, read back as a different term."""
    return text[:-1] + "Z>" if text.endswith(">") else text + "Z"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: text + " ;", id="does not parse"),
        pytest.param(_renamed, id="reads back as another term"),
    ],
)
def test_a_term_written_wrong_in_the_full_release_is_caught(
    built: api.BuildResult, monkeypatch: pytest.MonkeyPatch, damage
) -> None:
    import graph.release as release
    from graph.errors import OutputError

    original = release._compact_n3
    seen: list[str] = []

    def wrong(term, spaces):  # the first IRI is damaged
        text = original(term, spaces)
        if not seen and isinstance(term, URIRef):
            seen.append(text)
            return damage(text)
        return text

    monkeypatch.setattr(release, "_compact_n3", wrong)
    with pytest.raises(OutputError, match=r"does not parse back") as caught:
        release_files(built.graph, {}, checked=set())
    assert caught.value.path == "alliance-full.ttl"


def test_a_literal_written_wrong_in_the_full_release_is_caught(
    built: api.BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entailed literal whose text reads back as another literal (here: a plain one)
    is caught by the check by parts."""
    import graph.release as release
    from graph.errors import OutputError

    original = release._compact_n3
    seen: list[str] = []

    def wrong(term, spaces):  # the first literal that is not already this text
        text = original(term, spaces)
        if not seen and isinstance(term, Literal) and text != '"damaged"':
            seen.append(text)
            return '"damaged"'
        return text

    monkeypatch.setattr(release, "_compact_n3", wrong)
    with pytest.raises(OutputError, match=r"does not read back as itself") as caught:
        release_files(built.graph, {}, checked=set())
    assert seen, "the entailment of the built graph holds a literal"
    assert caught.value.path == "alliance-full.ttl"


def test_the_ontology_part_of_the_full_release_must_parse_strictly(
    built: api.BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Text rdflib loads but pyoxigraph refuses (a space in an IRI) is named in the
    ontology file, at its line, not in the full release."""
    from graph.errors import OntologyError

    text = built.ontology.path.read_text(encoding="utf-8")
    bad = tmp_path / "alliance.ttl"
    bad.write_text(text + "\nag:Organization rdfs:seeAlso <http://example.org/a b> .\n")
    monkeypatch.setattr(built.ontology, "path", bad)
    with pytest.raises(OntologyError) as caught:
        release_files(built.graph, {}, ontology=built.ontology, checked=set())
    assert caught.value.path == str(bad)
    assert caught.value.line == text.count("\n") + 2


def test_a_full_release_with_blank_nodes_is_parsed_back_whole(built: api.BuildResult) -> None:
    """Entailed blank nodes send the full release to rdflib's writer: not checked by
    parts, so left to the whole-file parse."""
    from graph.release import FULL_FILE

    graph = Graph()
    for triple in built.graph:
        graph.add(triple)
    blank = BNode()
    graph.add((blank, AG.spouse, ID["nobody"]))  # symmetric: entailed both ways
    checked: set[str] = set()
    files = release_files(graph, {}, checked=checked)
    assert FULL_FILE not in checked
    assert (ID["nobody"], AG.spouse, None) in Graph().parse(data=files[FULL_FILE], format="turtle")
