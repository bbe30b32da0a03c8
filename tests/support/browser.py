"""Debian's Chromium, headless, driven by playwright-python (no browser download)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str:
    """The system Chromium; the suite fails (never skips) without it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("Chromium is not installed: run .ci/install-system "
                           "(it installs Debian's chromium)")
    return found


@contextmanager
def chromium() -> Iterator[Any]:
    """A playwright Browser over Debian's Chromium with a fresh profile."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="alliance-graph-chromium-") as profile, \
            sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900})
        try:
            yield context
        finally:
            context.close()


def wait_for(page: Any, expression: str, *, timeout: float = 60.0) -> Any:
    """Poll ``expression`` from Python until it is truthy.

    Playwright's ``wait_for_function`` polls with an in-page ``eval``, which the
    explorer's Content-Security-Policy (rightly) forbids; ``page.evaluate`` goes
    through the DevTools protocol and is not affected.
    """
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{expression!r} still false after {timeout:g} s")
        time.sleep(0.02)
