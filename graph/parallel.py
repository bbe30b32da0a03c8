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
block without asking stops the child. An error that cannot be pickled or
unpickled comes back as a :class:`RuntimeError` with its type and text; an error
that is not the package's carries the child's traceback as a note. A child that
dies (the out-of-memory killer) is one :class:`AllianceGraphError`.

Linux only: ``ALLIANCE_GRAPH_JOBS=1`` keeps everything in one process, and so do
one core, Windows and macOS (whose system libraries are not fork-safe: Python
spawns there). The kernel ends the child if the caller dies (``PR_SET_PDEATHSIG``).
The caller reads the pipe in a thread, so the child exits, freeing the pages it
copied, as soon as it is done. The child runs with progress off (the caller
reports the stage), keeps a SIGINT the caller ignores ignored, and leaves by
``os._exit``: nothing of the caller's (buffers, ``atexit`` handlers, temporary
folders) runs twice.

Depends on the standard library only.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Callable
from types import TracebackType
from typing import Any, BinaryIO, Generic, TypeVar

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
    """Whether :func:`beside` runs its work in a child: on Linux, with two cores or
    more, unless ``ALLIANCE_GRAPH_JOBS`` is ``1``.

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
    # Linux only: macOS's system libraries are not fork-safe (Python spawns there since
    # 3.8) and only Linux ends an orphaned child (PR_SET_PDEATHSIG).
    return sys.platform.startswith("linux") and hasattr(os, "fork") and cores() >= 2


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
        prctl = _prctl()  # looked up here: no dlopen in the child
        with warnings.catch_warnings():
            # Python 3.12 warns of any fork in a process with threads (pyarrow starts
            # some). The child takes no lock another thread may hold: it runs Python
            # code and pyoxigraph's in-memory store, writes to a pipe and exits.
            warnings.filterwarnings("ignore", "This process .* is multi-threaded")
            try:
                pid = os.fork()
            except OSError:
                os.close(read)
                os.close(write)
                raise
        if pid == 0:  # the child
            os.close(read)
            _run_child(write, parent, prctl, fn, args)  # never returns
        os.close(write)
        self._pid: int | None = pid
        self._outcome: tuple[bool, Any] | None = None
        # Read as the child writes, so that it exits (freeing the pages it copied) as
        # soon as it is done, not when the caller asks for the result.
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(
            target=self._drain, args=(os.fdopen(read, "rb"),), daemon=True
        )
        self._reader.start()

    def _drain(self, pipe: BinaryIO) -> None:
        with pipe:  # until the child closes it by exiting
            while chunk := pipe.read(1 << 20):
                self._chunks.append(chunk)

    def result(self) -> T:
        if self._outcome is None:
            self._outcome = self._collect()
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def _collect(self) -> tuple[bool, Any]:
        self._reader.join()
        chunks = self._chunks
        assert self._pid is not None
        try:
            _, status = os.waitpid(self._pid, 0)
            code = os.waitstatus_to_exitcode(status)
        except ChildProcessError:  # reaped by the host program (SIGCHLD ignored)
            code = 0
        self._pid = None
        if chunks and code == 0:  # a child killed while writing leaves a truncated pickle
            try:
                return pickle.loads(b"".join(chunks))
            except Exception as exc:
                return False, RuntimeError(f"the build's second process sent {exc!r}")

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
        self._reader.join()  # the pipe ends with the child
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)
        self._pid = None


def _run_child(
    write: int,
    parent: int,
    prctl: Callable[[int, int], int] | None,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
) -> None:
    """Run ``fn(*args)`` and write ``(ok, value or error)`` pickled to ``write``; exit."""
    code = 1
    try:
        if prctl is not None:  # the kernel ends this child when the caller ends
            prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: a killed build leaves no worker
        if os.getppid() != parent:  # it ended before the line above
            os._exit(1)
        os.environ["ALLIANCE_GRAPH_PROGRESS"] = "0"
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the caller reports it
        try:
            outcome: tuple[bool, Any] = (True, fn(*args))
        except Exception as exc:
            if not isinstance(exc, AllianceGraphError):  # a defect: keep where it happened
                exc.add_note(traceback.format_exc().rstrip())
            outcome = (False, exc)
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            if not outcome[0]:
                pickle.loads(payload)  # an error may pickle and not unpickle (its __init__)
        except Exception:
            error = outcome[1] if not outcome[0] else None
            text = f"{type(error).__name__}: {error}" if error else "an unpicklable result"
            payload = pickle.dumps((False, RuntimeError(text)))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        code = 0
    finally:
        os._exit(code)


@functools.cache
def _prctl() -> Callable[[int, int], int] | None:
    """Linux's ``prctl``, or None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


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
