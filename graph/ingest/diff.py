"""What changed between two graphs: facts and entities added and removed, with quotes.

Either side is a built folder (``alliance.nt`` or ``alliance.ttl``, as
``alliance-graph build --out DIR`` writes) or a data folder (``entities/``,
``sources/``), which is checked and built in memory. A *fact* is a plain
triple whose subject is an entity (not a claim or source node); each comes
with the quotes of the claims that state it (``rdf:subject``/``rdf:predicate``/
``rdf:object``, ``ag:quote``, ``prov:wasQuotedFrom``). Links between claims
(``ag:corroborates``, ``ag:refines``, ``ag:conflictsWith``), when a graph has
them, are reported as they appear or vanish, and so are quotes that a fact
present in both graphs gained or lost (a second source for a known fact).
Output as text, JSON or Markdown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import NotBuiltError
from graph.namespaces import AG, ID, PROV

CLAIM_LINKS = (AG.corroborates, AG.refines, AG.conflictsWith)
#: A fact as read from a graph; a claim node missing a part reads as None there.
Triple = tuple[Node | None, Node | None, Node | None]
_NOT_ENTITIES = (AG.Claim, AG.Source)


@dataclass
class Side:
    """One graph, read for comparison."""

    graph: Graph
    where: str
    _stated: set[Triple] | None = field(default=None, init=False, repr=False)

    def entities(self) -> dict[str, str]:
        """Entity id → English label (or id)."""
        out = {}
        for s, o in self.graph.subject_objects(RDF.type):
            if isinstance(s, URIRef) and str(s).startswith(str(ID)) and o not in _NOT_ENTITIES:
                labels = [
                    lbl
                    for lbl in self.graph.objects(s, RDFS.label)
                    if getattr(lbl, "language", None) in ("en", None)
                ]
                out[_short(s)] = str(labels[0]) if labels else _short(s)
        return out

    def facts(self) -> set[Triple]:
        entities = {URIRef(str(ID) + e) for e in self.entities()}
        return {
            (s, p, o)
            for s, p, o in self.graph
            if s in entities and p not in (RDF.type,) and (s, p, o) in self._asserted()
        }

    def _asserted(self) -> set[Triple]:
        if self._stated is None:
            g = self.graph
            self._stated = {
                (g.value(c, RDF.subject), g.value(c, RDF.predicate), g.value(c, RDF.object))
                for c in g.subjects(RDF.type, AG.Claim)
            }
        return self._stated

    def quotes(self, fact: Triple) -> list[dict[str, str]]:
        g = self.graph
        s, p, o = fact
        out = []
        for claim in g.subjects(RDF.subject, s):
            if (claim, RDF.predicate, p) in g and (claim, RDF.object, o) in g:
                source = g.value(claim, PROV.wasQuotedFrom)
                out.append(
                    {
                        "source": _short(source) if source else "",
                        "quote": str(g.value(claim, AG.quote) or ""),
                    }
                )
        return sorted(out, key=lambda q: (q["source"], q["quote"]))

    def claims(self) -> dict[Node, Triple]:
        """Claim node → the fact it states."""
        g = self.graph
        return {
            c: (g.value(c, RDF.subject), g.value(c, RDF.predicate), g.value(c, RDF.object))
            for c in g.subjects(RDF.type, AG.Claim)
        }

    def claim_links(self) -> set[tuple[Node, Node, Node]]:
        return {(s, p, o) for p in CLAIM_LINKS for s, o in self.graph.subject_objects(p)}

    def describe_claim(self, claim: Node) -> dict[str, str]:
        g = self.graph
        fact = (
            g.value(claim, RDF.subject),
            g.value(claim, RDF.predicate),
            g.value(claim, RDF.object),
        )
        source = g.value(claim, PROV.wasQuotedFrom)
        return {
            "fact": " ".join(_term(t) for t in fact),
            "source": _short(source) if source else "",
            "quote": str(g.value(claim, AG.quote) or ""),
        }


def _short(term: Node | None) -> str:
    text = str(term)
    for prefix, ns in (("", str(ID)), ("", str(AG))):
        if text.startswith(ns):
            return prefix + text[len(ns) :]
    return text


def _term(term: Node | None) -> str:
    if isinstance(term, Literal):
        return str(term)
    text = str(term)
    if text.startswith("http://www.w3.org/ns/org#"):
        return "org:" + text.rsplit("#", 1)[1]
    return _short(term)


def read_side(path: Path | str) -> Side:
    """A built folder, a built file, or a data folder (built in memory).

    Raises
    ------
    NotBuiltError
        If ``path`` holds neither a built graph nor data.
    """
    path = Path(path)
    if path.is_dir() and (path / "entities").is_dir():
        from graph import api

        return Side(api.validate(path).graph, str(path))
    for name, fmt in (("alliance.nt", "nt"), ("alliance.ttl", "turtle")):
        file = path / name if path.is_dir() else path
        if file.is_file() and (file.name == name or not path.is_dir()):
            graph = Graph()
            graph.parse(file, format="nt" if file.suffix == ".nt" else fmt)
            return Side(graph, str(file))
    raise NotBuiltError(
        "holds no built graph (alliance.nt or alliance.ttl) and no data (entities/)",
        path=path,
        hint="run 'alliance-graph build --out DIR', or give a data folder",
    )


@dataclass
class GraphDiff:
    """Facts, entities and claim links added and removed between two graphs."""

    old: str
    new: str
    entities_added: list[dict[str, Any]] = field(default_factory=list)
    entities_removed: list[dict[str, Any]] = field(default_factory=list)
    facts_added: list[dict[str, Any]] = field(default_factory=list)
    facts_removed: list[dict[str, Any]] = field(default_factory=list)
    evidence_added: list[dict[str, Any]] = field(default_factory=list)
    evidence_removed: list[dict[str, Any]] = field(default_factory=list)
    links_added: list[dict[str, Any]] = field(default_factory=list)
    links_removed: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_text(self) -> str:
        lines = [f"diff {self.old} → {self.new}"]
        lines.append(
            f"entities: +{len(self.entities_added)} -{len(self.entities_removed)}; "
            f"facts: +{len(self.facts_added)} -{len(self.facts_removed)}; "
            f"new quotes for known facts: +{len(self.evidence_added)} "
            f"-{len(self.evidence_removed)}; "
            f"claim links: +{len(self.links_added)} -{len(self.links_removed)}"
        )
        for sign, items in _signed(self.entities_added, self.entities_removed):
            lines += [f"{sign} entity {e['id']} ({e['label']})" for e in items]
        for prefix, added, removed in (
            ("", self.facts_added, self.facts_removed),
            ("quote for ", self.evidence_added, self.evidence_removed),
        ):
            for sign, items in _signed(added, removed):
                for fact in items:
                    lines.append(
                        f"{sign} {prefix}{fact['subject']} {fact['predicate']} {fact['object']}"
                    )
                    lines += [f'    {q["source"]}: "{q["quote"]}"' for q in fact["quotes"]]
        for sign, items in _signed(self.links_added, self.links_removed):
            for link in items:
                lines.append(
                    f"{sign} claim {link['link']}: {link['claim']['fact']} "
                    f"~ {link['other']['fact']}"
                )
                lines += [
                    f'    {c["source"]}: "{c["quote"]}"' for c in (link["claim"], link["other"])
                ]
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        out = [f"# Changes from `{self.old}` to `{self.new}`", ""]
        out.append("| | added | removed |\n|---|---:|---:|")
        out.append(f"| entities | {len(self.entities_added)} | {len(self.entities_removed)} |")
        out.append(f"| facts | {len(self.facts_added)} | {len(self.facts_removed)} |")
        out.append(
            f"| new quotes for known facts | {len(self.evidence_added)} | "
            f"{len(self.evidence_removed)} |"
        )
        out.append(f"| claim links | {len(self.links_added)} | {len(self.links_removed)} |")
        sections: list[tuple[str, list[dict[str, Any]]]] = [
            ("Entities added", self.entities_added),
            ("Entities removed", self.entities_removed),
            ("Facts added", self.facts_added),
            ("Facts removed", self.facts_removed),
            ("Quotes added to known facts", self.evidence_added),
            ("Quotes removed from facts that remain", self.evidence_removed),
            ("Claim links added", self.links_added),
            ("Claim links removed", self.links_removed),
        ]
        for title, items in sections:
            if not items:
                continue
            out += ["", f"## {title}", ""]
            for item in items:
                if "label" in item:
                    out.append(f"- `{item['id']}` — {_md(item['label'])}")
                elif "link" in item:
                    out.append(
                        f"- {item['link']}: `{_md(item['claim']['fact'])}` ~ "
                        f"`{_md(item['other']['fact'])}`"
                    )
                else:
                    out.append(
                        f"- `{item['subject']}` **{item['predicate']}** `{_md(item['object'])}`"
                    )
                    out += [f"  > {_md(q['quote'])} — *{q['source']}*" for q in item["quotes"]]
        return "\n".join(out) + "\n"


def _signed(
    added: list[dict[str, Any]], removed: list[dict[str, Any]]
) -> list[tuple[str, list[dict[str, Any]]]]:
    return [("+", added), ("-", removed)]


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'").replace("\n", " ")


def diff_graphs(old: Side, new: Side) -> GraphDiff:
    """Compare two graphs read by :func:`read_side`.

    Facts and links are sorted, so the same two graphs give the same output.
    """
    result = GraphDiff(old.where, new.where)
    old_entities, new_entities = old.entities(), new.entities()
    result.entities_added = [
        {"id": e, "label": new_entities[e]} for e in sorted(set(new_entities) - set(old_entities))
    ]
    result.entities_removed = [
        {"id": e, "label": old_entities[e]} for e in sorted(set(old_entities) - set(new_entities))
    ]
    old_facts, new_facts = old.facts(), new.facts()

    def fact(side: Side, triple: Triple) -> dict[str, Any]:
        s, p, o = triple
        return {
            "subject": _term(s),
            "predicate": _term(p),
            "object": _term(o),
            "quotes": side.quotes(triple),
        }

    key = lambda t: tuple(_term(x) for x in t)  # noqa: E731
    result.facts_added = [fact(new, t) for t in sorted(new_facts - old_facts, key=key)]
    result.facts_removed = [fact(old, t) for t in sorted(old_facts - new_facts, key=key)]
    # Facts both graphs hold, stated by claims only one of them has: new (or lost) evidence.
    old_claims, new_claims = old.claims(), new.claims()
    for side, mine, theirs, facts, target in (
        (new, new_claims, old_claims, old_facts & new_facts, result.evidence_added),
        (old, old_claims, new_claims, old_facts & new_facts, result.evidence_removed),
    ):
        by_fact: dict[Triple, list[Node]] = {}
        for claim in set(mine) - set(theirs):
            if mine[claim] in facts:
                by_fact.setdefault(mine[claim], []).append(claim)
        for triple in sorted(by_fact, key=key):
            entry = fact(side, triple)
            described = [side.describe_claim(c) for c in by_fact[triple]]
            entry["quotes"] = sorted(
                ({"source": d["source"], "quote": d["quote"]} for d in described),
                key=lambda q: (q["source"], q["quote"]),
            )
            target.append(entry)
    old_links, new_links = old.claim_links(), new.claim_links()
    for side, links, target in (
        (new, new_links - old_links, result.links_added),
        (old, old_links - new_links, result.links_removed),
    ):
        for s, p, o in sorted(links, key=lambda t: tuple(map(str, t))):
            target.append(
                {"link": _term(p), "claim": side.describe_claim(s), "other": side.describe_claim(o)}
            )
    return result
