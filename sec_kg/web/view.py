"""Turning RDF into what people read: labels, composed names, grouped properties, Stockholm categories.

Everything here works on rdflib graphs fetched through the store (so it serves a remote
store as well as the embedded one) and on the ontology ``Vocabulary``, read once.
Labels of n-ary statements (memberships, ratifications...) are composed here at render
time; nothing is written back into the data.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, OWL, PROV, QB, RDF, RDFS, SKOS, XSD

from ..namespaces import GRAPH, ID, ONTOLOGY_IRI, SEC, bind_prefixes, sparql_prologue
from ..store import Store
from .i18n import language

LABELS = (RDFS.label, SKOS.prefLabel)
NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.notation)
DESCRIPTION_PROPERTIES = (RDFS.comment, SKOS.definition)
PROVENANCE_PROPERTIES = (SEC.reportSection, PROV.wasDerivedFrom, SEC.sourceLocator)

CATEGORY = Namespace(ID + "concept/category/")
#: Stockholm categories in the report's order, with the classes that fall under each
#: when a resource has no sec:category of its own; its own classes are tried before their
#: superclasses, so a training programme (a sec:Measure) is recovery, not prevention.
CATEGORIES = {
    CATEGORY.diagnosis: (SEC.InformationSystem, QB.DataSet, SEC.Study),
    CATEGORY.coordination: (SEC.CoordinationBody, SEC.Policy, SEC.InteragencyProtocol, SEC.CooperationAgreement, ORG.Membership),
    CATEGORY.prevention: (SEC.PreventionMeasure, SEC.Measure),
    CATEGORY.protection: (SEC.LegalInstrument, SEC.Provision, SEC.Offence, SEC.AccessToJusticeMechanism, SEC.Ratification, SEC.Treaty),
    CATEGORY.recovery: (SEC.CareService, SEC.TrainingProgramme),
    CATEGORY.participation: (SEC.ParticipationMechanism,),
}
OTHER_GROUPS = {SEC.Institution: _l("Institutions")}
#: the group of what falls under no category nor other group
OTHER = _l("Other")

#: How to name a statement that has no label: the properties whose values make the name.
COMPOSED_NAMES = {
    ORG.Membership: ("Membership: {} in {} ({})", (ORG.member, ORG.organization, ORG.role)),
    SEC.Ratification: ("Ratification: {} of {} ({})", (SEC.state, SEC.treaty, SEC.ratificationStatus)),
    QB.Observation: ("Observation of {}", (QB.dataSet,)),
}


#: the project's namespaces this site serves -> the path that serves them (a namespace that does not end
#: with "/" serves itself and its "#" terms only); the query page's result table links by it too
LOCAL_ROUTES = {str(ID): "/id/", str(GRAPH): "/graph/", ONTOLOGY_IRI: "/ontology"}


def local_link(iri) -> str | None:
    """The path on this server that serves ``iri``, or None for IRIs of other sites."""
    iri = str(iri)
    for namespace, path in LOCAL_ROUTES.items():
        rest = iri[len(namespace):]
        if iri.startswith(namespace) and (namespace.endswith("/") or rest[:1] in ("", "#")):
            return path + rest
    return None


def link_of(iri) -> str:
    """Where a link to ``iri`` should go: here when we serve it, else the IRI itself if it is an
    http(s) address, else nowhere (""): a ``javascript:`` or ``data:`` IRI in a query's answer
    must never become a link that runs or shows something."""
    local = local_link(iri)
    if local:
        return local
    return str(iri) if str(iri).lower().startswith(("http://", "https://")) else ""


_NAMESPACES = bind_prefixes(Graph()).namespace_manager


def cell(term) -> Markup:
    """A result cell: IRIs prefixed and linked (here when we serve them), literals as text."""
    if term is None:
        return Markup("")
    if isinstance(term, URIRef):
        try:
            text = _NAMESPACES.normalizeUri(term)
        except ValueError:
            text = f"<{term}>"
        href = link_of(term)
        return Markup('<a href="{}">{}</a>').format(href, text) if href else Markup("{}").format(text)
    if isinstance(term, BNode):
        return Markup("_:{}").format(term)
    suffix = Markup(' <span class="lang">{}</span>').format(term.language) if term.language else ""
    return Markup("{}").format(str(term)) + suffix


def _by_language(values, wanted_language=None):
    """The value in ``wanted_language`` (the page's language unless given), else in English, else one
    without language, else any; the longest first, so a full Spanish name wins over its acronym."""
    values = sorted(values, key=lambda v: (-len(str(v)), str(v)))
    for wanted in (wanted_language or language(), "en", None):
        for value in values:
            if isinstance(value, Literal) and value.language == wanted:
                return value
    return values[0] if values else None


class Name(str):
    """A name to show, knowing its language when that is not the page's: rendered in a page as
    ``<span lang="en">…</span>`` so that readers and screen readers know an English name on a Spanish page."""

    lang: str | None = None

    @classmethod
    def of(cls, label) -> "Name":
        name = cls(str(label))
        if isinstance(label, Literal) and label.language and label.language != language():
            name.lang = label.language
        return name

    def __html__(self) -> Markup:
        text = Markup.escape(str(self))
        return Markup('<span lang="{}">{}</span>').format(self.lang, text) if self.lang else text


def natural_key(text: str) -> tuple:
    """Numbers compare as numbers: "Art. 7" before "Art. 10", "Act 294" before "Act 2137"."""
    return tuple((part.casefold(), 0) if i % 2 == 0 else ("", int(part))
                 for i, part in enumerate(re.split(r"(\d+)", str(text))))


def local_name(iri) -> str:
    """The last segment of an IRI, the name of last resort."""
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text


@dataclass
class Vocabulary:
    """Labels of classes, properties and concepts, inverse properties and superclasses, read once per server."""

    labels: dict = field(default_factory=dict)
    inverse_labels: dict = field(default_factory=dict)
    inverses: dict = field(default_factory=dict)
    superclasses: dict = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store) -> "Vocabulary":
        vocabulary = cls()
        terms = store.construct(sparql_prologue() + """
            CONSTRUCT { ?t rdfs:label ?label . ?t sec:inverseLabel ?phrase . ?t owl:inverseOf ?inverse . ?t rdfs:subClassOf ?super }
            WHERE {
              VALUES ?kind { owl:Class rdfs:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty
                             rdf:Property qb:DimensionProperty qb:MeasureProperty qb:AttributeProperty skos:Concept }
              ?t a ?kind .
              { ?t rdfs:label|skos:prefLabel ?label } UNION { ?t sec:inverseLabel ?phrase } UNION { ?t owl:inverseOf ?inverse }
              UNION { ?inverse owl:inverseOf ?t } UNION { ?t rdfs:subClassOf+ ?super FILTER(isIRI(?super)) }
            }""", cap=None).graph
        for term, label in terms.subject_objects(RDFS.label):
            vocabulary.labels.setdefault(term, []).append(label)
        for term, phrase in terms.subject_objects(SEC.inverseLabel):
            vocabulary.inverse_labels.setdefault(term, []).append(phrase)
        for term, inverse in terms.subject_objects(OWL.inverseOf):
            vocabulary.inverses[term] = inverse
        for term, parent in terms.subject_objects(RDFS.subClassOf):
            vocabulary.superclasses.setdefault(term, set()).add(parent)
        return vocabulary

    def label(self, iri) -> Name:
        """The term's label in the page's language (else English), else its local name."""
        label = _by_language(self.labels.get(iri, []))
        return Name.of(label) if label is not None else Name(local_name(iri))

    def inverse_label(self, predicate) -> Name:
        """How an incoming link reads from its object: the property's sec:inverseLabel, else the declared
        inverse's label, else "is <label> of" (the last resort for properties of other vocabularies)."""
        phrase = _by_language(self.inverse_labels.get(predicate, []))
        if phrase is not None:
            return Name.of(phrase)
        inverse = self.inverses.get(predicate)
        if inverse is not None and inverse in self.labels:
            return self.label(inverse)
        return Name(_("is %(property)s of", property=self.label(predicate)))

    def classes_of(self, types) -> set:
        found = set(types)
        for kind in types:
            found |= self.superclasses.get(kind, set())
        return found

    def category_of(self, graph: Graph, resource) -> URIRef | str:
        """The Stockholm category of a resource (sec:category, else by class), or a named other group."""
        declared = graph.value(resource, SEC.category)
        if declared is not None:
            return declared
        kinds = set(graph.objects(resource, RDF.type))
        for candidates in (kinds, self.classes_of(kinds)):
            for category, members in CATEGORIES.items():
                if candidates & set(members):
                    return category
            for kind, group in OTHER_GROUPS.items():
                if kind in candidates:
                    return group
        return OTHER


def name_of(graph: Graph, node, vocabulary: Vocabulary) -> Name:
    """What to call a node: its label in the page's language (a Spanish page takes the Spanish name the
    report prints, kept as skos:altLabel@es), else its English label, else a name composed from its
    statement, else the vocabulary's label."""
    labels = [v for p in LABELS for v in graph.objects(node, p)]
    if language() != "en":
        labels += [v for v in graph.objects(node, SKOS.altLabel) if isinstance(v, Literal) and v.language == language()]
    label = _by_language(labels)
    if label is not None:
        return Name.of(label)
    for kind in graph.objects(node, RDF.type):
        if kind in COMPOSED_NAMES:
            template, properties = COMPOSED_NAMES[kind]
            values = [graph.value(node, prop) for prop in properties]
            return template.format(*("?" if v is None else name_of(graph, v, vocabulary) for v in values))
    if isinstance(node, URIRef):
        return vocabulary.label(node)
    if isinstance(node, BNode):
        kinds = [vocabulary.label(k) for k in graph.objects(node, RDF.type)]
        return ", ".join(kinds) or "(anonymous)"
    return str(node)


#: Babel locales for dates per page language: English dates read "12 March 2021" (day first, as the report).
DATE_LOCALES = {"en": "en_GB"}
INTEGER_TYPES = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger, XSD.positiveInteger}


