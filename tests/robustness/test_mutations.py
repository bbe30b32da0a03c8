"""The mutation corpus: every damaged data folder ends in exit 0 or one clean error.

For each of :data:`CASES` mutated copies of ``tests/data/valid``
(:mod:`tests.robustness.mutate`), ``validate`` must exit 0 or 1, print no
traceback, name a file of the data folder on an ``Error:`` line when it fails
(with a line number when the damage is inside a file), finish within
:data:`TIME_BOUND` seconds and leave the data folder exactly as it was.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import graph.ontology
from graph.ontology import load_ontology
from tests.robustness.harness import run_validate, snapshot
from tests.robustness.mutate import OPERATORS, materialise, mutations

SEED = 12
CASES = 520
CHUNK = 40
TIME_BOUND = 20.0
ONTOLOGY = load_ontology()
CORPUS = list(mutations(SEED, CASES))


@pytest.fixture(autouse=True)
def _one_ontology(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parse the ontology once for the whole corpus, not once per case."""
    monkeypatch.setattr(graph.ontology, "load_ontology", lambda path=None: ONTOLOGY)


def test_the_corpus_is_large_deterministic_and_covers_every_operator() -> None:
    assert len(CORPUS) >= 500
    assert set(Counter(m.kind for m in CORPUS)) == set(OPERATORS)
    again = list(mutations(SEED, CASES))
    assert [(m.kind, m.target, m.detail) for m in again] == [
        (m.kind, m.target, m.detail) for m in CORPUS
    ]


def check_case(index: int, tmp_path: Path) -> list[str]:
    """The problems of one case, as readable lines (empty: the case behaved)."""
    mutation = CORPUS[index]
    root = materialise(mutation, tmp_path / f"case-{index}")
    before = snapshot(root)
    outcome = run_validate(root, TIME_BOUND)
    problems = []
    if outcome.status is None:
        if "Traceback" in outcome.err:
            return [f"{mutation}: raised {outcome.err[-300:]}"]
        return [f"{mutation}: did not finish within {TIME_BOUND} s"]
    if outcome.status not in (0, 1):
        problems.append(f"exit status {outcome.status}")
    if "Traceback" in outcome.err or "Traceback" in outcome.out:
        problems.append("traceback: " + outcome.err[-300:])
    if outcome.status == 1:
        lines = outcome.error_lines
        if not lines:
            problems.append("no 'Error:' line: " + outcome.err[:200])
        elif not any(str(root) in line for line in lines):
            problems.append("no file of the data folder named: " + lines[0][:200])
        elif not mutation.special_file and not any(
            re.search(re.escape(str(root)) + r"/\S+:\d+: \S+: ", line) for line in lines
        ):
            problems.append("no file:line: field: named: " + lines[0][:200])
    if snapshot(root) != before:
        problems.append("the data folder changed")
    return [f"{mutation}: {p}" for p in problems]


@pytest.mark.parametrize("chunk", range((CASES + CHUNK - 1) // CHUNK))
def test_mutated_folders_fail_cleanly(chunk: int, tmp_path: Path) -> None:
    problems: list[str] = []
    for index in range(chunk * CHUNK, min((chunk + 1) * CHUNK, CASES)):
        problems += check_case(index, tmp_path)
    assert problems == []
