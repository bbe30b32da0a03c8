"""Checks of one claim against the ontology, the entities and its source's text.

A claim passes when its subject and object are known entities of the types the
predicate's domain and range allow, a literal is of the predicate's kind, its
dates exist, its amounts and counts are finite numbers of sane size, a
property the ontology declares ``owl:IrreflexiveProperty`` does not link an
entity to itself, and its quote — long enough to be evidence — stands in the
source's text (whitespace aside). :class:`ClaimChecker` collects every problem
as a :class:`~graph.errors.DataError` naming ``file:line`` and the field.

Used by :mod:`graph.records` (the loader, and drafts under review). Depends on
:mod:`graph.recordmodels`, :mod:`graph.dates`, :mod:`graph.ontology`, :mod:`graph.errors`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rdflib import OWL, RDF

from graph.dates import PartialDate
from graph.errors import (
    DataError,
    DateError,
    DomainRangeError,
    QuoteNotFoundError,
    RecordFieldError,
    UnknownEntityError,
    UnknownPredicateError,
)
from graph.ontology import Ontology, OntProperty
from graph.recordmodels import Claim, ClaimRecord, Entity, Location, Source
from graph.yamlio import LineDict

#: A quote is evidence only if it is at least this many characters (whitespace aside) …
MIN_QUOTE_CHARS = 8
#: … of which at least this many are letters or digits: "a" or "..." prove nothing.
MIN_QUOTE_ALNUM = 4
#: Amounts, counts and decimal values must be smaller than 10 to this power in magnitude.
MAX_DIGITS = 21


def pydantic_errors(exc: ValidationError, raw: LineDict, path: Path) -> list[DataError]:
    """One :class:`RecordFieldError` per problem pydantic found, at the line of its key."""
    errors: list[DataError] = []
    for err in exc.errors():
        loc = [str(x) for x in err["loc"]]
        top = loc[0] if loc else None
        line = raw.key_lines.get(top, raw.line) if top else raw.line
        field = ".".join(x if x.isprintable() else repr(x) for x in loc) or "record"
        if err["type"] == "missing":
            message, hint = "is required", f"add '{field}:'"
        elif err["type"] == "extra_forbidden":
            message, hint = "is not a field of this record", "remove it or fix its spelling"
        elif err["type"] == "string_pattern_mismatch" and top == "id":
            message = f"{err.get('input')!r} is not a valid id"
            hint = "use lower-case letters, digits and single hyphens, e.g. 'mod-japan'"
        else:
            message, hint = str(err["msg"]).removeprefix("Value error, "), None
        errors.append(RecordFieldError(message, path=path, line=line, field=field, hint=hint))
    return errors


_NON_SPACE = re.compile(r"\S+")  # \s is str.isspace (and str.split) for str patterns


def normalise(text: str) -> tuple[str, list[int]]:
    """Collapse runs of whitespace to one space; map each kept char to its offset.

    Leading whitespace is dropped; a run after a word becomes one space, at the
    offset of the run's first character. Word by word (a regular expression)
    rather than character by character: the quote check of every claim runs this.

    >>> normalise("  a\\n\\t bc ")
    ('a bc ', [2, 3, 6, 7, 8])
    """
    words: list[str] = []
    offsets: list[int] = []
    size = len(text)
    end = 0
    for match in _NON_SPACE.finditer(text):
        start, end = match.span()
        words.append(match.group())
        offsets.extend(range(start, end))
        if end < size:
            offsets.append(end)
    joined = " ".join(words)
    return (joined + " " if words and end < size else joined), offsets


def too_short_to_be_evidence(quote: str) -> bool:
    """True for a quote too short to show where a fact is stated (``"a"``, ``"..."``)."""
    kept = "".join(quote.split())
    # Counts letters and digits only up to the minimum: the check runs for every claim.
    alnum = islice(filter(str.isalnum, kept), MIN_QUOTE_ALNUM)
    return len(kept) < MIN_QUOTE_CHARS or sum(1 for _ in alnum) < MIN_QUOTE_ALNUM


def bounded_number(value: Any) -> Decimal:
    """``value`` as a finite :class:`~decimal.Decimal` smaller than :data:`MAX_DIGITS` digits.

    Raises ValueError otherwise (booleans, ``.inf``, ``1e999999999``, text).
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is a boolean, not a number")
    try:
        number = Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None
    # adjusted() is the exponent of the leading digit: no arithmetic, so no Overflow.
    if not number.is_finite() or number.adjusted() >= MAX_DIGITS:
        raise ValueError(f"{value!r} is not a finite number below 10^{MAX_DIGITS}")
    return number


