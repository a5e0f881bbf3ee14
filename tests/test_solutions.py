"""The SPARQL results writers of the query processes (``sec_kg.solutions``), read back by rdflib's parsers."""

from __future__ import annotations

import io

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from sec_kg import solutions
from sec_kg.store import encode_rdflib

TERMS = {
    "iri": URIRef("https://w3id.org/sec-kg/id/state/CO"),
    "text": Literal('a "quoted"\ttab,\nnew line and a back\\slash'),
    "spanish": Literal("Instituto Colombiano de Bienestar Familiar", lang="es"),
    "number": Literal("42", datatype=XSD.integer),
    "blank": BNode("b0"),
}


def _written(fmt: str, rows: list[dict]) -> Result:
    body = solutions.write(["iri", "text", "spanish", "number", "blank", "unbound"],
                           [{k: encode_rdflib(v) for k, v in row.items()} for row in rows], fmt)
    return Result.parse(io.BytesIO(body), format=fmt)


@pytest.mark.parametrize("fmt", ["json", "tsv"])
def test_every_kind_of_term_reads_back_the_same(fmt):
    result = _written(fmt, [TERMS, {"iri": TERMS["iri"]}])
    first, second = list(result)
    for name, term in TERMS.items():
        got = first[name]
        assert isinstance(got, BNode) if isinstance(term, BNode) else got == term, (name, got)
    assert first["unbound"] is None and second["text"] is None and second["iri"] == TERMS["iri"]


def test_csv_carries_the_plain_values():
    result = _written("csv", [TERMS])
    row = next(iter(result))
    assert str(row["text"]) == str(TERMS["text"]) and str(row["number"]) == "42" and str(row["iri"]) == str(TERMS["iri"])


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="no writer for 'xml'"):
        solutions.write(["x"], [], "xml")
