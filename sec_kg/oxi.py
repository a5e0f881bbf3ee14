"""The one bridge between rdflib terms and graphs and pyoxigraph, the fast SPARQL engine.

rdflib parses, validates and serialises; pyoxigraph evaluates SPARQL. These
helpers move data between the two without going through files. A term crossing
between processes travels as a plain tuple (``encode``/``decode``): cheap to pickle, and
a query process needs no rdflib term to write one. A plain string literal becomes rdflib's
literal without a datatype, as rdflib's own parsers read it, wherever it comes from.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD


def store_of(data: Graph | Dataset) -> ox.Store:
    """An in-memory pyoxigraph store holding the triples (or quads, with their graph names)."""
    store = ox.Store()
    fmt, rdf_format = ("nquads", ox.RdfFormat.N_QUADS) if isinstance(data, Dataset) else ("nt", ox.RdfFormat.N_TRIPLES)
    store.bulk_load(data.serialize(format=fmt, encoding="utf-8"), format=rdf_format)
    return store


def to_ox(term):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)


def encode(term) -> tuple:
    """A pyoxigraph term as a plain tuple: ``("u", iri)``, ``("b", id)`` or ``("l", value, datatype, language)``."""
    if isinstance(term, ox.NamedNode):
        return ("u", term.value)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if isinstance(term, ox.Literal):
        return ("l", term.value, term.datatype.value, term.language)
    return ("l", str(term), None, None)  # an RDF-star triple term: shown as text


def decode(encoded: tuple):
    """The rdflib term of an encoded tuple (``encode``, or a SPARQL JSON binding read as one)."""
    kind, value = encoded[0], encoded[1]
    if kind == "u":
        return URIRef(value)
    if kind == "b":
        return BNode(value)
    datatype, language = encoded[2], encoded[3]
    if language:
        return Literal(value, lang=language)
    if datatype in (None, str(XSD.string), str(RDF.langString)):
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    return decode(encode(term))