class ClaimChecker:
    """Checks claims of one source at a time, collecting errors in :attr:`errors`."""

    def __init__(self, ontology: Ontology) -> None:
        self.onto = ontology
        self.errors: list[DataError] = []
        self.entities: dict[str, Entity] = {}
        self._normalised: dict[str, CollapsedText] = {}
        self._irreflexive = set(ontology.graph.subjects(RDF.type, OWL.IrreflexiveProperty))
        self._satisfies: dict[tuple[str, Any], bool] = {}

    def _class_satisfies(self, name: str, required: Any) -> bool:
        """:meth:`Ontology.class_satisfies`, asked twice a claim of a few pairs: kept."""
        answer = self._satisfies.get((name, required))
        if answer is None:
            answer = self._satisfies[name, required] = self.onto.class_satisfies(name, required)
        return answer

    # Errors are collected so that one run reports every problem at once.
    def fail(self, error: DataError) -> None:
        self.errors.append(error)

    def checked(
        self, items: list[LineDict], path: Path, source: Source
    ) -> Iterator[tuple[LineDict, Claim]]:
        """Each item that passes every check, as a claim; the others' errors are recorded."""
        for raw in items:
            try:
                record = ClaimRecord.model_validate(raw)
            except ValidationError as exc:
                self.errors.extend(pydantic_errors(exc, raw, path))
                continue
            claim = self._check_claim(record, raw, path, source)
            if claim is not None:
                yield raw, claim

    def _check_claim(
        self, rec: ClaimRecord, raw: LineDict, path: Path, source: Source
    ) -> Claim | None:
        def line(field: str) -> int:
            return raw.key_lines.get(field, raw.line)

        n_errors = len(self.errors)
        subject = self.entities.get(rec.subject)
        if subject is None:
            self.fail(
                UnknownEntityError(
                    f"unknown entity {rec.subject!r}",
                    path=path,
                    line=line("subject"),
                    field="subject",
                    hint=suggest(rec.subject, self.entities, "ids"),
                )
            )
        prop = self.onto.claim_predicates.get(rec.predicate)
        if prop is None:
            self.fail(
                UnknownPredicateError(
                    f"unknown predicate {rec.predicate!r}",
                    path=path,
                    line=line("predicate"),
                    field="predicate",
                    hint=suggest(rec.predicate, self.onto.claim_predicates, "predicates"),
                )
            )
        if self.errors[n_errors:] or subject is None or prop is None:
            return None

        if not self._class_satisfies(subject.record.type, prop.domain):
            self.fail(
                DomainRangeError(
                    f"{rec.predicate} needs a subject of type "
                    f"{self.onto.class_name(prop.domain)}, but {rec.subject!r} is a "
                    f"{subject.record.type}",
                    path=path,
                    line=line("subject"),
                    field="subject",
                    hint="pick another predicate or fix the entity's type",
                )
            )
            return None

        obj = self._object(rec, prop, path, line)
        if obj is None:
            return None
        qualifiers = self._qualifiers(rec, path, line)
        if qualifiers is None:
            return None

        if too_short_to_be_evidence(rec.quote):
            self.fail(
                QuoteNotFoundError(
                    f"quote {_shorten(rec.quote)!r} is too short to be evidence",
                    path=path,
                    line=line("quote"),
                    field="quote",
                    hint=f"quote at least {MIN_QUOTE_CHARS} characters, {MIN_QUOTE_ALNUM} of them "
                    "letters or digits: the words that state the fact",
                )
            )
            return None
        span = self._find_quote(source, rec.quote)
        if span is None:
            self.fail(
                QuoteNotFoundError(
                    f"quote not found in source {source.id!r}: {_shorten(rec.quote)!r}",
                    path=path,
                    line=line("quote"),
                    field="quote",
                    hint="copy the words exactly as they stand in text.txt; only whitespace may "
                    "differ",
                )
            )
            return None

        return Claim(
            subject=rec.subject,
            predicate=prop,
            obj=obj,
            source=source.id,
            quote=source.text[span[0] : span[1]],
            quote_start=span[0],
            quote_end=span[1],
            role=rec.role,
            currency=rec.currency,
            rank=rec.rank,
            rank_reason=rec.rank_reason,
            where=Location(path, raw.line),
            **qualifiers,
        )

    def _object(self, rec: ClaimRecord, prop: OntProperty, path: Path, line: Any) -> Any:
        """The entity id or converted literal the claim states, or None (error recorded)."""
        if prop.kind != "object":
            if rec.value is None or rec.object is not None:
                self.fail(
                    RecordFieldError(
                        f"{rec.predicate} takes a literal: give 'value:', not 'object:'",
                        path=path,
                        line=line("object" if rec.object is not None else "predicate"),
                        field="value",
                    )
                )
                return None
            return self._literal(prop, rec.value, path, line("value"))
        if rec.object is None or rec.value is not None:
            self.fail(
                RecordFieldError(
                    f"{rec.predicate} links two entities: give 'object:' (an entity id), "
                    "not 'value:'",
                    path=path,
                    line=line("value" if rec.value is not None else "predicate"),
                    field="object",
                )
            )
            return None
        target = self.entities.get(rec.object)
        if target is None:
            self.fail(
                UnknownEntityError(
                    f"unknown entity {rec.object!r}",
                    path=path,
                    line=line("object"),
                    field="object",
                    hint=suggest(rec.object, self.entities, "ids"),
                )
            )
            return None
        if not self._class_satisfies(target.record.type, prop.range):
            self.fail(
                DomainRangeError(
                    f"{rec.predicate} needs an object of type "
                    f"{self.onto.class_name(prop.range)}, but {rec.object!r} is a "
                    f"{target.record.type}",
                    path=path,
                    line=line("object"),
                    field="object",
                    hint="pick another predicate or fix the entity's type",
                )
            )
            return None
        if rec.object == rec.subject and prop.iri in self._irreflexive:
            self.fail(
                DomainRangeError(
                    f"{rec.predicate} cannot link {rec.subject!r} to itself",
                    path=path,
                    line=line("object"),
                    field="object",
                    hint="the ontology declares it irreflexive; name the other entity",
                )
            )
            return None
        return rec.object

    def _qualifiers(self, rec: ClaimRecord, path: Path, line: Any) -> dict[str, Any] | None:
        """Dates, amount and quantity checked and converted, or None (error recorded)."""
        dates: dict[str, PartialDate | None] = {}
        for field, value in (("date", rec.date), ("from", rec.from_), ("until", rec.until)):
            dates[field] = None
            if value is not None:
                try:
                    dates[field] = PartialDate.parse(value)
                except ValueError as exc:
                    self.fail(DateError(str(exc), path=path, line=line(field), field=field))
                    return None
        if dates["from"] and dates["until"] and dates["until"].last_day < dates["from"].first_day:
            self.fail(
                DateError(
                    f"'until' {dates['until'].text} is before 'from' {dates['from'].text}",
                    path=path,
                    line=line("until"),
                    field="until",
                )
            )
            return None

        amount = None
        if rec.amount is not None:
            try:
                amount = bounded_number(rec.amount)
            except ValueError as exc:
                self.fail(
                    RecordFieldError(
                        f"{exc}",
                        path=path,
                        line=line("amount"),
                        field="amount",
                        hint='write digits only, e.g. "2400000000"',
                    )
                )
                return None
            if rec.currency is None:
                self.fail(
                    RecordFieldError(
                        "an amount needs its currency",
                        path=path,
                        line=line("amount"),
                        field="currency",
                        hint="add 'currency:' with an ISO 4217 code",
                    )
                )
                return None

        quantity = None
        if rec.quantity is not None:
            try:
                quantity = bounded_number(rec.quantity)
            except ValueError:
                quantity = None
            if quantity is None or quantity < 0:
                self.fail(
                    RecordFieldError(
                        f"{rec.quantity!r} is not a count",
                        path=path,
                        line=line("quantity"),
                        field="quantity",
                        hint="write a number of units, e.g. 400",
                    )
                )
                return None

        ranks = self.onto.concepts("Rank")
        if rec.rank is not None and rec.rank not in ranks:
            self.fail(
                RecordFieldError(
                    f"unknown rank {rec.rank!r}",
                    path=path,
                    line=line("rank"),
                    field="rank",
                    hint="use one of " + ", ".join(repr(k) for k in sorted(ranks)),
                )
            )
            return None
        if (rec.rank is None) != (rec.rank_reason is None):
            self.fail(
                RecordFieldError(
                    "a rank set by hand needs its reason, and a reason its rank",
                    path=path,
                    line=line("rank" if rec.rank is not None else "rank_reason"),
                    field="rank_reason" if rec.rank is not None else "rank",
                    hint="give both 'rank:' and 'rank_reason:'",
                )
            )
            return None
        return {
            "point_in_time": dates["date"],
            "valid_from": dates["from"],
            "valid_until": dates["until"],
            "amount": amount,
            "quantity": quantity,
        }

    def _literal(self, prop: OntProperty, value: Any, path: Path, line: int) -> Any:
        kind = prop.literal_kind
        try:
            if kind == "date":
                return PartialDate.parse(value)
            if kind == "boolean":
                if not isinstance(value, bool):
                    raise ValueError(f"{value!r} is not true or false")
                return value
            if kind == "decimal":
                return bounded_number(value)
            if kind == "integer":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"{value!r} is not a whole number")
                if len(str(abs(value))) > MAX_DIGITS:
                    raise ValueError(f"{value!r} is not below 10^{MAX_DIGITS}")
                return value
            if kind == "string":
                if not isinstance(value, str):
                    raise ValueError(f"{value!r} is not text; quote it")
                return value
        except (ValueError, ArithmeticError) as exc:
            error_cls = DateError if kind == "date" else DomainRangeError
            self.fail(
                error_cls(f"{prop.name} takes a {kind}: {exc}", path=path, line=line, field="value")
            )
            return None
        raise AssertionError(f"ontology range {prop.range} of {prop.name} has no literal kind")

    def _find_quote(self, source: Source, quote: str) -> tuple[int, int] | None:
        collapsed = self._normalised.get(source.id)
        if collapsed is None:
            collapsed = self._normalised[source.id] = CollapsedText(source.text)
        return collapsed.find(quote)


