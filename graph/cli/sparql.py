"""SPARQL commands: queries, query, conflicts, serve, publish, synth."""

from __future__ import annotations

import time
from pathlib import Path

import click

from graph import api
from graph.cli.common import cli, force_option, graph_dir_option, rebuild_option
from graph.cli.output import emit_results, output_options


class ByteSize(click.ParamType):
    """A size in bytes: ``1000``, ``500k``, ``100M``, ``2G`` (powers of 1024)."""

    name = "size"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            return value
        import re

        match = re.fullmatch(r"\s*([0-9]{1,15})\s*([kKmMgG]?)[bB]?\s*", str(value))
        if not match or int(match.group(1)) == 0:
            self.fail(f"{value!r} is not a size such as 500k, 100M or 2G", param, ctx)
        power = " KMG".index(match.group(2).upper() or " ")
        return int(match.group(1)) * 1024**power


endpoint_options = [
    click.option(
        "--endpoint",
        default=None,
        metavar="URL",
        help="A SPARQL 1.1 endpoint to use instead of the embedded store.",
    ),
    click.option(
        "--graph",
        "graph_iri",
        default=None,
        metavar="IRI",
        help="On a remote endpoint, the named graph holding our data.",
    ),
    click.option(
        "--user",
        default=None,
        envvar="ALLIANCE_GRAPH_USER",
        help="User name for the endpoint (or ALLIANCE_GRAPH_USER).",
    ),
    click.option(
        "--password",
        default=None,
        envvar="ALLIANCE_GRAPH_PASSWORD",
        help="Password (prefer ALLIANCE_GRAPH_PASSWORD; never echoed).",
    ),
    click.option(
        "--auth",
        type=click.Choice(["basic", "digest"]),
        default=None,
        envvar="ALLIANCE_GRAPH_AUTH",
        help="HTTP authentication scheme.",
    ),
]


def with_endpoint_options(func):
    for option in reversed(endpoint_options):
        func = option(func)
    return func


@cli.command("queries")
@click.option(
    "--prefixes",
    is_flag=True,
    help="List the prefixes every query gets without declaring them instead.",
)
def list_queries(prefixes: bool) -> None:
    """List the named competency queries and their parameters."""
    if prefixes:
        from graph.namespaces import PREFIXES

        width = max(len(name) for name in PREFIXES) + 1
        for name, iri in PREFIXES.items():
            click.echo(f"PREFIX {name + ':':<{width}} <{iri}>")
        return
    for named in api.queries():
        params = ", ".join(
            f"{p.name}={p.default}" if p.default else p.name for p in named.parameters
        )
        click.echo(f"{named.name:<20} {named.title}" + (f"  [{params}]" if params else ""))


@cli.command("query")
@click.argument("name", required=False)
@click.option("--sparql", default=None, help="SPARQL text to run instead of a named query.")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a parameter of a named query (repeatable).",
)
@output_options(sparql=True)
@click.option(
    "--limit",
    type=click.IntRange(min=0, max=2**63 - 1),
    default=None,
    help="Print at most this many rows (one page).",
)
@click.option(
    "--offset",
    type=click.IntRange(min=0, max=2**63 - 1),
    default=0,
    show_default=True,
    help="Skip this many rows first (the next page: --offset N*LIMIT).",
)
@graph_dir_option
@rebuild_option
@with_endpoint_options
def run_query(
    name: str | None,
    sparql: str | None,
    params: tuple[str, ...],
    format: str | None,
    iris: bool,
    max_width: int | None,
    limit: int | None,
    offset: int,
    graph_dir: Path,
    endpoint: str | None,
    graph_iri: str | None,
    user: str | None,
    password: str | None,
    auth: str | None,
) -> None:
    """Run a named query (see 'queries'), a .rq file, or --sparql TEXT."""
    from graph.errors import QueryError
    from graph.sparql.binding import parse_params

    if bool(name) == bool(sparql):
        raise QueryError(
            "give a query name, a .rq file or --sparql (one of them)",
            hint="see 'alliance-graph queries'",
        )
    results = api.query(
        sparql or name or "",
        parse_params(params),
        graph_dir=graph_dir,
        endpoint=endpoint,
        graph=graph_iri,
        credentials=api.credentials(user, password, auth),
        limit=limit,
        offset=offset,
    )
    emit_results(results, format, iris, max_width)


