"""The front of ``serve``: what checks a request before Oxigraph sees it.

``serve`` runs the Oxigraph server on a private loopback port and this small
HTTP server (the standard library's, one thread per connection) on the public
one. It relays every request and answer, and adds what the Oxigraph server
cannot be told to do:

* **Host check** (DNS rebinding): a request whose ``Host`` names another
  server is refused (403). Allowed are the address ``serve`` listens on, the
  loopback names when that is loopback, and names given with ``--allow-host``.
* **No federated queries**: a query with a ``SERVICE`` clause would make the
  server fetch any URL it can reach; it is refused (400) unless every
  ``SERVICE`` names an endpoint given with ``--allow-service``. The query is
  read by a real SPARQL parser (rdflib's grammar, with the SPARQL codepoint
  escapes undone), not searched for a word, so that neither a comment, a
  string, an IRI nor ``<`` used as "less than" can hide a clause. Text that
  mentions ``service`` and does not parse is refused, as it cannot be checked.
* **Limits that end a response**: ``timeout`` seconds from the request and
  ``max_bytes`` of answer. Before the answer starts, a breach is a 503; after
  it has started, the chunked answer is cut off without its final chunk (or
  short of its ``Content-Length``) and the connection closed, which every
  HTTP client reports as an incomplete answer, never as a complete one.

Depends on :mod:`graph.sparql.lexer` (rdflib's parser imported lazily).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from graph.sparql.lexer import service_targets, unescape_codepoints

#: Headers that belong to one connection, not to the message (RFC 9110, 7.6.1).
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: The largest request body taken (a query, or a form holding one).
MAX_REQUEST = 1 << 20
#: The largest request body a writable server takes (a graph to store).
MAX_WRITE = 1 << 30
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """What the front enforces; see the module docstring."""

    timeout: float = 30.0
    max_bytes: int = 100 * 1024 * 1024
    allow_service: frozenset[str] = frozenset()
    allow_hosts: frozenset[str] = field(default_factory=frozenset)


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` names a server listening on ``host`` answers to: that
    address, the loopback names if it is loopback, this machine's names and
    addresses if it is every address (``0.0.0.0`` or ``::``), and ``extra``."""
    import ipaddress

    names = {host.lower().strip("[]"), *(name.lower() for name in extra)}
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if host.lower() == "localhost" or (address is not None and address.is_loopback):
        names |= _LOOPBACK_NAMES
    if address is not None and address.is_unspecified:
        names |= _LOOPBACK_NAMES | {socket.gethostname().lower(), socket.getfqdn().lower()}
        with contextlib.suppress(OSError):
            names |= {str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)}
    return frozenset(names)


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without its port: ``[::1]:7878`` → ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


def federated_calls(sparql: str) -> list[str | None]:
    """The endpoints the query's ``SERVICE`` clauses call, ``None`` for one
    whose endpoint the text does not fix (a variable), or that cannot be
    checked (text that mentions ``service`` and does not parse).

    >>> federated_calls('SELECT * WHERE { ?s ?p "SERVICE <http://x>" } # SERVICE <http://y>')
    []
    >>> federated_calls('PREFIX e: <http://e.org/> ASK { SERVICE SILENT e:q { } }')
    ['http://e.org/q']
    """
    if "service" not in sparql.lower() and "service" not in unescape_codepoints(sparql).lower():
        return []
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(sparql)
    except Exception:
        return [None]
    base, prefixes = "", {}
    for decl in tree[0]:
        if decl.name == "Base":
            base = urljoin(base, str(decl.iri))
        elif decl.name == "PrefixDecl":
            prefixes[decl.prefix or ""] = urljoin(base, str(decl.iri))
    found: list[str | None] = []
    for node in _nodes(tree[1]):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            found.append(_endpoint(node.get("term"), base, prefixes))
    # The tokenizer's reading too: it cannot miss what the parser finds, only
    # add; anything either reading finds is checked.
    return found + [t for t in service_targets(sparql) if t not in found]


