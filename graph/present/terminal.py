"""Text for a terminal: its width, colour only where it belongs, and tables whose long
cells wrap whole instead of being cut.

Widths are counted in terminal columns (CJK wide and full-width characters
take two). Colour is used only when the output is a terminal and ``NO_COLOR``
is not set (https://no-color.org).
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from graph.present import Table

#: Narrowest width a table wraps to, whatever the terminal says.
MIN_WIDTH = 40
#: Fewest columns a wrapped cell gets.
MIN_CELL = 12


def terminal_width(max_width: int | None = None) -> int:
    """The width to write to: ``max_width`` if given, else the terminal's
    (``COLUMNS`` or the console size; 100 when not a terminal)."""
    if max_width:
        return max(max_width, MIN_WIDTH)
    return max(shutil.get_terminal_size((100, 24)).columns, MIN_WIDTH)


def use_color(stream: IO[str] | None) -> bool:
    """True when ``stream`` is a terminal and ``NO_COLOR`` is unset or empty."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def style(text: str, color: bool, **styles: object) -> str:
    """``click.style(text, **styles)`` when ``color``, else the text as is."""
    if not color:
        return text
    import click

    return click.style(text, **styles)  # type: ignore[arg-type]


def columns(text: str) -> int:
    """Terminal columns ``text`` takes.

    >>> columns("防衛省"), columns("MOD")
    (6, 3)
    """
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken at spaces (a word longer
    than a line is broken inside). Nothing is dropped but runs of white space.

    >>> wrap("Japan produces Patriot missiles under U.S. licence", 20)
    ['Japan produces', 'Patriot missiles', 'under U.S. licence']
    """
    width = max(width, 1)
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        size = columns(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        line, used = "", 0
        while size > width:  # a word wider than the line: cut it into pieces
            piece, taken = "", 0
            for char in word:
                if taken + columns(char) > width:
                    break
                piece, taken = piece + char, taken + columns(char)
            lines.append(piece)
            word = word[len(piece) :]
            size = columns(word)
        line, used = word, size
    if line or not lines:
        lines.append(line)
    return lines


def grid(table: Table, *, width: int | None = None, color: bool = False) -> str:
    """Aligned columns, a rule under the header, a row count; long cells wrap to fit
    ``width`` (wrap-marked columns first), never cut."""
    from graph.present import _cell

    width = terminal_width(width)
    names = table.names
    cells = [[_cell(row.get(n)) for n in names] for row in table.rows]
    natural = [
        max([columns(n)] + [max((columns(x) for x in c[i].splitlines()), default=0) for c in cells])
        for i, n in enumerate(names)
    ]
    sizes = list(natural)
    gaps = 2 * (len(names) - 1)
    # Shrink the wrapping columns (quotes, labels), widest first, then other text;
    # ids, numbers and dates keep their width: a cut id is no id.
    order = sorted(
        (i for i, c in enumerate(table.columns) if c.wrap or c.kind in ("text", "any")),
        key=lambda i: (not table.columns[i].wrap, -sizes[i]),
    )
    for i in order:
        excess = sum(sizes) + gaps - width
        if excess <= 0:
            break
        sizes[i] = max(MIN_CELL, columns(names[i]), sizes[i] - excess)

    def line(values: list[str]) -> str:
        return "  ".join(
            v + " " * (w - columns(v)) for v, w in zip(values, sizes, strict=True)
        ).rstrip()

    head = line(names)
    out = [style(head, color, bold=True), "  ".join("-" * w for w in sizes)]
    for row in cells:
        parts = [
            [piece for para in (value.splitlines() or [""]) for piece in wrap(para, w)]
            for value, w in zip(row, sizes, strict=True)
        ]
        for k in range(max(len(p) for p in parts) if parts else 0):
            out.append(line([p[k] if k < len(p) else "" for p in parts]))
    n = len(cells)
    out.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(out) + "\n"
