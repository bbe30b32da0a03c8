"""SPARQL over the built graph: one interface, an embedded and a remote back end.

Owns the named competency queries (``graph/queries/*.rq`` with a header of
title, description and parameters), parameter binding, and result rows with
their SPARQL 1.1 JSON / CSV / table forms. The embedded back end is Oxigraph
in-process (pyoxigraph), loaded with the built N-Triples and the ontology; the
remote back end is any SPARQL 1.1 Protocol endpoint.

What a store holds (embedded, served, or published to a server): the data,
the ontology, and the RDFS sub-property entailment of ``ag:dependsOn`` (rule
rdfs7: a fact of any sub-property of ``ag:dependsOn``, at any depth, is also an
``ag:dependsOn`` fact), all in one graph. So ``ag:dependsOn+`` follows every
dependency predicate the ontology declares, including ones added later, with
no predicate list in the queries, and the same query text works on every
server, none of which needs an inference engine. The entailed triples have no
claim: queries that show evidence join on the asserted predicate's claim.

Parameters are never pasted into query text: each becomes an RDF term built
by pyoxigraph (an IRI it validates, or a literal it escapes) and travels as
SPARQL inline data, a ``VALUES`` row at the start of the outermost group, on
every back end alike (a remote endpoint has no other way to take bindings).
The embedded store could pre-bind them as pyoxigraph ``substitutions``
instead, but Oxigraph 0.5's optimiser then plans as if the variable were
free: ``dependencies`` at 1M triples took 450 ms that way and under 1 ms with
``VALUES``. Depends on :mod:`graph.errors`, :mod:`graph.namespaces` and
:mod:`graph.resources` (pyoxigraph and httpx imported lazily).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import shlex
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from graph.errors import EndpointError, QueryError
from graph.namespaces import ID, PREFIXES
from graph.resources import ontology_dir, queries_dir

if TYPE_CHECKING:
    import pandas as pd
    import pyoxigraph

XSD = "http://www.w3.org/2001/XMLSchema#"
#: RDFS rule rdfs7 for the dependency hierarchy, read from the ontology in the store.
DEPENDENCY_ENTAILMENT = """
PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { ?s ag:dependsOn ?o } WHERE { ?p rdfs:subPropertyOf+ ag:dependsOn . ?s ?p ?o }
"""
PARAM_KINDS = ("entity", "iri", "string", "date", "integer")
_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<kind>[a-z]+)\)\s*(?:=\s*(?P<default>\S+))?"
    r"\s*(?:[—-]+\s*(?P<doc>.*))?$"
)


# --- named queries -----------------------------------------------------------------------
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


def parse_named_query(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its ``# title:``, ``# description:``, ``# param:`` header.

    A parameter line reads ``# param: name (kind) = default — what it is`` where
    kind is one of ``entity`` (an entity id or IRI), ``iri``, ``string``,
    ``date`` or ``integer``; without ``= default`` the parameter is required.
    A ``date`` parameter P also binds ``?P_first`` and ``?P_after``: the first
    day it covers and the day after its last (xsd:date).
    """
    text = path.read_text(encoding="utf-8")
    title, description, params = path.stem, [], []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.groups()
        if key == "title":
            title = value.strip()
        elif key == "description":
            description.append(value.strip())
        else:
            spec = _PARAM.match(value.strip())
            if spec is None or spec["kind"] not in PARAM_KINDS:
                raise QueryError(f"bad parameter line {value!r}", path=path, line=number,
                                 field="param",
                                 hint="write '# param: name (entity|iri|string|date|integer) = "
                                      "default — what it is'")
            params.append(Parameter(spec["name"], spec["kind"], spec["default"],
                                    (spec["doc"] or "").strip()))
    return NamedQuery(path.stem, title, " ".join(description), tuple(params), text, path)


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query of the package (or of ``folder``), by name."""
    folder = folder or queries_dir()
    return {p.stem: parse_named_query(p) for p in sorted(folder.glob("*.rq"))}


def get_named_query(name: str, folder: Path | None = None) -> NamedQuery:
    """One named query; an unknown name lists the close ones."""
    queries = named_queries(folder)
    if name in queries:
        return queries[name]
    folded = name.lower().replace("_", "-")
    close = ([folded] if folded in queries
             else difflib.get_close_matches(folded, list(queries), n=3, cutoff=0.5))
    hint = ("did you mean " + " or ".join(repr(c) for c in close) + "?" if close
            else "list them with 'alliance-graph queries'")
    raise QueryError(f"no named query {name!r}", hint=hint)


# --- terms and rows --------------------------------------------------------------------------
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
    out: Term = {"type": "literal" if kind == "typed-literal" else str(kind),
                 "value": term["value"]}
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
        elif (datatype in (XSD + "integer", XSD + "long", XSD + "int")
              and _INTEGER.fullmatch(out["value"])):
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
            return value[len(str(ID)):]
        for prefix, ns in _COMPACT:
            if value.startswith(ns):
                return f"{prefix}:{value[len(ns):]}"
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

    def sorted_rows(self) -> list[tuple[tuple[str, ...], ...]]:
        """Rows as hashable tuples in a stable order, for comparing engines."""
        def key(row: dict[str, Term]) -> tuple[tuple[str, ...], ...]:
            return tuple(tuple(sorted(row[v].items())) if v in row else () for v in self.variables)

        return sorted(key(r) for r in self.rows)

    def to_dataframe(self) -> pd.DataFrame:
        """A pandas DataFrame of readable values, one column per variable."""
        import pandas as pd

        return pd.DataFrame(list(self), columns=self.variables)

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean})
        return json.dumps({"head": {"vars": self.variables},
                           "results": {"bindings": self.rows}}, ensure_ascii=False, indent=1)

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
        widths = [max([_columns(v)] + [_columns(r[i]) for r in cells])
                  for i, v in enumerate(self.variables)]

        def line(values: Sequence[str]) -> str:
            return "  ".join(v + " " * (w - _columns(v))
                             for v, w in zip(values, widths, strict=True)).rstrip()

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
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


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
        rows.append({name: normalise_term(_checked_term(term, f"binding {number}, ?{name}"))
                     for name, term in binding.items()})
    return Results(list(variables), rows)


_TERM_TYPES = ("uri", "literal", "typed-literal", "bnode")


def _checked_term(term: Any, where: str) -> Term:
    """``term`` if it is a SPARQL JSON term, else a ValueError saying what is wrong."""
    if not isinstance(term, dict):
        raise ValueError(f"{where} is not an object")
    if term.get("type") not in _TERM_TYPES:
        raise ValueError(f"{where} has type {term.get('type')!r}, not "
                         + ", ".join(_TERM_TYPES))
    if not isinstance(term.get("value"), str):
        raise ValueError(f"{where} has no string 'value'")
    for key in ("datatype", "xml:lang"):
        if key in term and not isinstance(term[key], str):
            raise ValueError(f"{where} has a {key!r} that is not a string")
    return term


# --- parameters --------------------------------------------------------------------------------
def bind_parameters(query: NamedQuery, given: Mapping[str, str],
                    store: SparqlStore | None = None) -> dict[str, pyoxigraph.Term]:
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
    import pyoxigraph as ox

    known = {p.name: p for p in query.parameters}
    for name in given:
        if name not in known:
            raise QueryError(f"query {query.name!r} has no parameter {name!r}",
                             field="param", hint="its parameters: " + (", ".join(known) or "none"))
    terms: dict[str, ox.Term] = {}
    for param in query.parameters:
        raw = given.get(param.name, param.default)
        if raw is None:
            raise QueryError(f"query {query.name!r} needs parameter {param.name!r}",
                             field="param", hint=f"add --param {param.name}=… ({param.doc})")
        terms[param.name] = _term(param, raw)
        if param.kind == "date":
            terms.update(_date_bounds(param.name, raw))
        if store is not None and param.kind == "entity":
            terms[param.name] = _known_entity(store, param, raw, terms[param.name])
    return terms


def _date_bounds(name: str, raw: str) -> dict[str, pyoxigraph.Term]:
    """``?{name}_first``, the first day a date covers, and ``?{name}_after``, the
    day after its last (xsd:date, from Python's calendar: 2024-02 → 2024-02-01
    and 2024-03-01), so queries compare periods without month lengths in SPARQL."""
    import datetime

    import pyoxigraph as ox

    from graph.dates import PartialDate

    date = PartialDate.parse(raw)
    after = datetime.date.fromisoformat(date.last_day) + datetime.timedelta(days=1)
    day = ox.NamedNode(XSD + "date")
    return {f"{name}_first": ox.Literal(date.first_day, datatype=day),
            f"{name}_after": ox.Literal(after.isoformat(), datatype=day)}


_BY_NAME = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity WHERE {{
  ?entity rdfs:label|skos:altLabel ?label . FILTER (LCASE(STR(?label)) = LCASE(?name))
  FILTER (STRSTARTS(STR(?entity), "{ID}"))
}} ORDER BY ?entity LIMIT 6"""


