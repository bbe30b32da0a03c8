"""The two back ends behind one interface: Oxigraph in this process, and any
SPARQL 1.1 Protocol endpoint.

What a store holds (embedded, served, or published to a server): the data,
the ontology, and the RDFS sub-property entailment of ``ag:dependsOn`` (rule
rdfs7: a fact of any sub-property of ``ag:dependsOn``, at any depth, is also an
``ag:dependsOn`` fact), all in one graph. So ``ag:dependsOn+`` follows every
dependency predicate the ontology declares, including ones added later, with
no predicate list in the queries, and the same query text works on every
server, none of which needs an inference engine. The entailed triples have no
claim: queries that show evidence join on the asserted predicate's claim.
Depends on :mod:`graph.sparql.binding`, :mod:`graph.sparql.results`,
:mod:`graph.sparql.syntax` and :mod:`graph.sparql.http` (pyoxigraph lazily).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from graph.errors import EndpointError, QueryError
from graph.resources import ontology_dir
from graph.sparql.binding import inline
from graph.sparql.http import Credentials, body_line, http_error, http_request, redact
from graph.sparql.results import XSD, Results, Term, normalise_term, results_from_json
from graph.sparql.syntax import UPDATE, syntax_error, update_refused

if TYPE_CHECKING:
    from graph.sparql.binding import OxTerm

#: RDFS rule rdfs7 for the dependency hierarchy, read from the ontology in the store.
DEPENDENCY_ENTAILMENT = """
PREFIX ag: <https://w3id.org/alliance-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT { ?s ag:dependsOn ?o } WHERE { ?p rdfs:subPropertyOf+ ag:dependsOn . ?s ?p ?o }
"""


class SparqlStore(Protocol):
    """What both back ends offer."""

    def query(self, sparql: str, bindings: Mapping[str, OxTerm] | None = None) -> Results: ...


class EmbeddedStore:
    """Oxigraph in this process, loaded with the built graph and the ontology.

    The ontology sits in the default graph with the data, and every load adds
    the ``ag:dependsOn`` entailment (see the module docstring), so queries can
    follow ``rdfs:subPropertyOf`` and ``ag:dependsOn+``.

    Parameters
    ----------
    data : Path
        ``alliance.nt`` (fastest), ``alliance.ttl`` or a folder holding them.
    with_ontology : bool
        Also load ``ontology/alliance.ttl``.
    trusted : bool
        ``data`` was written by this project (``alliance-graph build`` or
        ``synth``), whose IRIs are already checked: pyoxigraph skips its IRI
        validation (lenient parsing; syntax is still checked), a quarter off
        the load time (3.6 s against 2.7 s at 1M triples). Any other file is
        read strictly.
    """

    def __init__(
        self, data: Path | None = None, *, with_ontology: bool = True, trusted: bool = False
    ) -> None:
        import pyoxigraph as ox

        self.store = ox.Store()
        if with_ontology:
            self.store.bulk_load(
                path=str(ontology_dir() / "alliance.ttl"), format=ox.RdfFormat.TURTLE
            )
        if data is not None:
            self.load(data, trusted=trusted)

    @classmethod
    def of_store(cls, store: Any) -> EmbeddedStore:
        """Queries over a pyoxigraph store already holding what a loaded one holds
        (the graph, the ontology, the entailment): the on-disk store of
        :mod:`graph.sparql.ondisk`."""
        made = cls.__new__(cls)
        made.store = store
        return made

    def load(self, data: Path, *, trusted: bool = False) -> None:
        """Load a built folder or an N-Triples / Turtle file, then add the
        ``ag:dependsOn`` entailment (``trusted`` as for the constructor).

        One ``Store.load`` of the whole file: pyoxigraph's in-memory store takes
        one writer at a time, so pieces loaded by several threads took as long
        (10M statements: 38.2 s in two threads, 39.5 s in one).
        """
        import pyoxigraph as ox

        path = Path(data)
        if path.is_dir():
            path = path / "alliance.nt"
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
        if fmt is None:
            raise QueryError(
                f"cannot tell the RDF format of {path.name}",
                path=path,
                hint="use a .nt, .nq, .ttl or .trig file",
            )
        try:
            self.store.load(path=str(path), format=fmt, lenient=trusted)
        except SyntaxError as exc:
            raise QueryError(f"does not parse: {exc}", path=path, field="rdf") from exc
        self.entail()

    def entail(self) -> None:
        """Add ``?s ag:dependsOn ?o`` for every fact of a sub-property of ``ag:dependsOn``."""
        self.store.update(DEPENDENCY_ENTAILMENT)

    def to_ntriples(self) -> bytes:
        """Everything the store holds (data, ontology, entailment) as N-Triples."""
        import pyoxigraph as ox

        dumped = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        assert dumped is not None
        return dumped

    def query(self, sparql: str, bindings: Mapping[str, OxTerm] | None = None) -> Results:
        """Run a SELECT or ASK; ``bindings`` are RDF terms bound as inline data."""
        import pyoxigraph as ox

        result = self._run(sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            return Results([], boolean=bool(result))
        variables = [v.value for v in result.variables]
        return Results(variables, list(_rows(result, variables)))

    def stream(
        self, sparql: str, bindings: Mapping[str, OxTerm] | None = None
    ) -> tuple[list[str], Iterator[dict[str, Term]]]:
        """A SELECT's variables and its rows one at a time, as :meth:`query` gives
        them: a large answer (the tables of :mod:`graph.index`) is never held whole."""
        import pyoxigraph as ox

        result = self._run(sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            raise QueryError("an ASK query gives no rows", field="sparql")
        variables = [v.value for v in result.variables]
        return variables, _rows(result, variables)

    def _run(self, sparql: str, bindings: Mapping[str, OxTerm] | None) -> Any:
        import pyoxigraph as ox

        text, inserted = inline(sparql, bindings or {})
        try:
            result = self.store.query(text)
        except SyntaxError as exc:
            raise syntax_error(exc, sparql, inserted, locate=True) from exc
        except (OSError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}", field="sparql") from exc
        if not isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            raise QueryError(
                "only SELECT and ASK queries give rows",
                field="sparql",
                hint="CONSTRUCT and DESCRIBE are not supported here",
            )
        return result


def _rows(result: Any, variables: list[str]) -> Iterator[dict[str, Term]]:
    """Each solution as a row of SPARQL JSON terms."""
    # Result terms repeat (labels, predicates, dates): convert each once (forgetting
    # them now and then, so that a streamed answer of millions of rows stays small).
    converted: dict[Any, Term] = {}
    try:
        yield from _converted(result, variables, converted)
    except (OSError, RuntimeError) as exc:  # the engine fails while giving rows
        raise QueryError(f"query failed: {exc}", field="sparql") from exc


def _converted(
    result: Any, variables: list[str], converted: dict[Any, Term]
) -> Iterator[dict[str, Term]]:
    for solution in result:
        if len(converted) > 200_000:
            converted.clear()
        row = {}
        for index, name in enumerate(variables):
            term = solution[index]
            if term is not None:
                found = converted.get(term)
                if found is None:
                    found = converted[term] = _json_term(term)
                row[name] = found
        yield row


def _json_term(term: Any) -> Term:
    """A pyoxigraph term in its normalised SPARQL JSON form (see
    :func:`normalise_term`), with the common kinds built directly: this runs
    once per distinct term of a result, 85k times for a 42k-row timeline."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language.lower()}
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return {"type": "literal", "value": term.value}
    out = {"type": "literal", "value": term.value, "datatype": datatype}
    return normalise_term(out) if datatype in _RENORMALISED else out


