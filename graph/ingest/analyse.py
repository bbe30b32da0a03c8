"""One document, analysed: mentions linked, acronyms learned, candidates, claim drafts.

Ties the pure stages together (:mod:`~graph.ingest.linker`,
:mod:`~graph.ingest.candidates`, :mod:`~graph.ingest.drafts`) and writes the
result as the text of ``claims.draft.yaml``. No file I/O: callers decide where
the text goes. An :class:`Analyser` is built once per registry (the automaton
and the cue pattern are compiled then) and reused for every document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from graph.ingest.acronyms import Acronym
from graph.ingest.candidates import Candidate, find_candidates
from graph.ingest.drafts import Draft, Drafter
from graph.ingest.forms import Mention, Registry
from graph.ingest.linker import Linker
from graph.ontology import Ontology
from graph.records import EntityRecord

DRAFT_FILE = "claims.draft.yaml"


@dataclass
class Analysis:
    """What one document yields."""

    text: str
    mentions: list[Mention]
    acronyms: list[Acronym]
    candidates: list[Candidate]
    drafts: list[Draft]


class Analyser:
    """Analyses documents against one entity registry.

    >>> from graph.ontology import load_ontology
    >>> from graph.records import EntityRecord, Labels
    >>> people = [EntityRecord(id="austin", type="Person", label=Labels(en="Lloyd Austin")),
    ...           EntityRecord(id="mou", type="Agreement", label=Labels(en="The MOU"))]
    >>> result = Analyser(people, load_ontology()).analyse("Secretary Austin signed The MOU.")
    >>> d = result.drafts[0].best
    >>> d.subject, d.predicate, d.object
    ('mou', 'signedBy', 'austin')
    """

    def __init__(self, entities: Iterable[EntityRecord], ontology: Ontology) -> None:
        self.ontology = ontology
        self.registry = Registry.from_records(entities)
        self.linker = Linker(self.registry, ontology)
        self.drafter = Drafter(ontology, self.registry.types, self.linker.cues)

    def analyse(self, text: str, *, published: str | None = None, suggest: bool = True) -> Analysis:
        """Link, find candidates and draft claims for ``text``.

        ``published`` (``YYYY[-MM[-DD]]``) dates what the text leaves undated
        ("On January 25"); ``suggest=False`` skips the near-entity suggestions.
        """
        mentions, acronyms = self.linker.analyse(text)
        candidates = find_candidates(text, mentions, acronyms, self.registry if suggest else None)
        implied = self.linker.nested(text, mentions) + self.linker.plural_references(text, mentions)
        drafts = self.drafter.draft(text, mentions, published=published, nested=implied)
        return Analysis(text, mentions, acronyms, candidates, drafts)


class _Dumper(yaml.SafeDumper):
    """Block style, but short lists of plain values (offsets) on one line."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = len(data) <= 4 and all(isinstance(x, int | float) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def dump_yaml(data: Any) -> str:
    """YAML as the project writes it: UTF-8 kept, keys in the order given."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def drafts_yaml(source_id: str, analysis: Analysis) -> str:
    """The text of ``claims.draft.yaml`` for ``analysis``."""
    header = (
        f"# Claim drafts for source {source_id!r}: never built until reviewed.\n"
        "# Set each draft's status to accepted, edited (after changing subject, predicate,\n"
        "# object/value or qualifiers) or rejected, then run 'alliance-graph review "
        f"{source_id}'.\n"
        "# Accepted and edited drafts move to claims.yaml. 'alternatives' lists the other\n"
        "# readings, best first; 'candidates' lists names that link to no entity yet.\n"
    )
    body = {
        "source": source_id,
        "drafts": [d.to_yaml() for d in analysis.drafts],
        "candidates": [c.to_yaml(analysis.text) for c in analysis.candidates],
    }
    return header + dump_yaml(body)
