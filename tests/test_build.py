"""The shipped graph: every fact the first source states answers by plain-rdflib SPARQL,
with that source's verbatim quote (other sources may state it too); outputs are
deterministic and complete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from graph import api

SOURCE_TEXT = (
    Path(__file__).parents[1] / "data" / "sources" / "us-japan-cooperation-2024" / "text.txt"
).read_text(encoding="utf-8")

PREFIXES = """
PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
PREFIX agid: <https://w3id.org/alliance-graph/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="module")
def ttl(built_dir: Path) -> Graph:
    """The built Turtle, parsed by plain rdflib."""
    return Graph().parse(built_dir / "alliance.ttl", format="turtle")


def evidence(graph: Graph, s: str, p: str, o: str) -> list[dict[str, str]]:
    """Claims on the asserted triple ``s p o`` (SPARQL terms), with quote and qualifiers."""
    rows = graph.query(
        PREFIXES
        + f"""
        SELECT ?quote ?source ?date ?from ?role ?amount ?currency WHERE {{
          {s} {p} {o} .
          ?c a ag:Claim ; rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} ;
             ag:quote ?quote ; prov:wasQuotedFrom ?source .
          FILTER (?source = agid:us-japan-cooperation-2024)
          OPTIONAL {{ ?c ag:pointInTime ?date }} OPTIONAL {{ ?c ag:validFrom ?from }}
          OPTIONAL {{ ?c ag:role ?role }}
          OPTIONAL {{ ?c ag:amount ?amount ; ag:currency ?currency }}
        }}"""
    )
    found = []
    for row in rows:
        found.append({k: v for k, v in row.asdict().items()})
    for item in found:
        assert str(item["quote"]) in SOURCE_TEXT  # verbatim, not merely whitespace-equal
        assert str(item["source"]).endswith("/us-japan-cooperation-2024")
    return found


FACTS = [
    # (subject, predicate, object, a word the quote must contain)
    ("agid:state-visit-2024", "ag:announcedBy", "agid:white-house", "White Home"),
    ("agid:state-visit-2024", "ag:participant", "agid:kishida-fumio", "Kishida Fumio"),
    ("agid:state-visit-2024", "ag:participant", "agid:kishida-yuko", "Yuko Kishida"),
    ("agid:kishida-yuko", "ag:spouse", "agid:kishida-fumio", "spouse"),
    ("agid:lloyd-austin", "org:headOf", "agid:dod", "Secretary of Protection Lloyd Austin"),
    ("agid:hamada-yasukazu", "org:headOf", "agid:mod-japan", "Hamada Yasukazu"),
    ("agid:rdte-mou", "ag:signedBy", "agid:lloyd-austin", "signing"),
    ("agid:rdte-mou", "ag:signedBy", "agid:hamada-yasukazu", "signing"),
    ("agid:sosa", "ag:signedBy", "agid:lloyd-austin", "SOSA"),
    ("agid:sosa", "ag:signedBy", "agid:hamada-yasukazu", "SOSA"),
    ("agid:rdte-mou", "ag:hasParty", "agid:dod", "Division of Protection"),
    ("agid:rdte-mou", "ag:hasParty", "agid:mod-japan", "Ministry of Protection"),
    ("agid:sosa", "ag:hasParty", "agid:dod", "Division of Protection"),
    ("agid:sosa", "ag:hasParty", "agid:mod-japan", "Ministry of Protection"),
    ("agid:sosa", "ag:legallyBinding", "false", "non-binding"),
    ("agid:gpi-codevelopment", "ag:develops", "agid:gpi", "Glide-Part Interceptor"),
    ("agid:gpi-codevelopment", "ag:coDevelopedBy", "agid:usa", "2 nations"),
    ("agid:gpi-codevelopment", "ag:coDevelopedBy", "agid:japan", "2 nations"),
    ("agid:gpi-codevelopment", "ag:buildsOn", "agid:sm-3-block-iia-codevelopment", "Block-3 IIA"),
    ("agid:sm-3-block-iia-codevelopment", "ag:develops", "agid:sm-3-block-iia", "Block-3 IIA"),
    ("agid:patriot-licensed-production", "ag:produces", "agid:patriot", "Patriot"),
    ("agid:patriot-licensed-production", "ag:producer", "agid:japan", "Japan produces"),
    ("agid:patriot-licensed-production", "ag:licensedFrom", "agid:usa", "U.S. license"),
    ("agid:patriot-export-decision", "ag:item", "agid:patriot", "export Patriot"),
    ("agid:patriot-export-decision", "ag:exportedTo", "agid:usa", "to the USA"),
    ("agid:patriot-export-decision", "ag:enabledBy", "agid:export-rule-revision-2023", "revision"),
    ("agid:export-rule-revision-2023", "ag:amends", "agid:export-rules", "export regulation"),
    ("agid:revised-export-guidelines", "ag:issuedBy", "agid:japan", "Tokyo"),
    ("agid:dod", "ag:uses", "agid:ota", "Different Transaction Authority"),
    ("agid:japan-ota-programme", "ag:modelledAfter", "agid:ota", "identical program"),
    ("agid:japan-ota-programme", "ag:runBy", "agid:japan", "Japan will begin"),
    ("agid:japan-defence-industry", "ag:mainCustomer", "agid:jsdf", "one purchaser"),
    ("agid:meti", "ag:promotes", "agid:japan-defence-industry", "METI"),
    ("agid:japan", "ag:procures", "agid:tomahawk", "$2.4 billion"),
    ("agid:jsdf", "ag:implements", "agid:strategy-2022", "outlined in 2022"),
    ("agid:state-visit-2024", "ag:concerns", "agid:foip", "Indo-Pacific"),
    ("agid:usa", "ag:endorses", "agid:foip", "Indo-Pacific"),
    ("agid:japan", "ag:endorses", "agid:foip", "Indo-Pacific"),
    ("agid:japan-defence-industry", "ag:requires", "agid:high-end-components", "high-end"),
    ("agid:us-defence-industry", "ag:requires", "agid:high-end-components", "high-end"),
]


