"""Comparing two stated values: same, finer, coarser, conflicting or not comparable.

Dates compare by the spans they cover (:mod:`graph.dates`); numbers exactly, or
within the rounding of the less precise one for properties the ontology marks
``ag:valueComparison "rounded"``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from graph.dates import PartialDate
from graph.records import Claim

#: Claim fields that qualify a fact, with the ontology property naming each.
QUALIFIER_FIELDS: dict[str, str] = {
    "point_in_time": "pointInTime",
    "valid_from": "validFrom",
    "valid_until": "validUntil",
    "amount": "amount",
    "quantity": "quantity",
}

SAME, FINER, COARSER, CONFLICT, INCOMPARABLE = "same", "finer", "coarser", "conflict", "n/a"


def _unit(value: Decimal) -> Decimal:
    """The rounding unit a number's trailing zeros suggest: 2400000000 → 100000000."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(1).scaleb(exponent)


def compare(a: Any, b: Any, *, rounded: bool = False) -> str:
    """How value ``a`` stands to value ``b``.

    Returns ``"same"``, ``"finer"`` (``a`` is compatible and more precise),
    ``"coarser"``, ``"conflict"``, or ``"n/a"`` when the values cannot be
    compared (different kinds).

    Examples
    --------
    >>> compare(PartialDate("2023-01-12"), PartialDate("2023"))
    'finer'
    >>> compare(PartialDate("2023-01-11"), PartialDate("2023-01-12"))
    'conflict'
    >>> compare(Decimal("2350000000"), Decimal("2400000000"), rounded=True)
    'finer'
    >>> compare(Decimal("2350000000"), Decimal("2400000000"))
    'conflict'
    >>> compare("State visit", "state  visit")
    'same'
    """
    if isinstance(a, PartialDate) and isinstance(b, PartialDate):
        if a == b:
            return SAME
        if not a.compatible(b):
            return CONFLICT
        return FINER if a.finer_than(b) else COARSER
    if isinstance(a, bool) or isinstance(b, bool):
        if type(a) is not type(b):
            return INCOMPARABLE
        return SAME if a == b else CONFLICT
    if isinstance(a, Decimal | int) and isinstance(b, Decimal | int):
        a, b = Decimal(a), Decimal(b)
        if a == b:
            return SAME
        if not rounded:
            return CONFLICT
        ua, ub = _unit(a), _unit(b)
        if ua == ub:
            return CONFLICT
        coarse, fine = (a, b) if ua > ub else (b, a)
        if abs(coarse - fine) * 2 > _unit(coarse):
            return CONFLICT
        return FINER if fine is a else COARSER
    if isinstance(a, str) and isinstance(b, str):
        return (
            SAME if " ".join(a.split()).casefold() == " ".join(b.split()).casefold() else CONFLICT
        )
    return INCOMPARABLE


def _precision(value: Any) -> int:
    """Higher is more precise: days over years, more significant digits over fewer."""
    if isinstance(value, PartialDate):
        return len(value.text)
    if isinstance(value, Decimal) and value.is_finite() and value != 0:
        exponent = value.normalize().as_tuple().exponent
        assert isinstance(exponent, int)
        return -exponent
    return 0


def show_value(value: Any) -> str:
    """A value as a reader wants it in a message."""
    if isinstance(value, PartialDate):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), ",f")
    return str(value)


def _short(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _field_value(claim: Claim, name: str) -> Any:
    return claim.obj if name == "value" else getattr(claim, name)
