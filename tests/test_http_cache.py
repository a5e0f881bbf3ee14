"""GET answers over the embedded data carry an ETag and Cache-Control, and a client (or a caching
proxy) that sends the ETag back gets 304 without a body."""

from __future__ import annotations

import pytest

QUERY = "PREFIX sec: <https://w3id.org/sec-kg/ontology#> SELECT ?s WHERE { ?s a sec:State } ORDER BY ?s"


@pytest.mark.parametrize("path, params", [("/sparql", {"query": QUERY}), ("/id/state/CO", {}), ("/browse", {})])
def test_get_answers_validate_and_revalidate(client, path, params):
    first = client.get(path, query_string=params)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get(path, query_string=params, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    changed = client.get(path, query_string=params, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.get_data() == first.get_data()


def test_different_queries_have_different_etags(client):
    one = client.get("/sparql", query_string={"query": QUERY})
    other = client.get("/sparql", query_string={"query": QUERY.replace("ORDER BY ?s", "LIMIT 1")})
    assert one.headers["ETag"] != other.headers["ETag"]


def test_errors_and_posts_are_not_marked_cacheable(client):
    bad = client.get("/sparql", query_string={"query": "SELECT * WHERE {"})
    assert bad.status_code == 400 and "ETag" not in bad.headers
    posted = client.post("/sparql", data={"query": QUERY})
    assert posted.status_code == 200 and "Cache-Control" not in posted.headers
