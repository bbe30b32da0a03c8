"""Publishing the built graph to a server: one Graph Store Protocol ``PUT``.

Client code: it uploads what the embedded store holds (data, ontology and the
``ag:dependsOn`` entailment, see :func:`graph.sparql.engines.graph_payload`)
to any server that speaks the SPARQL 1.1 Graph Store Protocol, replacing the
named graph in a single operation (no window with no data).
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import EndpointError
from graph.sparql.engines import graph_payload
from graph.sparql.http import Credentials, body_line, check_url, http_error, http_request, redact

#: The named graph our data is published into.
DEFAULT_GRAPH = "https://w3id.org/alliance-graph/graph"


def publish(
    built: Path,
    store_url: str,
    *,
    graph: str = DEFAULT_GRAPH,
    credentials: Credentials | None = None,
    graph_param: str = "graph",
    timeout: float = 300.0,
) -> int:
    """Replace ``graph`` on a Graph Store Protocol endpoint with the built graph.

    One ``PUT`` carries the whole graph (data and ontology): the server swaps
    the graph in one operation. Returns the HTTP status. ``graph_param`` is
    ``graph`` in the standard; Virtuoso's ``/sparql-graph-crud`` calls it
    ``graph-uri``.

    Raises
    ------
    EndpointError
        If the URL is not valid, or the server cannot be reached, refuses the
        credentials or the write, or answers with another error.
    """
    check_url(store_url)  # before the payload is built (http_request checks again, cheaply)
    response = http_request(
        "PUT",
        store_url,
        params={graph_param: graph},
        content=graph_payload(built),
        headers={"Content-Type": "application/n-triples"},
        timeout=timeout,
        credentials=credentials,
    )
    if response.status_code == 403:
        raise EndpointError(
            f"{redact(store_url)} refused the write (HTTP 403: {body_line(response)})",
            field="endpoint",
            hint="the server is read-only, as 'alliance-graph serve' is, or "
            "the credentials lack write access",
        )
    if response.status_code >= 300:
        raise http_error(response, store_url, credentials)
    return response.status_code


def query_url_for(store_url: str) -> str | None:
    """The SPARQL query URL beside a Graph Store URL, where the server is known.

    >>> query_url_for("http://u:p@127.0.0.1:7878/store")
    'http://127.0.0.1:7878/query'
    >>> query_url_for("http://127.0.0.1:8890/sparql-graph-crud-auth")
    'http://127.0.0.1:8890/sparql'
    >>> query_url_for("http://127.0.0.1:8080/upload") is None
    True
    """
    # Oxigraph: /store and /query; Virtuoso: /sparql-graph-crud[-auth] and /sparql.
    base = redact(store_url).split("#")[0].split("?")[0].rstrip("/")
    for store, query in (
        ("/store", "/query"),
        ("/sparql-graph-crud", "/sparql"),
        ("/sparql-graph-crud-auth", "/sparql"),
    ):
        if base.endswith(store):
            return base[: -len(store)] + query
    return None
