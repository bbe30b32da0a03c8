"""Result rows, engine-independent: terms, readable text, and the SPARQL 1.1
JSON / CSV forms and terminal tables.

A result value is kept as its SPARQL 1.1 JSON form (``{"type", "value",
"datatype"?, "xml:lang"?}``), normalised so that every engine's answer
compares equal (see :func:`normalise_term`). Depends on :mod:`graph.namespaces`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph.namespaces import ID, PREFIXES

if TYPE_CHECKING:
    import pandas as pd

XSD = "http://www.w3.org/2001/XMLSchema#"

# A result value is kept as its SPARQL 1.1 JSON form: {"type", "value", "datatype"?, "xml:lang"?}.
Term = dict[str, str]


def normalise_term(term: Term) -> Term:
    """One canonical form per RDF term, whatever engine produced it.

    RDF 1.1 simple literals and xsd:string are one thing; engines differ in how
    they write numbers ("2400000000.0" vs "2400000000") and in the name of the
    literal type key ("typed-literal" in older servers). An ill-typed literal
    ("abc"^^xsd:decimal is still an RDF term) keeps its value as written.
    """
    kind = term.get("type")
    out: Term = {
        "type": "literal" if kind == "typed-literal" else str(kind),
        "value": term["value"],
    }
    datatype = term.get("datatype")
    lang = term.get("xml:lang")
    if lang:
        out["xml:lang"] = lang.lower()
    elif datatype and datatype != XSD + "string":
        out["datatype"] = datatype
        # Only ASCII numerals are canonicalised (a decimal with an exponent too,
        # as some servers write them): Python would also read "1_000" or "٣",
        # which are ill-typed and kept as written.
        if datatype == XSD + "decimal" and _DECIMAL.fullmatch(out["value"]):
            out["value"] = _canonical_decimal(out["value"])
        elif datatype in (XSD + "integer", XSD + "long", XSD + "int") and _INTEGER.fullmatch(
            out["value"]
        ):
            out["value"] = str(int(out["value"]))
            out["datatype"] = XSD + "integer"
        if datatype == XSD + "boolean" and out["value"] in ("1", "0"):
            out["value"] = "true" if out["value"] == "1" else "false"
    return out


_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _canonical_decimal(text: str) -> str:
    from decimal import Decimal

    number = Decimal(text)
    if not number.is_finite():
        raise ValueError(f"{text!r} is not an xsd:decimal")
    value = format(number.normalize(), "f")
    return value if "." in value else value + ".0"


def term_text(term: Term | None) -> str:
    """A person-readable form: entity IRIs as their id, literals as their text."""
    if term is None:
        return ""
    if term["type"] == "bnode":
        return "_:" + term["value"]
    if term["type"] == "uri":
        value = term["value"]
        if value.startswith(str(ID)):
            return value[len(str(ID)) :]
        for prefix, ns in _COMPACT:
            if value.startswith(ns):
                return f"{prefix}:{value[len(ns) :]}"
    return term["value"]


# Longest namespace first, so that "agid:" wins over a shorter overlapping one.
_COMPACT = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


@dataclass
class Results:
    """Rows of a SELECT (or the answer of an ASK), engine-independent."""

    variables: list[str]
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, str]]:
        """Rows as plain dicts of readable values (see :func:`term_text`)."""
        for row in self.rows:
            yield {v: term_text(row.get(v)) for v in self.variables}

    def sorted_rows(self) -> list[tuple[tuple[tuple[str, str], ...], ...]]:
        """Rows as hashable tuples in a stable order, for comparing engines: per
        variable, its term's sorted ``(key, value)`` pairs (empty when unbound)."""

        def key(row: dict[str, Term]) -> tuple[tuple[tuple[str, str], ...], ...]:
            return tuple(tuple(sorted(row[v].items())) if v in row else () for v in self.variables)

        return sorted(key(r) for r in self.rows)

    def to_dataframe(self, *, iris: bool = False) -> pd.DataFrame:
        """A pandas DataFrame with one typed column per variable.

        Integers are ``Int64``, decimals and doubles ``Float64``, booleans
        ``boolean`` (all nullable, unbound is ``<NA>``); dates stay strings at
        their precision (``"2023-01"``); entity IRIs are ids (full IRIs with
        ``iris=True``), other IRIs in the project's prefixed form. The same rows
        as ``--format json`` (:func:`graph.present.results.results_table`).
        """
        from graph.present.results import results_table

        return results_table(self, iris=iris).to_dataframe()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean})
        return json.dumps(
            {"head": {"vars": self.variables}, "results": {"bindings": self.rows}},
            ensure_ascii=False,
            indent=1,
        )

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV: plain values, IRIs in full, CRLF line ends."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if self.boolean is not None:
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
            return buffer.getvalue()
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow([_csv_value(row[v]) if v in row else "" for v in self.variables])
        return buffer.getvalue()

    def to_table(self, *, width: int = 60) -> str:
        """Aligned columns for a terminal; long values are cut with '…'."""
        if self.boolean is not None:
            return "yes" if self.boolean else "no"
        cells = [[_cut(value, width) for value in row.values()] for row in self]
        widths = [
            max([_columns(v)] + [_columns(r[i]) for r in cells])
            for i, v in enumerate(self.variables)
        ]

        def line(values: Sequence[str]) -> str:
            return "  ".join(
                v + " " * (w - _columns(v)) for v, w in zip(values, widths, strict=True)
            ).rstrip()

        lines = [line(self.variables), "  ".join("-" * w for w in widths)]
        lines += [line(r) for r in cells]
        lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
        return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    """One line of at most ``width`` terminal columns, cut with '…'."""
    text = " ".join(text.split())
    if _columns(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        used += _columns(char)
        if used > width - 1:
            break
        out.append(char)
    return "".join(out) + "…"


def _columns(text: str) -> int:
    """Terminal columns ``text`` takes: CJK wide and full-width characters take
    two, combining marks none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _csv_value(term: Term) -> str:
    """A term as SPARQL 1.1 CSV writes it: blank nodes as ``_:label``."""
    return "_:" + term["value"] if term["type"] == "bnode" else term["value"]


def results_from_json(doc: Any) -> Results:
    """Parse SPARQL 1.1 JSON results into normalised :class:`Results`.

    Raises
    ------
    ValueError
        If ``doc`` is not SPARQL 1.1 JSON results (a ``boolean``, or a
        ``head.vars`` list and a ``results.bindings`` list of objects whose
        terms have a known ``type`` and a string ``value``); the message says
        what is missing.
    """
    if not isinstance(doc, dict):
        raise ValueError("the answer is not a JSON object")
    if "boolean" in doc:
        if not isinstance(doc["boolean"], bool):
            raise ValueError("'boolean' is not true or false")
        return Results([], boolean=doc["boolean"])
    head, results = doc.get("head"), doc.get("results")
    variables = head.get("vars") if isinstance(head, dict) else None
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise ValueError("no head.vars list of names, nor a boolean")
    if len(set(variables)) != len(variables):
        raise ValueError("head.vars names a variable twice")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise ValueError("no results.bindings list")
    rows = []
    for number, binding in enumerate(bindings, start=1):
        if not isinstance(binding, dict):
            raise ValueError(f"binding {number} is not an object")
        unknown = sorted(set(binding) - set(variables))
        if unknown:
            raise ValueError(f"binding {number} has ?{unknown[0]}, which head.vars does not name")
        rows.append(
            {
                name: normalise_term(_checked_term(term, f"binding {number}, ?{name}"))
                for name, term in binding.items()
            }
        )
    return Results(list(variables), rows)


_TERM_TYPES = ("uri", "literal", "typed-literal", "bnode")


def _checked_term(term: Any, where: str) -> Term:
    """``term`` if it is a SPARQL JSON term, else a ValueError saying what is wrong."""
    if not isinstance(term, dict):
        raise ValueError(f"{where} is not an object")
    if term.get("type") not in _TERM_TYPES:
        raise ValueError(f"{where} has type {term.get('type')!r}, not " + ", ".join(_TERM_TYPES))
    if not isinstance(term.get("value"), str):
        raise ValueError(f"{where} has no string 'value'")
    for key in ("datatype", "xml:lang"):
        if key in term and not isinstance(term[key], str):
            raise ValueError(f"{where} has a {key!r} that is not a string")
    return term
