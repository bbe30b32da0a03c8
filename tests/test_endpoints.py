"""Real SPARQL servers on 127.0.0.1: every named query gives the same rows embedded,
on the Oxigraph server and on Virtuoso; publish, serve and the endpoint errors."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from graph import api
from graph.cli import main
from graph.errors import EndpointError, QueryError
from graph.serve import DEFAULT_GRAPH, Server, oxigraph_server, publish
from graph.store import Credentials, EmbeddedStore, RemoteStore, named_queries, run_named
from tests.support.servers import Virtuoso, virtuoso_server

pytestmark = pytest.mark.servers
QUERIES = sorted(named_queries())
PARAM_SETS = {
    "dependents": [{}, {"entity": "sm-3-block-iia-codevelopment"}, {"entity": "usa"}],
    "dependencies": [{}, {"entity": "japan-defence-industry"}],
    "find-entity": [{}, {"name": '" } ; DROP ALL ; SELECT * { ?s ?p ?o'}],
    "signatories": [{}, {"agreement": "sosa"}],
    "timeline": [{}, {"since": "2023-01", "until": "2023-12"},
                 {"since": "2022", "until": "2023-06"},
                 {"since": "2023-08", "until": "2023-08-31"}],
    "agreements": [{}, {"party_a": "usa", "party_b": "japan"}],
    "entity": [{}, {"entity": "Japan"}],
}


@pytest.fixture(scope="module")
def oxigraph(built_dir: Path) -> Iterator[Server]:
    with oxigraph_server(built_dir) as server:
        yield server


@pytest.fixture(scope="module")
def virtuoso(built_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        publish(built_dir, server.store_url, graph_param=server.graph_param,
                credentials=Credentials(server.username, server.password, server.auth_kind))
        yield server


@pytest.fixture(scope="module")
def stores(built_dir: Path, oxigraph: Server, virtuoso: Virtuoso) -> dict[str, object]:
    return {
        "embedded": EmbeddedStore(built_dir),
        "oxigraph": RemoteStore(oxigraph.query_url),
        "virtuoso": RemoteStore(virtuoso.query_url, graph=DEFAULT_GRAPH),
    }


CASES = [(name, params) for name in QUERIES for params in PARAM_SETS.get(name, [{}])]


CASE_IDS = [f"{name}-{i}" for name in QUERIES for i in range(len(PARAM_SETS.get(name, [{}])))]


@pytest.mark.parametrize(("name", "params"), CASES, ids=CASE_IDS)
def test_same_rows_on_every_engine(stores: dict[str, object], name: str,
                                   params: dict[str, str]) -> None:
    results = {engine: run_named(store, name, params)  # type: ignore[arg-type]
               for engine, store in stores.items()}
    embedded = results["embedded"]
    for engine in ("oxigraph", "virtuoso"):
        assert results[engine].variables == embedded.variables, engine
        assert results[engine].sorted_rows() == embedded.sorted_rows(), engine
    if "DROP" not in str(params):
        assert len(embedded) > 0


def test_signatories_on_virtuoso_have_quotes_and_year(stores: dict[str, object]) -> None:
    rows = list(run_named(stores["virtuoso"], "signatories"))  # type: ignore[arg-type]
    assert {r["signatory_label"] for r in rows} == {"Lloyd Austin", "Hamada Yasukazu"}
    assert {r["signed"] for r in rows} == {"2023"}
    assert all("opened 2023 by signing" in r["quote"] for r in rows)


def test_cli_query_against_endpoint(oxigraph: Server, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "procurements", "--endpoint", oxigraph.query_url]) == 0
    out = capsys.readouterr().out
    assert "Tomahawk" in out and "2400000000.0" in out and "USD" in out


def test_serve_refuses_updates(oxigraph: Server) -> None:
    response = httpx.post(oxigraph.update_url, content="INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                          headers={"Content-Type": "application/sparql-update"})
    assert response.status_code in (403, 405)
    assert run_named(RemoteStore(oxigraph.query_url), "entities-by-type").rows


def test_serve_listens_on_loopback_only(oxigraph: Server) -> None:
    port = int(oxigraph.base_url.rsplit(":", 1)[1])
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None,
                                                           socket.AF_INET)} - {"127.0.0.1"}
    for address in addresses:
        with socket.socket() as sock, pytest.raises(OSError):
            sock.settimeout(1)
            sock.connect((address, port))


def test_query_page_works_offline(oxigraph: Server) -> None:
    page = httpx.get(oxigraph.base_url + "/").text
    assert "yasgui" in page.lower()
    external = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", page)
    assert external == []


def test_publish_replaces_the_graph_in_one_operation(built_dir: Path, tmp_path: Path) -> None:
    with oxigraph_server(built_dir, read_only=False) as server:
        remote = RemoteStore(server.query_url, graph=DEFAULT_GRAPH)
        publish(built_dir, server.store_url)
        first = run_named(remote, "entities-by-type").sorted_rows()
        assert first
        publish(built_dir, server.store_url)
        assert run_named(remote, "entities-by-type").sorted_rows() == first
        count = httpx.post(server.query_url, data={
            "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DEFAULT_GRAPH}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/sparql-results+json"}).json()
        stored = int(count["results"]["bindings"][0]["n"]["value"])
        assert stored == len(EmbeddedStore(built_dir).store)
        assert stored > len(api.load_graph(built_dir / "alliance.ttl")) + len(
            api.load_graph(Path(__file__).parents[1] / "ontology" / "alliance.ttl"))


def test_publish_with_wrong_credentials_is_refused(built_dir: Path, virtuoso: Virtuoso,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["publish", "--out", str(built_dir), "--endpoint", virtuoso.store_url,
                   "--graph-param", "graph-uri", "--user", "dba", "--password", "not-it",
                   "--auth", "digest"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith(f"Error: endpoint: {virtuoso.store_url} refused the credentials")
    assert "not-it" not in err


def test_publish_with_credentials_from_the_environment(
        built_dir: Path, virtuoso: Virtuoso, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_GRAPH_USER", virtuoso.username)
    monkeypatch.setenv("ALLIANCE_GRAPH_PASSWORD", virtuoso.password)
    monkeypatch.setenv("ALLIANCE_GRAPH_AUTH", "digest")
    assert main(["publish", "--out", str(built_dir), "--endpoint", virtuoso.store_url,
                 "--graph-param", "graph-uri"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("published ") and virtuoso.password not in out.replace("dba", "")


def test_unreachable_endpoint_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    from graph.serve import free_port

    url = f"http://127.0.0.1:{free_port()}/query"
    assert main(["query", "signatories", "--endpoint", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Error: endpoint: cannot reach {url}")
    assert err.count("\n") == 1


def test_http_error_is_one_clear_line(oxigraph: Server, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    url = oxigraph.base_url + "/no-such-path"
    assert main(["query", "signatories", "--endpoint", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Error: endpoint: {url} answered HTTP 404")
    assert err.count("\n") == 1


def test_timeout_is_one_clear_line() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        with pytest.raises(EndpointError, match=r"did not answer within 0.5 s"):
            RemoteStore(url, timeout=0.5).query("ASK {}")


def test_malformed_query_on_endpoint(oxigraph: Server, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    assert main(["query", "--sparql", "SELECT * WHERE { ?s ?p }", "--endpoint",
                 oxigraph.query_url]) == 1
    assert capsys.readouterr().err.startswith("Error: sparql: the endpoint refused the query")


def test_serve_prints_its_url_and_stops_cleanly_on_ctrl_c(built_dir: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from graph.serve import free_port

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--port", str(port), "--out", str(built_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first == f"SPARQL endpoint: http://127.0.0.1:{port}/query\n"
        rows = run_named(RemoteStore(f"http://127.0.0.1:{port}/query"), "signatories")
        assert {r["signatory_label"] for r in rows} == {"Lloyd Austin", "Hamada Yasukazu"}
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert out.endswith("stopping\n") and "Traceback" not in err
    time.sleep(0.2)
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def test_endpoint_error_column_is_where_the_user_wrote_it(oxigraph: Server) -> None:
    # The parameters' VALUES row goes in on line 1: the server's column is taken back.
    remote = RemoteStore(oxigraph.query_url)
    sparql = "SELECT ?x WHERE { ?who ?p ?o } GROUP BY ?who"
    messages = []
    for bindings in ({}, {"who": ox.NamedNode("urn:x:japan")}):
        with pytest.raises(QueryError) as info:
            remote.query(sparql, bindings)
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert messages[0].startswith("sparql: the endpoint refused the query at line 1, column 45")
