"""Where the shipped ontology, data and queries live.

In a source checkout they are the top-level ``ontology/`` and ``data/`` folders;
in an installed wheel they are packaged as ``graph/ontology`` and ``graph/data``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(name: str) -> Path:
    packaged = _PACKAGE / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def ontology_dir() -> Path:
    """The folder holding ``alliance.ttl`` and ``shapes.ttl``."""
    return _locate("ontology")


def data_dir() -> Path:
    """The folder holding the shipped ``entities/`` and ``sources/``."""
    return _locate("data")


def queries_dir() -> Path:
    """The folder holding the named SPARQL queries (``*.rq``)."""
    return _PACKAGE / "queries"


def templates_dir() -> Path:
    """The folder holding the explorer's HTML template and assets."""
    return _PACKAGE / "templates"
