"""Every format the service reads or writes, defined once.

pyoxigraph's ``RdfFormat`` and ``QueryResultsFormat`` know a format's media type and file
extension and write it; what they do not know is added here: the other media types clients
send for it, the short names of ``format=``, the W3C format IRI of the service description,
rdflib's name where rdflib writes it, and whether a dump in it keeps the named graphs.
The protocol (``sec_kg.protocol``), the query processes (``sec_kg.store.answers``), the
writers (``sec_kg.serialize``) and the dumps (``sec_kg.dumps``) all look formats up here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

#: the W3C's format IRIs (service descriptions name result formats with them)
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """A format: ``key`` (the name used in code), pyoxigraph's format (``native``, None for HTML), other media
    types clients ask for it by, the ``format=`` names, rdflib's name, the W3C format name, and whether
    a dump in it keeps one named graph per source file."""

    key: str
    native: ox.RdfFormat | ox.QueryResultsFormat | None
    aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    rdflib: str = ""
    w3c: str = ""
    keeps_graphs: bool = False

    @property
    def mimetype(self) -> str:
        return self.native.media_type.split(";")[0] if self.native else "text/html"

    @property
    def ext(self) -> str:
        return self.native.file_extension if self.native else "html"

    @property
    def content_type(self) -> str:
        textual = self.mimetype.startswith("text/") or self.mimetype.endswith(("json", "xml", "triples", "quads", "trig"))
        return f"{self.mimetype}; charset=utf-8" if textual else self.mimetype


JSON = Format("json", ox.QueryResultsFormat.JSON, ("application/json",), ("json", "srj"), "json", "SPARQL_Results_JSON")
XML = Format("xml", ox.QueryResultsFormat.XML, ("application/xml", "text/xml"), ("xml", "srx"), "xml", "SPARQL_Results_XML")
CSV = Format("csv", ox.QueryResultsFormat.CSV, (), ("csv",), w3c="SPARQL_Results_CSV")
TSV = Format("tsv", ox.QueryResultsFormat.TSV, (), ("tsv",), w3c="SPARQL_Results_TSV")
TURTLE = Format("turtle", ox.RdfFormat.TURTLE, ("application/turtle", "application/x-turtle", "text/rdf+n3", "text/n3"),
                ("turtle", "ttl", "n3"), "turtle", "Turtle")  # Turtle is N3 too
NTRIPLES = Format("ntriples", ox.RdfFormat.N_TRIPLES, ("text/plain",), ("nt", "ntriples", "n-triples"), "nt", "N-Triples")
JSONLD = Format("jsonld", ox.RdfFormat.JSON_LD, ("application/x-json+ld", "application/json"),
                ("jsonld", "json-ld", "json"), "json-ld", "JSON-LD")
RDFXML = Format("rdfxml", ox.RdfFormat.RDF_XML, ("application/xml", "text/xml"), ("rdfxml", "rdf", "xml", "owl"), "xml", "RDF_XML")
NQUADS = Format("nquads", ox.RdfFormat.N_QUADS, (), ("nq", "nquads"), "nquads", "N-Quads", keeps_graphs=True)
TRIG = Format("trig", ox.RdfFormat.TRIG, (), ("trig",), "trig", "TriG", keeps_graphs=True)
HTML = Format("html", None, ("application/xhtml+xml",), ("html",))

#: SELECT and ASK answers
RESULT_FORMATS = (JSON, XML, CSV, TSV)
#: CONSTRUCT and DESCRIBE answers, and resource documents
GRAPH_FORMATS = (TURTLE, NTRIPLES, JSONLD, RDFXML)
#: the dumps: every one for the whole graph, those that do not keep graphs for a State's subset
DUMP_FORMATS = (TURTLE, NTRIPLES, JSONLD, NQUADS, TRIG)
BY_KEY = {fmt.key: fmt for fmt in RESULT_FORMATS + GRAPH_FORMATS + DUMP_FORMATS + (HTML,)}
BY_EXTENSION = {fmt.ext: fmt for fmt in DUMP_FORMATS}


def native(key: str) -> ox.RdfFormat | ox.QueryResultsFormat:
    """pyoxigraph's format for a key such as ``"turtle"`` or ``"json"``."""
    return BY_KEY[key].native


def is_result(key: str | None) -> bool:
    return key in BY_KEY and BY_KEY[key] in RESULT_FORMATS


def is_graph(key: str | None) -> bool:
    return key in BY_KEY and BY_KEY[key] in GRAPH_FORMATS