@pytest.mark.parametrize(("s", "p", "o", "word"), FACTS)
def test_fact_is_asserted_with_its_quote(ttl: Graph, s: str, p: str, o: str, word: str) -> None:
    found = evidence(ttl, s, p, o)
    assert found, f"{s} {p} {o} is not asserted with a claim"
    assert any(word in str(item["quote"]) for item in found)


@pytest.mark.parametrize(
    ("s", "p", "o", "field", "value"),
    [
        (
            "agid:state-visit-2024",
            "ag:announcedBy",
            "agid:white-house",
            "date",
            Literal("2024-01-25", datatype="http://www.w3.org/2001/XMLSchema#date"),
        ),
        (
            "agid:rdte-mou",
            "ag:signedBy",
            "agid:lloyd-austin",
            "date",
            Literal("2023", datatype="http://www.w3.org/2001/XMLSchema#gYear"),
        ),
        (
            "agid:gpi-codevelopment",
            "ag:announcedBy",
            "agid:japan",
            "date",
            Literal("2023-08", datatype="http://www.w3.org/2001/XMLSchema#gYearMonth"),
        ),
        (
            "agid:export-rule-revision-2023",
            "ag:amends",
            "agid:export-rules",
            "date",
            Literal("2023-12-22", datatype="http://www.w3.org/2001/XMLSchema#date"),
        ),
        (
            "agid:kishida-fumio",
            "org:headOf",
            "agid:japan",
            "from",
            Literal("2021", datatype="http://www.w3.org/2001/XMLSchema#gYear"),
        ),
        ("agid:lloyd-austin", "org:headOf", "agid:dod", "role", Literal("Secretary of Defense")),
        ("agid:japan", "ag:procures", "agid:tomahawk", "currency", Literal("USD")),
    ],
)
def test_qualifiers_keep_their_precision(
    ttl: Graph, s: str, p: str, o: str, field: str, value: Literal
) -> None:
    values = [item[field] for item in evidence(ttl, s, p, o) if item.get(field) is not None]
    assert value in values


