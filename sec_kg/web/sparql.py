"""``/sparql`` (the SPARQL 1.1 Protocol endpoint and its service description) and ``/query`` (the query page)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request, send_from_directory
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, VOID, XSD, Namespace

from ..namespaces import PREFIXES, bind_prefixes, sparql_prologue
from ..formats import CSV, GRAPH_FORMATS, HTML, JSON, JSONLD, RESULT_FORMATS, TURTLE, W3C_FORMATS, Format
from ..protocol import negotiate, read_request, write_boolean, write_solutions
from ..store import ASK, SELECT, Serialized, Solutions, Triples
from . import TRUNCATED_HEADER, YASGUI_DIR, context
from .linked import rdf_body
from .queries import canned
from .view import LOCAL_ROUTES, cell

blueprint = Blueprint("sparql", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def service_description(endpoint: str) -> Graph:
    """The SPARQL Service Description: what the endpoint speaks and its dataset (union default graph + named graphs)."""
    ctx = context()
    graph = bind_prefixes(Graph())
    graph.bind("sd", SD)
    service, dataset, default = URIRef(endpoint), BNode(), BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in RESULT_FORMATS + GRAPH_FORMATS:
        graph.add((service, SD.resultFormat, URIRef(W3C_FORMATS + fmt.w3c)))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for prefix, namespace in PREFIXES.items():  # declared for every query (SHACL's prefix vocabulary)
        declaration = BNode()
        graph.add((service, SH.declare, declaration))
        graph.add((declaration, SH.prefix, Literal(prefix)))
        graph.add((declaration, SH.namespace, Literal(str(namespace), datatype=XSD.anyURI)))
    counts = ctx.store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    union = ctx.store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    graph.add((default, VOID.triples, union.rows[0]["n"]))
    for row in counts.rows:
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, SD.name, row["g"]))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, row["n"]))
    return graph


def rdf_answer(graph: Graph, fmt: Format) -> Response:
    return Response(rdf_body(graph, fmt), content_type=fmt.content_type, headers={"Vary": "Accept"})


def query_page(query: str = "", result=None, form: str | None = None, example: str | None = None):
    """The query page: plain form (works without JavaScript), canned examples, and a results table."""
    # the top-level canned queries (not the per-table ones of queries/statistics/), by title
    examples = sorted((q for name, q in canned().items() if "/" not in name), key=lambda q: q.title.lower())
    chosen = next((e for e in examples if e.name == example), None)
    if not query:
        query = chosen.text if chosen else (examples[0].text if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    downloads = []  # format names, offered as POST buttons: a long query would not fit in a link
    if result is not None and not isinstance(result, bool):
        downloads = [fmt.names[0] for fmt in ((CSV, JSON) if form == SELECT else GRAPH_FORMATS)]
    # what the editor's result table needs to name IRIs and to link those this site serves to their pages here
    local = {"prefixes": {p: str(ns) for p, ns in PREFIXES.items()},
             "routes": {ns: request.script_root + path for ns, path in LOCAL_ROUTES.items()}}
    page = render_template("query.html", query=query, examples=examples, examples_data=[{"name": e.name, "title": e.title, "description": e.description, "text": e.text}
                                                                          for e in examples],
                           result=result, form=form, cell=cell, local=local,
                           downloads=downloads, truncated=getattr(result, "truncated", False), cap=context().store.cap)
    return Response(page, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint():
    """SPARQL 1.1 Protocol: query by GET, URL-encoded POST or direct POST; no query → service description."""
    ctx = context()
    body = request.get_data(cache=False) if request.method == "POST" else b""
    sparql = read_request(request.method, request.query_string, request.mimetype, body)
    if sparql.query is None:
        fmt = negotiate(request.accept_mimetypes, sparql.format_names, (TURTLE, HTML) + GRAPH_FORMATS[1:])
        return query_page() if fmt is HTML else rdf_answer(service_description(request.base_url), fmt)
    query = ctx.store.read(sparql.query)
    form = query.form
    offered = RESULT_FORMATS if form in (SELECT, ASK) else GRAPH_FORMATS
    fmt = negotiate(request.accept_mimetypes, sparql.format_names, offered + (HTML,))
    result = ctx.store.query(query, sparql.dataset, fmt=None if fmt is HTML else fmt.key, client=request.remote_addr,
                             base_iri=request.base_url)  # relative IRIs resolve against the request's IRI
    if fmt is HTML:
        response = query_page(query.text, result, form)
    elif isinstance(result, Serialized):  # written by the store itself (every graph, most SELECT results)
        response = Response(rdf_body(result.body, fmt) if fmt is JSONLD else result.body, content_type=fmt.content_type)
    elif isinstance(result, bool):
        response = Response(write_boolean(result, fmt), content_type=fmt.content_type)
    else:
        response = Response(write_solutions(result, fmt), content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    if isinstance(result, (Solutions, Triples, Serialized)) and result.truncated:
        response.headers[TRUNCATED_HEADER] = f"cap={ctx.store.cap}"
    return response


@blueprint.get("/query")
def page():
    return query_page(example=request.args.get("example"))


def ontology_terms() -> dict[str, list[str]]:
    """The classes and properties the store declares (the ontology and the vocabularies it uses), read once:
    the editor completes from them here instead of asking a remote service."""
    cache = context().cache
    if "terms" not in cache:
        rows = context().store.select(sparql_prologue() + """
            SELECT DISTINCT ?term ?kind WHERE {
              { ?term a owl:Class } UNION { ?term a rdfs:Class } BIND ("classes" AS ?kind)
              FILTER (isIRI(?term))
            } ORDER BY ?term""").rows + context().store.select(sparql_prologue() + """
            SELECT DISTINCT ?term ?kind WHERE {
              VALUES ?type { rdf:Property owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty
                             qb:DimensionProperty qb:MeasureProperty qb:AttributeProperty }
              ?term a ?type BIND ("properties" AS ?kind)
              FILTER (isIRI(?term))
            } ORDER BY ?term""").rows
        terms = {"classes": [], "properties": [], "prefixes": {p: str(ns) for p, ns in PREFIXES.items()}}
        for row in rows:
            terms[str(row["kind"])].append(str(row["term"]))
        cache["terms"] = terms
    return cache["terms"]


@blueprint.get("/query/terms.json")
def terms():
    """What the query editor completes: the ontology's classes and properties, and the project prefixes."""
    response = jsonify(ontology_terms())
    response.cache_control.max_age = 3600
    return response


@blueprint.get("/vendor/yasgui/<path:name>")
def yasgui(name: str):
    """YASGUI's build, installed by ``npm ci --prefix sec_kg/web`` (never committed, never from a CDN)."""
    return send_from_directory(YASGUI_DIR, name, max_age=86400)
