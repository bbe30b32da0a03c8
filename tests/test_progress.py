"""Progress: stage lines on standard error on a terminal, nothing in pipes."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from graph import api
from graph.cli import main
from graph.progress import stage

STAGE = re.compile(r"^(.+)… (\d+\.\d s|failed)$")


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def stages(err: str) -> list[str]:
    """The stage names of the progress lines, checking every line is one."""
    lines = err.splitlines()
    assert all(STAGE.match(line) for line in lines), lines
    return [STAGE.match(line).group(1) for line in lines]  # type: ignore[union-attr]


def run_synth(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], out: Path, tty: bool
) -> tuple[str, str]:
    err = FakeTTY() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["synth", "--triples", "200", "--out", str(out)]) == 0
    return capsys.readouterr().out, err.getvalue()


def test_synth_shows_progress_on_a_terminal_and_nothing_in_a_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ALLIANCE_GRAPH_PROGRESS", raising=False)
    out, err = run_synth(monkeypatch, capsys, tmp_path / "a.nt", tty=True)
    assert stages(err) == ["synthetic graph (200 triples)", "count"]
    assert "…" not in out and out.startswith("wrote ")  # standard output stays clean
    piped_out, piped_err = run_synth(monkeypatch, capsys, tmp_path / "b.nt", tty=False)
    assert piped_err == ""
    # the same answer either way (the count of triples written; the time differs)
    assert piped_out.split(":")[1].split(" in ")[0] == out.split(":")[1].split(" in ")[0]
    monkeypatch.setenv("ALLIANCE_GRAPH_PROGRESS", "0")
    _, off = run_synth(monkeypatch, capsys, tmp_path / "c.nt", tty=True)
    assert off == ""


def test_build_reports_each_stage_in_order_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALLIANCE_GRAPH_PROGRESS", raising=False)
    err = FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    api.build(graph_dir=tmp_path)
    assert stages(err.getvalue()) == [
        "records",
        "reconcile",
        "RDF",
        "SHACL, explorer and outputs",
        "write",
    ]


def test_a_failing_stage_ends_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALLIANCE_GRAPH_PROGRESS", raising=False)
    err = FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    with pytest.raises(KeyError), stage("records"):
        raise KeyError("x")
    assert err.getvalue() == "records… failed\n"
