"""Browse pages: every resource of one kind across the States (``/browse/KIND``), with facets (State, kind,
year, Stockholm category, modality, scenario), counts per facet value, natural order and paging.

One query per kind reads its resources and their facet values; facets are counted in Python over those rows
(a few hundred at most). An unknown facet value is a 400 page that keeps the facets and lists the valid values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from rdflib import URIRef

from ..namespaces import sparql_prologue
from .i18n import language
from . import context
from .view import link_of, local_name, natural_key

blueprint = Blueprint("browse", __name__)

PAGE_SIZE = 50


@dataclass(frozen=True)
class Kind:
    """A browse page: its root class, the property tying a resource to its State, whether laws order by year."""

    title: object
    root: str
    state_path: str | None = "sec:state"
    kind_path: str = "a"
    by_year: bool = False


KINDS = {
    "states": Kind(_l("States"), "sec:State", state_path=None),
    "coordination-bodies": Kind(_l("Coordination bodies"), "sec:CoordinationBody"),
    "institutions": Kind(_l("Institutions"), "sec:Institution"),
    "legal-instruments": Kind(_l("Legal instruments"), "sec:LegalInstrument", by_year=True),
    "provisions": Kind(_l("Provisions"), "sec:Provision"),
    "offences": Kind(_l("Offences"), "sec:Offence"),
    "policies": Kind(_l("Policies"), "sec:Policy", by_year=True),
    "protocols": Kind(_l("Protocols"), "sec:InteragencyProtocol"),
    "agreements": Kind(_l("Agreements"), "sec:CooperationAgreement"),
    "prevention-measures": Kind(_l("Prevention measures"), "sec:PreventionMeasure"),
    "care-services": Kind(_l("Care services"), "sec:CareService"),
    "participation-mechanisms": Kind(_l("Participation mechanisms"), "sec:ParticipationMechanism"),
    "findings": Kind(_l("Findings"), "sec:Finding", state_path="sec:concernsState"),
    "data-sets": Kind(_l("Data sets"), "qb:DataSet"),
    "treaties": Kind(_l("Treaties"), "sec:Treaty", state_path=None, by_year=True),
    "concepts": Kind(_l("Concepts"), "skos:Concept", state_path=None, kind_path="skos:inScheme"),
}
#: treaties have their own page: the legal instruments' page lists national law
EXCLUDED = {"legal-instruments": "sec:Treaty"}
#: facet parameter -> its heading
FACETS = {"state": _l("State"), "kind": _l("Kind"), "year": _l("Year"), "category": _l("Stockholm category"),
          "modality": _l("Modality"), "scenario": _l("Scenario")}


@dataclass
class Item:
    iri: str
    label: str = ""
    facets: dict = field(default_factory=lambda: {name: set() for name in FACETS})

    def sort_key(self, by_year: bool) -> tuple:
        year = min(self.facets["year"]) if by_year and self.facets["year"] else "9999"
        return (year if by_year else "", natural_key(self.label))


def _items(slug: str, kind: Kind) -> list[Item]:
    """The resources of a kind with their facet values (read once per application)."""
    cache = context().cache
    if ("browse", slug) not in cache:
        excluded = f"FILTER NOT EXISTS {{ ?r a {EXCLUDED[slug]} }}" if slug in EXCLUDED else ""
        state = f"OPTIONAL {{ ?r {kind.state_path} ?s . ?s skos:notation ?state }}" if kind.state_path else \
            ("OPTIONAL { ?r skos:notation ?state }" if kind.root == "sec:State" else "")
        query = sparql_prologue() + f"""
            SELECT ?r ?label ?kind ?state ?year ?category ?modality ?scenario WHERE {{
              ?r a/rdfs:subClassOf* {kind.root} FILTER(isIRI(?r)) {excluded}
              OPTIONAL {{ ?r rdfs:label|skos:prefLabel ?label FILTER(lang(?label) = "en" || lang(?label) = "") }}
              OPTIONAL {{ ?r {kind.kind_path} ?kind }}
              {state}
              OPTIONAL {{ ?r sec:year|sec:adoptionDate|eli:date_document ?date BIND(SUBSTR(STR(?date), 1, 4) AS ?year) }}
              OPTIONAL {{ ?r sec:category ?category }}
              OPTIONAL {{ ?r sec:modality ?modality }}
              OPTIONAL {{ ?r sec:scenario ?scenario }}
            }}"""
        found: dict[str, Item] = {}
        for row in context().store.select(query).rows:
            item = found.setdefault(str(row["r"]), Item(str(row["r"])))
            if row.get("label") is not None and not item.label:
                item.label = str(row["label"])
            for name in FACETS:
                value = row.get(name)
                if value is not None:
                    item.facets[name].add(str(value) if name in ("state", "year", "kind") else local_name(value))
        vocabulary = context().vocabulary
        for item in found.values():
            item.label = item.label or vocabulary.label(item.iri)
            kinds = {URIRef(t) for t in item.facets["kind"]}
            implied = set().union(*(vocabulary.superclasses.get(t, set()) for t in kinds))  # the most specific class only
            item.facets["kind"] = {local_name(t) for t in kinds - implied}
        cache[("browse", slug)] = sorted(found.values(), key=lambda i: i.sort_key(kind.by_year))
    return cache[("browse", slug)]


def _matches(item: Item, chosen: dict, leave_out: str | None = None) -> bool:
    return all(value in item.facets[name] for name, value in chosen.items() if name != leave_out)


@blueprint.get("/browse")
def index():
    counts = [(slug, kind.title, len(_items(slug, kind))) for slug, kind in KINDS.items()]
    return render_template("browse_index.html", kinds=counts)


@blueprint.get("/browse/<slug>")
def kind_page(slug: str):
    kind = KINDS.get(slug)
    if kind is None:
        abort(404)
    items = _items(slug, kind)
    chosen = {name: request.args[name] for name in FACETS if request.args.get(name)}
    labels = _facet_labels()
    facets = []
    for name, heading in FACETS.items():
        counts: dict[str, int] = {}
        for item in items:
            if _matches(item, chosen, leave_out=name):
                for value in item.facets[name]:
                    counts[value] = counts.get(value, 0) + 1
        if counts:
            order = sorted(counts, reverse=True) if name == "year" else sorted(counts, key=lambda v: labels(name, v).casefold())
            facets.append((name, heading, [(value, labels(name, value), counts[value]) for value in order]))
    valid = {name: {value for value, _, _ in values} for name, _, values in facets}
    unknown = [(FACETS[name], value, sorted(valid.get(name, ()))) for name, value in chosen.items()
               if value not in valid.get(name, ())]
    page_text = request.args.get("page", "1")
    shown = [item for item in items if _matches(item, chosen)]
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    if not page_text.isdigit() or not 1 <= int(page_text) <= pages:
        unknown.append((_l("Page"), page_text, [str(n) for n in range(1, pages + 1)]))
    status = 400 if unknown else 200
    number = int(page_text) if status == 200 else 1
    body = render_template("browse.html", slug=slug, kind=kind, facets=facets, chosen=chosen, unknown=unknown,
                           total=len(shown), page=number, pages=pages, labels=labels,
                           items=[] if unknown else shown[(number - 1) * PAGE_SIZE:number * PAGE_SIZE],
                           link_of=link_of, url=_url(slug, chosen))
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def _url(slug: str, chosen: dict):
    """The page's address with one facet (or the page) changed; None removes it."""
    def build(**changes) -> str:
        args = {**chosen, **changes}
        return url_for("browse.kind_page", slug=slug, **{k: v for k, v in args.items() if v is not None})
    return build


