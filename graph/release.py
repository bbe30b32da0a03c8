"""Release files: what a user takes away from ``build/`` without this package.

Modelled on how ontology projects publish a *base* and a *full* release:

- ``alliance-base.ttl`` — the data alone: the same triples (and bytes) as
  ``alliance.ttl``, under the release name.
- ``alliance-full.ttl`` — the data, the ontology (``ontology/alliance.ttl``
  verbatim, with its comments) and every triple the ontology entails
  by the rules below, so plain rdflib answers ``?a ag:dependsOn+ ?b`` and
  ``?x ag:spouse agid:kishida-fumio`` without a reasoner.
- ``void.ttl`` — a VoID and DCAT description: version, counts, sources,
  rights, and each file of the build as a ``dcat:Distribution``.
- ``claims.parquet`` and ``claims.csv`` — one row per claim
  (:mod:`graph.claims_table` documents the columns).
- ``ontology.html`` — the ontology as one offline HTML page
  (:mod:`graph.ontology_html`).

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
components and bit sets), and the entailed lines are ordered by term rank and
joined by pyarrow (:func:`sorted_lines`): at 10,000 entities the entailment holds
millions of triples, too many for one Python object each.

:func:`release_files` returns bytes and writes nothing, so that the build can
serialise every output before it writes the first one; :func:`write_release`
writes them. Depends on :mod:`graph.namespaces`, :mod:`graph.ontology`,
:mod:`graph.ntriples`, :mod:`graph.claims_table` and :mod:`graph.ontology_html`;
numpy, and pyarrow inside the functions.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
from rdflib import DCAT, DCTERMS, OWL, RDF, RDFS, SKOS, VOID, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import split_uri
from rdflib.term import Identifier, Node

from graph import __version__, ntriples
from graph.namespaces import AG, BASE, PREFIXES
from graph.ontology import Ontology, load_ontology

# As rdflib types the triples of a graph (each term an rdflib Node).
Triple = tuple[Node, Node, Node]

#: The release files and what they are.
BASE_FILE, FULL_FILE, VOID_FILE = "alliance-base.ttl", "alliance-full.ttl", "void.ttl"
CLAIMS_PARQUET, CLAIMS_CSV, ONTOLOGY_HTML = "claims.parquet", "claims.csv", "ontology.html"

#: What the project's README says of the rights in the data (the code is Apache-2.0).
DATA_RIGHTS = (
    "Source texts are quoted as evidence; their rights stay with their authors. "
    "The code that builds this dataset is licensed Apache-2.0."
)
DATASET = URIRef(BASE + "dataset")
RELEASE = BASE + "release/"

_IANA = "https://www.iana.org/assignments/media-types/"
#: Media types of the build's files, by file-name ending.
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".html": "text/html",
    ".csv": "text/csv",
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
}
_DESCRIPTIONS = {
    "alliance.ttl": "The data alone, as Turtle (the same triples as alliance-base.ttl).",
    "alliance.jsonld": "The data alone, as JSON-LD.",
    "alliance.nt": "The data alone, as sorted N-Triples.",
    BASE_FILE: "The data alone (base release).",
    FULL_FILE: "The data, the ontology and their entailments (full release): "
    "ag:dependsOn closed transitively, symmetric and inverse properties stated "
    "both ways, rdf:type and rdfs:subPropertyOf closed.",
    CLAIMS_PARQUET: "One row per claim with its qualifiers, quote and source, sorted by date.",
    CLAIMS_CSV: "One row per claim with its qualifiers, quote and source, sorted by date.",
    ONTOLOGY_HTML: "The ontology's documentation.",
    "explorer.html": "The offline explorer.",
}


# --- entailment ---------------------------------------------------------------------
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


# --- the files ----------------------------------------------------------------------
def full_turtle(base_turtle: bytes, ontology: Ontology, entailed: Entailment) -> bytes:
    """The base file, the ontology's own text and the entailed triples, as one Turtle file.

    Turtle allows prefixes to be declared again, so each part keeps its own
    declarations; the entailed triples are written one per line, sorted. Should
    an entailed triple hold a blank node (which the parts could not share), the
    whole file is serialised by rdflib instead.
    """
    used = unique(entailed.triples)
    if any(isinstance(entailed.terms[i], BNode) for i in used.tolist()):
        whole = Graph()
        whole.parse(data=base_turtle, format="turtle")
        whole += ontology.graph
        for t in entailed.as_set():
            whole.add(t)
        return whole.serialize(format="turtle", encoding="utf-8")
    spaces = dict(PREFIXES)
    for prefix, iri in ontology.graph.namespaces():
        spaces.setdefault(prefix, str(iri))
    ordered = sorted(((p, iri) for p, iri in spaces.items() if p), key=lambda x: -len(x[1]))
    texts = [_compact_n3(entailed.terms[i], ordered) for i in used.tolist()]
    header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sorted(spaces.items()) if p)
    return b"".join(
        [
            b"# alliance-graph full release: data, ontology and entailed triples.\n"
            b"# --- data (as alliance-base.ttl) ---\n",
            base_turtle,
            b"\n# --- ontology ---\n",
            ontology.path.read_bytes(),
            b"\n# --- entailed by the ontology (graph.release) ---\n",
            header.encode("utf-8"),
            sorted_lines(np.searchsorted(used, entailed.triples), texts) or b"\n",
        ]
    )


def sorted_lines(rows: np.ndarray, texts: list[str]) -> bytes:
    """The lines ``"s p o ."`` of the ``(n, 3)`` array ``rows`` of indices into ``texts``,
    each ended by ``\\n``, in code-point order, as UTF-8.

    The rows are ordered by the ranks of their terms' texts: the same order as the
    lines' unless one text is another's prefix followed by a space or a control
    character, which no N-Triples or Turtle term is (the lines are then sorted as
    strings). The lines are put together by pyarrow, not one Python string each.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(rows):
        return b""
    order = sorted(range(len(texts)), key=texts.__getitem__)
    in_order = [texts[i] for i in order]
    if any(
        b.startswith(a) and len(b) > len(a) and b[len(a)] <= " "
        for a, b in itertools.pairwise(in_order)
    ):
        lines = sorted(f"{texts[s]} {texts[p]} {texts[o]} .\n" for s, p, o in rows.tolist())
        return "".join(lines).encode("utf-8")
    rank = np.empty(len(texts), np.int64)
    rank[order] = np.arange(len(texts))
    ranked = rank[rows]
    rows = rows[np.lexsort((ranked[:, 2], ranked[:, 1], ranked[:, 0]))]
    columns = [
        pa.array([t + end for t in texts], pa.large_string()).take(pa.array(rows[:, i]))
        for i, end in enumerate((" ", " ", " .\n"))
    ]
    joined = pc.binary_join_element_wise(*columns, pa.scalar("", pa.large_string()))
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)
    first, last = offsets[joined.offset], offsets[joined.offset + len(joined)]
    return joined.buffers()[2].to_pybytes()[first:last]


