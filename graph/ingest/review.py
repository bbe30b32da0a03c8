"""Review: drafts an analyst accepted or edited move into ``claims.yaml``.

The analyst sets each draft's ``status:`` in ``claims.draft.yaml`` (or decides
in the interactive loop, :func:`decide_interactively`). :func:`review_source`
checks every accepted and edited draft with the loader's own claim checks
(:func:`graph.records.check_claims`) *before* writing anything; an invalid
draft is an error naming ``claims.draft.yaml`` and its line. Then the claims are
appended to ``claims.yaml`` (what was there stays as written) and removed from
the drafts file; rejected drafts stay there, marked, so that the analyst's
"no" is kept. Both files are replaced atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import RecordFieldError, ReviewError
from graph.ingest.analyse import DRAFT_FILE, dump_yaml
from graph.ontology import Ontology
from graph.records import LineDict, check_claims, load_records, read_yaml

STATUSES = ("draft", "accepted", "edited", "rejected")
#: Fields of a draft that a claim keeps, in the order claims.yaml writes them.
CLAIM_FIELDS = (
    "subject",
    "predicate",
    "object",
    "value",
    "date",
    "from",
    "until",
    "role",
    "amount",
    "currency",
    "rank",
    "rank_reason",
    "quote",
)


@dataclass
class ReviewResult:
    """How many drafts were accepted, edited, rejected and left as drafts."""

    source_id: str
    accepted: int
    edited: int
    rejected: int
    left: int
    claims_path: Path

    def summary(self) -> str:
        moved = self.accepted + self.edited
        return (
            f"{self.source_id}: {self.accepted} accepted, {self.edited} edited, "
            f"{self.rejected} rejected, {self.left} left as drafts; "
            f"{moved} claim(s) added to {self.claims_path}"
        )


def read_drafts(path: Path) -> LineDict:
    """Parse ``claims.draft.yaml``; its ``drafts`` are mappings with line numbers."""
    if not path.is_file():
        raise ReviewError(
            "no drafts to review", path=path, hint="run 'alliance-graph ingest FILE' first"
        )
    doc = read_yaml(path)
    if not isinstance(doc, LineDict) or not isinstance(doc.get("drafts") or [], list):
        raise RecordFieldError(
            "a drafts file is a mapping with a 'drafts:' list", path=path, line=1, field="drafts"
        )
    doc.setdefault("drafts", [])
    if doc["drafts"] is None:
        doc["drafts"] = []
    for item in doc["drafts"]:
        if not isinstance(item, LineDict):
            raise RecordFieldError(
                "each draft is a mapping", path=path, line=doc.line, field="drafts"
            )
        status = item.get("status", "draft")
        if status not in STATUSES:
            raise RecordFieldError(
                f"unknown status {status!r}",
                path=path,
                line=item.key_lines.get("status", item.line),
                field="status",
                hint="use one of " + ", ".join(STATUSES),
            )
    return doc


def _claim_mapping(item: LineDict) -> LineDict:
    claim = LineDict({k: item[k] for k in CLAIM_FIELDS if item.get(k) is not None})
    claim.line = item.line
    claim.key_lines = {k: v for k, v in item.key_lines.items() if k in claim}
    return claim


def review_source(
    data: Path,
    source_id: str,
    ontology: Ontology,
    *,
    decide: Callable[[list[LineDict]], None] | None = None,
) -> ReviewResult:
    """Move the accepted and edited drafts of ``source_id`` into its ``claims.yaml``.

    ``decide``, if given, sets statuses first (the interactive loop). Either both
    files are rewritten or neither is.

    Raises
    ------
    ReviewError
        If the source has no drafts file.
    InvalidRecords
        If an accepted or edited draft would not load, naming the drafts file's line.
    """
    from graph.build import write_atomic

    folder = Path(data) / "sources" / source_id
    draft_path = folder / DRAFT_FILE
    doc = read_drafts(draft_path)
    items: list[LineDict] = doc["drafts"]
    if decide is not None:
        decide(items)
    chosen = [i for i in items if i.get("status") in ("accepted", "edited")]
    dataset = load_records(Path(data), ontology)
    if source_id not in dataset.sources:
        raise ReviewError(
            f"no source {source_id!r}", path=folder, hint="see the folders of sources/"
        )
    check_claims(dataset, ontology, source_id, [_claim_mapping(i) for i in chosen], draft_path)

    counts = {s: sum(1 for i in items if i.get("status", "draft") == s) for s in STATUSES}
    claims_path = folder / "claims.yaml"
    if chosen:
        existing = (
            claims_path.read_text(encoding="utf-8")
            if claims_path.exists()
            else ("# What this source states; see README 'Data'.\n")
        )
        addition = dump_yaml([_plain(_claim_mapping(i)) for i in chosen])
        joiner = "" if existing.endswith("\n") or not existing else "\n"
        new_claims = existing + joiner + f"\n# Reviewed from {DRAFT_FILE}.\n" + addition
        remaining = [_plain(i) for i in items if i.get("status") not in ("accepted", "edited")]
        header = "".join(
            line + "\n"
            for line in draft_path.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")
        )
        new_drafts = header + dump_yaml({**_plain(doc), "drafts": remaining})
        write_atomic(claims_path, new_claims.encode("utf-8"))
        write_atomic(draft_path, new_drafts.encode("utf-8"))
    return ReviewResult(
        source_id,
        counts["accepted"],
        counts["edited"],
        counts["rejected"],
        counts["draft"],
        claims_path,
    )


def _plain(value: Any) -> Any:
    """LineDicts back to plain dicts and lists, for dumping."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --- the interactive loop ------------------------------------------------------------
