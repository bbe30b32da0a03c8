"""A build as one set of files: written aside, swapped in whole, described by a manifest.

The build folder (``build/`` by default) holds the outputs (``alliance.ttl``,
``alliance.jsonld``, ``alliance.nt``, ``explorer.html``), ``manifest.json``,
a small cache ``.inputs-stat.json`` and the parsed records of the last build
(``.cache/``, :mod:`graph.buildcache`); files a user put there (such as
``explorer-<view>.html`` renders) stay.

Committing a build (:func:`write_set`):

1. the caller has serialised every output and parsed it back in memory;
2. the outputs and the manifest are written into a fresh folder next to the
   build folder (``.build.<pid>.<random>.tmp``) and flushed to disk;
3. files of the old build folder that no build wrote are hard-linked into it;
4. the new folder and the old are swapped in one step
   (:func:`graph.files.swap_folder`) and the old one is removed.

So a reader that lists or opens files in the build folder sees the whole old
set or the whole new one, never a mixture; a build killed at any moment leaves
the old set and at most a temporary folder, which the next build removes.

``manifest.json`` lists every output with its size and SHA-256, and the inputs:
the data folder (``null`` for the shipped data, else its path relative to the
build folder), the SHA-256 of each data and ontology file, and the version of
alliance-graph; ``fingerprint`` digests them. It holds no time and no absolute
path: two builds of the same inputs are byte-for-byte identical.

Readers call :func:`check_fresh`: it compares sizes and modification times
with ``.inputs-stat.json`` first and hashes files only when those differ, and
raises :class:`~graph.errors.StaleBuildError` when the data, the ontology or
alliance-graph changed since the build.

Depends on :mod:`graph.files`, :mod:`graph.resources`, :mod:`graph.errors`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.errors import NotBuiltError, OverwriteError, StaleBuildError
from graph.files import (
    clean_temporaries,
    is_within,
    link_or_copy,
    make_temp_folder,
    swap_folder,
)
from graph.resources import data_dir, ontology_dir

if TYPE_CHECKING:
    from graph.buildcache import RecordCache

MANIFEST = "manifest.json"
STAT_CACHE = ".inputs-stat.json"
#: Parsed records kept for the next build (:mod:`graph.buildcache`), not an output.
CACHE_DIR = ".cache"
#: What a build wrote before builds had a manifest.
LEGACY_OUTPUTS = ("alliance.ttl", "alliance.jsonld", "alliance.nt")


def _is_temporary(name: str) -> bool:
    """A temporary of ours: ``.<name>.<pid>.<random>.tmp``, or a ``.<name>.<random>.tmp``
    single file left in a build folder by writers before builds were sets."""
    return name.startswith(".") and name.endswith(".tmp")


def _version() -> str:
    from graph import __version__

    return __version__


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_files(data: Path) -> dict[str, Path]:
    """The files a build reads, by a stable key: ``data/…`` and ``ontology/…``.

    Every regular file under ``entities/`` and ``sources/`` except hidden files
    and claim drafts (which never enter a build), and the ontology's files.
    """
    found: dict[str, Path] = {}
    for key, root, subfolders in (
        ("data", data, ("entities", "sources")),
        ("ontology", ontology_dir(), (".",)),
    ):
        for sub in subfolders:
            for folder, dirs, files in os.walk(root / sub):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    path = Path(folder, name)
                    if name.startswith(".") or name.endswith(".draft.yaml") or not path.is_file():
                        continue
                    found[f"{key}/{path.relative_to(root).as_posix()}"] = path
    return dict(sorted(found.items()))


def _stats(files: dict[str, Path]) -> dict[str, list[int]]:
    out = {}
    for key, path in files.items():
        st = path.stat()
        out[key] = [st.st_size, st.st_mtime_ns]
    return out


def fingerprint(hashes: dict[str, str], version: str) -> str:
    """One digest of the inputs: every file's key and SHA-256, and the version."""
    digest = hashlib.sha256(f"alliance-graph {version}\n".encode())
    for key in sorted(hashes):
        digest.update(f"{key}\0{hashes[key]}\n".encode())
    return digest.hexdigest()


