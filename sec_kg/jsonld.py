"""The published JSON-LD ``@context`` and compact JSON-LD answers that reference it.

The context is generated from the ontology, so it stays in step with it: one short key per
property and class the ontology declares (``state``, ``label``, ``CoordinationBody``), typed
like the property's range (``@id`` for object properties, the XSD datatype of a datatype
property), plus the vocabularies' prefixes and ``id``/``type`` for ``@id``/``@type``. Every
JSON-LD answer is compacted against it by rdflib (which falls back to full IRIs wherever a
value does not fit a key's type, so nothing is lost) and names it by its IRI,
``https://w3id.org/sec-kg/context.jsonld``, served at ``/context.jsonld``.
"""

from __future__ import annotations

import json

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.plugins.serializers.jsonld import Converter
from rdflib.plugins.shared.jsonld.context import Context

from .namespaces import BASE, SEC
from .serialize import VOCABULARIES

CONTEXT_IRI = BASE + "context.jsonld"
MEDIA_TYPE = "application/ld+json"
_PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
#: keys for the annotations every resource carries, which the ontology uses without declaring
_ANNOTATIONS = {"label": RDFS.label, "comment": RDFS.comment, "prefLabel": SKOS.prefLabel, "altLabel": SKOS.altLabel,
                "notation": SKOS.notation, "definition": SKOS.definition}
#: ranges that are no datatype to coerce to: plain and language-tagged strings keep their form
_UNTYPED = (XSD.string, RDF.langString, RDFS.Literal)


def _key(term: URIRef) -> str:
    text = str(term)
    return text[max(text.rfind("#"), text.rfind("/")) + 1:]


def _compact(iri: URIRef, prefixes: dict[str, str]) -> str:
    for name, namespace in prefixes.items():
        if str(iri).startswith(namespace) and len(str(iri)) > len(namespace):
            return f"{name}:{str(iri)[len(namespace):]}"
    return str(iri)


def build_context(ontology: Graph) -> dict:
    """The context document for the properties and classes that ``ontology`` declares: the project's
    own first, then the reused terms it declares, each key given to the first term that wants it."""
    prefixes = dict(VOCABULARIES)
    terms: dict = {"id": "@id", "type": "@type", **prefixes}
    declared = set()
    for kind in _PROPERTY_KINDS:
        declared.update((p, "property") for p in ontology.subjects(RDF.type, kind) if isinstance(p, URIRef))
    declared.update((c, "class") for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef))
    ordered = sorted(declared, key=lambda d: (not str(d[0]).startswith(str(SEC)), str(d[0]), d[1]))
    for term, what in ordered:
        key = _key(term)
        if not key or key in terms:
            continue
        if what == "class":
            terms[key] = _compact(term, prefixes)
            continue
        definition = {"@id": _compact(term, prefixes)}
        ranges = set(ontology.objects(term, RDFS.range))
        if (term, RDF.type, OWL.ObjectProperty) in ontology:
            definition["@type"] = "@id"
        elif len(ranges) == 1 and (datatype := ranges.pop()) not in _UNTYPED and str(datatype).startswith(str(XSD)):
            definition["@type"] = _compact(datatype, prefixes)
        terms[key] = definition
    for key, term in _ANNOTATIONS.items():
        terms.setdefault(key, {"@id": _compact(term, prefixes)})
    return {"@context": terms}


def _sorted(node):
    """Keys and values in a stable order (an ``@list`` keeps its own): the same graph, the same bytes."""
    if isinstance(node, dict):
        return {k: (v if k == "@list" else _sorted(v)) for k, v in sorted(node.items())}
    if isinstance(node, list):
        return sorted((_sorted(v) for v in node),
                      key=lambda v: (str(v.get("id", "")) if isinstance(v, dict) else "", json.dumps(v, ensure_ascii=False)))
    return node


class _Converter(Converter):
    """rdflib's converter writes only the blank nodes it reaches through keys without a type, and
    loses one reached through a key typed ``@id`` (a validity period, a Data Cube component):
    here every subject is written, list cells apart (they are written as the lists they make)."""

    def from_graph(self, graph: Graph):
        nodemap: dict = {}
        for subject in sorted(set(graph.subjects())):
            if not (isinstance(subject, BNode) and (subject, RDF.first, None) in graph):
                self.process_subject(graph, subject, nodemap)
        return list(nodemap.values())


def write(graph: Graph, context: dict) -> bytes:
    """``graph`` as compact JSON-LD against ``context`` (a context document), naming it by its IRI."""
    nodes = _Converter(Context(context["@context"]), use_native_types=False, use_rdf_type=False).convert(graph)
    body = nodes if isinstance(nodes, dict) else {"@graph": nodes}
    document = {"@context": CONTEXT_IRI, **_sorted(body)}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def compact(expanded: bytes, context: dict) -> bytes:
    """Expanded JSON-LD (as pyoxigraph writes it) made compact against ``context``."""
    return write(Graph().parse(data=expanded, format="json-ld"), context)