@cli.command("conflicts")
@output_options(sparql=True)
@graph_dir_option
@rebuild_option
@with_endpoint_options
def conflicts(
    format: str | None,
    iris: bool,
    max_width: int | None,
    graph_dir: Path,
    endpoint: str | None,
    graph_iri: str | None,
    user: str | None,
    password: str | None,
    auth: str | None,
) -> None:
    """List claims that contradict each other, each pair once, preferred claim first.

    Runs the named query 'conflicts': subject, predicate, the field that
    differs, both values, both quotes, both sources and both ranks.
    """
    results = api.query(
        "conflicts",
        {},
        graph_dir=graph_dir,
        endpoint=endpoint,
        graph=graph_iri,
        credentials=api.credentials(user, password, auth),
    )
    emit_results(results, format, iris, max_width)


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (loopback unless you say otherwise).",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Seconds an answer may take, from the request to its last byte.",
)
@click.option(
    "--max-bytes",
    type=ByteSize(),
    default="100M",
    show_default=True,
    help="Largest answer (e.g. 500k, 100M, 2G); a longer one is cut off, visibly incomplete.",
)
@click.option(
    "--allow-service",
    multiple=True,
    metavar="URL",
    help="An endpoint SERVICE clauses may call (repeatable; none by default).",
)
@click.option(
    "--allow-host",
    multiple=True,
    metavar="NAME",
    help="A further Host name to answer to, e.g. behind a proxy (repeatable).",
)
@graph_dir_option
@rebuild_option
def serve(
    host: str,
    port: int,
    timeout: int,
    max_bytes: int,
    allow_service: tuple[str, ...],
    allow_host: tuple[str, ...],
    graph_dir: Path,
) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint with a query page.

    Federated queries (SERVICE) are refused unless --allow-service names the
    endpoint; requests naming another Host are refused (DNS rebinding).
    """
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
    built = api.built_path(graph_dir, "alliance.nt")
    with oxigraph_server(
        built,
        host=host,
        port=port,
        timeout_s=timeout,
        max_bytes=max_bytes,
        allow_service=allow_service,
        allow_hosts=allow_host,
    ) as server:
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
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The Graph Store Protocol URL, e.g. http://host:7878/store.",
)
@click.option(
    "--graph",
    "graph_iri",
    default=None,
    metavar="IRI",
    help="Named graph to replace (default: the project's graph IRI).",
)
@click.option(
    "--graph-param",
    default="graph",
    show_default=True,
    help="Name of the graph parameter ('graph-uri' for Virtuoso's crud endpoint).",
)
@click.option(
    "--user", default=None, envvar="ALLIANCE_GRAPH_USER", help="User name (or ALLIANCE_GRAPH_USER)."
)
@click.option(
    "--password",
    default=None,
    envvar="ALLIANCE_GRAPH_PASSWORD",
    help="Password (prefer ALLIANCE_GRAPH_PASSWORD; never echoed).",
)
@click.option(
    "--auth",
    type=click.Choice(["basic", "digest"]),
    default=None,
    envvar="ALLIANCE_GRAPH_AUTH",
    help="HTTP authentication scheme.",
)
@graph_dir_option
@rebuild_option
def publish(
    endpoint: str,
    graph_iri: str | None,
    graph_param: str,
    user: str | None,
    password: str | None,
    auth: str | None,
    graph_dir: Path,
) -> None:
    """Upload the built graph to a server, replacing its graph in one operation."""
    from graph.sparql.http import redact
    from graph.sparql.publish import DEFAULT_GRAPH, query_url_for
    from graph.sparql.publish import publish as put_graph

    built = api.built_path(graph_dir, "alliance.nt")
    graph_iri = graph_iri or DEFAULT_GRAPH
    status = put_graph(
        built,
        endpoint,
        graph=graph_iri,
        graph_param=graph_param,
        credentials=api.credentials(user, password, auth),
    )
    click.echo(f"published {built} to {redact(endpoint)} as <{graph_iri}> (HTTP {status})")
    # The data is in a named graph: a query without --graph does not see it.
    click.echo(
        f"query it with: alliance-graph query NAME --endpoint "
        f"{query_url_for(endpoint) or 'QUERY-URL'} --graph {graph_iri}"
    )


@cli.command()
@click.option(
    "--triples",
    type=click.IntRange(min=100),
    required=True,
    help="How many triples to aim for (e.g. 1000000).",
)
@click.option(
    "--out",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="N-Triples file to write (atomically).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same graph.")
@force_option
def synth(triples: int, path: Path, seed: int, force: bool) -> None:
    """Write a synthetic, ontology-conformant alliance graph of about N triples."""
    from graph.progress import stage

    started = time.perf_counter()
    with stage(f"synthetic graph ({triples} triples)"):
        api.synth(path, triples, seed=seed, force=force)
    with stage("count"), path.open("rb") as handle:
        lines = sum(1 for _ in handle)
    click.echo(f"wrote {path}: {lines} triples in {time.perf_counter() - started:.1f} s")
