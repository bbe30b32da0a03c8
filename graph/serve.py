"""A real SPARQL endpoint over the built graph: the life cycle of ``serve``.

``serve`` loads what the embedded store holds (data, ontology and the
``ag:dependsOn`` entailment) into an Oxigraph database and runs the Oxigraph
server (shipped on PyPI as ``oxigraph``) read-only on a private loopback
port, behind the front of :mod:`graph.gateway` on the public address
(loopback by default), which checks the ``Host``, refuses federated queries
and bounds each answer in time and size. The query page (YASGUI) is bundled
in the Oxigraph binary and relayed by the front, so it works offline. The
Oxigraph process never outlives ``serve``. Depends on :mod:`graph.errors`,
:mod:`graph.gateway` and :mod:`graph.sparql.engines`.
"""

from __future__ import annotations

import errno
import ipaddress
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import EndpointError


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server installed with the package."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise EndpointError(
            "the oxigraph server is not installed", field="serve", hint="pip install oxigraph"
        )
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def check_port(host: str, port: int) -> None:
    """Fail clearly, before start-up, if ``port`` on ``host`` cannot be listened on.

    Raises
    ------
    EndpointError
        If another program listens there, or the address cannot be bound.
    """
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise EndpointError(
            f"cannot listen on {host}: {exc.strerror or exc}", field="serve"
        ) from exc
    failures: list[OSError] = []
    for family, kind, proto, _, address in addresses:  # the server takes the first that binds
        with socket.socket(family, kind, proto) as sock:
            if sys.platform != "win32":  # as servers do, so that TIME_WAIT is not "in use"
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(address)
                return
            except OSError as exc:
                failures.append(exc)
    if any(exc.errno == errno.EADDRINUSE for exc in failures):
        raise port_in_use(host, port) from failures[0]
    if failures:
        raise EndpointError(
            f"cannot listen on {host} port {port}: {failures[0].strerror or failures[0]}",
            field="serve",
        )


def port_in_use(host: str, port: int) -> EndpointError:
    """The error for a port another program listens on."""
    return EndpointError(
        f"port {port} on {host} is in use",
        hint="another program listens there: choose another with --port",
    )


def listening_addresses(pid: int) -> set[tuple[str, int]] | None:
    """The (address, port) pairs the process ``pid`` listens on, over TCP, or
    None where the system does not tell (it is read from Linux's ``/proc``).

    Matches the socket inodes among the process's open files with the
    listening entries of ``/proc/net/tcp`` and ``/proc/net/tcp6``.
    """
    if not Path("/proc/net/tcp").exists():
        return None
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except FileNotFoundError:  # the process has gone
        return set()
    except OSError:
        return None
    inodes = set()
    for fd in fds:
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        lines = Path(table).read_text().splitlines()[1:] if Path(table).exists() else []
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A is TCP_LISTEN
                address, port = local.split(":")
                found.add((_proc_address(address), int(port, 16)))
    return found


def _proc_address(hexed: str) -> str:
    """An address from /proc/net/tcp{,6}: 32-bit words in host (little-endian) order."""
    raw = bytes.fromhex(hexed)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    if len(words) == 4:
        return ".".join(str(b) for b in words)
    return str(ipaddress.IPv6Address(words))


