"""Parameters bound as RDF terms, never pasted into query text.

Each parameter becomes an RDF term built by pyoxigraph (an IRI it validates,
or a literal it escapes) and travels as SPARQL inline data, a ``VALUES`` row
at the start of the outermost group, on every back end alike (a remote
endpoint has no other way to take bindings). The embedded store could
pre-bind them as pyoxigraph ``substitutions`` instead, but Oxigraph 0.5's
optimiser then plans as if the variable were free: ``dependencies`` at 1M
triples took 450 ms that way and under 1 ms with ``VALUES``. Depends on
:mod:`graph.sparql.catalogue`, :mod:`graph.sparql.results` and
:mod:`graph.namespaces` (pyoxigraph lazily).
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import QueryError
from graph.namespaces import ID, PREFIXES
from graph.sparql.catalogue import NamedQuery, Parameter, anchored_parameters, get_named_query
from graph.sparql.lexer import declared_prefixes
from graph.sparql.results import XSD, Results, term_text

if TYPE_CHECKING:
    from typing import TypeAlias

    import pyoxigraph

    from graph.sparql.engines import SparqlStore

    #: The RDF term a parameter becomes (pyoxigraph has no name for the union).
    OxTerm: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


def bind_parameters(
    query: NamedQuery, given: Mapping[str, str], store: SparqlStore | None = None
) -> dict[str, OxTerm]:
    """Turn ``name=value`` strings into RDF terms by each parameter's kind.

    With a ``store``, an ``entity`` parameter that is no entity's id is looked
    up there as a label or alias (any case): "Japan" or "Division of Protection"
    binds the one entity so named, and a name that is nobody's, or several
    entities', is an error instead of an empty answer.

    Raises
    ------
    QueryError
        For an unknown or missing parameter, a value of the wrong kind, or an
        entity the store does not know.
    """
    known = {p.name: p for p in query.parameters}
    for name in given:
        if name not in known:
            raise QueryError(
                f"query {query.name!r} has no parameter {name!r}",
                field="param",
                hint="its parameters: " + (", ".join(known) or "none"),
            )
    terms: dict[str, OxTerm] = {}
    for param in query.parameters:
        raw = given.get(param.name, param.default)
        if raw is None:
            raise QueryError(
                f"query {query.name!r} needs parameter {param.name!r}",
                field="param",
                hint=f"add --param {param.name}=… ({param.doc})",
            )
        terms[param.name] = _term(param, raw)
        if param.kind == "date":
            terms.update(_date_bounds(param.name, raw.strip()))
        if store is not None and param.kind == "entity":
            terms[param.name] = _known_entity(store, param, raw, terms[param.name])
    return terms


def _date_bounds(name: str, raw: str) -> dict[str, OxTerm]:
    """``?{name}_first``, the first day a date covers, and ``?{name}_after``, the
    day after its last (xsd:date, from Python's calendar: 2024-02 → 2024-02-01
    and 2024-03-01), so queries compare periods without month lengths in SPARQL."""
    import datetime

    import pyoxigraph as ox

    from graph.dates import PartialDate

    date = PartialDate.parse(raw)
    after = datetime.date.fromisoformat(date.last_day) + datetime.timedelta(days=1)
    day = ox.NamedNode(XSD + "date")
    return {
        f"{name}_first": ox.Literal(date.first_day, datatype=day),
        f"{name}_after": ox.Literal(after.isoformat(), datatype=day),
    }


_BY_NAME = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity WHERE {{
  ?entity rdfs:label|skos:altLabel ?label . FILTER (LCASE(STR(?label)) = LCASE(?name))
  FILTER (STRSTARTS(STR(?entity), "{ID}"))
}} ORDER BY ?entity LIMIT 6"""


def _known_entity(store: SparqlStore, param: Parameter, raw: str, term: OxTerm) -> OxTerm:
    import pyoxigraph as ox

    if store.query("ASK { ?entity ?p ?o }", {"entity": term}).boolean:
        return term
    raw = raw.strip()
    raw = raw[len("agid:") :] if raw.startswith("agid:") else raw
    found = (
        [row["entity"] for row in store.query(_BY_NAME, {"name": ox.Literal(raw)}).rows]
        if "://" not in raw
        else []
    )
    if len(found) == 1:
        return ox.NamedNode(found[0]["value"])
    ids = ", ".join(term_text(f) for f in found[:5]) + (", …" if len(found) > 5 else "")
    if found:
        raise QueryError(
            f"parameter {param.name!r}: {raw!r} names several entities: {ids}",
            field="param",
            hint=f"give one id: --param {param.name}=ID",
        )
    # A name with a line break or other control character is not shown as
    # typed in the hint: the error stays one line.
    typed = shlex.quote(f"name={raw}") if raw.isprintable() else "name=…"
    raise QueryError(
        f"parameter {param.name!r}: no entity {raw!r} in the graph",
        field="param",
        hint=f"find its id with: alliance-graph query find-entity --param {typed}",
    )


