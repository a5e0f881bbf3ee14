"""Where SPARQL queries run: the embedded pyoxigraph store, or a remote SPARQL 1.1 endpoint.

Both stores answer the same calls (``select``, ``ask``, ``construct``, ``describe``,
``query``) with rdflib terms, under the same time limit and result cap, so the web
layer never knows which one it talks to.

pyoxigraph cannot cancel a running query, so the embedded store evaluates queries in
a small pool of worker processes that each hold a copy of the data (a few MB): a
query that overruns is cut by killing its worker, which is replaced in the
background while the other workers keep answering.
"""

from __future__ import annotations

import itertools
import multiprocessing
import queue
import re
import socket
import threading
import time
import urllib.error
from dataclasses import dataclass
from functools import cached_property

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .namespaces import bind_prefixes, sparql_prologue

SELECT, ASK, CONSTRUCT, DESCRIBE = "SELECT", "ASK", "CONSTRUCT", "DESCRIBE"
#: an absolute IRI as SPARQL writes it between < and > (for a query's base IRI)
_IRIREF = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*")


class QueryError(Exception):
    """The store rejected the query (syntax it does not accept, evaluation error): the client's fault."""


class QueryTimeout(Exception):
    """The query ran past the time limit (or no worker was free in time) and was cut."""


class StoreUnavailable(Exception):
    """The store could not be reached or crashed while answering."""


@dataclass
class Solutions:
    """SELECT results; ``truncated`` when the result cap cut them short."""

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


#: result and graph formats the query processes write, by ``Format.key`` (see ``sec_kg.protocol``)
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")


def serialize_triples(triples, fmt: str) -> bytes:
    """pyoxigraph triples in a graph format, sorted and with the project's prefixes (``sec_kg.serialize``)."""
    from .serialize import write

    return write(triples, fmt)


def _capped(items, cap: int | None) -> tuple[list, bool]:
    """The first ``cap`` of ``items`` (all when ``cap`` is None), and whether more were left out."""
    if cap is None:
        return list(items), False
    kept = list(itertools.islice(items, cap + 1))
    return kept[:cap], len(kept) > cap


def results_format(key: str):
    """The pyoxigraph results format of a ``Format.key`` in ``RESULT_FORMATS``."""
    import pyoxigraph as ox

    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[key]


def serialize_solutions(result, fmt: str, cap: int | None) -> Serialized:
    """pyoxigraph SELECT results in a results format, cut after ``cap`` rows.

    They are written as TSV first, where each row is one line (literals escape their line
    breaks), so rows are counted and cut on bytes; other formats are read back from that TSV.
    All of it runs in Rust: 1.5 ms for 1,000 rows, against 8.5 ms when Python encodes each term.
    """
    import pyoxigraph as ox

    tsv = result.serialize(format=ox.QueryResultsFormat.TSV)
    truncated = cap is not None and tsv.count(b"\n") - 1 > cap
    if truncated:
        tsv = b"\n".join(tsv.split(b"\n", cap + 1)[:cap + 1]) + b"\n"  # the header line and ``cap`` rows
    if fmt == "tsv":
        return Serialized(tsv, truncated)
    return Serialized(ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=results_format(fmt)),
                      truncated)


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset of a query (SPARQL Protocol ``default-graph-uri``/``named-graph-uri``).

    Empty lists mean the service default: the union of all named graphs as default
    graph, every named graph available to ``GRAPH``.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


UNION = QueryDataset()

# Each OPTIONAL repeats the pattern it hangs from ($IRI ?p ?o, ?s ?q $IRI): the same answers, but pyoxigraph,
# which evaluates an OPTIONAL's body on its own before joining, then starts from the IRI instead of
# scanning every label and statement of the graph (1.3-3.5x faster at the report's size).
_RESOURCE_QUERY = sparql_prologue() + """
CONSTRUCT {
  $IRI ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 . ?o ?lp ?ol . ?o2 ?lp2 ?ol2 .
  ?s ?q $IRI . ?s ?lq ?sl . ?s ?sp ?so . ?so ?lso ?sol .
} WHERE {
  { $IRI ?p ?o .
    OPTIONAL { $IRI ?p ?o . ?o ?lp ?ol VALUES ?lp { rdfs:label skos:prefLabel } }
    OPTIONAL { $IRI ?p ?o . ?o ?p2 ?o2 FILTER(isBlank(?o) || NOT EXISTS { ?o rdfs:label|skos:prefLabel [] })
               OPTIONAL { $IRI ?p ?o . ?o ?p2 ?o2 . ?o2 ?lp2 ?ol2 VALUES ?lp2 { rdfs:label skos:prefLabel } }
               OPTIONAL { $IRI ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 FILTER(isBlank(?o) && isBlank(?o2)) } } }
  UNION
  { ?s ?q $IRI .
    OPTIONAL { ?s ?q $IRI . ?s ?lq ?sl VALUES ?lq { rdfs:label skos:prefLabel } }
    OPTIONAL { ?s ?q $IRI . ?s ?sp ?so FILTER NOT EXISTS { ?s rdfs:label|skos:prefLabel [] }
               OPTIONAL { ?s ?q $IRI . ?s ?sp ?so . ?so ?lso ?sol VALUES ?lso { rdfs:label skos:prefLabel } } } }
}"""


