"""Adding documents: ingest, review, diff."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from graph import api
from graph.cli.common import cli, data_option


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "--id",
    "source_id",
    default=None,
    help="Source id (default: from the published date and title).",
)
@click.option("--title", default=None, help="Title (default: the HTML title or file name).")
@click.option("--url", default=None, help="Where the document was published.")
@click.option("--published", default=None, help="Publication date, YYYY[-MM[-DD]].")
@click.option("--publisher", default=None, help="Whose words these are.")
@click.option("--author", default=None, help="The author, if named.")
@click.option(
    "--kind",
    default="article",
    show_default=True,
    help="Source kind: government, news, encyclopedia or article (the ontology's SourceKind list).",
)
@click.option(
    "--copy",
    "copy_",
    default="original",
    show_default=True,
    help="original, reprint or reworded (the ontology's CopyKind list).",
)
@click.option("--words-of", default=None, help="For a reprint or reworded copy: the original.")
@click.option("--excerpt", is_flag=True, help="The text is only part of the document.")
@data_option
def ingest(
    file: Path,
    source_id: str | None,
    title: str | None,
    url: str | None,
    published: str | None,
    publisher: str | None,
    author: str | None,
    kind: str,
    copy_: str,
    words_of: str | None,
    excerpt: bool,
    data: Path | None,
) -> None:
    """Add a document (UTF-8 text or HTML) as a source with claim drafts to review."""
    from graph.progress import stage

    started = time.perf_counter()
    with stage(f"ingest {file.name}"):
        result = api.ingest(
            file,
            data=data,
            id=source_id,
            title=title,
            url=url,
            published=published,
            publisher=publisher,
            author=author,
            kind=kind,
            copy=copy_,
            words_of=words_of,
            excerpt=excerpt,
        )
    found = result.analysis
    linked = [m for m in found.mentions if m.entity]
    click.echo(
        f"source:     {result.source_id}  ({result.words} words"
        + (", text extracted from HTML" if result.html else "")
        + ")"
    )
    click.echo(
        f"mentions:   {len(linked)} linked to {len({m.entity for m in linked})} entities"
        + (
            f", {sum(1 for m in linked if m.resolution and 'names' in m.resolution)} "
            "ambiguous resolved by context"
            if linked
            else ""
        )
    )
    learned = [a for a in found.acronyms if a.entity]
    if learned:
        pairs = dict.fromkeys(f"{a.acronym} → {a.entity}" for a in learned)
        click.echo("acronyms:   " + ", ".join(pairs))
    click.echo(f"drafts:     {len(found.drafts)} claim drafts")
    click.echo(f"candidates: {len(found.candidates)} names that link to no entity")
    for cand in found.candidates[:15]:
        extra = f" ({cand.acronym})" if cand.acronym else ""
        near = f"  close to {', '.join(e for e, _ in cand.near)}" if cand.near else ""
        click.echo(f"  {cand.count:>3}  {cand.text}{extra}{near}")
    if len(found.candidates) > 15:
        click.echo(f"  … {len(found.candidates) - 15} more in claims.draft.yaml")
    click.echo(
        f"wrote {result.folder}/ (text.txt, source.yaml, claims.draft.yaml) in "
        f"{time.perf_counter() - started:.2f} s"
    )
    click.echo(
        f"next: set 'status:' in claims.draft.yaml, then 'alliance-graph review {result.source_id}'"
    )


@cli.command()
@click.argument("source")
@click.option(
    "--interactive",
    "-i",
    is_flag=True,
    help="Decide draft by draft in the terminal (needs a terminal).",
)
@data_option
def review(source: str, interactive: bool, data: Path | None) -> None:
    """Move the accepted and edited claim drafts of SOURCE into its claims.yaml."""
    from graph.errors import ReviewError

    decide = None
    if interactive:
        if not sys.stdin.isatty():
            raise ReviewError(
                "--interactive needs a terminal on standard input",
                hint="edit 'status:' in claims.draft.yaml and run without it",
            )
        from graph.ingest.review import decide_interactively

        def decide(items: list) -> None:
            decide_interactively(items, lambda: click.getchar(), click.echo)

    result = api.review(source, data=data, decide=decide)
    click.echo(result.summary())


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def diff(old: Path, new: Path, fmt: str) -> None:
    """Facts and entities added and removed between two built graphs or data folders."""
    result = api.diff(old, new)
    render = {"text": result.to_text, "json": result.to_json, "markdown": result.to_markdown}
    click.echo(render[fmt](), nl=False)