def literal_text(term: Literal) -> str:
    """A literal the way people read it in the page's language: a year as 2009, a date as 12 March 2021
    (12 de marzo de 2021), numbers with the language's separators, booleans as yes/no; never a datatype name.
    A value that does not parse as its datatype is shown as written."""
    value, lang = term.toPython(), language()
    locale = DATE_LOCALES.get(lang, lang)
    if term.datatype == XSD.gYearMonth and re.fullmatch(r"\d{4}-\d{2}", str(term)):
        return format_skeleton("yMMMM", datetime.date(int(str(term)[:4]), int(str(term)[5:]), 1), locale=locale)
    if isinstance(value, Literal) or term.datatype is None:
        return str(term)
    if term.datatype == XSD.date:
        return format_date(value, "long", locale=locale)
    if term.datatype == XSD.gYear:
        return str(getattr(value, "year", term))  # rdflib gives a date, or the lexical form as it is
    if term.datatype == XSD.boolean:
        return _("yes") if value else "no"  # "no" is the same word in Spanish
    if term.datatype in INTEGER_TYPES or term.datatype in (XSD.decimal, XSD.double, XSD.float):
        return format_decimal(value, locale=lang)
    return str(term)


@dataclass
class Value:
    """One value of a property as a page shows it: text, optional link and language, nested values for blank
    nodes; ``order`` sorts values as written (dates by date, not by their month's name)."""

    text: str
    href: str | None = None
    language: str | None = None
    nested: list = field(default_factory=list)
    order: str = ""


