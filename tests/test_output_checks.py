"""The output stage's own checks and writers: the N-Triples parse that feeds Turtle and
JSON-LD is alliance.nt's strict parse-back, counts given by the caller are still
compared, and the N-Triples writer escapes exactly the characters it must (a literal
without any is written as it is)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from graph import build, ntriples
from graph.build import check_outputs, serialize_outputs
from graph.errors import OutputError


def small_graph() -> Graph:
    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
    g.add((URIRef("urn:a"), URIRef("urn:q"), URIRef("urn:b")))
    return g


def test_an_unparsable_ntriples_text_fails_the_outputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A strict parse: a relative IRI (which the lenient parser lets through) is refused."""
    monkeypatch.setattr(build, "serialize_ntriples", lambda g: b"<a> <urn:p> <urn:o> .\n")
    with pytest.raises(OutputError, match=r"alliance\.nt: build: .*does not parse back"):
        serialize_outputs(small_graph())


def test_counts_given_as_parsed_are_compared() -> None:
    good = build.serialize_ntriples(small_graph())
    check_outputs({"alliance.nt": good}, 2, parsed={"alliance.nt": 2})
    with pytest.raises(OutputError, match="parses back to 3 triples, not 2"):
        check_outputs({"alliance.nt": good}, 2, parsed={"alliance.nt": 3})
    with pytest.raises(OutputError, match="parses back to 2 triples, not 3"):
        check_outputs({"alliance.nt": good}, 3)  # not given: parsed here


def test_an_extra_file_in_place_of_a_serialisation_is_parsed_as_it_is() -> None:
    """Bytes given in place of one of the graph's serialisations (after it was counted)
    are parsed themselves, not taken on the count of the bytes they replace."""
    with pytest.raises(OutputError, match=r"alliance\.jsonld: build: .*does not parse back"):
        serialize_outputs(small_graph(), {"alliance.jsonld": b"{ this is not JSON-LD"})


def test_the_counts_returned_are_given_back_to_a_later_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The build parses its own serialisations back before it waits for the files made
    beside it; the counts that call returns spare the later call a second parse."""
    import pyoxigraph

    graph = small_graph()
    blobs = {
        "alliance.nt": build.serialize_ntriples(graph),
        "alliance.ttl": build.serialize_turtle(graph),
    }
    counts = check_outputs(blobs, 2)
    assert counts == {"alliance.nt": 2, "alliance.ttl": 2}

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(pyoxigraph, "parse", no_parse)
    assert check_outputs(blobs, 2, parsed=counts) == counts
    with pytest.raises(OutputError, match="parses back to 2 triples, not 3"):
        check_outputs(blobs, 3, parsed=counts)  # given, still compared


ESCAPED = [chr(c) for c in ntriples._ESCAPES]


@pytest.mark.parametrize("char", [*ESCAPED, "\t", "é", "a"], ids=repr)
def test_literals_are_escaped_exactly_where_needed(char: str) -> None:
    text = f"left{char}right"
    (line,) = ntriples.lines([(URIRef("urn:a"), URIRef("urn:p"), Literal(text))])
    body = line[:-1]
    assert not any(c in body for c in "\n\r\x0b\x0c\x85\u2028\u2029")
    escaped = char.translate(ntriples._ESCAPES)
    assert f'"left{escaped}right"' in body  # raw only when the table keeps it raw
    assert (escaped == char) == (char not in ESCAPED)
    (triple,) = ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert triple.object.value == text
