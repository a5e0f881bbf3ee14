"""SPARQL SELECT results written from plain term tuples: JSON, CSV and TSV.

Terms travel as tuples (``("u", iri)``, ``("b", id)``, ``("l", text, datatype, language)``),
the form query processes send back (see ``sec_kg.store``). Writing from them needs no rdflib,
so a query process answers ``/sparql`` in the client's format itself, and the web process
only forwards bytes; the same writers serve results that arrive as rdflib terms (a remote
store, the canned-query API) once encoded.
"""

from __future__ import annotations

import csv
import io
import json

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
FORMATS = ("json", "csv", "tsv")

_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _json_term(term: tuple) -> dict:
    kind = term[0]
    if kind == "u":
        return {"type": "uri", "value": term[1]}
    if kind == "b":
        return {"type": "bnode", "value": term[1]}
    answer = {"type": "literal", "value": term[1]}
    if term[3]:
        answer["xml:lang"] = term[3]
    elif term[2] and term[2] not in (XSD_STRING, RDF_LANG_STRING):
        answer["datatype"] = term[2]
    return answer


def _tsv_term(term: tuple | None) -> str:
    """A term in the Turtle syntax the TSV results format asks for."""
    if term is None:
        return ""
    kind = term[0]
    if kind == "u":
        return f"<{term[1]}>"
    if kind == "b":
        return f"_:{term[1]}"
    text = '"' + term[1].translate(_TSV_ESCAPES) + '"'
    if term[3]:
        return f"{text}@{term[3]}"
    if term[2] and term[2] not in (XSD_STRING, RDF_LANG_STRING):
        return f"{text}^^<{term[2]}>"
    return text


def write(variables: list[str], rows: list[dict[str, tuple]], fmt: str) -> bytes:
    """``rows`` (variable -> term tuple, unbound variables absent) in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "json":
        bindings = [{name: _json_term(term) for name, term in row.items()} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + name for name in variables)]
        lines += ["\t".join(_tsv_term(row.get(name)) for name in variables) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if name not in row else row[name][1] for name in variables])
        return out.getvalue().encode("utf-8")
    raise ValueError(f"no writer for {fmt!r}; use one of {', '.join(FORMATS)}")