_XSD_STRING = XSD + "string"
_RENORMALISED = frozenset(XSD + name for name in ("decimal", "integer", "long", "int", "boolean"))


class RemoteStore:
    """Any SPARQL 1.1 Protocol endpoint.

    Parameters
    ----------
    endpoint : str
        The query URL, e.g. ``http://127.0.0.1:7878/query``.
    graph : str, optional
        Scope queries to this named graph (sent as ``default-graph-uri``), for
        servers holding other data too.
    credentials : Credentials, optional
        For servers that ask for them.
    timeout : float
        Seconds before giving up.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        graph: str | None = None,
        credentials: Credentials | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.endpoint = endpoint
        self.graph = graph
        self.credentials = credentials
        self.timeout = timeout
        # One client for the store's queries: its connection is kept between them
        # (a new client per query cost 50-120 ms of set-up each).
        self._client: Any = None

    def _http(self) -> Any:
        if self._client is None:
            import weakref

            import httpx

            self._client = httpx.Client()
            weakref.finalize(self, self._client.close)
        return self._client

    def query(self, sparql: str, bindings: Mapping[str, OxTerm] | None = None) -> Results:
        """POST the query (parameters as a VALUES block of escaped terms)."""
        if UPDATE.match(sparql):
            raise update_refused()
        text, inserted = inline(sparql, bindings or {})
        data = {"query": text}
        if self.graph:
            data["default-graph-uri"] = self.graph
        headers = {"Accept": "application/sparql-results+json"}
        response = http_request(
            "POST",
            self.endpoint,
            data=data,
            headers=headers,
            timeout=self.timeout,
            credentials=self.credentials,
            client=self._http(),
        )
        if response.status_code == 400:
            raise syntax_error(
                QueryError(body_line(response)),
                sparql,
                inserted,
                prefix="the endpoint refused the query",
            )
        if response.status_code >= 300:
            raise http_error(response, self.endpoint, self.credentials)
        try:
            return results_from_json(response.json())
        except ValueError as exc:
            missing = str(exc)
            if isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
                kind = response.headers.get("Content-Type", "").partition(";")[0].strip()
                missing = f"the answer is {kind or 'untyped'}, not JSON"
            raise EndpointError(
                f"{redact(self.endpoint)} did not answer with SPARQL JSON results ({missing})",
                field="endpoint",
                hint="give the server's SPARQL query URL: …/query on Oxigraph, "
                "…/sparql on Virtuoso",
            ) from exc


def graph_payload(built: Path) -> bytes:
    """What the embedded store holds, as one N-Triples document: the built graph,
    the ontology and the ``ag:dependsOn`` entailment.

    So a query gives the same rows embedded, served or published, and queries
    following ``rdfs:subPropertyOf`` or ``ag:dependsOn+`` work on every server.
    """
    return EmbeddedStore(built, trusted=True).to_ntriples()
