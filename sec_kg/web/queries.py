"""``/queries`` (the canned queries as pages with a parameter form), ``/api/queries/NAME`` (their results by
content negotiation) and ``/openapi.json`` (those routes described for programs).

Parameters are bound by ``sec_kg.queries`` (the one binder the CLI uses too): a value that does not
parse as its type is a 400 with the parser's sentence, an unknown query a 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for
from markupsafe import Markup
from rdflib import Literal, URIRef

from .. import __version__
from ..formats import CSV, JSON, RESULT_FORMATS, TSV
from ..namespaces import sparql_prologue
from ..protocol import negotiate, write_solutions
from ..queries import IN_GRAPH, SCHEMAS, CannedQuery, Choice, ParameterError, catalogue, graph_choices
from . import TRUNCATED_HEADER, context, error_answer
from .i18n import language
from .view import cell, link_of, literal_text, name_of

blueprint = Blueprint("queries", __name__)


def canned() -> dict[str, CannedQuery]:
    """The catalogue, parsed once per application."""
    cache = context().cache
    if "canned" not in cache:
        cache["canned"] = catalogue(context().settings.queries_dir)
    return cache["canned"]


def state_queries() -> list[tuple[CannedQuery, str]]:
    """The canned queries that take a State, with the parameter that names it: a State's pages offer them
    with that State chosen."""
    return sorted(((query, p.name) for query in canned().values() for p in query.parameters if p.type == "state"),
                  key=lambda found: found[0].title.casefold())


def _query(name: str) -> CannedQuery:
    query = canned().get(name)
    if query is None:
        abort(404)
    return query


def _values() -> dict[str, str]:
    """The request's parameters (empty ones left out, as an unset parameter; unknown ones are the binder's 400),
    without the result format and the page's language."""
    return {key: value for key, value in request.args.items() if key not in ("format", "lang") and value.strip()}


def graph_values(kinds) -> dict[str, list[Choice]]:
    """Parameter type -> the values the graph holds for it, for each of ``kinds`` that takes graph values;
    each type read when first needed, once per application (a page that names States does not read the
    names of every resource, which a large graph holds by the million)."""
    cache = context().cache
    wanted = set(kinds) & set(IN_GRAPH)
    missing = [kind for kind in wanted if ("graph-values", kind) not in cache]
    if missing:
        cache.update({("graph-values", kind): values for kind, values in graph_choices(context().store, missing).items()})
    return {kind: cache[("graph-values", kind)] for kind in wanted}


def run(query: CannedQuery, values: dict[str, str]):
    """The bound text and its solutions (a bad parameter, or a value the graph does not hold, raises
    ``ParameterError``: 400 below)."""
    text = query.bind(values, graph_values(query.types))
    return text, context().store.select(text)


@blueprint.app_errorhandler(ParameterError)
def bad_parameter(exc: ParameterError):
    return error_answer(400, str(exc))


def choices(kinds) -> dict[str, list[tuple[str, str]]]:
    """Parameter type -> (value, what people read) of each value it accepts, for the form's selects, for
    each of ``kinds``: the values the graph holds by their names in the page's language (read once per
    type and language), yes and no."""
    cache = context().cache
    found = {"boolean": [(str(value).lower(), literal_text(Literal(value))) for value in (True, False)]}
    for kind, values in graph_values(kinds).items():
        key = ("choices", kind, language())
        if key not in cache:
            names = _names(IN_GRAPH[kind].pattern)
            cache[key] = sorted(((c.code, names.get(c.term, c.code)) for c in values),
                                key=lambda choice: (choice[1].casefold(), choice[0]))
        found[kind] = cache[key]
    return found


def state_names() -> dict[str, str]:
    """Each State's code -> its name in the page's language (Perú, México on a Spanish page)."""
    return dict(choices({"state"})["state"])


def _names(pattern: str) -> dict:
    """Each IRI ``pattern`` binds as ``?value`` -> its name (as the pages name it)."""
    triples = context().store.construct(sparql_prologue() + f"""
        CONSTRUCT {{ ?value ?p ?label }} WHERE {{
          {{ SELECT DISTINCT ?value WHERE {{ {pattern} }} }}
          FILTER (isIRI(?value))
          ?value ?p ?label VALUES ?p {{ rdfs:label skos:prefLabel skos:altLabel }}
        }}""", cap=None)
    graph, vocabulary = triples.graph, context().vocabulary
    return {term: str(name_of(graph, term, vocabulary)) for term in set(graph.subjects())}


#: parameter types whose values are too many for a select: typed, with the names offered as completions
AUTOCOMPLETED = ("resource",)


def _downloads(name: str, values: dict[str, str]) -> list[tuple[str, str]]:
    return [(fmt.names[0].upper(), url_for("queries.api", name=name, format=fmt.names[0], **values))
            for fmt in (CSV, TSV, JSON)]


@blueprint.get("/queries")
def index():
    return render_template("queries.html", queries=canned())


