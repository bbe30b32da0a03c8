"""Shared fixtures: one build of the shipped data per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import api


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> api.BuildResult:
    """The shipped data, built once into a temporary folder (``built.outputs``)."""
    out = tmp_path_factory.mktemp("build")
    return api.build(graph_dir=out)


@pytest.fixture(scope="session")
def built_dir(built: api.BuildResult) -> Path:
    """Folder holding ``alliance.ttl``, ``alliance.jsonld`` and ``alliance.nt``."""
    return built.outputs[0].parent
