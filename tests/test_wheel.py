"""A built wheel carries the ontology and the shipped data: it builds the graph alone.

Offline: the wheel is built without build isolation (the test environment
already has setuptools) and nothing is fetched from an index.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.mark.slow
def test_wheel_alone_builds_the_shipped_graph(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    offline = {**os.environ, "PIP_NO_INDEX": "1"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        env=offline,
    )
    (wheel,) = (tmp_path / "dist").glob("alliance_graph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    # Every module of the source tree, in every subpackage, is in the wheel.
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "graph").rglob("*.py")}
    assert modules - names == set()
    for required in (
        "graph/ontology/alliance.ttl",
        "graph/ontology/shapes.ttl",
        "graph/data/sources/us-japan-cooperation-2024/text.txt",
        "graph/data/sources/us-japan-cooperation-2024/claims.yaml",
        "graph/data/entities/organizations.yaml",
    ):
        assert required in names, required
    assert any(n.startswith("graph/ontology/checks/") for n in names)

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        env=offline,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import graph, sys; print(graph.__file__); from graph.cli import main; "
            "sys.exit(main(['build', '--out', 'out']))",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith(str(target))
    assert "validation: ok" in done.stdout
    assert (work / "out" / "alliance.ttl").stat().st_size > 10_000


def test_package_exports_never_shadow_submodules() -> None:
    # A fresh interpreter: what ``graph.<name>`` is must not depend on what ran before.
    code = """
import importlib, pkgutil, graph
from graph import api
exported = sorted(graph._API)
submodules = {m.name for m in pkgutil.iter_modules(graph.__path__)} - {"__main__"}
assert not set(exported) & submodules, set(exported) & submodules
before = {n: getattr(graph, n) for n in exported}
from graph import build, validate
assert build.__name__ == "graph.build" and validate.__name__ == "graph.validate"
api.build  # noqa
for name in submodules:
    importlib.import_module("graph." + name)
assert {n: getattr(graph, n) for n in exported} == before
assert graph.stats is api.stats
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"
