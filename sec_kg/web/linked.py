"""Linked data: ``/id/...`` and ``/ontology`` dereference; ``/data/`` dumps, ``/void`` (VoID + DCAT, also at
``/.well-known/void``) and ``/context.jsonld`` (the JSON-LD context every JSON-LD answer names)."""

from __future__ import annotations

import hashlib
import json
import re
import threading

from flask import Blueprint, Response, abort, render_template, request
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from .. import dumps as dump_files
from .. import jsonld, void as void_description
from ..artefact import INFERRED
from ..namespaces import GRAPH, ID, ONTOLOGY_IRI, SEC, sparql_prologue
from ..formats import GRAPH_FORMATS, HTML, JSONLD
from ..protocol import negotiate, write_graph
from ..serialize import write_graph as write_rdf
from ..store import Store, Triples
from . import context
from .queries import state_names, state_queries
from .view import Neighbour, local_name, name_of, resource_view

blueprint = Blueprint("linked", __name__)

#: Turtle first: a client that accepts anything gets data; browsers ask for HTML by name.
DOCUMENT_FORMATS = GRAPH_FORMATS + (HTML,)
#: Characters allowed in the path of an /id/ IRI; anything else could not be a resource of ours
#: and must not reach a query text.
SAFE_PATH = re.compile(r"(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})+")
STATE_CODE = re.compile(r"[A-Z]{2}")
_DUMP_BUILD = threading.Lock()


