"""A built wheel carries the ontology and the shipped data: it builds the graph alone."""

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
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(tmp_path / "dist"), str(ROOT)], check=True)
    (wheel,) = (tmp_path / "dist").glob("alliance_graph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("graph/ontology/alliance.ttl", "graph/ontology/shapes.ttl",
                     "graph/data/sources/us-japan-cooperation-2024/text.txt",
                     "graph/data/sources/us-japan-cooperation-2024/claims.yaml",
                     "graph/data/entities/organizations.yaml"):
        assert required in names, required
    assert any(n.startswith("graph/ontology/checks/") for n in names)

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
                    str(target), str(wheel)], check=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c",
         "import graph, sys; print(graph.__file__); from graph.cli import main; "
         "sys.exit(main(['build', '--out', 'out']))"],
        cwd=work, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith(str(target))
    assert "validation: ok" in done.stdout
    assert (work / "out" / "alliance.ttl").stat().st_size > 10_000