def marked_sentence(item: LineDict) -> str:
    """The draft's quote with each mention marked ``[text|entity]``.

    >>> item = LineDict(quote="Austin signed it.", offsets=[10, 27],
    ...                 mentions=[{"text": "Austin", "entity": "lloyd-austin", "at": [10, 16]}])
    >>> marked_sentence(item)
    '[Austin|lloyd-austin] signed it.'
    """
    quote = str(item.get("quote", ""))
    base = (item.get("offsets") or [0])[0]
    out, cursor = [], 0
    for mention in sorted(item.get("mentions") or [], key=lambda m: m["at"][0]):
        start, end = mention["at"][0] - base, mention["at"][1] - base
        if start < cursor or end > len(quote):
            continue
        out += [quote[cursor:start], f"[{quote[start:end]}|{mention['entity']}]"]
        cursor = end
    return "".join(out) + quote[cursor:]


def _triple(p: dict[str, Any]) -> str:
    return f"{p['subject']} {p['predicate']} {p.get('object', p.get('value'))}"


def decide_interactively(
    items: list[LineDict], read_key: Callable[[], str], echo: Callable[[str], None]
) -> None:
    """Ask about each draft still marked ``draft``; set its status from the key pressed.

    Keys: ``a`` accept, ``r`` reject, ``1``–``3`` accept that alternative instead
    (status ``edited``), ``s`` skip, ``q`` quit (the rest stay drafts).
    """
    pending = [i for i in items if i.get("status", "draft") == "draft"]
    for n, item in enumerate(pending, 1):
        alternatives = list(item.get("alternatives") or [])[:3]
        echo(f"\n[{n}/{len(pending)}] {marked_sentence(item)}")
        echo(f"  proposed: {_triple(item)}  (score {item.get('score')})")
        for why in item.get("why") or []:
            echo(f"    {why}")
        for k, alt in enumerate(alternatives, 1):
            echo(f"  {k}: {_triple(alt)}  (score {alt.get('score')})")
        keys = "a/r/" + "".join(f"{k}/" for k in range(1, len(alternatives) + 1)) + "s/q"
        while True:
            echo(f"  accept, reject, alternative, skip, quit? [{keys}] ")
            key = read_key().strip().lower()[:1]
            if key == "a":
                item["status"] = "accepted"
            elif key == "r":
                item["status"] = "rejected"
            elif key.isdigit() and 1 <= int(key) <= len(alternatives):
                alt = alternatives[int(key) - 1]
                for field in ("subject", "predicate", "object", "value"):
                    item.pop(field, None)
                    if field in alt:
                        item[field] = alt[field]
                item["status"] = "edited"
            elif key == "s":
                pass
            elif key == "q":
                return
            else:
                continue
            break