def _known_entity(store: SparqlStore, param: Parameter, raw: str,
                  term: pyoxigraph.Term) -> pyoxigraph.Term:
    import pyoxigraph as ox

    if store.query("ASK { ?entity ?p ?o }", {"entity": term}).boolean:
        return term
    raw = raw.strip()
    raw = raw[len("agid:"):] if raw.startswith("agid:") else raw
    found = [row["entity"] for row in
             store.query(_BY_NAME, {"name": ox.Literal(raw)}).rows] if "://" not in raw else []
    if len(found) == 1:
        return ox.NamedNode(found[0]["value"])
    ids = ", ".join(term_text(f) for f in found[:5]) + (", …" if len(found) > 5 else "")
    if found:
        raise QueryError(f"parameter {param.name!r}: {raw!r} names several entities: {ids}",
                         field="param", hint=f"give one id: --param {param.name}=ID")
    raise QueryError(f"parameter {param.name!r}: no entity {raw!r} in the graph", field="param",
                     hint="find its id with: alliance-graph query find-entity --param "
                          + shlex.quote(f"name={raw}"))


def _term(param: Parameter, raw: str) -> pyoxigraph.Term:
    import pyoxigraph as ox

    try:
        if param.kind != "string" and not raw.strip():
            raise ValueError("it is empty")
        if param.kind == "entity":
            if raw.startswith("agid:"):
                raw = raw[len("agid:"):]
            if "://" in raw:
                return ox.NamedNode(raw)
            # A name rather than an id ("Division of Protection") stays a valid
            # IRI that no entity has; with a store it is then looked up by name.
            from urllib.parse import quote

            return ox.NamedNode(str(ID) + quote(raw, safe=""))
        if param.kind == "iri":
            for prefix, ns in PREFIXES.items():
                if raw.startswith(prefix + ":") and "://" not in raw:
                    return ox.NamedNode(ns + raw[len(prefix) + 1:])
            return ox.NamedNode(raw)
        if param.kind == "integer":
            return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
        if param.kind == "date":
            from graph.dates import PartialDate

            kind = {"year": "gYear", "month": "gYearMonth", "day": "date"}
            date = PartialDate.parse(raw)
            return ox.Literal(date.text, datatype=ox.NamedNode(XSD + kind[date.precision]))
        return ox.Literal(raw)
    except ValueError as exc:
        raise QueryError(f"parameter {param.name!r}: {exc}", field="param",
                         hint=f"{param.name} is {_KIND_WORDS[param.kind]}") from exc


