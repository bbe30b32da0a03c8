"""Syntax errors as the user wrote the query: line, column and a readable reason.

Engines report positions in the text they were sent, which may hold the
parameters' ``VALUES`` row and the default prefixes; :func:`syntax_error`
maps them back. Also refuses SPARQL updates (the graph is read-only).
Depends on :mod:`graph.errors` (rdflib's parser imported lazily).
"""

from __future__ import annotations

import re

from graph.errors import QueryError
from graph.sparql.binding import Insertion

UPDATE = re.compile(
    r"^(?:\s|#[^\n]*\n|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>))*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


#: Where parsers put the position: "line 3, column 7" (rdflib), "error at 3:7"
#: (Oxigraph), "line 3:" (Virtuoso, no column).
_POSITION = re.compile(r"line (\d+),? column (\d+)|\bat (\d+):(\d+)|\bline (\d+)\b")


def update_refused() -> QueryError:
    return QueryError(
        "SPARQL updates are refused: the graph is read-only",
        field="sparql",
        hint="change the data in data/ and run 'alliance-graph build'",
    )


def syntax_error(
    exc: Exception,
    sparql: str,
    inserted: Insertion | None = None,
    *,
    prefix: str = "malformed SPARQL",
    locate: bool = False,
) -> QueryError:
    """A parser's message as a :class:`QueryError` naming the line and column
    as the user wrote them (before the parameters' VALUES row was put in).

    Oxigraph sometimes places a syntax error at the very end of the input;
    then, with ``locate``, rdflib's grammar (pyparsing, which stops where the
    construct that fails to parse starts) re-reads the text to say where.
    """
    if UPDATE.match(sparql):
        return update_refused()
    message = str(exc)
    line = column = None
    match = _POSITION.search(message)
    if match and match.group(5):
        line = int(match.group(5))
    elif match:
        words = match.group(1) is not None
        line = int(match.group(1) if words else match.group(3))
        column = (inserted or Insertion()).original(
            line, int(match.group(2) if words else match.group(4))
        )
        message = (message[: match.start()] + message[match.end() :]).strip(" :")
        message = re.sub(r"^error\s*:?\s*", "", message) or "syntax error"
    lines = sparql.splitlines()
    # Oxigraph lists every token it could have taken; the sentences in that
    # list ("Prefix not found") are what a person needs.
    sentences = (
        re.findall(r"(?<![\w'\"])[A-Z][a-z]+(?: [\w-]+){2,}", message)
        if message.startswith("expected")
        else []
    )
    message = "; ".join(sentences) if sentences else " ".join(message.split())
    if "Prefix not found" in sentences and line and column and 0 < line <= len(lines):
        # Oxigraph stops just after the prefixed name: name it and point at it.
        name = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*\s*$", lines[line - 1][: column - 1])
        if name:
            column = name.start() + 1
            message = f"prefix '{name.group(1) or ''}:' is not declared"
    at_end = line is None or (
        column is not None and not "\n".join(lines[line - 1 :])[column - 1 :].strip()
    )
    if locate and at_end and not sentences:
        found = _rdflib_position(sparql)
        if found and found[2] == _TOO_SOON:
            message = found[2]
        elif found:
            line, column, message = found
    if len(message) > 160:
        message = message[: message.rfind(",", 0, 150) + 1 or 150] + " …"
    where = hint = ""
    if line is not None:
        where = f" at line {line}" + (f", column {column}" if column else "")
        if 0 < line <= len(lines):
            text = lines[line - 1]
            near = text[column - 1 :].strip() if column else ""
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
