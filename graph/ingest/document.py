"""A new document into ``<data>/sources/<id>/``: text, metadata and claim drafts.

Reads the file (UTF-8 text as is; HTML reduced to its readable text with
trafilatura), refuses what cannot be a source (a binary or empty file, text
that is not UTF-8, an id already taken, a target inside a built graph's
folder), analyses the text against the data folder's entities and writes
``text.txt``, ``source.yaml`` and ``claims.draft.yaml``. Either the whole
folder appears or nothing does: the files are written into a temporary folder
beside the target and renamed into place at the end.

HTML: trafilatura was measured against selectolax on a release wrapped in a
page with navigation, an advertisement and a footer: trafilatura kept the
article and dropped the rest in 1.7 ms; selectolax (lexbor) took 0.1 ms but
kept the advertisement. A document is ingested once, so trafilatura's
precision is worth its milliseconds.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from graph.errors import IngestError
from graph.ingest.analyse import DRAFT_FILE, Analyser, Analysis, drafts_yaml, dump_yaml
from graph.ontology import Ontology
from graph.records import ID_PATTERN, PartialDate, load_records

_BINARY_KINDS = (
    (b"%PDF-", "PDF", "extract its text first, e.g. 'pdftotext -layout FILE.pdf'"),
    (b"PK\x03\x04", "ZIP, DOCX or ODT", "save the document as plain UTF-8 text"),
    (b"\x89PNG", "PNG image", "a source is a text"),
    (b"\xff\xd8\xff", "JPEG image", "a source is a text"),
    (b"GIF8", "GIF image", "a source is a text"),
)
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)


@dataclass
class Ingested:
    """What :func:`ingest_document` wrote, and what it found."""

    source_id: str
    folder: Path
    words: int
    html: bool
    analysis: Analysis


@dataclass
class DocumentText:
    """A document's readable text and what its file said about itself."""

    text: str
    html: bool
    title: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None


def read_document(path: Path) -> DocumentText:
    """The readable text of ``path``: UTF-8 text as is, HTML reduced by trafilatura.

    Raises
    ------
    IngestError
        If the file is empty, binary, not UTF-8, or an HTML page without text.
    """
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise IngestError(
            "is a folder, not a document", path=path, hint="give the path of one text or HTML file"
        ) from exc
    if not data.strip():
        raise IngestError("is empty", path=path, hint="a source needs its text")
    for magic, kind, hint in _BINARY_KINDS:
        if data.startswith(magic):
            raise IngestError(f"is a binary file ({kind}), not text", path=path, hint=hint)
    if b"\x00" in data[:8192]:
        raise IngestError(
            "is a binary file, not text", path=path, hint="convert it to UTF-8 text (or HTML) first"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IngestError(
            f"is not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            path=path,
            line=line,
            hint="re-encode it as UTF-8, e.g. 'iconv -f LATIN1 -t UTF-8'",
        ) from exc
    controls = sum(
        1 for ch in text[:8192] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"
    )
    if controls > 8:
        raise IngestError(
            "is a binary file, not text", path=path, hint="convert it to UTF-8 text (or HTML) first"
        )
    if path.suffix.lower() in {".html", ".htm", ".xhtml"} or _HTML_START.match(data):
        return _from_html(text, path)
    return DocumentText(text, html=False)


def _from_html(html: str, path: Path) -> DocumentText:
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=True, favor_precision=True
    )
    if not text or not text.strip():
        raise IngestError(
            "is an HTML page without readable text",
            path=path,
            hint="save the article's text as a .txt file instead",
        )
    meta = trafilatura.extract_metadata(html)
    published = None
    if meta is not None and meta.date:
        try:
            published = PartialDate.parse(meta.date).text
        except ValueError:
            published = None
    return DocumentText(
        text.strip() + "\n",
        html=True,
        title=meta.title if meta else None,
        url=meta.url if meta else None,
        published=published,
        author=meta.author if meta else None,
    )


