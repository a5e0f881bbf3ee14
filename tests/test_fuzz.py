"""Property-based fuzzing of the HTTP API (hypothesis): whatever a client sends to ``/sparql`` or
``/id/...``, the answer is never a 5xx (except the documented 503 when a query runs past the time
limit) and never carries a traceback."""

from __future__ import annotations

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
KEYWORDS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o", "<urn:x>", "a", ".", ";",
            "FILTER", "(", ")", "OPTIONAL", "UNION", "GRAPH", "SERVICE", "VALUES", "LIMIT", "10", "-1", "\"x\"@en",
            "PREFIX", "ex:", "<http://example.org/>", "INSERT", "DATA", "DELETE", "LOAD", "BIND", "AS", "COUNT(*)",
            "GROUP BY", "ORDER BY", "REGEX(?o, \"(a+)+$\")", "*", "\\u0000", "#", "\n", "'''", "^^", "<>", "\ud7ff"]
sparqlish = st.lists(st.sampled_from(KEYWORDS), max_size=25).map(" ".join)
queries = st.one_of(sparqlish, st.text(max_size=300))
FORMATS = st.sampled_from([None, "json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdfxml", "html", "bogus", ""])
ACCEPTS = st.sampled_from(["*/*", "text/html", "application/sparql-results+json", "text/turtle", "image/png",
                           "text/csv;q=0.5, application/json", ";;;", ""])


def check(answer: requests.Response) -> None:
    assert answer.status_code < 500 or answer.status_code == 503, (answer.status_code, answer.text[:500])
    assert "Traceback" not in answer.text and 'File "' not in answer.text, answer.text[:500]


@FUZZ
@given(query=queries, fmt=FORMATS, accept=ACCEPTS, method=st.sampled_from(["GET", "POST", "DIRECT"]))
def test_sparql_never_fails_on_what_a_client_sends(base_url, query, fmt, accept, method):
    params = {"format": fmt} if fmt is not None else {}
    headers = {"Accept": accept}
    if method == "GET":
        answer = requests.get(base_url + "/sparql", params={"query": query, **params}, headers=headers, timeout=30)
    elif method == "POST":
        answer = requests.post(base_url + "/sparql", data={"query": query, **params}, headers=headers, timeout=30)
    else:
        answer = requests.post(base_url + "/sparql", params=params, data=query.encode("utf-8", "surrogatepass"),
                               headers={**headers, "Content-Type": "application/sparql-query"}, timeout=30)
    check(answer)


@FUZZ
@given(body=st.binary(max_size=400), content_type=st.sampled_from(
    ["application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update", "text/plain", ""]),
    graph=st.text(max_size=40))
def test_sparql_never_fails_on_raw_bodies_and_dataset_parameters(base_url, body, content_type, graph):
    answer = requests.post(base_url + "/sparql", params={"default-graph-uri": graph, "named-graph-uri": graph},
                           data=body, headers={"Content-Type": content_type} if content_type else {}, timeout=30)
    check(answer)


segment = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=30)


@FUZZ
@given(path=st.lists(st.one_of(segment, st.sampled_from(["state", "CO", "institution", "..", "%00", "%ZZ", "a b", ">"])),
                     min_size=1, max_size=5).map("/".join),
       fmt=FORMATS, accept=ACCEPTS)
def test_resource_pages_never_fail(base_url, path, fmt, accept):
    from urllib.parse import quote

    answer = requests.get(base_url + "/id/" + quote(path, safe="/%"), params={"format": fmt} if fmt is not None else {},
                          headers={"Accept": accept}, timeout=30)
    check(answer)