def test_tomahawk_amount_is_exact(ttl: Graph) -> None:
    (item,) = evidence(ttl, "agid:japan", "ag:procures", "agid:tomahawk")
    assert int(item["amount"].toPython()) == 2_400_000_000


@pytest.mark.parametrize(
    ("s", "p", "value"),
    [
        ("agid:state-visit-2024", "ag:date", "2024-04-10"),
        ("agid:export-rule-revision-2023", "ag:date", "2023-12-22"),
        ("agid:strategy-2022", "ag:date", "2022"),
        ("agid:rdte-mou", "ag:date", "2023"),
    ],
)
def test_dated_entities(ttl: Graph, s: str, p: str, value: str) -> None:
    """The first source's date is kept on its claim; the one asserted date is it or a
    more precise date within it (another source's refinement), never a second value."""
    asserted = [str(r[0]) for r in ttl.query(PREFIXES + f"SELECT ?d WHERE {{ {s} {p} ?d }}")]  # type: ignore[index]
    assert len(asserted) == 1 and asserted[0].startswith(value)
    stated = {
        str(r[0])
        for r in ttl.query(
            PREFIXES
            + f"""
        SELECT ?d WHERE {{ ?c rdf:subject {s} ; rdf:predicate {p} ; rdf:object ?d ;
                              prov:wasQuotedFrom agid:us-japan-cooperation-2024 }}"""
        )
    }  # type: ignore[index]
    assert stated == {value}


@pytest.mark.parametrize(
    ("entity", "alias"),
    [
        ("dod", "Division of Protection"),
        ("gpi", "Glide-Part Interceptor"),
        ("sm-3-block-iia", "Customary Missile (SM) Block-3 IIA"),
        ("sosa", "Safety of Provide Association"),
        ("meti", "Ministry of Financial system, Commerce, and Trade"),
        ("j-joc", "Japan Joint Operations Middle"),
        ("ota", "Different Transaction Authority"),
        ("white-house", "White Home"),
        ("j-joc", "PJHQ"),
    ],
)
def test_spun_names_are_aliases_of_real_entities(ttl: Graph, entity: str, alias: str) -> None:
    assert (None, None, Literal(alias)) in ttl
    assert alias in SOURCE_TEXT
    labels = {
        str(o)
        for o in ttl.objects(
            ttl.namespace_manager.expand_curie(f"agid:{entity}"),
            ttl.namespace_manager.expand_curie("skos:altLabel"),
        )
    }
    assert alias in labels


def test_every_entity_has_english_and_japanese_labels(ttl: Graph) -> None:
    rows = ttl.query(
        PREFIXES
        + """
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?e (SAMPLE(?en) AS ?l_en) (SAMPLE(?ja) AS ?l_ja) WHERE {
          ?e dcterms:identifier ?id ; a ?t . FILTER (?t != ag:Source)
          OPTIONAL { ?e rdfs:label ?en FILTER (lang(?en) = "en") }
          OPTIONAL { ?e rdfs:label ?ja FILTER (lang(?ja) = "ja") }
        } GROUP BY ?e"""
    )
    rows = list(rows)
    assert len(rows) >= 30
    for entity, en, ja in rows:  # type: ignore[misc]
        assert en is not None and ja is not None, entity


def test_every_asserted_fact_has_a_claim(ttl: Graph, built: api.BuildResult) -> None:
    predicates = {p.iri for p in built.ontology.claim_predicates.values()}
    unreified = [
        (s, p, o)
        for s, p, o in ttl
        if p in predicates
        and not next(
            iter(
                ttl.query(
                    PREFIXES + f"ASK {{ ?c rdf:subject {s.n3()} ; rdf:predicate "
                    f"{p.n3()} ; rdf:object {o.n3()} ; ag:quote ?q }}"
                )
            )
        )
    ]
    assert unreified == []


def test_source_metadata_is_honest(ttl: Graph) -> None:
    rows = list(
        ttl.query(
            PREFIXES
            + """
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?reworded ?creator ?sha WHERE {
          agid:us-japan-cooperation-2024 a ag:Source ; ag:reworded ?reworded ;
                                         ag:textSha256 ?sha .
          OPTIONAL { agid:us-japan-cooperation-2024 dcterms:creator ?creator } }"""
        )
    )
    ((reworded, creator, sha),) = rows  # type: ignore[misc]
    assert reworded.toPython() is True
    assert creator is None
    assert len(str(sha)) == 64


