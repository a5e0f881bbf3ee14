"""The remote-store mode against real triple stores: Oxigraph server (PyPI) and Virtuoso (Debian),
started on 127.0.0.1 by the suite and loaded with ``sec-kg load`` (Graph Store Protocol).

Every canned query (parameters at their defaults) gives the same rows there as on the embedded
store; the endpoint, the linked-data pages and the CLI work on top of both stores.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal, InvalidOperation

import pytest
import requests
from rdflib import BNode, Literal
from rdflib.namespace import XSD

from remote_fixtures import ROOT, oxigraph_server, remote_server, served_nquads_file, virtuoso_server  # noqa: F401
from server_fixtures import Server
from sec_kg.queries import catalogue
from sec_kg.store import Limits
from sec_kg.store.embedded import EmbeddedStore
from sec_kg.store.remote import RemoteStore
from sec_kg.web.linked import resource_triples

QUERIES = catalogue(ROOT / "queries")
#: (store, query) pairs a store answers differently, and why (reported as XFAIL)
DIFFERENT = {("virtuoso", name): "Virtuoso leaves unbound the several-value cells that these queries build with "
                                 "GROUP_CONCAT over an ordered subquery"
             for name in ("access-to-justice", "agreements", "codes-of-conduct", "offences", "participation-mechanisms",
                          "possibly-same", "prevention-measures", "report-tables/coordination-bodies", "search")}
@pytest.fixture(scope="module")
def embedded(served_nquads_file):
    store = EmbeddedStore(served_nquads_file.read_bytes(), Limits(timeout=30, cap=None), workers=1)
    yield store
    store.close()


def _key(term):
    """A term as compared across stores, where SPARQL leaves the stores free or they differ by design:
    blank nodes are anonymous; numbers compare by value (COUNT and SUM come back as xsd:integer,
    xsd:int or xsd:decimal); GROUP_CONCAT's order is unspecified, so the "; "-separated parts compare
    sorted, and its language tag is dropped (SPARQL 1.1 makes it a simple literal, Oxigraph keeps a
    common tag; split at "; ", " | " and ", ", the separators the queries use); booleans
    compare as 1 and 0 (Virtuoso's form); Virtuoso answers an aggregate over nothing with "" where Oxigraph leaves it unbound.
    Language tags of single terms are compared in test_ask_and_resource_answer_like_embedded."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, Literal):
        if term.datatype and str(term.datatype).rsplit("#", 1)[-1] in (
                "integer", "int", "long", "decimal", "double", "float", "short", "nonNegativeInteger"):
            try:
                return ("number", Decimal(str(term)).normalize())
            except InvalidOperation:
                pass
        if term.datatype == XSD.boolean:  # Virtuoso answers boolean expressions (BOUND, EXISTS) with 1 and 0
            return ("number", Decimal(1 if term.toPython() is True else 0))
        if str(term) == "" and not term.datatype:
            return None
        return ("literal", "|".join(sorted(re.split(r"; | \| |, ", str(term)))), str(term.datatype or ""))
    return ("iri", str(term))


def _rows(solutions, bag: bool = True):
    """Sorted rows; ``bag=False`` drops repeated rows (Virtuoso's default graph is the bag of all graphs:
    a triple asserted in two source files counts twice there, once in the RDF merge)."""
    rows = [tuple(_key(row.get(v)) for v in solutions.variables) for row in solutions.rows]
    return sorted(rows if bag else set(rows), key=repr)


def test_sec_kg_load_publishes_every_named_graph(remote_server, served_nquads_file):
    from sec_kg.remote import graphs_of

    graphs = graphs_of(served_nquads_file.read_bytes())
    assert f"published {sum(map(len, graphs.values()))} triples" in remote_server.load_output
    store = RemoteStore(remote_server.sparql_url, Limits(timeout=30, cap=None))
    answer = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {str(row["g"]): int(row["n"]) for row in answer.rows}
    for graph, triples in graphs.items():
        assert counts.get(graph) == len(triples), graph


def test_loading_twice_replaces_instead_of_duplicating(oxigraph_server, served_nquads_file):
    from remote_fixtures import sec_kg_load

    store = RemoteStore(oxigraph_server.sparql_url, Limits(timeout=30))
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = int(store.select(count).rows[0]["n"])
    sec_kg_load(oxigraph_server.gsp_url, served_nquads_file)
    assert int(store.select(count).rows[0]["n"]) == before


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_canned_query_answers_the_same_as_embedded(name, remote_server, embedded):
    if (remote_server.name, name) in DIFFERENT:
        pytest.xfail(DIFFERENT[remote_server.name, name])
    text = QUERIES[name].bind({})
    expected = embedded.select(text)
    got = RemoteStore(remote_server.sparql_url, Limits(timeout=60, cap=None)).select(text)
    assert [v for v in got.variables] == [v for v in expected.variables]
    bag = remote_server.name != "virtuoso"
    assert _rows(got, bag) == _rows(expected, bag)
    assert expected.rows or any(p.default is None for p in QUERIES[name].parameters), f"{name}: nothing was compared"


def test_ask_and_resource_answer_like_embedded(remote_server, embedded):
    store = RemoteStore(remote_server.sparql_url, Limits(timeout=30, cap=None))
    assert store.ask("PREFIX sec: <https://w3id.org/sec-kg/ontology#> ASK { ?s a sec:State }") is True
    assert store.ask("ASK { <http://example.org/nothing> ?p ?o }") is False
    iri = "https://w3id.org/sec-kg/id/state/CO"
    remote = {tuple(map(_term, t)) for t in resource_triples(store, iri).graph if not any(isinstance(x, BNode) for x in t)}
    local = {tuple(map(_term, t)) for t in resource_triples(embedded, iri).graph if not any(isinstance(x, BNode) for x in t)}
    assert remote == local and len(local) > 50


def _term(term):
    """Exact, language tags included; numbers by value (Virtuoso stores xsd:integer as xsd:int)."""
    key = _key(term)
    return key if key and key[0] == "number" else (term, getattr(term, "language", None))


@pytest.fixture(scope="module")
def served_on_remote(remote_server):
    """``sec-kg serve --endpoint`` reading the remote store."""
    server = Server("--endpoint", remote_server.sparql_url, "--timeout", "20")
    try:
        yield server.wait()
    finally:
        server.stop()


def test_endpoint_and_pages_work_on_the_remote_store(served_on_remote):
    url = served_on_remote.url
    answer = requests.get(url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/sec-kg/ontology#State> }"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200 and answer.json()["results"]["bindings"][0]["n"]["value"] == "8"
    page = requests.get(url + "/id/state/CO", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and "Colombia" in page.text
    turtle = requests.get(url + "/id/state/CO", headers={"Accept": "text/turtle"}, timeout=30)
    assert turtle.status_code == 200 and "Colombia" in turtle.text
    assert requests.get(url + "/id/state/ZZ", timeout=30).status_code == 404
    assert requests.get(url + "/", timeout=30).status_code == 200
    assert requests.get(url + "/sparql", params={"query": "SELECT * WHERE {"}, timeout=30).status_code == 400


def test_cli_queries_the_remote_store(remote_server):
    done = subprocess.run([sys.executable, "-m", "sec_kg.cli", "query", "states", "--format", "csv",
                           "--endpoint", remote_server.sparql_url], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Colombia" in done.stdout and len(done.stdout.splitlines()) == 9


@pytest.mark.slow  # every dump, from each store: 6-9 s
def test_dumps_on_the_remote_store_hold_what_the_embedded_store_holds(remote_server, embedded, project):
    """``/data/`` on ``sec-kg serve --endpoint``: the named graphs in N-Quads and a State's subset, as the
    same functions read them from the embedded store (ground triples; numbers by value)."""
    import time

    from rdflib import Dataset, Graph

    import pyoxigraph as ox

    from sec_kg import dumps
    from sec_kg.server import ServerConfig, make_app

    app = make_app(ServerConfig(endpoint=remote_server.sparql_url, timeout=60), project, None, time.time())
    client = app.test_client()

    def ground(triples):
        return {tuple(map(_term, t)) for t in triples if not any(isinstance(x, BNode) for x in t)}

    answer = client.get("/data/all.nq")
    assert answer.status_code == 200 and answer.data.startswith(b"# sec-kg")
    remote = Dataset()
    remote.parse(data=answer.data, format="nquads")
    local = Dataset()
    local.parse(data=ox.serialize(dumps.whole_graph(embedded), format=ox.RdfFormat.N_QUADS), format="nquads")
    assert {str(g.identifier) for g in remote.graphs() if len(g)} == {str(g.identifier) for g in local.graphs() if len(g)}
    for graph in local.graphs():
        if len(graph):
            assert ground(remote.graph(graph.identifier)) == ground(graph), graph.identifier
    colombia = Graph().parse(data=client.get("/data/CO.nt").data, format="nt")
    expected = Graph().parse(data=ox.serialize(dumps.state_subset(embedded, project.queries_dir, "CO"),
                                               format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert len(expected) > 1000 and ground(colombia) == ground(expected)
