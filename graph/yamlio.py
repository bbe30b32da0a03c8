"""Reading the authoring files: regular files only, size-limited, YAML 1.2 with line numbers.

Records are YAML read with the YAML 1.2 core schema (``ruamel.yaml``'s rules), so
``On``, ``No`` and ``20:23`` stay text and only ``true``/``false`` are booleans.
Dates such as ``2023-12-22`` stay text too: :mod:`graph.dates` parses them at
their precision. Mappings come back as :class:`LineDict`, which remembers the
line of itself and of each key, for errors that name ``file:line``.

Two parsers, one result. libyaml's composer (PyYAML's ``CParser``) builds the
node tree in C and :func:`_build` makes the values, with ruamel.yaml's resolver
and scalar constructors: five times faster than composing in Python, which the
records stage spent most of its time on. It takes only what ruamel.yaml would
read to the same value: an error, an alias, an unusual tag, a duplicate or
non-text key, deep nesting or a character ruamel.yaml refuses sends the file to
ruamel.yaml (:func:`_parse_ruamel`), which reads it or names the line of the
problem. ``tests/test_yamlio.py`` compares the two on every kind of input.

Every read goes through :func:`read_bytes`: only a regular file is read (never
a FIFO, a device such as ``/dev/zero`` or a folder), and none larger than
:data:`MAX_FILE_BYTES`. Anchors and aliases are refused (records need none, and
they are how a small file becomes a huge one); nesting deeper than
:data:`MAX_DEPTH` is refused. Any problem is a :class:`~graph.errors.DataError`
naming the file and, where it has one, the line.

Depends on :mod:`graph.errors` only.
"""

from __future__ import annotations

import gc
import os
import stat
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.main import CParser
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode
from ruamel.yaml.parser import ParserError
from ruamel.yaml.reader import Reader, ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scanner import ScannerError

from graph.errors import DataError, RecordFieldError, YamlSyntaxError

#: The largest file (YAML or source text) read, in bytes.
MAX_FILE_BYTES = 10 * 1024 * 1024

#: The deepest nesting of lists and mappings a YAML file may have.
MAX_DEPTH = 32

#: Parse with libyaml's event parser when ``ruamel.yaml.clib`` is installed (same result).
USE_LIBYAML = True

_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


class LineDict(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int
    key_lines: dict[str, int]


# --- files -------------------------------------------------------------------------
def read_bytes(path: Path, *, field: str = "file") -> bytes:
    """The bytes of a regular file of at most :data:`MAX_FILE_BYTES`.

    The file is opened without blocking and checked on the open descriptor, so
    a FIFO, a device or a folder is refused without reading from it (no hang, no
    endless read) and a file swapped after a check cannot slip through.

    Raises
    ------
    DataError
        If ``path`` is missing, not a regular file, unreadable or too large.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise RecordFieldError(
            f"cannot be read: {exc.strerror or exc}", path=path, field=field
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RecordFieldError(
                "is not a regular file",
                path=path,
                field=field,
                hint="records and texts must be plain files, not a device, pipe or folder",
            )
        if info.st_size > MAX_FILE_BYTES:
            raise RecordFieldError(
                _too_large(info.st_size),
                path=path,
                field=field,
                hint="split the records over several files",
            )
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise RecordFieldError(
            f"cannot be read: {exc.strerror or exc}", path=path, field=field
        ) from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:  # grew while being read
        raise RecordFieldError(_too_large(len(data)), path=path, field=field)
    return data


def _too_large(size: int) -> str:
    return f"is larger than the limit of {MAX_FILE_BYTES:,} bytes ({size:,} bytes or more)"


def read_text(path: Path, *, field: str = "text") -> tuple[str, bytes]:
    """The UTF-8 text of a regular file, and its bytes.

    Raises
    ------
    DataError
        As :func:`read_bytes`; also when the bytes are not UTF-8, naming the line.
    """
    data = read_bytes(path, field=field)
    for bom, name in _BOMS.items():
        if data.startswith(bom):
            raise YamlSyntaxError(
                f"is {name} text, not UTF-8",
                path=path,
                line=1,
                field=field,
                hint="save the file as UTF-8",
            )
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlSyntaxError(
            f"is not UTF-8 text: byte {data[exc.start : exc.start + 1]!r} cannot be decoded",
            path=path,
            line=line,
            field=field,
            hint="save the file as UTF-8",
        ) from None


# --- YAML ---------------------------------------------------------------------------
class _Composer(Composer):
    """Refuses aliases: a record never needs one, and they make "billion laughs" bombs."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            raise ComposerError(
                None,
                None,
                "anchors and aliases (*name) are not allowed in records",
                event.start_mark,
            )
        return super().compose_node(parent, index)


