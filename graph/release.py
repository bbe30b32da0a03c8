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

:func:`release_files` returns bytes and writes nothing, so that the build can
serialise every output before it writes the first one; :func:`write_release`
writes them. Depends on :mod:`graph.namespaces`, :mod:`graph.ontology`,
:mod:`graph.claims_table` and :mod:`graph.ontology_html`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import DCAT, DCTERMS, OWL, RDF, RDFS, SKOS, VOID, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import split_uri
from rdflib.term import Identifier, Node

from graph import __version__
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

    def one_step(self, triple: Triple) -> Iterable[Triple]:
        """What a single triple entails by the non-transitive rules."""
        s, p, o = triple
        if p in _TYPE:
            for cls in self.super_classes.get(o, ()):
                yield s, _TYPE[0], cls
        for q in self.super_properties.get(p, ()):
            yield s, q, o
        if isinstance(o, Literal):
            return
        if p in self.symmetric:
            yield o, p, s
        for q in self.inverse.get(p, ()):
            yield o, q, s


_TYPE = (RDF.type,)  # a tuple: rdflib's namespace attribute look-up is slow in a loop


def _transitive_closure(edges: set[tuple[Node, Node]]) -> set[tuple[Node, Node]]:
    """Every (a, c) reachable through ``edges`` (pairs): (a, a) only on a cycle.

    Nodes are numbered and what each strongly connected component reaches is one
    integer bit set, computed once per component in reverse topological order
    (networkx's condensation): a search from every node compared rdflib terms
    along every path, minutes for the ``dependsOn`` chains of 10,000 entities.
    """
    import networkx as nx
    import numpy as np

    if not edges:
        return set()
    nodes = list({n for pair in edges for n in pair})
    number = {node: i for i, node in enumerate(nodes)}
    digraph = nx.DiGraph()
    digraph.add_nodes_from(range(len(nodes)))
    digraph.add_edges_from((number[a], number[b]) for a, b in edges)
    dag = nx.condensation(digraph)
    members = {c: sum(1 << n for n in dag.nodes[c]["members"]) for c in dag}
    cyclic = {
        c
        for c in dag
        if len(dag.nodes[c]["members"]) > 1
        or any(digraph.has_edge(n, n) for n in dag.nodes[c]["members"])
    }
    below: dict[int, int] = {}  # component -> the nodes reachable from it by one edge or more
    for c in reversed(list(nx.topological_sort(dag))):
        mask = members[c] if c in cyclic else 0
        for d in dag.successors(c):
            mask |= members[d] | below[d]
        below[c] = mask
    mapping = dag.graph["mapping"]
    terms = np.empty(len(nodes), dtype=object)
    terms[:] = nodes
    size = (len(nodes) + 7) // 8
    reached: dict[int, list[Node]] = {}  # component -> its reachable terms, decoded once
    reach: set[tuple[Node, Node]] = set()
    for a in {a for a, _ in edges}:
        c = mapping[number[a]]
        if c not in reached:
            bits = np.unpackbits(
                np.frombuffer(below[c].to_bytes(size, "little"), dtype=np.uint8), bitorder="little"
            )
            reached[c] = terms[np.flatnonzero(bits)].tolist()
        reach.update(zip(itertools.repeat(a), reached[c]))
    return reach


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
    known = set(triples)
    given = frozenset(known)
    pairs: dict = {p: set() for p in rules.transitive}
    for s, p, o in known:
        if p in pairs and not isinstance(o, Literal):
            pairs[p].add((s, o))
    frontier = list(known)
    while frontier:
        fresh: list[Triple] = []
        while frontier:  # the one-step rules to a fixpoint
            for new in (t for triple in frontier for t in rules.one_step(triple)):
                if new not in known:
                    known.add(new)
                    fresh.append(new)
                    if new[1] in pairs and not isinstance(new[2], Literal):
                        pairs[new[1]].add((new[0], new[2]))
            frontier, fresh = fresh, []
        for prop, edges in pairs.items():
            closed = _transitive_closure(edges)
            for s, o in closed - edges:
                known.add((s, prop, o))
                frontier.append((s, prop, o))
            pairs[prop] = closed
    return known - given


# --- the files ----------------------------------------------------------------------
def full_turtle(base_turtle: bytes, ontology: Ontology, entailed: set[Triple]) -> bytes:
    """The base file, the ontology's own text and the entailed triples, as one Turtle file.

    Turtle allows prefixes to be declared again, so each part keeps its own
    declarations; the entailed triples are written one per line, sorted. Should
    an entailed triple hold a blank node (which the parts could not share), the
    whole file is serialised by rdflib instead.
    """
    if any(isinstance(term, BNode) for t in entailed for term in t):
        whole = Graph()
        whole.parse(data=base_turtle, format="turtle")
        whole += ontology.graph
        for t in entailed:
            whole.add(t)
        return whole.serialize(format="turtle", encoding="utf-8")
    spaces = dict(PREFIXES)
    for prefix, iri in ontology.graph.namespaces():
        spaces.setdefault(prefix, str(iri))
    ordered = sorted(((p, iri) for p, iri in spaces.items() if p), key=lambda x: -len(x[1]))
    written: dict[Node, str] = {}  # a term recurs in many entailed triples: written once

    def compact(term: Node) -> str:
        text = written.get(term)
        if text is None:
            text = written[term] = _compact_n3(term, ordered)
        return text

    lines = sorted(f"{compact(s)} {compact(p)} {compact(o)} ." for s, p, o in entailed)
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
            ("\n".join(lines) + "\n").encode("utf-8"),
        ]
    )


def _compact_n3(term: object, spaces: list[tuple[str, str]]) -> str:
    """``prefix:local`` when the local part is plain, else the term's N-Triples form."""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, space in spaces:
            local = text[len(space) :]
            if text.startswith(space) and local.replace("_", "a").replace("-", "a").isalnum():
                return f"{prefix}:{local}"
    return term.n3()  # type: ignore[attr-defined]


def _vocabularies(triples: Iterable[Triple]) -> list[str]:
    used = {p for _, p, _ in triples} | {o for _, p, o in triples if p == RDF.type}
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
    by_class: dict = defaultdict(set)
    values: dict = {}
    for s, p, o in triples:
        if p == RDF.type:
            by_class[o].add(s)
        values.setdefault((s, p), o)
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
    d.add((DATASET, VOID.properties, Literal(len({p for _, p, _ in triples}))))
    for space in _vocabularies(triples):
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
    triples = list(graph)  # one pass: rdflib's per-node look-ups are slow
    base = outputs.get("alliance.ttl") or serialize_turtle(graph)
    entailed = entail([*triples, *ontology.graph], Rules(ontology.graph))
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
