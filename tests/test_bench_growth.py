"""The benchmarks' growth table: flags, floors and verdicts (no timing here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "bench_growth", Path(__file__).resolve().parents[1] / "benchmarks" / "growth.py"
)
assert _SPEC and _SPEC.loader
growth = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = growth  # dataclasses look their module up there
_SPEC.loader.exec_module(growth)


def test_step_is_superlinear_only_beyond_one_and_a_half_times_the_data_growth() -> None:
    sizes = [1_000, 10_000, 100_000]
    # 10x data: 15x is the limit, 15.1x is over it; a shrinking cost is fine.
    assert [s[2] for s in growth.steps(sizes, [1.0, 15.0, 15.0 * 15.1])] == [False, True]
    assert growth.steps(sizes, [1.0, 0.5, 0.6])[0] == (0.5, 10.0, False)


def test_uneven_data_growth_sets_the_limit() -> None:
    # 3x more data: 4.4x is linear enough, 4.6x is not.
    assert growth.steps([100, 300], [1.0, 4.4])[0][2] is False
    assert growth.steps([100, 300], [1.0, 4.6])[0][2] is True


def test_values_under_the_floor_or_missing_are_not_judged() -> None:
    out = growth.steps([1, 10, 100], [0.001, 0.1, None], floor=0.5)
    assert out[0][0] == pytest.approx(100) and out[0][2] is None
    assert out[1] == (None, 10.0, None)
    # A step from a value under the floor is not judged either; the next one is.
    out = growth.steps([1, 10, 100], [0.1, 1.0, 100.0], floor=0.5)
    assert [s[2] for s in out] == [None, True]


def test_table_flags_and_verdict() -> None:
    rows = [
        growth.Row("linear", [1.0, 10.0], growth.seconds),
        growth.Row("quadratic", [1.0, 100.0], growth.seconds),
        growth.Row("baseline", [1.0, 100.0], growth.seconds, judged=False, note="baseline"),
    ]
    text = growth.table("demo", [1_000, 10_000], rows)
    lines = text.splitlines()
    assert lines[0] == "| demo | 1k | 10k | growth per step (data 10×) |"
    assert lines[2].endswith("| 10× |")
    assert "100× **super-linear**" in lines[3]
    ok, verdict = growth.verdict(rows, "size")
    assert not ok
    assert verdict.startswith("target (size): ") and "FAIL (quadratic: 1k→10k" in verdict
    assert "not judged, shown: baseline" in verdict
    ok, verdict = growth.verdict(rows[:1])
    assert ok and verdict.endswith("PASS")


@pytest.mark.parametrize(
    ("text", "sizes"),
    [("10000,100000", [10_000, 100_000]), ("1M, 10k,10k", [10_000, 1_000_000])],
)
def test_parse_sizes(text: str, sizes: list[int]) -> None:
    assert growth.parse_sizes(text) == sizes


@pytest.mark.parametrize("text", ["ten", "0", "-5", "1.5", ""])
def test_parse_sizes_refuses_what_is_not_a_positive_whole_number(text: str) -> None:
    with pytest.raises(ValueError, match="--sizes"):
        growth.parse_sizes(text)


def test_nearest_size_is_by_ratio() -> None:
    assert growth.nearest([500, 5_000, 50_000], 5_000) == 5_000
    assert growth.nearest([3_000, 20_000], 10_000) == 20_000  # 2x away beats 3.3x away
    assert growth.nearest([100_000], 1_000_000) == 100_000
