"""Run ``alliance-graph validate`` in-process on a data folder, under a time bound.

The CLI entry :func:`graph.cli.main` runs in a daemon thread so that a case
that would hang (a FIFO read without limits) fails the test instead of
blocking it; stdout and stderr are captured.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from graph.cli import main


@dataclass(frozen=True)
class Outcome:
    """What one run did."""

    status: int | None  # None: did not finish in time, or raised
    out: str
    err: str
    seconds: float

    @property
    def error_lines(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.startswith("Error: ")]


def run_validate(root: Path, timeout: float) -> Outcome:
    """``alliance-graph validate --data root``, in this process, within ``timeout`` s."""
    out, err = io.StringIO(), io.StringIO()
    result: list[int] = []

    def target() -> None:
        try:
            result.append(main(["validate", "--data", str(root)]))
        except BaseException as exc:  # reported as a traceback-like failure
            err.write(f"Traceback (uncaught): {type(exc).__name__}: {exc}\n")

    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        worker = threading.Thread(target=target, daemon=True)
        worker.start()
        worker.join(timeout)
    seconds = time.perf_counter() - started
    return Outcome(result[0] if result else None, out.getvalue(), err.getvalue(), seconds)


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under ``root`` (links not followed): kind, size and modification time."""
    entries: dict[str, tuple[int, int, int]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            entries[str(path.relative_to(root))] = (
                stat.S_IFMT(info.st_mode),
                info.st_size,
                info.st_mtime_ns,
            )
    return entries
