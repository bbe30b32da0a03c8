"""Real SPARQL servers on 127.0.0.1 for the tests, started and stopped here.

This module owns the test servers' life cycle: each context manager starts a
server as a child process on free loopback ports, with every file it writes
inside the folder it is given, waits until it answers, and stops it at exit
(on Linux it also dies with the test run, however that ends).

* Oxigraph is the ``oxigraph`` binary installed with the Python package.
* Virtuoso is Debian's ``virtuoso-opensource`` (installed by
  ``.ci/install-system``), run in the foreground with its own ``virtuoso.ini``,
  a fresh database, and both its HTTP and ISQL ports bound to 127.0.0.1, so it
  never touches, nor is disturbed by, a system instance.

Which addresses a process listens on (to check loopback-only binding) is
told by :func:`graph.serve.listening_addresses`, which ``serve`` uses too.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from graph.errors import EndpointError
from graph.serve import Server, die_with_parent, free_port, oxigraph_binary, stop_process

HOST = "127.0.0.1"
INSTALL_HINT = "run .ci/install-system (it installs Debian's virtuoso-opensource)"

VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = {host}:{isql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., {dir}
NumberOfBuffers      = {buffers}
MaxDirtyBuffers      = {dirty_buffers}
MaxQueryMem          = 1G
ThreadsPerQuery      = 1

[HTTPServer]
ServerPort           = {host}:{http_port}
ServerRoot           = {dir}
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows      = {max_rows}
MaxQueryExecutionTime = 60
DefaultQuery          = select distinct ?Concept where {{[] a ?Concept}} LIMIT 100
"""

# ThreadsPerQuery = 1: with 2 threads per query, Virtuoso 7.2 (Debian's 07.20.3229)
# deadlocked on timeline on about one fresh server in ten (every thread waiting on
# a condition, no CPU used, every later request unanswered, a 401 challenge
# included), and answered its date ranges with rows outside them (75 rows for
# 2023-01..2023-12 where the embedded store and the Oxigraph server give 38). With
# one thread per query it gives their rows on every run.
# Removed at exit: the database alone is ~50 MB and pytest keeps old tmp dirs.
VIRTUOSO_DATA_FILES = (
    "virtuoso.db",
    "virtuoso-temp.db",
    "virtuoso.trx",
    "virtuoso-temp.trx",
    "virtuoso.pxa",
    "virtuoso.lck",
)


class ServerStartError(RuntimeError):
    """A test server could not be started; the message carries its log tail."""


@dataclass(frozen=True)
class Oxigraph(Server):
    """A running Oxigraph server (SPARQL 1.1 Protocol and Graph Store Protocol).

    The URLs come from :class:`graph.serve.Server`; the harness adds where the
    database lives and whether it is writable.
    """

    location: Path
    read_only: bool
    #: The Graph Store Protocol's name for the graph parameter.
    graph_param: str = "graph"


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: SPARQL endpoint, authenticated Graph Store, ISQL port.

    The credentials are those of ``dba``, whose password is random for each
    server. ``/sparql-graph-crud-auth`` only accepts HTTP digest authentication.
    """

    base_url: str
    process: subprocess.Popen[bytes]
    log: Path
    isql_port: int
    password: str
    #: Where its database and files live (the folder given to :func:`virtuoso_server`).
    folder: Path = Path()
    username: str = "dba"
    auth_kind: str = "digest"
    #: Virtuoso accepts the standard ``graph`` as well as its own ``graph-uri``.
    graph_param: str = "graph"

    @property
    def query_url(self) -> str:
        return self.base_url + "/sparql"

    @property
    def store_url(self) -> str:
        return self.base_url + "/sparql-graph-crud-auth"

    def auth(self) -> httpx.Auth:
        """httpx authentication for :attr:`store_url`."""
        return httpx.DigestAuth(self.username, self.password)

    def isql(self, sql: str, *, timeout: float = 60) -> str:
        """Run SQL statements as ``dba`` through ``isql-vt``; return its output."""
        done = _isql(self.isql_port, self.username, self.password, sql, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(
                f"isql failed (exit {done.returncode}): "
                f"{(done.stderr or done.stdout).strip()[-500:]}"
            )
        return done.stdout

    def bulk_load(self, files: Sequence[Path], graph: str, *, timeout: float = 3600) -> None:
        """Load RDF files into ``graph`` with Virtuoso's bulk loader (``ld_add`` and
        ``rdf_loader_run()``), then checkpoint, so the load is on disk.

        The files are linked into the server's folder, the one directory its
        ``DirsAllowed`` lets it read. A file the loader refused raises, with
        Virtuoso's message.
        """
        inbox = self.folder / "bulk-load"
        inbox.mkdir(exist_ok=True)
        # The loader skips a path it has seen before: each load gets names of its own.
        first = len(list(inbox.iterdir()))
        links = []
        for number, file in enumerate(files, start=first):
            links.append(inbox / f"{number}-{Path(file).name}")
            links[-1].symlink_to(Path(file).resolve())
        self.isql(" ".join(f"ld_add('{link}', '{graph}');" for link in links), timeout=timeout)
        self.isql("rdf_loader_run(); checkpoint;", timeout=timeout)
        names = ", ".join(f"'{link}'" for link in links)
        failed = self.isql(
            "SELECT ll_file, ll_error FROM DB.DBA.load_list "
            f"WHERE ll_error IS NOT NULL AND ll_file IN ({names});"
        )
        if "0 Rows." not in failed:
            raise RuntimeError(f"Virtuoso's bulk loader refused a file:\n{failed.strip()[-1000:]}")


def _tail(path: Path, chars: int = 2000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"


def _wait(
    ready: Callable[[], bool],
    process: subprocess.Popen[bytes],
    what: str,
    logs: list[Path],
    timeout: float,
) -> None:
    """Poll ``ready`` until true; fail with the logs' tails if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            tails = "\n".join(f"--- {log.name}:\n{_tail(log)}" for log in logs)
            raise ServerStartError(
                f"{what} stopped at start-up (exit {process.returncode}):\n{tails}"
            )
        if ready():
            return
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {log.name}:\n{_tail(log)}" for log in logs)
            raise ServerStartError(f"{what} did not answer within {timeout:g} s:\n{tails}")
        time.sleep(0.1)


