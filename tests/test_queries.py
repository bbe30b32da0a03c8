"""Named competency queries on the embedded store: answers, binding, formats, bad input."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from graph import api
from graph.cli import main
from graph.errors import QueryError
from graph.ontology import load_ontology
from graph.sparql.binding import run_named
from graph.sparql.catalogue import named_queries
from graph.sparql.engines import EmbeddedStore


@pytest.fixture(scope="module")
def store(built_dir: Path) -> EmbeddedStore:
    return EmbeddedStore(built_dir)


def test_at_least_twelve_documented_queries() -> None:
    queries = named_queries()
    assert len(queries) >= 12
    for q in queries.values():
        assert q.title != q.name and q.description, q.name
        for p in q.parameters:
            assert p.doc, (q.name, p.name)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_query_answers_with_defaults(store: EmbeddedStore, name: str) -> None:
    results = run_named(store, name)
    if name != "conflicts":  # a corpus without contradictions has none: see the twin tests
        assert len(results) > 0
    quote_columns = [v for v in results.variables if v == "quote"]
    for row in results:
        if row.get("direction") == "about":  # the entity card's names and type: no claim
            assert row["predicate"] in {
                "rdf:type",
                "rdfs:label",
                "skos:altLabel",
                "dcterms:description",
            }, row
            continue
        if name == "agreements" and not row["signatory_label"]:  # no signing quoted: no claim
            continue
        for column in quote_columns:
            assert row[column], (name, row)


def rows(store: EmbeddedStore, query_name: str, **params: str) -> list[dict[str, str]]:
    return list(run_named(store, query_name, params))


def test_agreements_between_dod_and_mod(store: EmbeddedStore) -> None:
    found = {
        (r["agreement"], r["signatory_label"], r["signed"][:4]) for r in rows(store, "agreements")
    }
    assert found >= {
        (a, s, "2023") for a in ("rdte-mou", "sosa") for s in ("Lloyd Austin", "Hamada Yasukazu")
    }
    # The states are parties through their ministries (org:subOrganizationOf, quoted).
    by_state = {
        (r["agreement"], r["a_party"], r["b_party"], r["signatory_label"])
        for r in rows(store, "agreements", party_a="usa", party_b="japan")
    }
    assert by_state >= {
        (a, "dod", "mod-japan", s)
        for a in ("rdte-mou", "sosa")
        for s in ("Lloyd Austin", "Hamada Yasukazu")
    }
    assert rows(store, "agreements", party_a="usa", party_b="white-house") == []
    assert rows(store, "agreements", party_a="dod", party_b="dod") == []  # two parties, not one


def test_signatories_with_quotes(store: EmbeddedStore) -> None:
    found = rows(store, "signatories", agreement="sosa")
    assert [r["signatory_label"] for r in found] == ["Hamada Yasukazu", "Lloyd Austin"]
    assert all(r["quote"] and r["source"] and r["sources"] for r in found)


def test_builds_on_and_dependencies(store: EmbeddedStore) -> None:
    (row,) = rows(store, "builds-on")
    assert (row["foundation"], row["develops_label"]) == (
        "sm-3-block-iia-codevelopment",
        "SM-3 Block IIA",
    )
    dependents = rows(store, "dependents")
    assert [(r["dependent"], r["relation"]) for r in dependents] == [
        ("patriot-export-decision", "ag:enabledBy")
    ]
    deps = rows(store, "dependencies", entity="patriot-export-decision")
    assert {r["dependency"] for r in deps} == {"export-rule-revision-2023"}


def test_dependency_queries_name_no_sub_property() -> None:
    for name in ("dependents", "dependencies"):
        sparql = named_queries()[name].sparql
        body = sparql[sparql.index("SELECT") :]
        used = set(re.findall(r"ag:(\w+)", body))
        assert not used & (load_ontology().dependency_predicates - {"dependsOn"}), name
        assert "ag:dependsOn+" in body and "rdfs:subPropertyOf* ag:dependsOn" in body


def test_dependency_queries_follow_sub_properties_declared_later(built_dir: Path) -> None:
    """A new sub-property two levels below ag:dependsOn is followed with no query change."""
    store = EmbeddedStore(built_dir)
    store.store.update("""
        PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
        PREFIX agid: <https://w3id.org/alliance-graph/id/>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        INSERT DATA {
          ag:trainsWith rdfs:subPropertyOf ag:requires .
          agid:j-joc ag:trainsWith agid:gpi-codevelopment .
          agid:c1 a ag:Claim ; rdf:subject agid:j-joc ; rdf:predicate ag:trainsWith ;
                  rdf:object agid:gpi-codevelopment ; ag:quote "they train together" .
        }""")
    store.entail()
    found = {
        (r["dependent"], r["relation"], r["on"])
        for r in run_named(store, "dependents", {"entity": "sm-3-block-iia-codevelopment"})
    }
    assert found == {
        ("gpi-codevelopment", "ag:buildsOn", "sm-3-block-iia-codevelopment"),
        ("j-joc", "ag:trainsWith", "gpi-codevelopment"),
    }
    deps = {r["dependency"] for r in run_named(store, "dependencies", {"entity": "j-joc"})}
    assert {"gpi-codevelopment", "sm-3-block-iia-codevelopment"} <= deps


def test_entailed_dependencies_have_no_claims(store: EmbeddedStore) -> None:
    # A dependsOn triple entailed from a sub-property claim carries no claim of its
    # own: every dependsOn claim states dependsOn itself, with its quote.
    ask = store.query("""
        PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        ASK { ?c rdf:predicate ag:dependsOn ; rdf:subject ?s ; rdf:object ?o .
              FILTER NOT EXISTS { ?c ag:quote ?quote } }""")
    assert ask.boolean is False
    derived = store.query("""
        PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        ASK { ?s ag:buildsOn ?o . ?c rdf:subject ?s ; rdf:predicate ag:dependsOn ;
                                     rdf:object ?o }""")
    assert derived.boolean is False  # the entailed dependsOn of a buildsOn fact has no claim
    entailed = store.query("""
        PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
        SELECT ?s ?o WHERE { ?s ag:dependsOn ?o }""")
    assert ("gpi-codevelopment", "sm-3-block-iia-codevelopment") in {
        (r["s"], r["o"]) for r in entailed
    }


def test_licensed_production_exports_and_procurements(store: EmbeddedStore) -> None:
    assert ("Japan", "Patriot", "United States") in {
        (lp["producer_label"], lp["product_label"], lp["licensor_label"])
        for lp in rows(store, "licensed-production")
    }
    (ex,) = [
        r
        for r in rows(store, "exports")
        if (r["item_label"], r["destination_label"]) == ("Patriot", "United States")
    ]
    assert ex["enabled_by_label"].startswith("Revision of Japan's defence equipment export rules")
    top = rows(store, "procurements")[0]
    assert (top["system_label"], top["amount"], top["currency"]) == (
        "Tomahawk",
        "2400000000.0",
        "USD",
    )


def test_source_statements_are_in_text_order(store: EmbeddedStore, built: api.BuildResult) -> None:
    found = rows(store, "source-statements")
    default = named_queries()["source-statements"].parameters[0].default
    assert len(found) == len([c for c in built.dataset.claims if c.source == default])
    starts = [int(r["start"]) for r in found]
    assert starts == sorted(starts)


def test_timeline_is_sorted_and_keeps_precision(store: EmbeddedStore) -> None:
    dates = [r["date"] for r in rows(store, "timeline")]
    assert dates == sorted(dates)
    assert {"2021", "2023-08", "2023-12-22", "2024-01-25", "2024-04-10"} <= set(dates)


@pytest.mark.parametrize(
    ("since", "until"),
    [
        ("1900", "2100"),
        ("2023", "2023"),
        ("2023-01", "2023-12"),
        ("2022", "2023-06"),
        ("2023", "2023-08-15"),
        ("2023-06", "2024"),
        ("2023-08", "2023-08"),
        ("2023-12-22", "2024-01-25"),
        ("2024-04-11", "2100"),
    ],
)
def test_timeline_range_holds_what_is_known_to_be_in_it(
    store: EmbeddedStore, built: api.BuildResult, since: str, until: str
) -> None:
    # The oracle: the unbounded timeline (one row per fact and kind of date, at its
    # best date) cut with Python's calendar for first and last days.
    from graph.records import PartialDate

    low, high = PartialDate.parse(since).first_day, PartialDate.parse(until).last_day
    every = rows(store, "timeline")
    expected = [
        r
        for r in every
        if PartialDate.parse(r["date"]).first_day >= low
        and PartialDate.parse(r["date"]).last_day <= high
    ]
    assert rows(store, "timeline", since=since, until=until) == expected
    # Every dated claim is in the unbounded timeline, as its fact's best date or another.
    shown = {
        (r["subject"], r["predicate"].removeprefix("ag:"), d)
        for r in every
        for d in [r["date"], *filter(None, r["other_dates"].split(", "))]
    }
    for claim in built.dataset.claims:
        dates = [d for d in (claim.point_in_time, claim.valid_from) if d is not None]
        if claim.predicate.name == "date":
            dates.append(claim.obj)
        for d in dates:
            assert (claim.subject, claim.predicate.name, d.text) in shown, claim


def test_statements_and_entity_card_carry_every_qualifier(store: EmbeddedStore) -> None:
    stated = rows(store, "source-statements")
    tomahawk = [r for r in stated if r["predicate"] == "ag:procures" and r["object"] == "tomahawk"]
    assert [(r["amount"], r["currency"]) for r in tomahawk] == [("2400000000.0", "USD")]
    since = [
        (r["from"], r["role"])
        for r in stated
        if r["subject"] == "kishida-fumio" and r["predicate"] == "org:headOf" and r["from"]
    ]
    assert since == [("2021", "Prime Minister")]
    card = rows(store, "entity", entity="state-visit-2024")
    about = {(r["predicate"], r["other"]) for r in card if r["direction"] == "about"}
    assert {("rdf:type", "ag:Event"), ("skos:altLabel", "state go to")} <= about
    assert any(p == "rdfs:label" for p, _ in about)
    assert all(not r["quote"] and not r["date"] for r in card if r["direction"] == "about")
    announced = [(r["other"], r["date"]) for r in card if r["predicate"] == "ag:announcedBy"]
    assert announced == [("white-house", "2024-01-25")]
    bought = [(r["buyer"], r["system"]) for r in rows(store, "procurements")]
    assert len(bought) == len(set(bought))  # one row per fact, whatever the sources


def test_entity_card_and_find(store: EmbeddedStore) -> None:
    found = rows(store, "entity", entity="gpi-codevelopment")
    assert {("out", "ag:buildsOn", "sm-3-block-iia-codevelopment")} <= {
        (r["direction"], r["predicate"], r["other"]) for r in found
    }
    matches = {r["entity"] for r in rows(store, "find-entity", name="division of protection")}
    assert matches == {"dod"}


HOSTILE = [
    '" } ; DROP ALL ; SELECT * { ?s ?p ?o',
    "x' . ?s ?p ?o } #",
    "> } UNION { ?s ?p ?o } <",
    "\\u0022 ) } ; INSERT DATA { <a> <b> <c> }",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_parameter_full_of_sparql_syntax_is_a_value(store: EmbeddedStore, payload: str) -> None:
    results = run_named(store, "find-entity", {"name": payload})
    assert len(results) == 0
    (row,) = [r for r in run_named(store, "find-entity", {"name": "Division"})][:1]
    assert row["entity"] == "dod"


def test_entity_parameter_with_syntax_is_a_name_that_matches_nothing(store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match=r"no entity 'x> \} ; DROP ALL #' in the graph"):
        run_named(store, "signatories", {"agreement": "x> } ; DROP ALL #"})


@pytest.mark.parametrize("given", ["Agreement", "procures", "event"])
def test_names_of_ontology_terms_are_not_entities(store: EmbeddedStore, given: str) -> None:
    with pytest.raises(QueryError, match=f"no entity '{given}' in the graph"):
        run_named(store, "entity", {"entity": given})


@pytest.mark.parametrize(
    ("given", "entity"),
    [
        ("Japan", "japan"),
        ("division of protection", "dod"),
        ("日本", "japan"),
        ("agid:sosa", "sosa"),
        (" Japan ", "japan"),
        ("agid:Japan", "japan"),
    ],
)
def test_entity_parameters_take_labels_and_aliases(
    store: EmbeddedStore, given: str, entity: str
) -> None:
    assert {r["entity"] for r in rows(store, "entity", entity=given)} == {entity}


def test_cli_formats(built_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "signatories", "--out", str(built_dir), "--format", "sparql-json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["head"]["vars"][:2] == ["agreement", "signatory"]
    binding = doc["results"]["bindings"][0]
    assert binding["signed"]["value"].startswith("2023")  # at the precision stated
    assert binding["signed"]["datatype"].startswith("http://www.w3.org/2001/XMLSchema#")
    assert main(["query", "signatories", "--out", str(built_dir), "--format", "sparql-csv"]) == 0
    text = capsys.readouterr().out
    assert "\r\n" in text
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:3] == ["agreement", "signatory", "signatory_label"]
    assert table[1][0] == "https://w3id.org/alliance-graph/id/rdte-mou"
    assert main(["query", "signatories", "--out", str(built_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["agreement", "signatory", "signatory_label"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[-1] == "(2 rows)"


def test_cli_rq_file_and_sparql_text(
    built_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text(
        "# title: Mine\n# param: who (entity) = dod — an agency\n"
        "PREFIX org: <http://www.w3.org/ns/org#>\n"
        "SELECT ?who ?head WHERE { ?head org:headOf ?who }\n"
    )
    assert main(["query", str(rq), "--out", str(built_dir), "-p", "who=mod-japan"]) == 0
    assert "hamada-yasukazu" in capsys.readouterr().out
    assert (
        main(
            [
                "query",
                "--out",
                str(built_dir),
                "--sparql",
                "ASK { ?s a <https://w3id.org/alliance-graph/ontology#Agreement> }",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == "yes"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["query", "--sparql", "SELECT * WHERE {\n  ?s ?p\n}"],
            "Error: sparql: malformed SPARQL at line 2, column 3: "
            "what starts with '?' does not parse (near: ?s ?p)",
        ),
        (
            ["query", "signatorys"],
            "Error: no named query 'signatorys' (did you mean 'signatories'?)",
        ),
        (
            ["query", "signatories", "-p", "agreemnt=sosa"],
            "Error: param: query 'signatories' has no parameter 'agreemnt' "
            "(its parameters: agreement)",
        ),
        (
            ["query", "signatories", "-p", "agreement"],
            "Error: param: parameter 'agreement' is not name=value (write --param name=value)",
        ),
        (["query"], "Error: give a query name, a .rq file or --sparql (one of them)"),
    ],
)
def test_cli_bad_input(
    built_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main([*argv, "--out", str(built_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert "Traceback" not in err


def test_missing_parameter_names_it(
    tmp_path: Path, built_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rq = tmp_path / "need.rq"
    rq.write_text(
        "# title: Need\n# param: who (entity) — the agency\nSELECT ?who WHERE { ?who ?p ?o }\n"
    )
    assert main(["query", str(rq), "--out", str(built_dir)]) == 1
    assert capsys.readouterr().err == (
        "Error: param: query 'need' needs parameter 'who' (add --param who=… (the agency))\n"
    )


def test_api_returns_a_dataframe(built_dir: Path) -> None:
    frame = api.query("office-holders", graph_dir=built_dir).to_dataframe()
    assert set(frame["person_label"]) >= {"Kishida Fumio", "Lloyd Austin", "Hamada Yasukazu"}
    assert not frame.duplicated(["person", "organisation"]).any()  # one row per fact
    assert "Secretary of Defense" in set(frame["role"])


def test_malformed_query_file_names_the_file_line_and_column(
    tmp_path: Path, built_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rq = tmp_path / "broken.rq"
    rq.write_text(
        "# title: Broken\n# param: who (entity) = japan — a state\n"
        "SELECT ?o WHERE { ?who ?p ?o . FILTER (?o = ) }\n"
    )
    assert main(["query", str(rq), "--out", str(built_dir)]) == 1
    assert capsys.readouterr().err == (
        f"Error: {rq}:3: sparql: malformed SPARQL at line 3, column 32: what starts with 'FILTER' "
        "does not parse (near: FILTER (?o = ) })\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["query", "Agreements"],
            "Error: no named query 'Agreements' (did you mean 'agreements'?)\n",
        ),
        (
            ["query", "source_statements"],
            "Error: no named query 'source_statements' (did you mean 'source-statements'?)\n",
        ),
        (
            ["query", "nofile.rq"],
            "Error: nofile.rq: no such query file (give a .rq file, a query name or --sparql)\n",
        ),
    ],
)
def test_names_and_files_are_not_taken_for_sparql(
    built_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main([*argv, "--out", str(built_dir)]) == 1
    assert capsys.readouterr().err == message


def test_a_name_of_several_entities_is_an_error_not_a_guess(tmp_path: Path) -> None:
    nt = tmp_path / "two.nt"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    nt.write_text(
        f'<https://w3id.org/alliance-graph/id/a> {label} "Patriot"@en .\n'
        f'<https://w3id.org/alliance-graph/id/b> {label} "patriot"@en .\n'
    )
    with pytest.raises(
        QueryError,
        match=r"parameter 'entity': 'PATRIOT' names several "
        r"entities: a, b \(give one id: --param entity=ID\)",
    ):
        run_named(EmbeddedStore(nt), "entity", {"entity": "PATRIOT"})


DATED = ["2023", "2023-02", "2023-12-31", "2024-02", "2024-04", "2024-04-30", "2024-05-01"]


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    """One claim per date of DATED, at each precision, about one entity."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    kinds = {4: "gYear", 7: "gYearMonth", 10: "date"}
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    ag, ent = "https://w3id.org/alliance-graph/ontology#", "https://w3id.org/alliance-graph/id/"
    lines = [f'<{ent}e> <http://www.w3.org/2000/01/rdf-schema#label> "E"@en .']
    for n, date in enumerate(DATED):
        claim = f"<https://w3id.org/alliance-graph/claim/c{n}>"
        lines += [
            f"{claim} <{rdf}subject> <{ent}e> .",
            f"{claim} <{rdf}predicate> <{ag}uses> .",
            f"{claim} <{rdf}object> <{ent}x{n}> .",
            f'{claim} <{ag}quote> "q{n}" .',
            f'{claim} <{ag}pointInTime> "{date}"^^<{xsd}{kinds[len(date)]}> .',
        ]
    lines.append(
        f'<https://w3id.org/alliance-graph/claim/c0> <{ag}validUntil> "2025"^^<{xsd}gYear> .'
    )
    path = tmp_path_factory.mktemp("dated") / "dated.nt"
    path.write_text("\n".join(lines) + "\n")
    return EmbeddedStore(path)


