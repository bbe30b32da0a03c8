"""Finding an entity by what a person calls it: the one name resolver.

Every place that turns a typed name into an entity id (the CLI commands, the
parameters of named queries, the explorer's search box) uses the rules here,
so a name that works in one works in all.

A name matches an entity when its *normal form* equals the normal form of the
entity's id, English or Japanese label or any alias. The normal form
(:func:`normalise`) is:

1. Unicode NFKC (full-width letters and digits become ASCII ones);
2. case folded;
3. every dash (hyphen, non-breaking hyphen, en and em dash, minus sign …)
   becomes ``-``, every quote mark (curly, straight, primes) becomes ``'``;
4. runs of white space become one space, and ends are trimmed.

If nothing matches, a *loose* form that keeps only letters and digits is
tried ("US Japan RDTE MOU" finds "US–Japan RDT&E MOU"). An exact id always
wins. A name that names several entities is an error listing them; a name
that names none is an error suggesting the closest names (rapidfuzz).

:data:`RULES` holds steps 1–4 as data, so that a page can normalise the
same way without copying the rules into its code.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from graph.errors import EntityNotFound

if TYPE_CHECKING:
    import networkx as nx

#: Characters read as a hyphen.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d-"
#: Characters read as an apostrophe (quote marks of every kind).
QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\"'`\u00b4"

#: The normalisation as data: NFKC, case folding, the character map, white space.
RULES: dict[str, object] = {
    "unicode_form": "NFKC",
    "casefold": True,
    "map": {**dict.fromkeys(DASHES, "-"), **dict.fromkeys(QUOTES, "'")},
    "collapse_whitespace": True,
    "loose_keeps": "letters and digits",
}

_BY_GRAPH: weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple[int, Resolver]] = (
    weakref.WeakKeyDictionary()
)
_LAST_STORE: list[tuple[Any, dict[bool, Resolver]]] = []
_TABLE = str.maketrans({**dict.fromkeys(DASHES, "-"), **dict.fromkeys(QUOTES, "'")})
_LOOSE = re.compile(r"[\W_]+")
#: Suggestions offered when no entity has a name.
SUGGESTIONS = 5
#: The least rapidfuzz score (0–100) of a suggestion.
SUGGEST_CUTOFF = 80.0


def normalise(text: str) -> str:
    """The normal form of a name (see the module's rules).

    >>> normalise("  US\u2013Japan  RDT&E MOU ")
    'us-japan rdt&e mou'
    >>> normalise("Japan\u2019s \uff2d\uff2f\uff24") == normalise("JAPAN'S MOD")
    True
    """
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TABLE)
    return " ".join(text.split())


def loose(text: str) -> str:
    """Only the letters and digits of the normal form: ``'us-japan rdt&e'`` → ``'usjapanrdte'``."""
    return _LOOSE.sub("", normalise(text))


class Resolver:
    """Names to entity ids, built once for a set of entities.

    Parameters
    ----------
    entries : iterable of (id, label, names)
        Each entity's id, the label to show in messages, and every name it goes by
        (labels, aliases; the id is added).

    Examples
    --------
    >>> r = Resolver([("dod", "Department of Defense", ["DoD", "Pentagon"]),
    ...               ("mou", "US\u2013Japan RDT&E MOU", [])])
    >>> r.resolve("us-japan rdt&e mou"), r.resolve("PENTAGON"), r.resolve("US Japan RDTE MOU")
    ('mou', 'dod', 'mou')
    >>> r.resolve("Pentagn")
    Traceback (most recent call last):
    ...
    graph.errors.EntityNotFound: no entity 'Pentagn'; did you mean dod (Department of Defense)?
    """

    def __init__(self, entries: Iterable[tuple[str, str | None, Iterable[str | None]]]) -> None:
        self.labels: dict[str, str] = {}
        self._exact: dict[str, set[str]] = {}
        self._loose: dict[str, set[str]] = {}
        for ident, label, names in entries:
            self.labels[ident] = label or ident
            for name in (ident, label, *names):
                if name:
                    self._exact.setdefault(normalise(name), set()).add(ident)
                    key = loose(name)
                    if key:
                        self._loose.setdefault(key, set()).add(ident)
        self._choices = list(self._exact)

    @classmethod
    def of_graph(cls, G: nx.MultiDiGraph) -> Resolver:
        """The resolver of a projection's nodes (ids, labels, Japanese labels, aliases);
        cached on the graph until its nodes change."""
        cached = _BY_GRAPH.get(G)
        if cached is not None and cached[0] == G.number_of_nodes():
            return cached[1]
        resolver = cls(
            (n, a.get("label"), [a.get("label_ja"), *(a.get("aliases") or ())])
            for n, a in G.nodes(data=True)
        )
        _BY_GRAPH[G] = (G.number_of_nodes(), resolver)
        return resolver

    @classmethod
    def of_store(cls, store: Any, *, sources: bool = False) -> Resolver:
        """The resolver of the entities in a SPARQL store (embedded or remote): ids,
        labels in every language and aliases, read with one query; with ``sources``,
        of the sources too. Cached for the store in use."""
        if _LAST_STORE and _LAST_STORE[0][0] is store:
            return _LAST_STORE[0][1][sources]
        both = cls.of_rows(store.query(names_query()).rows)
        _LAST_STORE[:] = [(store, both)]  # one store at a time: the one in use
        return both[sources]

    @classmethod
    def of_rows(cls, rows: Iterable[dict[str, Any]]) -> dict[bool, Resolver]:
        """The resolvers (without and with the sources, by ``sources``) of the rows of
        :func:`names_query` (SPARQL JSON terms)."""
        from graph.namespaces import ID

        labels: dict[str, str] = {}
        names: dict[str, list[str]] = {}
        is_source: set[str] = set()
        for row in rows:
            ident = row["entity"]["value"][len(str(ID)) :]
            names.setdefault(ident, [])
            if "source" in row:
                is_source.add(ident)
            if "label" in row:
                if ident not in labels and row["label"].get("xml:lang") in (None, "en"):
                    labels[ident] = row["label"]["value"]
                names[ident].append(row["label"]["value"])
            if "alias" in row:
                names[ident].append(row["alias"]["value"])
        return {
            flag: cls((i, labels.get(i), n) for i, n in names.items() if flag or i not in is_source)
            for flag in (False, True)
        }

    def __contains__(self, ident: object) -> bool:
        return ident in self.labels

    def matches(self, name: str) -> list[str]:
        """Every id ``name`` names, best rule first: the id itself, the normal form,
        then the loose form. Empty if none."""
        if name in self.labels:
            return [name]
        indexes = {"exact": self._exact, "loose": self._loose}
        for kind, key in self.rules(name):
            if indexes[kind].get(key):
                return sorted(indexes[kind][key])
        return []

    @staticmethod
    def rules(name: str) -> list[tuple[str, str]]:
        """After the id itself, the keys ``name`` is looked up by, in order: its normal
        form, then its loose form (empty keys left out)."""
        return [
            (kind, key) for kind, key in (("exact", normalise(name)), ("loose", loose(name))) if key
        ]

    def lookup_keys(self) -> Iterator[tuple[str, str, str]]:
        """Every ``(kind, key, id)`` :meth:`matches` looks up: ``id`` keys, then the
        :meth:`rules` keys, for a store of them elsewhere (the query index's names)."""
        for ident in self.labels:
            yield "id", ident, ident
        for kind, index in (("exact", self._exact), ("loose", self._loose)):
            for key, idents in index.items():
                for ident in idents:
                    yield kind, key, ident

    def suggest(self, name: str, *, limit: int = SUGGESTIONS) -> list[str]:
        """The ids whose names are closest to ``name`` (:func:`closeness` of normal
        forms at least :data:`SUGGEST_CUTOFF`), closest first."""
        from rapidfuzz import process

        wanted = normalise(name)
        if not wanted:
            return []
        best: dict[str, float] = {}
        for choice, score, _ in process.extract(
            wanted, self._choices, scorer=_closeness, score_cutoff=SUGGEST_CUTOFF, limit=4 * limit
        ):
            for ident in self._exact[choice]:
                best[ident] = max(best.get(ident, 0.0), score)
        return sorted(best, key=lambda i: (-best[i], i))[:limit]

    def describe(self, ident: str) -> str:
        """``id (label)`` for messages."""
        return f"{ident} ({self.labels.get(ident, ident)})"

    def resolve(self, name: str) -> str:
        """The id of the one entity ``name`` names.

        Raises
        ------
        EntityNotFound
            If several entities have that name (the message lists them), or none
            does (the message suggests close names).
        """
        found = self.matches(name)
        if len(found) == 1:
            return found[0]
        if found:
            listed = "; ".join(self.describe(n) for n in found)
            raise EntityNotFound(
                f"{name!r} is ambiguous: it names {listed}", hint="give one of these ids"
            )
        close = self.suggest(name)
        if not close:
            raise EntityNotFound(
                f"no entity {name!r}",
                hint="name an entity by its id, label or an alias; "
                "'alliance-graph entities' lists them",
            )
        raise EntityNotFound(
            f"no entity {name!r}; did you mean {', '.join(self.describe(n) for n in close)}?"
        )


def _closeness(wanted: str, name: str, **_: object) -> float:
    """How close a typed name is to a known one, 0–100: the best of rapidfuzz's
    ratio, its word-order-free ratio, and — for a known name at least as long —
    its word-set ratio (so "US-Japan RDT&E MOU" is close to "US–Japan RDT&E
    Memorandum of Understanding", but "Japan" is not close to everything that
    mentions Japan)."""
    from rapidfuzz import fuzz, utils

    words = utils.default_process  # words split at punctuation too: "mod-japan"
    score = max(fuzz.ratio(wanted, name), fuzz.token_sort_ratio(wanted, name, processor=words))
    if len(name) >= len(wanted):
        score = max(score, fuzz.token_set_ratio(wanted, name, processor=words))
    return score


def resolve_entity(G: nx.MultiDiGraph, name: str) -> str:
    """The id of the one node of ``G`` that ``name`` names (see :class:`Resolver`)."""
    if name in G:
        return name
    return Resolver.of_graph(G).resolve(name)


def suggestion_hint(
    word: str, known: Iterable[str], *, cutoff: float = 65.0, limit: int = 3
) -> str | None:
    """``did you mean 'x' or 'y'?`` for a word among plain names (types, predicates,
    query names), or None when nothing is close.

    >>> suggestion_hint("signedby", ["signedBy", "signed", "procures"])
    "did you mean 'signedBy' or 'signed'?"
    """
    from rapidfuzz import fuzz, process

    known = list(known)
    by_normal: dict[str, list[str]] = {}
    for k in known:
        by_normal.setdefault(normalise(k), []).append(k)
    found = process.extract(
        normalise(word), list(by_normal), scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit
    )
    close = list(dict.fromkeys(k for choice, _, _ in found for k in by_normal[choice]))[:limit]
    return "did you mean " + " or ".join(repr(c) for c in close) + "?" if close else None


def names_query() -> str:
    """Every entity's labels (in every language) and aliases, and whether it is a source:
    what :meth:`Resolver.of_rows` reads."""
    from graph.namespaces import AG, ID

    return f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?label ?alias ?source WHERE {{
  {{ ?entity rdfs:label ?label }} UNION {{ ?entity skos:altLabel ?alias }}
  FILTER (STRSTARTS(STR(?entity), "{ID}"))
  OPTIONAL {{ ?entity a <{AG}Source> . BIND (true AS ?source) }}
}}"""


def entity_parameters(
    named: Any,
    params: dict[str, str],
    store: Any,
    resolvers: dict[bool, Resolver] | None = None,
) -> dict[str, str]:
    """The parameters of a named query with its entity parameters given by name read
    the way the CLI reads names.

    A value the resolver matches to exactly one entity of ``store`` becomes that
    entity's id ("US–Japan Alliance" with any dash, "Division of Protection" in any
    case); a value that matches none but is close to some raises, suggesting
    them; any other value (an IRI, ``agid:``, a name of several entities) is left
    for the binder to judge. ``resolvers`` (from :meth:`Resolver.of_rows`) stand for
    the store's when given.

    Raises
    ------
    QueryError
        For a name of no entity that is close to known names.
    """
    from graph.errors import QueryError

    out = dict(params)
    for param in getattr(named, "parameters", ()):
        raw = out.get(param.name)
        if param.kind != "entity" or raw is None or "://" in raw or raw.startswith("agid:"):
            continue
        sources = param.name == "source"
        resolver = resolvers[sources] if resolvers else Resolver.of_store(store, sources=sources)
        found = resolver.matches(raw.strip())
        if not found:  # an id of the graph all the same (a source's, for another parameter)
            every = resolvers[True] if resolvers else Resolver.of_store(store, sources=True)
            if raw.strip() in every:
                out[param.name] = raw.strip()
                continue
        if len(found) == 1:
            out[param.name] = found[0]
        elif not found and (close := resolver.suggest(raw)):
            raise QueryError(
                f"parameter {param.name!r}: no entity {raw.strip()!r} in the graph",
                field="param",
                hint="did you mean " + ", ".join(resolver.describe(c) for c in close) + "?",
            )
    return out
