"""The command line, in-process: exact output and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from graph import resources
from graph.cli import cli, main


def test_every_command_has_help_text() -> None:
    assert cli.commands
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), f"{name} has no help text"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.name} has no help text"


def test_build_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--graph-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "validation: ok" in out
    assert f"wrote {tmp_path / 'alliance.ttl'}" in out
    assert f"wrote {tmp_path / 'alliance.jsonld'}" in out
    n_sources = sum(1 for p in (resources.data_dir() / "sources").iterdir() if p.is_dir())
    for line in ("  Agreement", "  WeaponSystem", "facts:", f"sources:   {n_sources}\n"):
        assert line in out


def test_validate_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 0
    assert "validation: ok" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_stats_needs_a_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--out", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"Error: {tmp_path / 'nowhere' / 'alliance.ttl'}: does not exist "
        "(run 'alliance-graph build' first)\n"
    )


def test_stats_of_a_build(built_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--out", str(built_dir)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"entities:  {built_summary_entities(built_dir)}"
    n_sources = sum(1 for p in (resources.data_dir() / "sources").iterdir() if p.is_dir())
    assert f"sources:   {n_sources}\n" in out


def built_summary_entities(built_dir: Path) -> int:
    """The entities of the build (of the shipped records), counted from the records
    rather than by ``api.stats``, which the command prints."""
    from graph import api

    return len(api.load_dataset().entities)


def test_schema_lists_types_and_dependency_predicates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    assert "GovernmentAgency" in out and "政府機関" in out
    assert "buildsOn                 Programme -> Programme  [dependency]" in out


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graph", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "Usage: alliance-graph" in done.stdout


def test_unknown_command_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nonsense"]) == 2
    assert "No such command 'nonsense'" in capsys.readouterr().err
