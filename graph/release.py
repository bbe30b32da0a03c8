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

The entailment (the rules, and how it is computed) is :mod:`graph.entailment`;
the entailed lines are ordered by term rank and joined by pyarrow
(:func:`sorted_lines`).

:func:`release_files` returns bytes and writes nothing, so that the build can
serialise every output before it writes the first one; :func:`write_release`
writes them. Depends on :mod:`graph.entailment`, :mod:`graph.namespaces`, :mod:`graph.ontology`,
:mod:`graph.ntriples`, :mod:`graph.claims_table` and :mod:`graph.ontology_html`;
numpy, and pyarrow inside the functions.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import numpy as np
from rdflib import DCAT, DCTERMS, OWL, RDF, RDFS, SKOS, VOID, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import split_uri
from rdflib.term import Identifier, Node

from graph import __version__, ntriples
from graph.entailment import Entailment, Rules, Triple, entailment, unique
from graph.errors import OntologyError
from graph.namespaces import AG, BASE, PREFIXES
from graph.ontology import Ontology, load_ontology
from graph.outputcheck import unparsable

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


# --- the files ----------------------------------------------------------------------
def full_turtle(
    base_turtle: bytes, ontology: Ontology, entailed: Entailment, *, checked: set[str] | None = None
) -> bytes:
    """The base file, the ontology's own text and the entailed triples, as one Turtle file.

    Turtle allows prefixes to be declared again, so each part keeps its own
    declarations; the entailed triples are written one per line, sorted. Should
    an entailed triple hold a blank node (which the parts could not share), the
    whole file is serialised by rdflib instead.

    When written by parts, the file is checked here by its parts, and
    :data:`FULL_FILE` is added to ``checked``: the base part is the caller's
    Turtle (checked as such), the ontology's text is parsed by pyoxigraph's strict
    parser, and each term of the entailed lines must read back as itself
    (:func:`_check_terms`): every line is ``"s p o ."`` of those texts, so the
    lines read back as the entailed triples. Parsing the whole file back instead
    took a tenth of a 10,000-entity build (2.9 million triples, each made a
    Python object to be counted).
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
    terms = [entailed.terms[i] for i in used.tolist()]
    at = np.zeros(len(entailed.terms), np.int64)  # a term's code -> its place in ``used``
    at[used] = np.arange(len(used))
    texts = [_compact_n3(term, ordered) for term in terms]
    header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sorted(spaces.items()) if p)
    ontology_text = ontology.path.read_bytes()  # once: the bytes checked are those written
    if checked is not None:
        _check_ontology_text(ontology_text, ontology.path)
        _check_terms(header, texts, terms)
        checked.add(FULL_FILE)
    return b"".join(
        [
            b"# alliance-graph full release: data, ontology and entailed triples.\n"
            b"# --- data (as alliance-base.ttl) ---\n",
            base_turtle,
            b"\n# --- ontology ---\n",
            ontology_text,
            b"\n# --- entailed by the ontology (graph.release) ---\n",
            header.encode("utf-8"),
            sorted_lines(at[entailed.triples], texts) or b"\n",
        ]
    )


def _check_ontology_text(turtle: bytes, path: Path) -> None:
    """The ontology's text parses alone with pyoxigraph's strict Turtle parser (rdflib,
    which loaded it, takes a few things pyoxigraph refuses, such as a space in an IRI).

    Raises
    ------
    OntologyError
        Naming the ontology file and the line pyoxigraph gives.
    """
    import pyoxigraph as ox

    try:
        for _ in ox.parse(turtle, format=ox.RdfFormat.TURTLE):
            pass
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        raise OntologyError(
            f"does not parse as strict Turtle: {exc}",
            path=path,
            line=line if isinstance(line, int) else None,
            field="turtle",
            hint="the full release (alliance-full.ttl) includes this text as it is",
        ) from exc


def _check_terms(header: str, texts: list[str], terms: list[Node]) -> None:
    """Each Turtle text of ``texts``, under the prefixes ``header`` declares, reads back
    (pyoxigraph, strict) as the term of ``terms`` at its place, in every place the
    full release's lines may put it: an IRI as subject, predicate and object of one
    line, a literal as an object; each line ends as theirs do (``" .\\n"``). The
    expected terms are made by pyoxigraph from each term's parts (IRI; lexical form,
    language tag or datatype), which it checks as its parser does.
    """
    import pyoxigraph as ox

    probe = "<urn:x:s> <urn:x:p> "
    doc: list[str] = [header]
    for text, term in zip(texts, terms, strict=True):
        if isinstance(term, Literal):
            doc.append(f"{probe}{text} .\n")
        else:
            doc.append(f"{text} {text} {text} .\n")
    try:
        got = list(ox.parse("".join(doc).encode("utf-8"), format=ox.RdfFormat.TURTLE))
        s, p = ox.NamedNode(str(_PROBE_S)), ox.NamedNode(str(_PROBE_P))
        datatypes: dict[str, ox.NamedNode] = {}
        want = []
        for term in terms:
            if isinstance(term, Literal):
                if term.language:
                    value = ox.Literal(str(term), language=term.language)
                elif term.datatype is not None:
                    iri = str(term.datatype)
                    datatype = datatypes.get(iri)
                    if datatype is None:
                        datatype = datatypes[iri] = ox.NamedNode(iri)
                    value = ox.Literal(str(term), datatype=datatype)
                else:
                    value = ox.Literal(str(term))
                want.append(ox.Quad(s, p, value))
            else:
                node = ox.NamedNode(str(term))
                want.append(ox.Quad(node, node, node))
    except (SyntaxError, ValueError) as exc:
        raise unparsable(FULL_FILE, exc) from exc
    if got != want:
        bad = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), len(got))
        shown = texts[bad] if bad < len(texts) else "(missing)"
        raise unparsable(FULL_FILE, f"the entailed term {shown} does not read back as itself")


_PROBE_S, _PROBE_P = URIRef("urn:x:s"), URIRef("urn:x:p")


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
    n = len(texts)
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n)
    ranked = rank[rows]
    if n**3 <= np.iinfo(np.int64).max:  # a row's three ranks as one integer: one sort
        keys = np.sort((ranked[:, 0] * n + ranked[:, 1]) * n + ranked[:, 2])
        places = [keys // (n * n), keys // n % n, keys % n]
    else:
        ranked = ranked[np.lexsort((ranked[:, 2], ranked[:, 1], ranked[:, 0]))]
        places = [np.ascontiguousarray(ranked[:, i]) for i in range(3)]
    columns = [  # by rank: in_order[r] is the text of rank r
        pa.array([t + end for t in in_order], pa.large_string()).take(pa.array(place))
        for place, end in zip(places, (" ", " ", " .\n"), strict=True)
    ]
    joined = pc.binary_join_element_wise(*columns, pa.scalar("", pa.large_string()))
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)
    first, last = offsets[joined.offset], offsets[joined.offset + len(joined)]
    return joined.buffers()[2].slice(int(first), int(last - first)).to_pybytes()


def _compact_n3(term: object, spaces: list[tuple[str, str]]) -> str:
    """``prefix:local`` when the local part is plain, else the term's N-Triples form."""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, space in spaces:
            if text.startswith(space):
                local = text[len(space) :]
                if local.replace("_", "a").replace("-", "a").isalnum():
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