class Inputs:
    """The inputs of one build, hashed before the records are read."""

    def __init__(self, data: Path | None) -> None:
        self.data = Path(data) if data is not None else None
        self.folder = self.data if self.data is not None else data_dir()
        files = input_files(self.folder)
        self.stat = _stats(files)
        self.hashes = {key: _sha256(path) for key, path in files.items()}
        self.version = _version()
        self.fingerprint = fingerprint(self.hashes, self.version)

    def recorded(self, out: Path) -> str | None:
        """The data folder as the manifest records it: relative to the build folder."""
        if self.data is None:
            return None
        return Path(os.path.relpath(self.data.resolve(), out.resolve())).as_posix()


def digests(blobs: dict[str, bytes]) -> dict[str, str]:
    """The SHA-256 of each output, by name."""
    return {name: hashlib.sha256(data).hexdigest() for name, data in blobs.items()}


def manifest_bytes(
    blobs: dict[str, bytes], inputs: Inputs, out: Path, sha256: dict[str, str] | None = None
) -> bytes:
    """``manifest.json``; ``sha256`` is :func:`digests` of ``blobs`` when the caller has it."""
    sha256 = sha256 or digests(blobs)
    doc = {
        "generator": "alliance-graph",
        "version": inputs.version,
        "inputs": {
            "data": inputs.recorded(out),
            "fingerprint": inputs.fingerprint,
            "files": inputs.hashes,
        },
        "outputs": {
            name: {"bytes": len(data), "sha256": sha256[name]}
            for name, data in sorted(blobs.items())
        },
    }
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a build folder, or None if it has none (or not ours)."""
    try:
        doc = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("generator") != "alliance-graph":
        return None
    return doc


def is_build(folder: Path) -> bool:
    """Whether ``folder`` holds a build of ours (a manifest, or a build made before
    manifests: all of :data:`LEGACY_OUTPUTS`)."""
    return read_manifest(folder) is not None or all(
        (folder / name).is_file() for name in LEGACY_OUTPUTS
    )


def written_by_build(path: Path) -> bool:
    """Whether ``path`` is an output listed in the manifest of the folder it is in."""
    manifest = read_manifest(path.parent)
    return manifest is not None and (
        path.name in manifest.get("outputs", {}) or path.name in (MANIFEST, STAT_CACHE)
    )


def _owned(folder: Path) -> set[str]:
    manifest = read_manifest(folder)
    names = {MANIFEST, STAT_CACHE}
    names.update(manifest.get("outputs", {}) if manifest else (*LEGACY_OUTPUTS, "explorer.html"))
    return names


def data_folder(folder: Path, manifest: dict[str, Any]) -> Path:
    """The data folder a build was made from."""
    recorded = manifest.get("inputs", {}).get("data")
    return data_dir() if recorded is None else (folder / recorded).resolve()


def protected_folders(data: Path | None = None) -> list[Path]:
    """Folders no command writes into: the data folder in use, the shipped data and
    the ontology."""
    folders = [data_dir(), ontology_dir()]
    if data is not None:
        folders.insert(0, Path(data))
    return folders


def check_out(out: Path, data: Path | None, force: bool) -> None:
    for folder in protected_folders(data):
        if is_within(out, folder) or (folder.exists() and is_within(folder, out)):
            raise OverwriteError(
                f"a build folder may not be, hold or lie inside {folder}",
                path=out,
                field="out",
                hint="choose another --out",
            )
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OverwriteError("exists and is not a folder", path=out, field="out")
    if not out.exists() or force or is_build(out):
        return
    if any(not _is_temporary(entry.name) for entry in os.scandir(out)):
        raise OverwriteError(
            "exists and is not a build of alliance-graph (no manifest.json)",
            path=out,
            field="out",
            hint="choose an empty or new folder, or pass --force",
        )


def write_set(
    out: Path | str,
    blobs: dict[str, bytes],
    *,
    data: Path | None = None,
    inputs: Inputs | None = None,
    force: bool = False,
    cache: RecordCache | None = None,
) -> list[Path]:
    """Commit ``blobs`` (name → bytes) as the build in ``out``, whole or not at all.

    Parameters
    ----------
    out : Path or str
        The build folder. If it exists it must be empty or a build of ours,
        unless ``force``; it may never be or hold a data folder.
    blobs : dict
        Every output, already checked.
    data : Path, optional
        The data folder the build read (None: the shipped data).
    inputs : Inputs, optional
        The inputs, hashed before they were read (hashed now if not given).
    force : bool
        Build into a folder that is not a build of ours (its other files stay).
    cache : RecordCache, optional
        The parsed records to keep in ``.cache/`` for the next build
        (:mod:`graph.buildcache`); committed with the set.

    Returns
    -------
    list of Path
        The outputs, then the manifest, in ``out``.
    """
    out = Path(out)
    check_out(out, data, force)
    inputs = inputs or Inputs(data)
    clean_temporaries(out)  # single files left by writers killed before builds were sets
    new = make_temp_folder(out)
    try:
        # hashlib lets go of the GIL: the outputs are hashed while they are written.
        with ThreadPoolExecutor(max_workers=1) as pool:
            hashing = pool.submit(digests, blobs)
            for name, content in blobs.items():
                _write_synced(new / name, content)
            manifest = manifest_bytes(blobs, inputs, out, hashing.result())
        stat = {"fingerprint": inputs.fingerprint, "stat": inputs.stat}
        _write_synced(new / MANIFEST, manifest)
        _write_synced(new / STAT_CACHE, (json.dumps(stat, sort_keys=True) + "\n").encode("utf-8"))
        if out.is_dir():
            owned = _owned(out) | {*blobs, MANIFEST, STAT_CACHE}
            for entry in sorted(os.scandir(out), key=lambda e: e.name):
                if entry.name not in owned and not _is_temporary(entry.name):
                    link_or_copy(Path(entry.path), new / entry.name)  # .cache/ too
        if cache is not None:
            cache.commit(new)
        swap_folder(new, out)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return [out / name for name in blobs] + [out / MANIFEST]


def _write_synced(path: Path, content: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when inside it (as the user typed it)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _rebuild_command(folder: Path, manifest: dict[str, Any]) -> str:
    command = "alliance-graph build"
    if manifest.get("inputs", {}).get("data") is not None:
        command += f" --data {_shown(data_folder(folder, manifest))}"
    if folder != Path("build"):
        command += f" --graph-dir {_shown(folder)}"
    return command


def check_fresh(folder: Path) -> None:
    """Raise :class:`StaleBuildError` if the build in ``folder`` is older than its inputs.

    Cheap when nothing changed: sizes and modification times are compared with
    those recorded at build time, and files are hashed only when those differ.
    A build whose data folder is gone cannot be compared and is taken as it is;
    so is a folder without a manifest that holds only some built file (made by
    hand). A whole build made before manifests is reported as stale.
    """
    manifest = read_manifest(folder)
    if manifest is None:
        # Every output of a build made before manifests: it may be stale and cannot say.
        # A folder holding some built file put there by hand is read as it is.
        if is_build(folder):
            raise StaleBuildError(
                f"the build in {_shown(folder)}/ has no {MANIFEST} (made by "
                "an older alliance-graph): run 'alliance-graph build' "
                "(or pass --rebuild)"
            )
        if not any((folder / name).is_file() for name in LEGACY_OUTPUTS):
            raise NotBuiltError(
                "holds no build", path=folder, hint="run 'alliance-graph build' first"
            )
        return
    again = f"run '{_rebuild_command(folder, manifest)}' (or pass --rebuild)"
    if manifest.get("version") != _version():
        raise StaleBuildError(
            f"the build in {_shown(folder)}/ was made by alliance-graph "
            f"{manifest.get('version')}, this is {_version()}: {again}"
        )
    data = data_folder(folder, manifest)
    if not data.is_dir():
        return
    files = input_files(data)
    try:
        cache = json.loads((folder / STAT_CACHE).read_text(encoding="utf-8"))
        if cache.get("fingerprint") == manifest["inputs"]["fingerprint"] and cache.get(
            "stat"
        ) == _stats(files):
            return
    except (OSError, ValueError, KeyError):
        pass
    recorded: dict[str, str] = manifest.get("inputs", {}).get("files", {})
    changed = sorted(
        key
        for key in set(files) | set(recorded)
        if key not in files or key not in recorded or _sha256(files[key]) != recorded[key]
    )
    if not changed:
        return
    key = changed[0]

    root, _, rel = key.partition("/")
    where = (data if root == "data" else ontology_dir()) / rel
    what = _shown(where) if key in files else f"the data ({_shown(where)} was removed)"
    more = f" and {len(changed) - 1} more file(s)" if len(changed) > 1 else ""
    raise StaleBuildError(f"the build in {_shown(folder)}/ is older than {what}{more}: {again}")
