"""The SHACL shapes compiled to plain Python checks over rdflib's index, run once.

pySHACL evaluates every constraint once per focus node through layers of
Python objects (about 6 ms per claim: 5 minutes for 50,000 claims). The shapes
of ``ontology/shapes.ttl`` use a small part of SHACL Core; each property shape
becomes a few closures applied to the values of each focus node, read straight
from rdflib's in-memory index: under a second for 50,000 claims. The report
lines are those pySHACL gives (focus node, path, the shape's ``sh:message``,
the offending value where SHACL reports one), which
``tests/test_validate_speed.py`` checks against pySHACL itself.

:func:`compile_shapes` returns ``None`` for shapes that use anything outside
the supported subset (other targets, SPARQL constraints, rules, ``sh:node``,
``sh:closed``, a property shape without ``sh:message`` …): the caller then
falls back to pySHACL, so a new kind of shape is never silently skipped.

Supported: ``sh:targetClass`` node shapes whose constraints are property
shapes with an IRI ``sh:path`` and a ``sh:message``, and in those
``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:nodeKind``,
``sh:class``, ``sh:minLength``, ``sh:maxLength``, ``sh:in``, ``sh:languageIn``,
``sh:or`` (of shapes built from these) and ``sh:qualifiedValueShape`` with
``sh:qualifiedMinCount``/``sh:qualifiedMaxCount``.
Depends on rdflib (and pyoxigraph for :func:`oxigraph_store`) only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from graph.triplestore import plain_indexes

_NODE_KEYS = {RDF.type, SH.targetClass, SH.property, RDFS.comment, RDFS.label}
_VALUE_KEYS = {
    SH.datatype,
    SH.nodeKind,
    SH["class"],
    SH.minLength,
    SH.maxLength,
    SH["in"],
    SH.languageIn,
    SH["or"],
    RDF.type,
    RDFS.comment,
}
_PROPERTY_KEYS = _VALUE_KEYS | {
    SH.path,
    SH.message,
    SH.minCount,
    SH.maxCount,
    SH.name,
    SH.description,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
}
_NODE_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}
#: What a well-formed literal of these datatypes turns into in Python (as pySHACL checks).
_PYTHON_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: str,
    RDF.langString: str,
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
}
_STRINGS = (None, RDF.langString, XSD.string)

_EMPTY: dict[Node, Any] = {}


class Unsupported(Exception):
    """A shape uses a SHACL feature this module does not translate."""


Test = Callable[["_Index", Node], bool]


def _one(shapes: Graph, node: Node, key: URIRef) -> Node | None:
    values = list(shapes.objects(node, key))
    if len(values) > 1:
        raise Unsupported(f"{node} has several {key}")
    return values[0] if values else None


def _int(node: Node | None) -> int | None:
    if node is None:
        return None
    if not isinstance(node, Literal) or not isinstance(node.value, int) or node.value < 0:
        raise Unsupported(f"{node} is not a count")
    return int(node.value)


def _list(shapes: Graph, node: Node) -> list[Node]:
    return list(Collection(shapes, node))


class _Index:
    """Look-ups over the data graph and the ontology, as pySHACL sees them mixed."""

    def __init__(self, graphs: Iterable[Graph]) -> None:
        self.spo: list[dict[Node, dict[Node, Any]]] = []
        self.pos: list[dict[Node, dict[Node, Any]]] = []
        for graph in graphs:
            indexes = plain_indexes(graph)
            if indexes is not None:
                spo, pos = indexes
            else:
                spo, pos = {}, {}
                for s, p, o in graph:
                    spo.setdefault(s, {}).setdefault(p, {})[o] = 1
                    pos.setdefault(p, {}).setdefault(o, {})[s] = 1
            self.spo.append(spo)
            self.pos.append(pos)
        self._subclasses: dict[Node, set[Node]] = {}

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        # Called once per focus node and shape: the usual case (one graph holds the
        # subject) without building a merged dict.
        parts = [
            found
            for spo in self.spo
            if (found := spo.get(subject, _EMPTY).get(predicate)) is not None
        ]
        if len(parts) == 1:
            return list(parts[0])
        return list(dict.fromkeys(o for part in parts for o in part))

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        found: dict[Node, int] = {}
        for pos in self.pos:
            found.update(pos.get(predicate, {}).get(obj, {}))
        return list(found)

    def subclasses(self, cls: Node) -> set[Node]:
        """``cls`` and every class below it (rdfs:subClassOf*)."""
        if cls not in self._subclasses:
            seen, todo = {cls}, [cls]
            while todo:
                for sub in self.subjects(RDFS.subClassOf, todo.pop()):
                    if sub not in seen:
                        seen.add(sub)
                        todo.append(sub)
            self._subclasses[cls] = seen
        return self._subclasses[cls]

    def instances(self, cls: Node) -> list[Node]:
        found: dict[Node, int] = {}
        for sub in self.subclasses(cls):
            found.update(dict.fromkeys(self.subjects(RDF.type, sub), 1))
        return list(found)

    def is_instance(self, node: Node, cls: Node) -> bool:
        classes = self.subclasses(cls)
        return any(t in classes for t in self.objects(node, RDF.type))


def _tests(shapes: Graph, node: Node, ignore: Iterable[URIRef] = ()) -> list[Test]:
    """Each value constraint of ``node`` as a test of one value (True: conforms)."""
    keys = set(shapes.predicates(node)) - set(ignore) - {RDF.type, RDFS.comment}
    return [
        _test(shapes, key, _one(shapes, node, key))  # type: ignore[arg-type]
        for key in sorted(keys, key=str)
    ]


def _test(shapes: Graph, key: Node, value: Node) -> Test:
    """One value constraint (``key value``) as a test of one value."""
    if key == SH.datatype:
        return _datatype(value)  # type: ignore[arg-type]
    if key == SH.nodeKind:
        if value not in _NODE_KINDS:
            raise Unsupported(f"node kind {value}")
        kinds = _NODE_KINDS[value]
        return lambda _i, v: isinstance(v, kinds)
    if key == SH["class"]:
        return lambda i, v: not isinstance(v, Literal) and i.is_instance(v, value)
    if key == SH.minLength:
        least = _int(value) or 0
        return lambda _i, v: least == 0 or (not isinstance(v, BNode) and len(_string(v)) >= least)
    if key == SH.maxLength:
        most = _int(value) or 0
        return lambda _i, v: not isinstance(v, BNode) and len(_string(v)) <= most
    if key == SH["in"]:
        members = _list(shapes, value)
        return lambda _i, v: any(_same(v, x) for x in members)
    if key == SH.languageIn:
        tags = {str(t).lower() for t in _list(shapes, value)}
        return lambda _i, v: (
            isinstance(v, Literal)
            and bool(v.language)
            and (
                "*" in tags
                or str(v.language).lower() in tags
                or str(v.language).split("-")[0].lower() in tags
            )
        )
    if key == SH["or"]:
        options = []
        for member in _list(shapes, value):
            if set(shapes.predicates(member)) - _VALUE_KEYS:
                raise Unsupported(f"sh:or member {member}")
            options.append(_tests(shapes, member))
        return lambda i, v: any(all(t(i, v) for t in tests) for tests in options)
    raise Unsupported(f"{key} in a value shape")


def _same(a: Node, b: Node) -> bool:
    """RDF term equality (a literal's lexical form, datatype and language)."""
    if isinstance(a, Literal) and isinstance(b, Literal):
        return (str(a), a.datatype, a.language) == (str(b), b.datatype, b.language)
    return type(a) is type(b) and a == b


def _string(v: Node) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in _STRINGS:
        return str(v.value)
    return str(v)


def _datatype(rule: URIRef) -> Callable[[_Index, Node], bool]:
    """sh:datatype as pySHACL applies it: the datatype, and a well-formed value."""
    python = _PYTHON_TYPES.get(rule)
    # Decided once for the rule, not per value (rdflib's namespace look-ups are slow).
    literal, datatype = rule == RDFS.Literal, rule == RDFS.Datatype
    string, lang_string = rule == XSD.string, rule == RDF.langString
    textual = string or lang_string

    def test(_i: _Index, v: Node) -> bool:
        if not isinstance(v, Literal):
            return False
        if v.datatype == rule:
            if getattr(v, "ill_typed", None) is True:
                return False
        elif literal or (datatype and v.datatype):
            return True  # every literal is an rdfs:Literal; a typed one an rdfs:Datatype
        elif not (
            (v.datatype is None and v.language is None and string) or (lang_string and v.language)
        ):
            return False
        return python is None or isinstance(v.value if not textual else str(v), python)

    return test


@dataclass
class _PropertyShape:
    targets: list[Node]
    path: URIRef
    message: str
    min_count: int | None
    max_count: int | None
    qualified: list[Callable[[_Index, Node], bool]] | None
    qualified_min: int | None
    qualified_max: int | None
    tests: list[Callable[[_Index, Node], bool]]


@dataclass
class CompiledShapes:
    """The checks of a shapes graph; :meth:`violations` runs them."""

    shapes: list[_PropertyShape] = field(default_factory=list)

    def violations(
        self, graph: Graph, ontology: Graph
    ) -> list[tuple[Node, Node, str, Node | None]]:
        """Check ``graph`` (with ``ontology`` mixed in, as pySHACL's ``ont_graph``):
        (focus node, path, message, value or None) for each result, in the order of
        pySHACL's report.

        Each shape is checked as set operations over the data graph's indexes: a
        value constraint is tested once per distinct value of the path (a failing
        value's subjects that are focus nodes are the results), a count only where
        some subject has several values. The focus nodes that the ontology also
        says something about are checked one by one over both graphs."""
        index = _Index((graph, ontology))
        elsewhere = {s for spo in index.spo[1:] for s in spo}
        focus_of: dict[tuple[Node, ...], dict[Node, int]] = {}
        rows: list[tuple[Any, ...]] = []

        def add(focus: Node, shape: _PropertyShape, value: Node | None) -> None:
            key = (_order(focus), str(focus), str(shape.path), shape.message)
            rows.append(
                (
                    (*key, "" if value is None else str(value)),
                    (focus, shape.path, shape.message, value),
                )
            )

        for shape in self.shapes:
            targets = tuple(shape.targets)
            if targets not in focus_of:
                found: dict[Node, int] = {}
                for cls in targets:
                    found.update(dict.fromkeys(index.instances(cls), 1))
                focus_of[targets] = found
            focus_nodes = focus_of[targets]
            mixed = [f for f in focus_nodes if f in elsewhere] if elsewhere else []
            for focus in mixed:
                for value in _check_focus(index, shape, focus):
                    add(focus, shape, value)
            for focus, value in _check_shape(index, shape, focus_nodes, set(mixed)):
                add(focus, shape, value)
        rows.sort(key=lambda r: r[0])
        return [row for _, row in rows]


def _check_focus(index: _Index, shape: _PropertyShape, focus: Node) -> list[Node | None]:
    """The failing values of one focus node (``None`` for a failed count), over all
    the graphs."""
    values = index.objects(focus, shape.path)
    failed: list[Node | None] = []
    n = len(values)
    if shape.min_count is not None and n < shape.min_count:
        failed.append(None)
    if shape.max_count is not None and n > shape.max_count:
        failed.append(None)
    if shape.qualified is not None:
        q = sum(1 for v in values if all(t(index, v) for t in shape.qualified))
        if shape.qualified_min is not None and q < shape.qualified_min:
            failed.append(None)
        if shape.qualified_max is not None and q > shape.qualified_max:
            failed.append(None)
    for test in shape.tests:
        failed += [v for v in values if not test(index, v)]
    return failed


def _check_shape(
    index: _Index, shape: _PropertyShape, focus_nodes: dict[Node, int], skip: set[Node]
) -> Iterable[tuple[Node, Node | None]]:
    """:func:`_check_focus` for every focus node not in ``skip``, over the data graph
    (the first) alone: what each of them fails, in no particular order."""
    spo, by_object = index.spo[0], index.pos[0].get(shape.path, _EMPTY)

    def focus(subjects: Iterable[Node]) -> list[Node]:
        return [s for s in subjects if s in focus_nodes and s not in skip]

    def count(f: Node, wanted: set[Node] | None) -> int:
        values = spo.get(f, _EMPTY).get(shape.path, _EMPTY)
        return len(values) if wanted is None else sum(1 for v in values if v in wanted)

    def counts(
        wanted: set[Node] | None, least: int | None, most: int | None
    ) -> Iterable[tuple[Node, Node | None]]:
        """A count's failures: fewer than ``least`` or more than ``most`` values (of
        ``wanted``, or any) per focus node."""
        if not (least or most is not None):
            return
        having: set[Node] = set()
        total = 0
        for o, subjects in by_object.items():
            if wanted is None or o in wanted:
                having.update(subjects)
                total += len(subjects)
        if least is not None and least > 0:
            lacking = focus_nodes.keys() - having - skip if least == 1 else focus(focus_nodes)
            for f in lacking:
                if count(f, wanted) < least:
                    yield f, None
        if most is not None and (total != len(having) or most == 0):
            for f in focus(having):  # some subject has several values (or any is too many)
                if count(f, wanted) > most:
                    yield f, None

    yield from counts(None, shape.min_count, shape.max_count)
    if shape.qualified is not None:
        tests = shape.qualified
        qualified = {v for v in by_object if all(t(index, v) for t in tests)}
        yield from counts(qualified, shape.qualified_min, shape.qualified_max)
    for test in shape.tests:
        for value in [v for v in by_object if not test(index, v)]:
            for f in focus(by_object[value]):
                yield f, value


def _order(term: Node) -> int:
    """SPARQL's ORDER BY (pySHACL's report order) puts blank nodes before IRIs."""
    return 0 if isinstance(term, BNode) else 1 if isinstance(term, URIRef) else 2


def compile_shapes(shapes: Graph) -> CompiledShapes | None:
    """Translate ``shapes`` to Python checks, or ``None`` if any shape is beyond the
    supported subset (see the module's docstring)."""
    try:
        return _compile(shapes)
    except Unsupported:
        return None


def _compile(shapes: Graph) -> CompiledShapes:
    compiled = CompiledShapes()
    used = {p for p in shapes.predicates() if str(p).startswith(str(SH))}
    if used - _PROPERTY_KEYS - _NODE_KEYS - {SH.declare, SH.prefix, SH.namespace}:
        raise Unsupported(", ".join(sorted(map(str, used - _PROPERTY_KEYS - _NODE_KEYS))))
    # A shape with no sh:targetClass (nested ones aside) would be a target we do not know.
    targets = set(shapes.subjects(SH.targetClass))
    for node in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    ):
        if node not in targets:
            raise Unsupported(f"{node} has no sh:targetClass")
    # rdflib's terms are ordered at run time; its annotations do not say so.
    for shape in sorted(targets):  # type: ignore[type-var]
        if set(shapes.predicates(shape)) - _NODE_KEYS:
            raise Unsupported(f"constraints directly on node shape {shape}")
        classes = list(shapes.objects(shape, SH.targetClass))
        for prop in sorted(shapes.objects(shape, SH.property)):  # type: ignore[type-var]
            compiled.shapes.append(_property_shape(shapes, prop, classes))
    return compiled


