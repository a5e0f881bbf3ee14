"""Linked data: ``/id/...`` and ``/ontology`` dereference, ``/data/`` dumps, ``/.well-known/void`` (VoID + DCAT)."""

from __future__ import annotations

import hashlib
import re
import threading

from flask import Blueprint, Response, abort, render_template, request, url_for
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID

from ..namespaces import ID, ONTOLOGY_IRI, SEC, bind_prefixes, sparql_prologue
from ..protocol import GRAPH_FORMATS, HTML, JSONLD, NTRIPLES, TURTLE, negotiate, write_graph
from ..store import Store, Triples
from . import context
from .view import local_name, name_of, resource_view

blueprint = Blueprint("linked", __name__)

#: Turtle first: a client that accepts anything gets data; browsers ask for HTML by name.
DOCUMENT_FORMATS = GRAPH_FORMATS + (HTML,)
DUMP_FORMATS = {"ttl": TURTLE, "nt": NTRIPLES, "jsonld": JSONLD}
#: Characters allowed in the path of an /id/ IRI; anything else could not be a resource of ours
#: and must not reach a query text.
SAFE_PATH = re.compile(r"(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})+")
STATE_CODE = re.compile(r"[A-Z]{2}")
_DUMP_BUILD = threading.Lock()


# Each OPTIONAL repeats the pattern it hangs from ($IRI ?p ?o, ?s ?q $IRI): the same answers, but pyoxigraph,
# which evaluates an OPTIONAL's body on its own before joining, then starts from the IRI instead of
# scanning every label and statement of the graph (1.3-3.5x faster at the report's size).
_RESOURCE_QUERY = sparql_prologue() + """
CONSTRUCT {
  $IRI ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 . ?o ?lp ?ol . ?o2 ?lp2 ?ol2 .
  ?s ?q $IRI . ?s ?lq ?sl . ?s ?sp ?so . ?so ?lso ?sol .
} WHERE {
  { $IRI ?p ?o .
    OPTIONAL { $IRI ?p ?o . ?o ?lp ?ol VALUES ?lp { rdfs:label skos:prefLabel } }
    OPTIONAL { $IRI ?p ?o . ?o ?p2 ?o2 FILTER(isBlank(?o) || NOT EXISTS { ?o rdfs:label|skos:prefLabel [] })
               OPTIONAL { $IRI ?p ?o . ?o ?p2 ?o2 . ?o2 ?lp2 ?ol2 VALUES ?lp2 { rdfs:label skos:prefLabel } }
               OPTIONAL { $IRI ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 FILTER(isBlank(?o) && isBlank(?o2)) } } }
  UNION
  { ?s ?q $IRI .
    OPTIONAL { ?s ?q $IRI . ?s ?lq ?sl VALUES ?lq { rdfs:label skos:prefLabel } }
    OPTIONAL { ?s ?q $IRI . ?s ?sp ?so FILTER NOT EXISTS { ?s rdfs:label|skos:prefLabel [] }
               OPTIONAL { ?s ?q $IRI . ?s ?sp ?so . ?so ?lso ?sol VALUES ?lso { rdfs:label skos:prefLabel } } } }
}"""



def resource_triples(store: Store, iri: str) -> Triples:
    """What a linked-data client gets for ``iri``: its triples (blank nodes followed), its incoming
    links, and the labels of every neighbour; a neighbour without a label brings its own statements
    so that a name can be composed for it. Uncapped: a resource is never cut short."""
    return store.construct(_RESOURCE_QUERY.replace("$IRI", f"<{iri}>"), cap=None)


