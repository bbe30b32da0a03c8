"""Records read from ``data/``: entities, sources and their claims, checked.

Owns the authoring format (YAML with line numbers), the pydantic record models,
and every check that needs the ontology or the source texts: unknown ids, types
and predicates, domain/range, dates, quotes, duplicates. It knows nothing of
rdflib graphs or NetworkX. Depends on :mod:`graph.errors` and :mod:`graph.ontology`.

Layout read::

    data/entities/*.yaml           a list of entities
    data/sources/<id>/source.yaml  source metadata
    data/sources/<id>/text.txt     the text as published (quotes are checked against it)
    data/sources/<id>/claims.yaml  a list of claims the source states
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graph.dates import PartialDate
from graph.errors import (
    DataError,
    DateError,
    DomainRangeError,
    DuplicateIdError,
    InvalidRecords,
    MissingSourceTextError,
    QuoteNotFoundError,
    RecordFieldError,
    UnknownEntityError,
    UnknownPredicateError,
    UnknownTypeError,
    YamlSyntaxError,
)
from graph.ontology import Ontology, OntProperty

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


# --- YAML with line numbers ------------------------------------------------------
class LineDict(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records lines and keeps dates as strings.

    YAML 1.1 would turn ``2023-12-22`` into a ``datetime.date`` and silently
    accept impossible dates as errors of another kind; we parse dates ourselves
    so that precision ("2023" vs "2023-01-01") is kept.
    """


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, mappings as :class:`LineDict`.

    Raises
    ------
    YamlSyntaxError
        With the line of the problem.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError("is not UTF-8 text", path=path, hint=str(exc)) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlSyntaxError(
            f"malformed YAML: {problem}", path=path, line=line, field="yaml",
            hint="check indentation, quoting and colons on this line",
        ) from exc


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
        default=None, description="who published these words (for a reprinted government "
                                  "release, the government body)")
    author: str | None = Field(default=None, description="the author, if the document names one")
    url: str | None = Field(default=None, description="the address the stored text was taken from")
    published: str | None = Field(
        default=None, description="publication date, YYYY, YYYY-MM or YYYY-MM-DD; null if unknown")
    language: str = Field(default="en", description="language of the text (BCP 47), e.g. en, ja")
    licence: str | None = Field(default=None, description="terms under which the text is kept")
    kind: str = Field(description="whose voice the document is: a SourceKind notation "
                                  "(government, news, encyclopedia, article)")
    copy_: str = Field(default="original", alias="copy",
                       description="original, reprint (verbatim copy by another publisher) or "
                                   "reworded (wording changed, names distorted)")
    words_of: str | None = Field(
        default=None, description="for a reprint or reworded copy: the original whose words it "
                                  "carries (a source id or a description); copies of one original "
                                  "count as one independent source")
    reprinted_by: str | None = Field(
        default=None, description="the site the copy came from, when not the publisher")
    excerpt: bool = Field(default=False, description="true when the stored text is only part of "
                                                     "the document (say where it ends in notes)")
    original_file_name: str | None = Field(
        default=None, description="the file name the text arrived under, if any")
    notes: str | None = Field(default=None, description="anything a reader must know about the "
                                                        "document and how it reached us")

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


# --- checked records -------------------------------------------------------------------
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

    @property
    def key(self) -> str:
        """A stable digest naming this claim (used to mint its IRI)."""
        parts = [self.source, self.subject, str(self.predicate.iri), repr(self.obj), self.quote,
                 *(str(x) for x in (self.point_in_time, self.valid_from, self.valid_until,
                                    self.role, self.amount, self.currency)),
                 *([str(self.quantity)] if self.quantity is not None else [])]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Dataset:
    """Everything read from a data folder, checked and ready to build."""

    entities: dict[str, Entity]
    sources: dict[str, Source]
    claims: list[Claim]
    root: Path