def _answers(url: str, **params: str) -> bool:
    try:
        return httpx.get(url, params=params, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _oxigraph() -> str:
    try:
        return oxigraph_binary()
    except EndpointError as exc:
        raise ServerStartError(
            "the oxigraph server binary is missing: run .ci/setup-python (pip install oxigraph)"
        ) from exc


@contextmanager
def oxigraph_server(
    folder: Path,
    *,
    data: Path | Sequence[Path] | None = None,
    read_only: bool = False,
    graph: str | None = None,
    timeout: float = 30.0,
    lenient: bool = False,
) -> Iterator[Oxigraph]:
    """Run an Oxigraph server on a free 127.0.0.1 port, its database in ``folder``.

    ``data`` (RDF files Oxigraph can guess the format of from their extension;
    several are loaded in parallel) is bulk-loaded first with the binary's
    ``load`` command, into the named ``graph`` or else the default graph;
    ``lenient`` skips its IRI validation, as the embedded store does for files
    this project wrote. Read-only servers refuse updates and Graph Store writes.
    """
    binary = _oxigraph()
    folder.mkdir(parents=True, exist_ok=True)
    location = folder / "oxigraph-db"
    files = [data] if isinstance(data, Path) else list(data or [])
    if files or read_only:
        # A read-only server cannot create its database: load nothing to make an empty one.
        source = ["--file", *map(str, files)] if files else ["--format", "application/n-triples"]
        command = [binary, "load", "--location", str(location), *source]
        command += ["--lenient"] if lenient else []
        done = subprocess.run(
            command + (["--graph", graph] if graph else []),
            input="",
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise ServerStartError(
                f"oxigraph could not load {', '.join(map(str, files)) or 'an empty database'}:\n"
                f"{done.stderr.strip()[-2000:]}"
            )
    port = free_port(HOST)
    log = folder / "oxigraph.log"
    mode = "serve-read-only" if read_only else "serve"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, mode, "--location", str(location), "--bind", f"{HOST}:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=folder,
            preexec_fn=die_with_parent(),
        )
    server = Oxigraph(f"http://{HOST}:{port}", process, location, read_only)
    try:
        _wait(
            lambda: _answers(server.query_url, query="ASK {}"), process, "oxigraph", [log], timeout
        )
        yield server
    finally:
        stop_process(process)


def _virtuoso_binary(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise ServerStartError(f"{name} is not installed: {INSTALL_HINT}")
    return found


def _isql(
    port: int, user: str, password: str, sql: str, *, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_virtuoso_binary("isql-vt"), f"{HOST}:{port}", user, password, f"EXEC={sql}"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@contextmanager
def virtuoso_server(
    folder: Path, *, timeout: float = 120.0, buffers: int = 10000, max_rows: int = 100000
) -> Iterator[Virtuoso]:
    """Run Virtuoso on free 127.0.0.1 ports with a fresh database in ``folder``.

    ``buffers`` is its page cache in 8 kB pages (``NumberOfBuffers``; the default
    80 MB suits the test graphs, millions of triples want a few GB), and
    ``max_rows`` the most rows a SPARQL answer may have (``ResultSetMaxRows``).

    The first start creates the database (a few seconds). Ready means the
    SPARQL endpoint answers and ``dba`` has been given a random password
    through ISQL. At exit the server is stopped and its database deleted;
    ``virtuoso.ini`` and the logs stay in ``folder``.
    """
    binary = _virtuoso_binary("virtuoso-t")
    _virtuoso_binary("isql-vt")
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    http_port, isql_port = free_port(HOST), free_port(HOST)
    while isql_port == http_port:
        isql_port = free_port(HOST)
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            dir=folder,
            host=HOST,
            http_port=http_port,
            isql_port=isql_port,
            buffers=buffers,
            dirty_buffers=buffers * 3 // 5,
            max_rows=max_rows,
        )
    )
    log = folder / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(),
        )
    logs = [log, folder / "virtuoso.log"]
    base_url = f"http://{HOST}:{http_port}"
    try:
        _wait(
            lambda: _answers(base_url + "/sparql", query="ASK {}"),
            process,
            "virtuoso",
            logs,
            timeout,
        )
        # The ISQL listener can refuse the first login for a moment after HTTP is up.
        _wait(
            lambda: _isql(isql_port, "dba", "dba", "select 1;").returncode == 0,
            process,
            "virtuoso (ISQL)",
            logs,
            timeout,
        )
        password = secrets.token_hex(12)  # hex: isql reads a leading "-" as an option
        server = Virtuoso(base_url, process, log, isql_port, password="dba")
        server.isql(f"USER_SET_PASSWORD('dba', '{password}');")
        yield Virtuoso(base_url, process, log, isql_port, password=password, folder=folder)
    finally:
        stop_process(process, timeout=30)
        for name in VIRTUOSO_DATA_FILES:
            (folder / name).unlink(missing_ok=True)