@dataclass
class Store:
    """What the web layer needs from a store; subclasses implement ``_run``."""

    timeout: float = 5.0
    cap: int = 10000

    def query(self, text: str, form: str, dataset: QueryDataset = UNION, cap: int | None = -1, fmt: str | None = None,
              timeout: float | None = None, base_iri: str | None = None):
        """Run ``text`` (whose form the caller has parsed) and return Solutions, bool or Triples.

        ``cap=None`` lifts the result cap (whole-graph dumps); a time limit always applies:
        ``timeout`` seconds if given (the service's own queries of known cost), else the store's.
        ``fmt`` names the format the caller will write (a ``Format.key``): a graph then comes back
        as ``Serialized`` bytes in it from every store, SELECT results from the embedded one.
        ``base_iri`` resolves the query's relative IRIs (the request's IRI, as the protocol wants).
        """
        if base_iri is not None and not _IRIREF.fullmatch(base_iri):
            base_iri = None  # not an IRI that can be written in a query: relative IRIs stay unresolved
        return self._run(text, form, dataset, self.cap if cap == -1 else cap, fmt, timeout or self.timeout, base_iri)

    def select(self, text: str, dataset: QueryDataset = UNION) -> Solutions:
        return self.query(text, SELECT, dataset)

    def ask(self, text: str, dataset: QueryDataset = UNION) -> bool:
        return self.query(text, ASK, dataset)

    def construct(self, text: str, dataset: QueryDataset = UNION, cap: int | None = -1) -> Triples:
        return self.query(text, CONSTRUCT, dataset, cap)

    def describe(self, text: str, dataset: QueryDataset = UNION) -> Triples:
        return self.query(text, DESCRIBE, dataset)

    def resource(self, iri: str) -> Triples:
        """What a linked-data client gets for ``iri``: its triples (blank nodes followed), its incoming
        links, and the labels of every neighbour; a neighbour without a label brings its own statements
        so that a name can be composed for it. Uncapped: a resource is never cut short."""
        return self.construct(_RESOURCE_QUERY.replace("$IRI", f"<{iri}>"), cap=None)

    def _run(self, text, form, dataset, cap, fmt, timeout, base_iri=None):
        raise NotImplementedError

    def close(self) -> None:
        """Release workers or connections."""


# --- embedded store -------------------------------------------------------------------------

def _encode(term):
    """A pyoxigraph term as a plain tuple (cheap to pickle, no rdflib in the worker)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return ("u", term.value)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if isinstance(term, ox.Literal):
        return ("l", term.value, term.datatype.value, term.language)
    return ("l", str(term), None, None)  # an RDF-star triple term: shown as text


def _decode(encoded):
    """The rdflib term of an ``_encode`` tuple (or of a SPARQL JSON binding)."""
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


def _syntax_message(error: str) -> str:
    """pyoxigraph's "error at 3:5: expected one of ..." as "malformed query at line 3, column 5: ...",
    cut to one short line (its list of expected tokens spells out Unicode ranges)."""
    where = re.match(r"error at (\d+):(\d+): ", error)
    place = f" at line {where[1]}, column {where[2]}" if where else ""
    first = (error[where.end():] if where else error).splitlines() or ["syntax error"]
    return f"malformed query{place}: " + (first[0] if len(first[0]) <= 200 else first[0][:200] + "...")


def _worker_main(conn, nquads: bytes) -> None:
    """A query worker: load the data once, then answer (query, form, dataset, cap) requests until the pipe closes."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(nquads, format=ox.RdfFormat.N_QUADS)
    conn.send("ready")
    while True:
        try:
            text, form, default_graphs, named_graphs, cap, fmt, base_iri = conn.recv()
        except (EOFError, OSError):
            return  # the server went away
        options = {"base_iri": base_iri}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            result = store.query(text, **options)
            if form == ASK:
                reply = ("ok", bool(result))
            elif form == SELECT and fmt in RESULT_FORMATS:
                reply = ("ok", serialize_solutions(result, fmt, cap))
            elif form == SELECT:
                variables = [v.value for v in result.variables]
                rows, truncated = _capped(({v: _encode(solution[v]) for v in variables if solution[v] is not None}
                                           for solution in result), cap)
                reply = ("ok", (variables, rows, truncated))
            else:
                # uncapped, streamed to the writer: a whole-graph dump holds no list of a million triples
                triples, truncated = (result, False) if cap is None else _capped(result, cap)
                if fmt in GRAPH_FORMATS:
                    reply = ("ok", Serialized(serialize_triples(triples, fmt), truncated))
                else:
                    reply = ("ok", (serialize_triples(triples, "ntriples"), truncated))
        except SyntaxError as exc:
            reply = ("bad", _syntax_message(str(exc)))
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            reply = ("bad", f"query failed: {exc}")
        conn.send(reply)


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object