def _counted(data: Graph | list[Triple]) -> tuple[dict, dict, set, int, int]:
    """What :func:`void_turtle` counts in the data: the subjects of each class, the first
    object of each ``(source, property)``, the properties, the triples and the distinct
    subjects; from the graph's own indexes when it is a plain in-memory graph
    (:func:`graph.triplestore.plain_indexes`), else in passes over its triples."""
    from graph.triplestore import plain_indexes

    indexes = plain_indexes(data) if isinstance(data, Graph) else None
    if indexes is not None:
        spo, pos = indexes
        by_class = {cls: set(subjects) for cls, subjects in pos.get(RDF.type, {}).items()}
        values = {
            (s, p): next(iter(objects))
            for s in by_class.get(AG.Source, ())
            for p, objects in spo.get(s, {}).items()
        }
        return by_class, values, set(pos), len(data), len(spo)
    triples = list(ntriples.triples(data)) if isinstance(data, Graph) else data
    # Set look-ups, not ==: rdflib compares terms in Python, but hashes them as strings.
    is_type = {RDF.type}
    by_class = defaultdict(set)
    for s, p, o in triples:
        if p in is_type:
            by_class[o].add(s)
    sources = by_class.get(AG.Source, set())
    values = {}
    for s, p, o in triples:
        if s in sources:
            values.setdefault((s, p), o)
    properties = {p for _, p, _ in triples}
    return dict(by_class), values, properties, len(triples), len({s for s, _, _ in triples})


