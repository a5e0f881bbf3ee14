"""Bridges between rdflib terms and graphs and pyoxigraph, the fast SPARQL engine.

rdflib parses, validates and serialises; pyoxigraph evaluates SPARQL. These
helpers move data between the two without going through files.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef


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


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))