@dataclass
class Row:
    label: str
    iri: str
    values: list


def value_of(graph: Graph, node, vocabulary: Vocabulary, depth: int = 0) -> Value:
    """A value for display: literals as text, IRIs named and linked, blank nodes (intervals...) unfolded."""
    if isinstance(node, Literal):
        return Value(literal_text(node), language=node.language, order=str(node))
    if isinstance(node, BNode):
        nested = rows_of(graph, node, vocabulary, depth + 1) if depth < 3 else []
        return Value(name_of(graph, node, vocabulary), nested=nested)
    return Value(name_of(graph, node, vocabulary), href=link_of(node))


def rows_of(graph: Graph, subject, vocabulary: Vocabulary, depth: int = 0, only=None, skip=()) -> list[Row]:
    """The subject's properties as labelled rows (sorted by label), values labelled too."""
    predicates = sorted({p for p in graph.predicates(subject) if (only is None or p in only) and p not in skip},
                        key=lambda p: (only.index(p) if only else 0, vocabulary.label(p)))
    return [Row(vocabulary.label(p), str(p), sorted((value_of(graph, o, vocabulary, depth) for o in graph.objects(subject, p)),
                                                    key=lambda v: (v.language or "", v.order or v.text)))
            for p in predicates]


@dataclass
class Incoming:
    """The resources of one kind that link to a resource by one property, read backwards ("members",
    "ratifications", "reported by"): how many, and the first few (all of them when asked)."""

    label: str
    kind: str
    iri: str
    count: int
    values: list
    complete: bool


