"""Whole-graph and per-State dumps in the formats linked-data consumers fetch."""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .namespaces import SEC, bind_prefixes

#: Dump formats: file suffix -> (rdflib format, media type).
FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "nt": ("nt", "application/n-triples"),
    "jsonld": ("json-ld", "application/ld+json"),
}

#: Properties that tie a resource to a State.
_STATE_LINKS = (SEC.state, SEC.refState, SEC.concernsState, SEC.singlesOut)


def states(graph: Graph) -> list[tuple[str, URIRef]]:
    """(ISO code, IRI) of every sec:State, sorted by code."""
    return sorted((str(graph.value(s, SKOS.notation)), s) for s in graph.subjects(RDF.type, SEC.State))


def state_graph(graph: Graph, state: URIRef) -> Graph:
    """Everything about one State: the State, the resources tied to it, the n-ary
    statements (memberships, observations...) that point at those, their blank
    nodes, and the labels of what they link to."""
    members = {state}
    for link in _STATE_LINKS:
        members.update(graph.subjects(link, state))
    members.update(s for s, _, o in graph if o in members and isinstance(s, URIRef) and graph.value(s, RDFS.label) is None)
    subset = bind_prefixes(Graph())
    pending = list(members)
    seen = set()
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        for s, p, o in graph.triples((node, None, None)):
            subset.add((s, p, o))
            if isinstance(o, BNode):
                pending.append(o)
            elif isinstance(o, URIRef) and o not in members:
                for label_property in (RDFS.label, SKOS.prefLabel):
                    for label in graph.objects(o, label_property):
                        subset.add((o, label_property, label))
    return subset


def write(graph: Graph, stem: Path) -> list[Path]:
    """Serialise one graph in every dump format next to ``stem``."""
    written = []
    for suffix, (rdf_format, _media_type) in FORMATS.items():
        path = stem.with_suffix("." + suffix)
        graph.serialize(path, format=rdf_format, encoding="utf-8")
        written.append(path)
    return written


def write_nquads(dataset: Dataset, path: Path) -> Path:
    """The dataset with its named graphs, for loading a store."""
    dataset.serialize(path, format="nquads", encoding="utf-8")
    return path
