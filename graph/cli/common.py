"""What every command shares: the group, the common options and the error boundary.

Errors reach the user once, here, as ``Error: …`` with exit status 1
(:class:`AllianceGraphError` is caught in one place, :func:`main`). Option names
are keyword names (``--graph-dir`` is ``graph_dir`` everywhere, ``--out`` is a
file a command writes), as in :mod:`graph.api`.
"""

from __future__ import annotations

from pathlib import Path

import click

from graph import api
from graph.errors import AllianceGraphError

data_option = click.option(
    "--data",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data folder with entities/ and sources/ (default: the shipped data).",
)


def _old_out(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta["graph_dir"] = value


def _graph_dir(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    folder = value if value is not None else ctx.meta.get("graph_dir", api.DEFAULT_GRAPH_DIR)
    if ctx.meta.get("rebuild"):
        api.built_path(folder, rebuild=True)  # missing or older than its data: build it now
    return folder


def _rebuild(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta["rebuild"] = True


rebuild_option = click.option(
    "--rebuild",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_rebuild,
    help="If the build is missing or older than its data, build it first.",
)
force_option = click.option(
    "--force",
    is_flag=True,
    default=False,
    help="Replace a file alliance-graph did not write (never one in a data folder, an "
    "input of the command or a file of a build).",
)


def graph_dir_option(func):
    """``--graph-dir``: the folder of the built graph, in every command that reads or
    writes one. ``--out`` was its name in earlier releases; it is still read, unlisted,
    by the commands where it never meant a file to write."""
    func = click.option(
        "--graph-dir",
        "graph_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        callback=_graph_dir,
        help=f"Folder of the built graph.  [default: {api.DEFAULT_GRAPH_DIR}]",
    )(func)
    return click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        hidden=True,
        expose_value=False,
        is_eager=True,
        callback=_old_out,
        help="Old name of --graph-dir, still read.",
    )(func)


def graph_dir_only_option(func):
    """``--graph-dir`` for commands whose ``--out`` is a file they write."""
    return click.option(
        "--graph-dir",
        "graph_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=api.DEFAULT_GRAPH_DIR,
        show_default=True,
        callback=_graph_dir,
        help="Folder of the built graph.",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="alliance-graph")
def cli() -> None:
    """An evidence-carrying knowledge graph of US–Japan defence-alliance entities.

    Every fact is traceable to the source sentence that states it.
    """


strict_option = click.option(
    "--strict",
    is_flag=True,
    default=False,
    help="Treat a conflict between sources that no record has ranked as an error.",
)


def _print_warnings(warnings: list[AllianceGraphError]) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if warnings:
        click.echo(
            f"{len(warnings)} conflict(s) between sources: both claims are kept; "
            "'alliance-graph conflicts' lists them",
            err=True,
        )


def _print_summary(summary: dict[str, object], seconds: float | None = None) -> None:
    click.echo(f"entities:  {summary['entities']}")
    by_type = summary["entities_by_type"]
    assert isinstance(by_type, dict)
    width = max(len(t) for t in by_type) if by_type else 0
    for name, count in by_type.items():
        click.echo(f"  {name:<{width}}  {count:>4}")
    click.echo(f"facts:     {summary['facts']}  (statements with evidence: {summary['claims']})")
    if "corroborated" in summary:
        click.echo(
            f"  corroborated by 2+ independent sources: {summary['corroborated']} "
            f"({summary['corroborated_pct']} %)"
        )
    if "refined" in summary:
        click.echo(f"  refined (compatible values, one more precise): {summary['refined']}")
    if "conflicting" in summary:
        click.echo(
            f"  conflicting (incompatible values kept with both quotes): {summary['conflicting']}"
        )
    click.echo(f"sources:   {summary['sources']}")
    click.echo(f"triples:   {summary['triples']}")
    if "validation" in summary:
        click.echo(
            f"validation: {summary['validation']} "
            f"({summary['shapes']} SHACL shapes, "
            f"{summary['violation_queries']} violation queries)"
        )
    outputs = summary.get("outputs") or []
    assert isinstance(outputs, list)
    for path in outputs:
        click.echo(f"wrote {path}")
    if seconds is not None:
        click.echo(f"took {seconds:.2f} s")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status. Errors print once as ``Error: …``."""
    try:
        cli.main(args=argv, prog_name="alliance-graph", standalone_mode=False)
    except AllianceGraphError as exc:
        for line in str(exc).splitlines():
            click.echo(f"Error: {line}" if not line.startswith(" ") else line, err=True)
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0
