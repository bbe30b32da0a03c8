"""Records read from ``data/``: entities, sources and their claims, checked.

Owns the layout of the data folder and every check across records: unknown ids
and types, duplicates, source kinds, then each claim (:mod:`graph.claimcheck`).
The authoring format (YAML 1.2 with line numbers, regular files within a size
limit) is :mod:`graph.yamlio`; the record models are :mod:`graph.recordmodels`.
All three are re-exported here, so callers import from ``graph.records``. It
knows nothing of rdflib graphs or NetworkX.

Layout read::

    data/entities/*.yaml           a list of entities
    data/sources/<id>/source.yaml  source metadata
    data/sources/<id>/text.txt     the text as published (quotes are checked against it)
    data/sources/<id>/claims.yaml  a list of claims the source states
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from graph.claimcheck import ClaimChecker, pydantic_errors, suggest
from graph.dates import PartialDate
from graph.errors import (
    DataError,
    DuplicateIdError,
    InvalidRecords,
    MissingSourceTextError,
    RecordFieldError,
    UnknownTypeError,
)
from graph.ontology import Ontology
from graph.recordmodels import (
    ID_PATTERN,
    Claim,
    ClaimRecord,
    Dataset,
    Entity,
    EntityRecord,
    Labels,
    Location,
    Source,
    SourceRecord,
)
from graph.yamlio import LineDict, read_text, read_yaml

if TYPE_CHECKING:
    from graph.buildcache import RecordCache

__all__ = [
    "ID_PATTERN",
    "Claim",
    "ClaimRecord",
    "Dataset",
    "Entity",
    "EntityRecord",
    "Labels",
    "LineDict",
    "Location",
    "PartialDate",
    "Source",
    "SourceRecord",
    "check_claims",
    "load_records",
    "read_yaml",
]


def _list_of_mappings(data: Any, path: Path) -> list[LineDict]:
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(x, LineDict) for x in data):
        raise RecordFieldError(
            "the file must be a YAML list of mappings",
            path=path,
            line=1,
            field="yaml",
            hint="start each record with '- '",
        )
    return data


class _Loader(ClaimChecker):
    def __init__(self, root: Path, ontology: Ontology, cache: RecordCache | None = None) -> None:
        super().__init__(ontology)
        self.root = root
        self._cache = cache
        self._read_yaml = cache.read_yaml if cache is not None else read_yaml
        self.sources: dict[str, Source] = {}
        self.claims: list[Claim] = []
        self._unreadable = False

    def load(self) -> Dataset:
        entity_dir = self.root / "entities"
        source_dir = self.root / "sources"
        if not entity_dir.is_dir():
            raise RecordFieldError(
                "no entities/ folder",
                path=self.root,
                field="data",
                hint="the data folder holds entities/ and sources/",
            )
        if not source_dir.is_dir():
            raise RecordFieldError(
                "no sources/ folder",
                path=self.root,
                field="data",
                hint="the data folder holds entities/ and sources/",
            )
        for path in sorted(entity_dir.glob("*.yaml")):
            self._load_entities(path)
        if self._unreadable:
            # Entities of a file that cannot be read are unknown: checking claims
            # now would bury the one real error under "unknown entity" noise.
            raise InvalidRecords(self.errors)
        pending: list[tuple[Source, Path]] = []
        for folder in sorted(p for p in source_dir.iterdir() if p.is_dir()):
            source = self._load_source(folder)
            if source is not None:
                pending.append((source, folder / "claims.yaml"))
        self._load_claim_files([(s, p) for s, p in pending if p.exists()])
        if self.errors:
            raise InvalidRecords(self.errors)
        return Dataset(self.entities, self.sources, self.claims, self.root)

    def _read(self, path: Path) -> list[LineDict] | None:
        try:
            return _list_of_mappings(self._read_yaml(path), path)
        except DataError as exc:
            self._unreadable = True
            self.fail(exc)
            return None

    def _load_entities(self, path: Path) -> None:
        classes = self.onto.entity_classes()  # built anew by each call: once per file
        for raw in self._read(path) or []:
            try:
                record = EntityRecord.model_validate(raw)
            except ValidationError as exc:
                self.errors.extend(pydantic_errors(exc, raw, path))
                continue
            where = Location(path, raw.line)
            if record.id in self.entities:
                first = self.entities[record.id].where
                self.fail(
                    DuplicateIdError(
                        f"entity id {record.id!r} is already declared at {first.path}:{first.line}",
                        path=path,
                        line=raw.key_lines.get("id", raw.line),
                        field="id",
                        hint="ids must be unique across data/entities/; rename one",
                    )
                )
                continue
            if record.type not in classes:
                self.fail(
                    UnknownTypeError(
                        f"unknown type {record.type!r}",
                        path=path,
                        line=raw.key_lines.get("type", raw.line),
                        field="type",
                        hint=suggest(record.type, classes, "types"),
                    )
                )
                continue
            if record.external_ids and not record.external_ids_verified_at:
                self.fail(
                    RecordFieldError(
                        "external ids need the place where they were verified",
                        path=path,
                        line=raw.key_lines.get("external_ids", raw.line),
                        field="external_ids",
                        hint="add 'external_ids_verified_at:' citing where each id was checked",
                    )
                )
                continue
            self.entities[record.id] = Entity(record, where)

    def _load_source(self, folder: Path) -> Source | None:
        meta_path, text_path = folder / "source.yaml", folder / "text.txt"
        if not meta_path.exists():
            self.fail(
                RecordFieldError(
                    "no source.yaml in this source folder",
                    path=folder,
                    field="source",
                    hint="add its metadata",
                )
            )
            return None
        try:
            raw = self._read_yaml(meta_path)
        except DataError as exc:
            self.fail(exc)
            return None
        if not isinstance(raw, LineDict):
            self.fail(
                RecordFieldError(
                    "source.yaml must be a mapping", path=meta_path, line=1, field="yaml"
                )
            )
            return None
        try:
            record = SourceRecord.model_validate(raw)
        except ValidationError as exc:
            self.errors.extend(pydantic_errors(exc, raw, meta_path))
            return None
        if record.id != folder.name:
            self.fail(
                RecordFieldError(
                    f"id {record.id!r} differs from the folder name {folder.name!r}",
                    path=meta_path,
                    line=raw.key_lines.get("id", raw.line),
                    field="id",
                    hint="name the folder after the source id",
                )
            )
            return None
        if not self._source_kinds_ok(record, raw, meta_path):
            return None
        if record.id in self.entities:
            self.fail(
                DuplicateIdError(
                    f"source id {record.id!r} is also an entity id",
                    path=meta_path,
                    line=raw.key_lines.get("id"),
                    field="id",
                    hint="source and entity ids share one namespace",
                )
            )
            return None
        if not text_path.exists():
            self.fail(
                MissingSourceTextError(
                    "the source has no text.txt to check quotes against",
                    path=meta_path,
                    line=raw.line,
                    field="text",
                    hint=f"put the document as published in {text_path}",
                )
            )
            return None
        try:
            text, data = read_text(text_path)
        except DataError as exc:
            self.fail(exc)
            return None
        source = Source(
            record, text, hashlib.sha256(data).hexdigest(), Location(meta_path, raw.line)
        )
        self.sources[record.id] = source
        return source

    def _source_kinds_ok(self, record: SourceRecord, raw: LineDict, path: Path) -> bool:
        """``kind`` and ``copy`` name ontology concepts; a copy says whose words it carries."""
        n_errors = len(self.errors)
        for field, scheme in (("kind", "SourceKind"), ("copy", "CopyKind")):
            known = self.onto.concepts(scheme)
            value = record.kind if field == "kind" else record.copy_
            if value not in known:
                self.fail(
                    RecordFieldError(
                        f"unknown {field} {value!r}",
                        path=path,
                        line=raw.key_lines.get(field, raw.line),
                        field=field,
                        hint="use one of " + ", ".join(repr(k) for k in sorted(known)),
                    )
                )
        if record.copy_ != "original" and not record.words_of:
            self.fail(
                RecordFieldError(
                    f"a {record.copy_} copy must say whose words it carries",
                    path=path,
                    line=raw.key_lines.get("copy", raw.line),
                    field="words_of",
                    hint="add 'words_of:' with the original's source id, or its publisher, "
                    "date and title",
                )
            )
        if record.copy_ == "original" and record.words_of:
            self.fail(
                RecordFieldError(
                    "an original carries its own words",
                    path=path,
                    line=raw.key_lines.get("words_of", raw.line),
                    field="words_of",
                    hint="remove 'words_of:' or set 'copy: reprint'",
                )
            )
        return len(self.errors) == n_errors

    def _load_claim_files(self, files: list[tuple[Source, Path]]) -> None:
        """Load and check each source's ``claims.yaml``, in order: on two cores, when
        there is enough of them, half of them in a forked process
        (:mod:`graph.recordsplit`), the claims and errors put back in file order."""
        from graph import recordsplit

        sizes = [recordsplit.size(path) for _, path in files]
        if not recordsplit.worth_splitting(sizes):
            for source, path in files:
                self._load_claims(path, source)
            return
        before = len(self.errors)
        kept = recordsplit.in_two(
            sizes, functools.partial(self._claim_files, files), self.onto, self._cache
        )
        self.errors[before:] = [e for i in range(len(files)) for e in kept[i][1]]
        self.claims = [c for i in range(len(files)) for c in kept[i][0]]

    def _claim_files(
        self, files: list[tuple[Source, Path]], which: list[int]
    ) -> dict[int, tuple[list[Claim], list[DataError]]]:
        """The claims and errors of each file of ``which``, by its place in ``files``."""
        out = {}
        for i in which:
            source, path = files[i]
            claims, errors = len(self.claims), len(self.errors)
            self._load_claims(path, source)
            out[i] = (self.claims[claims:], self.errors[errors:])
        return out

    def _load_claims(self, path: Path, source: Source) -> None:
        seen: dict[str, int] = {}
        for raw, claim in self.checked(self._read(path) or [], path, source):
            if claim.key in seen:
                self.fail(
                    DuplicateIdError(
                        f"the same claim is already stated at line {seen[claim.key]}",
                        path=path,
                        line=raw.line,
                        field="claim",
                        hint="remove one of them",
                    )
                )
                continue
            seen[claim.key] = raw.line
            self.claims.append(claim)


def check_claims(
    dataset: Dataset, ontology: Ontology, source_id: str, items: list[LineDict], path: Path
) -> list[Claim]:
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
    for raw, claim in loader.checked(items, path, source):
        twin = known.get(claim.key)
        if twin is not None:
            loader.fail(
                DuplicateIdError(
                    f"the same claim is already stated at {twin.where.path}:{twin.where.line}",
                    path=path,
                    line=raw.line,
                    field="claim",
                    hint="reject this draft",
                )
            )
            continue
        known[claim.key] = claim
        checked.append(claim)
    if loader.errors:
        raise InvalidRecords(loader.errors)
    return checked


def load_records(root: Path, ontology: Ontology, cache: RecordCache | None = None) -> Dataset:
    """Read and check every record under ``root``.

    Parameters
    ----------
    root : Path
        A data folder with ``entities/`` and ``sources/``.
    ontology : Ontology
        The schema the records are checked against.
    cache : RecordCache, optional
        Parsed YAML kept from earlier builds (:mod:`graph.buildcache`); every
        check runs whether a file's parse comes from it or not.

    Returns
    -------
    Dataset
        The checked entities, sources and claims.

    Raises
    ------
    InvalidRecords
        Listing every problem found, each with ``path:line: field:``.
    """
    return _Loader(root, ontology, cache).load()
