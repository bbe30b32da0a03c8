"""Presenting answers: one place that turns typed rows into every output format.

Every command that answers a question (``show``, ``path``, ``deps``, ``impact``,
``timeline``, ``rank``, ``entities``, ``conflicts``, ``query``) hands a
:class:`Table` — typed columns and rows of plain Python values — to
:func:`render`, which writes it as

- ``table``: aligned columns for a terminal, long text (quotes) wrapped whole
  to the width, never cut (:mod:`graph.present.terminal`);
- ``csv`` / ``tsv``: one header line, then one line per row (RFC 4180 quoting
  for CSV; tabs and newlines in TSV cells become spaces);
- ``json``: one array of row objects (or, for ``show``, the nested card);
- ``jsonl``: one row object per line.

Values keep their types: numbers stay numbers, booleans booleans, dates are
strings at the precision the source gives (``"2023-01"``); missing values are
``null`` in JSON and empty in CSV. Entity, predicate, source and claim columns
hold ids; ``iris=`` maps them to full IRIs. :meth:`Table.to_dataframe` gives the
same rows to pandas with matching dtypes. The long-form terminal reports of
``show``, ``path``, ``deps``, ``impact`` and ``timeline`` are in
:mod:`graph.present.text`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.errors import InvalidOptionError
from graph.table import DTYPES, ID_KINDS, Column, Table, number

__all__ = [
    "DTYPES",
    "FORMATS",
    "ID_KINDS",
    "Column",
    "Table",
    "columns",
    "from_dataframe",
    "number",
    "render",
    "rows_of",
]

if TYPE_CHECKING:
    import pandas as pd

#: The output formats every answering command takes.
FORMATS = ("table", "csv", "tsv", "json", "jsonl")


def _cell(value: Any) -> str:
    """A value as CSV/TSV text: booleans ``true``/``false``, None empty, lists and
    dicts as JSON, floats without needless noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


# --- rendering ---------------------------------------------------------------------------
def render(
    table: Table | pd.DataFrame,
    fmt: str = "table",
    *,
    width: int | None = None,
    color: bool = False,
) -> str:
    """``table`` in format ``fmt`` (one of :data:`FORMATS`), ending with a newline
    unless empty.

    ``width`` and ``color`` are for ``table`` only: the width to wrap to
    (default: the terminal's) and whether to style the header.

    Examples
    --------
    >>> t = Table([Column("id", "entity"), Column("score", "float"), Column("ok", "bool")],
    ...           [{"id": "dod", "score": 0.5, "ok": True}])
    >>> print(render(t, "csv"), end="")
    id,score,ok
    dod,0.5,true
    >>> print(render(t, "jsonl"), end="")
    {"id": "dod", "score": 0.5, "ok": true}
    """
    if not isinstance(table, Table):
        table = from_dataframe(table)
    if fmt == "json":
        doc = (
            table.document
            if table.document is not None
            else [{k: _jsonable(r.get(k)) for k in table.names} for r in table.rows]
        )
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if fmt == "jsonl":
        return "".join(
            json.dumps({k: _jsonable(r.get(k)) for k in table.names}, ensure_ascii=False) + "\n"
            for r in table.rows
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.names)
        for row in table.rows:
            writer.writerow([_cell(row.get(k)) for k in table.names])
        return buffer.getvalue()
    if fmt == "tsv":  # tabs and line breaks inside a cell become spaces
        lines = ["\t".join(table.names)]
        lines += [
            "\t".join(
                " ".join(_cell(row.get(k)).replace("\t", " ").splitlines()) for k in table.names
            )
            for row in table.rows
        ]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        from graph.present.terminal import grid, terminal_width

        if table.report is not None:
            return table.report(terminal_width(width)).rstrip("\n") + "\n"
        return grid(table, width=width, color=color)
    raise InvalidOptionError(
        f"unknown format {fmt!r}", field="format", hint=f"use one of: {', '.join(FORMATS)}"
    )


def from_dataframe(frame: pd.DataFrame) -> Table:
    """A :class:`Table` of a DataFrame, column kinds read off its dtypes."""
    import pandas as pd

    def kind(dtype: Any) -> str:
        if pd.api.types.is_bool_dtype(dtype):
            return "bool"
        if pd.api.types.is_integer_dtype(dtype):
            return "int"
        if pd.api.types.is_float_dtype(dtype):
            return "float"
        return "text"

    columns = [Column(str(name), kind(frame[name].dtype)) for name in frame.columns]
    rows = [
        {str(k): (None if _is_na(v) else _plain(v)) for k, v in rec.items()}
        for rec in frame.to_dict(orient="records")
    ]
    return Table(columns, rows)


def _is_na(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones."""
    return value.item() if hasattr(value, "item") and not isinstance(value, str) else value


def columns(*specs: str | tuple[str, str] | tuple[str, str, bool]) -> list[Column]:
    """Columns from short specs: ``"name"`` (text), ``("name", kind)`` or
    ``("name", kind, wrap)``."""
    out = []
    for spec in specs:
        out.append(Column(spec) if isinstance(spec, str) else Column(*spec))
    return out


def rows_of(records: Iterable[Mapping[str, Any]], names: Sequence[str]) -> list[dict[str, Any]]:
    """Plain dict rows with exactly ``names``."""
    return [{n: r.get(n) for n in names} for r in records]
