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
from typing import TYPE_CHECKING

import click

from graph import api
from graph.errors import AllianceGraphError

if TYPE_CHECKING:
    from graph.store import Results

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
    if "corroborated" in summary:
        click.echo(f"  corroborated by 2+ independent sources: {summary['corroborated']} "
                   f"({summary['corroborated_pct']} %)")
    if "refined" in summary:
        click.echo(f"  refined (compatible values, one more precise): {summary['refined']}")
    if "conflicting" in summary:
        click.echo(f"  conflicting (incompatible values kept with both quotes): "
                   f"{summary['conflicting']}")
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


strict_option = click.option(
    "--strict", is_flag=True, default=False,
    help="Treat a conflict between sources that no record has ranked as an error.")


def _print_warnings(warnings: list[AllianceGraphError]) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if warnings:
        click.echo(f"{len(warnings)} conflict(s) between sources: both claims are kept; "
                   "'alliance-graph conflicts' lists them", err=True)


@cli.command()
@data_option
@out_option
@strict_option
def build(data: Path | None, out: Path, strict: bool) -> None:
    """Validate the records and write the graph (Turtle, JSON-LD, N-Triples)."""
    started = time.perf_counter()
    result = api.build(data, out, strict=strict)
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
        marks = [m for m, on in (("dependency", name in onto.dependency_predicates),
                                 ("single-valued", onto.functional(name))) if on]
        marks_text = f"  [{', '.join(marks)}]" if marks else ""
        click.echo(f"  {name:<24} {onto.class_name(prop.domain)} -> "
                   f"{onto.class_name(prop.range)}{marks_text}")
    from graph.records import SourceRecord

    click.echo("source.yaml fields:")
    for name, info in SourceRecord.model_fields.items():
        required = " (required)" if info.is_required() else ""
        click.echo(f"  {info.alias or name:<19} {info.description}{required}")
    for scheme, field in (("SourceKind", "kind"), ("CopyKind", "copy")):
        click.echo(f"{field} values:")
        for notation, concept in sorted(onto.concepts(scheme).items(),
                                        key=lambda kv: (kv[1].precedence, kv[0])):
            click.echo(f"  {notation:<19} {concept.label_en} / {concept.label_ja or ''}")
    click.echo("claim ranks (optional 'rank:' with 'rank_reason:' in claims.yaml):")
    for notation, concept in sorted(onto.concepts("Rank").items()):
        click.echo(f"  {notation:<19} {concept.comment}")


# --- SPARQL commands: queries, query, serve, publish, synth ------------------------
endpoint_options = [
    click.option("--endpoint", default=None, metavar="URL",
                 help="A SPARQL 1.1 endpoint to use instead of the embedded store."),
    click.option("--graph", "graph_iri", default=None, metavar="IRI",
                 help="On a remote endpoint, the named graph holding our data."),
    click.option("--user", default=None, envvar="ALLIANCE_GRAPH_USER",
                 help="User name for the endpoint (or ALLIANCE_GRAPH_USER)."),
    click.option("--password", default=None, envvar="ALLIANCE_GRAPH_PASSWORD",
                 help="Password (prefer ALLIANCE_GRAPH_PASSWORD; never echoed)."),
    click.option("--auth", type=click.Choice(["basic", "digest"]), default=None,
                 envvar="ALLIANCE_GRAPH_AUTH", help="HTTP authentication scheme."),
]


def with_endpoint_options(func):  # type: ignore[no-untyped-def]
    for option in reversed(endpoint_options):
        func = option(func)
    return func


@cli.command("queries")
def list_queries() -> None:
    """List the named competency queries and their parameters."""
    for named in api.queries():
        params = ", ".join(f"{p.name}={p.default}" if p.default else p.name
                           for p in named.parameters)
        click.echo(f"{named.name:<20} {named.title}" + (f"  [{params}]" if params else ""))


@cli.command("query")
@click.argument("name", required=False)
@click.option("--sparql", default=None, help="SPARQL text to run instead of a named query.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter of a named query (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format (CSV/JSON per SPARQL 1.1 results).")
@out_option
@with_endpoint_options
def run_query(name: str | None, sparql: str | None, params: tuple[str, ...], fmt: str,
              out: Path, endpoint: str | None, graph_iri: str | None, user: str | None,
              password: str | None, auth: str | None) -> None:
    """Run a named query (see 'queries'), a .rq file, or --sparql TEXT."""
    from graph.errors import QueryError
    from graph.store import parse_params

    if bool(name) == bool(sparql):
        raise QueryError("give a query name, a .rq file or --sparql (one of them)",
                         hint="see 'alliance-graph queries'")
    results = api.query(sparql or name or "", parse_params(params), out=out, endpoint=endpoint,
                        graph=graph_iri, credentials=api.credentials(user, password, auth))
    _echo_results(results, fmt)


