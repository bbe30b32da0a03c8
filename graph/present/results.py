"""SPARQL results as typed rows, for the presenter and for pandas.

Each variable becomes a column whose kind is read off its terms: integers
(``xsd:integer`` and kin) as int, decimals and doubles as numbers, booleans as
booleans, dates (``xsd:date``, ``gYearMonth``, ``gYear``, ``dateTime``) as
strings at their precision, entity IRIs as ids (full IRIs with ``iris=True``),
other IRIs in the project's prefixed form. Works on any object with
``variables``, ``rows`` (SPARQL 1.1 JSON terms) and ``boolean``, so it does
not depend on the engine.
"""

from __future__ import annotations

from typing import Any

from graph.table import Column, Table, number

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTS = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
_REALS = {XSD + t for t in ("decimal", "double", "float")}
_DATES = {XSD + t for t in ("date", "gYearMonth", "gYear", "dateTime")}
_BOOL = XSD + "boolean"


def _kind(terms: list[dict[str, str]]) -> str:
    """The one kind every bound term of a column has, else ``any``."""
    kinds = set()
    for t in terms:
        if t["type"] == "uri":
            kinds.add("entity" if _is_entity(t["value"]) else "iri")
            continue
        datatype = t.get("datatype")
        kinds.add(
            "int"
            if datatype in _INTS
            else "float"
            if datatype in _REALS
            else "bool"
            if datatype == _BOOL
            else "date"
            if datatype in _DATES
            else "text"
        )
    if kinds == {"int", "float"}:
        return "float"
    return kinds.pop() if len(kinds) == 1 else ("text" if not kinds else "any")


def _is_entity(iri: str) -> bool:
    from graph.namespaces import ID

    return iri.startswith(str(ID))


def _short(iri: str) -> str:
    """An entity IRI as its id, another IRI in the project's prefixed form if it has one."""
    from graph.namespaces import ID, PREFIXES

    if iri.startswith(str(ID)):
        return iri[len(str(ID)) :]
    for prefix, ns in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _value(term: dict[str, str] | None, kind: str, iris: bool) -> Any:
    if term is None:
        return None
    if term["type"] == "uri":
        return term["value"] if iris else _short(term["value"])
    datatype = term.get("datatype")
    if datatype in _INTS or datatype in _REALS:
        n = number(term["value"])
        if n is not None:
            return float(n) if kind == "float" and datatype in _REALS else n
    if datatype == _BOOL and term["value"] in ("true", "false", "1", "0"):
        return term["value"] in ("true", "1")
    if term["type"] == "bnode":
        return "_:" + term["value"]
    return term["value"]


def results_table(results: Any, *, iris: bool = False) -> Table:
    """Typed rows of SPARQL results (an ASK answer is one ``boolean`` row).

    >>> from types import SimpleNamespace as R
    >>> t = results_table(R(variables=["e", "n", "d"], boolean=None, rows=[{
    ...     "e": {"type": "uri", "value": "https://w3id.org/alliance-graph/id/dod"},
    ...     "n": {"type": "literal", "value": "3",
    ...           "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
    ...     "d": {"type": "literal", "value": "2023-01",
    ...           "datatype": "http://www.w3.org/2001/XMLSchema#gYearMonth"}}]))
    >>> t.rows, [c.kind for c in t.columns]
    ([{'e': 'dod', 'n': 3, 'd': '2023-01'}], ['entity', 'int', 'date'])
    """
    if results.boolean is not None:
        return Table([Column("boolean", "bool")], [{"boolean": bool(results.boolean)}])
    kinds = {v: _kind([r[v] for r in results.rows if v in r]) for v in results.variables}
    # long text (quotes, titles) wraps in a terminal table; ids and numbers do not
    columns = [Column(v, kinds[v], kinds[v] in ("text", "any")) for v in results.variables]
    rows = [{v: _value(r.get(v), kinds[v], iris) for v in results.variables} for r in results.rows]
    return Table(columns, rows)
