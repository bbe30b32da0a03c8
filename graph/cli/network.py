"""Network commands: show, path, deps, impact, rank, timeline, entities, export, render."""

from __future__ import annotations

import time
from pathlib import Path

import click

from graph import api
from graph.cli.common import (
    cli,
    force_option,
    graph_dir_only_option,
    graph_dir_option,
    rebuild_option,
)
from graph.cli.output import emit, output_options

as_of_option = click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="Only facts valid on this date: YYYY, YYYY-MM or YYYY-MM-DD.",
)
type_option = click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Only entities of this type or its subtypes (repeatable).",
)
predicate_option = click.option(
    "--predicate",
    "predicates",
    multiple=True,
    metavar="PREDICATE",
    help="Only facts of this predicate or its sub-properties (repeatable).",
)


@cli.command()
@click.argument("entity")
@graph_dir_option
@rebuild_option
@as_of_option
@output_options
def show(
    entity: str,
    graph_dir: Path,
    as_of: str | None,
    format: str | None,
    iris: bool,
    max_width: int | None,
) -> None:
    """An entity card: type, labels, aliases and every fact in and out with its quote.

    ENTITY is an id, label or alias, in any case, any dash or quote mark. As JSON,
    the card is one nested object; as CSV, TSV or JSON lines, one row per claim.
    """
    emit(api.show(entity, graph_dir=graph_dir, as_of=as_of, iris=iris), format, max_width)


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option(
    "--k",
    "k",
    type=click.IntRange(min=1),
    default=None,
    help="Show the K shortest paths instead of every shortest one.",
)
@graph_dir_option
@rebuild_option
@as_of_option
@type_option
@predicate_option
@output_options
def path(
    source: str,
    target: str,
    k: int | None,
    graph_dir: Path,
    as_of: str | None,
    types: tuple[str, ...],
    predicates: tuple[str, ...],
    format: str | None,
    iris: bool,
    max_width: int | None,
) -> None:
    """How two entities are connected, hop by hop, with the quote of every fact.

    As CSV, TSV or JSON: one row per claim of each hop's facts.
    """
    emit(
        api.paths(
            source,
            target,
            k=k,
            graph_dir=graph_dir,
            as_of=as_of,
            types=types,
            predicates=predicates,
            iris=iris,
        ),
        format,
        max_width,
    )


@cli.command()
@click.argument("entity")
@graph_dir_option
@rebuild_option
@as_of_option
@output_options
def deps(
    entity: str,
    graph_dir: Path,
    as_of: str | None,
    format: str | None,
    iris: bool,
    max_width: int | None,
) -> None:
    """What ENTITY depends on, transitively (ag:dependsOn and its sub-properties).

    When nothing is found it says whether the graph holds no dependency facts
    about ENTITY (missing data) or holds some and none points this way.
    """
    emit(api.deps(entity, graph_dir=graph_dir, as_of=as_of, iris=iris), format, max_width)


@cli.command("impact")
@click.argument("entity")
@graph_dir_option
@rebuild_option
@as_of_option
@output_options
def impact_command(
    entity: str,
    graph_dir: Path,
    as_of: str | None,
    format: str | None,
    iris: bool,
    max_width: int | None,
) -> None:
    """What depends on ENTITY, transitively: what is affected if it fails or changes.

    When nothing is found it says whether the graph holds no dependency facts
    about ENTITY (missing data) or holds some and nothing depends on it.
    """
    emit(api.impact(entity, graph_dir=graph_dir, as_of=as_of, iris=iris), format, max_width)


@cli.command()
@click.option(
    "--metric",
    type=click.Choice(["degree", "pagerank", "betweenness"]),
    default="degree",
    show_default=True,
    help="Centrality metric.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many entities to list.",
)
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=None,
    help="Estimate betweenness from this many sampled sources.",
)
@graph_dir_option
@rebuild_option
@as_of_option
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="List only entities of this type or its subtypes (repeatable); the "
    "ranking is still computed on the whole graph.",
)
@predicate_option
@output_options
def rank(
    metric: str,
    top: int,
    samples: int | None,
    graph_dir: Path,
    as_of: str | None,
    types: tuple[str, ...],
    predicates: tuple[str, ...],
    format: str | None,
    iris: bool,
    max_width: int | None,
) -> None:
    """Rank entities by centrality (betweenness is sampled on large graphs, and says so).

    RANK is the position in the whole ranking, also when --type filters the list.
    """
    emit(
        api.rank(
            metric=metric,
            top=top,
            samples=samples,
            graph_dir=graph_dir,
            as_of=as_of,
            types=types,
            predicates=predicates,
            iris=iris,
        ),
        format,
        max_width,
    )


@cli.command()
@click.option(
    "--entity",
    default=None,
    metavar="ENTITY",
    help="Only dated facts whose subject or object is ENTITY.",
)
@type_option
@graph_dir_option
@rebuild_option
@as_of_option
@output_options
def timeline(
    entity: str | None,
    types: tuple[str, ...],
    graph_dir: Path,
    as_of: str | None,
    format: str | None,
    iris: bool,
    max_width: int | None,
) -> None:
    """Dated facts and events in date order, dates at the precision the source gives."""
    emit(
        api.timeline(entity=entity, types=types, graph_dir=graph_dir, as_of=as_of, iris=iris),
        format,
        max_width,
    )


@cli.command()
@type_option
@click.option(
    "--source", default=None, metavar="SOURCE", help="Only entities this source states facts about."
)
@graph_dir_option
@as_of_option
@output_options
def entities(
    types: tuple[str, ...],
    source: str | None,
    graph_dir: Path,
    as_of: str | None,
    format: str | None,
    iris: bool,
    max_width: int | None,
) -> None:
    """List entities: id, type, labels, and how many aliases, facts and sources.

    --type includes subtypes (--type Organization lists agencies and companies).
    """
    emit(
        api.entities(types=types, source=source, graph_dir=graph_dir, as_of=as_of, iris=iris),
        format,
        max_width,
    )


@cli.command()
@click.option(
    "--format",
    "format_",
    type=click.Choice(["graphml", "gexf"]),
    default=None,
    help="File format (default: from the extension of --out).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write (replaced atomically).",
)
@graph_dir_only_option
@rebuild_option
@force_option
@as_of_option
def export(format_: str | None, out: Path, graph_dir: Path, force: bool, as_of: str | None) -> None:
    """Write the network as GraphML or GEXF for Gephi; lists become JSON text."""
    written = api.export_network(out, graph_dir=graph_dir, format=format_, as_of=as_of, force=force)
    click.echo(f"wrote {written}")


@cli.command()
@click.option(
    "--view",
    default="all",
    show_default=True,
    help="all, ego:ID[:RADIUS], path:A,B, deps:ID or source:SRC.",
)
@click.option(
    "--out",
    "dest",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="HTML file to write (default: explorer-<view>.html in the build folder).",
)
@graph_dir_only_option
@rebuild_option
@force_option
@as_of_option
def render(view: str, dest: Path | None, graph_dir: Path, force: bool, as_of: str | None) -> None:
    """Render a view of the graph as one offline HTML file."""
    import re as re_

    started = time.perf_counter()
    if dest is None:
        slug = re_.sub(r"[^a-z0-9]+", "-", view.lower()).strip("-") or "all"
        dest = graph_dir / f"explorer-{slug}.html"  # explorer.html is the build's own
    api.render(view, out=dest, graph_dir=graph_dir, as_of=as_of, force=force)
    click.echo(
        f"wrote {dest} ({dest.stat().st_size // 1024} KiB) in {time.perf_counter() - started:.2f} s"
    )
