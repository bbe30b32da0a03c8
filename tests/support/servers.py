"""Real SPARQL servers on 127.0.0.1 for the endpoint tests, started and stopped here.

Oxigraph comes from the project's own ``graph.serve``; Virtuoso is Debian's
``virtuoso-opensource`` (installed by ``.ci/install-system``), run in the
foreground with its database, configuration and both ports (HTTP and ISQL)
in a temporary folder, bound to 127.0.0.1 only.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from graph.serve import free_port, stop_process

VIRTUOSO_INI = """\
[Database]
DatabaseFile    = {dir}/virtuoso.db
ErrorLogFile    = {dir}/virtuoso.log
LockFile        = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel   = 7
FileExtend      = 200
MaxCheckpointRemap = 2000
Striping        = 0
TempStorage     = TempDatabase

[TempDatabase]
DatabaseFile    = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping        = 0

[Parameters]
ServerPort      = 127.0.0.1:{isql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode        = 2
DirsAllowed     = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem     = 1G
ThreadsPerQuery = 2

[HTTPServer]
ServerPort      = 127.0.0.1:{http_port}
ServerRoot      = {dir}
MaxClientConnections = 10
ServerThreads   = 10
Charset         = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
DefaultQuery    = select distinct ?Concept where {{[] a ?Concept}} LIMIT 100
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: query and Graph Store endpoints, digest credentials."""

    base_url: str
    process: subprocess.Popen[bytes]
    log: Path
    username: str = "dba"
    password: str = "dba"
    auth_kind: str = "digest"
    graph_param: str = "graph-uri"

    @property
    def query_url(self) -> str:
        return self.base_url + "/sparql"

    @property
    def store_url(self) -> str:
        return self.base_url + "/sparql-graph-crud-auth"


def _binary(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed: run .ci/install-system "
                           "(it installs Debian's virtuoso-opensource)")
    return found


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[Virtuoso]:
    """Start Virtuoso on free 127.0.0.1 ports with its database in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    http_port, isql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, http_port=http_port, isql_port=isql_port))
    log = folder / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen([_binary("virtuoso-t"), "+foreground", "+configfile",
                                    str(ini)], cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    server = Virtuoso(f"http://127.0.0.1:{http_port}", process, log)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"virtuoso stopped at start-up:\n{log.read_text()[-2000:]}")
            try:
                if httpx.get(server.query_url, params={"query": "ASK {}"},
                             timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"virtuoso did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield server
    finally:
        stop_process(process, timeout=30)
