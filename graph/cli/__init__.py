"""The ``alliance-graph`` command line: thin commands over :mod:`graph.api`.

Each command parses its options, calls the public API and prints. The group,
the shared options and the one error boundary (:func:`main`) are in
:mod:`graph.cli.common`; the commands are grouped by what they work on:
:mod:`~graph.cli.records` (build, validate, stats, schema), :mod:`~graph.cli.sparql`
(queries, query, conflicts, serve, publish, synth), :mod:`~graph.cli.network`
(show, path, deps, impact, rank, timeline, export, render) and
:mod:`~graph.cli.sources` (ingest, review, diff). Heavy imports stay inside
commands so that start-up is fast.
"""

from __future__ import annotations

from graph.cli import network, records, sources, sparql  # noqa: F401  (registers commands)
from graph.cli.common import cli, main

__all__ = ["cli", "main"]