def _compact_n3(term: object, spaces: list[tuple[str, str]]) -> str:
    """``prefix:local`` when the local part is plain, else the term's N-Triples form."""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, space in spaces:
            local = text[len(space) :]
            if text.startswith(space) and local.replace("_", "a").replace("-", "a").isalnum():
                return f"{prefix}:{local}"
    return term.n3()  # type: ignore[attr-defined]


def _vocabularies(used: Iterable[Node]) -> list[str]:
    spaces = set()
    for iri in used:
        try:
            spaces.add(split_uri(str(iri))[0])
        except ValueError:
            continue
    return sorted(spaces)


def void_turtle(triples: list[Triple], ontology: Ontology, outputs: Mapping[str, bytes]) -> bytes:
    """A VoID and DCAT description of the dataset; counts computed from the data ``triples``."""
    d = Graph()
    for prefix in ("ag", "agid", "dcterms", "xsd", "rdfs"):
        d.bind(prefix, PREFIXES[prefix])
    d.bind("void", VOID)
    d.bind("dcat", DCAT)
    # Set look-ups, not ==: rdflib compares terms in Python, but hashes them as strings.
    is_type = {RDF.type}
    by_class: dict = defaultdict(set)
    for s, p, o in triples:
        if p in is_type:
            by_class[o].add(s)
    sources = by_class.get(AG.Source, set())
    values: dict = {}
    for s, p, o in triples:
        if s in sources:
            values.setdefault((s, p), o)
    properties = {p for _, p, _ in triples}
    entity_classes = {c.iri for c in ontology.entity_classes().values()}
    entities = set().union(*(by_class[c] for c in entity_classes if c in by_class))
    d.add((DATASET, RDF.type, VOID.Dataset))
    d.add((DATASET, RDF.type, DCAT.Dataset))
    d.add((DATASET, DCTERMS.title, Literal("alliance-graph", lang="en")))
    comment = ontology.graph.value(URIRef(BASE + "ontology"), RDFS.comment)
    if comment is not None:
        d.add((DATASET, DCTERMS.description, comment))
    d.add((DATASET, URIRef(str(DCAT) + "version"), Literal(__version__)))  # DCAT 3
    d.add((DATASET, OWL.versionInfo, Literal(__version__)))
    d.add((DATASET, DCTERMS.rights, Literal(DATA_RIGHTS, lang="en")))
    d.add((DATASET, DCTERMS.conformsTo, URIRef(BASE + "ontology")))
    d.add((DATASET, VOID.triples, Literal(len(triples))))
    d.add((DATASET, VOID.entities, Literal(len(entities))))
    d.add((DATASET, VOID.distinctSubjects, Literal(len({s for s, _, _ in triples}))))
    d.add((DATASET, VOID.properties, Literal(len(properties))))
    for space in _vocabularies(properties | set(by_class)):
        d.add((DATASET, VOID.vocabulary, URIRef(space)))
    for cls in sorted(by_class, key=str):
        part = URIRef(f"{DATASET}/class/{split_uri(cls)[1]}")
        d.add((DATASET, VOID.classPartition, part))
        d.add((part, VOID["class"], cls))
        d.add((part, VOID.entities, Literal(len(by_class[cls]))))
    for source in sorted(by_class.get(AG.Source, ()), key=str):
        d.add((DATASET, DCTERMS.source, source))
        for prop in (DCTERMS.title, DCTERMS.publisher, DCTERMS.issued, DCTERMS.rights):
            if (source, prop) in values:
                d.add((source, prop, values[source, prop]))
        if (source, SKOS.exactMatch) in values:
            d.add((source, DCAT.landingPage, values[source, SKOS.exactMatch]))
    # A parsed graph's terms are all Identifiers (ordered); rdflib types them as Node.
    licences = sorted(
        o
        for o in ontology.graph.objects(URIRef(BASE + "ontology"), DCTERMS.license)
        if isinstance(o, Identifier)
    )
    for name in sorted(outputs):
        media = MEDIA_TYPES.get(Path(name).suffix)
        if media is None:
            continue
        dist = URIRef(RELEASE + name)
        d.add((DATASET, DCAT.distribution, dist))
        d.add((dist, RDF.type, DCAT.Distribution))
        d.add((dist, DCTERMS.title, Literal(name)))
        d.add((dist, DCAT.mediaType, URIRef(_IANA + media)))
        d.add((dist, DCAT.byteSize, Literal(len(outputs[name]), datatype=XSD.nonNegativeInteger)))
        if name in _DESCRIPTIONS:
            d.add((dist, DCTERMS.description, Literal(_DESCRIPTIONS[name], lang="en")))
        if name == ONTOLOGY_HTML:  # the ontology declares its licence; the data has rights
            for licence in licences:
                d.add((dist, DCTERMS.license, licence))
    for licence in licences:
        d.add((URIRef(BASE + "ontology"), DCTERMS.license, licence))
    return d.serialize(format="turtle", encoding="utf-8")


