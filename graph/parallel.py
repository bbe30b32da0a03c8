"""One piece of work run beside the caller's, on a second core, in a forked process.

The build validates its graph and draws the explorer while it writes the
outputs: both read the same graph of millions of Python objects, which a
worker process started afresh would have to receive pickled (longer than
the work itself) and a thread could not run in parallel (the work is Python,
under the GIL). A fork shares the graph as it is, copy-on-write, and sends
back only the result: a validation report and a page.

``with beside(fn, *args) as work: ...; value = work.result()`` runs ``fn(*args)``
in a forked child when :func:`forking` allows, and in the caller otherwise
(at once, so a serial build checks before it writes, as it always did).
``result()`` returns what ``fn`` returned or raises what it raised; leaving the
block without asking stops the child. An error that cannot be pickled comes
back as a :class:`RuntimeError` with its type and text.

``ALLIANCE_GRAPH_JOBS=1`` keeps everything in one process; so does a machine
with one core or without ``os.fork`` (Windows). The child runs with progress
off (the caller reports the stage) and leaves by ``os._exit``: nothing of the
caller's (buffers, ``atexit`` handlers, temporary folders) runs twice.

Depends on the standard library only.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import warnings
from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

from graph.errors import AllianceGraphError

T = TypeVar("T")

#: The setting that caps the processes of a build (``1``: one process).
JOBS = "ALLIANCE_GRAPH_JOBS"


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def forking() -> bool:
    """Whether :func:`beside` runs its work in a child: ``os.fork`` exists, there are
    two cores or more, and ``ALLIANCE_GRAPH_JOBS`` is not ``1``.

    Raises
    ------
    AllianceGraphError
        ``ALLIANCE_GRAPH_JOBS`` is set to something other than a positive whole number.
    """
    setting = os.environ.get(JOBS, "").strip()
    if setting:
        if not setting.isdigit() or int(setting) < 1:
            raise AllianceGraphError(
                f"must be a positive whole number, not {setting!r}",
                field=JOBS,
                hint=f"{JOBS}=1 runs a build in one process",
            )
        if int(setting) == 1:
            return False
    return hasattr(os, "fork") and cores() >= 2


class _Inline(Generic[T]):
    """The work done in the caller, at once; its result or error kept for ``result()``."""

    def __init__(self, fn: Callable[..., T], args: tuple[Any, ...]) -> None:
        self._error: BaseException | None = None
        try:
            self._value = fn(*args)
        except Exception as exc:  # raised from result(), where a forked one would be
            self._error = exc

    def result(self) -> T:
        if self._error is not None:
            raise self._error
        return self._value

    def stop(self) -> None:
        pass


class _Forked(Generic[T]):
    """The work done in a forked child, which writes its pickled outcome to a pipe."""

    def __init__(self, fn: Callable[..., T], args: tuple[Any, ...]) -> None:
        for stream in (sys.stdout, sys.stderr):  # or the child would write them again
            with contextlib.suppress(AttributeError, ValueError, OSError):  # None, closed
                stream.flush()
        read, write = os.pipe()
        parent = os.getpid()
        with warnings.catch_warnings():
            # Python 3.12 warns of any fork in a process with threads (pyarrow and
            # OpenBLAS start some). The child uses no lock another thread may hold:
            # it runs Python code, pyoxigraph's in-memory store and numpy, and exits.
            warnings.filterwarnings("ignore", "This process .* is multi-threaded")
            try:
                pid = os.fork()
            except OSError:
                os.close(read)
                os.close(write)
                raise
        if pid == 0:  # the child
            os.close(read)
            _run_child(write, parent, fn, args)  # never returns
        os.close(write)
        self._pid: int | None = pid
        self._pipe = os.fdopen(read, "rb")
        self._outcome: tuple[bool, Any] | None = None

    def result(self) -> T:
        if self._outcome is None:
            self._outcome = self._collect()
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def _collect(self) -> tuple[bool, Any]:
        chunks = []
        with self._pipe as pipe:  # until the child closes it by exiting
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        assert self._pid is not None
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if chunks:
            return pickle.loads(b"".join(chunks))
        code = os.waitstatus_to_exitcode(status)
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        return False, AllianceGraphError(
            f"the build's second process ended with {how} before it reported",
            field="build",
            hint=f"out of memory? {JOBS}=1 builds in one process",
        )

    def stop(self) -> None:
        """End the child if it still runs (the caller failed or was interrupted)."""
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        self._pid = None
        self._pipe.close()


def _run_child(write: int, parent: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Run ``fn(*args)`` and write ``(ok, value or error)`` pickled to ``write``; exit."""
    code = 1
    try:
        _end_with(parent)
        os.environ["ALLIANCE_GRAPH_PROGRESS"] = "0"
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the caller reports it
        try:
            outcome: tuple[bool, Any] = (True, fn(*args))
        except Exception as exc:
            outcome = (False, exc)
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            error = outcome[1] if not outcome[0] else None
            text = f"{type(error).__name__}: {error}" if error else "an unpicklable result"
            payload = pickle.dumps((False, RuntimeError(text)))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        code = 0
    finally:
        os._exit(code)


def _end_with(parent: int) -> None:
    """Have the kernel end this child when ``parent`` ends (Linux), so that a killed
    build leaves no process behind working for nobody."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)


class beside(Generic[T]):  # lower case: used as a function, like contextlib's
    """Run ``fn(*args)`` beside the caller (see the module's text); a context manager."""

    def __init__(self, fn: Callable[..., T], *args: Any) -> None:
        self._work: _Inline[T] | _Forked[T]
        if forking():
            try:
                self._work = _Forked(fn, args)
                return
            except OSError:  # no process or pipe to be had (a limit): do it here
                pass
        self._work = _Inline(fn, args)

    @property
    def forked(self) -> bool:
        return isinstance(self._work, _Forked)

    def result(self) -> T:
        """What ``fn`` returned; raises what it raised (waits for the child)."""
        return self._work.result()

    def __enter__(self) -> beside[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._work.stop()
