"""Commands over the records: build, validate, stats, schema."""

from __future__ import annotations

import time
from pathlib import Path

import click

from graph import api
from graph.cli.common import (
    _print_summary,
    _print_warnings,
    cli,
    data_option,
    graph_dir_option,
    rebuild_option,
    strict_option,
)


@cli.command()
@data_option
@graph_dir_option
@strict_option
@click.option(
    "--force",
    is_flag=True,
    default=False,
    help="Build into a folder that holds other files (they stay).",
)
def build(data: Path | None, graph_dir: Path, strict: bool, force: bool) -> None:
    """Validate the records and write the graph (Turtle, JSON-LD, N-Triples, explorer),
    as one set with a manifest."""
    started = time.perf_counter()
    result = api.build(data, graph_dir, strict=strict, force=force)
    _print_warnings(result.warnings)
    _print_summary(result.summary(), time.perf_counter() - started)


@cli.command()
@data_option
@strict_option
def validate(data: Path | None, strict: bool) -> None:
    """Check records, quotes and SHACL shapes without writing anything; report conflicts."""
    result = api.validate(data, strict=strict)
    _print_warnings(result.warnings)
    _print_summary(result.summary())


@cli.command()
@graph_dir_option
@rebuild_option
def stats(graph_dir: Path) -> None:
    """Summarise a built graph."""
    _print_summary(api.stats(api.built_path(graph_dir)))


@cli.command()
@data_option
def schema(data: Path | None) -> None:
    """List the entity types, the predicates records may use (with domain and range),
    and the entity ids of the data folder by type."""
    from graph.ontology import load_ontology

    onto = load_ontology()
    click.echo("entity types:")
    for name, cls in sorted(onto.entity_classes().items()):
        click.echo(f"  {name:<22} {cls.label_en} / {cls.label_ja or ''}")
    click.echo("predicates (subject type -> object type):")
    for name, prop in sorted(onto.claim_predicates.items()):
        marks = [
            m
            for m, on in (
                ("dependency", name in onto.dependency_predicates),
                ("single-valued", onto.functional(name)),
            )
            if on
        ]
        marks_text = f"  [{', '.join(marks)}]" if marks else ""
        click.echo(
            f"  {name:<24} {onto.class_name(prop.domain)} -> "
            f"{onto.class_name(prop.range)}{marks_text}"
        )
    from graph.records import SourceRecord

    click.echo("source.yaml fields:")
    for name, info in SourceRecord.model_fields.items():
        required = " (required)" if info.is_required() else ""
        click.echo(f"  {info.alias or name:<19} {info.description}{required}")
    for scheme, field in (("SourceKind", "kind"), ("CopyKind", "copy")):
        click.echo(f"{field} values:")
        for notation, concept in sorted(
            onto.concepts(scheme).items(), key=lambda kv: (kv[1].precedence, kv[0])
        ):
            click.echo(f"  {notation:<19} {concept.label_en} / {concept.label_ja or ''}")
    click.echo("claim ranks (optional 'rank:' with 'rank_reason:' in claims.yaml):")
    for notation, concept in sorted(onto.concepts("Rank").items()):
        click.echo(f"  {notation:<19} {concept.comment}")
    import textwrap

    click.echo("entity ids, by type ('alliance-graph entities' lists them with labels):")
    for kind, ids in api.entity_ids(data).items():
        click.echo(
            textwrap.fill(
                ", ".join(ids),
                width=100,
                initial_indent=f"  {kind}: ",
                subsequent_indent="    ",
                break_on_hyphens=False,
                break_long_words=False,
            )
        )