def release_files(
    graph: Graph, outputs: Mapping[str, bytes], *, ontology: Ontology | None = None
) -> dict[str, bytes]:
    """The release files of the data ``graph``, as bytes by file name; writes nothing.

    Parameters
    ----------
    graph : rdflib.Graph
        The built data graph (entities, facts, claims, sources).
    outputs : mapping of str to bytes
        The build's other files by name; ``alliance.ttl`` is reused as the base
        file (serialised here when absent), and every file is described in
        ``void.ttl`` with its size.
    ontology : Ontology, optional
        The shipped ontology by default.
    """
    from graph.build import serialize_turtle
    from graph.claims_table import claims_csv, claims_parquet, claims_table
    from graph.ontology_html import ontology_html

    ontology = ontology or load_ontology()
    triples = list(ntriples.triples(graph))  # one pass: rdflib's per-node look-ups are slow
    base = outputs.get("alliance.ttl") or serialize_turtle(graph)
    entailed = entailment([*triples, *ontology.graph], Rules(ontology.graph))
    table = claims_table(triples, ontology)
    files = {
        BASE_FILE: base,
        FULL_FILE: full_turtle(base, ontology, entailed),
        CLAIMS_PARQUET: claims_parquet(table),
        CLAIMS_CSV: claims_csv(table),
        ONTOLOGY_HTML: ontology_html(ontology).encode("utf-8"),
    }
    files[VOID_FILE] = void_turtle(triples, ontology, {**outputs, **files})
    return files


def write_release(
    folder: Path,
    graph: Graph,
    outputs: Mapping[str, bytes] | None = None,
    *,
    ontology: Ontology | None = None,
) -> list[Path]:
    """Compute every release file, then write each atomically into ``folder``."""
    from graph.build import write_atomic

    files = release_files(graph, outputs or {}, ontology=ontology)
    paths = []
    for name, data in files.items():
        write_atomic(folder / name, data)
        paths.append(folder / name)
    return paths
