"""VoID and DCAT description of the dataset: sizes, partitions, dumps and endpoint."""

from __future__ import annotations

from collections import Counter
from datetime import date

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID, XSD

from . import __version__
from .dumps import FORMATS
from .namespaces import BASE, ID, ONTOLOGY_IRI, bind_prefixes

DATASET = URIRef(BASE + "dataset")
REPORT = ID["source/iin-report-2024"]
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")


def describe(graph: Graph, state_sizes: dict[str, int], dump_sizes: dict[str, int]) -> Graph:
    """VoID + DCAT for the whole graph.

    ``state_sizes`` maps a State's code to its subset's triple count; ``dump_sizes``
    maps a dump's path under /data/ (e.g. ``sec-kg.ttl``, ``state/CO.ttl``) to bytes.
    """
    void = bind_prefixes(Graph())
    void.add((DATASET, RDF.type, VOID.Dataset))
    void.add((DATASET, RDF.type, DCAT.Dataset))
    void.add((DATASET, DCTERMS.title, Literal("sec-kg: the sexual exploitation of children and adolescents in the Americas", lang="en")))
    void.add((DATASET, DCTERMS.description, Literal(
        "How eight States of the Americas address the sexual exploitation of children and adolescents, "
        "as a graph built from the IIN-OAS report to the Secretary General of the OAS, 2024.", lang="en")))
    void.add((DATASET, DCTERMS.license, LICENCE))
    void.add((DATASET, DCTERMS.source, REPORT))
    void.add((DATASET, DCTERMS.modified, Literal(date.today().isoformat(), datatype=XSD.date)))
    void.add((DATASET, DCTERMS.hasVersion, Literal(__version__)))
    void.add((DATASET, VOID.uriSpace, Literal(str(ID))))
    void.add((DATASET, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    void.add((DATASET, VOID.sparqlEndpoint, URIRef(BASE + "sparql")))
    void.add((DATASET, VOID.rootResource, ID["state/CO"]))
    _sizes(void, DATASET, graph)
    for path, size in sorted(dump_sizes.items()):
        _distribution(void, path, size)
    for code, triples in sorted(state_sizes.items()):
        subset = URIRef(f"{BASE}dataset/state/{code}")
        void.add((DATASET, VOID.subset, subset))
        void.add((subset, RDF.type, VOID.Dataset))
        void.add((subset, DCTERMS.title, Literal(f"sec-kg subset for {code}", lang="en")))
        void.add((subset, VOID.triples, Literal(triples)))
        for suffix in FORMATS:
            void.add((subset, VOID.dataDump, URIRef(f"{BASE}data/state/{code}.{suffix}")))
    return void


def _sizes(void: Graph, dataset: URIRef, graph: Graph) -> None:
    void.add((dataset, VOID.triples, Literal(len(graph))))
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(str(ID))}
    void.add((dataset, VOID.entities, Literal(len(subjects))))
    classes = Counter(o for s, o in graph.subject_objects(RDF.type) if s in subjects)
    properties = Counter(p for _, p, _ in graph)
    void.add((dataset, VOID.classes, Literal(len(classes))))
    void.add((dataset, VOID.properties, Literal(len(properties))))
    for cls, count in sorted(classes.items()):
        partition = BNode()
        void.add((dataset, VOID.classPartition, partition))
        void.add((partition, VOID["class"], cls))
        void.add((partition, VOID.entities, Literal(count)))
    for prop, count in sorted(properties.items()):
        partition = BNode()
        void.add((dataset, VOID.propertyPartition, partition))
        void.add((partition, VOID.property, prop))
        void.add((partition, VOID.triples, Literal(count)))


def _distribution(void: Graph, path: str, size: int) -> None:
    url = URIRef(f"{BASE}data/{path}")
    media_type = {"nq": "application/n-quads", **{k: v[1] for k, v in FORMATS.items()}}[path.rsplit(".", 1)[1]]
    if "/" not in path:
        void.add((DATASET, VOID.dataDump, url))
    distribution = URIRef(f"{BASE}distribution/{path}")
    void.add((DATASET, DCAT.distribution, distribution))
    void.add((distribution, RDF.type, DCAT.Distribution))
    void.add((distribution, RDFS.label, Literal(path)))
    void.add((distribution, DCAT.downloadURL, url))
    void.add((distribution, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + media_type)))
    void.add((distribution, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
