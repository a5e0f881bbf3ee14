"""HTML for people: the home page, a page per State by Stockholm category, and label search."""

from __future__ import annotations

import unicodedata

from flask import Blueprint, abort, render_template, request
from rdflib import Literal, URIRef
from rdflib.namespace import ORG, QB, RDF

from .. import __version__, void
from ..stats import class_counts_query
from ..dumps import state_query
from ..namespaces import ID, SEC, sparql_prologue
from . import context, views
from .browse import KINDS
from .linked import description
from .queries import state_names, state_queries
from .views import MEASURES, feature_rows, state_measures
from .view import CATEGORIES, OTHER, OTHER_GROUPS, kinds_text, link_of, name_of, natural_key

blueprint = Blueprint("pages", __name__)

MAX_SEARCH_LENGTH = 100


#: ISO 3166-1 numeric code of each State: the ids of the Natural Earth boundaries in world-atlas, which the
#: home page's map draws. A standard code, not something the report prints, so kept here and not in the data.
ISO_NUMERIC = {"CA": "124", "CL": "152", "CO": "170", "EC": "218", "GT": "320", "GY": "328", "MX": "484", "PE": "604"}
#: the Natural Earth boundaries the map draws: at 1:110m every State, Guatemala and Guyana included, is big
#: enough to click at the size of the map
ATLAS = "countries-110m.json"


@blueprint.get("/")
def home():
    ctx = context()
    triples = ctx.store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]
    shown = (str(SEC), str(ORG.Membership), str(QB.DataSet), str(QB.Observation))
    classes = [r for r in ctx.store.select(class_counts_query()).rows
               if str(r["type"]).startswith(shown[0]) or str(r["type"]) in shown[1:]]
    vocabulary = ctx.vocabulary
    names = state_names()
    return render_template("home.html", triples=int(triples), iso_numeric=ISO_NUMERIC,
                           states=[(code, names.get(code, label)) for code, label in ctx.states],
                           measures=MEASURES, counts=state_measures(), features=feature_rows(),
                           atlas=ATLAS if views.ATLAS_DIR.is_dir() and views.D3_DIR.is_dir() else None,
                           void=void, version=__version__,
                           browse_kinds=[(slug, kind.title) for slug, kind in KINDS.items()],
                           dataset=void.schema_org(description(sizes=False)),
                           classes=[(vocabulary.label(r["type"]), link_of(r["type"]), int(r["n"])) for r in classes])


@blueprint.get("/state/<code>")
def state(code: str):
    """Everything the report says about one State (resources with sec:state), by Stockholm category."""
    ctx = context()
    if not (len(code) == 2 and code.isascii() and code.isalpha()):
        abort(404)  # before the code goes into a query
    iri = ID[f"state/{code.upper()}"]
    names = ctx.store.select(sparql_prologue() + f"""
        SELECT ?label WHERE {{ <{iri}> a sec:State ; rdfs:label ?label FILTER(lang(?label) = "en") }}""").rows
    if not names:
        abort(404)
    graph = ctx.store.construct(state_query(ctx.settings.queries_dir, code.upper()), cap=None).graph
    vocabulary = ctx.vocabulary
    groups = {category: [] for category in [*CATEGORIES, *OTHER_GROUPS.values(), OTHER]}
    for resource in set(graph.subjects(SEC.state, iri)):
        kinds = kinds_text(set(graph.objects(resource, RDF.type)), vocabulary)
        groups[vocabulary.category_of(graph, resource)].append((name_of(graph, resource, vocabulary), link_of(resource), kinds))
    sections = [(vocabulary.label(c) if isinstance(c, URIRef) else str(c), c, len(items), _by_kind(items))
                for c, items in groups.items() if items]
    return render_template("state.html", name=str(names[0]["label"]), code=code.upper(), iri=str(iri),
                           sections=sections, categories=[vocabulary.label(c) for c in CATEGORIES],
                           state_queries=state_queries())


def _by_kind(items: list[tuple]) -> list[tuple[str, list[tuple]]]:
    """A category's (name, link, kinds) items grouped by kinds (groups by name), each group in natural
    order: acts by year and number, articles by number."""
    kinds = sorted({item[2] for item in items}, key=str.casefold)
    return [(kind, sorted((i for i in items if i[2] == kind), key=lambda i: (natural_key(i[0]), i[1]))) for kind in kinds]


def fold(text: str) -> str:
    """Lower case without accents: a typed accent is optional ("Perú" finds "Peru"), case never matters."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@blueprint.get("/search")
def search():
    """Label search over English and Spanish labels, alternative labels and acronyms, exact matches first."""
    ctx = context()
    text = request.args.get("q", "").strip()[:MAX_SEARCH_LENGTH]
    hits = []
    if text:
        needle = Literal(fold(text)).n3()
        rows = ctx.store.select(sparql_prologue() + f"""
            SELECT DISTINCT ?r ?matched ?label ?type WHERE {{
              ?r rdfs:label|skos:altLabel|skos:prefLabel|skos:notation ?matched .
              FILTER(isIRI(?r) && (CONTAINS(LCASE(STR(?matched)), LCASE({Literal(text).n3()}))
                                   || CONTAINS(LCASE(STR(?matched)), {needle})))
              OPTIONAL {{ ?r rdfs:label|skos:prefLabel ?label FILTER(lang(?label) = "en" || lang(?label) = "") }}
              OPTIONAL {{ ?r a ?type }}
            }}""").rows
        found = {}
        for row in rows:
            hit = found.setdefault(row["r"], {"label": row.get("label"), "matched": set(), "types": set()})
            hit["matched"].add(str(row["matched"]))
            if row.get("type") is not None:
                hit["types"].add(ctx.vocabulary.label(row["type"]))
        wanted = fold(text)
        for iri, hit in found.items():
            exact = any(fold(m) == wanted for m in hit["matched"])
            label = str(hit["label"] or ctx.vocabulary.label(iri))
            hits.append((not exact, label.lower(), label, link_of(iri), sorted(hit["matched"]), sorted(hit["types"])))
        hits.sort()
    return render_template("search.html", q=text, hits=[h[2:] for h in hits])
