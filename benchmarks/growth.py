"""Growth tables for benchmarks that measure one thing at several data sizes.

A benchmark collects, for each measure, one value per size (seconds, MB, …),
and prints it with :func:`table`: one column per size, then the growth factor
of each step, compared with the data's own growth. A step whose cost grows by
more than :data:`SUPERLINEAR` times the data's growth (10× more data costing
more than 15×) is flagged "super-linear", so that such a step shows at once.

Values too small to measure reliably (a millisecond of a timer, a few MB of
``ru_maxrss``) make meaningless ratios: a row can set a ``floor``; a step with
a value under it is not judged (its factor is still printed, marked ``~``).

Run as a script, it prints an example table::

    python benchmarks/growth.py
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

#: A step is super-linear when cost growth > SUPERLINEAR × data growth.
SUPERLINEAR = 1.5


@dataclass
class Row:
    """One measure at every size: ``values[i]`` belongs to ``sizes[i]`` (None: not measured).

    ``judged`` False prints the flag but keeps the row out of :func:`verdict`
    (a measure whose cost does not depend on the data's size alone, such as a
    path search between two sampled nodes); ``note`` says why.
    """

    name: str
    values: Sequence[float | None]
    fmt: Callable[[float], str] = lambda v: f"{v:.3g}"
    floor: float = 0.0
    judged: bool = True
    note: str = ""
    flags: list[str] = field(default_factory=list, init=False)


def seconds(value: float) -> str:
    """``0.0123`` → ``'12.3 ms'``, ``4.56`` → ``'4.56 s'``."""
    if value < 1:
        return f"{value * 1000:.3g} ms"
    return f"{value:.3g} s" if value < 100 else f"{value:.0f} s"


def megabytes(value: float) -> str:
    """``123.4`` → ``'123 MB'``."""
    return f"{value:.3g} MB" if value < 1000 else f"{value:.0f} MB"


def fmt_size(size: float) -> str:
    """``1000000`` → ``'1M'``, ``50000`` → ``'50k'``, ``500`` → ``'500'``."""
    for unit, name in ((1_000_000, "M"), (1_000, "k")):
        if size >= unit:
            return f"{size / unit:g}{name}"
    return f"{size:g}"


def steps(
    sizes: Sequence[float], values: Sequence[float | None], floor: float = 0.0
) -> list[tuple[float | None, float, bool | None]]:
    """For each consecutive pair: (cost growth, data growth, super-linear?).

    Cost growth is None where a value is missing or zero; "super-linear?" is
    None where the step is not judged (a missing value, or a value under
    ``floor``).
    """
    out: list[tuple[float | None, float, bool | None]] = []
    for (s0, v0), (s1, v1) in itertools.pairwise(zip(sizes, values, strict=True)):
        data = s1 / s0
        if v0 is None or v1 is None or v0 <= 0:
            out.append((None, data, None))
            continue
        cost = v1 / v0
        judged = min(v0, v1) >= floor
        out.append((cost, data, cost > SUPERLINEAR * data if judged else None))
    return out


def table(
    title: str,
    sizes: Sequence[float],
    rows: Sequence[Row],
    *,
    labels: Sequence[str] | None = None,
    unit: str = "",
) -> str:
    """A Markdown table: one column per size, growth of each step, flags; sets ``row.flags``.

    ``sizes`` are the data's measured sizes (their ratios are the data's growth);
    ``labels`` head the columns (default: the sizes, shortened).
    """
    labels = list(labels) if labels else [fmt_size(s) for s in sizes]
    data_growth = ", ".join(f"{b / a:.3g}×" for a, b in itertools.pairwise(sizes))
    head = f"| {title} | " + " | ".join(labels) + f" | growth per step (data {data_growth}) |"
    lines = [head, "|---|" + "---|" * (len(sizes) + 1)]
    for row in rows:
        cells = ["–" if v is None else row.fmt(v) for v in row.values]
        parts, row.flags = [], []
        pairs = itertools.pairwise(labels)
        for (a, b), (cost, _, superlinear) in zip(
            pairs, steps(sizes, row.values, row.floor), strict=True
        ):
            if cost is None:
                parts.append("–")
                continue
            text = f"{cost:.3g}×"
            if superlinear is None:
                text = "~" + text
            elif superlinear:
                text += " **super-linear**"
                row.flags.append(f"{row.name}: {a}→{b} costs {cost:.3g}×")
            parts.append(text)
        growth = ", ".join(parts)
        if row.note:
            growth += f" ({row.note})"
        lines.append(f"| {row.name} | " + " | ".join(cells) + f" | {growth} |")
    if unit:
        lines.append(f"\n{unit}")
    return "\n".join(lines)


def verdict(rows: Sequence[Row], subject: str = "") -> tuple[bool, str]:
    """PASS unless a judged row has a super-linear step; call after :func:`table`.

    ``subject`` names what grows, where one benchmark has several growth targets.
    """
    flagged = [f for r in rows if r.judged for f in r.flags]
    shown = [f for r in rows if not r.judged for f in r.flags]
    what = f"target ({subject})" if subject else "target"
    text = f"{what}: no step costs more than {SUPERLINEAR:g}× the data's growth: " + (
        "PASS" if not flagged else "FAIL (" + "; ".join(flagged) + ")"
    )
    if shown:
        text += "\n  not judged, shown: " + "; ".join(shown)
    return not flagged, text


def parse_sizes(text: str) -> list[int]:
    """``'10000,100000'`` → ``[10000, 100000]``, ascending; accepts ``10k``/``1M``."""
    out = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        scale = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        number = part[:-1] if scale > 1 else part
        try:
            value = float(number) * scale
        except ValueError:
            raise ValueError(f"--sizes: {part!r} is not a number") from None
        if value <= 0 or value != int(value):
            raise ValueError(f"--sizes: {part!r} is not a positive whole number")
        out.append(int(value))
    return sorted(set(out))


def nearest(sizes: Sequence[int], stated: int) -> int:
    """The size closest (in ratio) to the size a target is stated for."""
    return min(sizes, key=lambda s: abs(math.log(s / stated)))


def machine_line() -> str:
    """The load average and CPU count, to print beside figures from a shared machine."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


if __name__ == "__main__":
    demo = [
        Row("linear", [1.0, 10.0, 100.0], seconds),
        Row("quadratic", [1.0, 100.0, 10000.0], seconds),
        Row("tiny", [0.0001, 0.0005, 0.01], seconds, floor=0.05),
    ]
    print(table("demo", [1000, 10000, 100000], demo))
    print(verdict(demo)[1])
