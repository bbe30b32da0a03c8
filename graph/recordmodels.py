"""The record models of ``data/``: what each YAML record may hold, and the checked records.

The pydantic models (:class:`EntityRecord`, :class:`SourceRecord`,
:class:`ClaimRecord`) check each field on its own: its type, its form (ids,
BCP 47 language tags, absolute web addresses, dates that exist) and that no
boolean stands where a number or date belongs. The frozen dataclasses
(:class:`Entity`, :class:`Source`, :class:`Claim`, :class:`Dataset`) are what the
loader of :mod:`graph.records` returns once every check across records passed.
Depends on :mod:`graph.dates` and :mod:`graph.ontology`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar, overload
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph.dates import DATE_FORMS, PartialDate
from graph.ontology import OntProperty

_T = TypeVar("_T")

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

#: A well-formed BCP 47 language tag (language, then subtags), as RDF literals need.
LANGUAGE_PATTERN = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*", re.ASCII)


def _no_boolean(value: Any, what: str) -> Any:
    """YAML ``true``/``false`` where a number or date belongs is a mistake, not 1 or 0."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is a boolean, not {what}")
    return value


# --- record models ------------------------------------------------------------------
class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Labels(_Record):
    """English (required) and Japanese labels."""

    en: str = Field(min_length=1)
    ja: str | None = None


class EntityRecord(_Record):
    """One entity of ``data/entities/*.yaml``."""

    id: str = Field(pattern=ID_PATTERN)
    type: str
    label: Labels
    aliases: list[str] = Field(default_factory=list)
    description: str | None = None
    external_ids: dict[str, str] = Field(default_factory=dict)
    external_ids_verified_at: str | None = None

    @field_validator("external_ids")
    @classmethod
    def _plain_external_ids(cls, ids: dict[str, str]) -> dict[str, str]:
        for key, value in ids.items():
            if not value or any(ch.isspace() or ord(ch) < 32 or ch in '<>"{}|\\^`' for ch in value):
                raise ValueError(
                    f'{key}: {value!r} is not an identifier (no spaces or <>"{{}}|\\^`)'
                )
        return ids

    @field_validator("aliases")
    @classmethod
    def _no_empty_alias(cls, aliases: list[str]) -> list[str]:
        if any(not str(a).strip() for a in aliases):
            raise ValueError("an alias is empty")
        return [str(a) for a in aliases]