def void_turtle(
    data: Graph | list[Triple], ontology: Ontology, outputs: Mapping[str, bytes]
) -> bytes:
    """A VoID and DCAT description of the dataset; counts computed from the ``data``
    graph (or its triples)."""
    from graph.build import serialize_turtle

    d = Graph()
    by_class, values, properties, triples, subjects = _counted(data)
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
    d.add((DATASET, VOID.triples, Literal(triples)))
    d.add((DATASET, VOID.entities, Literal(len(entities))))
    d.add((DATASET, VOID.distinctSubjects, Literal(subjects)))
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
    # Written as the data's Turtle is (pyoxigraph, sorted): rdflib's Turtle writer took
    # a tenth of the release files' time at 2,000 sources.
    spaces = {p: PREFIXES[p] for p in ("ag", "agid", "dcterms", "xsd", "rdfs")}
    return serialize_turtle(d, {**spaces, "void": str(VOID), "dcat": str(DCAT)})


def _triples_of(graph: Graph, predicates: set[Node]) -> Iterator[Triple]:
    """The triples of ``graph`` whose property is one of ``predicates``: the only ones
    the entailment reads (:meth:`graph.entailment.Rules.predicates`), read from the
    graph's property index when it is a plain in-memory graph."""
    from graph.triplestore import plain_indexes

    indexes = plain_indexes(graph)
    if indexes is None:
        yield from (t for t in ntriples.triples(graph) if t[1] in predicates)
        return
    pos = indexes[1]
    for p in predicates:
        for o, subjects in pos.get(p, {}).items():
            for s in subjects:
                yield s, p, o


def release_files(
    graph: Graph,
    outputs: Mapping[str, bytes],
    *,
    ontology: Ontology | None = None,
    checked: set[str] | None = None,
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
    checked : set of str, optional
        Receives the names of files checked as they were made (see
        :func:`full_turtle`), which :func:`graph.outputcheck.check_outputs` need not parse.
    """
    from graph.build import serialize_turtle
    from graph.claims_table import claims_csv, claims_parquet, claims_table
    from graph.ontology_html import ontology_html

    ontology = ontology or load_ontology()
    base = outputs.get("alliance.ttl") or serialize_turtle(graph)
    rules = Rules(ontology.graph)
    entailed = entailment(
        itertools.chain(_triples_of(graph, rules.predicates()), ontology.graph), rules
    )
    table = claims_table(graph, ontology)
    files = {
        BASE_FILE: base,
        FULL_FILE: full_turtle(base, ontology, entailed, checked=checked),
        CLAIMS_PARQUET: claims_parquet(table),
        CLAIMS_CSV: claims_csv(table),
        ONTOLOGY_HTML: ontology_html(ontology).encode("utf-8"),
    }
    files[VOID_FILE] = void_turtle(graph, ontology, {**outputs, **files})
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
