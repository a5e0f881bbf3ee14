"""Publishing the graph, in-process through Flask's test client: the dumps (whole graph with its named
graphs, per State with what the State page shows), clean Turtle, JSON-LD against the published
context, the VoID/DCAT description, schema.org markup, licence and citation, relative IRIs in queries."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from rdflib import Graph

from sec_kg import __version__, void
from sec_kg.artefact import prepare
from sec_kg.dumps import FORMATS, STATE_FORMATS
from sec_kg.jsonld import CONTEXT_IRI

ROOT = Path(__file__).resolve().parent.parent
SEC = "https://w3id.org/sec-kg/ontology#"
ID = "https://w3id.org/sec-kg/id/"
STATES = ["CA", "CL", "CO", "EC", "GT", "GY", "MX", "PE"]
PARSERS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def canonical(quads) -> set:
    """Quads with canonical blank-node labels, comparable as sets."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def triples_of(quads) -> set:
    return canonical({ox.Quad(q.subject, q.predicate, q.object) for q in quads})


def parse_answer(client, body: bytes, ext: str) -> list[ox.Quad]:
    """A dump or answer read back into quads; JSON-LD through the context the server publishes."""
    if ext != "jsonld":
        return list(ox.parse(body, format=PARSERS[ext]))
    document = json.loads(body)
    assert document["@context"] == CONTEXT_IRI
    document["@context"] = client.get("/context.jsonld").get_json()["@context"]  # nothing fetched from the network
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    return list(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))