class CollapsedText:
    """A text with its whitespace collapsed as :func:`normalise` does, to find quotes in.

    Keeps the offset of each word rather than of each character (a source text
    is read once per build, and most of it is never quoted): a position in the
    collapsed text is mapped back to the original by a binary search.

    >>> CollapsedText("  a\\n\\t bc ").find(" a  b")
    (2, 7)
    """

    def __init__(self, text: str) -> None:
        words = text.split()  # the words of _NON_SPACE: \s is str.isspace
        self.text = " ".join(words)
        self._starts = list(map(re.Match.start, _NON_SPACE.finditer(text)))
        # Where each word starts in self.text: after the words and one space each before it.
        self._collapsed_starts = list(accumulate((len(w) + 1 for w in words), initial=0))

    def _offset(self, at: int) -> int:
        """The offset in the original text of the character at ``at`` of :attr:`text`.

        ``at`` is in a word: a quote starts and ends with one, never with a space.
        """
        word = bisect_right(self._collapsed_starts, at) - 1
        return self._starts[word] + at - self._collapsed_starts[word]

    def find(self, quote: str) -> tuple[int, int] | None:
        """The span of the original text that ``quote`` matches once whitespace is collapsed.

        The span is that of :func:`normalise`'s offsets: from the first character of
        the first word to the end of the last, or ``None`` if the quote is not found.
        """
        needle = " ".join(quote.split())  # normalise(quote.strip()), without the offsets
        at = self.text.find(needle)
        if at < 0 or not needle:
            return None
        return self._offset(at), self._offset(at + len(needle) - 1) + 1


def suggest(word: str, known: Any, what: str) -> str:
    """A "did you mean" hint for a misspelt id, type or predicate."""
    from graph.resolve import suggestion_hint

    return suggestion_hint(word, known) or f"see the known {what} with 'alliance-graph schema'"


def _shorten(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
