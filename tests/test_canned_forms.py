"""The canned-query forms (Flask test client): a parameter that takes values from the graph is a choice among
them by name, in the page's language; a value the graph does not hold is an error on the page and in the API."""

import html
import re

import pytest

from sec_kg.queries import IN_GRAPH, catalogue, graph_choices

BROWSER = {"Accept": "text/html"}


def field(page, name: str) -> tuple[str, list[tuple[str, str]]]:
    """The form field of parameter ``name``: its tag (a select, or an input with a datalist) and its options
    as (value, text), the empty "any" option left out."""
    text = page.get_data(as_text=True)
    tag = re.search(rf'<(\w+) id="param-{name}"', text).group(1)
    block = re.search(rf'<select id="param-{name}".*?</select>|<datalist id="values-{name}">.*?</datalist>', text, re.S)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', block.group(0)) if block else []
    return tag, [(html.unescape(value), html.unescape(label)) for value, label in options if value]


@pytest.fixture(scope="module")
def queries(project):
    return catalogue(project.queries_dir)


def test_every_parameter_with_graph_values_offers_exactly_those(client, app, queries):
    store = app.extensions["sec_kg"].store
    used = {p.type: (name, p.name) for name, q in queries.items() for p in q.parameters if p.type in IN_GRAPH}
    assert {"state", "treaty", "body", "resource", "dataset", "finding", "section", "kind"} <= set(used)
    accepted = graph_choices(store, used)
    for kind, (name, parameter) in used.items():
        tag, options = field(client.get(f"/queries/{name}", headers=BROWSER), parameter)
        assert tag == ("input" if kind == "resource" else "select"), (name, parameter)
        assert [value for value, _ in options] != [] and {value for value, _ in options} == {c.code for c in accepted[kind]}


def test_treaties_and_bodies_are_offered_by_name(client, select):
    treaties = {(t.rsplit("/", 1)[1], label) for t, label in
                ((r["t"], r["l"]) for r in select('SELECT ?t ?l WHERE { ?t a sec:Treaty ; rdfs:label ?l FILTER (lang(?l) = "en") }'))}
    assert set(field(client.get("/queries/not-party", headers=BROWSER), "treaty")[1]) == treaties
    bodies = {(r["b"].split("/id/body/")[1], r["l"]) for r in select(
        'SELECT ?b ?l WHERE { ?b a sec:CoordinationBody ; rdfs:label ?l FILTER (lang(?l) = "en") }')}
    assert set(field(client.get("/queries/body-members", headers=BROWSER), "body")[1]) == bodies


def test_names_are_in_the_page_language(client, select):
    kinds = {r["c"].rsplit("#", 1)[1]: r["l"] for r in select(
        'SELECT ?c ?l WHERE { ?c rdfs:subClassOf* sec:LegalInstrument ; rdfs:label ?l FILTER (lang(?l) = "es") }')}
    page = client.get("/queries/national-instruments?lang=es", headers=BROWSER)
    assert page.status_code == 200  # the language switch is no parameter of the query
    offered = dict(field(page, "kind")[1])
    assert offered and all(offered[code] == kinds[re.sub(r"(^|-)(\w)", lambda m: m.group(2).upper(), code)]
                           for code in offered)
    states = dict(field(client.get("/queries/coordination-bodies?lang=es", headers=BROWSER), "state")[1])
    spanish = {}
    for row in select('SELECT ?s ?l WHERE { ?s a sec:State ; skos:altLabel|rdfs:label ?l FILTER (lang(?l) = "es") }'):
        spanish.setdefault(row["s"].rsplit("/", 1)[1], set()).add(row["l"])
    assert spanish and all(states[code] in names for code, names in spanish.items())


def test_a_chosen_value_runs_the_query(client, select):
    page = client.get("/queries/findings", query_string={"kind": "recommendation"}, headers=BROWSER)
    assert page.status_code == 200 and '<option value="recommendation" selected>' in page.get_data(as_text=True)
    rows = client.get("/api/queries/findings", query_string={"kind": "recommendation", "format": "json"}).get_json()
    types = {b["type"]["value"] for b in rows["results"]["bindings"]}
    assert types == {"https://w3id.org/sec-kg/id/concept/finding-type/recommendation"}
    members = client.get("/api/queries/body-members", query_string={"body": "GT/menacesnna", "format": "json"}).get_json()
    assert {b["body"]["value"] for b in members["results"]["bindings"]} == {"https://w3id.org/sec-kg/id/body/GT/menacesnna"}


@pytest.mark.parametrize("name, parameter, value", [
    ("body-members", "body", "GT/menacesnnx"),
    ("findings", "kind", "praise"),
    ("agreements", "section", "9.9"),
    ("network", "resource", "body/GT/nothing"),
    ("statistics", "dataset", "gt-victims-by-height"),
])
def test_a_value_the_graph_does_not_hold_is_a_400_everywhere(client, name, parameter, value):
    page = client.get(f"/queries/{name}", query_string={parameter: value}, headers=BROWSER)
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="parameters"' in text and 'id="results"' not in text
    tag, options = field(page, parameter)
    assert tag in ("select", "input") and options  # the form stays, with its choices
    listed = text[text.index('id="valid-values"'):]
    assert all(f"<code>{html.escape(code)}</code>" in listed for code, _ in options)
    answer = client.get(f"/api/queries/{name}", query_string={parameter: value})
    assert answer.status_code == 400 and answer.get_json()["parameter"] == parameter
    assert set(answer.get_json()["valid"]) == {code for code, _ in options}