class _Resolver(VersionedResolver):
    """The YAML 1.2 core schema, even under a ``%YAML 1.1`` directive."""

    @property
    def processing_version(self) -> Any:
        return (1, 2)


class _Constructor(SafeConstructor):
    """Builds :class:`LineDict` mappings with text keys, and keeps timestamps as text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_node: Node | None = None

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        self.last_node = node
        return super().construct_object(node, deep=deep)

    def construct_line_mapping(self, node: MappingNode) -> LineDict:
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise ConstructorError(
                    None, None, f"a key must be text, not {key!r}; quote it", key_node.start_mark
                )
            if key in mapping:
                raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_timestamp_text(self, node: Node) -> str:
        return str(self.construct_scalar(node))


_Constructor.add_constructor("tag:yaml.org,2002:map", _Constructor.construct_line_mapping)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_timestamp_text)
for _tag in ("omap", "pairs", "set"):  # YAML 1.1 types: unknown tags in YAML 1.2
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", SafeConstructor.construct_undefined)


class _CEvents:
    """Events from libyaml's parser (``ruamel.yaml.clib``), three times faster than the
    pure-Python one, composed by :class:`_Composer` in Python.

    libyaml's own composer is not used: it recurses in C without a depth limit
    (a 100,000-deep list crashes the interpreter) and would let aliases through.
    """

    def __init__(self, loader: YAML) -> None:
        self._events = CParser(loader.records_text)  # type: ignore[attr-defined]

    def check_event(self, *choices: Any) -> bool:
        return bool(self._events.check_event(*choices))

    def peek_event(self) -> Any:
        return self._events.peek_event()

    def get_event(self) -> Any:
        return self._events.get_event()

    def dispose(self) -> None:
        self._events.dispose()


def _parser(text: str, *, libyaml: bool) -> YAML:
    yaml = YAML(typ="safe", pure=True)
    if libyaml:
        yaml.Parser = _CEvents
        yaml.records_text = text  # type: ignore[attr-defined]
    yaml.version = (1, 2)
    yaml.Resolver = _Resolver
    yaml.Composer = _Composer
    yaml.Constructor = _Constructor
    yaml.max_depth = MAX_DEPTH
    yaml.allow_duplicate_keys = False
    return yaml


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, max(position, 0)) + 1


# --- the fast path: libyaml composes, Python only builds the values ------------------
#: Tags of the YAML 1.2 core schema, as :class:`_Resolver` names them.
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"

#: The fast path hands deeper files to the full parser, which refuses past MAX_DEPTH.
_FAST_DEPTH = MAX_DEPTH // 2

_RESOLVER = _Resolver()
#: First characters of the plain scalars an implicit resolver may claim (others are text).
_RESOLVED_FIRST = frozenset(_RESOLVER.versioned_resolver)


class _Fallback(Exception):
    """Something the fast path leaves to the full parser (which has the last word)."""


#: PyYAML's loader without a constructor or resolver (``object`` if libyaml is missing).
_CBaseLoader: Any = getattr(pyyaml, "CBaseLoader", object)


class _CComposer(_CBaseLoader):
    """libyaml's parser *and composer* (PyYAML's ``CParser``): the node tree is built in C.

    Tags are resolved as :class:`_Resolver` resolves them (the YAML 1.2 core schema);
    only plain scalars whose first character a rule of it claims reach its regexes.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is pyyaml.ScalarNode:
            if not implicit[0] or (value and value[0] not in _RESOLVED_FIRST):
                return _STR
            return str(_RESOLVER.resolve(ScalarNode, value, implicit))
        return _SEQ if kind is pyyaml.SequenceNode else _MAP


