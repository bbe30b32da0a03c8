"""Typed rows: the one shape every answer takes before it is presented.

A :class:`Table` is a list of :class:`Column` (name and kind of value) and rows
of plain Python values; :mod:`graph.present` writes it in every output format
and :meth:`Table.to_dataframe` hands it to pandas with matching dtypes. This
module depends on nothing else in the package.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: Column kinds whose values are ids that ``iris=`` can turn into IRIs.
ID_KINDS = ("entity", "predicate", "source", "claim", "type")
#: Column kinds and their pandas dtypes.
DTYPES = {
    "int": "Int64",
    "float": "Float64",
    "bool": "boolean",
    "date": "string",
    "text": "string",
    "iri": "string",
    "any": "object",
    "list": "object",
    **dict.fromkeys(ID_KINDS, "string"),
}


@dataclass(frozen=True)
class Column:
    """One column: its name, the kind of its values (a key of :data:`DTYPES`), and
    whether a terminal table wraps it (long text) rather than sizing to it."""

    name: str
    kind: str = "text"
    wrap: bool = False


@dataclass
class Table:
    """Typed rows with their columns, and the words that go with them.

    ``note`` says how the rows were computed (a ranking's metric); ``empty``
    says why there are none, when there are none — the graph holding no facts
    of the kind asked about is not the same answer as facts found and none
    matching. ``document``, if set, is what ``json`` prints instead of the rows
    (a nested object such as an entity card).
    """

    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    empty: str = ""
    document: Any = None
    #: The long-form terminal report of this answer, given a width (``--format table``
    #: prints it instead of a grid when set).
    report: Callable[[int], str] | None = field(default=None, repr=False, compare=False)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def __len__(self) -> int:
        return len(self.rows)

    def with_iris(self, iris: Mapping[str, Callable[[str], str]]) -> Table:
        """The same table with the id columns of each kind in ``iris`` mapped to IRIs
        (in the rows and in the document)."""
        kinds = {c.name: iris[c.kind] for c in self.columns if c.kind in iris}
        rows = [
            {k: (kinds[k](v) if k in kinds and v is not None else v) for k, v in r.items()}
            for r in self.rows
        ]
        return Table(
            self.columns,
            rows,
            self.note,
            self.empty,
            _map_document(self.document, iris),
            self.report,
        )

    def to_dataframe(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame, one typed column per column.

        Integers are ``Int64``, reals ``Float64``, booleans ``boolean`` (all
        nullable); dates stay strings at their precision; ids and text are
        ``string``; lists stay Python objects.
        """
        import pandas as pd

        frame = pd.DataFrame(self.rows, columns=self.names)
        return frame.astype({c.name: DTYPES.get(c.kind, "object") for c in self.columns})


#: Keys of a nested document (an entity card) whose values are ids, and their kind.
DOCUMENT_KEYS = {
    "id": "entity",
    "subject": "entity",
    "object": "entity",
    "predicate": "predicate",
    "source": "source",
    "claim": "claim",
    "type": "type",
    "corroborates": "claim",
    "refines": "claim",
    "refined_by": "claim",
    "conflicts_with": "claim",
}


def _map_document(doc: Any, iris: Mapping[str, Callable[[str], str]]) -> Any:
    """IRIs for the ids of a nested document, by :data:`DOCUMENT_KEYS`."""
    if isinstance(doc, list):
        return [_map_document(d, iris) for d in doc]
    if not isinstance(doc, dict):
        return doc
    out: dict[str, Any] = {}
    for key, value in doc.items():
        make = iris.get(DOCUMENT_KEYS.get(key, ""))
        if make is not None and isinstance(value, str):
            out[key] = make(value)
        elif (
            make is not None and isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            out[key] = [make(v) for v in value]
        else:
            out[key] = _map_document(value, iris)
    return out


# --- values ------------------------------------------------------------------------------
def number(text: Any) -> int | float | None:
    """A number from what a record holds (``"2400000000.0"`` → ``2400000000``):
    an int when whole, else a float; None for nothing.

    >>> number("2400000000.0"), number("0.25"), number(None), number(7)
    (2400000000, 0.25, None, 7)
    """
    if text is None or text == "":
        return None
    if isinstance(text, bool):
        return int(text)
    if isinstance(text, int | float):
        return text
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