@pytest.mark.parametrize(
    ("since", "until"),
    [
        ("2024-04-01", "2024-04-30"),
        ("2024-02", "2024-02-29"),
        ("2024-02-01", "2024-02-28"),
        ("2023-02-01", "2023-02-28"),
        ("2023-02-01", "2023-02-27"),
        ("2023-06", "2023-12-31"),
        ("2023", "2024-04-29"),
        ("2023-01-01", "2023-12"),
        ("2024-04-30", "2024-05"),
    ],
)
def test_timeline_range_at_month_ends_and_leap_years(
    dated_store: EmbeddedStore, since: str, until: str
) -> None:
    from graph.dates import PartialDate

    low, high = PartialDate.parse(since).first_day, PartialDate.parse(until).last_day
    expected = {
        d
        for d in DATED
        if PartialDate.parse(d).first_day >= low and PartialDate.parse(d).last_day <= high
    }
    found = {r["date"] for r in rows(dated_store, "timeline", since=since, until=until)}
    assert found == expected


def test_entity_card_shows_until(dated_store: EmbeddedStore) -> None:
    card = {
        r["other"]: r["until"]
        for r in rows(dated_store, "entity", entity="e")
        if r["direction"] == "out"
    }
    assert card["x0"] == "2025" and card["x1"] == ""