def _libyaml_limits_nesting() -> bool:
    """Whether PyYAML's libyaml refuses deep nesting (libyaml 0.2.5 and later).

    Its composer recurses in C: without the parser's limit of 1,000 levels, a
    deeply nested file could exhaust the C stack, so the fast path is not used.
    """
    if not getattr(pyyaml, "__with_libyaml__", False):
        return False
    deep = "[" * 1500 + "]" * 1500
    try:
        pyyaml.compose(deep, Loader=_CComposer)
    except pyyaml.YAMLError:
        return True
    return False


_FAST = _libyaml_limits_nesting()

#: The composer :func:`parse_yaml` uses first: PyYAML's and libyaml's versions, or "none".
LIBYAML_COMPOSER = "none"
if _FAST:
    from yaml import _yaml

    LIBYAML_COMPOSER = f"PyYAML {pyyaml.__version__}, libyaml {_yaml.get_version_string()}"


def _scalar_constructors() -> dict[str, Any]:
    """Non-text scalars are built by :class:`_Constructor`'s own functions (same values)."""
    constructor = _parser("", libyaml=False).constructor
    tags = ("null", "bool", "int", "float")
    functions = {
        f"tag:yaml.org,2002:{t}": _Constructor.yaml_constructors[f"tag:yaml.org,2002:{t}"]
        for t in tags
    }
    return {
        tag: (
            lambda value, tag=tag, function=function: function(constructor, ScalarNode(tag, value))
        )
        for tag, function in functions.items()
    }


_SCALARS = _scalar_constructors()


def _build(node: Any, depth: int, seen: set[int] | None) -> Any:
    """The value of a node composed by libyaml, as :class:`_Constructor` builds it.

    Raises
    ------
    _Fallback
        For anything it leaves to the full parser: a node met twice (an alias),
        nesting past :data:`_FAST_DEPTH`, a tag other than the core schema's, a key
        that is not text, a duplicate key, a value that cannot be built.
    """
    if depth > _FAST_DEPTH:
        raise _Fallback
    if seen is not None:  # the text has an anchor: refuse a node met twice
        if id(node) in seen:
            raise _Fallback
        seen.add(id(node))
    tag, kind = node.tag, type(node)
    if kind is pyyaml.ScalarNode:
        if tag in (_STR, _TIMESTAMP):
            return node.value
        function = _SCALARS.get(tag)
        if function is None:
            raise _Fallback
        return function(node.value)
    depth += 1
    if kind is pyyaml.SequenceNode and tag == _SEQ:
        return [_build(item, depth, seen) for item in node.value]
    if kind is not pyyaml.MappingNode or tag != _MAP:
        raise _Fallback
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = key_lines = {}
    for key_node, value_node in node.value:
        key = _build(key_node, depth, seen)
        if type(key) is not str or key in mapping:
            raise _Fallback
        mapping[key] = _build(value_node, depth, seen)
        key_lines[key] = key_node.start_mark.line + 1
    return mapping


#: What :func:`_parse_fast` returns when it leaves the text to the full parser.
_UNPARSED = object()