class SourceRecord(_Record):
    """``source.yaml``: honest metadata about one document.

    Each field's description is what ``alliance-graph schema`` prints.
    """

    id: str = Field(pattern=ID_PATTERN, description="the source id, equal to its folder name")
    title: str = Field(description="the document's title as published")
    publisher: str | None = Field(
        default=None,
        description="who published these words (for a reprinted government "
        "release, the government body)",
    )
    author: str | None = Field(default=None, description="the author, if the document names one")
    url: str | None = Field(default=None, description="the address the stored text was taken from")
    published: str | None = Field(
        default=None, description="publication date, YYYY, YYYY-MM or YYYY-MM-DD; null if unknown"
    )
    language: str = Field(default="en", description="language of the text (BCP 47), e.g. en, ja")
    licence: str | None = Field(default=None, description="terms under which the text is kept")
    kind: str = Field(
        description="whose voice the document is: a SourceKind notation "
        "(government, news, encyclopedia, article)"
    )
    copy_: str = Field(
        default="original",
        alias="copy",
        description="original, reprint (verbatim copy by another publisher) or "
        "reworded (wording changed, names distorted)",
    )
    words_of: str | None = Field(
        default=None,
        description="for a reprint or reworded copy: the original whose words it "
        "carries (a source id or a description); copies of one original "
        "count as one independent source",
    )
    reprinted_by: str | None = Field(
        default=None, description="the site the copy came from, when not the publisher"
    )
    excerpt: bool = Field(
        default=False,
        strict=True,
        description="true when the stored text is only part of the document "
        "(say where it ends in notes)",
    )
    original_file_name: str | None = Field(
        default=None, description="the file name the text arrived under, if any"
    )
    notes: str | None = Field(
        default=None,
        description="anything a reader must know about the document and how it reached us",
    )

    @field_validator("language")
    @classmethod
    def _language_tag(cls, value: str) -> str:
        if not LANGUAGE_PATTERN.fullmatch(value):
            raise ValueError(
                f"{value!r} is not a language tag; use a BCP 47 tag such as en, ja or en-US"
            )
        return value

    @field_validator("published")
    @classmethod
    def _published_date(cls, value: str | None) -> str | None:
        if value is not None:
            PartialDate.parse(value)
        return value

    @field_validator("url")
    @classmethod
    def _absolute_web_address(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            parts = urlsplit(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a web address: {exc}") from None
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or any(ch.isspace() or ord(ch) < 32 or ch in '<>"{}|\\^`' for ch in value)
        ):
            raise ValueError(
                f"{value!r} is not an absolute http(s) address; spaces and "
                '<>"{}|\\^` must be percent-encoded'
            )
        return value

    @property
    def reworded(self) -> bool:
        """True for a reworded copy, whose names are distorted."""
        return self.copy_ == "reworded"

    @property
    def independence_key(self) -> str:
        """Sources with one key carry the same original words: one source for corroboration.

        A reprint or reworded copy counts as its original (``words_of``); an
        original counts as itself.
        """
        if self.copy_ != "original" and self.words_of:
            return " ".join(self.words_of.split()).casefold()
        return self.id


class ClaimRecord(_Record):
    """One claim of a source's ``claims.yaml``, before it is checked."""

    subject: str
    predicate: str
    object: str | None = None
    value: str | bool | int | float | None = None
    quote: str = Field(min_length=1)
    date: str | int | None = None
    from_: str | int | None = Field(default=None, alias="from")
    until: str | int | None = None
    role: str | None = None
    amount: str | int | float | None = None
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    quantity: int | str | None = None
    rank: str | None = None
    rank_reason: str | None = None

    @field_validator("amount", "quantity", mode="before")
    @classmethod
    def _number_not_boolean(cls, value: Any) -> Any:
        return _no_boolean(value, "a number")

    @field_validator("date", "from_", "until", mode="before")
    @classmethod
    def _date_not_boolean(cls, value: Any) -> Any:
        return _no_boolean(value, f"a date ({DATE_FORMS})")


# --- checked records -------------------------------------------------------------------
class _computed_once(Generic[_T]):
    """:func:`functools.cached_property` without its lock (Python 3.11 takes an RLock on
    every first read): the value is kept in the instance's ``__dict__``, which a frozen
    dataclass allows, and read from there afterwards."""

    def __init__(self, function: Callable[[Any], _T]) -> None:
        self.function = function
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _computed_once[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...
    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


@dataclass(frozen=True)
class Location:
    """Where a record was read."""

    path: Path
    line: int


@dataclass(frozen=True)
class Entity:
    """A checked entity."""

    record: EntityRecord
    where: Location

    @property
    def id(self) -> str:
        return self.record.id


@dataclass(frozen=True)
class Source:
    """A checked source with its text."""

    record: SourceRecord
    text: str
    sha256: str
    where: Location

    @property
    def id(self) -> str:
        return self.record.id


@dataclass(frozen=True)
class Claim:
    """A checked claim: a fact with the evidence that states it.

    ``obj`` is an entity id when ``predicate`` is an object property, else a
    literal value already converted to its kind (``str``, ``bool``,
    :class:`~decimal.Decimal`, :class:`PartialDate`).
    """

    subject: str
    predicate: OntProperty
    obj: Any
    source: str
    quote: str
    quote_start: int
    quote_end: int
    point_in_time: PartialDate | None
    valid_from: PartialDate | None
    valid_until: PartialDate | None
    role: str | None
    amount: Decimal | None
    currency: str | None
    where: Location
    quantity: Decimal | None = None
    rank: str | None = None
    rank_reason: str | None = None

    @property
    def is_literal(self) -> bool:
        return self.predicate.kind == "datatype"

    @_computed_once  # asked for many times by reconcile and build; fields are frozen
    def key(self) -> str:
        """A stable digest naming this claim (used to mint its IRI)."""
        parts = [
            self.source,
            self.subject,
            str(self.predicate.iri),
            repr(self.obj),
            self.quote,
            *(
                str(x)
                for x in (
                    self.point_in_time,
                    self.valid_from,
                    self.valid_until,
                    self.role,
                    self.amount,
                    self.currency,
                )
            ),
            *([str(self.quantity)] if self.quantity is not None else []),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Dataset:
    """Everything read from a data folder, checked and ready to build."""

    entities: dict[str, Entity]
    sources: dict[str, Source]
    claims: list[Claim]
    root: Path