# Four simple branches, each OPTIONAL joined on what its branch has bound: pyoxigraph then starts
# every branch from the IRI (under 1 ms per resource at the report's size, 40x faster than the same
# answers written as nested OPTIONALs that repeat the patterns they hang from).
_RESOURCE_QUERY = sparql_prologue() + """
CONSTRUCT {
  $IRI ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 . ?o ?lp ?ol . ?o2 ?lp2 ?ol2 .
  ?s ?q $IRI . ?s ?lq ?sl . ?s ?sp ?so . ?so ?lso ?sol .
} WHERE {
  { $IRI ?p ?o OPTIONAL { ?o ?lp ?ol VALUES ?lp { rdfs:label skos:prefLabel } } }
  UNION
  { $IRI ?p ?o . ?o ?p2 ?o2 FILTER(isBlank(?o) || NOT EXISTS { ?o rdfs:label|skos:prefLabel [] })
    OPTIONAL { ?o2 ?lp2 ?ol2 VALUES ?lp2 { rdfs:label skos:prefLabel } }
    OPTIONAL { ?o2 ?p3 ?o3 FILTER(isBlank(?o) && isBlank(?o2)) } }
  UNION
  { ?s ?q $IRI OPTIONAL { ?s ?lq ?sl VALUES ?lq { rdfs:label skos:prefLabel } } }
  UNION
  { ?s ?q $IRI . ?s ?sp ?so FILTER NOT EXISTS { ?s rdfs:label|skos:prefLabel [] }
    OPTIONAL { ?so ?lso ?sol VALUES ?lso { rdfs:label skos:prefLabel } } }
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
        response = Response(rdf_body(triples, fmt), content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response


def jsonld_context() -> dict:
    """The context document, generated from the ontology the store serves (read once)."""
    cache = context().cache
    if "jsonld-context" not in cache:
        cache["jsonld-context"] = jsonld.build_context(_ontology_triples().graph)
    return cache["jsonld-context"]


def rdf_body(graph: Graph | Triples | bytes, fmt) -> bytes:
    """A graph in an RDF format: JSON-LD compact against the published context (``bytes`` are
    expanded JSON-LD, as the query processes write it), the others through ``write_graph``."""
    if fmt is JSONLD:
        if isinstance(graph, bytes):
            return jsonld.compact(graph, jsonld_context())
        return jsonld.write(graph.graph if isinstance(graph, Triples) else graph, jsonld_context())
    if isinstance(graph, Graph):  # built in code: written like query results, sorted and prefixed
        return write_rdf(graph, fmt.key)
    return write_graph(graph, fmt)


def _described(iri: URIRef, triples: Triples) -> Triples:
    """``triples`` about ``iri``; 404 when ``iri`` is no subject in them (an unknown IRI)."""
    if b"\n<%s> " % str(iri).encode() not in b"\n" + triples.ntriples:
        abort(404)
    return triples


# The types the data state, not those reasoning adds (graph/inferred): a body is a Coordination body, not also
# a prov:Entity because it has a source. On a store without that graph every type counts as stated.
_NEIGHBOURS_QUERY = sparql_prologue() + """
SELECT ?s ?type ?state WHERE {
  { ?s ?p $IRI
    OPTIONAL { GRAPH ?g { ?s a ?type } FILTER(?g != <%s>) }
    OPTIONAL { ?s sec:state ?state } }
  UNION
  { GRAPH ?g { $IRI a ?type } FILTER(?g != <%s>) BIND($IRI AS ?s) }
}""" % (INFERRED, INFERRED)


def _page(triples: Triples, iri: URIRef, extra=None):
    """The resource page; ``?all=PROPERTY`` lists every resource that links to it by that property."""
    ctx = context()
    neighbours: dict = {}
    names = state_names()
    for row in ctx.store.query(_NEIGHBOURS_QUERY.replace("$IRI", f"<{iri}>"), cap=None).rows:
        neighbour = neighbours.setdefault(row["s"], Neighbour())
        if row.get("type") is not None:
            neighbour.types.add(row["type"])
        if row.get("state") is not None:
            neighbour.state = row["state"]
            neighbour.state_name = names.get(local_name(row["state"]), "")
    own = neighbours.pop(iri, Neighbour())
    view = resource_view(triples.graph, iri, ctx.vocabulary, neighbours, own.types, request.args.get("all"))
    return render_template("resource.html", view=view, is_state=(iri, RDF.type, SEC.State) in triples.graph,
                           extra=extra, state_queries=state_queries())


@blueprint.get("/id/<path:rest>")
def resource(rest: str):
    iri = ID[rest]
    if not SAFE_PATH.fullmatch(rest):
        abort(404)
    triples = _described(iri, resource_triples(context().store, str(iri)))
    return _negotiated(triples, lambda: _page(triples, iri))


def _ontology_triples() -> Triples:
    """The ontology's triples: the service's own query, of known cost, so held to the dump time limit."""
    query = f'CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ONTOLOGY_IRI}")) }}'  # any graph layout
    return context().store.query(query, cap=None, timeout=context().settings.dump_timeout)


@blueprint.get("/ontology")
def ontology():
    """The ontology IRI: the ontology and its terms as data; in HTML its terms listed with #anchors."""
    iri = URIRef(ONTOLOGY_IRI)
    triples = _described(iri, _ontology_triples())

    def page():
        graph, vocabulary = triples.graph, context().vocabulary
        terms = sorted(((local_name(t), name_of(graph, t, vocabulary), graph.value(t, RDFS.comment))
                        for t in set(graph.subjects()) if str(t).startswith(ONTOLOGY_IRI + "#")), key=lambda t: t[0].lower())
        return _page(triples, iri, terms)

    return _negotiated(triples, page)


@blueprint.get("/graph/<path:rest>")
def named_graph(rest: str):
    """A named graph (one source file, or the inferences): its resources for people, its triples for programs;
    404 for a graph the store does not hold."""
    if not SAFE_PATH.fullmatch(rest):
        abort(404)
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH[rest]}> {{ ?s ?p ?o }} }}"
    triples = context().store.construct(query, cap=None)
    if not triples.ntriples.strip():
        abort(404)

    def page():
        graph, vocabulary = triples.graph, context().vocabulary
        subjects = sorted((name_of(graph, s, vocabulary), s) for s in set(graph.subjects()) if isinstance(s, URIRef))
        return render_template("graph.html", iri=str(GRAPH[rest]), size=len(graph), subjects=subjects)

    return _negotiated(triples, page)


# --- dumps -----------------------------------------------------------------------------------

def _dump(scope: str, ext: str) -> bytes:
    return _dumps(scope, (ext,))[ext]


