"""The canned queries over HTTP on a real server: /queries pages, /api/queries by content negotiation,
/openapi.json, and the views' plain HTML (the browser tests look at them drawn)."""

import csv
import html
import io
import re

import requests

from sec_kg.queries import catalogue

BROWSER = {"Accept": "text/html"}


def get(url, **kwargs):
    return requests.get(url, timeout=30, **kwargs)


def test_queries_page_lists_every_canned_query(base_url, project):
    page = get(base_url + "/queries", headers=BROWSER)
    assert page.status_code == 200
    for name, query in catalogue(project.queries_dir).items():
        assert f'href="/queries/{name}"' in page.text, name


def test_every_canned_query_page_answers(base_url, project):
    for name in catalogue(project.queries_dir):
        page = get(f"{base_url}/queries/{name}", headers=BROWSER)
        assert page.status_code == 200 and '<table class="results-table">' in page.text, name


def test_query_page_has_form_results_sparql_and_downloads(base_url):
    page = get(base_url + "/queries/not-party", params={"treaty": "iacitm"}, headers=BROWSER)
    assert page.status_code == 200
    assert re.search(r'<select [^>]*name="treaty"', page.text) and '<option value="iacitm" selected>' in page.text
    assert page.text.count('href="/id/state/') == 5  # Canada, Chile, Guatemala, Guyana, Mexico
    assert "VALUES (?treaty) { (&lt;https://w3id.org/sec-kg/id/treaty/iacitm&gt;) }" in page.text
    assert 'id="open-editor"' in page.text
    links = re.findall(r'class="download" href="([^"]+)"', page.text)
    assert len(links) == 3
    answers = {link.split("format=")[1].split("&")[0]: get(base_url + link.replace("&amp;", "&")) for link in links}
    assert answers["csv"].headers["Content-Type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(answers["csv"].text)))) == 5
    assert answers["tsv"].headers["Content-Type"].startswith("text/tab-separated-values")
    assert len(answers["json"].json()["results"]["bindings"]) == 5


def test_open_in_editor_posts_the_bound_query(base_url):
    page = get(base_url + "/queries/policies-in-force", params={"year": "2025"}, headers=BROWSER)
    query = re.search(r'name="query" value="([^"]+)"', page.text).group(1)
    editor = requests.post(base_url + "/sparql", data={"query": html.unescape(query), "format": "html"}, timeout=30)
    assert editor.status_code == 200 and "6 rows." in editor.text


def test_api_negotiates_the_format(base_url):
    url = base_url + "/api/queries/policies-in-force?year=2025"
    as_json = get(url, headers={"Accept": "application/sparql-results+json"})
    assert as_json.headers["Content-Type"].startswith("application/sparql-results+json")
    assert len(as_json.json()["results"]["bindings"]) == 6
    as_csv = get(url, headers={"Accept": "text/csv"})
    assert as_csv.text.splitlines()[0].startswith("state,stateLabel,policy,policyLabel")
    as_xml = get(url, headers={"Accept": "application/sparql-results+xml"})
    assert as_xml.text.count("<result>") == 6
    assert get(url + "&format=tsv", headers={"Accept": "text/csv"}).headers["Content-Type"].startswith("text/tab-separated")
    assert get(url, headers={"Accept": "image/png"}).status_code == 406


def test_bad_parameter_is_400_json_with_the_valid_values(client):
    answer = client.get("/api/queries/not-party?treaty=traffic")
    assert answer.status_code == 400 and answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["error"].startswith("parameter 'treaty' expects a treaty code") and "Traceback" not in body["error"]
    assert body["parameter"] == "treaty" and {"iacitm", "crc", "opsc"} <= set(body["valid"])
    unknown = client.get("/api/queries/not-party?year=2020")
    assert unknown.status_code == 400 and "has no parameter 'year'" in unknown.get_json()["error"]
    assert unknown.get_json()["valid"] == ["treaty"]


def test_bad_parameter_page_keeps_the_form_and_lists_the_valid_values(client):
    page = client.get("/queries/coordination-bodies?state=XX", headers=BROWSER)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'id="parameters"' in html and '<select id="param-state" name="state">' in html  # the form stays
    assert ">Colombia</option>" in html  # States offered by name
    error = html[html.index('id="parameter-error"'):]
    assert "<code>CO</code>" in error and "<code>PE</code>" in error
    assert 'id="results"' not in html
    year = client.get("/queries/policies-in-force?year=next", headers=BROWSER)
    assert year.status_code == 400 and "four-digit year" in year.get_data(as_text=True)


def test_unknown_query_is_404(base_url):
    assert get(base_url + "/api/queries/no-such-query").status_code == 404
    assert get(base_url + "/queries/no-such-query", headers=BROWSER).status_code == 404


def test_openapi_describes_every_query_route(base_url, project):
    spec = get(base_url + "/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    queries = catalogue(project.queries_dir)
    assert set(spec["paths"]) == {"/api/queries"} | {f"/api/queries/{name}" for name in queries}
    operation = spec["paths"]["/api/queries/policies-in-force"]["get"]
    year = next(p for p in operation["parameters"] if p["name"] == "year")
    assert year["schema"] == {"type": "string", "pattern": "^[0-9]{4}$", "default": "2024"}
    assert set(operation["responses"]) >= {"200", "400", "404"}
    assert "text/csv" in operation["responses"]["200"]["content"]
    ids = [op["get"]["operationId"] for op in spec["paths"].values()]
    assert len(ids) == len(set(ids))


def test_api_catalogue(base_url):
    listed = {q["name"]: q for q in get(base_url + "/api/queries").json()}
    assert [p["name"] for p in listed["offences"]["parameters"]] == ["state", "modality"]


def test_remote_store_answers_the_same(remote_url, base_url):
    url = "/api/queries/not-party?treaty=iacitm&format=csv"
    assert get(remote_url + url).text == get(base_url + url).text


def test_views_are_served_without_javascript(base_url):
    compare = get(base_url + "/compare", headers=BROWSER).text
    assert compare.count('<th scope="col" data-state=') == 8
    network = get(base_url + "/network/CO", headers=BROWSER).text
    assert "National Interagency Committee for the Prevention and Eradication" in network and 'id="edges"' in network
    timeline = get(base_url + "/timeline?state=GY", headers=BROWSER).text
    assert set(re.findall(r'class="mark \w+" data-state="(\w+)"', timeline)) == {"GY"}
    assert get(base_url + "/timeline?state=Guyana").status_code == 400
    assert get(base_url + "/network/XX").status_code == 404
    assert get(base_url + "/charts/no-such-table").status_code == 404
    assert get(base_url + "/charts/Bad_Slug").status_code == 400


def test_the_editor_completes_from_the_ontology_served_here(client):
    terms = client.get("/query/terms.json").get_json()
    assert "https://w3id.org/sec-kg/ontology#CoordinationBody" in terms["classes"]
    assert "https://w3id.org/sec-kg/ontology#state" in terms["properties"]
    assert terms["prefixes"]["sec"] == "https://w3id.org/sec-kg/ontology#"