def _negotiated(triples: Triples, page):
    """Answer ``triples`` in the negotiated format, or the HTML that ``page()`` renders."""
    fmt = negotiate(request.accept_mimetypes, request.args.getlist("format"), DOCUMENT_FORMATS)
    if fmt is HTML:
        response = Response(page(), content_type="text/html; charset=utf-8")
    else:
        response = Response(write_graph(triples, fmt), content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response


def _described(iri: URIRef, triples: Triples) -> Triples:
    """``triples`` about ``iri``; 404 when ``iri`` is no subject in them (an unknown IRI)."""
    if b"\n<%s> " % str(iri).encode() not in b"\n" + triples.ntriples:
        abort(404)
    return triples


def _page(triples: Triples, iri: URIRef, extra=None):
    ctx = context()
    return render_template("resource.html", view=resource_view(triples.graph, iri, ctx.vocabulary),
                           is_state=(iri, RDF.type, SEC.State) in triples.graph, extra=extra)


@blueprint.get("/id/<path:rest>")
def resource(rest: str):
    iri = ID[rest]
    if not SAFE_PATH.fullmatch(rest):
        abort(404)
    triples = _described(iri, resource_triples(context().store, str(iri)))
    return _negotiated(triples, lambda: _page(triples, iri))


@blueprint.get("/ontology")
def ontology():
    """The ontology IRI: the ontology and its terms as data; in HTML its terms listed with #anchors."""
    iri = URIRef(ONTOLOGY_IRI)
    query = f'CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ONTOLOGY_IRI}")) }}'  # any graph layout
    triples = _described(iri, context().store.construct(query, cap=None))

    def page():
        graph, vocabulary = triples.graph, context().vocabulary
        terms = sorted(((local_name(t), name_of(graph, t, vocabulary), graph.value(t, RDFS.comment))
                        for t in set(graph.subjects()) if str(t).startswith(ONTOLOGY_IRI + "#")), key=lambda t: t[0].lower())
        return _page(triples, iri, terms)

    return _negotiated(triples, page)


# --- dumps -----------------------------------------------------------------------------------

def _dump_query(scope: str) -> str:
    """Everything (the union graph), or one State: its resource and all that has sec:state it, blank nodes followed."""
    if scope == "all":
        return "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    state = ID[f"state/{scope}"]
    return sparql_prologue() + f"""
CONSTRUCT {{ ?s ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 }}
WHERE {{ {{ ?s sec:state <{state}> }} UNION {{ BIND(<{state}> AS ?s) }}
  ?s ?p ?o .
  OPTIONAL {{ ?o ?p2 ?o2 FILTER(isBlank(?o)) OPTIONAL {{ ?o2 ?p3 ?o3 FILTER(isBlank(?o2)) }} }} }}"""


@blueprint.get("/data/")
def dumps():
    return render_template("dumps.html", states=context().states, formats=DUMP_FORMATS)


@blueprint.get("/data/<scope>.<ext>")
def dump(scope: str, ext: str):
    """A whole-graph dump, cached once built, with ETag and Last-Modified so clients can revalidate."""
    ctx = context()
    if ext not in DUMP_FORMATS or not (scope == "all" or (STATE_CODE.fullmatch(scope) and scope in dict(context().states))):
        abort(404)
    key, fmt = ("dump", scope, ext), DUMP_FORMATS[ext]
    with _DUMP_BUILD:  # one dump built at a time: the other query processes keep answering queries
        if key not in ctx.cache:
            body = ctx.store.query(_dump_query(scope), cap=None, fmt=fmt.key, timeout=ctx.settings.dump_timeout).body
            # weak: every worker writes the same triples, blank node labels and order may differ
            version = ctx.settings.data_version or hashlib.sha256(body).hexdigest()
            ctx.cache[key] = (body, hashlib.sha256(f"{version} {scope}.{ext}".encode()).hexdigest()[:32])
    body, etag = ctx.cache[key]
    response = Response(body, content_type=fmt.content_type)
    response.set_etag(etag, weak=True)
    response.last_modified = ctx.settings.loaded_at
    response.headers["Content-Disposition"] = f'inline; filename="sec-kg-{scope}.{ext}"'
    return response.make_conditional(request)


# --- VoID and DCAT ---------------------------------------------------------------------------

@blueprint.get("/.well-known/void")
def void():
    """VoID and DCAT in one document: the dataset, its dumps (dcat:Distribution) and the endpoint (dcat:DataService)."""
    ctx = context()
    root = request.url_root
    graph = bind_prefixes(Graph())
    dataset, service = URIRef(root + ".well-known/void#sec-kg"), URIRef(root + "sparql")
    count = ctx.store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]
    for kind in (VOID.Dataset, DCAT.Dataset):
        graph.add((dataset, RDF.type, kind))
    graph.add((dataset, DCTERMS.title, Literal("sec-kg: addressing sexual exploitation of children in the Americas", lang="en")))
    graph.add((dataset, DCTERMS.description, Literal(
        "How 8 States of the Americas address the sexual exploitation of children and adolescents, "
        "from the IIN-OAS report to the OAS Secretary General (2024).", lang="en")))
    graph.add((dataset, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    graph.add((dataset, VOID.triples, count))
    graph.add((dataset, VOID.uriSpace, Literal(str(ID))))
    graph.add((dataset, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    graph.add((dataset, VOID.sparqlEndpoint, service))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCAT.endpointURL, service))
    graph.add((service, DCAT.endpointDescription, service))
    graph.add((service, DCAT.servesDataset, dataset))
    graph.add((dataset, DCAT.accessService, service))
    for scope, label in [("all", "all States")] + context().states:
        for ext, fmt in DUMP_FORMATS.items():
            download = URIRef(root.rstrip("/") + url_for("linked.dump", scope=scope, ext=ext))
            distribution = BNode()
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCTERMS.title, Literal(f"{label} ({ext})", lang="en")))
            graph.add((distribution, DCAT.downloadURL, download))
            graph.add((distribution, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{fmt.mimetype}")))
            if scope == "all":
                graph.add((dataset, VOID.dataDump, download))
    fmt = negotiate(request.accept_mimetypes, request.args.getlist("format"), GRAPH_FORMATS)
    return Response(write_graph(graph, fmt), content_type=fmt.content_type, headers={"Vary": "Accept"})