@dataclass
class ResourceView:
    """Everything the resource page shows, grouped."""

    iri: str
    title: str
    types: list
    spanish: list
    groups: list
    incoming: list
    provenance: list


#: incoming links shown in each group before "all N"
INCOMING_SHOWN = 10

#: Incoming n-ary statements shown from the resource's side, with their facts: a body lists its members with
#: their role, a treaty the States with the date and status of their ratification, a State its treaties.
#: statement class -> (links to the statement itself rather than to its other end, {property that reaches the
#: resource: (the other end, the facts shown, heading or None for the property's inverse label)})
_RATIFICATION_FACTS = (SEC.ratificationDate, SEC.ratificationStatus)
STATEMENT_VIEWS = {
    ORG.Membership: (False, {ORG.organization: (ORG.member, (ORG.role,), _l("members")),
                             ORG.member: (ORG.organization, (ORG.role,), _l("member of"))}),
    SEC.Ratification: (True, {SEC.treaty: (SEC.state, _RATIFICATION_FACTS, None),
                              SEC.state: (SEC.treaty, _RATIFICATION_FACTS, _l("treaties"))}),
}


def _statement_value(graph: Graph, statement, far_end, facts, own_link: bool, vocabulary: Vocabulary) -> Value:
    """The resource at the other end of a statement, with the statement's facts (a role; a date and status)."""
    other = graph.value(statement, far_end)
    name = name_of(graph, other, vocabulary) if other is not None else name_of(graph, statement, vocabulary)
    shown = [value_of(graph, v, vocabulary).text for fact in facts for v in graph.objects(statement, fact)]
    text = f"{name} ({', '.join(shown)})" if shown else name
    return Value(text, href=link_of(statement if own_link or other is None else other), order=str(name))


def kinds_text(types, vocabulary: Vocabulary) -> str:
    """How a page names a resource's kind: its most specific types, by name ("Act, Code")."""
    return ", ".join(sorted(vocabulary.label(t) for t in most_specific(types, vocabulary)))


def most_specific(types, vocabulary: Vocabulary) -> list:
    """The types no other listed type already implies (Coordination body, not also Organization and Agent)."""
    implied = set().union(*(vocabulary.superclasses.get(t, set()) for t in types))
    return sorted(t for t in types if t not in implied)


@dataclass
class Neighbour:
    """What the page needs to know of a resource that links to it: its types as the data state them (not
    those reasoning adds) and its State."""

    types: set = field(default_factory=set)
    state: URIRef | None = None
    state_name: str = ""


