"""Linked data on the real server: /id/ and /ontology dereference, /data/ dumps, VoID and DCAT; parsed with rdflib."""

from __future__ import annotations

import json

import pytest
import requests
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns  # closed namespaces as globals make pytest's collection warn

ID = "https://w3id.org/sec-kg/id/"
SEC = "https://w3id.org/sec-kg/ontology#"
COLOMBIA = URIRef(ID + "state/CO")
CRC = URIRef(ID + "treaty/crc")
RATIFICATION = URIRef(ID + "ratification/CO/crc")
FORMATS = [("text/turtle", "turtle", None), ("application/ld+json", "json-ld", None), ("application/n-triples", "nt", None),
           ("application/rdf+xml", "xml", None), ("text/turtle", "turtle", "ttl"), ("application/ld+json", "json-ld", "jsonld"),
           ("application/n-triples", "nt", "nt"), ("application/rdf+xml", "xml", "rdfxml")]


def parse(base_url, data: bytes, parser: str) -> Graph:
    """An answer as a graph; JSON-LD through the context the server publishes (never fetched from w3id.org)."""
    if parser != "json-ld":
        return Graph().parse(data=data, format=parser)
    document = json.loads(data)
    assert document["@context"] == "https://w3id.org/sec-kg/context.jsonld"
    document["@context"] = requests.get(base_url + "/context.jsonld").json()["@context"]
    return Graph().parse(data=json.dumps(document), format="json-ld")


def fetch(url, media=None, fmt=None) -> Graph:
    response = requests.get(url, headers={"Accept": media} if media and not fmt else {}, params={"format": fmt} if fmt else {})
    assert response.status_code == 200, response.text
    assert "Accept" in [v.strip() for v in response.headers["Vary"].split(",")]
    return response


@pytest.mark.parametrize("media, parser, fmt", FORMATS)
def test_resource_in_each_format(base_url, media, parser, fmt):
    response = fetch(base_url + "/id/ratification/CO/crc", media, fmt)
    assert response.headers["Content-Type"].split(";")[0] == media
    graph = parse(base_url, response.content, parser)
    assert (RATIFICATION, ns.RDF.type, URIRef(SEC + "Ratification")) in graph
    assert (RATIFICATION, URIRef(SEC + "treaty"), CRC) in graph
    # the labels of what it links to
    assert (CRC, ns.RDFS.label, Literal("Convention on the Rights of the Child", lang="en")) in graph


def test_resource_brings_incoming_links(base_url):
    graph = Graph().parse(data=fetch(base_url + "/id/treaty/crc", "text/turtle").text, format="turtle")
    assert (RATIFICATION, URIRef(SEC + "treaty"), CRC) in graph
    assert (URIRef(ID + "ratification/PE/crc"), URIRef(SEC + "treaty"), CRC) in graph


def test_membership_statements_reach_their_member(base_url):
    graph = Graph().parse(data=fetch(base_url + "/id/institution/CO/colombian-family-welfare-institute", "text/turtle").text,
                          format="turtle")
    memberships = set(graph.subjects(ns.ORG.member, URIRef(ID + "institution/CO/colombian-family-welfare-institute")))
    assert memberships
    for membership in memberships:  # enough of each membership to name it: the body and its label
        body = graph.value(membership, ns.ORG.organization)
        assert body is not None and graph.value(body, ns.RDFS.label) is not None


