"""The public Python API: what the CLI and the notebooks call.

A facade over the stages (records → build → validate → outputs, and the
query/analysis/render stages on top). Heavy libraries are imported inside the
functions that need them so that ``import graph`` stays cheap.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The questions the commands answer, as typed tables (one function per command).
from graph.answers import deps as deps
from graph.answers import entities as entities
from graph.answers import entity_ids as entity_ids
from graph.answers import impact as impact
from graph.answers import paths as paths
from graph.answers import rank as rank
from graph.answers import show as show
from graph.answers import timeline as timeline
from graph.pipeline import DEFAULT_GRAPH_DIR as DEFAULT_GRAPH_DIR
from graph.pipeline import BuildResult as BuildResult
from graph.pipeline import build as build
from graph.pipeline import built_file
from graph.pipeline import built_path as built_path
from graph.pipeline import load_dataset as load_dataset
from graph.pipeline import load_graph as load_graph
from graph.pipeline import validate as validate
from graph.resources import data_dir

if TYPE_CHECKING:
    import pandas as pd

    from graph.ingest.diff import GraphDiff
    from graph.ingest.document import Ingested
    from graph.ingest.review import ReviewResult
    from graph.sparql.http import Credentials


def stats(path: Path | str | None = None, *, rebuild: bool = False) -> dict[str, object]:
    """Summarise a built graph: triples, entities by type, facts, claims, sources."""
    from graph.summary import summarise

    return summarise(load_graph(path, rebuild=rebuild))


def entity_table(data: Path | str | None = None) -> pd.DataFrame:
    """One row per entity: id, type, English and Japanese labels, aliases, description,
    and how many claims mention it."""
    import pandas as pd

    dataset = load_dataset(data)
    mentions: Counter[str] = Counter()
    for claim in dataset.claims:
        mentions[claim.subject] += 1
        if not claim.is_literal:
            mentions[claim.obj] += 1
    rows = [
        {
            "id": e.id,
            "type": e.record.type,
            "label": e.record.label.en,
            "label_ja": e.record.label.ja,
            "aliases": "; ".join(e.record.aliases),
            "description": e.record.description,
            "claims": mentions[e.id],
        }
        for e in dataset.entities.values()
    ]
    return pd.DataFrame(rows).sort_values(["type", "id"], ignore_index=True)


def source_table(data: Path | str | None = None) -> pd.DataFrame:
    """One row per source: id, title, publisher, date, whether reworded, claims and facts."""
    import pandas as pd

    dataset = load_dataset(data)
    rows = []
    for source in dataset.sources.values():
        claims = [c for c in dataset.claims if c.source == source.id]
        rows.append(
            {
                "id": source.id,
                "title": source.record.title,
                "publisher": source.record.publisher,
                "published": source.record.published,
                "reworded": source.record.reworded,
                "claims": len(claims),
                "facts": len({(c.subject, c.predicate.name, repr(c.obj)) for c in claims}),
                "characters": len(source.text),
            }
        )
    return pd.DataFrame(rows)


# --- SPARQL: query, queries, publish ------------------------------------------------
if TYPE_CHECKING:
    from graph.sparql.catalogue import NamedQuery
    from graph.sparql.engines import SparqlStore
    from graph.sparql.results import Results


def credentials(
    username: str | None = None, password: str | None = None, auth: str | None = None
) -> Credentials | None:
    """HTTP credentials from arguments, else from ``ALLIANCE_GRAPH_USER``,
    ``ALLIANCE_GRAPH_PASSWORD`` and ``ALLIANCE_GRAPH_AUTH`` (basic or digest)."""
    import os

    from graph.sparql.http import Credentials

    username = username or os.environ.get("ALLIANCE_GRAPH_USER")
    password = password or os.environ.get("ALLIANCE_GRAPH_PASSWORD")
    auth = auth or os.environ.get("ALLIANCE_GRAPH_AUTH")
    if not username and not auth:
        return None
    # With no user name, the scheme still holds for credentials in the endpoint URL.
    return Credentials(username or "", password or "", (auth or "basic").lower())


def open_store(
    graph_dir: Path | str = DEFAULT_GRAPH_DIR,
    *,
    endpoint: str | None = None,
    graph: str | None = None,
    credentials: Credentials | None = None,
    timeout: float = 30.0,
    rebuild: bool = False,
) -> SparqlStore:
    """The embedded store over the built graph (a large one kept on disk after its
    first use: :mod:`graph.sparql.ondisk`), or a remote endpoint if one is given."""
    from graph.sparql.engines import RemoteStore
    from graph.sparql.ondisk import open_built

    if endpoint:
        return RemoteStore(endpoint, graph=graph, credentials=credentials, timeout=timeout)
    return open_built(built_path(graph_dir, "alliance.nt", rebuild=rebuild))


def queries() -> list[NamedQuery]:
    """The named competency queries, by name."""
    from graph.sparql.catalogue import named_queries

    return list(named_queries().values())


def query(
    text: str,
    params: dict[str, str] | None = None,
    *,
    store: SparqlStore | None = None,
    graph_dir: Path | str = DEFAULT_GRAPH_DIR,
    endpoint: str | None = None,
    graph: str | None = None,
    credentials: Credentials | None = None,
    limit: int | None = None,
    offset: int = 0,
    rebuild: bool = False,
) -> Results:
    """Run a named query, a ``.rq`` file or SPARQL text; parameters are bound, not pasted.

    ``limit``/``offset`` return one page of the rows. On the built graph (no
    ``store`` or endpoint given), the named queries with an ``# index:`` line
    (listings, ``entity``, ``find-entity``, ``timeline`` …) are answered from
    tables cached beside it (:mod:`graph.index`): each built by the first such
    query after a build, then read a page at a time.

    Examples
    --------
    ``built`` is the shipped data, built once for all doctests (:func:`build`):

    >>> folder = built.outputs[0].parent
    >>> rows = query("signatories", {"agreement": "sosa"}, graph_dir=folder)
    >>> sorted(row["signatory_label"] for row in rows)
    ['Hamada Yasukazu', 'Lloyd Austin']
    >>> query("procurements", graph_dir=folder).to_dataframe().loc[0, "currency"]
    'USD'
    """
    from graph.errors import QueryError
    from graph.index import page, query_from_index
    from graph.resolve import entity_parameters
    from graph.sparql.binding import bind_parameters
    from graph.sparql.catalogue import get_named_query, parse_named_query

    for field, value in (("limit", limit), ("offset", offset)):
        if value is not None and not 0 <= value < 2**63:
            raise QueryError(f"{field} must be an integer from 0 to 2**63-1", field=field)
    if store is None and endpoint is None and re.fullmatch(r"[\w-]+", text):
        found = query_from_index(
            built_path(graph_dir, "alliance.nt", rebuild=rebuild),
            get_named_query(text),
            params or {},
            limit=limit,
            offset=offset,
        )
        if found is not None:
            return found
    store = store or open_store(
        graph_dir, endpoint=endpoint, graph=graph, credentials=credentials, rebuild=rebuild
    )
    if text.endswith(".rq") and "{" not in text:
        if not Path(text).is_file():
            raise QueryError(
                "no such query file", path=text, hint="give a .rq file, a query name or --sparql"
            )
        named = parse_named_query(Path(text))
    elif re.fullmatch(r"[\w-]+", text):  # one word is never SPARQL: a name, maybe misspelt
        named = get_named_query(text)
    else:
        if params:
            raise QueryError(
                "parameters go with named queries or .rq files",
                field="param",
                hint="declare them in a '# param:' header",
            )
        return page(store.query(text), limit, offset)
    try:
        given = entity_parameters(named, params or {}, store)  # names read as the CLI reads them
        return page(store.query(named.sparql, bind_parameters(named, given, store)), limit, offset)
    except QueryError as exc:
        if exc.path is None and exc.line is not None:
            exc.path = str(named.path)  # the parser's line is a line of this file
        raise


# --- network: to_networkx and analysis ------------------------------------------------
if TYPE_CHECKING:
    import networkx as nx


def to_networkx(
    graph_dir: Path | str | None = None,
    *,
    as_of: str | None = None,
    types: list[str] | None = None,
    predicates: list[str] | None = None,
    rebuild: bool = False,
) -> nx.MultiDiGraph:
    """Load the built graph as a NetworkX multigraph with the evidence of every fact.

    ``graph_dir`` is a built folder, or a built N-Triples file (default ``build/``); the options
    are those of :func:`graph.network.to_networkx`. Analysis functions on the
    result live in :mod:`graph.analysis`.
    """
    from graph.network import to_networkx as project

    return project(
        built_file(graph_dir, "alliance.nt", rebuild),
        as_of=as_of,
        types=types,
        predicates=predicates,
    )


def export_network(
    out: Path | str,
    *,
    graph_dir: Path | str | None = None,
    format: str | None = None,
    as_of: str | None = None,
    force: bool = False,
    rebuild: bool = False,
) -> Path:
    """Write the built graph as GraphML or GEXF for Gephi (atomically); return the path.

    Raises
    ------
    OverwriteError
        ``out`` exists and is not a file this function wrote (without ``force``),
        lies in a data folder, or is a file of the build.
    """
    from graph.network import write_network
    from graph.targets import check_output, our_network

    nt = built_file(graph_dir, "alliance.nt", rebuild)
    check_output(out, force=force, ours=our_network, inputs=[nt])
    return write_network(to_networkx(nt, as_of=as_of), out, format=format)


def synth(out: Path | str, n_triples: int, *, seed: int = 0, force: bool = False) -> Path:
    """Write a synthetic graph of about ``n_triples`` triples as N-Triples (atomically).

    See :mod:`graph.synth`; ``out`` is checked as in :func:`export_network`.
    """
    from graph.synth import write_synthetic
    from graph.targets import check_output, our_ntriples

    check_output(out, force=force, ours=our_ntriples, inputs=[])
    return write_synthetic(out, n_triples, seed=seed)


# --- explorer: render -------------------------------------------------------------------
def render(
    view: str = "all",
    *,
    out: Path | str | None = None,
    graph_dir: Path | str | None = None,
    as_of: str | None = None,
    title: str | None = None,
    force: bool = False,
    rebuild: bool = False,
) -> str:
    """Render a view of the built graph as one offline HTML page; write it if ``out``.

    Views: ``all``, ``ego:ID[:RADIUS]``, ``path:A,B``, ``deps:ID``, ``source:SRC``.
    ``out`` is checked as in :func:`export_network` (an explorer page we
    rendered may be replaced).
    """
    from graph.render import render_html
    from graph.targets import check_output, our_html

    nt = built_file(graph_dir, "alliance.nt", rebuild)
    if out is not None:
        check_output(out, force=force, ours=our_html, inputs=[nt])
    G = to_networkx(nt, as_of=as_of)
    return render_html(
        G,
        view=view,
        out=out,
        title=title or ("alliance-graph explorer" + (f" — {view}" if view != "all" else "")),
    )


def explorer_iframe(html: str, *, height: int = 720) -> object:
    """An IPython display object embedding the page itself (``srcdoc``), not a link to a
    file: it keeps working offline and when the notebook is moved or shared."""
    import html as html_lib

    from IPython.display import HTML

    return HTML(
        f'<iframe srcdoc="{html_lib.escape(html, quote=True)}" '
        f'style="width:100%;height:{height}px;border:1px solid #ddd" '
        f'sandbox="allow-scripts allow-downloads"></iframe>'
    )


# --- adding documents: ingest, review, diff ---------------------------------------
def ingest(
    file: Path | str,
    *,
    data: Path | str | None = None,
    id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
    kind: str = "article",
    copy: str = "original",
    words_of: str | None = None,
    excerpt: bool = False,
) -> Ingested:
    """Add a document as a new source with linked mentions, candidates and claim drafts.

    Writes ``<data>/sources/<id>/`` (``text.txt``, ``source.yaml``,
    ``claims.draft.yaml``) whole or not at all; drafts never enter a build
    until :func:`review` moves them into ``claims.yaml``.

    Raises
    ------
    IngestError
        For an empty, binary or non-UTF-8 file, an id already taken, or a target
        inside a built graph's folder.
    """
    from graph.ingest.document import ingest_document
    from graph.ontology import load_ontology

    return ingest_document(
        Path(file),
        Path(data) if data else data_dir(),
        load_ontology(),
        source_id=id,
        title=title,
        url=url,
        published=published,
        publisher=publisher,
        author=author,
        kind=kind,
        copy=copy,
        words_of=words_of,
        excerpt=excerpt,
    )


def review(
    source: str,
    *,
    data: Path | str | None = None,
    decide: Callable[[list[Any]], None] | None = None,
) -> ReviewResult:
    """Move a source's accepted and edited drafts into its ``claims.yaml``.

    Every moved draft is checked as the loader checks claims before anything is
    written. ``decide`` may set statuses first (the interactive review).

    Raises
    ------
    InvalidRecords
        If an accepted draft would not load (naming ``claims.draft.yaml`` and its line).
    """
    from graph.ingest.review import review_source
    from graph.ontology import load_ontology

    return review_source(Path(data) if data else data_dir(), source, load_ontology(), decide=decide)


def diff(old: Path | str, new: Path | str) -> GraphDiff:
    """Facts, entities and claim links added and removed between two graphs.

    Each side is a built folder (``alliance.nt``/``alliance.ttl``) or a data folder.
    """
    from graph.ingest.diff import diff_graphs, read_side

    return diff_graphs(read_side(old), read_side(new))