def _facet_labels():
    """How a facet value reads: a State's name, a class's or concept's label, a year as itself."""
    vocabulary, states = context().vocabulary, dict(context().states)
    key = ("browse-labels", language())  # labels follow the page's language
    by_local = context().cache.get(key)
    if by_local is None:
        by_local = context().cache[key] = {local_name(t): str(vocabulary.label(t)) for t in vocabulary.labels}

    def label(name: str, value: str) -> str:
        if name == "state":
            return states.get(value, value)
        if name == "year":
            return value
        return by_local.get(value, value)
    return label


@blueprint.get("/id/<segment>")
def id_list(segment: str):
    """``/id/state`` and the other first segments of resource IRIs list their resources (the browse page)."""
    slug = ID_LISTS.get(segment)
    if slug is None:
        abort(404)
    return redirect(url_for("browse.kind_page", slug=slug), 303)


ID_LISTS = {"state": "states", "body": "coordination-bodies", "institution": "institutions", "instrument": "legal-instruments",
            "provision": "provisions", "offence": "offences", "policy": "policies", "protocol": "protocols",
            "agreement": "agreements", "measure": "prevention-measures", "service": "care-services",
            "participation": "participation-mechanisms", "finding": "findings", "dataset": "data-sets",
            "treaty": "treaties", "concept": "concepts"}