# --- the loader ------------------------------------------------------------------------
def _pydantic_errors(exc: ValidationError, raw: LineDict, path: Path) -> list[DataError]:
    errors: list[DataError] = []
    for err in exc.errors():
        loc = [str(x) for x in err["loc"]]
        top = loc[0] if loc else None
        line = raw.key_lines.get(top, raw.line) if top else raw.line
        field = ".".join(loc) or "record"
        if err["type"] == "missing":
            message, hint = "is required", f"add '{field}:'"
        elif err["type"] == "extra_forbidden":
            message, hint = "is not a field of this record", "remove it or fix its spelling"
        elif err["type"] == "string_pattern_mismatch" and top == "id":
            message = f"{err.get('input')!r} is not a valid id"
            hint = "use lower-case letters, digits and single hyphens, e.g. 'mod-japan'"
        else:
            message, hint = err["msg"], None
        errors.append(RecordFieldError(message, path=path, line=line, field=field, hint=hint))
    return errors


def _list_of_mappings(data: Any, path: Path) -> list[LineDict]:
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(x, LineDict) for x in data):
        raise RecordFieldError("the file must be a YAML list of mappings", path=path, line=1,
                               field="yaml", hint="start each record with '- '")
    return data


def _normalise(text: str) -> tuple[str, list[int]]:
    """Collapse runs of whitespace to one space; map each kept char to its offset."""
    out: list[str] = []
    offsets: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                offsets.append(i)
            in_space = True
        else:
            out.append(ch)
            offsets.append(i)
            in_space = False
    return "".join(out), offsets


