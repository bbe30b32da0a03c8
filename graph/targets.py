"""Where a command may write a file: the overwrite rule applied to builds and data.

A command that writes a file the user names (``render --out``, ``export --out``,
``synth --out``) asks :func:`check_output` first: never into a data folder,
onto one of its own inputs or onto a file a build listed in its manifest; over
an existing file only if we wrote it (it carries our marker) or with ``force``.
The rule itself is :func:`graph.files.check_target`; this module knows which
folders and files a build protects and what our files look like.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def check_output(
    out: Path | str, *, force: bool, ours: Callable[[Path], bool], inputs: list[Path]
) -> Path:
    """Check a file a command is about to write (see :func:`graph.files.check_target`):
    never into a data folder, onto an input or onto a build's own outputs; over a
    file we did not write only with ``force``."""
    from graph.buildset import protected_folders, read_manifest, written_by_build
    from graph.errors import OverwriteError
    from graph.files import check_target

    out = Path(out)
    if written_by_build(out):
        raise OverwriteError(
            f"belongs to the build in {out.parent} (listed in its "
            "manifest.json); only 'alliance-graph build' writes it",
            path=out,
            field="out",
            hint="choose another file",
        )
    folders = protected_folders()
    if inputs:  # the build read: its data folder is protected too
        manifest = read_manifest(inputs[0].parent)
        if manifest is not None:
            from graph.buildset import data_folder

            folders.insert(0, data_folder(inputs[0].parent, manifest))
    return check_target(out, force=force, ours=ours, protected=folders, inputs=inputs)


#: An explorer page we rendered carries this tag near its top.
HTML_MARKER = b'<meta name="generator" content="alliance-graph">'


def our_html(path: Path) -> bool:
    from graph.files import has_marker

    return has_marker(path, HTML_MARKER)


def our_network(path: Path) -> bool:
    """A GraphML or GEXF file naming our entities (what :func:`graph.api.export_network` writes)."""
    from graph.files import has_marker

    return has_marker(path, b"<?xml", limit=64) and has_marker(
        path, b"https://w3id.org/alliance-graph/", limit=1 << 20
    )


def our_ntriples(path: Path) -> bool:
    """N-Triples about our entities (what :func:`graph.api.synth` writes)."""
    from graph.files import has_marker

    return has_marker(path, b"<https://w3id.org/alliance-graph/", limit=64)
