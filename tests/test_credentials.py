"""Credentials never appear in any output, in any URL form, and ``--auth``
holds however they arrive (URL, options or environment)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from graph.cli import main
from graph.errors import EndpointError
from graph.sparql.engines import RemoteStore
from graph.sparql.http import Credentials, redact, url_credentials

SECRET = "s3cr3t"


@contextmanager
def asking_for(scheme: str, accept: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """A server on 127.0.0.1 that answers 401 with a ``scheme`` challenge (or
    201 to the Authorization header ``accept``) and records every Authorization
    header it is sent; yields its port and them."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(self.headers.get("Authorization", ""))
            if accept is not None and seen[-1] == accept:
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(401)
            challenge = (
                'Digest realm="r", nonce="abc", qop="auth", algorithm=MD5'
                if scheme == "digest"
                else 'Basic realm="r"'
            )
            self.send_header("WWW-Authenticate", challenge)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_PUT = answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


FORMS = [
    "alice:{secret}@127.0.0.1:{port}/store",
    "http://alice:{secret}@127.0.0.1:{port}/store",
    "http://alice:s3cr%33t@127.0.0.1:{port}/store",
    "http://alice:{secret}@localhost:{port}/store",
    "HTTP://alice:{secret}@127.0.0.1:{port}/store?x=a@b",
    "http://alice:{secret}@127.0.0.1:x/store",
    "alice:{secret}@[::1]:{port}/store",
    "http://alice:{secret}@[::1]:{port}/store",
    "http://al%40ce:{secret}@127.0.0.1:{port}/store",
]


@pytest.mark.parametrize("form", FORMS)
def test_no_url_form_shows_the_password(
    built_dir: Path, form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with asking_for("basic") as (port, _):
        url = form.format(secret=SECRET, port=port)
        for argv in (
            ["publish", "--graph-dir", str(built_dir), "--endpoint", url],
            ["query", "--sparql", "ASK {}", "--endpoint", url.replace("store", "q")],
        ):
            assert main(argv) == 1
            out, err = capsys.readouterr()
            assert err.startswith("Error: ") and err.count("\n") == 1
            assert SECRET not in out + err and "s3cr%33t" not in out + err
    # A port nobody listens on: "cannot reach" names the URL, without the password.
    url = form.format(secret=SECRET, port=9)
    assert main(["query", "--sparql", "ASK {}", "--endpoint", url]) == 1
    assert SECRET not in capsys.readouterr().err


def test_user_only_and_exceptions_show_no_password() -> None:
    assert redact("http://alice@127.0.0.1:1/q") == "http://127.0.0.1:1/q"
    credentials = Credentials("alice", SECRET)
    assert SECRET not in repr(credentials)
    with pytest.raises(EndpointError) as info:
        RemoteStore(f"http://alice:{SECRET}@127.0.0.1:9/q", timeout=2).query("ASK {}")
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    assert all(SECRET not in str(arg) for arg in info.value.args)


@pytest.mark.parametrize("how", ["url", "options", "environment"])
def test_digest_is_honoured_however_the_credentials_arrive(
    built_dir: Path, how: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with asking_for("digest") as (port, seen):
        url = f"http://127.0.0.1:{port}/q"
        argv = ["query", "--sparql", "ASK {}", "--auth", "digest"]
        if how == "url":
            argv += ["--endpoint", f"http://alice:{SECRET}@127.0.0.1:{port}/q"]
        elif how == "options":
            argv += ["--endpoint", url, "--user", "alice", "--password", SECRET]
        else:
            monkeypatch.setenv("ALLIANCE_GRAPH_USER", "alice")
            monkeypatch.setenv("ALLIANCE_GRAPH_PASSWORD", SECRET)
            argv += ["--endpoint", url]
        assert main(argv) == 1
        assert "refused the credentials (HTTP 401)" in capsys.readouterr().err
    assert not any(header.startswith("Basic") for header in seen), seen
    assert any(header.startswith('Digest username="alice"') for header in seen), seen


def test_url_credentials_keep_the_scheme_asked_for() -> None:
    bare, creds = url_credentials(
        f"alice:{SECRET}@127.0.0.1:7878/store", Credentials("", "", "digest")
    )
    assert bare == "127.0.0.1:7878/store"
    assert creds is not None and (creds.username, creds.password, creds.kind) == (
        "alice",
        SECRET,
        "digest",
    )
    # Options win over the URL.
    _, creds = url_credentials(f"http://alice:{SECRET}@h/q", Credentials("bob", "pw"))
    assert creds is not None and creds.username == "bob"


@pytest.mark.parametrize("form", [f for f in FORMS if ":x/" not in f and "@[" not in f])
def test_a_successful_publish_shows_no_password(
    built_dir: Path, form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import base64
    from urllib.parse import unquote

    user = "al@ce" if "al%40ce" in form else "alice"
    token = base64.b64encode(f"{user}:{SECRET}".encode()).decode()
    with asking_for("basic", accept=f"Basic {token}") as (port, seen):
        url = form.format(secret=SECRET, port=port)
        if "://" not in url:
            url = "http://" + url
        assert main(["publish", "--graph-dir", str(built_dir), "--endpoint", url]) == 0
    out, err = capsys.readouterr()
    assert f"Basic {token}" in seen
    assert SECRET not in out + err and "s3cr%33t" not in out + err
    assert f"127.0.0.1:{port}/store" in unquote(out) or f"localhost:{port}/store" in out
