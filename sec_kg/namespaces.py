"""IRIs and prefixes shared by every part of sec-kg, so they are spelt once."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, TIME, VOID, XSD

BASE = "https://w3id.org/sec-kg/"
SEC = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = BASE + "ontology"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

#: Prefixes bound on every graph sec-kg serialises and offered to query writers.
PREFIXES = {
    "sec": SEC,
    "id": ID,
    "state": ID["state/"],
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "org": ORG,
    "prov": PROV,
    "time": TIME,
    "qb": QB,
    "eli": ELI,
    "foaf": FOAF,
    "void": VOID,
    "dcat": DCAT,
}


def bind_prefixes(graph):
    """Bind the project prefixes on an rdflib graph or dataset and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def sparql_prologue() -> str:
    """PREFIX declarations for the project prefixes, for queries built in code."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
