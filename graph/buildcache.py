"""A cache of parsed YAML records, in the build folder's ``.cache/``: not an output.

Parsing the YAML records is a large part of the records stage. A build keeps
the parse of each data file, keyed by the SHA-256 of the file's bytes, so that
a build after one changed source parses only that source's files again. Only
the YAML parse is kept: every check of the records against each other and
against the ontology runs on every build, so a cached parse cannot hide an
error and the records are the same as a clean build's
(``tests/test_buildcache.py`` compares the outputs byte for byte).

Layout: ``<build>/.cache/yaml-<code>/<sha256>.pickle``, where ``<code>``
digests what a parse depends on besides the bytes: the parser's code
(``graph/yamlio.py``), the versions of ruamel.yaml, PyYAML and its libyaml,
Python's and alliance-graph's. An edit of a file gives it a new key, a change
of the parser a new folder: a stale entry is never read. A failed parse is not
kept (the error is raised again).

Entries are collected in memory during the build and committed with the build
set (:func:`graph.buildset.write_set`): the ``.cache/`` folder is carried into
the new set (hard links, as every file the build did not write), this build's
entries are added, those it did not use are dropped, and it is swapped in with
the set. A build that fails leaves the previous cache as it was. Other caches
in ``.cache/`` (the query index of :mod:`graph.index`) stay. Entries are unpickled by an
unpickler that knows only the types a parse makes (a tampered entry cannot
name any other class) and are ignored if they do not load.

Depends on :mod:`graph.yamlio` and :mod:`graph.buildset` (for the folder's name).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
import sys
from pathlib import Path
from typing import Any, NamedTuple

from graph import yamlio
from graph.buildset import CACHE_DIR


def code_digest() -> str:
    """What a parse depends on besides the file's bytes, as a short digest."""
    import ruamel.yaml

    from graph import __version__

    digest = hashlib.sha256(Path(yamlio.__file__).read_bytes())
    parsers = (ruamel.yaml.__version__, yamlio.LIBYAML_COMPOSER, str(yamlio.USE_LIBYAML))
    for part in (*parsers, sys.version, __version__):
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.hexdigest()[:16]


class _Unpickler(pickle.Unpickler):
    """Loads the values a YAML parse makes (builtins and :class:`~graph.yamlio.LineDict`)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("graph.yamlio", "LineDict"):
            return yamlio.LineDict
        raise pickle.UnpicklingError(f"{module}.{name} is not a parse result")


class Learnt(NamedTuple):
    """Entries, keys used and counts of a :class:`RecordCache` (:meth:`RecordCache.since`)."""

    fresh: dict[str, bytes]
    used: set[str]
    hits: int
    misses: int


class RecordCache:
    """The parsed YAML of the data files of the build in ``folder`` (see the module).

    Parameters
    ----------
    folder : Path
        The build folder; entries are read from its ``.cache/`` and committed
        with the build set.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.name = f"yaml-{code_digest()}"
        self.fresh: dict[str, bytes] = {}  # entries made by this build, pickled
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    @property
    def entries(self) -> Path:
        return self.folder / CACHE_DIR / self.name

    def mark(self) -> Learnt:
        """Where this cache stands now, for :meth:`since`."""
        return Learnt(dict(self.fresh), set(self.used), self.hits, self.misses)

    def since(self, mark: Learnt) -> Learnt:
        """What this cache learnt after ``mark`` (in a forked process, for :meth:`learn`
        in the one it was forked from)."""
        fresh = {k: v for k, v in self.fresh.items() if k not in mark.fresh}
        used = self.used - mark.used
        return Learnt(fresh, used, self.hits - mark.hits, self.misses - mark.misses)

    def learn(self, learnt: Learnt) -> None:
        """Take in what another copy of this cache learnt (:meth:`since`)."""
        self.fresh.update(learnt.fresh)
        self.used |= learnt.used
        self.hits += learnt.hits
        self.misses += learnt.misses

    def read_yaml(self, path: Path) -> Any:
        """:func:`graph.yamlio.read_yaml`, from the cache when the bytes were parsed before."""
        text, data = yamlio.read_text(path, field="yaml")
        key = hashlib.sha256(data).hexdigest()
        self.used.add(key)
        if key not in self.fresh:
            try:
                with (self.entries / f"{key}.pickle").open("rb") as handle:
                    value = _Unpickler(handle).load()
                self.hits += 1
                return value
            except FileNotFoundError:
                pass
            except Exception:  # a damaged or foreign entry is a miss: parsed again
                pass
        value = yamlio.parse_yaml(text, path)  # raises on bad YAML: nothing is kept
        self.misses += 1
        if key not in self.fresh:
            buffer = io.BytesIO()
            pickle.dump(value, buffer, protocol=pickle.HIGHEST_PROTOCOL)
            self.fresh[key] = buffer.getvalue()
        return value

    def commit(self, new_folder: Path) -> None:
        """Update the cache in ``new_folder``, the build set about to be swapped in.

        :func:`graph.buildset.write_set` has carried the old ``.cache/`` into it
        (hard links); this build's entries are added, those it did not use and
        other parsers' folders removed. Other caches kept there stay.
        """
        folder = new_folder / CACHE_DIR
        folder.mkdir(exist_ok=True)
        for entry in os.scandir(folder):
            if entry.name.startswith("yaml-") and entry.name != self.name:
                shutil.rmtree(entry.path, ignore_errors=True)
        target = folder / self.name
        target.mkdir(exist_ok=True)
        for entry in os.scandir(target):
            if entry.name.removesuffix(".pickle") not in self.used or not entry.is_file():
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
        for key, blob in self.fresh.items():
            path = target / f"{key}.pickle"
            path.unlink(missing_ok=True)  # a damaged entry is a link to the old set's file
            path.write_bytes(blob)