def _property_shape(shapes: Graph, prop: Node, classes: list[Node]) -> _PropertyShape:
    if set(shapes.predicates(prop)) - _PROPERTY_KEYS:
        raise Unsupported(f"property shape {prop}")
    path, message = _one(shapes, prop, SH.path), _one(shapes, prop, SH.message)
    if not isinstance(path, URIRef) or message is None:
        raise Unsupported(f"property shape {prop} needs an IRI path and a message")
    qualified_shape = _one(shapes, prop, SH.qualifiedValueShape)
    qualified = None
    if qualified_shape is not None:
        if set(shapes.predicates(qualified_shape)) - _VALUE_KEYS:
            raise Unsupported(f"qualified value shape {qualified_shape}")
        qualified = _tests(shapes, qualified_shape)
    elif _one(shapes, prop, SH.qualifiedMinCount) or _one(shapes, prop, SH.qualifiedMaxCount):
        raise Unsupported("qualified count without a qualified value shape")
    ignore = (
        SH.path,
        SH.message,
        SH.minCount,
        SH.maxCount,
        SH.name,
        SH.description,
        SH.qualifiedValueShape,
        SH.qualifiedMinCount,
        SH.qualifiedMaxCount,
    )
    return _PropertyShape(
        classes,
        path,
        str(message),
        _int(_one(shapes, prop, SH.minCount)),
        _int(_one(shapes, prop, SH.maxCount)),
        qualified,
        _int(_one(shapes, prop, SH.qualifiedMinCount)),
        _int(_one(shapes, prop, SH.qualifiedMaxCount)),
        _tests(shapes, prop, ignore),
    )


# --- rdflib → Oxigraph ------------------------------------------------------------------
def oxigraph_store(*graphs: Graph) -> Any:
    """An in-memory Oxigraph store holding the triples of ``graphs`` (default graph).

    The triples are written as N-Triples lines straight from rdflib's index (IRIs
    written once each) and parsed leniently (the terms come from rdflib, already
    checked): three times as fast as ``Graph.serialize`` and a strict parse.
    """
    import pyoxigraph as ox

    from graph import ntriples

    store = ox.Store()
    for graph in graphs:
        text = ntriples.serialize(graph, sort=False)
        store.load(text, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    return store
