"""HTML pages (read as HTML by requests; the browser tests click through them) and the remote-store server."""

from __future__ import annotations

import re
from html import unescape

import requests

from server_fixtures import REMOTE_CAP

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ICBF = "/id/institution/CO/colombian-family-welfare-institute"


def page(url) -> str:
    response = requests.get(url, headers=HTML)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/html")
    return unescape(response.text)


def section(html: str, title: str) -> str:
    """The HTML of the <section> whose <h2> is ``title``."""
    start = re.search(rf"<section[^>]*>\s*<h2>{re.escape(title)}</h2>", html)
    assert start, f"no section {title!r}"
    rest = html[start.end():]
    end = re.search(r"<section[^>]*>\s*<h2>|</main>", rest)  # the next section of its level (they nest by kind)
    return rest[:end.start() if end else len(rest)]


def test_home_lists_states_and_entry_points(base_url):
    html = page(base_url + "/")
    for state in ("Canada", "Chile", "Colombia", "Ecuador", "Guatemala", "Guyana", "Mexico", "Peru"):
        assert f">{state}</a>" in html
    assert 'href="/state/CO"' in html and 'href="/query"' in html and 'href="/data/"' in html
    assert re.search(r"<strong>\d{4,}</strong> statements", html)


def test_state_page_is_organised_by_stockholm_category(base_url):
    html = page(base_url + "/state/CO")
    headings = re.findall(r"<h2>([^<]+)</h2>", html)
    assert "Coordination and cooperation" in headings and "Protection" in headings
    assert "Ratification: Colombia of Convention on the Rights of the Child (ratification)" in section(html, "Protection")
    assert "Colombian Family Welfare Institute" in section(html, "Institutions")


def test_unknown_state_is_404(base_url):
    for code in ("XX", "CO%3E%20%7D%20%23", "COL"):
        assert requests.get(base_url + "/state/" + code, headers=HTML).status_code == 404


def test_resource_page_groups_labels_incoming_and_provenance(base_url):
    html = page(base_url + ICBF)
    assert "<h1>Colombian Family Welfare Institute</h1>" in html
    names = section(html, "Names")
    assert "ICBF" in names and "alternative label" in names.lower()
    incoming = section(html, "Linked from")
    # memberships read from the institution's side: the bodies it sits on, with its role there
    # (section 2.1: "Colombian Family Welfare Institute, in the role of Technical Secretariat")
    assert "member of" in incoming and "Membership: " not in incoming
    assert "Interagency Advisory Committee on Prevention of Sexual Violence" in incoming
    assert "(technical secretariat)" in incoming
    provenance = section(html, "Provenance")
    assert "report section" in provenance.lower() and "derived from" in provenance.lower()


def test_ratification_page_has_a_composed_name_and_state_link(base_url):
    html = page(base_url + "/id/ratification/CO/crc")
    assert "<h1>Ratification: Colombia of Convention on the Rights of the Child (ratification)</h1>" in html
    assert 'href="/id/treaty/crc"' in html and 'href="/id/state/CO"' in html


def test_inverse_labels_from_the_ontology(base_url):
    html = page(base_url + "/id/treaty/crc")
    linked = section(html, "Linked from")
    assert "ratifications" in linked and "is treaty of" not in linked  # sec:treaty's sec:inverseLabel


def test_search_finds_acronyms_and_spanish_names(base_url):
    html = page(base_url + "/search?q=ICBF")
    first = re.search(r'<ol class="hits">\s*<li><a href="([^"]+)">', html)
    assert first and first.group(1) == ICBF
    assert "/id/institution/GT/" in page(base_url + "/search?q=SVET")
    assert "/id/state/PE" in page(base_url + "/search?q=Perú")
    assert "0 results" in page(base_url + "/search?q=zzzz-no-such-thing")