_KIND_WORDS = {"entity": "an entity id, label or alias", "iri": "an IRI or a prefixed name",
               "string": "a string", "date": "a date: YYYY, YYYY-MM or YYYY-MM-DD",
               "integer": "an integer"}


def values_block(terms: Mapping[str, pyoxigraph.Term]) -> str:
    """A SPARQL ``VALUES`` row of the terms, each serialised by pyoxigraph (escaped)."""
    if not terms:
        return ""
    names = " ".join(f"?{name}" for name in terms)
    row = " ".join(str(term) for term in terms.values())
    return f"VALUES ({names}) {{ ({row}) }}"


def inline_values(sparql: str, terms: Mapping[str, pyoxigraph.Term]) -> str:
    """Put a VALUES block at the start of the outermost WHERE group of ``sparql``."""
    return _inline(sparql, terms)[0]


@dataclass(frozen=True)
class _Insertion:
    """Where :func:`inline_values` put its block: 1-based line and column of
    the first inserted character, and how many characters it added (all on
    that line: pyoxigraph escapes line breaks in literals)."""

    line: int = 0
    column: int = 0
    length: int = 0

    def original(self, line: int, column: int) -> int:
        """The column in the text as written of a position in the sent text."""
        if line != self.line or column < self.column:
            return column
        return max(self.column, column - self.length)


