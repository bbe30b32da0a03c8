"""The test servers themselves (:mod:`tests.support.servers`), really started:
Oxigraph and Virtuoso take a Turtle graph through the Graph Store Protocol,
give it back through SPARQL with the exact rows (Japanese label, xsd:gYear,
decimals), listen on 127.0.0.1 only and are gone afterwards.

Missing binaries make these tests fail, not skip: run ``.ci/install-system``.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib

from graph.serve import listening_addresses
from tests.support.servers import Oxigraph, Virtuoso, oxigraph_server, virtuoso_server

pytestmark = pytest.mark.servers

GRAPH = "https://example.org/alliance-graph/smoke"
EX = "https://example.org/alliance-graph/smoke#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TURTLE = """\
@prefix ex: <https://example.org/alliance-graph/smoke#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:treaty rdfs:label "Treaty of Mutual Cooperation and Security"@en , "日米安全保障条約"@ja ;
    ex:signed "1960-01-19"^^xsd:date ;
    ex:year "1960"^^xsd:gYear ;
    ex:month "1960-01"^^xsd:gYearMonth ;
    ex:amount "2400000000.50"^^xsd:decimal .
"""
TRIPLES = 6
PREFIXES = f"PREFIX ex: <{EX}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
PATTERN = (
    "ex:treaty rdfs:label ?label ; ex:year ?year ; ex:month ?month ; ex:signed ?signed ;"
    " ex:amount ?amount ."
)
# Virtuoso writes the decimal in canonical form (no trailing zero), as Oxigraph does.
EXPECTED = [
    {
        "label": ("literal", "Treaty of Mutual Cooperation and Security", "@en"),
        "year": ("literal", "1960", XSD + "gYear"),
        "month": ("literal", "1960-01", XSD + "gYearMonth"),
        "signed": ("literal", "1960-01-19", XSD + "date"),
        "amount": ("literal", "2400000000.5", XSD + "decimal"),
    },
    {
        "label": ("literal", "日米安全保障条約", "@ja"),
        "year": ("literal", "1960", XSD + "gYear"),
        "month": ("literal", "1960-01", XSD + "gYearMonth"),
        "signed": ("literal", "1960-01-19", XSD + "date"),
        "amount": ("literal", "2400000000.5", XSD + "decimal"),
    },
]
JSON = {"Accept": "application/sparql-results+json"}


def term(binding: dict[str, str]) -> tuple[str, str, str]:
    """(kind, value, @lang or datatype): Virtuoso says "typed-literal" for "literal"."""
    kind = "literal" if binding["type"] == "typed-literal" else binding["type"]
    lang = binding.get("xml:lang")
    return kind, binding["value"], f"@{lang}" if lang else binding.get("datatype", "")


def select(url: str, query: str, **params: str) -> list[dict[str, tuple[str, str, str]]]:
    response = httpx.post(url, data={"query": query, **params}, headers=JSON, timeout=30)
    assert response.status_code == 200, response.text[:500]
    rows = [
        {name: term(value) for name, value in row.items()}
        for row in response.json()["results"]["bindings"]
    ]
    return sorted(rows, key=lambda row: sorted(row.items()))


def ask(url: str, query: str) -> bool:
    response = httpx.post(url, data={"query": query}, headers=JSON, timeout=30)
    assert response.status_code == 200, response.text[:500]
    return bool(response.json()["boolean"])


def construct(url: str, query: str) -> rdflib.Graph:
    response = httpx.post(
        url, data={"query": query}, timeout=30, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200, response.text[:500]
    return rdflib.Graph().parse(data=response.text, format="nt")


def put(
    server: Oxigraph | Virtuoso, body: str, *, auth: httpx.Auth | None = None
) -> httpx.Response:
    return httpx.put(
        server.store_url,
        params={server.graph_param: GRAPH},
        content=body.encode(),
        headers={"Content-Type": "text/turtle"},
        auth=auth,
        timeout=30,
    )


def count(url: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    return int(select(url, query)[0]["n"][1])


def assert_loopback_only(pid: int, ports: set[int]) -> None:
    listening = listening_addresses(pid)
    assert listening is not None
    assert {port for _, port in listening} == ports
    assert {address for address, _ in listening} == {"127.0.0.1"}


def assert_gone(process: Any, ports: set[int]) -> None:
    assert process.poll() is not None
    for port in ports:
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, port


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        assert put(server, TURTLE).status_code in (200, 201, 204)
        yield server


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        response = put(server, TURTLE, auth=server.auth())
        assert response.status_code in (200, 201, 204), response.text[:500]
        yield server


@pytest.mark.parametrize("scope", ["from", "graph", "default-graph-uri"])
def test_oxigraph_gives_back_the_exact_rows(oxigraph: Oxigraph, scope: str) -> None:
    query, params = scoped(scope)
    assert select(oxigraph.query_url, query, **params) == EXPECTED


@pytest.mark.parametrize("scope", ["from", "graph", "default-graph-uri"])
def test_virtuoso_gives_back_the_exact_rows(virtuoso: Virtuoso, scope: str) -> None:
    query, params = scoped(scope)
    assert select(virtuoso.query_url, query, **params) == EXPECTED


def scoped(scope: str) -> tuple[str, dict[str, str]]:
    """The SELECT scoped to our graph by FROM, by GRAPH, or by the protocol parameter."""
    head = PREFIXES + "SELECT ?label ?year ?month ?signed ?amount"
    if scope == "from":
        return f"{head} FROM <{GRAPH}> WHERE {{ {PATTERN} }}", {}
    if scope == "graph":
        return f"{head} WHERE {{ GRAPH <{GRAPH}> {{ {PATTERN} }} }}", {}
    return f"{head} WHERE {{ {PATTERN} }}", {"default-graph-uri": GRAPH}


@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
def test_ask_and_construct(engine: str, request: pytest.FixtureRequest) -> None:
    server = request.getfixturevalue(engine)
    assert ask(server.query_url, f'ASK FROM <{GRAPH}> {{ ?s ?p "日米安全保障条約"@ja }}')
    assert not ask(server.query_url, f'ASK FROM <{GRAPH}> {{ ?s ?p "1961"^^<{XSD}gYear> }}')
    graph = construct(
        server.query_url, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    )
    assert len(graph) == TRIPLES
    assert rdflib.Literal("日米安全保障条約", lang="ja") in set(graph.objects())
    assert rdflib.Literal("1960", datatype=rdflib.XSD.gYear) in set(graph.objects())


@pytest.mark.parametrize("engine", ["oxigraph", "virtuoso"])
def test_put_replaces_the_graph(engine: str, request: pytest.FixtureRequest) -> None:
    server = request.getfixturevalue(engine)
    auth = server.auth() if isinstance(server, Virtuoso) else None
    extra = TURTLE + f'<{EX}other> <{EX}year> "2023"^^<{XSD}gYear> .\n'
    try:
        assert put(server, extra, auth=auth).status_code in (200, 201, 204)
        assert count(server.query_url) == TRIPLES + 1
    finally:
        assert put(server, TURTLE, auth=auth).status_code in (200, 201, 204)
    assert count(server.query_url) == TRIPLES


def test_virtuoso_store_needs_the_right_digest_credentials(virtuoso: Virtuoso) -> None:
    assert put(virtuoso, TURTLE).status_code == 401
    assert put(virtuoso, TURTLE, auth=httpx.DigestAuth("dba", "dba")).status_code == 401
    assert (
        put(
            virtuoso, TURTLE, auth=httpx.BasicAuth(virtuoso.username, virtuoso.password)
        ).status_code
        == 401
    )
    anonymous = httpx.post(
        virtuoso.query_url,
        timeout=30,
        data={"update": f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:a> <urn:b> <urn:c> }}}} }}}}"},
    )
    assert anonymous.status_code >= 400
    assert count(virtuoso.query_url) == TRIPLES


def test_virtuoso_default_graph_is_the_union_with_its_system_graphs(virtuoso: Virtuoso) -> None:
    """Why every query to Virtuoso must be scoped to our graph (FROM, GRAPH or
    default-graph-uri): unscoped, it also sees thousands of built-in triples."""
    graphs = select(virtuoso.query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    names = {row["g"][1] for row in graphs}
    assert {GRAPH, "http://www.openlinksw.com/schemas/virtrdf#"} <= names
    unscoped = select(virtuoso.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(unscoped[0]["n"][1]) > 1000


def test_oxigraph_default_graph_is_not_the_union(oxigraph: Oxigraph) -> None:
    unscoped = select(oxigraph.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert unscoped[0]["n"][1] == "0"


def test_read_only_oxigraph_refuses_updates(tmp_path: Path) -> None:
    data = tmp_path / "smoke.ttl"
    data.write_text(TURTLE, encoding="utf-8")
    with oxigraph_server(tmp_path / "ro", data=data, read_only=True, graph=GRAPH) as server:
        assert select(server.query_url, scoped("from")[0]) == EXPECTED
        insert = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}"
        update = httpx.post(
            server.update_url,
            content=insert,
            timeout=30,
            headers={"Content-Type": "application/sparql-update"},
        )
        assert update.status_code == 403, update.text
        assert put(server, "<urn:a> <urn:b> <urn:c> .").status_code == 403
        assert count(server.query_url) == TRIPLES


def test_read_only_oxigraph_without_data_is_empty(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path, read_only=True) as server:
        assert not ask(server.query_url, "ASK { GRAPH ?g { ?s ?p ?o } }")


def test_servers_listen_on_loopback_only(oxigraph: Oxigraph, virtuoso: Virtuoso) -> None:
    assert_loopback_only(oxigraph.process.pid, {port_of(oxigraph.base_url)})
    assert_loopback_only(virtuoso.process.pid, {port_of(virtuoso.base_url), virtuoso.isql_port})


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_oxigraph_is_gone_afterwards(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path) as server:
        ports = {port_of(server.base_url)}
        assert select(server.query_url, "SELECT * WHERE { ?s ?p ?o }") == []
    assert_gone(server.process, ports)


def test_virtuoso_is_gone_afterwards_and_its_database_deleted(tmp_path: Path) -> None:
    with virtuoso_server(tmp_path) as server:
        ports = {port_of(server.base_url), server.isql_port}
        assert (tmp_path / "virtuoso.db").exists()
        assert server.isql("select 1;")
    assert_gone(server.process, ports)
    assert not (tmp_path / "virtuoso.db").exists()
    assert not list(tmp_path.glob("*.lck"))


BULK_GRAPH = "https://example.org/alliance-graph/bulk"
EXTRA = f'<{EX}other> <{EX}year> "2023"^^<{XSD}gYear> .\n'


def bulk_files(folder: Path) -> list[Path]:
    """The smoke graph as Turtle and one more triple as N-Triples: two files, two formats."""
    first, second = folder / "smoke.ttl", folder / "extra.nt"
    first.write_text(TURTLE, encoding="utf-8")
    second.write_text(EXTRA, encoding="utf-8")
    return [first, second]


def test_virtuoso_bulk_loader_loads_every_file_into_the_graph(
    virtuoso: Virtuoso, tmp_path: Path
) -> None:
    virtuoso.bulk_load(bulk_files(tmp_path), BULK_GRAPH)
    query = PREFIXES + f"SELECT * FROM <{BULK_GRAPH}> WHERE {{ {PATTERN} }}"
    assert select(virtuoso.query_url, query) == EXPECTED
    counted = select(
        virtuoso.query_url, f"SELECT (COUNT(*) AS ?n) FROM <{BULK_GRAPH}> WHERE {{ ?s ?p ?o }}"
    )
    assert counted[0]["n"][1] == str(TRIPLES + 1)
    assert count(virtuoso.query_url) == TRIPLES  # the other graph is untouched


def test_virtuoso_bulk_loader_reports_a_file_it_refused(virtuoso: Virtuoso, tmp_path: Path) -> None:
    broken = tmp_path / "broken.nt"
    broken.write_text(f"<{EX}a> <{EX}b> .\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="refused"):
        virtuoso.bulk_load([broken], BULK_GRAPH + "-broken")


@pytest.mark.parametrize("lenient", [False, True])
def test_oxigraph_loads_several_files_before_serving(tmp_path: Path, lenient: bool) -> None:
    files = bulk_files(tmp_path)
    with oxigraph_server(tmp_path / "db", data=files, lenient=lenient) as server:
        assert select(server.query_url, PREFIXES + f"SELECT * WHERE {{ {PATTERN} }}") == EXPECTED
        counted = select(server.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert counted[0]["n"][1] == str(TRIPLES + 1)
