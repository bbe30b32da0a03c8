"""The HTTP side of talking to servers: requests, credentials, and one clear
line for every failure, with no credential in any message.

Depends on :mod:`graph.errors` (httpx imported lazily).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graph.errors import EndpointError


@dataclass
class Credentials:
    """HTTP credentials for a server; ``kind`` is ``basic`` or ``digest``."""

    username: str
    password: str = field(repr=False)
    kind: str = "basic"

    def auth(self) -> Any:
        """The httpx authentication, or None without a user name."""
        import httpx

        if not self.username:
            return None
        if self.kind == "digest":
            return httpx.DigestAuth(self.username, self.password)
        return httpx.BasicAuth(self.username, self.password)


def url_credentials(url: str, given: Credentials | None = None) -> tuple[str, Credentials | None]:
    """The URL without its ``user:password@`` part, and the credentials to use:
    the ones ``given`` (with their user name), else the URL's (percent-decoded),
    with the scheme ``given`` names either way, so ``--auth digest`` holds
    however the credentials arrive.

    >>> url, creds = url_credentials("http://al%40ce:s3cr%33t@[::1]:8890/q",
    ...                              Credentials("", "", "digest"))
    >>> url, creds
    ('http://[::1]:8890/q', Credentials(username='al@ce', kind='digest'))
    >>> creds.password
    's3cr3t'
    """
    from urllib.parse import unquote

    found = _USERINFO.match(url)
    if found is None:
        return url, given
    bare = (found.group(1) or "") + url[found.end() :]
    if given is not None and given.username:
        return bare, given
    user, _, password = found.group(2).partition(":")
    kind = given.kind if given else "basic"
    return bare, Credentials(unquote(user), unquote(password), kind)


def http_request(
    method: str,
    url: str,
    *,
    timeout: float,
    credentials: Credentials | None = None,
    client: Any = None,
    **kwargs: Any,
) -> Any:
    """One HTTP request (on ``client``, an ``httpx.Client`` whose connection is kept
    between requests, when given); a timeout or a connection failure becomes one
    clear :class:`EndpointError` line (the caller judges the status code)."""
    import httpx

    check_url(url)
    # httpx would send a URL's user:password as basic authentication, whatever
    # --auth says, and may show the URL in its messages: it never sees them.
    url, credentials = url_credentials(url, credentials)
    send = httpx.request if client is None else client.request
    try:
        return send(
            method, url, timeout=timeout, auth=credentials.auth() if credentials else None, **kwargs
        )
    except httpx.TimeoutException as exc:
        raise EndpointError(
            f"{redact(url)} did not answer within {timeout:g} s", field="endpoint"
        ) from exc
    except httpx.HTTPError as exc:
        raise EndpointError(
            f"cannot reach {redact(url)}: {exc}",
            field="endpoint",
            hint="is the server running and the URL right?",
        ) from exc


def check_url(url: str) -> None:
    """Refuse a URL that is not an absolute ``http(s)://host…`` URL, in one line.

    Raises
    ------
    EndpointError
        Naming the URL (credentials redacted) and what is wrong with it.
    """
    import httpx

    shown = redact(url)
    try:
        parsed = httpx.URL(shown)  # without the credentials, so the message cannot show them
    except httpx.InvalidURL as exc:
        reason = str(exc)
    else:
        if "://" not in shown:
            reason = "it does not start with http:// or https://"
        elif parsed.scheme not in ("http", "https"):
            reason = f"{parsed.scheme}:// is not supported, only http:// and https://"
        elif not parsed.host:
            reason = "it names no host"
        elif parsed.port is not None and not 0 < parsed.port < 65536:
            reason = f"port {parsed.port} is out of range"
        else:
            try:
                httpx.URL(url)
                reason = ""
            except httpx.InvalidURL:
                reason = "the user:password part is not valid"
    if reason:
        raise EndpointError(
            f"invalid URL {shown}: {reason}",
            field="endpoint",
            hint="write it as http://host:port/path",
        )


def http_error(response: Any, url: str, credentials: Credentials | None = None) -> EndpointError:
    """One clear :class:`EndpointError` for an HTTP error answer to a request to ``url``:
    401 says how to give credentials, a redirect where it points, an HTML page
    its first line of text."""
    where, status = redact(url), response.status_code
    location = response.headers.get("Location")
    if status in (301, 302, 303, 307, 308) and location:
        target = redact(str(response.url.join(location)))
        return EndpointError(
            f"{where} redirects to {target} (HTTP {status})",
            field="endpoint",
            hint=f"use that URL: --endpoint {target}",
        )
    if status == 401:
        asks = response.headers.get("WWW-Authenticate", "").partition(" ")[0].lower()
        if asks not in ("basic", "digest"):
            auth = ", and --auth digest if the server asks for it"
        elif asks == "digest" and (credentials is None or credentials.kind != "digest"):
            auth = "; this server asks for --auth digest"
        else:
            auth = ""
        return EndpointError(
            f"{where} {'refused the' if credentials else 'asks for'} credentials (HTTP 401)",
            field="endpoint",
            hint="give --user and --password, or ALLIANCE_GRAPH_USER and "
            f"ALLIANCE_GRAPH_PASSWORD{auth}",
        )
    return EndpointError(f"{where} answered HTTP {status}: {body_line(response)}", field="endpoint")


def redact(url: str) -> str:
    """The URL without any user:password part, for messages.

    >>> redact("http://me:secret@127.0.0.1:8890/sparql")
    'http://127.0.0.1:8890/sparql'
    >>> redact("http://me:p@ss@127.0.0.1:8890/sparql?x=a@b")
    'http://127.0.0.1:8890/sparql?x=a@b'
    >>> redact("http://me:p#s?s@127.0.0.1:8890/sparql")  # not a valid URL: still hidden
    'http://127.0.0.1:8890/sparql'
    """
    # Up to the last '@' before the first '/': a password with '#' or '?' in it
    # (which should be percent-encoded) is hidden all the same; so is one in a
    # URL written without its scheme ("me:secret@host:8890/sparql").
    found = _USERINFO.match(url)
    return (found.group(1) or "") + url[found.end() :] if found else url


_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)?([^/]*)@", re.IGNORECASE)


def body_line(response: Any) -> str:
    """The first line of an answer's text; of an HTML page, its first line of visible text."""
    text = response.text
    if "html" in response.headers.get("Content-Type", "") or re.match(
        r"\s*<(?:!doctype\s+html|html)\b", text, re.IGNORECASE
    ):
        text = _visible_text(text)
    return _first_line(text)


def _first_line(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.strip().splitlines() if line.strip()]
    return lines[0][:200] if lines else "(empty body)"


def _visible_text(page: str) -> str:
    """The text a browser shows of an HTML page, a line break at each block."""
    from html.parser import HTMLParser

    hidden = {"head", "script", "style", "template"}
    blocks = {
        "br",
        "div",
        "p",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "tr",
        "td",
        "th",
        "table",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "nav",
        "blockquote",
        "body",
        "hr",
        "form",
        "center",
    }

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in hidden:
                self.skip += 1
            elif tag in blocks:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in hidden:
                self.skip = max(0, self.skip - 1)
            elif tag in blocks:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)
