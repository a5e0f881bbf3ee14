"""A remote SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, Fuseki...) as a ``Store``, through SPARQLWrapper.

The text it sends is the one ``sec_kg.querytext`` checked, with PREFIX lines for the project
prefixes the query uses without declaring them; answers are capped and written like the
embedded store's.
"""

from __future__ import annotations

import socket
import urllib.error

from ..formats import is_graph
from ..oxi import decode
from ..querytext import ASK, SELECT, QueryText
from . import Limits, QueryDataset, QueryError, QueryTimeout, Serialized, Solutions, Store, StoreUnavailable, Triples
from .answers import capped, serialize_graph


def _from_json(binding: dict):
    """An rdflib term from a SPARQL 1.1 JSON results binding."""
    kind = binding["type"]
    if kind == "uri":
        return decode(("u", binding["value"]))
    if kind == "bnode":
        return decode(("b", binding["value"]))
    return decode(("l", binding["value"], binding.get("datatype"), binding.get("xml:lang")))


class RemoteStore(Store):
    """Any SPARQL 1.1 endpoint, with the same limits as the embedded store."""

    def __init__(self, url: str, limits: Limits = Limits()):
        super().__init__(limits)
        self.url = url

    def _run(self, query: QueryText, dataset: QueryDataset, cap, fmt, timeout, client, base_iri=None):
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        form = query.form
        sparql = SPARQLWrapper(self.url)
        sparql.setMethod(POST)
        sparql.setTimeout(max(1, round(timeout)))
        base = "" if base_iri is None else f"BASE <{base_iri}>\n"
        sparql.setQuery(base + query.prologue() + query.text)
        sparql.queryType = form  # SPARQLWrapper guesses the form by regex and takes `sec:creates` for CREATE (an update)
        for graph in dataset.default_graphs:
            sparql.addDefaultGraph(graph)
        for graph in dataset.named_graphs:
            sparql.addNamedGraph(graph)
        sparql.setReturnFormat(JSON if form in (SELECT, ASK) else TURTLE)
        try:
            answer = sparql.query().convert()
        except QueryBadFormed as exc:
            raise QueryError(f"the store rejected the query: {exc}") from None
        except (socket.timeout, TimeoutError):
            raise QueryTimeout(f"the store did not answer within the time limit of {timeout:g} s") from None
        except urllib.error.HTTPError as exc:  # a status SPARQLWrapper does not map (503 from a time limit...)
            message = exc.read().decode("utf-8", "replace").strip() or exc.reason
            if exc.code == 503:
                raise QueryTimeout(f"the store gave up: {message}") from None
            raise StoreUnavailable(f"the store answered {exc.code}: {message}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                raise QueryTimeout(f"the store did not answer within the time limit of {timeout:g} s") from None
            raise StoreUnavailable(f"the store at {self.url} could not be reached: {exc.reason}") from None
        except SPARQLWrapperException as exc:
            raise StoreUnavailable(f"the store at {self.url} failed: {exc}") from None
        if form == ASK:
            if "boolean" not in answer:  # Virtuoso answers ASK as one row binding ?__ASK_RETVAL to 1 or 0
                bindings = answer.get("results", {}).get("bindings") or [{}]
                return any(v.get("value") in ("1", "true") for v in bindings[0].values())
            return bool(answer["boolean"])
        if form == SELECT:
            variables = answer["head"].get("vars", [])
            kept, truncated = capped(answer["results"]["bindings"], cap)
            return Solutions(variables, [{k: _from_json(v) for k, v in b.items()} for b in kept], truncated)
        import pyoxigraph as ox

        try:
            triples = [quad.triple for quad in ox.parse(answer, format=ox.RdfFormat.TURTLE)]
        except SyntaxError as exc:
            raise StoreUnavailable(f"the store at {self.url} sent Turtle that does not parse: {exc}") from None
        body, truncated = serialize_graph(triples, fmt if is_graph(fmt) else "ntriples", cap,
                                          None if cap is None else self.limits.max_bytes)
        return Serialized(body, truncated) if is_graph(fmt) else Triples(body, truncated)
