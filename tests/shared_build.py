"""Fixtures shared by the tests and the doctests: one build of the shipped data per session.

Loaded as a pytest plugin (``-p tests.shared_build`` in pyproject.toml) so that it
reaches the doctests in graph/ too, without a conftest.py outside tests/.

Doctests that need a built graph use the name ``built`` (an
:class:`graph.api.BuildResult`) instead of building their own; it is put in
their namespace only for doctests, and built on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from graph.api import BuildResult


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The shipped data, built once into a temporary folder (``built.outputs``)."""
    from graph import api

    return api.build(graph_dir=tmp_path_factory.mktemp("build"))


@pytest.fixture(autouse=True)
def _doctest_build(request: pytest.FixtureRequest) -> None:
    """Give doctests that mention ``built`` the session's build."""
    from _pytest.doctest import DoctestItem

    item = request.node
    if isinstance(item, DoctestItem) and any("built" in ex.source for ex in item.dtest.examples):
        item.dtest.globs["built"] = request.getfixturevalue("built")
