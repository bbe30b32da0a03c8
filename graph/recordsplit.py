"""The sources' claims files read and checked on two cores.

A source's claims are checked against the entities, the ontology and its own text
only, so the records stage can split the claims files between two processes:
:func:`in_two` gives one half to a forked process (:mod:`graph.parallel`) while the
caller does the other, and returns each file's result by its place, so that the
caller puts them back in file order, as one process would have made them. What the
other side's YAML cache learnt comes back with its results
(:meth:`graph.buildcache.RecordCache.since`). Each claim's
:class:`~graph.ontology.OntProperty` crosses as its name and is read back as the
caller's own object.

At 10,000 entities and 50,000 claims (9 MB of claims files, YAML not cached), the
claims took 2.75-3.50 s on two cores against 4.25-4.47 s in one process.
Depends on :mod:`graph.parallel` and :mod:`graph.ontology`.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from graph.ontology import Ontology, OntProperty

if TYPE_CHECKING:
    from graph.buildcache import Learnt, RecordCache

T = TypeVar("T")

#: Claims files of at least this many bytes in all are split (below it, the work is
#: not worth a process).
PARALLEL_CLAIM_BYTES = 1 << 20


def size(path: Path) -> int:
    """The file's size, 0 if it cannot be read (reading it reports why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def worth_splitting(sizes: Sequence[int]) -> bool:
    """Two cores to be had (:func:`graph.parallel.forking`, which refuses a bad
    ``ALLIANCE_GRAPH_JOBS`` whatever the size), two files or more, and
    :data:`PARALLEL_CLAIM_BYTES` of them."""
    from graph.parallel import forking

    return forking() and len(sizes) >= 2 and sum(sizes) >= PARALLEL_CLAIM_BYTES


def halves(sizes: Sequence[int]) -> tuple[list[int], list[int]]:
    """The places of the files in two halves of about equal bytes, each in order."""
    sides: tuple[list[int], list[int]] = ([], [])
    load = [0, 0]
    for i in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        side = 0 if load[0] <= load[1] else 1
        sides[side].append(i)
        load[side] += sizes[i]
    return sorted(sides[0]), sorted(sides[1])


def in_two(
    sizes: Sequence[int],
    work: Callable[[list[int]], dict[int, T]],
    ontology: Ontology,
    cache: RecordCache | None,
) -> dict[int, T]:
    """``work`` of every file's place, by place: one half here, the other beside."""
    from graph.parallel import beside

    mine, theirs = halves(sizes)
    with beside(_ship, work, theirs, ontology, cache) as other:
        kept = work(mine)
        done, learnt = _PropertyUnpickler(io.BytesIO(other.result()), ontology).load()
        # Done here when no process could be had: the cache has learnt it already.
        if cache is not None and learnt is not None and other.forked:
            cache.learn(learnt)
    kept.update(done)
    return kept


def _ship(
    work: Callable[[list[int]], dict[int, Any]],
    which: list[int],
    ontology: Ontology,
    cache: RecordCache | None,
) -> bytes:
    """In the forked process: ``work(which)`` and what the cache learnt meanwhile,
    pickled with each property as its name (:class:`_PropertyPickler`)."""
    mark = cache.mark() if cache is not None else None
    done = work(which)
    learnt: Learnt | None = cache.since(mark) if cache is not None and mark is not None else None
    buffer = io.BytesIO()
    _PropertyPickler(buffer, ontology).dump((done, learnt))
    return buffer.getvalue()


def _property_named(name: str) -> OntProperty:
    """Stands for a property in :class:`_PropertyPickler`'s pickles; only
    :class:`_PropertyUnpickler`, which knows the ontology, reads them."""
    raise pickle.UnpicklingError(f"the property {name!r} is read with its ontology")


class _PropertyPickler(pickle.Pickler):
    """Pickles a claim's :class:`~graph.ontology.OntProperty` as its name: the process
    that loads it reads the name back as its own ontology's property (one object per
    property, as the claims it made itself have). A reducer, not a persistent id, which
    Python would ask about every object pickled (three times as long)."""

    def __init__(self, file: Any, ontology: Ontology) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.properties = ontology.properties

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is OntProperty and self.properties.get(obj.name) is obj:
            return _property_named, (obj.name,)
        return NotImplemented


class _PropertyUnpickler(pickle.Unpickler):
    def __init__(self, file: Any, ontology: Ontology) -> None:
        super().__init__(file)
        self.properties = ontology.properties

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (__name__, _property_named.__name__):
            return self.properties.__getitem__
        return super().find_class(module, name)
