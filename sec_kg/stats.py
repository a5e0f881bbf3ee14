"""Counts for ``sec-kg stats``: instances per class, resources and treaty cells per State."""

from __future__ import annotations

from collections import Counter

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .loader import union_graph
from .namespaces import ID, SEC


def class_counts(dataset: Dataset) -> list[tuple[str, int]]:
    """(class label, number of the graph's own resources typed with it), largest first."""
    graph = union_graph(dataset)
    counts = Counter(
        cls for s, cls in graph.subject_objects(RDF.type) if isinstance(s, URIRef) and str(s).startswith(str(ID))
    )
    rows = [(str(graph.value(cls, RDFS.label) or graph.namespace_manager.normalizeUri(cls)), n) for cls, n in counts.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def states(graph: Graph) -> list[tuple[str, URIRef]]:
    """(ISO code, IRI) of every sec:State, sorted by code."""
    return sorted((str(graph.value(s, SKOS.notation)), s) for s in graph.subjects(RDF.type, SEC.State))


def state_counts(dataset: Dataset) -> list[tuple[str, int, int]]:
    """(State label, resources with sec:state, ratification-table cells) per State."""
    graph = union_graph(dataset)
    rows = []
    for _code, state in states(graph):
        tied = set(graph.subjects(SEC.state, state))
        cells = sum(1 for s in tied if (s, RDF.type, SEC.Ratification) in graph)
        rows.append((str(graph.value(state, RDFS.label)), len(tied), cells))
    return rows