def slug(text: str) -> str:
    """An id made of ``text``: lower-case ASCII words joined by hyphens.

    >>> slug("Fact Sheet: Japan’s Official Visit (2024)")
    'fact-sheet-japans-official-visit-2024'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:80].strip("-")


def _short_id(text: str, width: int = 60) -> str:
    """A slug of ``text`` cut at a hyphen to at most ``width`` characters."""
    text = slug(text)
    return text if len(text) <= width else text[:width].rsplit("-", 1)[0]


def _inside_build(path: Path) -> Path | None:
    """The built-graph folder that ``path`` would be written into, if any."""
    for folder in [path, *path.parents]:
        if folder.name == "build" or (folder / "alliance.nt").is_file():
            return folder
    return None


def ingest_document(
    path: Path,
    data: Path,
    ontology: Ontology,
    *,
    source_id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
    kind: str = "article",
    copy: str = "original",
    words_of: str | None = None,
    language: str = "en",
    licence: str | None = None,
    excerpt: bool = False,
    notes: str | None = None,
) -> Ingested:
    """Add the document at ``path`` as a new source of the data folder ``data``.

    Either the whole source folder is written or nothing is.

    Raises
    ------
    IngestError
        For a document that cannot be a source, a bad option, an id already
        taken, or a data folder inside a built graph's folder.
    DataError
        If the data folder's own records do not load.
    """
    path, data = Path(path), Path(data)
    target_root = data.resolve() / "sources"
    build = _inside_build(target_root)
    if build is not None:
        raise IngestError(
            f"the target {target_root} is inside the built graph's folder {build}",
            path=path,
            hint="give --data the folder with entities/ and sources/, not an output folder",
        )
    if not (data / "entities").is_dir():
        raise IngestError(
            f"{data} is not a data folder (no entities/)",
            path=path,
            hint="give --data the folder with entities/ and sources/",
        )
    doc = read_document(path)
    title = title or doc.title or path.stem
    published = published or doc.published
    url = url or doc.url
    source_id = source_id or _short_id(title) or _short_id(path.stem)
    if not re.match(ID_PATTERN, source_id):
        raise IngestError(
            f"{source_id!r} is not a valid id",
            path=path,
            field="id",
            hint="use lower-case letters, digits and single hyphens",
        )
    for field, value, scheme in (("kind", kind, "SourceKind"), ("copy", copy, "CopyKind")):
        known = ontology.concepts(scheme)
        if value not in known:
            raise IngestError(
                f"unknown {field} {value!r}",
                path=path,
                field=field,
                hint="use one of " + ", ".join(sorted(known)),
            )
    if copy != "original" and not words_of:
        raise IngestError(
            f"a {copy} copy must say whose words it carries",
            path=path,
            field="words_of",
            hint="give --words-of",
        )
    if published is not None:
        try:
            published = PartialDate.parse(published).text
        except ValueError as exc:
            raise IngestError(str(exc), path=path, field="published") from exc
    folder = target_root / source_id
    if folder.exists():
        raise IngestError(
            f"source {source_id!r} already exists at {folder}",
            path=path,
            field="id",
            hint="choose another --id, or remove that folder first",
        )

    dataset = load_records(data, ontology)
    if source_id in dataset.entities:
        raise IngestError(
            f"{source_id!r} is already an entity id",
            path=path,
            field="id",
            hint="source and entity ids share one namespace; choose another --id",
        )
    analyser = Analyser((e.record for e in dataset.entities.values()), ontology)
    analysis = analyser.analyse(doc.text, published=published)

    meta = {
        "id": source_id,
        "title": title,
        "publisher": publisher,
        "reprinted_by": None,
        "author": author or doc.author,
        "url": url,
        "published": published,
        "language": language,
        "licence": licence,
        "kind": kind,
        "copy": copy,
        "words_of": words_of,
        "excerpt": excerpt,
        "original_file_name": path.name,
        "notes": notes
        or (
            f"Ingested from {path.name}" + (" (HTML; readable text extracted)" if doc.html else "")
        ),
    }
    files = {
        "text.txt": doc.text.encode("utf-8") if doc.html else path.read_bytes(),
        "source.yaml": (
            "# Metadata of this source. Say honestly what is not known (null).\n" + dump_yaml(meta)
        ).encode("utf-8"),
        DRAFT_FILE: drafts_yaml(source_id, analysis).encode("utf-8"),
    }
    target_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{source_id}.", suffix=".tmp", dir=target_root))
    try:
        for name, blob in files.items():
            (staging / name).write_bytes(blob)
        os.chmod(staging, 0o777 & ~_umask())
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Ingested(source_id, folder, len(doc.text.split()), doc.html, analysis)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
