"""The build pipeline: records → reconcile → RDF → validation → the build set.

:func:`validate` runs every check without writing; :func:`build` also writes
the outputs as one set (:mod:`graph.buildset`); :func:`built_path` and
:func:`load_graph` open a build, checking that it is as new as its inputs
(or building again when asked). Re-exported by :mod:`graph.api`, where users
find them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import AllianceGraphError, NotBuiltError
from graph.resources import data_dir

if TYPE_CHECKING:
    from rdflib import Graph

    from graph.buildcache import RecordCache
    from graph.ontology import Ontology
    from graph.reconcile import Reconciliation
    from graph.records import Dataset
    from graph.validate import ValidationReport


#: The folder a build writes and readers read (``--graph-dir`` on the command line).
DEFAULT_GRAPH_DIR = Path("build")


@dataclass
class BuildResult:
    """What :func:`build` and :func:`validate` produce."""

    dataset: Dataset
    graph: Graph
    ontology: Ontology
    report: ValidationReport
    reconciliation: Reconciliation
    outputs: list[Path] = field(default_factory=list)

    @property
    def warnings(self) -> list[AllianceGraphError]:
        """Conflicts between sources, each with both quotes and ``file:line``."""
        return [c.as_error() for c in self.reconciliation.conflicts]

    def summary(self) -> dict[str, object]:
        """Counts a person checks after a build: entities by type, facts, sources,
        and how the sources stand to each other (corroborated, refined, conflicting)."""
        by_type = Counter(e.record.type for e in self.dataset.entities.values())
        verdicts = self.reconciliation.summary()
        return {
            "entities": len(self.dataset.entities),
            "entities_by_type": dict(sorted(by_type.items())),
            "facts": verdicts["facts"],
            "corroborated": verdicts["corroborated"],
            "corroborated_pct": verdicts["corroborated_pct"],
            "refined": verdicts["refined"],
            "conflicting": verdicts["conflicting"],
            "claims": len(self.dataset.claims),
            "sources": len(self.dataset.sources),
            "triples": len(self.graph),
            "validation": "ok" if self.report.ok else f"{len(self.report.violations)} violations",
            "shapes": self.report.shapes_checked,
            "violation_queries": self.report.queries_checked,
            "outputs": [str(p) for p in self.outputs],
        }


def load_dataset(
    data: Path | str | None = None,
    *,
    ontology: Ontology | None = None,
    cache: RecordCache | None = None,
) -> Dataset:
    """Read and check the records of a data folder (the shipped data by default)."""
    from graph.ontology import load_ontology
    from graph.records import load_records

    root = Path(data) if data else data_dir()
    return load_records(root, ontology or load_ontology(), cache)


def validate(
    data: Path | str | None = None, *, strict: bool = False, cache: RecordCache | None = None
) -> BuildResult:
    """Check records, reconcile the sources, build the graph in memory and validate it;
    write nothing.

    Conflicts between sources are kept (both claims, with their quotes) and
    listed in :attr:`BuildResult.warnings`; with ``strict=True`` a conflict that
    no record has ranked by hand is an error.

    Raises
    ------
    InvalidRecords
        For bad input records, or (``strict``) unsettled conflicts.
    ValidationFailed
        If the built graph breaks a SHACL shape or a violation query.
    """
    return _validate(data, strict=strict, cache=cache)[0]


def _validate(
    data: Path | str | None, *, strict: bool, cache: RecordCache | None
) -> tuple[BuildResult, bytes]:
    """:func:`validate`, and the graph as sorted N-Triples (``alliance.nt``'s bytes),
    written once for the validation's store and for :func:`build`'s outputs."""
    from graph.network.projection import gc_paused
    from graph.progress import stage

    with gc_paused():  # millions of records, terms and triples, all kept: see build()
        dataset, ontology, reconciliation, graph, ntriples = _prepare(data, strict, cache)
        with stage("SHACL"):
            report = _check(graph, ontology, dataset, ntriples)
    return BuildResult(dataset, graph, ontology, report, reconciliation), ntriples


def _prepare(
    data: Path | str | None, strict: bool, cache: RecordCache | None
) -> tuple[Dataset, Ontology, Reconciliation, Graph, bytes]:
    """Records read and checked, sources reconciled, the graph and its N-Triples."""
    from graph.build import build_graph, serialize_ntriples
    from graph.errors import InvalidRecords
    from graph.ontology import load_ontology
    from graph.progress import stage
    from graph.reconcile import reconcile

    with stage("records"):
        ontology = load_ontology()
        dataset = load_dataset(data, ontology=ontology, cache=cache)
    with stage("reconcile"):
        reconciliation = reconcile(dataset, ontology)
    if strict:
        unsettled = [c.as_error() for c in reconciliation.conflicts if not c.acknowledged]
        if unsettled:
            raise InvalidRecords(unsettled)
    with stage("RDF"):
        graph = build_graph(dataset, ontology, reconciliation)
        ntriples = serialize_ntriples(graph)
    return dataset, ontology, reconciliation, graph, ntriples


def _check(graph: Graph, ontology: Ontology, dataset: Dataset, ntriples: bytes) -> ValidationReport:
    """The SHACL shapes and violation queries; raises :class:`ValidationFailed`."""
    from graph.validate import record_locator, validate_graph

    return validate_graph(graph, ontology, locate=record_locator(dataset), ntriples=ntriples)


def _check_and_draw(
    graph: Graph, ontology: Ontology, dataset: Dataset, ntriples: bytes
) -> tuple[ValidationReport, bytes]:
    """Validation, then the explorer page: the build's work beside its outputs."""
    from graph.network import to_networkx as project
    from graph.render import render_html

    report = _check(graph, ontology, dataset, ntriples)
    return report, render_html(project(graph, ontology=ontology)).encode("utf-8")


class _Later(Mapping[str, bytes]):
    """Outputs whose bytes are asked for when first read (the explorer page, drawn
    beside the other outputs): :func:`graph.release.release_files` reads them last,
    for the sizes VoID lists."""

    def __init__(self, makers: dict[str, Callable[[], bytes]]) -> None:
        self._makers = makers

    def __getitem__(self, name: str) -> bytes:
        return self._makers[name]()

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def build(
    data: Path | str | None = None,
    graph_dir: Path | str = DEFAULT_GRAPH_DIR,
    *,
    strict: bool = False,
    force: bool = False,
) -> BuildResult:
    """Validate everything, then write ``alliance.ttl``, ``.jsonld``, ``.nt``, the
    explorer ``explorer.html`` and ``manifest.json`` to ``graph_dir``, as one set.

    Every output is parsed back before anything is written; the set is written
    next to ``graph_dir`` and swapped in whole (see :mod:`graph.buildset`), so a
    failure or a kill leaves the previous build as it was. Files in ``graph_dir`` that
    no build wrote stay. ``graph_dir`` must be new, empty or a build of ours unless
    ``force``; it is never the data folder.

    Raises
    ------
    InvalidRecords, ValidationFailed
        Bad records or a graph breaking its shapes.
    OverwriteError
        ``graph_dir`` holds other files (without ``force``), or is a data folder.
    OutputError
        An output does not parse back (a defect; nothing is written).

    Examples
    --------
    >>> import tempfile
    >>> result = build(graph_dir=tempfile.mkdtemp())
    >>> result.summary()["validation"]
    'ok'
    """
    from graph.build import serialize_outputs
    from graph.buildcache import RecordCache
    from graph.buildset import Inputs, check_out, write_set
    from graph.network.projection import gc_paused
    from graph.parallel import beside, forking
    from graph.progress import stage

    data_path = Path(data) if data else None
    check_out(Path(graph_dir), data_path, force)  # before the work, not after it
    forking()  # a bad ALLIANCE_GRAPH_JOBS is refused before the work too
    inputs = Inputs(data_path)  # hashed before reading: a change during the build shows
    cache = RecordCache(Path(graph_dir))  # parsed YAML of earlier builds, in its .cache/
    # The build allocates millions of objects and frees few until it ends: Python's
    # cycle collector, set off by the allocations, would walk them again and again
    # (at 10,000 entities a quarter of the build's CPU: 79 s with it, 59 s without,
    # for 9% more peak memory). It runs again once the build is done.
    with gc_paused():
        dataset, ontology, reconciliation, graph, ntriples = _prepare(data, strict, cache)
        # Validation and the explorer run beside the outputs, in a forked process on a
        # second core (graph.parallel); with one core, first, as a check before the work.
        with (
            stage("SHACL, explorer and outputs"),
            beside(_check_and_draw, graph, ontology, dataset, ntriples) as checking,
        ):
            if not checking.forked:
                checking.result()  # a violation is reported before the outputs are made
            try:
                blobs = serialize_outputs(
                    graph,
                    _Later({"explorer.html": lambda: checking.result()[1]}),
                    ntriples=ntriples,
                    ontology=ontology,
                )
            except Exception:
                checking.result()  # a violation explains a bad output: it comes first
                raise
            report, _ = checking.result()
        result = BuildResult(dataset, graph, ontology, report, reconciliation)
        with stage("write"):
            result.outputs = write_set(
                Path(graph_dir), blobs, data=data_path, inputs=inputs, force=force, cache=cache
            )
    return result


def _fresh(folder: Path, rebuild: bool) -> None:
    """Check that the build in ``folder`` is as new as its inputs; rebuild if asked."""
    from graph.buildset import check_fresh, data_folder, read_manifest
    from graph.errors import StaleBuildError

    try:
        check_fresh(folder)
    except StaleBuildError:
        if not rebuild:
            raise
        manifest = read_manifest(folder)
        recorded = manifest and manifest.get("inputs", {}).get("data")
        build(data_folder(folder, manifest) if manifest and recorded is not None else None, folder)


def built_path(
    graph_dir: Path | str = DEFAULT_GRAPH_DIR, name: str = "alliance.ttl", *, rebuild: bool = False
) -> Path:
    """Path of a built file, once its build is checked against the data.

    Raises
    ------
    NotBuiltError
        If there is no build (with ``rebuild``: builds the shipped data instead).
    StaleBuildError
        If the data, the ontology or alliance-graph changed since the build
        (with ``rebuild``: builds again from the data folder the build recorded).
    """
    from graph.buildset import LEGACY_OUTPUTS, MANIFEST

    out = Path(graph_dir)
    path = out / name
    if not (out / MANIFEST).is_file() and not any((out / n).is_file() for n in LEGACY_OUTPUTS):
        if not rebuild:
            raise NotBuiltError(
                "does not exist", path=path, hint="run 'alliance-graph build' first"
            )
        build(graph_dir=out)
    _fresh(out, rebuild)
    if not path.is_file():
        raise NotBuiltError("does not exist", path=path, hint="run 'alliance-graph build' first")
    return path


def built_file(path: Path | str | None, name: str, rebuild: bool) -> Path:
    """A built file given as a folder, a file or nothing (``build/<name>``); a file of a
    build (listed in the manifest beside it) is checked as :func:`built_path` does."""
    from graph.buildset import written_by_build

    where = Path(path) if path is not None else DEFAULT_GRAPH_DIR
    if path is None or where.is_dir():
        return built_path(where, name, rebuild=rebuild)
    if not where.is_file():
        raise NotBuiltError("does not exist", path=where, hint="run 'alliance-graph build' first")
    if written_by_build(where):
        _fresh(where.parent, rebuild)
    return where


def load_graph(path: Path | str | None = None, *, rebuild: bool = False) -> Graph:
    """Parse a built Turtle file into an rdflib graph (``build/alliance.ttl`` by default).

    ``path`` may be a build folder or a file; a build is first checked against
    its data (:func:`built_path`).
    """
    from rdflib import Graph

    return Graph().parse(built_file(path, "alliance.ttl", rebuild), format="turtle")