def load_database(location: Path, built: Path) -> None:
    """Create an Oxigraph database at ``location`` holding the graph and the ontology."""
    from graph.sparql.engines import graph_payload

    with tempfile.NamedTemporaryFile(suffix=".nt", dir=location.parent, delete=False) as tmp:
        tmp.write(graph_payload(built))
    try:
        done = subprocess.run(
            [oxigraph_binary(), "load", "--location", str(location), "--file", tmp.name],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        Path(tmp.name).unlink(missing_ok=True)
    if done.returncode != 0:
        raise EndpointError(
            f"oxigraph could not load the graph: {done.stderr.strip()[-300:]}", field="serve"
        )


@dataclass(frozen=True)
class Server:
    """A running SPARQL server: its public URL, the Oxigraph process, and
    (behind the front of ``serve``) Oxigraph's own private URL."""

    base_url: str
    process: subprocess.Popen[bytes]
    inner_url: str | None = field(default=None, kw_only=True)

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
    """Poll ``url`` until ``process`` answers there; fail clearly if it dies first.

    An answer counts only while the process is alive and, where the system
    tells (Linux), listens on the URL's port itself: another program on that
    port answers too, and the server then stops because it cannot bind.

    Raises
    ------
    EndpointError
        If the process stops (naming a port in use), or does not answer in time.
    """
    import httpx

    parsed = httpx.URL(url)
    host, port = parsed.host, parsed.port or 80
    deadline = time.monotonic() + timeout
    others = False  # whether something else answered on the port
    while time.monotonic() < deadline:
        if process.poll() is not None:
            check_port(host, port)  # the usual reason: raised as such
            raise EndpointError(
                f"the server stopped at start-up (exit {process.returncode})", field="serve"
            )
        try:
            httpx.get(url, timeout=1.0)
        except httpx.HTTPError:
            time.sleep(0.1)
            continue
        listening = listening_addresses(process.pid)
        if process.poll() is None and (listening is None or port in {p for _, p in listening}):
            return
        others = True
        time.sleep(0.1)
    if others:
        raise port_in_use(host, port)
    raise EndpointError(f"the server did not answer within {timeout:g} s", field="serve")


@contextmanager
def oxigraph_server(
    built: Path,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    timeout_s: float = 30,
    location: Path | None = None,
    read_only: bool = True,
    quiet: bool = True,
    max_bytes: int = 100 * 1024 * 1024,
    allow_service: Iterable[str] = (),
    allow_hosts: Iterable[str] = (),
) -> Iterator[Server]:
    """Serve the built graph until the block ends: Oxigraph on a private
    loopback port behind the checking front of :mod:`graph.gateway` on
    ``host:port``.

    The database lives in ``location`` (a temporary folder by default, removed
    afterwards). Read-only: updates are refused. ``timeout_s`` and
    ``max_bytes`` bound every answer, ``allow_service`` lists the endpoints a
    ``SERVICE`` clause may call (none by default), ``allow_hosts`` further
    ``Host`` names to answer to. The Oxigraph process dies with this one,
    even when this one is killed (on Linux).
    """
    import threading

    from graph.gateway import Gateway, Limits, allowed_hosts

    with tempfile.TemporaryDirectory(prefix="alliance-graph-db-") as scratch:
        db = location or Path(scratch) / "db"
        db.mkdir(parents=True, exist_ok=True)
        if port:
            check_port(host, port)
        load_database(db, built)
        port = port or free_port(host)
        private = private_loopback()
        inner = free_port(private)
        mode = "serve-read-only" if read_only else "serve"
        # Oxigraph's own timeout is a backstop only: it would end a streamed
        # answer with an error message as if it were data, so the front's
        # (which cuts the answer off) must come first.
        command = [
            oxigraph_binary(),
            mode,
            "--location",
            str(db),
            "--bind",
            f"{private}:{inner}",
            "--timeout-s",
            str(int(timeout_s) + 10),
        ]
        process = spawn(command, quiet=quiet)
        try:
            wait_until_up(f"http://{private}:{inner}", process)
            limits = Limits(
                timeout=float(timeout_s),
                max_bytes=max_bytes,
                allow_service=frozenset(allow_service),
                allow_hosts=allowed_hosts(host, allow_hosts),
            )
            try:
                front = Gateway((host, port), (private, inner), limits, read_only=read_only)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise port_in_use(host, port) from exc
                raise EndpointError(
                    f"cannot listen on {host} port {port}: {exc.strerror or exc}", field="serve"
                ) from exc
            thread = threading.Thread(target=front.serve_forever, name="serve-front", daemon=True)
            thread.start()
            try:
                yield Server(
                    f"http://{host if ':' not in host else f'[{host}]'}:{port}",
                    process,
                    inner_url=f"http://{private}:{inner}",
                )
            finally:
                front.shutdown()
                front.server_close()
        finally:
            stop_process(process)


def private_loopback() -> str:
    """A random loopback address (``127.a.b.c``) for the server behind the
    front, where the system has them (Linux routes all of 127.0.0.0/8 to this
    machine), else ``127.0.0.1``. A web page that rebinds its host name to
    loopback, to reach past the front's Host check, would have to guess this
    address as well as the port."""
    import secrets

    address = f"127.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{1 + secrets.randbelow(254)}"
    try:
        with socket.socket() as sock:
            sock.bind((address, 0))
    except OSError:
        return "127.0.0.1"
    return address


def spawn(command: list[str], *, quiet: bool = True) -> subprocess.Popen[bytes]:
    """Start a server process that dies with this one.

    On Linux the child asks the kernel for SIGKILL when its parent ends
    (``prctl(PR_SET_PDEATHSIG)``), so not even ``kill -9`` of this process
    leaves it running on its port. The signal follows the thread that started
    the child: call this from the thread that lives as long as the server.
    """
    return subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL if quiet else None,
        stderr=subprocess.DEVNULL if quiet else None,
        preexec_fn=die_with_parent(),
    )


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` for :class:`subprocess.Popen` that makes the child die
    with this process (Linux; None elsewhere). See :func:`spawn`."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import os
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 is PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)

    return preexec


def stop_process(process: subprocess.Popen[bytes], *, timeout: float = 10.0) -> None:
    """Ask a server to stop, and kill it if it has not within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
