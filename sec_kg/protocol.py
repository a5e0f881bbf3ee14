"""The SPARQL 1.1 Protocol: reading a request, checking the query, choosing and writing the answer format.

Every way a request can be wrong ends in a ``ProtocolError`` carrying an HTTP status
and one short plain-text sentence, so clients never see a traceback. An update is
refused, and so is ``SERVICE`` unless the operator allows federation: decided by parsing
the query text in one linear pass (``sec_kg.querytext``) — the text that runs is the text checked.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Variable
from rdflib.query import Result
from werkzeug.datastructures import MIMEAccept

from .formats import CSV, JSON, NTRIPLES, TSV, Format
from .querytext import ASK, READ_ONLY, SELECT
from .store import ABSOLUTE_IRI, QueryDataset, Solutions, Triples
from .store.answers import serialize_triples

QUERY_MEDIA = "application/sparql-query"
FORM_MEDIA = "application/x-www-form-urlencoded"
UPDATE_MEDIA = "application/sparql-update"


class ProtocolError(Exception):
    """A request the service refuses: HTTP ``status`` and a one-line reason for the client."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# --- choosing the format (the formats themselves: sec_kg.formats) ----------------------------

def _named_format(name: str, offered: tuple[Format, ...]) -> Format:
    """The format a ``format=`` value names: a short name, a media type or a comma-separated list of them."""
    for wanted in name.lower().split(","):
        wanted = wanted.strip()
        for fmt in offered:
            if wanted in fmt.names or wanted == fmt.mimetype or wanted in fmt.aliases:
                return fmt
    choices = ", ".join(fmt.names[0] for fmt in offered)
    raise ProtocolError(400, f"unknown format {name!r}; use one of: {choices}")


def negotiate(accept: MIMEAccept, format_names, offered: tuple[Format, ...]) -> Format:
    """The answer format: ``format=`` wins, then the best ``Accept`` match (q-values), else the first offered.

    ``format_names`` is a name or a list: SPARQLWrapper sends ``format`` twice (``tsv`` and its media type),
    which is fine as long as both name the same format.
    """
    names = [format_names] if isinstance(format_names, str) else [n for n in format_names or () if n]
    if names:
        chosen = {_named_format(name, offered) for name in names}
        if len(chosen) > 1:
            raise ProtocolError(400, f"the 'format' parameter names {len(chosen)} different formats; give one")
        return chosen.pop()
    if not accept:
        return offered[0]
    by_type = {}
    for fmt in offered:
        for media in (fmt.mimetype, *fmt.aliases):
            by_type.setdefault(media, fmt)
    best = accept.best_match(list(by_type))
    if best is None:
        choices = ", ".join(fmt.mimetype for fmt in offered)
        raise ProtocolError(406, f"none of the accepted media types can be served; available: {choices}")
    return by_type[best]


# --- requests --------------------------------------------------------------------------------

@dataclass
class SparqlRequest:
    """What a protocol request asks for: the query text (None when absent), its dataset and ``format=``."""

    query: str | None
    dataset: QueryDataset
    format_names: list[str]


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the {what} is not valid UTF-8 (byte {exc.start})") from None


def _params(raw: bytes, what: str) -> dict[str, list[str]]:
    """URL-encoded parameters, refusing bytes or %-escapes that are not UTF-8 (werkzeug would replace them)."""
    text = _utf8(raw, what)
    try:
        return urllib.parse.parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {what} has %-escapes that are not valid UTF-8") from None


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(400, f"the {name!r} parameter is given {len(values)} times; give it once")
    return values[0] if values else None


def read_request(method: str, query_string: bytes, mimetype: str, body: bytes) -> SparqlRequest:
    """Read a GET, URL-encoded POST or direct POST query request (SPARQL 1.1 Protocol, section 2.1)."""
    url = _params(query_string, "URL query string")
    if method in ("GET", "HEAD"):
        params = url
    elif mimetype == FORM_MEDIA:
        params = _params(body, "request body")
        for name in ("default-graph-uri", "named-graph-uri", "format"):
            params.setdefault(name, url.get(name, []))
    elif mimetype == QUERY_MEDIA:
        if "query" in url:
            raise ProtocolError(400, "the query is both in the body and in the URL; send it once")
        params = dict(url, query=[_utf8(body, "request body")])
    elif mimetype == UPDATE_MEDIA:
        raise ProtocolError(400, READ_ONLY)
    elif not mimetype:
        raise ProtocolError(415, f"a POST needs a Content-Type: {FORM_MEDIA} or {QUERY_MEDIA}")
    else:
        raise ProtocolError(415, f"unsupported Content-Type {mimetype}; use {FORM_MEDIA} or {QUERY_MEDIA}")
    if "update" in params or "using-graph-uri" in params:
        raise ProtocolError(400, READ_ONLY)
    query = _one(params, "query")
    if query is None and method == "POST":
        raise ProtocolError(400, "missing 'query' parameter")
    if query is not None and not query.strip():
        raise ProtocolError(400, "the 'query' parameter is empty")
    dataset = QueryDataset(tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", [])))
    for graph in dataset.default_graphs + dataset.named_graphs:
        if not ABSOLUTE_IRI.fullmatch(graph):
            raise ProtocolError(400, f"graph {graph[:200]!r} is not an absolute IRI")
    return SparqlRequest(query, dataset, params.get("format", []))


# --- answers ---------------------------------------------------------------------------------

def write_solutions(solutions: Solutions, fmt: Format) -> bytes:
    """SELECT results held as rdflib terms (a remote store, the canned-query API) in SPARQL JSON,
    XML, CSV or TSV: rdflib writes JSON, pyoxigraph the others from it, as the query processes do."""
    result = Result(SELECT)
    result.vars = [Variable(v) for v in solutions.variables]
    result.bindings = [{Variable(k): v for k, v in row.items()} for row in solutions.rows]
    body = result.serialize(format="json", encoding="utf-8")
    if fmt is JSON:
        return body
    return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(format=fmt.native)


def write_boolean(answer: bool, fmt: Format) -> bytes:
    """ASK results; CSV/TSV have no boolean form in the standard, so they carry a one-cell table."""
    if fmt in (CSV, TSV):
        return f"{'_askResult' if fmt is CSV else '?_askResult'}\n{str(answer).lower()}\n".encode()
    result = Result(ASK)
    result.askAnswer = answer
    return result.serialize(format=fmt.rdflib, encoding="utf-8")


def write_graph(graph: Graph | Triples, fmt: Format) -> bytes:
    """An RDF graph in Turtle, N-Triples, JSON-LD or RDF/XML.

    Query results (Triples) are re-serialised by pyoxigraph, tens of times faster than
    rdflib on whole-graph dumps; small graphs built in code go through rdflib.
    """
    if isinstance(graph, Graph):
        return graph.serialize(format=fmt.rdflib, encoding="utf-8")
    if fmt is NTRIPLES:
        return graph.ntriples
    return serialize_triples([quad.triple for quad in ox.parse(graph.ntriples, format=ox.RdfFormat.N_TRIPLES)], fmt.key)
