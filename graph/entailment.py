"""The entailment of the full release: the triples the ontology's rules add to the data.

The entailment is a fixed set of rules, read from the ontology and applied to
the data and the ontology together until nothing new follows — nothing else
is added (no domain or range typing, no equivalences):

- ``rdfs:subClassOf``: ``x a C``, ``C rdfs:subClassOf+ D`` ⇒ ``x a D``;
- ``rdfs:subPropertyOf``: ``x p y``, ``p rdfs:subPropertyOf+ q`` ⇒ ``x q y``;
- ``owl:SymmetricProperty`` ``p``: ``x p y`` ⇒ ``y p x``;
- ``owl:inverseOf`` (either way round): ``x p y`` ⇒ ``y q x``;
- ``owl:TransitiveProperty`` ``p`` (``ag:dependsOn``), and ``rdfs:subClassOf``
  and ``rdfs:subPropertyOf`` themselves: the transitive closure.

:func:`entailment` works on integer codes (each term coded once, each property's
pairs one numpy array of keys; :func:`transitive_closure` by strongly connected
components and bit sets): at 10,000 entities the entailment holds millions of
triples, too many for one Python object each.

Depends on rdflib and numpy only (:mod:`graph.release` writes the triples).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

# As rdflib types the triples of a graph (each term an rdflib Node).
Triple = tuple[Node, Node, Node]


class Rules:
    """The entailment rules the ontology declares (see the module docstring)."""

    def __init__(self, ontology: Graph) -> None:
        def closure(prop: URIRef) -> dict[Node, set[Node]]:
            return {
                s: {o for o in ontology.transitive_objects(s, prop) if o is not None and o != s}
                for s in set(ontology.subjects(prop, None))
            }

        self.super_classes = closure(RDFS.subClassOf)
        self.super_properties = closure(RDFS.subPropertyOf)
        self.symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
        self.inverse: dict[Node, set[Node]] = defaultdict(set)
        for p, q in ontology.subject_objects(OWL.inverseOf):
            self.inverse[p].add(q)
            self.inverse[q].add(p)
        self.transitive = set(ontology.subjects(RDF.type, OWL.TransitiveProperty))
        self.transitive |= {RDFS.subClassOf, RDFS.subPropertyOf}

    def predicates(self) -> set[Node]:
        """Every property a rule reads or writes: triples of other properties neither
        entail anything nor can be entailed."""
        found: set[Node] = {RDF.type, *self.symmetric, *self.transitive}
        for p, qs in [*self.super_properties.items(), *self.inverse.items()]:
            found |= {p, *qs}
        return found


class Entailment:
    """Entailed triples as integer codes: ``terms[i]`` is the term coded ``i`` and row
    ``k`` of ``triples`` (an ``(n, 3)`` int64 array) one entailed triple."""

    def __init__(self, terms: list[Node], triples: np.ndarray) -> None:
        self.terms, self.triples = terms, triples

    def __len__(self) -> int:
        return len(self.triples)

    def as_set(self) -> set[Triple]:
        """The triples as rdflib terms."""
        t = self.terms
        return {(t[s], t[p], t[o]) for s, p, o in self.triples.tolist()}


_EMPTY = np.empty(0, np.int64)


def unique(values: np.ndarray) -> np.ndarray:
    """The distinct ``values``, sorted: ``np.unique`` by sorting (numpy 2's hashing
    ``np.unique`` is many times slower on millions of integers)."""
    ordered = np.sort(values, axis=None)
    if ordered.size < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _new(keys: np.ndarray, known: np.ndarray | None) -> np.ndarray:
    """The distinct ``keys`` not in the sorted distinct ``known``, sorted."""
    keys = unique(keys)
    if known is None or not known.size or not keys.size:
        return keys
    at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
    return keys[known[at] != keys]


def strong_components(n: int, src: np.ndarray, dst: np.ndarray) -> list[int]:
    """The strongly connected component of each node ``0 .. n-1`` of the edges
    ``src[i] → dst[i]``, numbered so that an edge between two components goes from
    the higher number to the lower (Tarjan's algorithm, iterative).

    >>> strong_components(4, np.array([0, 1, 2]), np.array([1, 2, 1]))
    [1, 0, 0, 2]
    """
    order = np.argsort(src, kind="stable")
    targets = dst[order].tolist()
    start = np.searchsorted(src[order], np.arange(n + 1)).tolist()
    index, low = [-1] * n, [0] * n
    on_stack = [False] * n
    component = [-1] * n
    stack: list[int] = []
    counter = found = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, start[root])]
        while work:
            v, i = work[-1]
            end = start[v + 1]
            descended = False
            while i < end:
                w = targets[i]
                i += 1
                if index[w] < 0:
                    work[-1] = (v, i)
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, start[w]))
                    descended = True
                    break
                if on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            if descended:
                continue
            work.pop()
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component[w] = found
                    if w == v:
                        break
                found += 1
            if work:
                u = work[-1][0]
                if low[v] < low[u]:
                    low[u] = low[v]
    return component


def transitive_closure(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``(a, c)`` of integer nodes such that ``c`` is reachable from ``a``
    through the edges ``src[i] → dst[i]`` by one edge or more (so ``(a, a)`` only
    on a cycle or a self-loop), as two arrays, unsorted, without repeats.

    What each strongly connected component reaches is one integer bit set over
    the nodes, made once per component, successors first, and decoded once per
    component that has an edge out.

    >>> a, c = transitive_closure(np.array([1, 2, 3]), np.array([2, 3, 2]))
    >>> sorted(zip(a.tolist(), c.tolist()))
    [(1, 2), (1, 3), (2, 2), (2, 3), (3, 2), (3, 3)]
    """
    if len(src) == 0:
        return _EMPTY, _EMPTY
    ends = np.concatenate([src, dst])
    nodes = unique(ends)
    local = np.searchsorted(nodes, ends)
    a, b = local[: len(src)], local[len(src) :]
    n = len(nodes)
    comp = np.asarray(strong_components(n, a, b), dtype=np.int64)
    count = int(comp.max()) + 1
    cyclic = np.bincount(comp, minlength=count) > 1
    cyclic[comp[a[a == b]]] = True
    members = [0] * count
    for node, c in enumerate(comp.tolist()):
        members[c] |= 1 << node
    ca, cb = comp[a], comp[b]
    between = unique((ca * count + cb)[ca != cb])  # sorted by source component
    heads, tails = (between // count).tolist(), (between % count).tolist()
    below = [0] * count  # component -> the nodes reachable from it by one edge or more
    k = 0
    for c, cycle in enumerate(cyclic.tolist()):  # successors have lower numbers: done
        mask = members[c] if cycle else 0
        while k < len(heads) and heads[k] == c:
            d = tails[k]
            mask |= members[d] | below[d]
            k += 1
        below[c] = mask
    size = (n + 7) // 8
    sources = unique(a)
    reached: dict[int, np.ndarray] = {}  # component -> the nodes it reaches, decoded once
    parts = []
    for c in comp[sources].tolist():
        found = reached.get(c)
        if found is None:
            bits = np.frombuffer(below[c].to_bytes(size, "little"), dtype=np.uint8)
            found = reached[c] = np.flatnonzero(np.unpackbits(bits, bitorder="little"))
        parts.append(found)
    counts = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
    return nodes[np.repeat(sources, counts)], nodes[np.concatenate(parts)]


def _expand(keys: np.ndarray, starts: np.ndarray, ends: np.ndarray, values: np.ndarray):
    """For each ``k``, the ``values[starts[k]:ends[k]]`` with ``keys[k]`` repeated."""
    counts = ends - starts
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    return np.repeat(keys, counts), values[offsets + np.arange(total)]


def entailment(triples: Iterable[Triple], rules: Rules) -> Entailment:
    """The triples ``rules`` add to ``triples`` (closed: nothing more follows), coded.

    Each term is coded once as an integer; the triples of each property the rules
    touch are one array of ``subject * n + object`` keys, and each rule maps the
    keys new in one round to candidate keys of the next, until none is new.
    """
    relevant = rules.predicates()
    ids: dict[Node, int] = {}
    code = ids.setdefault
    rows: list[tuple[int, int, int]] = []
    for subject, prop, obj in triples:
        if prop in relevant:
            rows.append((code(subject, len(ids)), code(prop, len(ids)), code(obj, len(ids))))
    rule_terms = [*relevant, *itertools.chain.from_iterable(rules.super_classes.values())]
    for term in [*rule_terms, *rules.super_classes]:
        code(term, len(ids))
    terms = list(ids)
    n = len(terms)
    literal = np.fromiter((isinstance(t, Literal) for t in terms), dtype=bool, count=n)

    def coded(many: Iterable[Node]) -> list[int]:
        return [ids[t] for t in many]

    type_id = ids[RDF.type]
    sup_start = np.zeros(n, np.int64)
    sup_end = np.zeros(n, np.int64)
    sup_values: list[int] = []
    for cls, supers in rules.super_classes.items():
        sup_start[ids[cls]] = len(sup_values)
        sup_values += coded(supers)
        sup_end[ids[cls]] = len(sup_values)
    sup_array = np.asarray(sup_values, dtype=np.int64)
    super_props = {ids[p]: coded(qs) for p, qs in rules.super_properties.items()}
    inverse = {ids[p]: coded(qs) for p, qs in rules.inverse.items()}
    symmetric = set(coded(rules.symmetric))
    transitive = set(coded(rules.transitive))

    given = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
    known: dict[int, np.ndarray] = {}
    for p in unique(given[:, 1]).tolist():
        chosen = given[given[:, 1] == p]
        known[p] = unique(chosen[:, 0] * n + chosen[:, 2])
    delta = dict(known)  # the keys new in the last round, by property
    close = transitive & known.keys()  # properties whose keys may no longer be closed
    added: dict[int, list[np.ndarray]] = defaultdict(list)
    while delta or close:
        candidates: dict[int, list[np.ndarray]] = defaultdict(list)
        for p, keys in delta.items():
            s, o = keys // n, keys % n
            if p == type_id:
                cs, co = _expand(s, sup_start[o], sup_end[o], sup_array)
                candidates[p].append(cs * n + co)
            for q in super_props.get(p, ()):
                candidates[q].append(keys)
            node = ~literal[o]
            swapped = o[node] * n + s[node]
            if p in symmetric:
                candidates[p].append(swapped)
            for q in inverse.get(p, ()):
                candidates[q].append(swapped)
        closed = {}
        for p in close:
            pairs = known[p][~literal[known[p] % n]]
            a, c = transitive_closure(pairs // n, pairs % n)
            closed[p] = _new(a * n + c, known[p])
        delta, close = {}, set()
        for q in candidates.keys() | closed.keys():
            parts = candidates.get(q)
            fresh = _new(np.concatenate(parts), known.get(q)) if parts else _EMPTY
            if q in transitive and _new(fresh, closed.get(q)).size:
                close.add(q)  # one-step conclusions the closure did not hold
            if q in closed:
                fresh = unique(np.concatenate([fresh, closed[q]]))
            if fresh.size:
                known[q] = fresh if q not in known else np.sort(np.concatenate([known[q], fresh]))
                delta[q] = fresh
                added[q].append(fresh)
    blocks = [
        np.column_stack([keys // n, np.full(len(keys), p, np.int64), keys % n])
        for p, parts in added.items()
        for keys in parts
    ]
    return Entailment(terms, np.concatenate(blocks) if blocks else np.empty((0, 3), np.int64))


def entail(triples: Iterable[Triple], rules: Rules) -> set[Triple]:
    """The triples ``rules`` add to ``triples`` (closed: nothing more follows).

    >>> from rdflib import Graph, Namespace
    >>> EX = Namespace("http://example.org/")
    >>> onto = Graph()
    >>> _ = onto.add((EX.buildsOn, RDFS.subPropertyOf, EX.dependsOn))
    >>> _ = onto.add((EX.dependsOn, RDF.type, OWL.TransitiveProperty))
    >>> data = [(EX.a, EX.buildsOn, EX.b), (EX.b, EX.dependsOn, EX.c)]
    >>> sorted(str(s)[-1] + str(o)[-1] for s, p, o in entail(data, Rules(onto)))
    ['ab', 'ac']
    """
    return entailment(triples, rules).as_set()