def _parse_fast(text: str) -> Any:
    """``text`` parsed with libyaml's composer, or :data:`_UNPARSED`.

    Only a file the full parser would read to the same value is read here: any
    error, or anything unusual (see :func:`_build`), is left to the full parser,
    so that every error and its message come from one place.
    """
    if Reader.NON_PRINTABLE.search(text):
        return _UNPARSED
    # An alias needs an anchor, and an anchor the character "&": without one, no
    # node can be met twice and the nodes need not be remembered.
    seen: set[int] | None = set() if "&" in text else None
    # A parse makes a tree of objects, none of them garbage: the cyclic garbage
    # collector, set off by so many allocations, would walk every object of the
    # build again and again (a fifth of the records stage's time) for nothing.
    collecting = gc.isenabled()
    gc.disable()
    loader = _CComposer(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _build(node, 1, seen)
    except (_Fallback, pyyaml.YAMLError, ValueError, TypeError, ArithmeticError, LookupError):
        return _UNPARSED
    finally:
        loader.dispose()
        if collecting:
            gc.enable()


def parse_yaml(text: str, path: Path) -> Any:
    """Parse YAML 1.2 ``text`` read from ``path``; mappings as :class:`LineDict`.

    libyaml composes the node tree in C (:func:`_parse_fast`); a file it does not
    take (an error, an alias, an unusual tag) is read by ruamel.yaml, which gives
    the same values and names the line of each problem.

    Raises
    ------
    YamlSyntaxError
        With the line of the problem.
    """
    if text.startswith("\ufeff"):  # a UTF-8 byte-order mark is allowed once, at the start
        text = text[1:]
    if USE_LIBYAML and _FAST:
        value = _parse_fast(text)
        if value is not _UNPARSED:
            return value
    return _parse_ruamel(text, path)


def _parse_ruamel(text: str, path: Path) -> Any:
    """Parse ``text`` with ruamel.yaml's composer and :class:`_Constructor`."""
    libyaml = USE_LIBYAML and CParser is not None
    yaml = _parser(text, libyaml=libyaml)
    try:
        try:
            return yaml.load(text)
        except (ScannerError, ParserError):
            if not libyaml:
                raise
            # libyaml scans YAML 1.1 syntax ("[20:23]" is an error there): the
            # pure-Python YAML 1.2 parser has the last word, and names the line.
            yaml = _parser(text, libyaml=False)
            return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        hint = None
        if "maximum depth" in problem:
            problem = f"lists and mappings are nested deeper than {MAX_DEPTH} levels"
        elif not isinstance(exc, ConstructorError | ComposerError):
            hint = "check indentation, quoting and colons on this line"
        raise YamlSyntaxError(
            f"malformed YAML: {problem}", path=path, line=line, field="yaml", hint=hint
        ) from None
    except ReaderError as exc:
        raise YamlSyntaxError(
            f"character {exc.character!r} is not allowed in YAML",
            path=path,
            line=_line_of(text, exc.position),
            field="yaml",
            hint="remove control characters; write them as escapes in a double-quoted "
            "string if they must stay",
        ) from None
    except (
        YAMLError,
        ValueError,
        TypeError,
        ArithmeticError,
        LookupError,
        RecursionError,
        AssertionError,
    ) as exc:
        # Other failures of a constructor (an integer of 5,000 digits, a bad !!binary, a
        # ``!!bool`` that is no boolean) or of ruamel.yaml itself (``%YAML 1.3``):
        # name the node being built when it failed.
        node = getattr(getattr(yaml, "_constructor", None), "last_node", None)
        line = node.start_mark.line + 1 if node is not None else None
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if isinstance(exc, ValueError) and "integer string conversion" in message:
            message = "an integer of more than 4,300 digits"
        raise YamlSyntaxError(
            f"malformed YAML: {message}", path=path, line=line, field="yaml"
        ) from None


def read_yaml(path: Path) -> Any:
    """Read and parse one YAML file (:func:`read_text`, then :func:`parse_yaml`).

    Raises
    ------
    DataError
        :class:`~graph.errors.YamlSyntaxError` with the line of the problem, or a
        file that is not a regular UTF-8 file within the size limit.
    """
    text, _ = read_text(path, field="yaml")
    return parse_yaml(text, path)


__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "DataError",
    "LineDict",
    "parse_yaml",
    "read_bytes",
    "read_text",
    "read_yaml",
]
