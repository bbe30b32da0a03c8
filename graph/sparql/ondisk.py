"""A large built graph's store kept on disk: made once, then opened in milliseconds.

Loading ``alliance.nt`` into Oxigraph's in-memory store costs every process
about 4–5 s of CPU per million statements (about 50 s at ten million). From
:data:`ON_DISK_FROM` bytes on, :func:`open_built` instead keeps Oxigraph's own
on-disk store (RocksDB) in ``<graph dir>/.cache/store/``: the first process to
need it bulk-loads the data, the ontology and the ``ag:dependsOn`` entailment
(what :class:`~graph.sparql.engines.EmbeddedStore` holds) into a temporary
folder and renames it into place; every later process opens it read-only, which
takes milliseconds whatever the graph's size and holds little in memory.

The store is marked with the graph's fingerprint (as the query index's
tables), the ontology's sha256 and :data:`STORE_VERSION`: a rebuilt graph or
another ontology makes a new store, and the old one is removed. A second
process that needs the store while it is being made waits for it (a lock
file). Where the cache folder cannot be written, or a smaller graph is asked,
the graph is loaded in memory as before. Where making the store fails for the
disk (full, a quota, a file size limit), the graph is loaded in memory too, and
the failure is marked (``FAILED``, holding the key): later processes do not try
again for that graph — minutes of bulk loading at ten million statements, each
time — until the graph or the ontology changes or the mark is deleted. Like
everything under ``.cache/`` the store belongs to the tool and may be deleted at
any time.

Depends on :mod:`graph.sparql.engines`, :mod:`graph.files` (lock, temporary
folder) and :mod:`graph.index.disk` (the graph's fingerprint), pyoxigraph lazily.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
from pathlib import Path

from graph.errors import QueryError
from graph.files import locked, make_temp_folder, writable
from graph.progress import enabled
from graph.resources import ontology_dir
from graph.sparql.engines import DEPENDENCY_ENTAILMENT, EmbeddedStore

#: From this size of ``alliance.nt`` (bytes; about 400,000 statements) the store is
#: kept on disk: below it an in-memory load takes under two seconds.
ON_DISK_FROM = 64 << 20

#: Bumped when what the store holds changes: older stores are made again.
STORE_VERSION = 1

_READY = "READY"  # inside a finished store folder: its key
_FAILED = "FAILED"  # beside the stores: the key of a graph whose store could not be made


def whole_number_setting(name: str, default: int, unit: str = "bytes") -> int:
    """A whole number (of ``unit``, bytes by default) from the environment variable
    ``name``, or ``default`` when it is unset or empty; anything but digits is one
    :class:`QueryError` naming it."""
    given = os.environ.get(name, "").strip()
    if not given:
        return default
    if not given.isdigit():
        raise QueryError(f"{name} must be a whole number of {unit}, not {given!r}", field=name)
    return int(given)


def _threshold() -> int:
    """:data:`ON_DISK_FROM`, or the environment's ``ALLIANCE_GRAPH_ON_DISK_FROM`` (bytes;
    0 keeps every built graph on disk)."""
    return whole_number_setting("ALLIANCE_GRAPH_ON_DISK_FROM", ON_DISK_FROM)


def store_key(data: Path) -> str:
    """What a store made from ``data`` is valid for: the graph, the ontology, the layout."""
    from graph.index.disk import graph_fingerprint

    ontology = hashlib.sha256((ontology_dir() / "alliance.ttl").read_bytes()).hexdigest()[:16]
    return f"{STORE_VERSION}:{graph_fingerprint(data)}:{ontology}"


def store_folder(data: Path) -> Path:
    """Where the stores of the graph ``data`` (``alliance.nt``) are kept."""
    return data.parent / ".cache" / "store"


def open_built(data: Path, *, on_disk_from: int | None = None) -> EmbeddedStore:
    """The embedded store over the built graph ``data`` (``alliance.nt``): on disk and
    read-only from ``on_disk_from`` bytes (default :data:`ON_DISK_FROM`, or the
    environment's ``ALLIANCE_GRAPH_ON_DISK_FROM``), made by the first call after a
    build; in memory below it or where the cache cannot be written (or its making
    fails for the disk).

    Raises
    ------
    QueryError
        ``data`` does not parse (named with its line), as for an in-memory load.
    """
    threshold = _threshold() if on_disk_from is None else on_disk_from
    if data.suffix != ".nt" or data.stat().st_size < threshold:
        return EmbeddedStore(data, trusted=True)
    key = store_key(data)
    target = store_folder(data) / hashlib.sha256(key.encode()).hexdigest()[:16]
    opened = _open(target, key)
    if opened is not None:
        return opened
    folder = store_folder(data)
    if not writable(folder) or _failed_before(folder, key):
        return EmbeddedStore(data, trusted=True)
    try:
        return _make(data, target, key)
    except OSError as exc:  # the disk is full, a quota or a lock not ours
        _mark_failed(folder, key, exc)
        return EmbeddedStore(data, trusted=True)


def _failed_before(folder: Path, key: str) -> bool:
    """Whether making the store for ``key`` failed before (see :func:`_mark_failed`)."""
    try:
        failed = (folder / _FAILED).read_text(encoding="utf-8") == key
    except (OSError, UnicodeDecodeError):
        return False
    if failed and enabled():
        sys.stderr.write(
            f"the on-disk store of this graph could not be made before: loading it in "
            f"memory (delete {folder / _FAILED} to try again)\n"
        )
    return failed


def _mark_failed(folder: Path, key: str, exc: OSError) -> None:
    """Say once why the store could not be made, and mark it so that later processes
    load the graph in memory without trying again (the mark is best effort: on a full
    disk it may not be written either)."""
    if enabled():
        sys.stderr.write(
            f"the on-disk store of this graph could not be made ({exc.strerror or exc}): "
            "loading it in memory; it is tried again after the next build\n"
        )
    with contextlib.suppress(OSError):
        (folder / _FAILED).write_text(key, encoding="utf-8")


def _open(target: Path, key: str) -> EmbeddedStore | None:
    """The finished store in ``target`` made for ``key``, read-only; ``None`` if there is
    none (or it does not open: it is then made again)."""
    import pyoxigraph as ox

    try:
        if (target / _READY).read_text(encoding="utf-8") != key:
            return None
        return EmbeddedStore.of_store(ox.Store.read_only(str(target)))
    except (OSError, UnicodeDecodeError):
        return None


def _make(data: Path, target: Path, key: str) -> EmbeddedStore:
    """Bulk-load the store into a temporary folder beside ``target`` and rename it into
    place (under a lock: a second maker waits, then opens the first one's store)."""
    import pyoxigraph as ox

    from graph.progress import stage

    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder / "store.lock"):
        opened = _open(target, key)
        if opened is not None:  # made by another process while we waited
            return opened
        for old in folder.iterdir():  # older stores, damaged ones, those of dead makers
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        # With the umask's mode: other users who read the graph (a server's) open it too.
        tmp = make_temp_folder(target)
        try:
            with stage(f"on-disk store of {data.name} (once per build)"):
                store = ox.Store(str(tmp))
                try:
                    store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES, lenient=True)
                except SyntaxError as exc:
                    raise QueryError(f"does not parse: {exc}", path=data, field="rdf") from exc
                store.bulk_load(
                    path=str(ontology_dir() / "alliance.ttl"), format=ox.RdfFormat.TURTLE
                )
                store.update(DEPENDENCY_ENTAILMENT)
                store.flush()
                del store  # closed: RocksDB's lock released before the rename
            (tmp / _READY).write_text(key, encoding="utf-8")
            os.rename(tmp, target)
            (folder / _FAILED).unlink(missing_ok=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    opened = _open(target, key)
    if opened is None:  # pragma: no cover - the store just made does not open
        raise QueryError("the on-disk store just made does not open", path=target, field="store")
    return opened
