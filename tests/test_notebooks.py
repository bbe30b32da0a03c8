"""Every notebook runs top to bottom on the real data, in a fresh kernel.

Notebooks are kept in the paired text format (jupytext percent scripts,
``notebooks/*.py``) so that diffs are reviewable and no outputs are committed.
Each notebook checks its own key findings with ``assert``, so a regression in
the data or the API fails here. The findings are stated as invariants (quotes
stand in their sources, counts add up, known facts are present, no fact doubled,
one preferred claim per fact), so that they hold as the corpus grows.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
EXTRAS = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_notebooks_extra_has_what_opening_and_running_them_needs() -> None:
    assert {"jupytext", "matplotlib", "ipykernel"} <= _names(EXTRAS["notebooks"])
    assert {"jupyterlab", "notebook"} & _names(EXTRAS["notebooks"])
    # The executed-notebook tests need the kernel, jupytext, nbclient (by nbmake), matplotlib.
    assert {"jupytext", "matplotlib", "ipykernel", "nbmake"} <= _names(EXTRAS["test"])


def test_readme_command_installs_the_extra_and_opens_the_notebooks() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash .ci/notebooks" in readme
    script = (ROOT / ".ci" / "notebooks").read_text(encoding="utf-8")
    assert "setup-python notebooks" in script
    assert re.search(r"jupyter lab .*notebooks/", script)
    assert "127.0.0.1" in script


def _fake_checkout(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the setup script, pyproject.toml and a .venv whose python logs its calls."""
    (tmp_path / ".ci").mkdir()
    (tmp_path / ".ci" / "setup-python").write_bytes((ROOT / ".ci" / "setup-python").read_bytes())
    (tmp_path / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    log = tmp_path / "calls.log"
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\necho "$*" >> {log}\n')
    python.chmod(0o755)
    return tmp_path, log


def test_setup_installs_again_only_when_pyproject_or_extras_change(tmp_path: Path) -> None:
    root, log = _fake_checkout(tmp_path)

    def setup(*extras: str) -> list[str]:
        before = log.read_text().splitlines() if log.exists() else []
        subprocess.run(
            ["bash", str(root / ".ci" / "setup-python"), *extras],
            check=True,
            env={**os.environ, "PYTHON": "false"},
        )
        return log.read_text().splitlines()[len(before) :] if log.exists() else []

    assert setup() == ["-m pip install --quiet --editable ."]
    assert setup() == []  # nothing changed: no pip
    assert setup("notebooks") == ["-m pip install --quiet --editable .[notebooks]"]
    assert setup("notebooks") == []
    with (root / "pyproject.toml").open("a") as handle:
        handle.write("\n# changed\n")
    assert setup() == ["-m pip install --quiet --editable ."]


def test_the_six_notebooks_are_there() -> None:
    assert [p.stem for p in NOTEBOOKS] == [
        "01_overview",
        "02_sparql",
        "03_network_analysis",
        "04_explorer",
        "05_timeline",
        "06_sources",
    ]


def test_notebooks_build_into_a_temporary_folder() -> None:
    """Builds go to ``tempfile.mkdtemp()``, never into ``notebooks/build/`` or the
    working directory; the findings are invariants, not today's counts."""
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        assert "tempfile.mkdtemp(" in text, path.name
        assert 'out="build"' not in text and '"build")' not in text, path.name
        assert 'summary["sources"] == 1' not in text, path.name


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(path)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    started = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - started
    print(f"{path.stem}: {seconds:.1f} s")
    errors = [
        o
        for cell in notebook.cells
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert errors == []
    assert not (tmp_path / "build").exists(), "a notebook built into its working directory"
