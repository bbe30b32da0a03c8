"""The ``alliance-graph`` command line: thin commands over :mod:`graph.api`.

Each command opens, calls one API function and prints. Errors reach the user
once, here, as ``Error: …`` with exit status 1 (:class:`AllianceGraphError`
is caught in one place, :func:`main`). Heavy imports stay inside commands so
that start-up is fast.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from graph import api
from graph.errors import AllianceGraphError

data_option = click.option(
    "--data", "data", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Data folder with entities/ and sources/ (default: the shipped data).")
out_option = click.option(
    "--out", "out", type=click.Path(file_okay=False, path_type=Path), default=api.DEFAULT_OUT,
    show_default=True, help="Folder of the built graph.")


def _print_summary(summary: dict[str, object], seconds: float | None = None) -> None:
    click.echo(f"entities:  {summary['entities']}")
    by_type = summary["entities_by_type"]
    assert isinstance(by_type, dict)
    width = max(len(t) for t in by_type) if by_type else 0
    for name, count in by_type.items():
        click.echo(f"  {name:<{width}}  {count:>4}")
    click.echo(f"facts:     {summary['facts']}  (statements with evidence: {summary['claims']})")
    click.echo(f"sources:   {summary['sources']}")
    click.echo(f"triples:   {summary['triples']}")
    if "validation" in summary:
        click.echo(f"validation: {summary['validation']} "
                   f"({summary['shapes']} SHACL shapes, "
                   f"{summary['violation_queries']} violation queries)")
    outputs = summary.get("outputs") or []
    assert isinstance(outputs, list)
    for path in outputs:
        click.echo(f"wrote {path}")
    if seconds is not None:
        click.echo(f"took {seconds:.2f} s")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="alliance-graph")
def cli() -> None:
    """An evidence-carrying knowledge graph of US–Japan defence-alliance entities.

    Every fact is traceable to the source sentence that states it.
    """


@cli.command()
@data_option
@out_option
def build(data: Path | None, out: Path) -> None:
    """Validate the records and write the graph (Turtle, JSON-LD, N-Triples)."""
    started = time.perf_counter()
    result = api.build(data, out)
    _print_summary(result.summary(), time.perf_counter() - started)


@cli.command()
@data_option
def validate(data: Path | None) -> None:
    """Check records, quotes and SHACL shapes without writing anything."""
    result = api.validate(data)
    _print_summary(result.summary())


@cli.command()
@out_option
def stats(out: Path) -> None:
    """Summarise a built graph."""
    _print_summary(api.stats(api.built_path(out)))


@cli.command()
def schema() -> None:
    """List the entity types and the predicates records may use, with domain and range."""
    from graph.ontology import load_ontology

    onto = load_ontology()
    click.echo("entity types:")
    for name, cls in sorted(onto.entity_classes().items()):
        click.echo(f"  {name:<22} {cls.label_en} / {cls.label_ja or ''}")
    click.echo("predicates (subject type -> object type):")
    for name, prop in sorted(onto.claim_predicates.items()):
        dep = "  [dependency]" if name in onto.dependency_predicates else ""
        click.echo(f"  {name:<24} {onto.class_name(prop.domain)} -> "
                   f"{onto.class_name(prop.range)}{dep}")


# --- SPARQL commands: queries, query, serve, publish, synth ------------------------


# --- network commands: show, path, deps, impact, rank, timeline, export ------------


# --- explorer commands: render --------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status. Errors print once as ``Error: …``."""
    try:
        cli.main(args=argv, prog_name="alliance-graph", standalone_mode=False)
    except AllianceGraphError as exc:
        for line in str(exc).splitlines():
            click.echo(f"Error: {line}" if not line.startswith(" ") else line, err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