def _echo_results(results: Results, fmt: str) -> None:
    """Print query results as a table, SPARQL 1.1 CSV or SPARQL 1.1 JSON."""
    if fmt == "json":
        click.echo(results.to_json())
    elif fmt == "csv":
        click.echo(results.to_csv(), nl=False)
    else:
        click.echo(results.to_table())


@cli.command("conflicts")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format (CSV/JSON per SPARQL 1.1 results).")
@out_option
@with_endpoint_options
def conflicts(fmt: str, out: Path, endpoint: str | None, graph_iri: str | None,
              user: str | None, password: str | None, auth: str | None) -> None:
    """List claims that contradict each other, each pair once, preferred claim first.

    Runs the named query 'conflicts': subject, predicate, the field that
    differs, both values, both quotes, both sources and both ranks.
    """
    results = api.query("conflicts", {}, out=out, endpoint=endpoint, graph=graph_iri,
                        credentials=api.credentials(user, password, auth))
    _echo_results(results, fmt)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback unless you say otherwise).")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True,
              help="Port to listen on.")
@click.option("--timeout", type=click.IntRange(min=1), default=30, show_default=True,
              help="Seconds a query may run.")
@out_option
def serve(host: str, port: int, timeout: int, out: Path) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint with a query page."""
    import signal

    from graph.errors import EndpointError
    from graph.serve import oxigraph_server

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # A process started in the background by a non-interactive shell inherits
    # SIGINT as ignored, and Python then never raises KeyboardInterrupt: take
    # Ctrl-C (and a plain kill) back so the server always stops cleanly.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    built = api.built_path(out, "alliance.nt")
    with oxigraph_server(built, host=host, port=port, timeout_s=timeout) as server:
        click.echo(f"SPARQL endpoint: {server.query_url}")
        click.echo(f"query page:      {server.base_url}/  (read-only; Ctrl-C stops)")
        if host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"warning: listening on {host}, not only on this machine", err=True)
        try:
            code = server.process.wait()
        except KeyboardInterrupt:
            click.echo("stopping")
            return
    how = f"killed by signal {-code}" if code < 0 else f"exit {code}"
    raise EndpointError(f"the server stopped unexpectedly ({how})", field="serve")


@cli.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The Graph Store Protocol URL, e.g. http://host:7878/store.")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="Named graph to replace (default: the project's graph IRI).")
@click.option("--graph-param", default="graph", show_default=True,
              help="Name of the graph parameter ('graph-uri' for Virtuoso's crud endpoint).")
@click.option("--user", default=None, envvar="ALLIANCE_GRAPH_USER",
              help="User name (or ALLIANCE_GRAPH_USER).")
@click.option("--password", default=None, envvar="ALLIANCE_GRAPH_PASSWORD",
              help="Password (prefer ALLIANCE_GRAPH_PASSWORD; never echoed).")
@click.option("--auth", type=click.Choice(["basic", "digest"]), default=None,
              envvar="ALLIANCE_GRAPH_AUTH", help="HTTP authentication scheme.")
@out_option
def publish(endpoint: str, graph_iri: str | None, graph_param: str, user: str | None,
            password: str | None, auth: str | None, out: Path) -> None:
    """Upload the built graph to a server, replacing its graph in one operation."""
    from graph.serve import DEFAULT_GRAPH, query_url_for
    from graph.serve import publish as put_graph
    from graph.store import redact

    built = api.built_path(out, "alliance.nt")
    graph_iri = graph_iri or DEFAULT_GRAPH
    status = put_graph(built, endpoint, graph=graph_iri, graph_param=graph_param,
                       credentials=api.credentials(user, password, auth))
    click.echo(f"published {built} to {redact(endpoint)} as <{graph_iri}> (HTTP {status})")
    # The data is in a named graph: a query without --graph does not see it.
    click.echo(f"query it with: alliance-graph query NAME --endpoint "
               f"{query_url_for(endpoint) or 'QUERY-URL'} --graph {graph_iri}")


@cli.command()
@click.option("--triples", type=click.IntRange(min=100), required=True,
              help="How many triples to aim for (e.g. 1000000).")
@click.option("--out", "path", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="N-Triples file to write (atomically).")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same graph.")
def synth(triples: int, path: Path, seed: int) -> None:
    """Write a synthetic, ontology-conformant alliance graph of about N triples."""
    from graph.synth import write_synthetic

    started = time.perf_counter()
    write_synthetic(path, triples, seed=seed)
    with path.open("rb") as handle:
        lines = sum(1 for _ in handle)
    click.echo(f"wrote {path}: {lines} triples in {time.perf_counter() - started:.1f} s")


# --- network commands: show, path, deps, impact, rank, timeline, export ------------
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
@out_option
@as_of_option
def show(entity: str, out: Path, as_of: str | None) -> None:
    """An entity card: type, labels, aliases and every fact in and out with its quote.

    ENTITY is an id, label or alias, in any case.
    """
    from graph.analysis import format_card
    from graph.network import resolve_entity

    G = api.to_networkx(out, as_of=as_of)
    click.echo(format_card(G, resolve_entity(G, entity)))


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option("--k", "k", type=click.IntRange(min=1), default=None,
              help="Show the K shortest paths instead of every shortest one.")
@out_option
@as_of_option
@type_option
@predicate_option
def path(source: str, target: str, k: int | None, out: Path, as_of: str | None,
         types: tuple[str, ...], predicates: tuple[str, ...]) -> None:
    """How two entities are connected, hop by hop, with the quote of every fact."""
    from graph.analysis import format_paths, k_shortest_paths, shortest_paths
    from graph.network import resolve_entity

    G = api.to_networkx(out, as_of=as_of, types=list(types) or None,
                        predicates=list(predicates) or None)
    s, t = resolve_entity(G, source), resolve_entity(G, target)
    paths = shortest_paths(G, s, t) if k is None else k_shortest_paths(G, s, t, k=k)
    click.echo(format_paths(G, paths))


def _dependency_command(entity: str, out: Path, as_of: str | None, *, reverse: bool) -> None:
    from graph.analysis import dependency_closure, format_links, impact
    from graph.network import resolve_entity

    G = api.to_networkx(out, as_of=as_of)
    node = resolve_entity(G, entity)
    links = impact(G, node) if reverse else dependency_closure(G, node)
    click.echo(format_links(G, node, links, reverse=reverse))


@cli.command()
@click.argument("entity")
@out_option
@as_of_option
def deps(entity: str, out: Path, as_of: str | None) -> None:
    """What ENTITY depends on, transitively (ag:dependsOn and its sub-properties)."""
    _dependency_command(entity, out, as_of, reverse=False)


@cli.command("impact")
@click.argument("entity")
@out_option
@as_of_option
def impact_command(entity: str, out: Path, as_of: str | None) -> None:
    """What depends on ENTITY, transitively: what is affected if it fails or changes."""
    _dependency_command(entity, out, as_of, reverse=True)


@cli.command()
@click.option("--metric", type=click.Choice(["degree", "pagerank", "betweenness"]),
              default="degree", show_default=True, help="Centrality metric.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many entities to list.")
@click.option("--samples", type=click.IntRange(min=1), default=None,
              help="Estimate betweenness from this many sampled sources.")
@out_option
@as_of_option
@type_option
@predicate_option
def rank(metric: str, top: int, samples: int | None, out: Path, as_of: str | None,
         types: tuple[str, ...], predicates: tuple[str, ...]) -> None:
    """Rank entities by centrality (betweenness is sampled on large graphs, and says so)."""
    from graph.analysis import format_ranking
    from graph.analysis import rank as rank_entities

    G = api.to_networkx(out, as_of=as_of, types=list(types) or None,
                        predicates=list(predicates) or None)
    click.echo(format_ranking(G, rank_entities(G, metric=metric, samples=samples), top=top))


@cli.command()
@out_option
@as_of_option
def timeline(out: Path, as_of: str | None) -> None:
    """Dated facts and events in date order, dates at the precision the source gives."""
    from graph.analysis import format_timeline
    from graph.analysis import timeline as dated

    G = api.to_networkx(out, as_of=as_of)
    click.echo(format_timeline(G, dated(G)))


@cli.command()
@click.option("--format", "format_", type=click.Choice(["graphml", "gexf"]), default=None,
              help="File format (default: from the extension of --out).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write (replaced atomically).")
@click.option("--graph-dir", "graph_dir", type=click.Path(file_okay=False, path_type=Path),
              default=api.DEFAULT_OUT, show_default=True, help="Folder of the built graph.")
@as_of_option
def export(format_: str | None, out: Path, graph_dir: Path, as_of: str | None) -> None:
    """Write the network as GraphML or GEXF for Gephi; lists become JSON text."""
    written = api.export_network(out, path=graph_dir, format=format_, as_of=as_of)
    click.echo(f"wrote {written}")



# --- explorer commands: render --------------------------------------------------------
@cli.command()
@click.option("--view", default="all", show_default=True,
              help="all, ego:ID[:RADIUS], path:A,B, deps:ID or source:SRC.")
@click.option("--out", "dest", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write (default: build/explorer-<view>.html).")
@click.option("--graph-dir", type=click.Path(file_okay=False, path_type=Path),
              default=api.DEFAULT_OUT, show_default=True, help="Folder of the built graph.")
@click.option("--as-of", default=None, help="Only facts valid at this date (YYYY[-MM[-DD]]).")
def render(view: str, dest: Path | None, graph_dir: Path, as_of: str | None) -> None:
    """Render a view of the graph as one offline HTML file."""
    import re as re_

    started = time.perf_counter()
    if dest is None:
        slug = re_.sub(r"[^a-z0-9]+", "-", view.lower()).strip("-") or "all"
        dest = graph_dir / ("explorer.html" if view == "all" else f"explorer-{slug}.html")
    api.render(view, out=dest, path=graph_dir, as_of=as_of)
    click.echo(f"wrote {dest} ({dest.stat().st_size // 1024} KiB) in "
               f"{time.perf_counter() - started:.2f} s")


# --- adding documents: ingest, review, diff ------------------------------------------
@cli.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--id", "source_id", default=None,
              help="Source id (default: from the published date and title).")
@click.option("--title", default=None, help="Title (default: the HTML title or file name).")
@click.option("--url", default=None, help="Where the document was published.")
@click.option("--published", default=None, help="Publication date, YYYY[-MM[-DD]].")
@click.option("--publisher", default=None, help="Whose words these are.")
@click.option("--author", default=None, help="The author, if named.")
@click.option("--kind", default="article", show_default=True,
              help="Source kind: government, news, encyclopedia or article (the ontology's "
                   "SourceKind list).")
@click.option("--copy", "copy_", default="original", show_default=True,
              help="original, reprint or reworded (the ontology's CopyKind list).")
@click.option("--words-of", default=None, help="For a reprint or reworded copy: the original.")
@click.option("--excerpt", is_flag=True, help="The text is only part of the document.")
@data_option
def ingest(file: Path, source_id: str | None, title: str | None, url: str | None,
           published: str | None, publisher: str | None, author: str | None, kind: str,
           copy_: str, words_of: str | None, excerpt: bool, data: Path | None) -> None:
    """Add a document (UTF-8 text or HTML) as a source with claim drafts to review."""
    started = time.perf_counter()
    result = api.ingest(file, data=data, id=source_id, title=title, url=url,
                        published=published, publisher=publisher, author=author, kind=kind,
                        copy=copy_, words_of=words_of, excerpt=excerpt)
    found = result.analysis
    linked = [m for m in found.mentions if m.entity]
    click.echo(f"source:     {result.source_id}  ({result.words} words"
               + (", text extracted from HTML" if result.html else "") + ")")
    click.echo(f"mentions:   {len(linked)} linked to {len({m.entity for m in linked})} entities"
               + (f", {sum(1 for m in linked if m.resolution and 'names' in m.resolution)} "
                  "ambiguous resolved by context" if linked else ""))
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
    click.echo(f"wrote {result.folder}/ (text.txt, source.yaml, claims.draft.yaml) in "
               f"{time.perf_counter() - started:.2f} s")
    click.echo(f"next: set 'status:' in claims.draft.yaml, then "
               f"'alliance-graph review {result.source_id}'")


@cli.command()
@click.argument("source")
@click.option("--interactive", "-i", is_flag=True,
              help="Decide draft by draft in the terminal (needs a terminal).")
@data_option
def review(source: str, interactive: bool, data: Path | None) -> None:
    """Move the accepted and edited claim drafts of SOURCE into its claims.yaml."""
    from graph.errors import ReviewError

    decide = None
    if interactive:
        if not sys.stdin.isatty():
            raise ReviewError("--interactive needs a terminal on standard input",
                              hint="edit 'status:' in claims.draft.yaml and run without it")
        from graph.ingest.review import decide_interactively

        def decide(items: list) -> None:  # type: ignore[type-arg]
            decide_interactively(items, lambda: click.getchar(), click.echo)

    result = api.review(source, data=data, decide=decide)
    click.echo(result.summary())


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True, help="Output format.")
def diff(old: Path, new: Path, fmt: str) -> None:
    """Facts and entities added and removed between two built graphs or data folders."""
    result = api.diff(old, new)
    render = {"text": result.to_text, "json": result.to_json, "markdown": result.to_markdown}
    click.echo(render[fmt](), nl=False)


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


if __name__ == "__main__":
    sys.exit(main())
