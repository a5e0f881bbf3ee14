"""Where SPARQL queries run: the embedded pyoxigraph store (``embedded``) or a remote SPARQL 1.1
endpoint (``remote``), behind one interface (``Store``).

Both stores answer the same calls with the same limits — a time limit, a cap on rows and on
bytes, and refusals decided by ``sec_kg.querytext`` on the very text they run — so the web
layer and the CLI never know which one they talk to. Every query goes through ``Store.query``:
there is no path around the checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from rdflib import Graph

from ..namespaces import bind_prefixes
from ..querytext import ASK, CONSTRUCT, DESCRIBE, NO_SERVICE, SELECT, QueryText, QueryTextError, read_query

__all__ = ["ASK", "CONSTRUCT", "DESCRIBE", "SELECT", "QueryDataset", "UNION", "Solutions", "Triples", "Serialized",
           "QueryError", "QueryRefused", "QueryTimeout", "StoreUnavailable", "Limits", "Store"]


#: an absolute IRI as SPARQL writes it between < and > (a query's base IRI, a dataset's graphs)
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*")


class QueryError(Exception):
    """The store rejected the query (syntax it does not accept, evaluation error): the client's fault."""


class QueryTimeout(Exception):
    """The query ran past the time limit (or no query process was free in time) and was cut."""


class QueryRefused(Exception):
    """The query may not run now or here: HTTP ``status`` (429: too many at once from one client) and why."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after


class StoreUnavailable(Exception):
    """The store could not be reached or crashed while answering."""


@dataclass
class Solutions:
    """SELECT results as rdflib terms; ``truncated`` when the result cap cut them short."""

    variables: list[str]
    rows: list[dict[str, object]]
    truncated: bool = False


@dataclass
class Triples:
    """CONSTRUCT/DESCRIBE results as N-Triples (cheap to move and to re-serialise with pyoxigraph);
    ``graph`` parses them with rdflib only for code that walks them. ``truncated`` as for Solutions."""

    ntriples: bytes
    truncated: bool = False

    @cached_property
    def graph(self) -> Graph:
        return bind_prefixes(Graph()).parse(data=self.ntriples, format="nt")


@dataclass
class Serialized:
    """An answer the store has already written in the client's format (``fmt`` of ``Store.query``)."""

    body: bytes
    truncated: bool = False


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset of a query (SPARQL Protocol ``default-graph-uri``/``named-graph-uri``).

    Empty lists mean the service default: the union of all named graphs as default
    graph, every named graph available to ``GRAPH``.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


UNION = QueryDataset()


@dataclass(frozen=True)
class Limits:
    """What one query may use; the defaults are the server's (see ``sec_kg.server.OPTIONS``)."""

    timeout: float = 5.0
    #: most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) of an answer
    cap: int = 10000
    #: most bytes of a written answer; more rows are cut and the answer flagged, as for ``cap``
    max_bytes: int = 16 * 1024 * 1024
    #: memory a query process may take on top of the loaded data (embedded store)
    query_memory: int = 1024 * 1024 * 1024
    #: let queries use SERVICE (and query processes open network connections)
    allow_service: bool = False


class Store:
    """What the web layer and the CLI need from a store; subclasses implement ``_run``."""

    def __init__(self, limits: Limits = Limits()):
        self.limits = limits

    @property
    def timeout(self) -> float:
        return self.limits.timeout

    @property
    def cap(self) -> int:
        return self.limits.cap

    def read(self, text: str | QueryText) -> QueryText:
        """``text`` normalised and checked against this store's limits (``QueryTextError`` if refused)."""
        query = text if isinstance(text, QueryText) else read_query(text, self.limits.allow_service)
        if query.uses_service and not self.limits.allow_service:
            raise QueryTextError(403, NO_SERVICE)
        return query

    def query(self, text: str | QueryText, dataset: QueryDataset = UNION, *, cap: int | None = -1,
              fmt: str | None = None, timeout: float | None = None, client: str | None = None,
              base_iri: str | None = None):
        """Run a query and return Solutions, bool, Triples or Serialized.

        ``cap=None`` lifts the result caps (whole-graph dumps); a time limit always applies:
        ``timeout`` seconds if given (the service's own queries of known cost), else the store's.
        ``fmt`` names the format the caller will write (a ``Format.key``): a graph then comes back
        as ``Serialized`` bytes in it from every store, SELECT results from the embedded one.
        ``client`` names who sent an ad-hoc query (an address): the embedded store shares its
        processes fairly between clients; ``None`` marks the service's own queries.
        ``base_iri`` resolves the query's relative IRIs (the request's IRI, as the protocol wants).
        """
        query = self.read(text)
        if base_iri is not None and not ABSOLUTE_IRI.fullmatch(base_iri):
            base_iri = None  # not an IRI that can be written in a query: relative IRIs stay unresolved
        return self._run(query, dataset, self.cap if cap == -1 else cap, fmt, timeout or self.timeout, client, base_iri)

    def select(self, text: str, dataset: QueryDataset = UNION) -> Solutions:
        return self.query(text, dataset)

    def ask(self, text: str, dataset: QueryDataset = UNION) -> bool:
        return self.query(text, dataset)

    def construct(self, text: str, dataset: QueryDataset = UNION, cap: int | None = -1) -> Triples:
        return self.query(text, dataset, cap=cap)

    def describe(self, text: str, dataset: QueryDataset = UNION) -> Triples:
        return self.query(text, dataset)

    def _run(self, query: QueryText, dataset: QueryDataset, cap: int | None, fmt: str | None, timeout: float,
             client: str | None, base_iri: str | None = None):
        raise NotImplementedError

    def close(self) -> None:
        """Release query processes or connections."""