@pytest.fixture(scope="module")
def served(project):
    """What the app of ``app_fixtures`` serves: the sources as N-Quads, without inferences."""
    return list(ox.parse(prepare(project).nquads(reason=False), format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def served_triples(served) -> set:
    return triples_of(served)


@pytest.fixture(scope="module")
def reference(served):
    store = ox.Store()
    store.extend(served)
    return store


# --- dumps ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("ext", FORMATS)
def test_whole_graph_dump_is_the_served_graph(client, served_triples, ext):
    response = client.get(f"/data/all.{ext}")
    assert response.status_code == 200 and response.mimetype == FORMATS[ext].mimetype
    loaded = parse_answer(client, response.data, ext)
    assert triples_of(loaded) == served_triples


@pytest.mark.parametrize("ext", ["nq", "trig"])
def test_named_graphs_are_the_source_files(client, project, ext):
    loaded = parse_answer(client, client.get(f"/data/all.{ext}").data, ext)
    graphs = {}
    for quad in loaded:
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    files = project.ontology_files() + project.data_files()
    assert set(graphs) == {str(project.graph_iri(path)) for path in files}
    for path in files:
        source = ox.Store()  # an engine keeps values, not lexical forms: 64.0 and 64 are one xsd:decimal
        source.load(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        assert triples_of(graphs[str(project.graph_iri(path))]) == triples_of(source), path


@pytest.mark.parametrize("code", STATES)
def test_state_dump_holds_what_the_state_page_shows(client, reference, code):
    state = f"{ID}state/{code}"
    dumps = {ext: triples_of(parse_answer(client, client.get(f"/data/{code}.{ext}").data, ext)) for ext in STATE_FORMATS}
    assert dumps["ttl"] == dumps["nt"] == dumps["jsonld"]
    subjects = {q.subject.value for q in dumps["nt"] if isinstance(q.subject, ox.NamedNode)}
    page = client.get(f"/state/{code}", headers={"Accept": "text/html"}).get_data(as_text=True)
    shown = {ID + link for link in re.findall(r'href="/id/([^"#?]+)"', page)}
    assert shown and shown <= subjects | {o for q in dumps["nt"] for o in [q.object.value] if isinstance(q.object, ox.NamedNode)}
    tied = {str(row[0].value) for row in reference.query(
        f"SELECT ?r WHERE {{ ?r <{SEC}state> <{state}> }}", use_default_graph_as_union=True)}
    assert tied <= subjects
    # the statements about them that carry no name of their own: memberships, observations, ratifications
    for query in (f"SELECT ?m WHERE {{ ?m <http://www.w3.org/ns/org#organization> ?b . ?b <{SEC}state> <{state}> }}",
                  f"SELECT ?m WHERE {{ ?m <{SEC}refState> <{state}> }}",
                  f"SELECT ?m WHERE {{ ?m a <{SEC}Ratification> ; <{SEC}state> <{state}> }}"):
        expected = {row[0].value for row in reference.query(query, use_default_graph_as_union=True)}
        assert expected <= subjects, query
    if code == "CO":
        assert any("/membership/CO/" in s for s in subjects) and any("/observation/co-" in s for s in subjects)


def test_dumps_are_listed_described_and_revalidate(client):
    listing = client.get("/data/").get_data(as_text=True)
    graph = Graph().parse(data=client.get("/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    names = [f"all.{ext}" for ext in FORMATS] + [f"{code}.{ext}" for code in STATES for ext in STATE_FORMATS]
    for name in names:
        assert f'href="/data/{name}"' in listing
        response = client.get(f"/data/{name}")
        assert response.headers["ETag"] and response.headers["Last-Modified"]
        assert client.get(f"/data/{name}", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
        distribution = f"https://w3id.org/sec-kg/dataset#{name}"
        rows = list(graph.query(f"""SELECT ?media ?size ?url WHERE {{ <{distribution}> a dcat:Distribution ;
            dcat:mediaType ?media ; dcat:byteSize ?size ; dcat:downloadURL ?url }}""",
                                initNs={"dcat": "http://www.w3.org/ns/dcat#"}))
        assert len(rows) == 1, name
        media, size, url = rows[0]
        assert str(media).endswith("/" + FORMATS[name.rsplit(".", 1)[1]].mimetype)
        assert int(size) == len(response.data) and str(url) == f"https://w3id.org/sec-kg/data/{name}"


@pytest.mark.parametrize("scope", ["all", "CO"])
def test_dump_headers_name_licence_and_source(client, scope):
    for ext in FORMATS:
        answer = client.get(f"/data/{scope}.{ext}")
        if answer.status_code == 404:  # a State's subset is one graph: no N-Quads or TriG
            assert FORMATS[ext].keeps_graphs and scope != "all"
            continue
        assert f'<{void.LICENCE}>; rel="license"' in answer.headers["Link"]
        assert f'<{void.DATASET}>; rel="describedby"' in answer.headers["Link"]
        if ext != "jsonld":  # JSON has no comments: the Link header and the dataset description name them
            head = answer.get_data(as_text=True).splitlines()[:4]
            assert all(line.startswith("# ") for line in head)
            assert any(void.LICENCE in line for line in head) and any("IIN-OAS" in line for line in head)


# --- clean output --------------------------------------------------------------------------------

TURTLE_ANSWERS = [("/data/all.ttl", {}), ("/data/CO.ttl", {}), ("/data/all.trig", {}), ("/id/body/GT/menacesnna", {}),
                  ("/id/state/CO", {}), ("/void", {}), ("/ontology", {}), ("/graph/data/co/coordination", {}),
                  ("/sparql", {"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s <{SEC}state> <{ID}state/CO> ; ?p ?o }}"})]


@pytest.mark.parametrize("path, params", TURTLE_ANSWERS)
def test_turtle_has_no_escaped_slash_and_one_block_per_subject(client, path, params):
    response = client.get(path, query_string=params, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "\\/" not in text
    indent = "\t" if path.endswith(".trig") else ""
    starts, graph = [], None
    for line in text.splitlines():
        if line.endswith("{"):
            graph = line
        elif line.startswith(indent) and line.strip() and not line.startswith(("#", "@prefix", "}")) \
                and not line[len(indent):].startswith("\t"):
            starts.append((graph, line.split(" ", 1)[0]))
    assert starts and len(starts) == len(set(starts)), "a subject is written in two blocks"


def test_turtle_dump_is_sorted_and_the_same_every_time(client, served):
    from sec_kg.dumps import WHOLE, scope_dumps

    context = client.get("/context.jsonld").get_json()

    def render(statements):
        return scope_dumps(statements, WHOLE, context, ("ttl",))["all.ttl"]

    first = render(served)
    assert first == render(list(reversed(served)))
    assert first == client.get("/data/all.ttl").data
    lines = first.decode().splitlines()
    assert "" in lines and any(line.startswith("@prefix institution-co: ") for line in lines)


# --- JSON-LD -------------------------------------------------------------------------------------

JSONLD_ANSWERS = [ ("/id/state/CO", {}), ("/id/body/GT/menacesnna", {}), ("/void", {}),
                  ("/graph/data/common/treaties", {}), ("/ontology", {}),
                  ("/sparql", {"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s <{SEC}state> <{ID}state/GY> ; ?p ?o }}"}),
                  ("/sparql", {})]


@pytest.mark.parametrize("path, params", JSONLD_ANSWERS)
def test_jsonld_names_the_context_and_round_trips(client, path, params):
    answer = client.get(path, query_string=params, headers={"Accept": "application/ld+json"})
    assert answer.status_code == 200 and answer.mimetype == "application/ld+json"
    as_nt = client.get(path, query_string=params, headers={"Accept": "application/n-triples"})
    assert triples_of(parse_answer(client, answer.data, "jsonld")) == triples_of(parse_answer(client, as_nt.data, "nt"))
    assert '"@context": "https://w3id.org/sec-kg/context.jsonld"' in answer.get_data(as_text=True)


@pytest.mark.parametrize("scope", ["all", "CO"])
def test_jsonld_dumps_round_trip(client, scope):
    answer = client.get(f"/data/{scope}.jsonld").data
    assert json.loads(answer)["@context"] == CONTEXT_IRI
    as_nt = client.get(f"/data/{scope}.nt").data
    assert triples_of(parse_answer(client, answer, "jsonld")) == triples_of(parse_answer(client, as_nt, "nt"))


def test_context_gives_short_keys_for_the_ontology(client, reference):
    terms = client.get("/context.jsonld").get_json()["@context"]
    assert terms["id"] == "@id" and terms["type"] == "@type" and terms["sec"] == SEC
    properties = {row[0].value for row in reference.query(
        "SELECT ?p WHERE { VALUES ?k { <http://www.w3.org/2002/07/owl#ObjectProperty> "
        "<http://www.w3.org/2002/07/owl#DatatypeProperty> } ?p a ?k }", use_default_graph_as_union=True)}
    own = {p for p in properties if p.startswith(SEC)}
    keys = {(t["@id"] if isinstance(t, dict) else t).replace("sec:", SEC) for t in terms.values()}
    assert own and own <= keys
    assert terms["state"] == {"@id": "sec:state", "@type": "@id"}
    compact = json.loads(client.get("/id/state/CO", headers={"Accept": "application/ld+json"}).data)
    assert any(node.get("type") == "State" for node in compact["@graph"])


# --- VoID, schema.org, licence, citation ---------------------------------------------------------

def test_void_is_a_page_for_browsers_and_rdf_for_programs(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for path in ("/void", "/.well-known/void"):
        page = client.get(path, headers={"Accept": browser})
        assert page.mimetype == "text/html" and void.TITLE in page.get_data(as_text=True)
    assert '<a href="/void">VoID</a>' in client.get("/", headers={"Accept": browser}).get_data(as_text=True)
    turtle = client.get("/void", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert "localhost" not in turtle  # the description does not depend on the host that serves it
    graph = Graph().parse(data=turtle, format="turtle")
    found = graph.query("""
        PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcat: <http://www.w3.org/ns/dcat#>
        SELECT * WHERE { <https://w3id.org/sec-kg/dataset> a void:Dataset, dcat:Dataset ; dcterms:title ?title ;
          dcterms:description ?d ; dcterms:publisher ?publisher ; dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
          dcterms:issued ?issued ; dcterms:modified ?modified ; void:sparqlEndpoint <https://w3id.org/sec-kg/sparql> ;
          void:dataDump <https://w3id.org/sec-kg/data/all.nq> ; void:exampleResource ?example ;
          void:vocabulary <https://w3id.org/sec-kg/ontology>, <http://www.w3.org/ns/org#> ; void:triples ?n ;
          void:subset ?co . ?co void:rootResource <https://w3id.org/sec-kg/id/state/CO> ; void:triples ?co_n }""")
    rows = list(found)
    assert rows and int(rows[0].n) > 5000 and int(rows[0].co_n) > 1000
    expanded = client.get("/void", headers={"Accept": "application/ld+json"})
    assert triples_of(parse_answer(client, expanded.data, "jsonld")) == triples_of(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))


def test_home_page_has_schema_org_dataset_and_how_to_cite(client):
    page = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(scripts) == 1
    dataset = json.loads(scripts[0])
    assert dataset["@type"] == "Dataset" and dataset["@context"] == "https://schema.org/"
    assert dataset["license"] == void.LICENCE and dataset["@id"] == "https://w3id.org/sec-kg/dataset"
    assert {d["contentUrl"] for d in dataset["distribution"]} >= {"https://w3id.org/sec-kg/data/all.nq",
                                                                   "https://w3id.org/sec-kg/data/CO.ttl"}
    assert "IIN-OAS" in dataset["isBasedOn"]["author"]["name"]
    assert 'id="cite"' in page and "How to cite" in page and void.ATTRIBUTION.replace("'", "&#39;") in page


@pytest.mark.parametrize("path", ["/", "/state/CO", "/id/state/CO", "/void", "/data/", "/queries", "/query", "/ontology"])
def test_every_page_names_licence_and_source(client, path):
    page = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    footer = page[page.index("<footer>"):]
    assert "https://creativecommons.org/licenses/by/4.0/" in footer and "IIN-OAS" in footer and "MIT" in footer


def test_licence_and_citation_files():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "MIT" in pyproject["project"]["license"]["text"] and "CC BY 4.0" in pyproject["project"]["license"]["text"]
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # what the Citation File Format 1.2 requires, with the types its schema gives them
    assert citation["cff-version"] == "1.2.0"
    assert isinstance(citation["message"], str) and citation["message"]
    assert citation["title"] == void.TITLE
    assert citation["authors"] and all(isinstance(a, dict) and ("name" in a or "family-names" in a) for a in citation["authors"])
    assert citation["version"] == __version__ == pyproject["project"]["version"]
    assert set(citation["license"]) == {"CC-BY-4.0", "MIT"}
    assert citation["type"] in ("dataset", "software")
    allowed = {"abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi", "identifiers",
               "keywords", "license", "license-url", "message", "preferred-citation", "references", "repository",
               "repository-artifact", "repository-code", "title", "type", "url", "version"}
    assert set(citation) <= allowed
    report = citation["references"][0]
    assert report["type"] == "report" and report["year"] == 2024


# --- protocol ------------------------------------------------------------------------------------

def test_relative_iris_resolve_against_the_request(client):
    """As in the W3C protocol test query_content_type_construct."""
    query = "CONSTRUCT { <s> <p> 1 } WHERE {}"
    by_get = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/n-triples"})
    by_post = client.post("/sparql", data=query, content_type="application/sparql-query", headers={"Accept": "text/turtle"})
    for answer, ext in ((by_get, "nt"), (by_post, "ttl")):
        assert answer.status_code == 200, answer.data
        (triple,) = [q.triple for q in ox.parse(answer.data, format=PARSERS[ext])]
        # the request IRI is the public address the service is configured with, never the Host header
        assert triple.subject == ox.NamedNode("http://127.0.0.1:8000/s") and triple.predicate == ox.NamedNode("http://127.0.0.1:8000/p")
    explicit = client.get("/sparql", query_string={"query": "BASE <http://example.org/> SELECT ?x WHERE { BIND(<a> AS ?x) }"},
                          headers={"Accept": "text/tab-separated-values"})
    assert "<http://example.org/a>" in explicit.get_data(as_text=True)


def test_syntax_errors_keep_their_line_numbers(client):
    answer = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s ?p\n}"})
    assert answer.status_code == 400 and "line 3" in answer.get_data(as_text=True)
