"""The output options every answering command shares, and the one place that prints
an answer.

``--format table|csv|tsv|json|jsonl`` (with ``--csv``, ``--tsv``, ``--json``,
``--jsonl``/``--nl`` as short forms, as in sqlite-utils), ``--iris`` for full
IRIs instead of ids, and ``--max-width`` for terminal tables. Machine formats
keep standard output parseable: the note on how an answer was computed and
the reason an answer is empty go to standard error.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from graph.table import Table

#: The output formats (:data:`graph.present.FORMATS`, repeated here so that the CLI
#: starts without importing the presenter).
FORMATS = ("table", "csv", "tsv", "json", "jsonl")


def _alias(name: str) -> Any:
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta["format_alias"] = name
    return callback


def output_options(func: Any) -> Any:
    """``--format``, its short forms, ``--iris`` and ``--max-width``; the command
    receives ``format``, ``iris`` and ``max_width``."""
    for flag, name in (("--nl", "jsonl"), ("--jsonl", "jsonl"), ("--json", "json"),
                       ("--tsv", "tsv"), ("--csv", "csv")):
        func = click.option(flag, is_flag=True, expose_value=False, is_eager=True,
                            callback=_alias(name),
                            help=f"Short for --format {name}.")(func)
    func = click.option(
        "--max-width", "max_width", type=click.IntRange(min=20), default=None, metavar="N",
        help="Wrap terminal tables to N columns (default: the terminal's width).")(func)
    func = click.option(
        "--iris", is_flag=True, default=False,
        help="Full IRIs instead of ids for entities, predicates, sources and claims.")(func)
    return click.option(
        "--format", "format", type=click.Choice(FORMATS), default=None,
        help="Output format.  [default: table]")(func)


def emit(table: Table, format: str | None, max_width: int | None = None) -> None:
    """Print ``table`` in ``format`` (or the short form given), with its note and, when
    it has no rows, why."""
    from graph.present import render
    from graph.present.terminal import style, use_color

    ctx = click.get_current_context(silent=True)
    alias = ctx.meta.get("format_alias") if ctx is not None else None
    if format and alias and format != alias:
        raise click.UsageError(f"--format {format} and --{alias} disagree")
    fmt = format or alias or "table"
    color = use_color(sys.stdout)
    if fmt == "table":
        if table.report is None and table.note:
            click.echo(table.note)
        if not table.rows and table.empty and table.report is None:
            click.echo(style(f"no answer: {table.empty}", color, fg="yellow"))
            return
        click.echo(render(table, "table", width=max_width, color=color), nl=False)
        return
    if table.note and table.report is None:
        click.echo(f"note: {table.note}", err=True)
    if not table.rows and table.empty:
        click.echo(f"no answer: {table.empty}", err=True)
    click.echo(render(table, fmt), nl=False)