def _dumps(scope: str, exts: tuple[str, ...]) -> dict[str, bytes]:
    """Dump files of a scope (``all`` or a State's code), by extension, built on first request under
    the dump time limit (the service's own query, of known cost), one build at a time, then kept.
    Each format is built only when asked for (a whole-graph JSON-LD file of a large graph costs far
    more than Turtle); formats asked for together share one query and one canonical ordering."""
    ctx = context()
    with _DUMP_BUILD:  # one build at a time: the other query processes keep answering queries
        missing = tuple(ext for ext in exts if ("dump", scope, ext) not in ctx.cache)
        if missing:
            timeout = ctx.settings.dump_timeout
            statements = (dump_files.whole_graph(ctx.store, timeout) if scope == dump_files.WHOLE else
                          dump_files.state_subset(ctx.store, ctx.settings.queries_dir, scope, timeout))
            for name, body in dump_files.scope_dumps(statements, scope, jsonld_context(), missing).items():
                ctx.cache[("dump", scope, name.rsplit(".", 1)[1])] = body
            ctx.cache[("dump-size", scope)] = len(statements)
    return {ext: ctx.cache[("dump", scope, ext)] for ext in exts}


def _scopes() -> list[str]:
    return [dump_files.WHOLE] + [code for code, _ in context().states]


def _catalogue(sizes: bool) -> list[void_description.Distribution]:
    """Every dump; with ``sizes``, all of them are built first to know their bytes."""
    found = []
    for scope in _scopes():
        exts = dump_files.formats_of(scope)
        bodies = _dumps(scope, exts) if sizes else {}
        found += [dump_files.distribution(f"{scope}.{ext}", bodies.get(ext)) for ext in exts]
    return found


def description(sizes: bool = True) -> void_description.Description:
    """The dataset's description; without ``sizes`` (the home page) no dump is built for it."""
    ctx = context()
    distributions = _catalogue(sizes)
    state_sizes = {scope: ctx.cache[("dump-size", scope)] for scope in _scopes()[1:] if ("dump-size", scope) in ctx.cache}
    return void_description.describe(ctx.store, distributions, state_sizes, ctx.settings.loaded_at,
                                     timeout=ctx.settings.dump_timeout)


@blueprint.get("/data/")
def dumps():
    return render_template("dumps.html", states=context().states, description=description(sizes=True),
                           formats=dump_files.FORMATS, state_formats=dump_files.STATE_FORMATS)


@blueprint.get("/data/<scope>.<ext>")
def dump(scope: str, ext: str):
    """A dump, with a strong ETag (the bytes are the same from every worker) and Last-Modified."""
    ctx = context()
    known = scope == dump_files.WHOLE or (STATE_CODE.fullmatch(scope) and scope in dict(ctx.states))
    if not known or ext not in dump_files.formats_of(scope):
        abort(404)
    body = _dump(scope, ext)
    response = Response(body, content_type=dump_files.FORMATS[ext].content_type)
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.last_modified = ctx.settings.loaded_at
    response.headers["Content-Disposition"] = f'inline; filename="sec-kg-{scope}.{ext}"'
    # every dump names its licence and its description here too: JSON-LD has no comment lines for them
    response.headers["Link"] = f'<{void_description.LICENCE}>; rel="license", <{void_description.DATASET}>; rel="describedby"'
    return response.make_conditional(request)


# --- VoID and DCAT, the JSON-LD context ------------------------------------------------------

@blueprint.get("/.well-known/void")
@blueprint.get("/void")
def void():
    """The dataset's VoID + DCAT description: a page for browsers, RDF for programs."""
    fmt = negotiate(request.accept_mimetypes, request.args.getlist("format"), DOCUMENT_FORMATS)
    found = description(sizes=True)
    if fmt is HTML:
        body = render_template("void.html", d=found, void=void_description)
        return Response(body, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
    return Response(rdf_body(void_description.void_graph(found), fmt), content_type=fmt.content_type,
                    headers={"Vary": "Accept"})


@blueprint.get("/context.jsonld")
def context_document():
    body = json.dumps(jsonld_context(), indent=1, ensure_ascii=False) + "\n"
    return Response(body, content_type=jsonld.MEDIA_TYPE + "; charset=utf-8")