def _incoming(graph: Graph, iri: URIRef, vocabulary: Vocabulary, neighbours: dict, show_all) -> list[Incoming]:
    """Incoming links by property and kind, statements with their facts, those the outgoing relations already
    show left out; each group cut to its first ``INCOMING_SHOWN`` unless its property is ``show_all``."""
    own_state = graph.value(iri, SEC.state)
    groups: dict[tuple, list] = {}
    for subject, predicate in graph.subject_predicates(iri):
        neighbour = neighbours.get(subject, Neighbour())
        types = neighbour.types or set(graph.objects(subject, RDF.type))
        statement = next((STATEMENT_VIEWS[t] for t in types if t in STATEMENT_VIEWS and predicate in STATEMENT_VIEWS[t][1]),
                         None)
        if statement is not None:
            own_link, views = statement
            far_end, facts, heading = views[predicate]
            label = Name(heading) if heading is not None else vocabulary.inverse_label(predicate)
            groups.setdefault((label, "", predicate), []).append(
                _statement_value(graph, subject, far_end, facts, own_link, vocabulary))
            continue
        if (iri, vocabulary.inverses.get(predicate), subject) in graph:
            continue
        kind = kinds_text(types, vocabulary)
        value = value_of(graph, subject, vocabulary)
        if neighbour.state is not None and neighbour.state not in (iri, own_state):
            value.text = f"{value.text} ({neighbour.state_name or name_of(graph, neighbour.state, vocabulary)})"
        groups.setdefault((vocabulary.inverse_label(predicate), kind, predicate), []).append(value)
    kinds_by_label: dict = {}
    for label, kind, _predicate in groups:
        kinds_by_label.setdefault(label, set()).add(kind)
    found = []
    for (label, kind, predicate), values in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1])):
        values.sort(key=lambda v: natural_key(v.order or v.text))
        complete = str(predicate) == show_all or len(values) <= INCOMING_SHOWN
        found.append(Incoming(label, kind if len(kinds_by_label[label]) > 1 else "", str(predicate), len(values),
                              values if complete else values[:INCOMING_SHOWN], complete))
    return found


def resource_view(graph: Graph, iri: URIRef, vocabulary: Vocabulary, neighbours: dict | None = None,
                  asserted_types=None, show_all: str | None = None) -> ResourceView:
    """The resource page's content: names, description, relations, details, incoming links (grouped by
    property and kind) and provenance, each group only when it has rows. ``neighbours`` and ``asserted_types``
    say what the data state (not what reasoning adds) of the resource and of what links to it."""
    spanish = sorted({str(v) for p in NAME_PROPERTIES for v in graph.objects(iri, p)
                      if isinstance(v, Literal) and v.language == "es"})
    special = (RDF.type, *NAME_PROPERTIES, *DESCRIPTION_PROPERTIES, *PROVENANCE_PROPERTIES)
    others = rows_of(graph, iri, vocabulary, skip=special)
    relations = [r for r in others if any(v.href or v.nested for v in r.values)]
    details = [r for r in others if r not in relations]
    groups = [(_l("Names"), rows_of(graph, iri, vocabulary, only=list(NAME_PROPERTIES))),
              (_l("Description"), rows_of(graph, iri, vocabulary, only=list(DESCRIPTION_PROPERTIES))),
              (_l("Relations"), relations), (_l("Details"), details)]
    types = set(asserted_types or ()) or set(graph.objects(iri, RDF.type))
    return ResourceView(
        iri=str(iri),
        title=name_of(graph, iri, vocabulary),
        types=[value_of(graph, t, vocabulary) for t in most_specific(types, vocabulary)],
        spanish=spanish,
        groups=[(name, rows) for name, rows in groups if rows],
        incoming=_incoming(graph, iri, vocabulary, neighbours or {}, show_all),
        provenance=rows_of(graph, iri, vocabulary, only=list(PROVENANCE_PROPERTIES)),
    )
