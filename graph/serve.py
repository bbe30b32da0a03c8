"""A real SPARQL endpoint over the built graph, and publishing to remote servers.

``serve`` loads the built graph and the ontology into an Oxigraph database
and runs the Oxigraph server (shipped on PyPI as ``oxigraph``) read-only,
bound to loopback by default, with a query timeout. Its query page (YASGUI)
is bundled in the binary, so it works offline.

``publish`` uploads the built graph and the ontology to any server that
speaks the SPARQL 1.1 Graph Store Protocol, as one HTTP PUT that replaces the
named graph in a single operation (no window with no data). Both carry what
the embedded store holds: data, ontology and the ``ag:dependsOn`` entailment. Depends on
:mod:`graph.errors` and :mod:`graph.store` (httpx and pyoxigraph lazily).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import EndpointError

if TYPE_CHECKING:
    from graph.store import Credentials

#: The named graph our data is published into.
DEFAULT_GRAPH = "https://w3id.org/alliance-graph/graph"


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server installed with the package."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise EndpointError("the oxigraph server is not installed", field="serve",
                            hint="pip install oxigraph")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def graph_payload(built: Path) -> bytes:
    """What the embedded store holds, as one N-Triples document: the built graph,
    the ontology and the ``ag:dependsOn`` entailment (see :mod:`graph.store`).

    So a query gives the same rows embedded, served or published, and queries
    following ``rdfs:subPropertyOf`` or ``ag:dependsOn+`` work on every server.
    """
    from graph.store import EmbeddedStore

    return EmbeddedStore(built, trusted=True).to_ntriples()


def load_database(location: Path, built: Path) -> None:
    """Create an Oxigraph database at ``location`` holding the graph and the ontology."""
    with tempfile.NamedTemporaryFile(suffix=".nt", dir=location.parent, delete=False) as tmp:
        tmp.write(graph_payload(built))
    try:
        done = subprocess.run([oxigraph_binary(), "load", "--location", str(location),
                               "--file", tmp.name], capture_output=True, text=True, check=False)
    finally:
        Path(tmp.name).unlink(missing_ok=True)
    if done.returncode != 0:
        raise EndpointError(f"oxigraph could not load the graph: {done.stderr.strip()[-300:]}",
                            field="serve")


@dataclass(frozen=True)
class Server:
    """A running SPARQL server."""

    base_url: str
    process: subprocess.Popen[bytes]

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        return self.base_url + "/update"

    @property
    def store_url(self) -> str:
        return self.base_url + "/store"


def wait_until_up(url: str, process: subprocess.Popen[bytes], *, timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers; fail clearly if the process dies first."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EndpointError(f"the server stopped at start-up (exit {process.returncode})",
                                field="serve")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise EndpointError(f"the server did not answer within {timeout:g} s", field="serve")


@contextmanager
def oxigraph_server(built: Path, *, host: str = "127.0.0.1", port: int | None = None,
                    timeout_s: int = 30, location: Path | None = None,
                    read_only: bool = True, quiet: bool = True) -> Iterator[Server]:
    """Run an Oxigraph server over the built graph until the block ends.

    The database lives in ``location`` (a temporary folder by default, removed
    afterwards). Read-only: updates are refused.
    """
    with tempfile.TemporaryDirectory(prefix="alliance-graph-db-") as scratch:
        db = location or Path(scratch) / "db"
        db.mkdir(parents=True, exist_ok=True)
        load_database(db, built)
        port = port or free_port(host)
        mode = "serve-read-only" if read_only else "serve"
        command = [oxigraph_binary(), mode, "--location", str(db), "--bind", f"{host}:{port}",
                   "--timeout-s", str(timeout_s)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL if quiet else None,
                                   stderr=subprocess.DEVNULL if quiet else None)
        server = Server(f"http://{host if ':' not in host else f'[{host}]'}:{port}", process)
        try:
            wait_until_up(server.base_url, process)
            yield server
        finally:
            stop_process(process)


def stop_process(process: subprocess.Popen[bytes], *, timeout: float = 10.0) -> None:
    """Ask a server to stop, and kill it if it has not within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def publish(built: Path, store_url: str, *, graph: str = DEFAULT_GRAPH,
            credentials: Credentials | None = None, graph_param: str = "graph",
            timeout: float = 300.0) -> int:
    """Replace ``graph`` on a Graph Store Protocol endpoint with the built graph.

    One ``PUT`` carries the whole graph (data and ontology): the server swaps
    the graph in one operation. Returns the HTTP status. ``graph_param`` is
    ``graph`` in the standard; Virtuoso's ``/sparql-graph-crud`` calls it
    ``graph-uri``.

    Raises
    ------
    EndpointError
        If the server cannot be reached, refuses the credentials or the upload.
    """
    from graph.store import http_request, redact

    response = http_request("PUT", store_url, params={graph_param: graph},
                            content=graph_payload(built),
                            headers={"Content-Type": "application/n-triples"},
                            timeout=timeout, credentials=credentials)
    if response.status_code in (401, 403):
        raise EndpointError(f"{redact(store_url)} refused the credentials (HTTP "
                            f"{response.status_code})", field="endpoint",
                            hint="give --user/--password or ALLIANCE_GRAPH_USER/_PASSWORD, "
                                 "and --auth digest if the server asks for it")
    if response.status_code >= 300:
        first = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
        raise EndpointError(f"{redact(store_url)} answered HTTP {response.status_code}: {first}",
                            field="endpoint")
    return response.status_code
