"""Debian's Chromium, headless, driven by playwright-python (never a downloaded browser).

:func:`chromium` gives a fresh browser context; :class:`ExplorerPage` opens an
explorer page in it and records console errors, network requests and dialogs.
Without a system Chromium the tests fail (they never skip): run
``.ci/install-system``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The system Chromium's path.

    Raises
    ------
    RuntimeError
        If there is none (so that a test using it fails rather than skips).
    """
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError(
            "Chromium is not installed: run .ci/install-system "
            "(it installs Debian's chromium and chromium-driver)"
        )
    return found


@contextmanager
def chromium(*, width: int = 1440, height: int = 900) -> Iterator[Any]:
    """A playwright ``BrowserContext`` over Debian's Chromium with a fresh profile.

    Parameters
    ----------
    width, height : int
        The viewport, in CSS pixels.
    """
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="alliance-graph-chromium-") as profile,
        sync_playwright() as pw,
    ):
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
            accept_downloads=True,
            service_workers="block",
        )
        try:
            yield context
        finally:
            context.close()


def wait_for(page: Any, expression: str, *, timeout: float = 60.0) -> Any:
    """Poll ``expression`` from Python until it is truthy; return its value.

    Playwright's ``wait_for_function`` polls with an in-page ``eval``, which the
    explorer's Content-Security-Policy (rightly) forbids; ``page.evaluate`` goes
    through the DevTools protocol and is not affected.

    Raises
    ------
    TimeoutError
        If it is still falsy after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{expression!r} still false after {timeout:g} s")
        time.sleep(0.02)


class ExplorerPage:
    """An explorer page opened from a file, with what it logged, requested and opened.

    Every request other than the page's own file (and ``data:``/``blob:`` URLs,
    which never touch the network) is recorded in :attr:`requests` and aborted.

    Parameters
    ----------
    context : playwright BrowserContext
        From :func:`chromium`.
    path : Path
        The HTML file.
    wait : bool
        Wait until ``window.explorer.ready`` (laid out and drawn).
    """

    def __init__(self, context: Any, path: Path, *, wait: bool = True) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.url = Path(path).resolve().as_uri()
        self.page = context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", self._request)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.started = time.perf_counter()
        self.page.goto(self.url)
        if wait:
            wait_for(self.page, "window.explorer !== undefined && window.explorer.ready")

    def _own(self, url: str) -> bool:
        return url == self.url or url.startswith(("data:", "blob:"))

    def _request(self, request: Any) -> None:
        if not self._own(request.url):
            self.requests.append(request.url)

    def _route(self, route: Any) -> None:
        if self._own(route.request.url):
            route.continue_()
        else:
            route.abort()

    def js(self, expression: str) -> Any:
        """Evaluate ``expression`` in the page (through DevTools, so the CSP allows it)."""
        return self.page.evaluate(expression)

    def text(self, selector: str) -> str:
        """The text content of the first element ``selector`` matches ('' if none)."""
        return self.page.text_content(selector) or ""

    def close(self) -> None:
        """Close the page."""
        self.page.close()