def _inline(sparql: str, terms: Mapping[str, pyoxigraph.Term]) -> tuple[str, _Insertion]:
    block = values_block(terms)
    if not block:
        return sparql, _Insertion()
    at = _outer_group_start(sparql)
    line = sparql.count("\n", 0, at) + 1
    column = at - (sparql.rfind("\n", 0, at) + 1) + 1
    inserted = " " + block + " "
    return sparql[:at] + inserted + sparql[at:], _Insertion(line, column, len(inserted))


def _outer_group_start(sparql: str) -> int:
    """Offset just past the ``{`` that opens the query's WHERE clause.

    Skips comments, strings and IRIs, and braces inside parentheses (an
    ``EXISTS { … }`` in a SELECT expression), so that only the group itself is taken.
    """
    token = re.compile(r'#[^\n]*|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\])*"'
                       r"|'(?:\\.|[^'\\])*'|<[^<>\s]*>|\bWHERE\b|[{()]", re.IGNORECASE)
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


# --- stores ------------------------------------------------------------------------------------
class SparqlStore(Protocol):
    """What both back ends offer."""

    def query(self, sparql: str, bindings: Mapping[str, pyoxigraph.Term] | None = None
              ) -> Results: ...


_UPDATE = re.compile(
    r"^(?:\s|#[^\n]*\n|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>))*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)


#: Where parsers put the position: "line 3, column 7" (rdflib), "error at 3:7"
#: (Oxigraph), "line 3:" (Virtuoso, no column).
_POSITION = re.compile(r"line (\d+),? column (\d+)|\bat (\d+):(\d+)|\bline (\d+)\b")


def _update_refused() -> QueryError:
    return QueryError("SPARQL updates are refused: the graph is read-only", field="sparql",
                      hint="change the data in data/ and run 'alliance-graph build'")


def _syntax_error(exc: Exception, sparql: str, inserted: _Insertion | None = None,
                  *, prefix: str = "malformed SPARQL", locate: bool = False) -> QueryError:
    """A parser's message as a :class:`QueryError` naming the line and column
    as the user wrote them (before the parameters' VALUES row was put in).

    Oxigraph sometimes places a syntax error at the very end of the input;
    then, with ``locate``, rdflib's grammar (pyparsing, which stops where the
    construct that fails to parse starts) re-reads the text to say where.
    """
    if _UPDATE.match(sparql):
        return _update_refused()
    message = str(exc)
    line = column = None
    match = _POSITION.search(message)
    if match and match.group(5):
        line = int(match.group(5))
    elif match:
        words = match.group(1) is not None
        line = int(match.group(1) if words else match.group(3))
        column = (inserted or _Insertion()).original(
            line, int(match.group(2) if words else match.group(4)))
        message = (message[:match.start()] + message[match.end():]).strip(" :")
        message = re.sub(r"^error\s*:?\s*", "", message) or "syntax error"
    lines = sparql.splitlines()
    # Oxigraph lists every token it could have taken; the sentences in that
    # list ("Prefix not found") are what a person needs.
    sentences = (re.findall(r"(?<![\w'\"])[A-Z][a-z]+(?: [\w-]+){2,}", message)
                 if message.startswith("expected") else [])
    message = "; ".join(sentences) if sentences else " ".join(message.split())
    if "Prefix not found" in sentences and line and column and 0 < line <= len(lines):
        # Oxigraph stops just after the prefixed name: name it and point at it.
        name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*\s*$", lines[line - 1][:column - 1])
        if name:
            column = name.start() + 1
            message = f"prefix '{name.group(1) or ''}:' is not declared"
    at_end = line is None or (
        column is not None and not "\n".join(lines[line - 1:])[column - 1:].strip())
    if locate and at_end and not sentences:
        found = _rdflib_position(sparql)
        if found and found[2] == _TOO_SOON:
            message = found[2]
        elif found:
            line, column, message = found
    if len(message) > 160:
        message = message[:message.rfind(",", 0, 150) + 1 or 150] + " …"
    where = hint = ""
    if line is not None:
        where = f" at line {line}" + (f", column {column}" if column else "")
        if 0 < line <= len(lines):
            text = lines[line - 1]
            near = text[column - 1:].strip() if column else ""
            hint = f"near: {near[:60]}" if near else f"at: {text.strip()[:80]}"
    return QueryError(f"{prefix}{where}: {message}", line=line, field="sparql", hint=hint or None)


_TOO_SOON = "the query ends too soon"


def _rdflib_position(sparql: str) -> tuple[int, int, str] | None:
    """Line, column and what was found there, for the first syntax error
    rdflib's SPARQL grammar finds."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(sparql.replace("\t", " "))  # pyparsing counts a tab as up to 8 columns
    except ParseBaseException as exc:
        if exc.found == "end of text":
            return exc.lineno, exc.col, _TOO_SOON
        return exc.lineno, exc.col, f"what starts with {exc.found} does not parse"
    except Exception:  # any other failure of the second parser: no better place to give
        return None
    return None


class EmbeddedStore:
    """Oxigraph in this process, loaded with the built graph and the ontology.

    The ontology sits in the default graph with the data, and every load adds
    the ``ag:dependsOn`` entailment (see the module docstring), so queries can
    follow ``rdfs:subPropertyOf`` and ``ag:dependsOn+``.

    Parameters
    ----------
    data : Path
        ``alliance.nt`` (fastest), ``alliance.ttl`` or a folder holding them.
    with_ontology : bool
        Also load ``ontology/alliance.ttl``.
    trusted : bool
        ``data`` was written by this project (``alliance-graph build`` or
        ``synth``), whose IRIs are already checked: pyoxigraph skips its IRI
        validation (lenient parsing; syntax is still checked), a quarter off
        the load time (3.6 s against 2.7 s at 1M triples). Any other file is
        read strictly.
    """

    def __init__(self, data: Path | None = None, *, with_ontology: bool = True,
                 trusted: bool = False) -> None:
        import pyoxigraph as ox

        self.store = ox.Store()
        if with_ontology:
            self.store.bulk_load(path=str(ontology_dir() / "alliance.ttl"),
                                 format=ox.RdfFormat.TURTLE)
        if data is not None:
            self.load(data, trusted=trusted)

    def load(self, data: Path, *, trusted: bool = False) -> None:
        """Load a built folder or an N-Triples / Turtle file, then add the
        ``ag:dependsOn`` entailment (``trusted`` as for the constructor)."""
        import pyoxigraph as ox

        path = Path(data)
        if path.is_dir():
            path = path / "alliance.nt"
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
        if fmt is None:
            raise QueryError(f"cannot tell the RDF format of {path.name}", path=path,
                             hint="use a .nt, .nq, .ttl or .trig file")
        try:
            self.store.load(path=str(path), format=fmt, lenient=trusted)
        except SyntaxError as exc:
            raise QueryError(f"does not parse: {exc}", path=path, field="rdf") from exc
        self.entail()

    def entail(self) -> None:
        """Add ``?s ag:dependsOn ?o`` for every fact of a sub-property of ``ag:dependsOn``."""
        self.store.update(DEPENDENCY_ENTAILMENT)

    def to_ntriples(self) -> bytes:
        """Everything the store holds (data, ontology, entailment) as N-Triples."""
        import pyoxigraph as ox

        dumped = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        assert dumped is not None
        return dumped

    def query(self, sparql: str, bindings: Mapping[str, pyoxigraph.Term] | None = None
              ) -> Results:
        """Run a SELECT or ASK; ``bindings`` are RDF terms bound as inline data."""
        import pyoxigraph as ox

        text, inserted = _inline(sparql, bindings or {})
        try:
            result = self.store.query(text)
        except SyntaxError as exc:
            raise _syntax_error(exc, sparql, inserted, locate=True) from exc
        except (OSError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}", field="sparql") from exc
        if isinstance(result, ox.QueryBoolean):
            return Results([], boolean=bool(result))
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("only SELECT and ASK queries give rows", field="sparql",
                             hint="CONSTRUCT and DESCRIBE are not supported here")
        variables = [v.value for v in result.variables]
        # Result terms repeat (labels, predicates, dates): convert each once.
        converted: dict[Any, Term] = {}
        rows = []
        for solution in result:
            row = {}
            for index, name in enumerate(variables):
                term = solution[index]
                if term is not None:
                    found = converted.get(term)
                    if found is None:
                        found = converted[term] = _json_term(term)
                    row[name] = found
            rows.append(row)
        return Results(variables, rows)


def _json_term(term: Any) -> Term:
    """A pyoxigraph term in its normalised SPARQL JSON form (see
    :func:`normalise_term`), with the common kinds built directly: this runs
    once per distinct term of a result, 85k times for a 42k-row timeline."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language.lower()}
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return {"type": "literal", "value": term.value}
    out = {"type": "literal", "value": term.value, "datatype": datatype}
    return normalise_term(out) if datatype in _RENORMALISED else out


_XSD_STRING = XSD + "string"
_RENORMALISED = frozenset(XSD + name for name in ("decimal", "integer", "long", "int", "boolean"))


@dataclass
class Credentials:
    """HTTP credentials for a server; ``kind`` is ``basic`` or ``digest``."""

    username: str
    password: str = field(repr=False)
    kind: str = "basic"

    def auth(self) -> Any:
        import httpx

        if self.kind == "digest":
            return httpx.DigestAuth(self.username, self.password)
        return httpx.BasicAuth(self.username, self.password)


class RemoteStore:
    """Any SPARQL 1.1 Protocol endpoint.

    Parameters
    ----------
    endpoint : str
        The query URL, e.g. ``http://127.0.0.1:7878/query``.
    graph : str, optional
        Scope queries to this named graph (sent as ``default-graph-uri``), for
        servers holding other data too.
    credentials : Credentials, optional
        For servers that ask for them.
    timeout : float
        Seconds before giving up.
    """

    def __init__(self, endpoint: str, *, graph: str | None = None,
                 credentials: Credentials | None = None, timeout: float = 30.0) -> None:
        self.endpoint = endpoint
        self.graph = graph
        self.credentials = credentials
        self.timeout = timeout

    def query(self, sparql: str, bindings: Mapping[str, pyoxigraph.Term] | None = None
              ) -> Results:
        """POST the query (parameters as a VALUES block of escaped terms)."""
        if _UPDATE.match(sparql):
            raise _update_refused()
        text, inserted = _inline(sparql, bindings or {})
        data = {"query": text}
        if self.graph:
            data["default-graph-uri"] = self.graph
        headers = {"Accept": "application/sparql-results+json"}
        response = http_request("POST", self.endpoint, data=data, headers=headers,
                                timeout=self.timeout, credentials=self.credentials)
        if response.status_code == 400:
            raise _syntax_error(QueryError(body_line(response)), sparql, inserted,
                                prefix="the endpoint refused the query")
        if response.status_code >= 300:
            raise http_error(response, self.endpoint, self.credentials)
        try:
            return results_from_json(response.json())
        except ValueError as exc:
            missing = str(exc)
            if isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
                kind = response.headers.get("Content-Type", "").partition(";")[0].strip()
                missing = f"the answer is {kind or 'untyped'}, not JSON"
            raise EndpointError(f"{redact(self.endpoint)} did not answer with SPARQL JSON results "
                                f"({missing})", field="endpoint",
                                hint="give the server's SPARQL query URL: …/query on Oxigraph, "
                                     "…/sparql on Virtuoso") from exc


def http_request(method: str, url: str, *, timeout: float,
                 credentials: Credentials | None = None, **kwargs: Any) -> Any:
    """One HTTP request; a timeout or a connection failure becomes one clear
    :class:`EndpointError` line (the caller judges the status code)."""
    import httpx

    check_url(url)
    try:
        return httpx.request(method, url, timeout=timeout,
                             auth=credentials.auth() if credentials else None, **kwargs)
    except httpx.TimeoutException as exc:
        raise EndpointError(f"{redact(url)} did not answer within {timeout:g} s",
                            field="endpoint") from exc
    except httpx.HTTPError as exc:
        raise EndpointError(f"cannot reach {redact(url)}: {exc}", field="endpoint",
                            hint="is the server running and the URL right?") from exc


def check_url(url: str) -> None:
    """Refuse a URL that is not an absolute ``http(s)://host…`` URL, in one line.

    Raises
    ------
    EndpointError
        Naming the URL (credentials redacted) and what is wrong with it.
    """
    import httpx

    shown = redact(url)
    try:
        parsed = httpx.URL(shown)  # without the credentials, so the message cannot show them
    except httpx.InvalidURL as exc:
        reason = str(exc)
    else:
        if "://" not in shown:
            reason = "it does not start with http:// or https://"
        elif parsed.scheme not in ("http", "https"):
            reason = f"{parsed.scheme}:// is not supported, only http:// and https://"
        elif not parsed.host:
            reason = "it names no host"
        elif parsed.port is not None and not 0 < parsed.port < 65536:
            reason = f"port {parsed.port} is out of range"
        else:
            try:
                httpx.URL(url)
                reason = ""
            except httpx.InvalidURL:
                reason = "the user:password part is not valid"
    if reason:
        raise EndpointError(f"invalid URL {shown}: {reason}", field="endpoint",
                            hint="write it as http://host:port/path")


def http_error(response: Any, url: str, credentials: Credentials | None = None
               ) -> EndpointError:
    """One clear :class:`EndpointError` for an HTTP error answer to a request to ``url``:
    401 says how to give credentials, a redirect where it points, an HTML page
    its first line of text."""
    where, status = redact(url), response.status_code
    location = response.headers.get("Location")
    if status in (301, 302, 303, 307, 308) and location:
        target = redact(str(response.url.join(location)))
        return EndpointError(f"{where} redirects to {target} (HTTP {status})", field="endpoint",
                             hint=f"use that URL: --endpoint {target}")
    if status == 401:
        asks = response.headers.get("WWW-Authenticate", "").partition(" ")[0].lower()
        if asks not in ("basic", "digest"):
            auth = ", and --auth digest if the server asks for it"
        elif asks == "digest" and (credentials is None or credentials.kind != "digest"):
            auth = "; this server asks for --auth digest"
        else:
            auth = ""
        return EndpointError(f"{where} {'refused the' if credentials else 'asks for'} "
                             f"credentials (HTTP 401)", field="endpoint",
                             hint="give --user and --password, or ALLIANCE_GRAPH_USER and "
                                  f"ALLIANCE_GRAPH_PASSWORD{auth}")
    return EndpointError(f"{where} answered HTTP {status}: {body_line(response)}",
                         field="endpoint")


def redact(url: str) -> str:
    """The URL without any user:password part, for messages.

    >>> redact("http://me:secret@127.0.0.1:8890/sparql")
    'http://127.0.0.1:8890/sparql'
    >>> redact("http://me:p@ss@127.0.0.1:8890/sparql?x=a@b")
    'http://127.0.0.1:8890/sparql?x=a@b'
    >>> redact("http://me:p#s?s@127.0.0.1:8890/sparql")  # not a valid URL: still hidden
    'http://127.0.0.1:8890/sparql'
    """
    # Up to the last '@' before the first '/': a password with '#' or '?' in it
    # (which should be percent-encoded) is hidden all the same.
    return re.sub(r"^([a-z][a-z0-9+.-]*://)[^/]*@", r"\1", url, flags=re.IGNORECASE)


def body_line(response: Any) -> str:
    """The first line of an answer's text; of an HTML page, its first line of visible text."""
    text = response.text
    if ("html" in response.headers.get("Content-Type", "")
            or re.match(r"\s*<(?:!doctype\s+html|html)\b", text, re.IGNORECASE)):
        text = _visible_text(text)
    return _first_line(text)


def _first_line(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.strip().splitlines() if line.strip()]
    return lines[0][:200] if lines else "(empty body)"


def _visible_text(page: str) -> str:
    """The text a browser shows of an HTML page, a line break at each block."""
    from html.parser import HTMLParser

    hidden = {"head", "script", "style", "template"}
    blocks = {"br", "div", "p", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td",
              "th", "table", "ul", "ol", "dl", "dt", "dd", "section", "article", "header",
              "footer", "main", "nav", "blockquote", "body", "hr", "form", "center"}

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in hidden:
                self.skip += 1
            elif tag in blocks:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in hidden:
                self.skip = max(0, self.skip - 1)
            elif tag in blocks:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


def run_named(store: SparqlStore, name: str, params: Mapping[str, str] | None = None,
              *, folder: Path | None = None) -> Results:
    """Run a named query with its parameters bound (defaults where not given)."""
    query = get_named_query(name, folder)
    return store.query(query.sparql, bind_parameters(query, params or {}, store))


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """``["a=1", "b=x y"]`` → ``{"a": "1", "b": "x y"}``."""
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"parameter {pair!r} is not name=value", field="param",
                             hint="write --param name=value")
        params[name.strip()] = value
    return params