class _Loader:
    def __init__(self, root: Path, ontology: Ontology) -> None:
        self.root = root
        self.onto = ontology
        self.errors: list[DataError] = []
        self.entities: dict[str, Entity] = {}
        self.sources: dict[str, Source] = {}
        self.claims: list[Claim] = []
        self._normalised: dict[str, tuple[str, list[int]]] = {}

    # Errors are collected so that one run reports every problem at once.
    def fail(self, error: DataError) -> None:
        self.errors.append(error)

    def load(self) -> Dataset:
        entity_dir = self.root / "entities"
        source_dir = self.root / "sources"
        if not entity_dir.is_dir():
            raise RecordFieldError("no entities/ folder", path=self.root, field="data",
                                   hint="the data folder holds entities/ and sources/")
        for path in sorted(entity_dir.glob("*.yaml")):
            self._load_entities(path)
        if any(isinstance(e, YamlSyntaxError) for e in self.errors):
            # Entities of a file that does not parse are unknown: checking claims
            # now would bury the one real error under "unknown entity" noise.
            raise InvalidRecords(self.errors)
        pending: list[tuple[Source, Path]] = []
        for folder in sorted(p for p in source_dir.iterdir() if p.is_dir()):
            source = self._load_source(folder)
            if source is not None:
                pending.append((source, folder / "claims.yaml"))
        for source, claims_path in pending:
            if claims_path.exists():
                self._load_claims(claims_path, source)
        if self.errors:
            raise InvalidRecords(self.errors)
        return Dataset(self.entities, self.sources, self.claims, self.root)

    def _read(self, path: Path) -> list[LineDict] | None:
        try:
            return _list_of_mappings(read_yaml(path), path)
        except DataError as exc:
            self.fail(exc)
            return None

    def _load_entities(self, path: Path) -> None:
        for raw in self._read(path) or []:
            try:
                record = EntityRecord.model_validate(raw)
            except ValidationError as exc:
                self.errors.extend(_pydantic_errors(exc, raw, path))
                continue
            where = Location(path, raw.line)
            if record.id in self.entities:
                first = self.entities[record.id].where
                self.fail(DuplicateIdError(
                    f"entity id {record.id!r} is already declared at {first.path}:{first.line}",
                    path=path, line=raw.key_lines.get("id", raw.line), field="id",
                    hint="ids must be unique across data/entities/; rename one"))
                continue
            if record.type not in self.onto.entity_classes():
                self.fail(UnknownTypeError(
                    f"unknown type {record.type!r}", path=path,
                    line=raw.key_lines.get("type", raw.line), field="type",
                    hint=_suggest(record.type, self.onto.entity_classes(), "types")))
                continue
            if record.external_ids and not record.external_ids_verified_at:
                self.fail(RecordFieldError(
                    "external ids need the place where they were verified", path=path,
                    line=raw.key_lines.get("external_ids", raw.line), field="external_ids",
                    hint="add 'external_ids_verified_at:' citing where each id was checked"))
                continue
            self.entities[record.id] = Entity(record, where)

    def _load_source(self, folder: Path) -> Source | None:
        meta_path, text_path = folder / "source.yaml", folder / "text.txt"
        if not meta_path.exists():
            self.fail(RecordFieldError("no source.yaml in this source folder", path=folder,
                                       field="source", hint="add its metadata"))
            return None
        try:
            raw = read_yaml(meta_path)
        except DataError as exc:
            self.fail(exc)
            return None
        if not isinstance(raw, LineDict):
            self.fail(RecordFieldError("source.yaml must be a mapping", path=meta_path, line=1,
                                       field="yaml"))
            return None
        try:
            record = SourceRecord.model_validate(raw)
        except ValidationError as exc:
            self.errors.extend(_pydantic_errors(exc, raw, meta_path))
            return None
        if record.id != folder.name:
            self.fail(RecordFieldError(
                f"id {record.id!r} differs from the folder name {folder.name!r}",
                path=meta_path, line=raw.key_lines.get("id", raw.line), field="id",
                hint="name the folder after the source id"))
            return None
        if not self._source_kinds_ok(record, raw, meta_path):
            return None
        if record.id in self.entities:
            self.fail(DuplicateIdError(f"source id {record.id!r} is also an entity id",
                                       path=meta_path, line=raw.key_lines.get("id"), field="id",
                                       hint="source and entity ids share one namespace"))
            return None
        if not text_path.is_file():
            self.fail(MissingSourceTextError(
                "the source has no text.txt to check quotes against", path=meta_path,
                line=raw.line, field="text",
                hint=f"put the document as published in {text_path}"))
            return None
        data = text_path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.fail(MissingSourceTextError(f"text.txt is not UTF-8: {exc}", path=text_path,
                                             field="text"))
            return None
        source = Source(record, text, hashlib.sha256(data).hexdigest(),
                        Location(meta_path, raw.line))
        self.sources[record.id] = source
        return source

    def _source_kinds_ok(self, record: SourceRecord, raw: LineDict, path: Path) -> bool:
        """``kind`` and ``copy`` name ontology concepts; a copy says whose words it carries."""
        n_errors = len(self.errors)
        for field, scheme in (("kind", "SourceKind"), ("copy", "CopyKind")):
            known = self.onto.concepts(scheme)
            value = record.kind if field == "kind" else record.copy_
            if value not in known:
                self.fail(RecordFieldError(
                    f"unknown {field} {value!r}", path=path,
                    line=raw.key_lines.get(field, raw.line), field=field,
                    hint="use one of " + ", ".join(repr(k) for k in sorted(known))))
        if record.copy_ != "original" and not record.words_of:
            self.fail(RecordFieldError(
                f"a {record.copy_} copy must say whose words it carries", path=path,
                line=raw.key_lines.get("copy", raw.line), field="words_of",
                hint="add 'words_of:' with the original's source id, or its publisher, "
                     "date and title"))
        if record.copy_ == "original" and record.words_of:
            self.fail(RecordFieldError(
                "an original carries its own words", path=path,
                line=raw.key_lines.get("words_of", raw.line), field="words_of",
                hint="remove 'words_of:' or set 'copy: reprint'"))
        return len(self.errors) == n_errors

    def _checked(self, items: list[LineDict], path: Path, source: Source
                 ) -> Iterator[tuple[LineDict, Claim]]:
        """Each item that passes every check, as a claim; the others' errors are recorded."""
        for raw in items:
            try:
                record = ClaimRecord.model_validate(raw)
            except ValidationError as exc:
                self.errors.extend(_pydantic_errors(exc, raw, path))
                continue
            claim = self._check_claim(record, raw, path, source)
            if claim is not None:
                yield raw, claim

    def _load_claims(self, path: Path, source: Source) -> None:
        seen: dict[str, int] = {}
        for raw, claim in self._checked(self._read(path) or [], path, source):
            if claim.key in seen:
                self.fail(DuplicateIdError(
                    f"the same claim is already stated at line {seen[claim.key]}",
                    path=path, line=raw.line, field="claim", hint="remove one of them"))
                continue
            seen[claim.key] = raw.line
            self.claims.append(claim)

    def _check_claim(self, rec: ClaimRecord, raw: LineDict, path: Path,
                     source: Source) -> Claim | None:
        def line(field: str) -> int:
            return raw.key_lines.get(field, raw.line)

        n_errors = len(self.errors)
        subject = self.entities.get(rec.subject)
        if subject is None:
            self.fail(UnknownEntityError(
                f"unknown entity {rec.subject!r}", path=path, line=line("subject"),
                field="subject", hint=_suggest(rec.subject, self.entities, "ids")))
        prop = self.onto.claim_predicates.get(rec.predicate)
        if prop is None:
            self.fail(UnknownPredicateError(
                f"unknown predicate {rec.predicate!r}", path=path, line=line("predicate"),
                field="predicate",
                hint=_suggest(rec.predicate, self.onto.claim_predicates, "predicates")))
        if self.errors[n_errors:] or subject is None or prop is None:
            return None

        if not self.onto.class_satisfies(subject.record.type, prop.domain):
            self.fail(DomainRangeError(
                f"{rec.predicate} needs a subject of type "
                f"{self.onto.class_name(prop.domain)}, but {rec.subject!r} is a "
                f"{subject.record.type}", path=path, line=line("subject"), field="subject",
                hint="pick another predicate or fix the entity's type"))
            return None

        obj: Any
        if prop.kind == "object":
            if rec.object is None or rec.value is not None:
                self.fail(RecordFieldError(
                    f"{rec.predicate} links two entities: give 'object:' (an entity id), "
                    "not 'value:'", path=path, line=line("value" if rec.value is not None
                                                         else "predicate"), field="object"))
                return None
            target = self.entities.get(rec.object)
            if target is None:
                self.fail(UnknownEntityError(
                    f"unknown entity {rec.object!r}", path=path, line=line("object"),
                    field="object", hint=_suggest(rec.object, self.entities, "ids")))
                return None
            if not self.onto.class_satisfies(target.record.type, prop.range):
                self.fail(DomainRangeError(
                    f"{rec.predicate} needs an object of type "
                    f"{self.onto.class_name(prop.range)}, but {rec.object!r} is a "
                    f"{target.record.type}", path=path, line=line("object"), field="object",
                    hint="pick another predicate or fix the entity's type"))
                return None
            obj = rec.object
        else:
            if rec.value is None or rec.object is not None:
                self.fail(RecordFieldError(
                    f"{rec.predicate} takes a literal: give 'value:', not 'object:'",
                    path=path, line=line("object" if rec.object is not None else "predicate"),
                    field="value"))
                return None
            obj = self._literal(prop, rec.value, path, line("value"))
            if obj is None:
                return None

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
            self.fail(DateError(f"'until' {dates['until'].text} is before 'from' "
                                f"{dates['from'].text}", path=path, line=line("until"),
                                field="until"))
            return None

        amount = None
        if rec.amount is not None:
            try:
                amount = Decimal(str(rec.amount))
            except InvalidOperation:
                self.fail(RecordFieldError(f"{rec.amount!r} is not a number", path=path,
                                           line=line("amount"), field="amount",
                                           hint="write digits only, e.g. \"2400000000\""))
                return None
            if rec.currency is None:
                self.fail(RecordFieldError("an amount needs its currency", path=path,
                                           line=line("amount"), field="currency",
                                           hint="add 'currency:' with an ISO 4217 code"))
                return None

        quantity = None
        if rec.quantity is not None:
            try:
                quantity = Decimal(str(rec.quantity))
            except InvalidOperation:
                quantity = None
            if quantity is None or not quantity.is_finite() or quantity < 0:
                self.fail(RecordFieldError(f"{rec.quantity!r} is not a count", path=path,
                                           line=line("quantity"), field="quantity",
                                           hint="write a number of units, e.g. 400"))
                return None

        ranks = self.onto.concepts("Rank")
        if rec.rank is not None and rec.rank not in ranks:
            self.fail(RecordFieldError(
                f"unknown rank {rec.rank!r}", path=path, line=line("rank"), field="rank",
                hint="use one of " + ", ".join(repr(k) for k in sorted(ranks))))
            return None
        if (rec.rank is None) != (rec.rank_reason is None):
            self.fail(RecordFieldError(
                "a rank set by hand needs its reason, and a reason its rank", path=path,
                line=line("rank" if rec.rank is not None else "rank_reason"),
                field="rank_reason" if rec.rank is not None else "rank",
                hint="give both 'rank:' and 'rank_reason:'"))
            return None

        span = self._find_quote(source, rec.quote)
        if span is None:
            self.fail(QuoteNotFoundError(
                f"quote not found in source {source.id!r}: {_shorten(rec.quote)!r}",
                path=path, line=line("quote"), field="quote",
                hint="copy the words exactly as they stand in text.txt; only whitespace may "
                     "differ"))
            return None

        return Claim(
            subject=rec.subject, predicate=prop, obj=obj, source=source.id,
            quote=source.text[span[0]:span[1]], quote_start=span[0], quote_end=span[1],
            point_in_time=dates["date"], valid_from=dates["from"], valid_until=dates["until"],
            role=rec.role, amount=amount, currency=rec.currency,
            quantity=quantity, rank=rec.rank, rank_reason=rec.rank_reason,
            where=Location(path, raw.line),
        )

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
                return Decimal(str(value))
            if kind == "integer":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"{value!r} is not a whole number")
                return value
            if kind == "string":
                if not isinstance(value, str):
                    raise ValueError(f"{value!r} is not text; quote it")
                return value
        except (ValueError, InvalidOperation) as exc:
            error_cls = DateError if kind == "date" else DomainRangeError
            self.fail(error_cls(f"{prop.name} takes a {kind}: {exc}", path=path, line=line,
                                field="value"))
            return None
        raise AssertionError(f"ontology range {prop.range} of {prop.name} has no literal kind")

    def _find_quote(self, source: Source, quote: str) -> tuple[int, int] | None:
        if source.id not in self._normalised:
            self._normalised[source.id] = _normalise(source.text)
        text, offsets = self._normalised[source.id]
        needle, _ = _normalise(quote.strip())
        at = text.find(needle)
        if at < 0 or not needle:
            return None
        return offsets[at], offsets[at + len(needle) - 1] + 1


