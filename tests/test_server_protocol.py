"""The SPARQL 1.1 Protocol at /sparql, through SPARQLWrapper and requests against the real server."""

from __future__ import annotations

import csv
import io
import json
import time
from concurrent.futures import ThreadPoolExecutor
import xml.etree.ElementTree as ET

import pytest
import requests
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from server_fixtures import CAP, TIMEOUT

STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/sec-kg/ontology#State> } ORDER BY ?s"
COLOMBIA = "https://w3id.org/sec-kg/id/state/CO"
CONSTRUCT_STATES = ("CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } "
                    "WHERE { ?s a <https://w3id.org/sec-kg/ontology#State> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
TREATIES_GRAPH = "https://w3id.org/sec-kg/graph/data/common/treaties"
STATES_GRAPH = "https://w3id.org/sec-kg/graph/data/common/states"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def client(base_url, query, return_format, method=None):
    sparql = SPARQLWrapper(base_url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    if method == POSTDIRECTLY:
        sparql.setMethod(POST)
        sparql.setRequestMethod(POSTDIRECTLY)
    elif method:
        sparql.setMethod(method)
    return sparql.query()


@pytest.mark.parametrize("method", [None, POST, POSTDIRECTLY], ids=["GET", "url-encoded POST", "direct POST"])
def test_select_json_by_every_method(base_url, method):
    result = client(base_url, STATES, JSON, method)
    assert result.info()["content-type"].startswith("application/sparql-results+json")
    values = [b["s"]["value"] for b in result.convert()["results"]["bindings"]]
    assert len(values) == 8 and COLOMBIA in values


def test_select_xml(base_url):
    result = client(base_url, STATES, XML)
    assert result.info()["content-type"].startswith("application/sparql-results+xml")
    uris = [e.firstChild.data for e in result.convert().getElementsByTagName("uri")]
    assert COLOMBIA in uris and len(uris) == 8


@pytest.mark.parametrize("fmt, media, separator", [(CSV, "text/csv", ","), (TSV, "text/tab-separated-values", "\t")])
def test_select_csv_and_tsv(base_url, fmt, media, separator):
    result = client(base_url, STATES, fmt)
    assert result.info()["content-type"].startswith(media)
    rows = list(csv.reader(io.StringIO(result.convert().decode()), delimiter=separator))
    assert rows[0] == (["s"] if fmt == CSV else ["?s"])
    assert (COLOMBIA if fmt == CSV else f"<{COLOMBIA}>") in [r[0] for r in rows[1:]]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(base_url, fmt):
    yes = client(base_url, f"ASK {{ <{COLOMBIA}> ?p ?o }}", fmt).convert()
    no = client(base_url, "ASK { <https://w3id.org/sec-kg/id/state/XX> ?p ?o }", fmt).convert()
    if fmt == JSON:
        assert (yes["boolean"], no["boolean"]) == (True, False)
    else:
        assert [d.getElementsByTagName("boolean")[0].firstChild.data for d in (yes, no)] == ["true", "false"]


@pytest.mark.parametrize("fmt, media", [(TURTLE, "text/turtle"), (N3, "text/turtle"), (XML, "application/rdf+xml"),
                                        (JSONLD, "application/ld+json")])
@pytest.mark.parametrize("form", ["construct", "describe"])
def test_construct_and_describe_in_each_format(base_url, fmt, media, form):
    query = CONSTRUCT_STATES if form == "construct" else f"DESCRIBE <{COLOMBIA}>"
    result = client(base_url, query, fmt)
    assert result.info()["content-type"].startswith(media)
    if fmt == JSONLD:  # compact, naming the published context: read here through the served copy, not fetched
        document = json.loads(result.response.read())
        assert document["@context"] == "https://w3id.org/sec-kg/context.jsonld"
        document["@context"] = requests.get(base_url + "/context.jsonld").json()["@context"]
        graph = Graph().parse(data=json.dumps(document), format="json-ld")
    else:
        graph = result.convert()
    if not isinstance(graph, Graph):  # SPARQLWrapper returns raw bytes for Turtle/N3
        graph = Graph().parse(data=graph, format="turtle")
    assert (URIRef(COLOMBIA), None, None) in graph
    if form == "construct":
        assert len(set(graph.subjects())) == 8


def test_construct_as_ntriples_by_accept(base_url):
    response = requests.get(base_url + "/sparql", params={"query": CONSTRUCT_STATES}, headers={"Accept": "application/n-triples"})
    assert response.headers["Content-Type"].startswith("application/n-triples")
    assert len(Graph().parse(data=response.text, format="nt")) >= 8


def test_default_graph_uri_restricts_the_default_graph(base_url):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/sec-kg/ontology#State> }"
    answer = lambda **params: int(requests.get(base_url + "/sparql", params={"query": query, **params},
                                               headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"][0]["n"]["value"])
    assert answer() == 8
    assert answer(**{"default-graph-uri": STATES_GRAPH}) == 8
    assert answer(**{"default-graph-uri": TREATIES_GRAPH}) == 0


def test_named_graph_uri_limits_graph_patterns(base_url):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = requests.post(base_url + "/sparql", data={"query": query, "named-graph-uri": [TREATIES_GRAPH, STATES_GRAPH]},
                             headers={"Accept": "application/sparql-results+json"})
    graphs = {b["g"]["value"] for b in response.json()["results"]["bindings"]}
    assert graphs == {TREATIES_GRAPH, STATES_GRAPH}


def test_direct_post_takes_graphs_from_the_url(base_url):
    response = requests.post(base_url + "/sparql", params={"default-graph-uri": TREATIES_GRAPH},
                             data="ASK { ?s a <https://w3id.org/sec-kg/ontology#State> }",
                             headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert response.json()["boolean"] is False


# --- content negotiation ---------------------------------------------------------------------

@pytest.mark.parametrize("accept, expected", [
    ("application/sparql-results+xml;q=0.5, text/csv", "text/csv"),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.9, */*;q=0.1", "application/sparql-results+xml"),
    ("application/json", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_accept_with_q_values(base_url, accept, expected):
    response = requests.get(base_url + "/sparql", params={"query": STATES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in [v.strip() for v in response.headers["Vary"].split(",")]


@pytest.mark.parametrize("accept, expected", [
    ("application/rdf+xml;q=0.4, text/turtle;q=0.8", "text/turtle"),
    ("application/ld+json, text/turtle;q=0.9", "application/ld+json"),
    ("application/xml", "application/rdf+xml"),
    ("*/*", "text/turtle"),
])
def test_construct_accept_with_q_values(base_url, accept, expected):
    response = requests.get(base_url + "/sparql", params={"query": CONSTRUCT_STATES}, headers={"Accept": accept})
    assert response.headers["Content-Type"].split(";")[0] == expected


@pytest.mark.parametrize("name, expected", [("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
                                            ("xml", "application/sparql-results+xml"), ("json", "application/sparql-results+json")])
def test_format_parameter_beats_accept(base_url, name, expected):
    response = requests.get(base_url + "/sparql", params={"query": STATES, "format": name}, headers={"Accept": "text/html"})
    assert response.headers["Content-Type"].split(";")[0] == expected


def test_service_description_in_turtle_by_default(base_url):
    response = requests.get(base_url + "/sparql")
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (URIRef(base_url + "/sparql"), URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) in graph
    assert URIRef(TREATIES_GRAPH) in set(graph.objects(None, URIRef(sd + "name")))


def test_service_description_for_browsers_is_the_query_page(base_url):
    response = requests.get(base_url + "/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.headers["Content-Type"].startswith("text/html")
    assert '<form id="plain-query"' in response.text


# --- errors ----------------------------------------------------------------------------------

def check_error(response, status, *fragments):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "Traceback" not in response.text and len(response.text.splitlines()) == 1
    for fragment in fragments:
        assert fragment in response.text


def test_malformed_query_names_line_and_column(base_url):
    response = requests.get(base_url + "/sparql", params={"query": "SELECT *\nWHERE { ?s ?p ?o .\n  FILTER(?x = ) }"})
    check_error(response, 400, "malformed query at line 3, column")


def test_missing_query_in_post(base_url):
    check_error(requests.post(base_url + "/sparql", data={"format": "json"}), 400, "missing 'query'")


@pytest.mark.parametrize("send", ["get", "post", "both"])
def test_repeated_query(base_url, send):
    if send == "get":
        response = requests.get(base_url + "/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    elif send == "post":
        response = requests.post(base_url + "/sparql", data=[("query", "ASK {}"), ("query", "ASK {}")])
    else:
        response = requests.post(base_url + "/sparql", params={"query": "ASK {}"}, data="ASK {}",
                                 headers={"Content-Type": "application/sparql-query"})
    check_error(response, 400, "once")


def test_wrong_content_type(base_url):
    response = requests.post(base_url + "/sparql", data="ASK {}", headers={"Content-Type": "text/plain"})
    check_error(response, 415, "unsupported Content-Type text/plain")


def test_missing_content_type(base_url):
    request = requests.Request("POST", base_url + "/sparql", data=b"ASK {}").prepare()
    request.headers.pop("Content-Type", None)
    check_error(requests.Session().send(request), 415, "needs a Content-Type")


@pytest.mark.parametrize("how", ["direct", "url-encoded", "url"])
def test_body_or_url_not_utf8(base_url, how):
    if how == "direct":
        response = requests.post(base_url + "/sparql", data='SELECT ("é" AS ?x) {}'.encode("latin-1"),
                                 headers={"Content-Type": "application/sparql-query"})
    elif how == "url-encoded":
        response = requests.post(base_url + "/sparql", data=b"query=ASK%20%7B%20FILTER(%22%E9%22)%20%7D",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        response = requests.get(base_url + "/sparql?query=ASK%20%7B%20FILTER(%22%E9%22)%20%7D")
    check_error(response, 400, "UTF-8")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_unsupported_method(base_url, method):
    response = requests.request(method, base_url + "/sparql", data="ASK {}")
    check_error(response, 405, f"method {method} is not supported")
    assert "POST" in response.headers["Allow"]


@pytest.mark.parametrize("how", ["query param", "update param", "update content type"])
def test_update_is_refused(base_url, how):
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    if how == "query param":
        response = requests.post(base_url + "/sparql", data={"query": update})
    elif how == "update param":
        response = requests.post(base_url + "/sparql", data={"update": update})
    else:
        response = requests.post(base_url + "/sparql", data=update, headers={"Content-Type": "application/sparql-update"})
    check_error(response, 400, "read-only")
    still = requests.get(base_url + "/sparql", params={"query": "ASK { <http://example.org/a> ?p ?o }", "format": "json"})
    assert still.json()["boolean"] is False


@pytest.mark.parametrize("query", [
    "PREFIX ex: <http://example.org/>\n# SELECT in a comment\nINSERT DATA { ex:a ex:b ex:c }",
    "BASE <http://example.org/select> DELETE WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
])
def test_an_update_behind_a_query_word_is_refused_and_changes_nothing(base_url, query):
    response = requests.post(base_url + "/sparql", data={"query": query})
    assert response.status_code == 400 and "Traceback" not in response.text
    assert "read-only" in response.text or "malformed query at line" in response.text
    still = requests.get(base_url + "/sparql", params={"query": "ASK { <http://example.org/a> ?p ?o }", "format": "json"})
    assert still.json()["boolean"] is False


def test_load_is_refused(base_url):
    response = requests.post(base_url + "/sparql", data={"query": "LOAD <http://example.org/data.ttl>"})
    check_error(response, 400, "read-only")


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?q ?r } } } LIMIT 1",
    "PREFIX ex: <http://example.org/#select>\nselect * {?s ?p 1 sErViCe<http://127.0.0.1:9/sparql>{?s ?q ?r}}",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
])
def test_service_is_refused(base_url, query):
    check_error(requests.get(base_url + "/sparql", params={"query": query}), 403, "SERVICE")


def test_unknown_format_and_unacceptable_accept(base_url):
    check_error(requests.get(base_url + "/sparql", params={"query": STATES, "format": "yaml"}), 400, "unknown format 'yaml'")
    check_error(requests.get(base_url + "/sparql", params={"query": STATES}, headers={"Accept": "image/png"}), 406, "text/csv")
    conflicting = requests.get(base_url + "/sparql", params=[("query", STATES), ("format", "csv"), ("format", "xml")])
    check_error(conflicting, 400, "different formats")


def test_request_too_large(base_url):
    query = "ASK {}" + " " * (70 * 1024)
    response = requests.post(base_url + "/sparql", data=query, headers={"Content-Type": "application/sparql-query"})
    check_error(response, 413, "request too large")


def test_url_too_long(base_url):
    response = requests.get(base_url + "/sparql", params={"query": "ASK {} #" + "x" * 9000})
    check_error(response, 414, "too large")


# --- limits ----------------------------------------------------------------------------------

def test_runaway_query_is_cut_and_the_next_answered_at_once(base_url):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    response = requests.get(base_url + "/sparql", params={"query": runaway}, timeout=30)
    took = time.monotonic() - started
    check_error(response, 503, "time limit")
    assert TIMEOUT <= took < TIMEOUT + 2
    started = time.monotonic()
    assert requests.get(base_url + "/sparql", params={"query": "ASK {}", "format": "json"}).json()["boolean"] is True
    assert time.monotonic() - started < 0.5


def test_result_cap_truncates_and_says_so(base_url):
    response = requests.get(base_url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "json"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == CAP
    assert response.headers["X-Results-Truncated"] == f"cap={CAP}"
    small = requests.get(base_url + "/sparql", params={"query": STATES, "format": "json"})
    assert "X-Results-Truncated" not in small.headers


def test_result_cap_truncates_graphs_too(base_url):
    everything = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    response = requests.get(base_url + "/sparql", params={"query": everything}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200 and response.headers["X-Results-Truncated"] == f"cap={CAP}"
    assert len(response.content.splitlines()) == CAP
    one = requests.get(base_url + "/sparql", params={"query": everything + " LIMIT 1"}, headers={"Accept": "application/n-triples"})
    assert one.status_code == 200 and len(one.content.splitlines()) == 1 and "X-Results-Truncated" not in one.headers


def test_concurrent_queries_all_answered(base_url):
    """Parsing is serialised and queries spread over the worker pool: no request may fail or mix up."""
    def ask(n):
        query = f"SELECT ?n WHERE {{ BIND({n} AS ?n) ?s a <https://w3id.org/sec-kg/ontology#State> }} LIMIT 1"
        return requests.get(base_url + "/sparql", params={"query": query, "format": "json"}).json()

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(ask, range(48)))
    assert [int(a["results"]["bindings"][0]["n"]["value"]) for a in answers] == list(range(48))


def test_cors(base_url):
    response = requests.get(base_url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(base_url + "/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


def test_results_are_well_formed_xml_and_json(base_url):
    xml = requests.get(base_url + "/sparql", params={"query": STATES, "format": "xml"}).content
    assert len(ET.fromstring(xml).findall(f"{SRX}results/{SRX}result")) == 8
    assert json.loads(requests.get(base_url + "/sparql", params={"query": STATES, "format": "json"}).text)["head"]["vars"] == ["s"]


def test_a_repeated_query_is_answered_from_memory_alike(base_url):
    """Repeats on one connection (one web worker) are served without running the query again, with the
    same body and headers; another format or body type is its own answer."""
    with requests.Session() as session:
        def ask(accept, **kw):
            return session.post(base_url + "/sparql", data=kw.pop("data", {"query": STATES}), headers={"Accept": accept, **kw})

        first, again = ask("application/sparql-results+json"), ask("application/sparql-results+json")
        as_csv = ask("text/csv")
        direct = ask("application/sparql-results+json", data=STATES, **{"Content-Type": "application/sparql-query"})
    assert "X-Cache" not in first.headers and again.headers["X-Cache"] == "hit"
    assert again.content == first.content and again.headers["Content-Type"] == first.headers["Content-Type"]
    assert len(first.json()["results"]["bindings"]) == 8
    assert as_csv.headers["Content-Type"].startswith("text/csv") and as_csv.text.startswith("s\r\n")
    assert direct.json() == first.json()


def test_a_page_in_one_language_is_not_answered_in_another(base_url):
    with requests.Session() as session:
        def page(**cookies):
            return session.get(base_url + "/sparql", params={"query": STATES}, headers={"Accept": "text/html"}, cookies=cookies)

        spanish, spanish_again, english = page(lang="es"), page(lang="es"), page()
    assert '<html lang="es"' in spanish.text and spanish_again.headers.get("X-Cache") == "hit"
    assert '<html lang="en"' in english.text and "X-Cache" not in english.headers


@pytest.mark.parametrize("headers", [{}, {"If-None-Match": '"x"'}], ids=["failed", "conditional"])
def test_failed_and_conditional_requests_always_reach_the_application(base_url, headers):
    query = "SELECT * WHERE { ?s ?p }" if not headers else STATES
    with requests.Session() as session:
        answers = [session.get(base_url + "/sparql", params={"query": query}, headers=headers) for _ in range(2)]
    assert all("X-Cache" not in answer.headers for answer in answers)
    assert [a.status_code for a in answers] == ([400, 400] if not headers else [200, 200])


def test_answers_of_a_remote_store_are_not_kept(remote_url):
    """The remote store's data may change: each query is asked again."""
    with requests.Session() as session:
        answers = [session.post(remote_url + "/sparql", data={"query": STATES}) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200] and "X-Cache" not in answers[1].headers