@blueprint.get("/queries/<path:name>")
def page(name: str):
    """The parameter form, the result table, the SPARQL text, and links to the same result as files."""
    query = _query(name)
    values = _values()
    try:
        text, solutions = run(query, values)
    except ParameterError as exc:  # the form stays, with what was wrong and the values that would do
        page = render_template("canned.html", query=query, values=values, error=exc, valid=_valid(query, exc),
                               text=query.text, result=None, choices=choices(query.types), autocompleted=AUTOCOMPLETED)
        return Response(page, status=400, content_type="text/html; charset=utf-8")
    downloads = _downloads(name, values)
    shown = [v for v in solutions.variables if not (v.endswith("Label") and v[:-5] in solutions.variables)]
    return render_template("canned.html", query=query, values=values, text=text, result=solutions, cell=labelled_cell,
                           columns=shown, downloads=downloads, cap=context().store.cap,
                           choices=choices(query.types), autocompleted=AUTOCOMPLETED)


def _valid(query: CannedQuery, exc: ParameterError) -> list[tuple[str, str]]:
    """(value, name) of each value the parameter at fault accepts, named as the form names them."""
    kind = next((p.type for p in query.parameters if p.name == exc.parameter), None)
    names = dict(choices({kind}).get(kind, ()))
    return [(code, names.get(code, code)) for code in exc.valid]


def labelled_cell(row: dict, variable: str) -> Markup:
    """A resource shown by its ``?xLabel`` and linked (the downloads keep both columns)."""
    term, label = row.get(variable), row.get(variable + "Label")
    if isinstance(term, URIRef) and label is not None and link_of(term):
        return Markup('<a href="{}">{}</a>').format(link_of(term), str(label))
    return cell(term)


@blueprint.get("/api/queries/<path:name>")
def api(name: str):
    """The result as SPARQL JSON, XML, CSV or TSV, chosen by ``Accept`` or ``format=``."""
    query = _query(name)
    fmt = negotiate(request.accept_mimetypes, request.args.getlist("format"), RESULT_FORMATS)
    try:
        _, solutions = run(query, _values())
    except ParameterError as exc:  # programs get the parameter at fault and the values it accepts
        answer = jsonify({"error": str(exc), "parameter": exc.parameter, "valid": list(exc.valid)})
        answer.status_code = 400
        return answer
    response = Response(write_solutions(solutions, fmt), content_type=fmt.content_type, headers={"Vary": "Accept"})
    if solutions.truncated:
        response.headers[TRUNCATED_HEADER] = f"cap={context().store.cap}"
    return response


@blueprint.get("/api/queries")
def api_index():
    """The catalogue as JSON: name, title, description and parameters of each canned query."""
    return jsonify([{"name": q.name, "title": q.title, "description": q.description,
                     "parameters": [vars(p) for p in q.parameters]} for q in canned().values()])


def _parameter(p) -> dict:
    values = graph_values({p.type}).get(p.type)
    if values is not None:
        schema = {"type": "string", "enum": [c.code for c in values]}
    else:
        schema = dict(SCHEMAS.get(p.type, {"type": "string"}))
    if p.default:
        schema["default"] = p.default
    return {"name": p.name, "in": "query", "required": False, "description": f"{p.meaning} (type: {p.type})",
            "schema": schema}


@blueprint.get("/openapi.json")
def openapi():
    """OpenAPI 3.0 for the canned-query routes: one path per query, its parameters typed and documented."""
    errors = {"400": {"description": "a bad parameter value or an unknown parameter: JSON with `error` (the sentence), "
                             "`parameter` and `valid` (the values it accepts, when they form a closed list)"},
              "404": {"description": "no such canned query"},
              "406": {"description": "no acceptable result format"}}
    media = {fmt.mimetype: {"schema": {"type": "string" if fmt is not JSON else "object"}} for fmt in RESULT_FORMATS}
    fmt_param = {"name": "format", "in": "query", "required": False,
                 "description": "result format; wins over Accept",
                 "schema": {"type": "string", "enum": [fmt.names[0] for fmt in RESULT_FORMATS]}}
    paths = {"/api/queries": {"get": {"summary": "The canned queries and their parameters", "operationId": "listQueries",
                                      "responses": {"200": {"description": "the catalogue",
                                                            "content": {"application/json": {"schema": {"type": "array"}}}}}}}}
    for name, query in canned().items():
        paths[f"/api/queries/{name}"] = {"get": {
            "summary": query.title, "description": query.description, "operationId": "query_" + name.replace("/", "_").replace("-", "_"),
            "tags": ["canned queries"], "parameters": [_parameter(p) for p in query.parameters] + [fmt_param],
            "responses": {"200": {"description": "the SPARQL results", "content": media}, **errors}}}
    return jsonify({"openapi": "3.0.3",
                    "info": {"title": "sec-kg canned queries", "version": __version__,
                             "description": "Comparative questions on how 8 States of the Americas address the sexual "
                                            "exploitation of children and adolescents, answered from the sec-kg graph."},
                    "servers": [{"url": request.host_url.rstrip("/")}], "paths": paths})