def _term(param: Parameter, raw: str) -> OxTerm:
    import pyoxigraph as ox

    try:
        if param.kind != "string" and not raw.strip():
            raise ValueError("it is empty")
        if param.kind == "entity":
            if raw.startswith("agid:"):
                raw = raw[len("agid:") :]
            if "://" in raw:
                return ox.NamedNode(raw)
            # A name rather than an id ("Division of Protection") stays a valid
            # IRI that no entity has; with a store it is then looked up by name.
            from urllib.parse import quote

            return ox.NamedNode(str(ID) + quote(raw, safe=""))
        if param.kind == "iri":
            for prefix, ns in PREFIXES.items():
                if raw.startswith(prefix + ":") and "://" not in raw:
                    return ox.NamedNode(ns + raw[len(prefix) + 1 :])
            return ox.NamedNode(raw)
        if param.kind == "integer":
            return ox.Literal(str(_integer(raw)), datatype=ox.NamedNode(XSD + "integer"))
        if param.kind == "date":
            from graph.dates import PartialDate

            kind = {"year": "gYear", "month": "gYearMonth", "day": "date"}
            if not re.fullmatch(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?", raw.strip()):
                raise ValueError(f"{raw!r} is not a date of ASCII digits")
            if not "0001" <= raw.strip()[:4] <= "9998":
                # No year 0000; and the day after a date in 9999 (which queries
                # compare with) would have five digits.
                raise ValueError(f"{raw!r} is outside the years 0001 to 9998")
            date = PartialDate.parse(raw.strip())
            return ox.Literal(date.text, datatype=ox.NamedNode(XSD + kind[date.precision]))
        return ox.Literal(raw)
    except ValueError as exc:
        raise QueryError(
            f"parameter {param.name!r}: {' '.join(str(exc).split())}",
            field="param",
            hint=f"{param.name} is {_KIND_WORDS[param.kind]}",
        ) from exc


#: Oxigraph computes with 64-bit integers.
_INTEGER_RANGE = (-(2**63), 2**63 - 1)


def _integer(raw: str) -> int:
    """An integer written in ASCII digits, within what the engines compute with."""
    text = raw.strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,19}", text):
        raise ValueError(f"{raw[:40]!r} is not an integer of at most 19 ASCII digits")
    number = int(text)
    if not _INTEGER_RANGE[0] <= number <= _INTEGER_RANGE[1]:
        raise ValueError(f"{text} is out of range (64-bit integers)")
    return number


_KIND_WORDS = {
    "entity": "an entity id, label or alias",
    "iri": "an IRI or a prefixed name",
    "string": "a string",
    "date": "a date: YYYY, YYYY-MM or YYYY-MM-DD",
    "integer": "an integer",
}


def values_block(terms: Mapping[str, OxTerm]) -> str:
    """A SPARQL ``VALUES`` row of the terms, each serialised by pyoxigraph (escaped)."""
    if not terms:
        return ""
    names = " ".join(f"?{name}" for name in terms)
    row = " ".join(str(term) for term in terms.values())
    return f"VALUES ({names}) {{ ({row}) }}"


def inline_values(sparql: str, terms: Mapping[str, OxTerm]) -> str:
    """Put a VALUES block at the start of the outermost WHERE group of ``sparql``."""
    block = values_block(terms)
    if not block:
        return sparql
    at = _outer_group_start(sparql)
    return sparql[:at] + " " + block + " " + sparql[at:]


@dataclass(frozen=True)
class Insertion:
    """What :func:`inline` put into the text: each piece as the 1-based line
    and column of its first character in the sent text and how many
    characters it added (all on that line: pyoxigraph escapes line breaks in
    literals, and the default prefixes go on line 1)."""

    pieces: tuple[tuple[int, int, int], ...] = ()

    def original(self, line: int, column: int) -> int:
        """The column in the text as written of a position in the sent text."""
        for at_line, at_column, length in sorted(self.pieces, key=lambda p: -p[1]):
            if line != at_line or column < at_column:
                continue
            column = max(at_column, column - length)
        return column


