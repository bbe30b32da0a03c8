"""Shared fixtures: one build of the shipped data per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import api

# ``built`` (the shipped data, built once per session) is defined in
# tests/shared_build.py, a plugin, so that the doctests share it.


@pytest.fixture(scope="session")
def built_dir(built: api.BuildResult) -> Path:
    """Folder holding ``alliance.ttl``, ``alliance.jsonld`` and ``alliance.nt``."""
    return built.outputs[0].parent
