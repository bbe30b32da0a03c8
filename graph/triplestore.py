"""An rdflib store for one graph built in bulk: three dictionary indexes and nothing else.

rdflib's default ``Memory`` store keeps, for every triple, the contexts it is in
and fires an event per addition, so that a ``Dataset`` of named graphs works:
about 18 µs a triple, most of the time :func:`graph.build.build_graph` took.
A build makes one plain graph, so :class:`TripleIndex` keeps only the
``spo``, ``pos`` and ``osp`` indexes (nested dicts, as rdflib's ``SimpleMemory``
does) and a count, which :func:`len` needs at once (``SimpleMemory`` counts by
iterating). The ``osp`` index, which only a look-up by object alone needs, is
made on first use. ``Graph(store=TripleIndex())`` is an ordinary rdflib graph:
parsing, SPARQL, serialisation and set operations work as on any other. It is
not context-aware: a ``ConjunctiveGraph`` or ``Dataset`` cannot be opened over
it (copy the triples into one: ``Graph() + graph``), which is what
:func:`graph.validate.validate_graph` does before handing a graph to pySHACL.

Depends on rdflib only.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from typing import Any

from rdflib.graph import Graph
from rdflib.store import Store
from rdflib.term import Node, URIRef

_Index = dict[Node, dict[Node, dict[Node, int]]]


def _put(index: _Index, a: Node, b: Node, c: Node) -> bool:
    """Add ``a b c`` to ``index``; whether it was new."""
    inner = index.get(a)
    if inner is None:
        index[a] = {b: {c: 1}}
        return True
    leaf = inner.get(b)
    if leaf is None:
        inner[b] = {c: 1}
    elif c in leaf:
        return False
    else:
        leaf[c] = 1
    return True


def _drop(index: _Index, a: Node, b: Node, c: Node) -> None:
    inner = index[a]
    leaf = inner[b]
    del leaf[c]
    if not leaf:
        del inner[b]
        if not inner:
            del index[a]


class TripleIndex(Store):
    """The triples of one graph in three nested-dict indexes (no contexts, no events).

    >>> from rdflib import Literal, RDFS
    >>> g = Graph(store=TripleIndex())
    >>> _ = g.add((URIRef("urn:a"), RDFS.label, Literal("a")))
    >>> _ = g.add((URIRef("urn:a"), RDFS.label, Literal("a")))
    >>> len(g), list(g.subjects(None, Literal("a")))
    (1, [rdflib.term.URIRef('urn:a')])
    """

    context_aware = False
    formula_aware = False
    graph_aware = False
    transaction_aware = False

    def __init__(self, configuration: str | None = None, identifier: Any = None) -> None:
        super().__init__(configuration)
        self.identifier = identifier
        self.spo: _Index = {}
        self.pos: _Index = {}
        self._osp: _Index | None = None
        self._count = 0
        self._namespace: dict[str, URIRef] = {}
        self._prefix: dict[URIRef, str] = {}

    # --- adding and removing -------------------------------------------------------
    def add_triple(self, s: Node, p: Node, o: Node) -> None:
        """Add one triple (no checks and no event: the bulk path of a build).

        :func:`_put` written out twice, each key hashed once where it can be (a
        literal's hash is a Python method): a build adds every triple here.
        """
        po = self.spo.get(s)
        if po is None:
            self.spo[s] = {p: {o: 1}}
        else:
            objects = po.get(p)
            if objects is None:
                po[p] = {o: 1}
            else:
                size = len(objects)
                objects[o] = 1  # a key already there keeps its place
                if len(objects) == size:
                    return
        self._count += 1
        os_ = self.pos.get(p)
        if os_ is None:
            self.pos[p] = {o: {s: 1}}
        else:
            os_.setdefault(o, {})[s] = 1
        if self._osp is not None:
            _put(self._osp, o, s, p)

    def add(self, triple: Any, context: Any = None, quoted: bool = False) -> None:
        s, p, o = triple
        self.add_triple(s, p, o)

    def addN(self, quads: Iterable[Any]) -> None:  # rdflib's name
        for s, p, o, _ in quads:
            self.add_triple(s, p, o)

    def remove(self, triple: Any, context: Any = None) -> None:
        for (s, p, o), _ in list(self.triples(triple)):
            _drop(self.spo, s, p, o)
            _drop(self.pos, p, o, s)
            if self._osp is not None:
                _drop(self._osp, o, s, p)
            self._count -= 1

    # --- reading ---------------------------------------------------------------------
    @property
    def osp(self) -> _Index:
        """The object index, made on first use."""
        if self._osp is None:
            osp: _Index = {}
            for s, po in self.spo.items():
                for p, objects in po.items():
                    for o in objects:
                        _put(osp, o, s, p)
            self._osp = osp
        return self._osp

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        """The triples matching the pattern (``None`` matches anything). Each level of
        an index is copied as it is read, as rdflib's stores do, so a caller may add or
        remove triples while iterating."""
        s, p, o = triple_pattern
        if s is not None:
            po = self.spo.get(s)
            if po is None:
                return
            predicates: Iterable[Node] = list(po) if p is None else ([p] if p in po else [])
            for pred in predicates:
                objects = po.get(pred, {})
                if o is None:
                    for obj in list(objects):
                        yield (s, pred, obj), iter(())
                elif o in objects:
                    yield (s, pred, o), iter(())
        elif p is not None:
            os_ = self.pos.get(p)
            if os_ is None:
                return
            found: Iterable[Node] = list(os_) if o is None else ([o] if o in os_ else [])
            for obj in found:
                for subj in list(os_.get(obj, {})):
                    yield (subj, p, obj), iter(())
        elif o is not None:
            sp = self.osp.get(o)
            if sp is None:
                return
            for subj, preds in list(sp.items()):
                for pred in list(preds):
                    yield (subj, pred, o), iter(())
        else:
            for subj, po in list(self.spo.items()):
                for pred, objects in list(po.items()):
                    for obj in list(objects):
                        yield (subj, pred, obj), iter(())

    def __len__(self, context: Any = None) -> int:
        return self._count

    def contexts(self, triple: Any = None) -> Generator[Graph, None, None]:
        yield from ()

    # --- prefixes (as rdflib's Memory store keeps them) -----------------------------------
    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        bound_namespace = self._namespace.get(prefix)
        bound_prefix = self._prefix.get(namespace)
        if bound_prefix is None and bound_namespace is not None:
            bound_prefix = self._prefix.get(bound_namespace)
        if override:
            if bound_prefix is not None:
                del self._namespace[bound_prefix]
            if bound_namespace is not None:
                del self._prefix[bound_namespace]
            self._prefix[namespace] = prefix
            self._namespace[prefix] = namespace
        else:
            ns = bound_namespace if bound_namespace is not None else namespace
            pf = bound_prefix if bound_prefix is not None else prefix
            self._prefix[ns] = pf
            self._namespace[pf] = ns

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespace.get(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return self._prefix.get(namespace)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from self._namespace.items()


def plain_indexes(graph: Graph) -> tuple[_Index, _Index] | None:
    """The ``spo`` and ``pos`` dict indexes of a plain graph over a :class:`TripleIndex`
    or rdflib's default store (``index[s][p][o]`` and ``index[p][o][s]``), for readers
    that take every triple at once; ``None`` for any other graph (a ``Dataset``, a
    store of another kind, a store holding several contexts)."""
    store = graph.store
    if type(graph) is not Graph:
        return None
    if isinstance(store, TripleIndex):
        return store.spo, store.pos
    spo = getattr(store, "_Memory__spo", None)
    pos = getattr(store, "_Memory__pos", None)
    if spo is None or pos is None or len(list(store.contexts())) > 1:
        return None
    return spo, pos


def new_graph() -> Graph:
    """An empty rdflib graph over a :class:`TripleIndex`."""
    return Graph(store=TripleIndex())