# --- many sources on one fact: one row per fact ------------------------------------------------
# Each test data folder is built here from real texts (see tests/test_reconcile.py), so what
# is asserted holds however the shipped claims grow.
TWIN = "twin-of-article"  # the article's text found again in an independent news source
REPRINT_OF_TWIN = "reprint-of-twin"  # that source reprinted: the same words, not a new source
#: Columns that carry a fact's evidence, not its identity.
EVIDENCE_COLUMNS = {"quote", "source", "sources", "n_sources", "n_claims", "status", "other_dates"}


def twin_data(
    tmp_path: Path, *, twin: bool = True, reprint: bool = False, contradict: bool = True
) -> Path:
    """The shipped article with its claims, and (``twin``) the same text and claims from an
    independent source, (``reprint``) a reprint of that one, and (``contradict``) one
    deliberate contradiction: the twin says the SOSA is legally binding."""
    from graph import resources
    from tests.test_reconcile import ARTICLE

    data = tmp_path / "data"
    shipped = resources.data_dir()
    shutil.copytree(shipped / "entities", data / "entities")
    shutil.copytree(shipped / "sources" / ARTICLE, data / "sources" / ARTICLE)
    claims = (shipped / "sources" / ARTICLE / "claims.yaml").read_text(encoding="utf-8")
    binding = "predicate: legallyBinding\n  value: false"
    assert claims.count(binding) == 1
    if contradict:
        claims = claims.replace(binding, "predicate: legallyBinding\n  value: true")
    copies = {TWIN: f"id: {TWIN}\ntitle: The same article, found elsewhere\nkind: news\n"}
    if reprint:
        copies[REPRINT_OF_TWIN] = (
            f"id: {REPRINT_OF_TWIN}\ntitle: The twin, reprinted\n"
            f"kind: news\ncopy: reprint\nwords_of: {TWIN}\n"
        )
    for sid, meta in copies.items():
        if sid == TWIN and not twin:
            continue
        folder = data / "sources" / sid
        folder.mkdir(parents=True)
        shutil.copy(shipped / "sources" / ARTICLE / "text.txt", folder / "text.txt")
        (folder / "source.yaml").write_text(meta, encoding="utf-8")
        (folder / "claims.yaml").write_text(claims, encoding="utf-8")
    return data