def test_browser_gets_html(base_url):
    response = fetch(base_url + "/id/state/CO", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<h1>Colombia</h1>" in response.text


def test_any_client_gets_turtle(base_url):
    assert fetch(base_url + "/id/state/CO", "*/*").headers["Content-Type"].startswith("text/turtle")


@pytest.mark.parametrize("path", ["/id/state/XX", "/id/nothing/here", "/id/state/CO%3E%20%3Fp%20%3Fo", "/id/a%20b"])
def test_unknown_iri_is_404(base_url, path):
    plain = requests.get(base_url + path, headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.headers["Content-Type"].startswith("text/plain")
    assert "not found" in plain.text
    page = requests.get(base_url + path, headers={"Accept": "text/html"})
    assert page.status_code == 404 and "<h1>404 Not found</h1>" in page.text


def test_ontology_dereferences(base_url):
    graph = Graph().parse(data=fetch(base_url + "/ontology", "text/turtle").text, format="turtle")
    ontology = URIRef("https://w3id.org/sec-kg/ontology")
    assert (ontology, ns.RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) in graph
    assert (URIRef(SEC + "CoordinationBody"), ns.RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in graph
    page = fetch(base_url + "/ontology", "text/html").text
    assert 'id="CoordinationBody"' in page  # so ontology#CoordinationBody lands on its entry


def test_whole_graph_dump(base_url):
    response = requests.get(f"{base_url}/data/all.nt")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/n-triples")
    graph = Graph().parse(data=response.content, format="nt")
    assert (COLOMBIA, ns.RDFS.label, Literal("Colombia", lang="en")) in graph
    assert len(graph) > 5000
    assert response.headers["ETag"] and response.headers["Last-Modified"]


@pytest.mark.parametrize("ext, media, parser", [("ttl", "text/turtle", "turtle"), ("nt", "application/n-triples", "nt"),
                                                ("jsonld", "application/ld+json", "json-ld")])
def test_dumps_in_each_format(base_url, ext, media, parser):
    response = requests.get(f"{base_url}/data/PE.{ext}")
    assert response.headers["Content-Type"].startswith(media)
    graph = parse(base_url, response.content, parser)
    assert (URIRef(ID + "ratification/PE/crc"), URIRef(SEC + "treaty"), CRC) in graph
    whole = requests.get(f"{base_url}/data/all.{ext}")
    assert whole.status_code == 200 and whole.headers["Content-Type"].startswith(media) and len(whole.content) > len(response.content)


def test_state_dump_holds_that_state_only(base_url):
    graph = Graph().parse(data=requests.get(f"{base_url}/data/CO.ttl").text, format="turtle")
    states = set(graph.objects(None, URIRef(SEC + "state")))
    assert states == {COLOMBIA}
    assert (RATIFICATION, URIRef(SEC + "treaty"), CRC) in graph


def test_dumps_revalidate(base_url):
    first = requests.get(f"{base_url}/data/all.nt")
    again = requests.get(f"{base_url}/data/all.nt", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.content
    since = requests.get(f"{base_url}/data/all.nt", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


@pytest.mark.parametrize("path", ["/data/XX.ttl", "/data/all.csv", "/data/co.ttl"])
def test_unknown_dump_is_404(base_url, path):
    assert requests.get(base_url + path).status_code == 404


@pytest.mark.slow  # the description counts the bytes of every dump, built first: about 5 s
def test_void_and_dcat(base_url):
    """The description names the dataset, its endpoint and its dumps by their w3id IRIs, whatever host serves it;
    each dump it lists answers here under the same path."""
    response = requests.get(base_url + "/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    dataset = URIRef("https://w3id.org/sec-kg/dataset")
    assert (dataset, ns.RDF.type, ns.VOID.Dataset) in graph and (dataset, ns.RDF.type, ns.DCAT.Dataset) in graph
    assert (dataset, ns.VOID.sparqlEndpoint, URIRef("https://w3id.org/sec-kg/sparql")) in graph
    assert URIRef("https://w3id.org/sec-kg/data/all.ttl") in set(graph.objects(dataset, ns.VOID.dataDump))
    downloads = {str(graph.value(d, ns.DCAT.downloadURL)) for d in graph.objects(None, ns.DCAT.distribution)}
    assert {"https://w3id.org/sec-kg/data/all.jsonld", "https://w3id.org/sec-kg/data/CO.nt"} <= downloads
    service = graph.value(dataset, ns.DCAT.accessService)
    assert (service, ns.DCAT.endpointURL, URIRef("https://w3id.org/sec-kg/sparql")) in graph
    assert int(graph.value(dataset, ns.VOID.triples)) > 5000
    assert base_url not in response.text
    for download in sorted(downloads)[:3]:
        assert requests.head(base_url + download.removeprefix("https://w3id.org/sec-kg")).status_code == 200


def test_dump_validators_are_the_same_from_every_web_worker(base_url):
    """Each request on a new connection may reach another web worker: the ETag and Last-Modified
    (derived from the data, not from the worker) must be the same everywhere, or revalidation fails."""
    answers = [requests.head(f"{base_url}/data/CO.ttl") for _ in range(12)]
    assert {a.headers["ETag"] for a in answers} == {answers[0].headers["ETag"]}
    assert {a.headers["Last-Modified"] for a in answers} == {answers[0].headers["Last-Modified"]}


@pytest.fixture(scope="module")
def strict_url():
    """A server whose queries get 20 ms: far less than building the whole-graph dump takes."""
    from server_fixtures import Server

    server = Server("--timeout", "0.02", "--dump-timeout", "60", "--no-reasoning", "--web-workers", "1").wait()
    yield server.url
    server.stop()


def test_dumps_are_held_to_their_own_time_limit(strict_url):
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
    assert requests.get(strict_url + "/sparql", params={"query": everything}).status_code == 503
    response = requests.get(strict_url + "/data/all.ttl")
    assert response.status_code == 200, response.text
    graph = Graph().parse(data=response.content, format="turtle")
    assert (COLOMBIA, ns.RDFS.label, Literal("Colombia", lang="en")) in graph and len(graph) > 5000
    assert requests.get(strict_url + "/sparql", params={"query": "ASK {}"}).status_code == 200


@pytest.mark.parametrize("path, params, media, parser", [
    ("/data/GY.ttl", {}, None, "turtle"),  # under the result cap of the server the remote store queries
    ("/sparql", {"query": f"CONSTRUCT {{ ?r ?p ?o }} WHERE {{ ?r <{SEC}state> <{COLOMBIA}> ; a <{SEC}Ratification> ; ?p ?o }}"},
     "application/ld+json", "json-ld")])
def test_a_remote_store_answers_graphs_as_the_embedded_one(base_url, remote_url, path, params, media, parser):
    from rdflib.compare import isomorphic

    graphs = []
    for url in (base_url, remote_url):
        response = requests.get(url + path, params=params, headers={"Accept": media} if media else {})
        assert response.status_code == 200 and (not media or response.headers["Content-Type"].startswith(media))
        graphs.append(parse(url, response.content, parser))
    assert len(graphs[0]) > 20 and isomorphic(*graphs)