def _nodes(tree: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree (CompValue dicts and ParseResults lists)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(list(node))


def _endpoint(term: Any, base: str, prefixes: dict[str, str]) -> str | None:
    from rdflib import URIRef

    if isinstance(term, URIRef):
        return urljoin(base, str(term))
    if getattr(term, "name", None) == "pname" and (term.get("prefix") or "") in prefixes:
        return prefixes[term.get("prefix") or ""] + (term.get("localname") or "")
    return None


def refusal(sparql: str, allowed: frozenset[str]) -> str | None:
    """Why the query may not run here, or None if it may."""
    calls = federated_calls(sparql)
    refused = [c for c in calls if c is None or c not in allowed]
    if not refused:
        return None
    names = ", ".join(f"<{c}>" for c in refused if c) or (
        "a SERVICE clause whose endpoint is a variable or cannot be read"
    )
    return f"federated queries (SERVICE) are refused by this server: {names}" + (
        " is not on its --allow-service list" if allowed else ""
    )


class Gateway(ThreadingHTTPServer):
    """The public HTTP server: checks each request, relays it to ``upstream``
    (the Oxigraph server's ``(host, port)``), relays the answer within limits."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self,
        address: tuple[str, int],
        upstream: tuple[str, int],
        limits: Limits,
        *,
        read_only: bool = True,
        log: Any = None,
    ) -> None:
        family = socket.getaddrinfo(address[0], address[1], type=socket.SOCK_STREAM)[0][0]
        self.address_family = family
        self.upstream = upstream
        self.limits = limits
        self.read_only = read_only
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer's own looks up the host's name (a DNS query): not needed here.
        import socketserver

        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]


class _Cut(Exception):
    """The answer has to end now, incomplete."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Gateway
    #: Seconds an idle or slow client may keep a connection.
    timeout = 60

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.relay()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = do_GET

    # --- the request -------------------------------------------------------------------------
    def relay(self) -> None:
        started = time.monotonic()
        limits = self.server.limits
        name = host_name(self.headers.get("Host", ""))
        if name and name not in limits.allow_hosts:
            self.close_connection = True
            return self.refuse(
                403,
                f"this server does not answer to the host name {name!r} "
                "(start serve with --allow-host NAME to allow it)",
            )
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return self.refuse(411, "send the request body with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        path = urlsplit(self.path).path
        if self.server.read_only and (
            self.command in ("PUT", "DELETE", "PATCH")
            or (self.command == "POST" and path.startswith(("/update", "/store")))
        ):
            # Refused here as Oxigraph would, without holding the body in memory.
            if not self.discard(length, started + limits.timeout):
                self.close_connection = True
            return self.refuse(403, "The server is read-only")
        # A writable server (never the one ``serve`` runs) takes whole graphs.
        largest = MAX_REQUEST if self.server.read_only else MAX_WRITE
        if not 0 <= length <= largest:
            self.close_connection = True
            return self.refuse(413, f"the request body is over {largest} bytes")
        body = self.rfile.read(length) if length else b""
        try:
            queries = list(self.queries(body))
        except UnicodeDecodeError:
            return self.refuse(400, "the query is not UTF-8 text")
        for query in queries:
            reason = refusal(query, limits.allow_service)
            if reason:
                return self.refuse(400, reason)
        self.forward(body, started + limits.timeout)

    def queries(self, body: bytes) -> Iterator[str]:
        """Every query text the request carries, wherever a SPARQL server may read one."""
        yield from parse_qs(urlsplit(self.path).query, keep_blank_values=True).get("query", [])
        kind = self.headers.get("Content-Type", "").partition(";")[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":
            form = parse_qs(
                body.decode("utf-8", errors="strict"), keep_blank_values=True, errors="strict"
            )
            yield from form.get("query", [])
        elif body and (
            kind == "application/sparql-query" or urlsplit(self.path).path.startswith("/query")
        ):
            yield body.decode("utf-8")  # or of another type a server might still read as one

    def discard(self, length: int, deadline: float) -> bool:
        """Read and drop a request body; False if it could not be read whole in time."""
        if length < 0:
            return False
        while length > 0 and time.monotonic() < deadline:
            self.connection.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                piece = self.rfile.read(min(length, _CHUNK))
            except OSError:
                return False
            if not piece:
                return False
            length -= len(piece)
        self.connection.settimeout(self.timeout)
        return length == 0

    def refuse(self, status: int, message: str) -> None:
        data = (message + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    # --- the answer --------------------------------------------------------------------------
    def forward(self, body: bytes, deadline: float) -> None:
        limits = self.server.limits
        upstream = http.client.HTTPConnection(
            *self.server.upstream, timeout=max(0.01, deadline - time.monotonic())
        )
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            if body:
                headers["Content-Length"] = str(len(body))
            try:
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                sock = upstream.sock  # getresponse() lets go of it if the answer closes it
                answer = upstream.getresponse()
            except TimeoutError:
                return self.refuse(503, f"the query took longer than {limits.timeout:g} s")
            except OSError as exc:
                return self.refuse(502, f"the SPARQL server did not answer: {exc}")
            self.relay_answer(answer, sock, deadline)
        finally:
            upstream.close()

    def relay_answer(
        self, answer: http.client.HTTPResponse, sock: socket.socket | None, deadline: float
    ) -> None:
        limits = self.server.limits
        # Data comes from the query and Graph Store services; the page and its
        # scripts are the server's own files, bounded by time alone.
        path = urlsplit(self.path).path
        limit = limits.max_bytes if path.startswith(("/query", "/store")) else 1 << 62
        length = answer.getheader("Content-Length")
        declared = int(length) if length and length.isdigit() else None
        if declared is not None and declared > limit:
            return self.refuse(503, f"the answer is over the server's limit of {limit} bytes")
        chunked = declared is None and self.request_version == "HTTP/1.1"
        head = [(k, v) for k, v in answer.getheaders() if k.lower() not in _HOP_BY_HOP]
        if declared is None and not chunked:  # an HTTP/1.0 client: whole, or not at all
            try:
                data = b"".join(self.read(answer, sock, deadline, limit))
            except _Cut as cut:
                return self.refuse(503, str(cut))
            return self.send(answer.status, head, data)
        self.send_response(answer.status)
        for key, value in head:
            self.send_header(key, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(declared))
        self.end_headers()
        if self.command == "HEAD":
            return
        sent = 0
        try:
            for piece in self.read(answer, sock, deadline, limit):
                sent += len(piece)
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except _Cut as cut:
            # Ending the connection without the last chunk (or short of the
            # Content-Length) is how HTTP says "this answer is incomplete".
            self.close_connection = True
            self.server.log(
                f"serve: cut an answer to {self.command} {self.path[:60]} after {sent} bytes: {cut}"
            )
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:  # the client went away
            self.close_connection = True

    def read(
        self,
        answer: http.client.HTTPResponse,
        sock: socket.socket | None,
        deadline: float,
        limit: int,
    ) -> Iterator[bytes]:
        """The answer's body in pieces; :class:`_Cut` when a limit is reached."""
        total = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Cut(f"the query took longer than {self.server.limits.timeout:g} s")
            if sock is not None:
                sock.settimeout(remaining)
            try:
                piece = answer.read1(_CHUNK)
            except TimeoutError as exc:
                raise _Cut(f"the query took longer than {self.server.limits.timeout:g} s") from exc
            except (http.client.IncompleteRead, OSError) as exc:
                raise _Cut(f"the SPARQL server's answer broke off ({exc})") from exc
            if not piece:
                return
            total += len(piece)
            if total > limit:
                raise _Cut(f"the answer is over the server's limit of {limit} bytes")
            yield piece

    def send(self, status: int, head: list[tuple[str, str]], data: bytes) -> None:
        self.send_response(status)
        for key, value in head:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
