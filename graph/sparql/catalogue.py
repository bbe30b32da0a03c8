"""The named competency queries: ``graph/queries/*.rq`` files and their headers.

A header of ``# title:``, ``# description:`` and ``# param:`` lines names the
question and its parameters, and an ``# index:`` line how :mod:`graph.index`
may answer it from tables, and a ``# reach:`` line how far from its parameter it
reads (see :func:`parse_named_query`). Depends on
:mod:`graph.errors` and :mod:`graph.resources` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import QueryError
from graph.resources import queries_dir

PARAM_KINDS = ("entity", "iri", "string", "date", "integer")
#: How :mod:`graph.index` may answer a query (its ``# index:`` line): ``table`` —
#: the query run once with no parameter bound gives every parameter's answer,
#: as the rows whose projected parameters hold those values; ``text`` — a
#: substring search over ``?matched`` (find-entity); ``dates`` — a date range
#: over ``?date`` (timeline).
INDEX_KINDS = ("table", "text", "dates")
#: How far from its one anchored entity a query reads (its ``# reach:`` line):
#: ``neighbourhood`` — the entity's statements, those of every claim about it (its
#: ``rdf:subject`` or ``rdf:object``), the statements whose object is such a claim,
#: and the statements of every node those name (:func:`graph.index.hubs.neighbourhood`).
#: The query's answer for the entity is then the same over that part of the graph
#: as over the whole, which lets :mod:`graph.index.hubs` answer many entities from
#: one small store.
REACH_KINDS = ("neighbourhood",)
_HEADER = re.compile(r"^#\s*(title|description|param|index|reach)\s*:\s*(.*)$")
#: ``# anchor: a b`` in a query's text: parameters ``?a`` and ``?b`` are bound also
#: at the start of every sub-SELECT that projects them. The query states by this
#: line that each such sub-SELECT binds them in every row it gives, so binding
#: them inside gives the same rows (its rows with another value would be
#: dropped by the join outside) and lets the engine start from the parameter
#: instead of aggregating over the whole graph (a sub-SELECT does not see
#: the bindings of the group around it).
_ANCHOR = re.compile(r"^[ \t]*#[ \t]*anchor:[ \t]*(.*)$", re.MULTILINE)

_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<kind>[a-z]+)\)\s*(?:=\s*(?P<default>\S+))?"
    r"\s*(?:[—-]+\s*(?P<doc>.*))?$"
)


@dataclass(frozen=True)
class Parameter:
    """A parameter of a named query: a variable bound before evaluation."""

    name: str
    kind: str
    default: str | None
    doc: str


@dataclass(frozen=True)
class NamedQuery:
    """A competency question stored as ``<name>.rq`` with its header."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    sparql: str
    path: Path
    #: How :mod:`graph.index` may answer it (one of :data:`INDEX_KINDS`), or ``None``.
    index: str | None = None
    #: How far from its anchored entity it reads (one of :data:`REACH_KINDS`), or ``None``.
    reach: str | None = None


def anchored_parameters(sparql: str) -> set[str]:
    """The parameters a query's ``# anchor:`` lines name (it starts from them)."""
    return {name for match in _ANCHOR.finditer(sparql) for name in match.group(1).split()}


def _kind(value: str, kinds: tuple[str, ...], what: str, path: Path, line: int, key: str) -> str:
    """A header line's value, one of ``kinds``; else the error naming file, line and field."""
    kind = value.strip()
    if kind not in kinds:
        raise QueryError(
            f"unknown {what} {kind!r}",
            path=path,
            line=line,
            field=key,
            hint="one of: " + ", ".join(kinds),
        )
    return kind


def parse_named_query(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its ``# title:``, ``# description:``, ``# param:`` header.

    A parameter line reads ``# param: name (kind) = default — what it is`` where
    kind is one of ``entity`` (an entity id or IRI), ``iri``, ``string``,
    ``date`` or ``integer``; without ``= default`` the parameter is required.
    ``# index: kind`` says how :mod:`graph.index` may answer it (:data:`INDEX_KINDS`);
    ``table`` states that every parameter is projected and bound in every row.
    ``# reach: kind`` states how far from its one anchored entity parameter the
    query reads (:data:`REACH_KINDS`).
    A ``date`` parameter P also binds ``?P_first`` and ``?P_after``: the first
    day it covers and the day after its last (xsd:date).
    """
    text = path.read_text(encoding="utf-8")
    title, description, params, index, reach = path.stem, [], [], None, None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.groups()
        if key == "title":
            title = value.strip()
        elif key == "index":
            index = _kind(value, INDEX_KINDS, "index kind", path, number, key)
        elif key == "reach":
            reach = _kind(value, REACH_KINDS, "reach", path, number, key)
        elif key == "description":
            description.append(value.strip())
        else:
            spec = _PARAM.match(value.strip())
            if spec is None or spec["kind"] not in PARAM_KINDS:
                raise QueryError(
                    f"bad parameter line {value!r}",
                    path=path,
                    line=number,
                    field="param",
                    hint="write '# param: name (entity|iri|string|date|integer) = "
                    "default — what it is'",
                )
            params.append(
                Parameter(spec["name"], spec["kind"], spec["default"], (spec["doc"] or "").strip())
            )
    if reach is not None and len(anchored_parameters(text) & {p.name for p in params}) != 1:
        raise QueryError(
            "a '# reach:' line needs one '# anchor:' parameter: the entity it reads from",
            path=path,
            field="reach",
            hint="add '# anchor: NAME' for the entity parameter, or remove the line",
        )
    return NamedQuery(
        path.stem, title, " ".join(description), tuple(params), text, path, index, reach
    )


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query of the package (or of ``folder``), by name."""
    folder = folder or queries_dir()
    return {p.stem: parse_named_query(p) for p in sorted(folder.glob("*.rq"))}


def get_named_query(name: str, folder: Path | None = None) -> NamedQuery:
    """One named query; an unknown name lists the close ones."""
    queries = named_queries(folder)
    if name in queries:
        return queries[name]
    from graph.resolve import suggestion_hint

    folded = name.lower().replace("_", "-")
    hint = (
        f"did you mean {folded!r}?"
        if folded in queries
        else suggestion_hint(folded, queries, cutoff=50.0)
        or "list them with 'alliance-graph queries'"
    )
    raise QueryError(f"no named query {name!r}", hint=hint)