def built_store(data: Path, out: Path) -> Path:
    """Load ``data`` (records checked, no SHACL: the shipped entities may name agreements
    these few sources do not give parties) and write only ``alliance.nt`` to ``out``."""
    from graph.build import build_graph, serialize_ntriples

    ontology = load_ontology()
    graph = build_graph(api.load_dataset(data, ontology=ontology), ontology)
    out.mkdir(parents=True, exist_ok=True)
    (out / "alliance.nt").write_bytes(serialize_ntriples(graph))
    return out


@pytest.fixture(scope="module")
def twin_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Built folders: the article alone, with its twin, and with the twin and its reprint."""
    root = tmp_path_factory.mktemp("twins")
    return {
        "solo": built_store(
            twin_data(root / "solo", twin=False, contradict=False), root / "solo" / "out"
        ),
        "twin": built_store(twin_data(root / "twin"), root / "twin" / "out"),
        "reprint": built_store(twin_data(root / "reprint", reprint=True), root / "reprint" / "out"),
    }


FACT_QUERIES = [
    name
    for name in sorted(named_queries())
    if name not in ("conflicts", "evidence", "source-statements", "entities-by-type", "find-entity")
]


def fact_key(row: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in row.items() if k not in EVIDENCE_COLUMNS)


@pytest.mark.parametrize("name", FACT_QUERIES)
def test_a_second_source_adds_no_row_and_is_listed(twin_dirs: dict[str, Path], name: str) -> None:
    solo = rows(EmbeddedStore(twin_dirs["solo"]), name)
    twin = rows(EmbeddedStore(twin_dirs["twin"]), name)
    assert twin, name
    keys = [fact_key(r) for r in twin]
    assert len(keys) == len(set(keys)), f"{name}: two rows for one fact"
    # The second source changes the evidence columns only (the contradiction is not in
    # these queries' default answers, or changes no row of them).
    assert keys == [fact_key(r) for r in solo], name
    from tests.test_reconcile import ARTICLE

    for row in twin:
        if row.get("direction") == "about":  # the entity card's names: no claim
            continue
        assert row["sources"] == f"{TWIN}, {ARTICLE}", (name, row)
        assert row["n_sources"] == "2", (name, row)
        assert "corroborated" in row["status"] or "disputed" in row["status"], (name, row)
        assert row["quote"], (name, row)
    for row in solo:
        if row.get("direction") != "about":
            assert (row["sources"], row["n_sources"], row["status"]) == (
                ARTICLE,
                "1",
                "single source",
            ), (name, row)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_rows_come_in_the_same_order_on_every_run(twin_dirs: dict[str, Path], name: str) -> None:
    # Two stores, two runs each: Oxigraph's hash tables are seeded anew for each.
    runs = [run_named(EmbeddedStore(twin_dirs["reprint"]), name).rows for _ in range(2)]
    store = EmbeddedStore(twin_dirs["reprint"])
    runs += [run_named(store, name).rows for _ in range(2)]
    assert all(run == runs[0] for run in runs[1:]), name


@pytest.mark.parametrize("name", FACT_QUERIES)
def test_a_reprint_is_listed_but_not_counted(twin_dirs: dict[str, Path], name: str) -> None:
    from tests.test_reconcile import ARTICLE

    found = [
        r for r in rows(EmbeddedStore(twin_dirs["reprint"]), name) if r.get("direction") != "about"
    ]
    assert found
    for row in found:
        assert row["sources"] == f"{REPRINT_OF_TWIN}, {TWIN}, {ARTICLE}", (name, row)
        assert row["n_sources"] == "2", (name, row)


def test_conflicts_gives_the_contradiction_once_with_both_quotes(
    twin_dirs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_reconcile import ARTICLE, NON_BINDING_SPUN

    assert rows(EmbeddedStore(twin_dirs["solo"]), "conflicts") == []
    (row,) = rows(EmbeddedStore(twin_dirs["twin"]), "conflicts")
    assert (row["subject"], row["predicate"], row["field"]) == (
        "sosa",
        "ag:legallyBinding",
        "value",
    )
    # The twin, a news report, is placed before the reworded article: its value is preferred.
    assert (row["preferred_value"], row["other_value"]) == ("true", "false")
    assert (row["preferred_source"], row["other_source"]) == (TWIN, ARTICLE)
    assert (row["preferred_rank"], row["other_rank"]) == ("preferred", "normal")
    assert row["preferred_quote"] == row["other_quote"] == NON_BINDING_SPUN
    # The same pair through the command line.
    assert main(["conflicts", "--out", str(twin_dirs["twin"]), "--format", "sparql-json"]) == 0
    (binding,) = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert binding["other_quote"]["value"] == NON_BINDING_SPUN
    # The plain formats are typed rows with ids, like every other command's.
    assert main(["conflicts", "--out", str(twin_dirs["twin"]), "--format", "json"]) == 0
    (typed,) = json.loads(capsys.readouterr().out)
    assert (typed["subject"], typed["other_quote"]) == ("sosa", NON_BINDING_SPUN)
    assert main(["conflicts", "--out", str(twin_dirs["twin"]), "--iris", "--csv"]) == 0
    (line,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert line["subject"] == binding["subject"]["value"]
    assert main(["conflicts", "--out", str(twin_dirs["twin"])]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "(1 row)"


def test_a_disputed_fact_is_one_row_on_the_entity_card(twin_dirs: dict[str, Path]) -> None:
    card = [
        r
        for r in rows(EmbeddedStore(twin_dirs["twin"]), "entity", entity="sosa")
        if r["predicate"] == "ag:legallyBinding"
    ]
    (row,) = card
    assert (row["other"], row["n_claims"], row["status"]) == ("true", "2", "disputed")


def test_claim_queries_show_each_claim_with_its_rank(twin_dirs: dict[str, Path]) -> None:
    from tests.test_reconcile import ARTICLE

    store = EmbeddedStore(twin_dirs["twin"])
    stated = rows(store, "source-statements", source=ARTICLE)
    assert stated and {r["rank"] for r in stated} <= {"preferred", "normal"}
    assert all(r["rank_reason"] for r in stated)
    disputed = [r for r in stated if r["predicate"] == "ag:legallyBinding"]
    assert [r["rank"] for r in disputed] == ["normal"]
    assert disputed[0]["rank_reason"].startswith("disputed: states false")
    evidence = rows(store, "evidence")  # one triple, stated by both sources
    assert sorted(r["source"] for r in evidence) == sorted([ARTICLE, TWIN])
    assert sorted(r["rank"] for r in evidence) == ["normal", "preferred"]


@pytest.fixture(scope="module")
def refined_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The DoD release gives the day of signing, the article only the year; and a
    second pair disagree on the year Hamada signed the SOSA (a qualifier conflict)."""
    from tests.test_reconcile import ARTICLE, RELEASE, SIGNED_2023, SIGNED_DAY, _claim, make_data

    root = tmp_path_factory.mktemp("refined")
    data = make_data(
        root,
        {
            ARTICLE: [
                _claim("rdte-mou", "signedBy", SIGNED_2023, object="lloyd-austin", date="2023"),
                _claim("rdte-mou", "date", SIGNED_2023, value="2023"),
                _claim("sosa", "signedBy", SIGNED_2023, object="hamada-yasukazu", date="2024"),
            ],
            RELEASE: [
                _claim(
                    "rdte-mou", "signedBy", SIGNED_DAY, object="lloyd-austin", date="2023-01-12"
                ),
                _claim("rdte-mou", "date", SIGNED_DAY, value="2023-01-12"),
                _claim("sosa", "signedBy", SIGNED_DAY, object="hamada-yasukazu", date="2023-01-12"),
            ],
        },
    )
    return built_store(data, root / "out")


