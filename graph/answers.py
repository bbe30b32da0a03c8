"""The questions the command line answers, each as one function returning a typed
:class:`~graph.table.Table` (re-exported by :mod:`graph.api`).

Each function is named after its command and takes the command's options as
keywords (``show`` ↔ ``alliance-graph show``, ``types`` ↔ ``--type``). The table
carries typed rows (``.to_dataframe()`` for pandas), the words that go with
them (``note``; ``empty`` when there are no rows, saying why) and, where the
terminal shows more than rows, the long report (``report``). ``iris=True``
gives full IRIs instead of ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from graph.table import Table


def _graph(graph_dir: Path | str | None, **options: object) -> nx.MultiDiGraph:
    from graph.api import to_networkx

    return to_networkx(graph_dir, **options)  # type: ignore[arg-type]


def _finish(table: Table, G: nx.MultiDiGraph, iris: bool) -> Table:
    if not iris:
        return table
    from graph.analysis.tables import iri_makers

    return table.with_iris(iri_makers(G))


def _listed(values: Iterable[str] | None) -> list[str] | None:
    return list(values) if values else None


def show(
    entity: str,
    *,
    graph_dir: Path | str | None = None,
    as_of: str | None = None,
    iris: bool = False,
) -> Table:
    """An entity card: one row per claim of every fact about ``entity``, in and out;
    ``document`` is the card as a nested object, ``report`` the terminal card.
    """
    from graph.analysis.tables import card_table
    from graph.present.text import format_card
    from graph.resolve import resolve_entity

    G = _graph(graph_dir, as_of=as_of)
    node = resolve_entity(G, entity)
    table = card_table(G, node)
    table.report = lambda width: format_card(G, node, width=width)
    return _finish(table, G, iris)


def paths(
    source: str,
    target: str,
    *,
    k: int | None = None,
    graph_dir: Path | str | None = None,
    as_of: str | None = None,
    types: Iterable[str] | None = None,
    predicates: Iterable[str] | None = None,
    iris: bool = False,
) -> Table:
    """Every shortest path (or the ``k`` shortest) between two entities, for the
    ``path`` command: one row per claim of each hop's facts.

    Raises
    ------
    NoPathError
        Saying whether an entity has no facts linking it to any other (with these
        filters) or the two are not connected.
    """
    from graph.analysis import k_shortest_paths, shortest_paths
    from graph.analysis.tables import paths_table
    from graph.errors import NoPathError
    from graph.present.text import format_paths
    from graph.resolve import resolve_entity

    types, predicates = _listed(types), _listed(predicates)
    G = _graph(graph_dir, as_of=as_of, types=types, predicates=predicates)
    s, t = resolve_entity(G, source), resolve_entity(G, target)
    try:
        found = shortest_paths(G, s, t) if k is None else k_shortest_paths(G, s, t, k=k)
    except NoPathError as exc:
        if as_of or types or predicates:
            exc.hint = "with these --as-of, --type and --predicate filters"
        raise
    table = paths_table(G, found)
    table.report = lambda width: format_paths(G, found, width=width)
    return _finish(table, G, iris)


def _links(
    entity: str, graph_dir: Path | str | None, as_of: str | None, iris: bool, *, reverse: bool
) -> Table:
    from graph.analysis import dependency_closure, impact
    from graph.analysis.tables import links_table
    from graph.present.text import format_links
    from graph.resolve import resolve_entity

    G = _graph(graph_dir, as_of=as_of)
    node = resolve_entity(G, entity)
    links = impact(G, node) if reverse else dependency_closure(G, node)
    table = links_table(G, node, links, reverse=reverse)
    table.report = lambda width: format_links(G, node, links, reverse=reverse, width=width)
    return _finish(table, G, iris)


def deps(
    entity: str,
    *,
    graph_dir: Path | str | None = None,
    as_of: str | None = None,
    iris: bool = False,
) -> Table:
    """What ``entity`` depends on, transitively (``ag:dependsOn`` and its
    sub-properties): one row per claim of each dependency fact. With no rows,
    ``empty`` says whether the graph holds no dependency facts about it at all."""
    return _links(entity, graph_dir, as_of, iris, reverse=False)


def impact(
    entity: str,
    *,
    graph_dir: Path | str | None = None,
    as_of: str | None = None,
    iris: bool = False,
) -> Table:
    """What depends on ``entity``, transitively; see :func:`deps`."""
    return _links(entity, graph_dir, as_of, iris, reverse=True)


def rank(
    *,
    metric: str = "degree",
    top: int | None = 10,
    samples: int | None = None,
    graph_dir: Path | str | None = None,
    as_of: str | None = None,
    types: Iterable[str] | None = None,
    predicates: Iterable[str] | None = None,
    iris: bool = False,
) -> Table:
    """Entities by centrality, best first. The ranking is computed on the whole graph
    (restricted only by ``as_of`` and ``predicates``); ``types`` then keeps the
    entities of those types or their subtypes, each with its rank in the whole
    ranking, and ``top`` the first of them."""
    from graph.analysis import rank as ranking
    from graph.analysis.tables import ranking_table

    G = _graph(graph_dir, as_of=as_of, predicates=_listed(predicates))
    table = ranking_table(
        G, ranking(G, metric=metric, samples=samples), types=_listed(types), top=top
    )
    return _finish(table, G, iris)


def timeline(
    *,
    entity: str | None = None,
    types: Iterable[str] | None = None,
    graph_dir: Path | str | None = None,
    as_of: str | None = None,
    iris: bool = False,
) -> Table:
    """Dated facts and events in date order, one row per claim giving the date.

    ``entity`` keeps the entries whose subject or object it is; ``types`` those
    involving an entity of those types or their subtypes. With no rows, ``empty``
    says whether the graph holds no facts about the entity, facts but none dated,
    or no dated facts at all.
    """
    from graph.analysis import timeline as dated
    from graph.analysis.tables import timeline_table, type_names
    from graph.present.text import format_timeline
    from graph.resolve import resolve_entity

    G = _graph(graph_dir, as_of=as_of)
    entries = dated(G)
    node = resolve_entity(G, entity) if entity is not None else None
    keep = type_names(types) if types else None
    if node is not None:
        entries = [e for e in entries if node in (e.subject, e.object)]
    if keep is not None:
        entries = [
            e
            for e in entries
            if G.nodes[e.subject].get("type") in keep
            or (e.object is not None and G.nodes[e.object].get("type") in keep)
        ]
    table = timeline_table(G, entries)
    if not entries:
        when = f" valid as of {as_of}" if as_of else ""
        if node is not None:
            n = len(G.nodes[node].get("facts") or ()) + G.degree(node)
            table.empty = (
                f"the graph holds no facts about {node}{when}"
                if n == 0
                else f"{node} has {n} fact{'s' * (n != 1)}{when}, none of them dated"
            )
            if keep is not None:
                table.empty += " involving the types asked for"
        elif keep is not None:
            table.empty = (
                f"no dated fact{when} involves an entity of type "
                f"{', '.join(sorted(types or ()))} (or a subtype)"
            )
        else:
            table.empty = f"the graph holds no dated facts{when}"
    empty = table.empty or "no dated facts"
    table.report = lambda width: format_timeline(G, entries, width=width, empty=empty)
    return _finish(table, G, iris)


def entities(
    *,
    types: Iterable[str] | None = None,
    source: str | None = None,
    graph_dir: Path | str | None = None,
    as_of: str | None = None,
    iris: bool = False,
) -> Table:
    """Entities by type and id with their labels and how many aliases, facts and
    sources they have; ``types`` includes subtypes (from the ontology), ``source``
    keeps the entities that source states facts about.
    """
    from graph.analysis.tables import entities_table

    G = _graph(graph_dir, as_of=as_of)
    return _finish(entities_table(G, types=_listed(types), source=source), G, iris)


def entity_ids(data: Path | str | None = None) -> dict[str, list[str]]:
    """The entity ids a data folder declares, by type, read straight from its
    ``entities/*.yaml`` without checking them (``schema`` lists these, so that the
    ids a record may name can be looked up before anything builds)."""
    import yaml

    from graph.resources import data_dir

    folder = (Path(data) if data else data_dir()) / "entities"
    by_type: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        for record in yaml.safe_load(path.read_text(encoding="utf-8")) or ():
            if isinstance(record, dict) and record.get("id"):
                by_type.setdefault(str(record.get("type")), []).append(str(record["id"]))
    return {t: sorted(ids) for t, ids in sorted(by_type.items())}
