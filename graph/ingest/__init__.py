"""Adding documents: from a new text to reviewed, quoted claims.

One module, one job:

- :mod:`~graph.ingest.text` — normalisation with offsets back to the source, sentences;
- :mod:`~graph.ingest.cues` — the ontology's cue words (``ag:cue``) found in text;
- :mod:`~graph.ingest.linker` — mentions of known entities, acronyms, ambiguity;
- :mod:`~graph.ingest.candidates` — names that link to nothing yet;
- :mod:`~graph.ingest.values` — dates at their precision, money amounts;
- :mod:`~graph.ingest.drafts` — ranked claim proposals per sentence;
- :mod:`~graph.ingest.analyse` — one document through all of these, as YAML;
- :mod:`~graph.ingest.document` — a file into ``sources/<id>/``, whole or not at all;
- :mod:`~graph.ingest.review` — accepted drafts into ``claims.yaml``, checked first;
- :mod:`~graph.ingest.diff` — what changed between two graphs, with quotes.

Only ``document`` and ``review`` touch files; ``diff`` reads graphs.
"""