def test_a_refined_date_is_one_row_with_the_precise_date_first(refined_dir: Path) -> None:
    store = EmbeddedStore(refined_dir)
    (signed,) = rows(store, "signatories")
    assert (signed["signatory"], signed["signed"], signed["n_sources"], signed["n_claims"]) == (
        "lloyd-austin",
        "2023-01-12",
        "2",
        "2",
    )
    assert signed["status"] == "corroborated, refined"
    assert signed["source"] == "us-dod-2023-01-12-rdte-mou-sosa"
    assert signed["quote"].startswith("On Jan. 12, 2023")
    timeline = [r for r in rows(store, "timeline") if r["subject"] == "rdte-mou"]
    assert {(r["predicate"], r["date"], r["other_dates"]) for r in timeline} == {
        ("ag:date", "2023-01-12", "2023"),
        ("ag:signedBy", "2023-01-12", "2023"),
    }
    assert all(r["quote"].startswith("On Jan. 12, 2023") for r in timeline)
    # The range holds the best date: the day is in January 2023, so is the row.
    assert (
        len(
            [
                r
                for r in rows(store, "timeline", since="2023-01", until="2023-01")
                if r["subject"] == "rdte-mou"
            ]
        )
        == 2
    )
    card = [r for r in rows(store, "entity", entity="rdte-mou") if r["predicate"] == "ag:date"]
    assert [(r["other"], r["status"]) for r in card] == [("2023-01-12", "corroborated, refined")]


