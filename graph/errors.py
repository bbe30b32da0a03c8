"""The one exception tree of alliance-graph.

Every error the package raises on purpose derives from :class:`AllianceGraphError`,
so the CLI catches that base once. Errors about input files carry ``path``,
``line`` and ``field`` and render as ``path:line: field: what is wrong (how to fix it)``.
This module depends on nothing else in the package.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class AllianceGraphError(Exception):
    """Base class of every error alliance-graph raises on purpose.

    Parameters
    ----------
    message : str
        What is wrong, in words a user understands.
    path : str or Path, optional
        The file the error is about.
    line : int, optional
        1-based line in ``path``.
    field : str, optional
        The record field (``quote``, ``object``, ``type`` …).
    hint : str, optional
        How to fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        field = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{field}{self.message}{hint}"

    def __reduce__(self) -> tuple[object, ...]:
        # Subclasses take other arguments than ``args`` holds; rebuilt from their state,
        # an error crosses a process (the build's second process, :mod:`graph.parallel`).
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(
    cls: type[AllianceGraphError], args: tuple[object, ...], state: dict[str, object]
) -> AllianceGraphError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


# --- input records -------------------------------------------------------------
class DataError(AllianceGraphError):
    """A record in ``data/`` is wrong.

    Renders on one line: line breaks and control characters a record carried
    into the field or message are shown escaped.
    """

    def __str__(self) -> str:
        return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in super().__str__())


class YamlSyntaxError(DataError):
    """A YAML file does not parse."""


class RecordFieldError(DataError):
    """A field is missing, unexpected or of the wrong kind."""


class DuplicateIdError(DataError):
    """Two records share one id."""


class UnknownEntityError(DataError):
    """A claim names an entity id that no entity file declares."""


class UnknownTypeError(DataError):
    """An entity's type is not a class of the ontology."""


class UnknownPredicateError(DataError):
    """A claim's predicate is not a property of the ontology."""


class DomainRangeError(DataError):
    """A claim's subject or object is of a type the predicate does not allow."""


class DateError(DataError):
    """A date does not parse or does not exist."""


class QuoteNotFoundError(DataError):
    """A quote does not occur in its source text."""


class MissingSourceTextError(DataError):
    """A source folder has no text to check quotes against."""


class InvalidRecords(DataError):
    """Several data errors at once; ``errors`` lists them in file order."""

    def __init__(self, errors: Iterable[DataError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(
            first.message, path=first.path, line=first.line, field=first.field, hint=first.hint
        )

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class ConflictError(DataError):
    """Two claims give incompatible values of a single-valued property or qualifier.

    A warning by default (both claims stay in the graph with their quotes); an
    error with ``validate --strict``.
    """


# --- adding documents ------------------------------------------------------------
class IngestError(AllianceGraphError):
    """A document cannot become a source: empty, binary, not UTF-8, or its id is taken."""


class ReviewError(AllianceGraphError):
    """Claim drafts cannot be reviewed: no drafts file, or an interactive review without a
    terminal."""


# --- schema and validation -----------------------------------------------------
class OntologyError(AllianceGraphError):
    """The ontology files are inconsistent (a defect of the project, not of the data)."""


class ValidationFailed(AllianceGraphError):
    """The built graph violates a SHACL shape or a violation query.

    ``violations`` holds one line per violation, each ``file:line: shacl: …``
    when the record behind it is known; the error prints one line per violation.
    """

    def __init__(self, violations: Iterable[str]) -> None:
        self.violations = list(violations)
        super().__init__(f"the graph violates {len(self.violations)} constraint(s)", field="shacl")

    def __str__(self) -> str:
        return "\n".join(self.violations) or super().__str__()


class OutputError(AllianceGraphError):
    """An output of the build does not parse back or disagrees with the graph (a defect
    of the project, not of the data); the previous build is left in place."""


class OverwriteError(AllianceGraphError):
    """A command would replace a file it did not write, or write where it must not."""


# --- using the graph -----------------------------------------------------------
class NotBuiltError(AllianceGraphError):
    """The built graph the command needs is not there."""


class StaleBuildError(NotBuiltError):
    """The built graph is older than the data (or the ontology, or alliance-graph)."""


class EntityNotFound(AllianceGraphError):
    """No entity has the given id, label or alias (or several do)."""


class NoPathError(AllianceGraphError):
    """Two entities are not connected."""


class QueryError(AllianceGraphError):
    """A SPARQL query is malformed, unknown, or misses a parameter."""


class EndpointError(AllianceGraphError):
    """A remote SPARQL endpoint cannot be reached or answers with an error."""


class RenderError(AllianceGraphError):
    """A view of the explorer cannot be rendered."""


class InvalidOptionError(AllianceGraphError, ValueError):
    """An option of a network function is not valid: a date, type, predicate or metric."""
