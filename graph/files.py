"""The one place that writes files: atomically, with ordinary permissions, never blindly.

* :func:`write_atomic` and :func:`atomic_writer` write one file so that a reader
  sees the old file or the new one, never half of it: the bytes go to a
  temporary file in the same folder, are flushed to disk and renamed over the
  target. The file gets the mode the umask gives (usually 0644), not the 0600
  of :func:`tempfile.mkstemp`.
* :func:`swap_folder` puts a fully written folder in place of another one in a
  single step (``renameat2(RENAME_EXCHANGE)`` on Linux, ``renamex_np(RENAME_SWAP)``
  on macOS; elsewhere two renames, with a moment in which the folder is absent).
* Temporary names are ``.<name>.<pid>.<random>.tmp``: a temporary left by a
  killed process (its pid no longer runs) is removed by :func:`clean_temporaries`
  on the next write next to it.
* :func:`check_target` is the overwrite rule every command follows: a file we did
  not write is replaced only with ``force``; a data folder and a command's own
  inputs are never written, whatever ``force`` says.

Depends on :mod:`graph.errors` only.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from graph.errors import OverwriteError

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def file_mode() -> int:
    """The mode a new file gets under the process's umask (usually 0644)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _temp_prefix(target: Path) -> str:
    return f".{target.name}.{os.getpid()}."


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_temporaries(folder: Path, name: str | None = None) -> list[Path]:
    """Remove temporaries of dead processes in ``folder`` (only those for ``name`` if given).

    Returns what was removed. Temporaries of running processes are left alone, so
    two commands writing side by side never delete each other's work.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if not match or (name is not None and match["name"] != name):
            continue
        if _alive(int(match["pid"])):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_writer(path: Path | str, *, text: bool = False) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; on success it replaces ``path`` atomically.

    On any error (or interruption) the temporary file is removed and ``path`` is
    left as it was.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_writer(target, text=True) as handle:
    ...     _ = handle.write("hello\\n")
    >>> target.read_text(), oct(target.stat().st_mode & 0o077)[-2:] != "00"
    ('hello\\n', True)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_temporaries(path.parent, path.name)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        handle: IO[Any] = (
            os.fdopen(fd, "w", encoding="utf-8", newline="\n") if text else os.fdopen(fd, "wb")
        )
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    with atomic_writer(path) as handle:
        handle.write(data)
    return Path(path)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (created if missing), released when the block ends
    or the process dies: a second maker of a cached file waits for the first."""
    import fcntl

    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def writable(folder: Path) -> bool:
    """Whether something could be written in ``folder``: it, or the nearest existing
    folder above it, is writable."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK | os.X_OK)


def make_temp_folder(target: Path) -> Path:
    """A fresh, empty folder next to ``target`` to write a set of files into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_temporaries(target.parent, target.name)
    folder = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent))
    os.chmod(folder, _folder_mode())  # mkdtemp makes 0700 folders
    return folder


def _folder_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o777 & ~umask


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step if the platform can; False if it cannot."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
    except OSError:
        return False
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        result = libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rename_swap = 2
        result = libc.renamex_np(os.fsencode(a), os.fsencode(b), rename_swap)
    else:
        return False
    if result != 0:
        errno = ctypes.get_errno()
        if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot
            return False
        raise OSError(errno, os.strerror(errno), str(b))
    return True


def swap_folder(new: Path, target: Path) -> None:
    """Put the folder ``new`` where ``target`` is, in one step; remove the old one.

    ``new`` must be a sibling of ``target`` (same file system). A reader listing
    or opening files in ``target`` sees the whole old folder or the whole new one.
    """
    _fsync_dir(new)
    if not target.exists():
        os.rename(new, target)
        _fsync_dir(target.parent)
        return
    if _exchange(new, target):
        _fsync_dir(target.parent)
        shutil.rmtree(new, ignore_errors=True)  # now the old folder, under a temporary name
        return
    # No atomic exchange here: move the old folder aside (under a temporary name,
    # cleaned up if we die), then move the new one in.
    aside = Path(tempfile.mkdtemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent))
    os.rmdir(aside)
    os.rename(target, aside)
    os.rename(new, target)
    _fsync_dir(target.parent)
    shutil.rmtree(aside, ignore_errors=True)


def link_or_copy(source: Path, dest: Path) -> None:
    """A hard link of ``source`` at ``dest`` (a copy where links are not possible),
    so a file carried into a new folder stays in the old one until the swap."""
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, dest, symlinks=True, copy_function=_link_or_copy_file)
    else:
        _link_or_copy_file(source, dest)


def _link_or_copy_file(source: str | Path, dest: str | Path) -> None:
    try:
        os.link(source, dest, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, dest, follow_symlinks=False)


def is_within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or inside it (after resolving links)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def check_target(
    path: Path | str,
    *,
    force: bool = False,
    ours: Callable[[Path], bool] | None = None,
    protected: Iterable[Path] = (),
    inputs: Iterable[Path] = (),
    what: str = "file",
) -> Path:
    """Refuse to write ``path`` where that would destroy something; return it resolved.

    Parameters
    ----------
    path : Path or str
        The file about to be written.
    force : bool
        Replace an existing file that ``ours`` does not recognise.
    ours : callable, optional
        Tells whether an existing file is one we wrote (our marker, or listed in
        a build's manifest). Without it every existing file needs ``force``.
    protected : iterable of Path
        Folders never written into (the data folder in use), even with ``force``.
    inputs : iterable of Path
        Files the command reads: never written, even with ``force``.

    Raises
    ------
    OverwriteError
    """
    path = Path(path)
    for folder in protected:
        if is_within(path, folder):
            raise OverwriteError(
                f"will not write into the data folder {folder}",
                path=path,
                field="out",
                hint="choose a file outside it",
            )
    for source in inputs:
        if path.resolve() == Path(source).resolve():
            raise OverwriteError(
                "will not write over an input of this command",
                path=path,
                field="out",
                hint="choose another file",
            )
    if path.is_dir():
        raise OverwriteError(f"is a folder, not a {what}", path=path, field="out")
    if path.exists() or path.is_symlink():
        if not path.is_file():
            raise OverwriteError(f"exists and is not a regular {what}", path=path, field="out")
        if not force and not (ours is not None and ours(path)):
            raise OverwriteError(
                "exists and was not written by alliance-graph",
                path=path,
                field="out",
                hint="pass --force to replace it",
            )
    return path


def has_marker(path: Path, marker: bytes, *, limit: int = 4096) -> bool:
    """Whether the first ``limit`` bytes of ``path`` hold ``marker``."""
    try:
        with path.open("rb") as handle:
            return marker in handle.read(limit)
    except OSError:
        return False
