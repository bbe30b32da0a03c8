"""Rewritten named queries give exactly the rows (and order) of the texts they replace.

``tests/data/queries_before/`` holds each query as it was before it was made to
start from its parameter (``# anchor:``, sub-SELECTs restricted to the entity);
both run on the shipped build and on synthetic graphs of three sizes, for
several parameter values each, and must agree row for row.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import QueryError
from graph.sparql.binding import bind_parameters, inline
from graph.sparql.catalogue import get_named_query
from graph.sparql.engines import EmbeddedStore
from graph.synth import write_synthetic

BEFORE = Path(__file__).parent / "data" / "queries_before"
REWRITTEN = sorted(path.stem for path in BEFORE.glob("*.rq"))

PREFIX = (
    "PREFIX ag: <https://w3id.org/alliance-graph/ontology#> "
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
)

#: For each rewritten query with a parameter: entities to ask about, the most
#: connected first (the slow case), then the least, then in IRI order.
CANDIDATES = {
    "dependents": (
        "entity",
        "SELECT ?e (COUNT(*) AS ?n) WHERE { ?d ag:dependsOn+ ?e } GROUP BY ?e",
    ),
    "dependencies": (
        "entity",
        "SELECT ?e (COUNT(*) AS ?n) WHERE { ?e ag:dependsOn+ ?d } GROUP BY ?e",
    ),
    "signatories": (
        "agreement",
        "SELECT ?e (COUNT(*) AS ?n) WHERE { ?e ag:signedBy ?s } GROUP BY ?e",
    ),
    "entity": (
        "entity",
        "SELECT ?e (COUNT(*) AS ?n) WHERE { { ?c rdf:subject ?e } UNION "
        "{ ?c rdf:object ?e FILTER (isIRI(?e)) } } GROUP BY ?e",
    ),
}


#: Pairs of parties for ``agreements``: two parties of one agreement, or a party and
#: an organisation one of whose direct parts is a party (the most agreements first).
PAIRS = (
    "PREFIX org: <http://www.w3.org/ns/org#> SELECT ?a ?b (COUNT(DISTINCT ?x) AS ?n) WHERE { "
    "{ ?x ag:hasParty ?a } UNION { ?pa org:subOrganizationOf ?a . ?x ag:hasParty ?pa } "
    "?x ag:hasParty ?b FILTER (?a != ?b) } GROUP BY ?a ?b"
)


#: Facts for ``evidence``: those stated by the most claims, and those with an amount.
FACTS = (
    "SELECT ?s ?p ?o (COUNT(?c) AS ?n) WHERE { ?c rdf:subject ?s ; rdf:predicate ?p ; "
    "rdf:object ?o . FILTER (isIRI(?o)) %s } GROUP BY ?s ?p ?o ORDER BY DESC(?n) ?s ?p ?o LIMIT 4"
)


def parameter_sets(store: EmbeddedStore, name: str, many: int) -> list[dict[str, str]]:
    if name == "evidence":
        rows = [
            row
            for extra in ("", "?c ag:amount ?amount .")
            for row in store.query(PREFIX + FACTS % extra).rows
        ]
        facts = dict.fromkeys((r["s"]["value"], r["p"]["value"], r["o"]["value"]) for r in rows)
        return [{}] + [{"subject": s, "predicate": p, "object": o} for s, p, o in facts]
    if name == "agreements":
        found = [(int(r["n"]), r["a"], r["b"]) for r in store.query(PREFIX + PAIRS)]
        found.sort(key=lambda t: (-t[0], t[1], t[2]))
        chosen = found[:2] + found[-2:] + found[2 : 2 + many]
        pairs = list(dict.fromkeys((a, b) for _, a, b in chosen))
        return [{}] + [{"party_a": a, "party_b": b} for a, b in pairs]
    if name not in CANDIDATES:
        return [{}]
    param, sparql = CANDIDATES[name]
    found = [(int(row["n"]), row["e"]) for row in store.query(PREFIX + sparql)]
    found.sort(key=lambda pair: (-pair[0], pair[1]))
    chosen = found[:2] + found[-2:] + found[2 : 2 + many]
    iris = list(dict.fromkeys(iri for _, iri in chosen))
    # The query's default too (an entity of the shipped data, absent from synthetic ones).
    return [{}] + [{param: iri} for iri in iris]


#: The shipped graph without its asserted single-valued facts (``ag:date`` …): their
#: claims are then facts of their own (the third case of ``entity``'s fact groups).
UNASSERTED = (
    "PREFIX owl: <http://www.w3.org/2002/07/owl#> "
    "DELETE { ?s ?p ?o } WHERE { ?p a owl:FunctionalProperty . ?s ?p ?o }"
)


@pytest.fixture(scope="module", params=["shipped", "unasserted", 2000, 6000, 15000])
def graph_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> EmbeddedStore:
    if request.param == "shipped":
        return EmbeddedStore(request.getfixturevalue("built_dir"))
    if request.param == "unasserted":
        store = EmbeddedStore(request.getfixturevalue("built_dir"))
        before = len(store.store)
        store.store.update(UNASSERTED)
        assert len(store.store) < before  # the case is there to compare
        return store
    path = tmp_path_factory.mktemp("synth") / f"synth-{request.param}.nt"
    write_synthetic(path, request.param, seed=3)
    return EmbeddedStore(path, trusted=True)


def test_the_oracles_are_the_queries_that_were_replaced() -> None:
    assert REWRITTEN, "no query texts to compare with"
    for name in REWRITTEN:
        before = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
        assert before != get_named_query(name).sparql, name


@pytest.mark.parametrize("name", REWRITTEN)
def test_rewritten_query_gives_the_same_rows(graph_store: EmbeddedStore, name: str) -> None:
    query = get_named_query(name)
    before = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
    compared = 0
    sets = parameter_sets(graph_store, name, many=3)
    for params in sets:
        try:
            terms = bind_parameters(query, params, graph_store)
        except QueryError:
            assert not params  # only the default, an entity of the shipped data, may be absent
            continue
        new = graph_store.query(query.sparql, terms)
        old = graph_store.query(before, terms)
        assert new.variables == old.variables
        assert new.rows == old.rows, (name, params)
        compared += len(old.rows)
    if len(sets) > 1:
        # Not a vacuous comparison: the entities picked from the data gave rows.
        assert compared > 0, name


TABLED = [name for name in REWRITTEN if get_named_query(name).index == "table"]


@pytest.mark.parametrize("name", TABLED)
def test_rewritten_table_query_gives_each_key_the_same_rows(
    graph_store: EmbeddedStore, name: str
) -> None:
    """Run unbound, a '# index: table' query fills its table: each parameter value's
    rows, in order, must be those of the text it replaces (rows of different values
    may interleave otherwise: the ORDER BY need not name the parameter)."""
    query = get_named_query(name)
    before = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
    keys = [param.name for param in query.parameters]

    def by_key(sparql: str) -> dict[str, list[dict[str, object]]]:
        grouped: dict[str, list[dict[str, object]]] = {}
        for row in graph_store.query(sparql).rows:
            key = json.dumps([row.get(k) for k in keys], sort_keys=True)
            grouped.setdefault(key, []).append(row)
        return grouped

    new, old = by_key(query.sparql), by_key(before)
    assert new == old
    # Not vacuous: every graph here has entities with names (synthetic ones have no
    # conflicts, so conflicts is compared on the shipped builds only).
    assert new or name != "entity"


def _sent(sparql: str, terms: dict[str, ox.Term]) -> str:
    return inline(sparql, terms)[0]


def test_anchor_binds_the_parameter_in_sub_selects_that_project_it() -> None:
    text = (
        "# anchor: e\nSELECT ?e ?n WHERE {\n"
        "  { SELECT ?e (COUNT(?x) AS ?n) WHERE { ?x <urn:p> ?e } GROUP BY ?e }\n"
        "  { SELECT ?y WHERE { ?y <urn:q> ?z } }\n}"
    )
    sent = _sent(text, {"e": ox.NamedNode("urn:a")})
    assert sent.count("VALUES (?e) { (<urn:a>) }") == 2
    first_inner = sent.index("SELECT ?e (COUNT")
    assert sent.index("VALUES", first_inner) < sent.index("?x <urn:p>")
    # The sub-SELECT that does not project ?e is left as it is.
    assert "SELECT ?y WHERE { ?y <urn:q>" in sent


def test_without_anchor_only_the_outer_group_is_bound() -> None:
    text = (
        "SELECT ?e ?n WHERE {\n"
        "  { SELECT ?e (COUNT(?x) AS ?n) WHERE { ?x <urn:p> ?e } GROUP BY ?e }\n}"
    )
    assert _sent(text, {"e": ox.NamedNode("urn:a")}).count("VALUES") == 1


def test_anchor_results_equal_unanchored_results() -> None:
    store = ox.Store()
    for s, o in (("urn:x1", "urn:a"), ("urn:x2", "urn:a"), ("urn:x3", "urn:b")):
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode("urn:p"), ox.NamedNode(o)))
    body = (
        "SELECT ?e ?n WHERE {\n"
        "  { SELECT ?e (COUNT(?x) AS ?n) WHERE { ?x <urn:p> ?e } GROUP BY ?e }\n}"
    )
    terms = {"e": ox.NamedNode("urn:a")}
    plain = [str(s["n"]) for s in store.query(_sent(body, terms))]
    anchored = [str(s["n"]) for s in store.query(_sent("# anchor: e\n" + body, terms))]
    assert plain == anchored == [str(ox.Literal(2))]