def test_jsonld_and_ntriples_hold_the_same_graph(built_dir: Path, ttl: Graph) -> None:
    from rdflib.compare import isomorphic

    jsonld = Graph().parse(built_dir / "alliance.jsonld", format="json-ld")
    nt = Graph().parse(built_dir / "alliance.nt", format="nt")
    assert isomorphic(ttl, jsonld)
    assert isomorphic(ttl, nt)
    assert json.loads((built_dir / "alliance.jsonld").read_text())["@context"]["ag"].endswith("#")


def test_ntriples_are_rdflibs_lines_sorted(built: api.BuildResult, built_dir: Path) -> None:
    """The direct writer gives the bytes rdflib's N-Triples writer gives, lines sorted."""
    rdflib_lines = built.graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    expected = sorted(line for line in rdflib_lines.split("\n") if line.strip())
    assert (built_dir / "alliance.nt").read_text(encoding="utf-8").split("\n")[:-1] == expected


def test_turtle_groups_sorted_subjects_under_sorted_prefixes(built_dir: Path) -> None:
    """Same graph, same bytes: prefixes in name order (pyoxigraph's own order is not
    ours to rely on), then subjects in the order of the sorted N-Triples."""
    text = (built_dir / "alliance.ttl").read_text(encoding="utf-8")
    head = [line for line in text.split("\n") if line.startswith("@prefix ")]
    assert head == sorted(head) and text.startswith(head[0])
    subjects = [
        line.split(" ", 1)[0]
        for line in (built_dir / "alliance.nt").read_text(encoding="utf-8").split("\n")[:-1]
    ]
    firsts = [
        line.split(" ", 1)[0] for line in text.split("\n")[len(head) :] if line[:1] not in "\t"
    ]
    expand = {p.split()[1][:-1]: p.split()[2][1:-1] for p in head}
    full = ["<" + expand[s.split(":", 1)[0]] + s.split(":", 1)[1] + ">" for s in firsts]
    assert full == list(dict.fromkeys(subjects))


def test_build_is_byte_for_byte_deterministic(built_dir: Path, tmp_path: Path) -> None:
    """Every file of the set, the explorer and the manifest included."""
    api.build(graph_dir=tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir() if p.name != ".cache")  # not an output
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert {"alliance.ttl", "alliance.jsonld", "alliance.nt", "explorer.html"} <= set(
        manifest["outputs"]
    )
    assert names == sorted([*manifest["outputs"], "manifest.json", ".inputs-stat.json"])
    for name in names:  # other tests may have rendered views into built_dir: not compared
        assert (tmp_path / name).read_bytes() == (built_dir / name).read_bytes(), name


def test_stats_of_built_graph_agree_with_the_build(built: api.BuildResult, built_dir: Path) -> None:
    summary, stats = built.summary(), api.stats(built_dir / "alliance.ttl")
    for key in (
        "entities",
        "entities_by_type",
        "facts",
        "corroborated",
        "corroborated_pct",
        "claims",
        "sources",
        "triples",
    ):
        assert stats[key] == summary[key], key


def test_the_cycle_collector_is_paused_for_the_build_and_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build runs with Python's cycle collector off (its allocations would set it
    off again and again) and turns it back on, also after a failure."""
    import gc

    import graph.build
    from graph.pipeline import build

    seen: list[bool] = []
    original = graph.build.serialize_outputs

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(graph.build, "serialize_outputs", spy)
    assert gc.isenabled()
    build(graph_dir=tmp_path / "out")
    assert seen == [False] and gc.isenabled()

    def fail(*args: object, **kwargs: object) -> object:
        raise RuntimeError("stage failed")

    monkeypatch.setattr(graph.build, "serialize_outputs", fail)
    with pytest.raises(RuntimeError, match="stage failed"):
        build(graph_dir=tmp_path / "again")
    assert gc.isenabled()
