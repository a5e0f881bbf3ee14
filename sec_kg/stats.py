"""Counts for ``sec-kg stats``: instances per class, resources and treaty cells per State."""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .artefact import INFERRED
from .loader import union_graph
from .namespaces import ID, SEC, sparql_prologue


def class_counts_query() -> str:
    """The one definition of "how many X" that every count shown (home page, ``sec-kg stats``) uses:
    the report's own resources by the types the data states, not those reasoning adds (a State is
    also a Country by inference, which would count the eight States twice over as countries)."""
    return sparql_prologue() + f"""
        SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {{
          GRAPH ?g {{ ?s a ?type }}
          FILTER(?g != <{INFERRED}> && isIRI(?s) && STRSTARTS(STR(?s), "{ID}"))
        }}
        GROUP BY ?type ORDER BY DESC(?n) ?type"""


def english_label(graph: Graph, term) -> str:
    """The term's English label (the ontology also names its terms in Spanish), else its prefixed name."""
    labels = [label for label in graph.objects(term, RDFS.label) if getattr(label, "language", None) in ("en", None)]
    return str(min(labels, key=lambda label: label.language or "")) if labels else graph.namespace_manager.normalizeUri(term)


def class_counts(dataset: Dataset) -> list[tuple[str, int]]:
    """(class label, number of the graph's own resources typed with it), largest first."""
    graph = union_graph(dataset)
    rows = [(english_label(graph, row.type), int(row.n)) for row in dataset.query(class_counts_query())]
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
        rows.append((english_label(graph, state), len(tied), cells))
    return rows
