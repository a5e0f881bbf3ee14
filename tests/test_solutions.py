"""The SPARQL results writers, read back by rdflib's parsers: the query processes' (pyoxigraph,
cut at the result cap) and the web process's for rdflib terms (a remote store, the canned queries)."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from sec_kg.formats import CSV, RESULT_FORMATS
from sec_kg.protocol import write_solutions
from sec_kg.store import Solutions
from sec_kg.store.answers import serialize_solutions

TERMS = {
    "iri": URIRef("https://w3id.org/sec-kg/id/state/CO"),
    "text": Literal('a "quoted"\ttab,\nnew line and a back\\slash'),
    "spanish": Literal("Instituto Colombiano de Bienestar Familiar", lang="es"),
    "number": Literal("42", datatype=XSD.integer),
    "blank": BNode("b0"),
}
VARIABLES = ["iri", "text", "spanish", "number", "blank", "unbound"]
EX = "https://example.org/"


def _oxigraph_term(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.Literal(str(term), language=term.language) if term.language else \
        ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))


def _results(store: ox.Store):
    """Two rows: every term bound but ``unbound``, then ``iri`` alone (as ``_written`` passes them)."""
    patterns = " ; ".join(f"<{EX}{name}> ?{name}" for name in TERMS if name != "blank")
    return store.query(f"SELECT {' '.join('?' + v for v in VARIABLES)} WHERE {{ {{ ?blank {patterns} }} "
                       f"UNION {{ BIND(<{TERMS['iri']}> AS ?iri) }} }}")


def _store() -> ox.Store:
    store = ox.Store()
    subject = _oxigraph_term(TERMS["blank"])
    for name, term in TERMS.items():
        if name != "blank":
            store.add(ox.Quad(subject, ox.NamedNode(EX + name), _oxigraph_term(term)))
    return store


def _by_query_process(fmt: str) -> bytes:
    body, truncated = serialize_solutions(_results(_store()), fmt, cap=10)
    assert not truncated
    return body


def _by_web_process(fmt: str) -> bytes:
    rows = [TERMS, {"iri": TERMS["iri"]}]
    return write_solutions(Solutions(VARIABLES, rows), next(f for f in RESULT_FORMATS if f.key == fmt))


@pytest.mark.parametrize("write", [_by_query_process, _by_web_process])
@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_every_kind_of_term_reads_back_the_same(write, fmt):
    first, second = sorted(Result.parse(io.BytesIO(write(fmt)), format=fmt), key=lambda row: row["text"] is None)
    for name, term in TERMS.items():
        got = first[name]
        assert isinstance(got, BNode) if isinstance(term, BNode) else got == term, (name, got)
    assert first["unbound"] is None and second["text"] is None and second["iri"] == TERMS["iri"]


@pytest.mark.parametrize("write", [_by_query_process, _by_web_process])
def test_csv_carries_the_plain_values(write):
    rows = list(Result.parse(io.BytesIO(write(CSV.key)), format="csv"))
    row = next(r for r in rows if r["text"] is not None)
    assert str(row["text"]) == str(TERMS["text"]) and str(row["number"]) == "42" and str(row["iri"]) == str(TERMS["iri"])


def _lines_store(n: int) -> ox.Store:
    """``n`` subjects whose labels hold line breaks, so that a row is never counted by a raw line."""
    store = ox.Store()
    for i in range(n):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "label"), ox.Literal(f"line\nbreak {i}\r\n")))
    return store


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("cap, kept, truncated", [(3, 3, True), (5, 5, False), (None, 5, False), (0, 0, True)])
def test_the_query_processes_cut_results_at_the_cap(fmt, cap, kept, truncated):
    store = _lines_store(5)
    body, cut = serialize_solutions(store.query(f"SELECT ?s ?label WHERE {{ ?s <{EX}label> ?label }} ORDER BY ?s"), fmt, cap)
    rows = list(Result.parse(io.BytesIO(body), format=fmt))
    assert cut is truncated
    assert [str(row["s"]) for row in rows] == [f"{EX}s{i}" for i in range(kept)]
    assert all(str(row["label"]).startswith("line\nbreak ") for row in rows)


def test_a_result_without_variables_keeps_its_one_empty_row():
    body, truncated = serialize_solutions(ox.Store().query("SELECT * WHERE { }"), "json", cap=10)
    assert body.endswith(b'"bindings":[{}]}}') and not truncated