def test_a_conflicting_qualifier_is_named(refined_dir: Path) -> None:
    (row,) = rows(EmbeddedStore(refined_dir), "conflicts")
    assert (row["subject"], row["predicate"], row["field"]) == (
        "sosa",
        "ag:signedBy",
        "pointInTime",
    )
    assert (row["preferred_value"], row["other_value"]) == ("2023-01-12", "2024")
    assert row["preferred_source"] == "us-dod-2023-01-12-rdte-mou-sosa"
    (signed,) = rows(EmbeddedStore(refined_dir), "signatories", agreement="sosa")
    assert (signed["signed"], signed["status"]) == ("2023-01-12", "corroborated, disputed")


# --- odd parameter values: one Error line naming the parameter, never a traceback -------------
def test_the_last_year_is_a_bound_like_any_other(built_dir: Path) -> None:
    default = api.query("timeline", graph_dir=built_dir).sorted_rows()
    far = api.query("timeline", {"until": "9998-12-31"}, graph_dir=built_dir).sorted_rows()
    assert far and set(default) <= set(far)
    assert api.query("timeline", {"since": "9998-12-31"}, graph_dir=built_dir).rows == []


@pytest.mark.parametrize(
    ("param", "value", "reason"),
    [
        ("until", "9999", "is outside the years 0001 to 9998"),
        ("since", "0000", "is outside the years 0001 to 9998"),
        ("until", "0000-01", "is outside the years 0001 to 9998"),
        ("since", "２０２３", "is not a date of ASCII digits"),
        ("until", "٢٠٢٣-٠١", "is not a date of ASCII digits"),
        ("since", "2023\x00", "is not a date of ASCII digits"),
        ("since", "2023-02-30", "does not exist"),
        ("until", "99999", "is not a date of ASCII digits"),
    ],
)
def test_odd_dates_are_one_error_naming_the_parameter(
    built_dir: Path, capsys: pytest.CaptureFixture[str], param: str, value: str, reason: str
) -> None:
    assert main(["query", "timeline", "-p", f"{param}={value}", "--out", str(built_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Error: param: parameter '{param}': ") and reason in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9" * 5000, "is not an integer of at most 19 ASCII digits"),
        ("9223372036854775808", "is out of range"),
        ("١٢", "is not an integer"),
        ("1_000", "is not an integer"),
        ("\x07", "is not an integer"),
    ],
)
def test_odd_integers_are_one_error_naming_the_parameter(
    tmp_path: Path, built_dir: Path, capsys: pytest.CaptureFixture[str], value: str, reason: str
) -> None:
    rq = tmp_path / "top.rq"
    rq.write_text("# param: n (integer) = 3 — how many\nSELECT ?n WHERE { ?s ?p ?o } LIMIT 1\n")
    assert main(["query", str(rq), "-p", f"n={value}", "--out", str(built_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: param: parameter 'n': ") and reason in err
    assert err.count("\n") == 1 and len(err) < 300
    assert main(["query", str(rq), "-p", "n=-9223372036854775808", "--out", str(built_dir)]) == 0


def test_any_text_for_any_parameter_binds_or_is_a_query_error(store: EmbeddedStore) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from graph.sparql.binding import bind_parameters

    params = [(query, p.name) for query in named_queries().values() for p in query.parameters]
    params.append((parse_named_query_text("# param: n (integer) = 1 — n\nASK { }"), "n"))
    odd = st.one_of(
        st.text(max_size=30),
        st.from_regex(r"[0-9٠-٩０-９+-]{1,25}", fullmatch=True),
        st.integers().map(str),
        st.sampled_from(["0000", "9999", "10000", "9999-12"]),
    )

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(params), odd)
    def check(param: tuple[object, str], value: str) -> None:
        query, name = param
        try:
            bind_parameters(query, {name: value}, store)  # type: ignore[arg-type]
        except QueryError as exc:
            assert name in str(exc) and "\n" not in str(exc)

    check()


def parse_named_query_text(text: str) -> object:
    import tempfile

    from graph.sparql.catalogue import parse_named_query

    folder = Path(tempfile.mkdtemp())
    (folder / "n.rq").write_text(text)
    return parse_named_query(folder / "n.rq")


# --- the project's prefixes, by default -------------------------------------------------------
def test_ad_hoc_sparql_gets_the_project_prefixes(
    built_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graph.namespaces import PREFIXES

    sparql = "SELECT ?a WHERE { ?a a ag:Agreement ; ag:hasParty agid:japan }"
    assert (
        main(["query", "--sparql", sparql, "--format", "sparql-csv", "--graph-dir", str(built_dir)])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(r["a"].startswith(PREFIXES["agid"]) for r in rows)
    rq = tmp_path / "mine.rq"
    rq.write_text(sparql + "\n")
    assert (
        api.query(str(rq), graph_dir=built_dir).sorted_rows()
        == api.query(sparql, graph_dir=built_dir).sorted_rows()
    )
    # A prefix the text declares is its own, not replaced.
    mine = "PREFIX ag: <urn:other#> SELECT ?a WHERE { ?a a ag:Agreement }"
    assert api.query(mine, graph_dir=built_dir).rows == []
    assert main(["queries", "--prefixes"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in listed] == [f"{name}:" for name in PREFIXES]
    assert all(f"<{PREFIXES[line.split()[1][:-1]]}>" in line for line in listed)


@pytest.mark.parametrize(
    ("sparql", "where"),
    [
        ("SELECT ?a WHERE { ?a a ag:Agreement . FILTER (?a = ) }", "line 1, column 39"),
        ("SELECT ?a WHERE {\n  ?a a ag:Agreement .\n  ?a nope:x ?b }", "line 3, column 6"),
    ],
)
def test_error_positions_are_where_the_user_wrote_them(
    built_dir: Path, sparql: str, where: str
) -> None:
    with pytest.raises(QueryError) as info:
        api.query(sparql, graph_dir=built_dir)
    assert f"at {where}" in str(info.value)
