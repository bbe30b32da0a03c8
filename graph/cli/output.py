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
#: The W3C SPARQL 1.1 result formats, offered by the commands that run SPARQL.
SPARQL_FORMATS = ("sparql-json", "sparql-csv")


def _alias(name: str) -> Any:
    def callback(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta["format_alias"] = name

    return callback


def output_options(func: Any = None, *, sparql: bool = False) -> Any:
    """``--format``, its short forms, ``--iris`` and ``--max-width``; the command
    receives ``format``, ``iris`` and ``max_width``. With ``sparql``, the choices
    add ``sparql-json`` and ``sparql-csv``, the W3C SPARQL 1.1 result formats (full
    IRIs, typed terms: what SPARQL tools read); ``csv`` and ``json`` stay the typed
    rows with ids that every command writes."""
    if func is None:
        return lambda f: output_options(f, sparql=sparql)
    for flag, name in (
        ("--nl", "jsonl"),
        ("--jsonl", "jsonl"),
        ("--json", "json"),
        ("--tsv", "tsv"),
        ("--csv", "csv"),
    ):
        func = click.option(
            flag,
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_alias(name),
            help=f"Short for --format {name}.",
        )(func)
    func = click.option(
        "--max-width",
        "max_width",
        type=click.IntRange(min=20),
        default=None,
        metavar="N",
        help="Wrap terminal tables to N columns (default: the terminal's width).",
    )(func)
    func = click.option(
        "--iris",
        is_flag=True,
        default=False,
        help="Full IRIs instead of ids for entities, predicates, sources and claims.",
    )(func)
    note = (
        "; csv, tsv, json and jsonl are typed rows with ids (IRIs with --iris), "
        "sparql-json and sparql-csv the W3C SPARQL 1.1 result formats (full IRIs, "
        "typed terms)"
        if sparql
        else ""
    )
    choices = FORMATS + SPARQL_FORMATS if sparql else FORMATS
    return click.option(
        "--format",
        "format",
        type=click.Choice(choices),
        default=None,
        help=f"Output format{note}.  [default: table]",
    )(func)


def _chosen(format: str | None) -> str:
    ctx = click.get_current_context(silent=True)
    alias = ctx.meta.get("format_alias") if ctx is not None else None
    if format and alias and format != alias:
        raise click.UsageError(f"--format {format} and --{alias} disagree")
    return format or alias or "table"


def emit_results(
    results: Any, format: str | None, iris: bool = False, max_width: int | None = None
) -> None:
    """Print SPARQL results: ``sparql-json`` and ``sparql-csv`` as SPARQL 1.1 results,
    every other format as typed rows (:func:`graph.present.results.results_table`),
    as every other command writes them."""
    fmt = _chosen(format)
    if fmt == "sparql-json":
        click.echo(results.to_json())
    elif fmt == "sparql-csv":
        click.echo(results.to_csv(), nl=False)
    elif results.boolean is not None and fmt == "table":
        click.echo("yes" if results.boolean else "no")
    else:
        from graph.present.results import results_table

        emit(results_table(results, iris=iris), fmt, max_width)


def emit(table: Table, format: str | None, max_width: int | None = None) -> None:
    """Print ``table`` in ``format`` (or the short form given), with its note and, when
    it has no rows, why."""
    from graph.present import render
    from graph.present.terminal import style, use_color

    fmt = _chosen(format)
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
