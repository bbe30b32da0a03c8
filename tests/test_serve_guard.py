"""The front of ``serve``: no federated queries, no foreign Host, answers that
end at the time and size limits visibly incomplete, no orphaned Oxigraph."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from graph.gateway import allowed_hosts, federated_calls, host_name
from graph.serve import Server, free_port, oxigraph_server

SERVICE_SPELLINGS = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service silent <{url}> { ?s ?p ?o } }",
    "PREFIX e: <{base}> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
    "BASE <{base}> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    r"SELECT * WHERE { \u0053ERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<{url}> AS ?u) SERVICE ?u { ?s ?p ?o } }",
    # '<' as "less than", then a comment: a tokenizer would read an IRI from
    # '<?b' to '#>' and miss the clause; the parser does not.
    "SELECT * WHERE { ?x <http://p#q> ?y FILTER(?a<?b)SERVICE<{url}>#>\n{ ?a ?b ?c } }",
]
NOT_SERVICE = [
    'SELECT ?s WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/>" } LIMIT 1',
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 # SERVICE <http://127.0.0.1:9/>",
    "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
]


def test_federated_calls_are_read_by_a_parser() -> None:
    url = "http://127.0.0.1:9/sparql"
    for template in SERVICE_SPELLINGS:
        query = template.replace("{url}", url).replace("{base}", "http://127.0.0.1:9/")
        calls = federated_calls(query)
        assert calls and all(c in (url, None) for c in calls), query
    for query in NOT_SERVICE:
        assert federated_calls(query) == [], query
    assert federated_calls("SELECT * WHERE { SERVICE <x> { ?s ?p ") == [None]  # unreadable


def test_host_names() -> None:
    assert host_name("[::1]:7878") == "::1" and host_name("LocalHost:80") == "localhost"
    assert host_name("example.org") == "example.org"
    assert {"localhost", "127.0.0.1", "::1"} <= allowed_hosts("127.0.0.1")
    assert allowed_hosts("192.0.2.7", ["proxy.example"]) == {"192.0.2.7", "proxy.example"}


# --- a real server on 127.0.0.1 ---------------------------------------------------------------
class Canary:
    """A SPARQL endpoint on 127.0.0.1 that counts the requests it gets."""

    def __init__(self) -> None:
        self.hits = 0
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                canary.hits += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                data = b'{"head": {"vars": ["s"]}, "results": {"bindings": [{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def guarded(built_dir: Path) -> Iterator[tuple[Server, Canary, Canary]]:
    """serve with a 2 s timeout, a 1 MB limit, one allowed SERVICE endpoint;
    and a second endpoint that no query may reach."""
    allowed, forbidden = Canary(), Canary()
    try:
        with oxigraph_server(
            built_dir, timeout_s=2, max_bytes=1 << 20, allow_service=[allowed.url]
        ) as server:
            yield server, allowed, forbidden
    finally:
        for canary in (allowed, forbidden):
            canary.server.shutdown()
            canary.server.server_close()


@pytest.mark.servers
@pytest.mark.parametrize("template", SERVICE_SPELLINGS)
def test_serve_refuses_federated_queries(
    guarded: tuple[Server, Canary, Canary], template: str
) -> None:
    server, _, forbidden = guarded
    query = template.replace("{url}", forbidden.url).replace(
        "{base}", forbidden.url.rsplit("/", 1)[0] + "/"
    )
    for response in (
        httpx.post(server.query_url, data={"query": query}),
        httpx.get(server.query_url, params={"query": query}),
        httpx.post(
            server.query_url,
            content=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
        ),
    ):
        assert response.status_code == 400
        assert response.text.startswith("federated queries (SERVICE) are refused")
    assert forbidden.hits == 0


@pytest.mark.servers
def test_serve_allows_listed_service_and_plain_mentions(
    guarded: tuple[Server, Canary, Canary],
) -> None:
    server, allowed, _ = guarded
    query = f"SELECT * WHERE {{ SERVICE <{allowed.url}> {{ ?s ?p ?o }} }}"
    response = httpx.post(
        server.query_url,
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200 and allowed.hits >= 1
    for query in NOT_SERVICE:
        assert httpx.post(server.query_url, data={"query": query}).status_code == 200, query


@pytest.mark.servers
def test_serve_answers_only_to_its_own_host_names(guarded: tuple[Server, Canary, Canary]) -> None:
    server, _, _ = guarded
    port = server.base_url.rsplit(":", 1)[1]
    for host in (f"rebound.example:{port}", "rebound.example", f"127.0.0.2:{port}"):
        response = httpx.get(server.base_url + "/", headers={"Host": host})
        assert response.status_code == 403, host
        assert "does not answer to the host name" in response.text
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        response = httpx.get(server.query_url, params={"query": "ASK {}"}, headers={"Host": host})
        assert response.status_code == 200, host
    page = httpx.get(server.base_url + "/")
    assert page.status_code == 200 and "yasgui" in page.text.lower()


def stream(url: str, query: str) -> tuple[int, int, float, Exception | None]:
    """Status, bytes of body received, seconds, and how the body ended."""
    started, received = time.monotonic(), 0
    try:
        with httpx.stream(
            "POST", url, data={"query": query}, headers={"Accept": "text/csv"}, timeout=30
        ) as response:
            for piece in response.iter_raw():
                received += len(piece)
    except httpx.HTTPError as exc:
        return response.status_code, received, time.monotonic() - started, exc
    return response.status_code, received, time.monotonic() - started, None


@pytest.mark.servers
def test_a_long_answer_is_cut_off_visibly_at_the_timeout(built_dir: Path) -> None:
    # A limit large enough that the time runs out first.
    with oxigraph_server(built_dir, timeout_s=2, max_bytes=1 << 40) as server:
        status, received, seconds, ended = stream(
            server.query_url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        )
        assert status == 200 and received > 0
        assert isinstance(ended, httpx.RemoteProtocolError)  # incomplete, never complete
        assert 2 <= seconds < 6
        # Nothing streamed yet when the time runs out: a 503, not a 200.
        started = time.monotonic()
        response = httpx.post(
            server.query_url,
            data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"},
            timeout=30,
        )
        assert response.status_code == 503 and "longer than 2 s" in response.text
        assert time.monotonic() - started < 6


@pytest.mark.servers
def test_a_large_answer_is_cut_off_visibly_at_the_size_limit(
    guarded: tuple[Server, Canary, Canary],
) -> None:
    server, _, _ = guarded
    status, received, _seconds, ended = stream(
        server.query_url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    )
    assert status == 200 and isinstance(ended, httpx.RemoteProtocolError)
    assert 0 < received <= (1 << 20) + 70_000  # the limit, plus the chunk framing
    small = httpx.post(server.query_url, data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert small.status_code == 200 and small.text.count('"s"') >= 1


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.servers
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_no_oxigraph_outlives_a_killed_serve(built_dir: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "graph",
            "serve",
            "--port",
            str(port),
            "--graph-dir",
            str(built_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().startswith("SPARQL")
        (oxigraph,) = children(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{oxigraph}").exists() and time.monotonic() < deadline:
            stat = Path(f"/proc/{oxigraph}/stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] == "Z":  # a zombie has let go of its port
                break
            time.sleep(0.1)
        state = (
            Path(f"/proc/{oxigraph}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if Path(f"/proc/{oxigraph}").exists()
            else "gone"
        )
        assert state in ("gone", "Z")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
