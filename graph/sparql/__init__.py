"""SPARQL over the built graph: one interface, an embedded and a remote back end.

One job per module, in the order a query travels:

* :mod:`~graph.sparql.catalogue` — the named competency queries
  (``graph/queries/*.rq`` with a header of title, description and parameters);
* :mod:`~graph.sparql.lexer` — the small SPARQL tokenizer the others share;
* :mod:`~graph.sparql.binding` — parameters bound as RDF terms in a ``VALUES``
  row, and the project's default prefixes;
* :mod:`~graph.sparql.syntax` — parser messages mapped back to the user's
  line and column;
* :mod:`~graph.sparql.engines` — :class:`EmbeddedStore` (Oxigraph in this
  process) and :class:`RemoteStore` (any SPARQL 1.1 Protocol endpoint);
* :mod:`~graph.sparql.results` — result rows and their JSON / CSV / table forms;
* :mod:`~graph.sparql.http` — HTTP requests, credentials and clear error lines;
* :mod:`~graph.sparql.publish` — uploading the graph to a Graph Store endpoint.

Submodules are imported by name (``from graph.sparql.engines import
EmbeddedStore``); this package re-exports nothing, so no name here can
shadow a submodule.
"""