def test_query_page_without_javascript_runs_a_canned_query(base_url):
    html = page(base_url + "/query?example=states")
    assert "The eight States" in html and "Treaty ratifications" in html
    query = re.search(r'<textarea name="query"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "SELECT ?state ?code ?name ?nameEs" in query
    submitted = requests.post(base_url + "/sparql", data={"query": query, "format": "html"}, headers=HTML)  # the form's POST
    results = unescape(submitted.text)
    table = re.search(r'<table class="results-table">(.*?)</table>', results, re.S).group(1)
    assert "<th>?code</th>" in table and table.count("<tr>") == 9
    assert 'href="/id/state/CO"' in table
    downloads = re.findall(r'<input type="hidden" name="format" value="(\w+)">', results)
    assert downloads == ["csv", "json"]
    csv = requests.post(base_url + "/sparql", data={"query": query, "format": "csv"})
    assert csv.headers["Content-Type"].startswith("text/csv") and "Canadá" in csv.text


def test_query_page_notes_truncation(base_url):
    html = page(base_url + "/sparql?" + requests.compat.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert 'id="truncated"' in html and "Truncated" in html


def test_errors_are_html_pages_for_browsers(base_url):
    response = requests.get(base_url + "/sparql", params={"query": "SELECT nonsense"}, headers=HTML)
    assert response.status_code == 400 and "malformed query" in response.text and "<html" in response.text


# --- the same code on a remote store ---------------------------------------------------------

def test_remote_store_serves_the_same_pages(remote_url):
    assert "<h1>Colombian Family Welfare Institute</h1>" in page(remote_url + ICBF)
    # which sections come back depends on the order the remote store sends rows in (the cap here is
    # 100 rows), which may differ between its query processes: only the page itself is certain
    assert "<h1>Colombia</h1>" in page(remote_url + "/state/CO")
    answer = requests.get(remote_url + "/sparql", params={
        "query": "SELECT ?s WHERE { ?s a <https://w3id.org/sec-kg/ontology#State> }", "format": "json"}).json()
    assert len(answer["results"]["bindings"]) == 8


def test_remote_store_passes_errors_and_limits_through(remote_url, base_url):
    refused = requests.get(remote_url + "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"})
    assert refused.status_code == 403
    truncated = requests.get(remote_url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "json"})
    assert truncated.headers["X-Results-Truncated"] == f"cap={REMOTE_CAP}"
    assert len(truncated.json()["results"]["bindings"]) == REMOTE_CAP
    slow = requests.get(remote_url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    assert slow.status_code in (502, 503) and "time limit" in slow.text


def test_body_page_lists_members_with_roles_once(base_url):
    html = page(base_url + "/id/body/CO/national-interagency-committee-csec")
    incoming = section(html, "Linked from")
    assert "Ministry of Health and Social Protection (chair)" in incoming  # "as chair" in the 2.1 table
    everyone = section(page(base_url + "/id/body/CO/national-interagency-committee-csec?all=http://www.w3.org/ns/org%23organization"),
                       "Linked from")  # the members past the first ten
    assert "NGOs working on the issue (permanent guest)" in everyone
    assert everyone.count("Ministry of Health and Social Protection (chair)") == 1
    assert "created by" not in incoming, "a link the Relations section already shows is not repeated"
    assert "Act 1336 of 2009" in section(html, "Relations")


# --- page cache ------------------------------------------------------------------------------

def test_pages_are_cached_by_path_and_accept(base_url):
    """Built once per web worker, then answered from memory: the same bytes, marked X-Cache: hit."""
    url = base_url + "/state/PE"
    answers = [requests.get(url, headers=HTML) for _ in range(6)]  # new connections: both web workers
    assert {a.content for a in answers} == {answers[0].content} and answers[0].status_code == 200
    assert any(a.headers.get("X-Cache") == "hit" for a in answers)
    assert all(a.headers["Access-Control-Allow-Origin"] == "*" for a in answers)
    turtle = [requests.get(base_url + "/id/state/PE", headers={"Accept": "text/turtle"}) for _ in range(4)]
    assert all(t.headers["Content-Type"].startswith("text/turtle") for t in turtle)
    assert requests.get(base_url + "/id/state/PE", headers=HTML).headers["Content-Type"].startswith("text/html")


def test_errors_and_remote_pages_are_not_cached(base_url, remote_url):
    assert all("X-Cache" not in requests.get(base_url + "/state/ZZ", headers=HTML).headers for _ in range(3))
    assert all("X-Cache" not in requests.get(remote_url + "/state/PE", headers=HTML).headers for _ in range(3))