def _suggest(word: str, known: Any, what: str) -> str:
    close = difflib.get_close_matches(word, list(known), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return f"see the known {what} with 'alliance-graph schema'"


def _shorten(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def check_claims(dataset: Dataset, ontology: Ontology, source_id: str,
                 items: list[LineDict], path: Path) -> list[Claim]:
    """Check claim mappings read from ``path`` as the loader checks ``claims.yaml``.

    For claims written elsewhere first (drafts under review): every check of
    :func:`load_records` applies, errors name ``path`` and the item's line, and
    a claim the source already states is a duplicate.

    Raises
    ------
    InvalidRecords
        Listing every problem found.
    """
    loader = _Loader(dataset.root, ontology)
    loader.entities = dict(dataset.entities)
    source = dataset.sources[source_id]
    known = {c.key: c for c in dataset.claims if c.source == source_id}
    checked: list[Claim] = []
    for raw, claim in loader._checked(items, path, source):
        twin = known.get(claim.key)
        if twin is not None:
            loader.fail(DuplicateIdError(
                f"the same claim is already stated at {twin.where.path}:{twin.where.line}",
                path=path, line=raw.line, field="claim", hint="reject this draft"))
            continue
        known[claim.key] = claim
        checked.append(claim)
    if loader.errors:
        raise InvalidRecords(loader.errors)
    return checked


def load_records(root: Path, ontology: Ontology) -> Dataset:
    """Read and check every record under ``root``.

    Parameters
    ----------
    root : Path
        A data folder with ``entities/`` and ``sources/``.
    ontology : Ontology
        The schema the records are checked against.

    Returns
    -------
    Dataset
        The checked entities, sources and claims.

    Raises
    ------
    InvalidRecords
        Listing every problem found, each with ``path:line: field:``.
    """
    return _Loader(root, ontology).load()