@functools.lru_cache(maxsize=256)  # the same named queries run again and again
def default_prefixes(sparql: str) -> str:
    """``PREFIX`` lines for the project's prefixes the text does not declare."""
    declared = declared_prefixes(sparql)
    return "".join(
        f"PREFIX {name}: <{iri}> " for name, iri in PREFIXES.items() if name not in declared
    )


def inline(sparql: str, terms: Mapping[str, OxTerm]) -> tuple[str, Insertion]:
    """The text to send: the project's prefixes it does not declare put before
    it (on its first line), and the terms as a ``VALUES`` row at the start of
    its outermost group; and where they went, to give error positions as written."""
    prologue = default_prefixes(sparql)
    pieces = [(1, 1, len(prologue))] if prologue else []
    block = values_block(terms)
    if block:
        at = _outer_group_start(sparql)
        line = sparql.count("\n", 0, at) + 1
        column = at - (sparql.rfind("\n", 0, at) + 1) + 1
        inserted = " " + block + " "
        pieces.append((line, column + (len(prologue) if line == 1 else 0), len(inserted)))
        sparql = sparql[:at] + inserted + sparql[at:]
        for where, text in reversed(_anchored_subqueries(sparql, terms, at + len(inserted))):
            line = sparql.count("\n", 0, where) + 1
            column = where - (sparql.rfind("\n", 0, where) + 1) + 1
            pieces.append((line, column + (len(prologue) if line == 1 else 0), len(text)))
            sparql = sparql[:where] + text + sparql[where:]
    return prologue + sparql, Insertion(tuple(pieces))


#: ``# anchor:`` lines (:func:`graph.sparql.catalogue.anchored_parameters`): their
#: parameters are bound also at the start of every sub-SELECT that projects them.
_TOKEN = re.compile(
    r'#[^\n]*|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\])*"'
    r"|'(?:\\.|[^'\\])*'|<[^<>\s]*>|\bSELECT\b|\bWHERE\b|\?\w+|[{}()]",
    re.IGNORECASE,
)


def _anchored_subqueries(
    sparql: str, terms: Mapping[str, OxTerm], start: int
) -> list[tuple[int, str]]:
    """Where to bind the ``# anchor:`` parameters again (offsets after ``start``, in order)."""
    anchored = anchored_parameters(sparql) & set(terms)
    if not anchored:
        return []
    found: list[tuple[int, str]] = []
    projected: set[str] | None = None  # inside a sub-SELECT's projection
    depth = 0
    for match in _TOKEN.finditer(sparql, start):
        text = match.group(0)
        upper = text.upper()
        if text == "(":
            depth += 1
        elif text == ")":
            depth = max(0, depth - 1)
        elif upper == "SELECT":
            projected, depth = set(), 0
        elif projected is not None and text.startswith("?") and depth == 0:
            projected.add(text[1:])
        elif projected is not None and (upper == "WHERE" or text == "{"):
            names = sorted(anchored & projected)
            projected = None
            brace = sparql.index("{", match.end()) if upper == "WHERE" else match.start()
            if names:
                block = values_block({name: terms[name] for name in names})
                found.append((brace + 1, " " + block + " "))
    return found


def _outer_group_start(sparql: str) -> int:
    """Offset just past the ``{`` that opens the query's WHERE clause.

    Skips comments, strings and IRIs, and braces inside parentheses (an
    ``EXISTS { … }`` in a SELECT expression), so that only the group itself is taken.
    """
    token = re.compile(
        r'#[^\n]*|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\])*"'
        r"|'(?:\\.|[^'\\])*'|<[^<>\s]*>|\bWHERE\b|[{()]",
        re.IGNORECASE,
    )
    seen_where = False
    construct = re.search(r"\bCONSTRUCT\b", sparql, re.IGNORECASE) is not None
    depth = 0
    for match in token.finditer(sparql):
        text = match.group(0)
        if text == "(":
            depth += 1
        elif text == ")":
            depth = max(0, depth - 1)
        elif text.upper() == "WHERE":
            seen_where = True
        elif text == "{" and depth == 0 and (seen_where or not construct):
            return match.end()
    raise QueryError("the query has no WHERE clause to bind parameters in", field="sparql")


def run_named(
    store: SparqlStore,
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    folder: Path | None = None,
) -> Results:
    """Run a named query with its parameters bound (defaults where not given)."""
    query = get_named_query(name, folder)
    return store.query(query.sparql, bind_parameters(query, params or {}, store))


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """``["a=1", "b=x y"]`` → ``{"a": "1", "b": "x y"}``."""
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(
                f"parameter {pair!r} is not name=value",
                field="param",
                hint="write --param name=value",
            )
        params[name.strip()] = value
    return params
