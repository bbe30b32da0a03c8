"""Progress on a terminal: one line per stage of long work, on standard error.

``with stage("records"): ...`` writes ``records…`` when the stage starts and
completes the line with its time (``records… 0.8 s``) when it ends, or with
``failed`` when it raises. Nothing is written unless standard error is a
terminal: pipes, CI logs, notebooks and captured output stay clean, and
standard output is never touched. ``ALLIANCE_GRAPH_PROGRESS=0`` turns it off on
a terminal too.

Stages of unknown length (parse, reconcile, SHACL) have no meaningful bar, so
this is a stage reporter rather than a progress bar library; it needs nothing
beyond the standard library.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO


def enabled(stream: IO[str] | None = None) -> bool:
    """True when progress should be shown on ``stream`` (standard error by default):
    it is a terminal and ``ALLIANCE_GRAPH_PROGRESS`` is not ``0``."""
    if os.environ.get("ALLIANCE_GRAPH_PROGRESS", "").strip() in ("0", "false", "no"):
        return False
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Report the stage ``name`` and its time on standard error, on a terminal only."""
    stream = sys.stderr
    if not enabled(stream):
        yield
        return
    stream.write(f"{name}… ")
    stream.flush()
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        stream.write("failed\n")
        stream.flush()
        raise
    stream.write(f"{time.perf_counter() - started:.1f} s\n")
    stream.flush()
