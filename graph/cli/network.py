"""Network commands: show, path, deps, impact, rank, timeline, export, render."""

from __future__ import annotations

import time
from pathlib import Path

import click

from graph import api
from graph.cli.common import cli, graph_dir_only_option, graph_dir_option

as_of_option = click.option(
    "--as-of", "as_of", default=None, metavar="DATE",
    help="Only facts valid on this date: YYYY, YYYY-MM or YYYY-MM-DD.")
type_option = click.option(
    "--type", "types", multiple=True, metavar="TYPE",
    help="Only entities of this type or its subtypes (repeatable).")
predicate_option = click.option(
    "--predicate", "predicates", multiple=True, metavar="PREDICATE",
    help="Only facts of this predicate or its sub-properties (repeatable).")


@cli.command()
@click.argument("entity")
@graph_dir_option
@as_of_option
def show(entity: str, graph_dir: Path, as_of: str | None) -> None:
    """An entity card: type, labels, aliases and every fact in and out with its quote.

    ENTITY is an id, label or alias, in any case.
    """
    from graph.analysis import format_card
    from graph.network import resolve_entity

    G = api.to_networkx(graph_dir, as_of=as_of)
    click.echo(format_card(G, resolve_entity(G, entity)))


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option("--k", "k", type=click.IntRange(min=1), default=None,
              help="Show the K shortest paths instead of every shortest one.")
@graph_dir_option
@as_of_option
@type_option
@predicate_option
def path(source: str, target: str, k: int | None, graph_dir: Path, as_of: str | None,
         types: tuple[str, ...], predicates: tuple[str, ...]) -> None:
    """How two entities are connected, hop by hop, with the quote of every fact."""
    from graph.analysis import format_paths, k_shortest_paths, shortest_paths
    from graph.network import resolve_entity

    G = api.to_networkx(graph_dir, as_of=as_of, types=list(types) or None,
                        predicates=list(predicates) or None)
    s, t = resolve_entity(G, source), resolve_entity(G, target)
    paths = shortest_paths(G, s, t) if k is None else k_shortest_paths(G, s, t, k=k)
    click.echo(format_paths(G, paths))


def _dependency_command(entity: str, graph_dir: Path, as_of: str | None, *, reverse: bool) -> None:
    from graph.analysis import dependency_closure, format_links, impact
    from graph.network import resolve_entity

    G = api.to_networkx(graph_dir, as_of=as_of)
    node = resolve_entity(G, entity)
    links = impact(G, node) if reverse else dependency_closure(G, node)
    click.echo(format_links(G, node, links, reverse=reverse))


@cli.command()
@click.argument("entity")
@graph_dir_option
@as_of_option
def deps(entity: str, graph_dir: Path, as_of: str | None) -> None:
    """What ENTITY depends on, transitively (ag:dependsOn and its sub-properties)."""
    _dependency_command(entity, graph_dir, as_of, reverse=False)


@cli.command("impact")
@click.argument("entity")
@graph_dir_option
@as_of_option
def impact_command(entity: str, graph_dir: Path, as_of: str | None) -> None:
    """What depends on ENTITY, transitively: what is affected if it fails or changes."""
    _dependency_command(entity, graph_dir, as_of, reverse=True)


@cli.command()
@click.option("--metric", type=click.Choice(["degree", "pagerank", "betweenness"]),
              default="degree", show_default=True, help="Centrality metric.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many entities to list.")
@click.option("--samples", type=click.IntRange(min=1), default=None,
              help="Estimate betweenness from this many sampled sources.")
@graph_dir_option
@as_of_option
@type_option
@predicate_option
def rank(metric: str, top: int, samples: int | None, graph_dir: Path, as_of: str | None,
         types: tuple[str, ...], predicates: tuple[str, ...]) -> None:
    """Rank entities by centrality (betweenness is sampled on large graphs, and says so)."""
    from graph.analysis import format_ranking
    from graph.analysis import rank as rank_entities

    G = api.to_networkx(graph_dir, as_of=as_of, types=list(types) or None,
                        predicates=list(predicates) or None)
    click.echo(format_ranking(G, rank_entities(G, metric=metric, samples=samples), top=top))


@cli.command()
@graph_dir_option
@as_of_option
def timeline(graph_dir: Path, as_of: str | None) -> None:
    """Dated facts and events in date order, dates at the precision the source gives."""
    from graph.analysis import format_timeline
    from graph.analysis import timeline as dated

    G = api.to_networkx(graph_dir, as_of=as_of)
    click.echo(format_timeline(G, dated(G)))


@cli.command()
@click.option("--format", "format_", type=click.Choice(["graphml", "gexf"]), default=None,
              help="File format (default: from the extension of --out).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write (replaced atomically).")
@graph_dir_only_option
@as_of_option
def export(format_: str | None, out: Path, graph_dir: Path, as_of: str | None) -> None:
    """Write the network as GraphML or GEXF for Gephi; lists become JSON text."""
    written = api.export_network(out, graph_dir=graph_dir, format=format_, as_of=as_of)
    click.echo(f"wrote {written}")


@cli.command()
@click.option("--view", default="all", show_default=True,
              help="all, ego:ID[:RADIUS], path:A,B, deps:ID or source:SRC.")
@click.option("--out", "dest", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write (default: build/explorer-<view>.html).")
@graph_dir_only_option
@as_of_option
def render(view: str, dest: Path | None, graph_dir: Path, as_of: str | None) -> None:
    """Render a view of the graph as one offline HTML file."""
    import re as re_

    started = time.perf_counter()
    if dest is None:
        slug = re_.sub(r"[^a-z0-9]+", "-", view.lower()).strip("-") or "all"
        dest = graph_dir / ("explorer.html" if view == "all" else f"explorer-{slug}.html")
    api.render(view, out=dest, graph_dir=graph_dir, as_of=as_of)
    click.echo(f"wrote {dest} ({dest.stat().st_size // 1024} KiB) in "
               f"{time.perf_counter() - started:.2f} s")
