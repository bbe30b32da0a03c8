"""Every notebook runs top to bottom on the real data, in a fresh kernel.

Notebooks are kept in the paired text format (jupytext percent scripts,
``notebooks/*.py``) so that diffs are reviewable and no outputs are committed.
Each notebook checks its own key findings with ``assert``, so a regression in
the data or the API fails here. The findings are stated as invariants (quotes
stand in their sources, counts add up, known facts are present, no fact doubled,
one preferred claim per fact), so that they hold as the corpus grows.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]_*.py"))


def test_the_six_notebooks_are_there() -> None:
    assert [p.stem for p in NOTEBOOKS] == [
        "01_overview", "02_sparql", "03_network_analysis", "04_explorer", "05_timeline",
        "06_sources"]


def test_notebooks_build_into_a_temporary_folder() -> None:
    """Builds go to ``tempfile.mkdtemp()``, never into ``notebooks/build/`` or the
    working directory; the findings are invariants, not today's counts."""
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        assert "tempfile.mkdtemp(" in text, path.name
        assert 'out="build"' not in text and "\"build\")" not in text, path.name
        assert 'summary["sources"] == 1' not in text, path.name


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    import jupytext
    from nbclient import NotebookClient

    notebook = jupytext.read(path)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    started = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - started
    print(f"{path.stem}: {seconds:.1f} s")
    errors = [o for cell in notebook.cells for o in cell.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []
    assert not (tmp_path / "build").exists(), "a notebook built into its working directory"