class EmbeddedStore(Store):
    """The bundled data in pyoxigraph, queried in ``workers`` killable processes."""

    def __init__(self, nquads: bytes, *, timeout: float = 5.0, cap: int = 10000, workers: int = 2):
        super().__init__(timeout=timeout, cap=cap)
        self._nquads = nquads
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        spawned = [self._start() for _ in range(workers)]
        for worker in spawned:
            self._idle.put(self._wait_ready(worker))

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, self._nquads), daemon=True, name="sec-kg-query")
        process.start()
        child.close()
        return _Worker(process, parent)

    @staticmethod
    def _wait_ready(worker: _Worker) -> _Worker:
        """Block until the worker has loaded the data (its first message)."""
        worker.conn.recv()
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker (overrun or broken) and put a fresh one in the pool, off the request thread."""
        worker.process.kill()
        worker.process.join()
        worker.conn.close()

        def respawn():
            if not self._closed:
                self._idle.put(self._wait_ready(self._start()))

        threading.Thread(target=respawn, daemon=True, name="sec-kg-respawn").start()

    def _run(self, text, form, dataset, cap, fmt, timeout, base_iri=None):
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"all query workers stayed busy for {timeout:g} s; try again") from None
        try:
            worker.conn.send((text, form, list(dataset.default_graphs), list(dataset.named_graphs), cap, fmt, base_iri))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise StoreUnavailable("the query worker crashed; try again") from None
        self._idle.put(worker)
        if status == "bad":
            raise QueryError(payload)
        if form == ASK or isinstance(payload, Serialized):
            return payload
        if form == SELECT:
            variables, rows, truncated = payload
            return Solutions(variables, [{k: _decode(v) for k, v in row.items()} for row in rows], truncated)
        return Triples(*payload)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            worker.process.kill()
            worker.process.join()


# --- remote store ---------------------------------------------------------------------------

def _from_json(binding: dict):
    """An rdflib term from a SPARQL 1.1 JSON results binding."""
    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    return _decode(("l", binding["value"], binding.get("datatype"), binding.get("xml:lang")))


class RemoteStore(Store):
    """Any SPARQL 1.1 endpoint, through SPARQLWrapper, with the same limits as the embedded store."""

    def __init__(self, url: str, *, timeout: float = 5.0, cap: int = 10000):
        super().__init__(timeout=timeout, cap=cap)
        self.url = url

    def _run(self, text, form, dataset, cap, fmt, timeout, base_iri=None):
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setTimeout(max(1, round(timeout)))
        client.setQuery(text if base_iri is None else f"BASE <{base_iri}>\n{text}")
        client.queryType = form  # SPARQLWrapper guesses the form by regex and takes `sec:creates` for CREATE (an update)
        for graph in dataset.default_graphs:
            client.addDefaultGraph(graph)
        for graph in dataset.named_graphs:
            client.addNamedGraph(graph)
        client.setReturnFormat(JSON if form in (SELECT, ASK) else TURTLE)
        try:
            answer = client.query().convert()
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
            bindings = answer["results"]["bindings"]
            kept, truncated = _capped(bindings, cap)
            return Solutions(variables, [{k: _from_json(v) for k, v in b.items()} for b in kept], truncated)
        import pyoxigraph as ox

        try:
            triples = list(ox.parse(answer, format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise StoreUnavailable(f"the store at {self.url} sent Turtle that does not parse: {exc}") from None
        kept, truncated = _capped((q.triple for q in triples), cap)
        if fmt in GRAPH_FORMATS:
            return Serialized(serialize_triples(kept, fmt), truncated)
        return Triples(serialize_triples(kept, "ntriples"), truncated)
