"""The one description of the dataset (VoID + DCAT, and schema.org for search engines), with IRIs
under https://w3id.org/sec-kg/ whatever host serves it: what the data are, who publishes them
under which licence, where the endpoint and the dumps are, how big they are.

``sec-kg build`` and the server fill the same ``Description`` from the same queries
(``describe``) and write it with the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, VOID, XSD

from . import __version__
from .namespaces import BASE, ID, ONTOLOGY_IRI, PREFIXES, bind_prefixes, sparql_prologue

DATASET = URIRef(BASE + "dataset")
VOID_DOCUMENT = BASE + "void"
SPARQL = URIRef(BASE + "sparql")
PUBLISHER = URIRef(BASE)
REPORT = ID["source/iin-report-2024"]
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
CODE_LICENCE = "https://opensource.org/license/mit"
TITLE = "sec-kg: how eight States of the Americas address the sexual exploitation of children and adolescents"
DESCRIPTION = ("A linked-open-data knowledge graph of how Canada, Chile, Colombia, Ecuador, Guatemala, Guyana, Mexico "
               "and Peru address the sexual exploitation of children and adolescents: coordination bodies and their "
               "members, laws and offences, policies, protocols, services, information systems, statistics and treaty "
               "ratifications, each with the report section and source it comes from.")
ATTRIBUTION = ("Inter-American Children's Institute (IIN-OAS), Addressing Sexual Exploitation of Children in the Region: "
               "Report to the Secretary General of the OAS on the measures undertaken by Member States to combat the "
               "sexual exploitation of children in the Americas, 2024")
#: the day the first version of the graph was committed
ISSUED = "2026-11-23"
#: resources a newcomer can start from
EXAMPLES = ("state/CO", "body/GT/menacesnna", "treaty/crc", "institution/CO/colombian-family-welfare-institute")
IANA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Distribution:
    """One dump: its file name under /data/ (``all.ttl``, ``CO.nt``), media type and size in bytes."""

    name: str
    media_type: str
    size: int | None = None  # unknown until built

    @property
    def url(self) -> str:
        return f"{BASE}data/{self.name}"

    @property
    def iri(self) -> URIRef:
        return URIRef(f"{DATASET}#{self.name}")


@dataclass
class Description:
    """What the VoID/DCAT document and the home page's schema.org markup say."""

    triples: int
    entities: int
    modified: str
    classes: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)
    vocabularies: list[str] = field(default_factory=list)
    graphs: dict[str, int] = field(default_factory=dict)
    #: State code -> (label, triples of its subset, None until it is built)
    states: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    distributions: list[Distribution] = field(default_factory=list)


def describe(store, distributions: list[Distribution], state_sizes: dict[str, int], modified: float,
             timeout: float | None = None) -> Description:
    """Counts read from ``store`` (any ``sec_kg.store.Store``, uncapped, within ``timeout``), with the dumps
    and State subsets as built."""

    prologue = sparql_prologue()

    def rows(query):
        return store.query(prologue + query, cap=None, timeout=timeout).rows

    total = rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    entities = rows(f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) }}')[0]["n"]
    classes = {str(r["c"]): int(r["n"]) for r in rows(
        f'SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{ID}")) }} GROUP BY ?c')}
    properties = {str(r["p"]): int(r["n"]) for r in rows("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")}
    graphs = {str(r["g"]): int(r["n"]) for r in rows(
        f'SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{BASE}graph/")) }} GROUP BY ?g')}
    labels = {str(r["code"]): str(r["label"]) for r in rows(
        'SELECT ?code ?label WHERE { ?s a sec:State ; skos:notation ?code ; rdfs:label ?label FILTER(lang(?label) = "en") }')}
    used = set(classes) | set(properties)
    vocabularies = sorted(str(ns) for ns in PREFIXES.values()
                          if not str(ns).startswith(str(ID)) and any(term.startswith(str(ns)) for term in used))
    states = {code: (label, state_sizes.get(code)) for code, label in sorted(labels.items())}
    return Description(int(total), int(entities), date.fromtimestamp(modified).isoformat(), classes, properties,
                       vocabularies, graphs, states, list(distributions))


def void_graph(description: Description) -> Graph:
    """VoID + DCAT: the dataset, its State subsets, its dumps (dcat:Distribution) and the endpoint (dcat:DataService)."""
    graph = bind_prefixes(Graph())
    add = graph.add
    for kind in (VOID.Dataset, DCAT.Dataset):
        add((DATASET, RDF.type, kind))
    add((DATASET, DCTERMS.title, Literal(TITLE, lang="en")))
    add((DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    add((DATASET, DCTERMS.publisher, PUBLISHER))
    add((DATASET, DCTERMS.creator, PUBLISHER))
    add((PUBLISHER, RDF.type, FOAF.Organization))
    add((PUBLISHER, FOAF.name, Literal("The sec-kg project", lang="en")))
    add((PUBLISHER, FOAF.homepage, PUBLISHER))
    add((DATASET, DCTERMS.license, URIRef(LICENCE)))
    add((DATASET, DCTERMS.rights, Literal(f"Data under CC BY 4.0. Attribution: {ATTRIBUTION}.", lang="en")))
    add((DATASET, DCTERMS.source, REPORT))
    add((DATASET, PROV.wasDerivedFrom, REPORT))
    add((REPORT, RDFS.label, Literal(ATTRIBUTION, lang="en")))
    add((DATASET, DCTERMS.issued, Literal(ISSUED, datatype=XSD.date)))
    add((DATASET, DCTERMS.modified, Literal(description.modified, datatype=XSD.date)))
    add((DATASET, DCTERMS.hasVersion, Literal(__version__)))
    add((DATASET, FOAF.homepage, PUBLISHER))
    add((DATASET, VOID.uriSpace, Literal(str(ID))))
    add((DATASET, VOID.sparqlEndpoint, SPARQL))
    add((DATASET, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    add((SPARQL, RDF.type, DCAT.DataService))
    add((SPARQL, DCTERMS.title, Literal("sec-kg SPARQL 1.1 endpoint (read-only)", lang="en")))
    add((SPARQL, DCAT.endpointURL, SPARQL))
    add((SPARQL, DCAT.servesDataset, DATASET))
    add((DATASET, DCAT.accessService, SPARQL))
    for example in EXAMPLES:
        add((DATASET, VOID.exampleResource, ID[example]))
    add((DATASET, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    for vocabulary in description.vocabularies:
        add((DATASET, VOID.vocabulary, URIRef(vocabulary)))
    add((DATASET, VOID.triples, Literal(description.triples)))
    add((DATASET, VOID.entities, Literal(description.entities)))
    add((DATASET, VOID.classes, Literal(len(description.classes))))
    add((DATASET, VOID.properties, Literal(len(description.properties))))
    for cls, count in sorted(description.classes.items()):
        partition = BNode()
        add((DATASET, VOID.classPartition, partition))
        add((partition, VOID["class"], URIRef(cls)))
        add((partition, VOID.entities, Literal(count)))
    for prop, count in sorted(description.properties.items()):
        partition = BNode()
        add((DATASET, VOID.propertyPartition, partition))
        add((partition, VOID.property, URIRef(prop)))
        add((partition, VOID.triples, Literal(count)))
    for name, count in sorted(description.graphs.items()):
        add((DATASET, VOID.subset, URIRef(name)))
        add((URIRef(name), RDF.type, VOID.Dataset))
        add((URIRef(name), VOID.triples, Literal(count)))
    for code, (label, count) in description.states.items():
        subset = URIRef(f"{DATASET}/{code}")
        add((DATASET, VOID.subset, subset))
        add((subset, RDF.type, VOID.Dataset))
        add((subset, RDF.type, DCAT.Dataset))
        add((subset, DCTERMS.title, Literal(f"sec-kg: {label}", lang="en")))
        add((subset, DCTERMS.license, URIRef(LICENCE)))
        if count is not None:
            add((subset, VOID.triples, Literal(count)))
        add((subset, VOID.rootResource, ID[f"state/{code}"]))
    for dump in description.distributions:
        scope = dump.name.split(".")[0]
        owner = DATASET if scope == "all" else URIRef(f"{DATASET}/{scope}")
        add((owner, VOID.dataDump, URIRef(dump.url)))
        add((owner, DCAT.distribution, dump.iri))
        add((dump.iri, RDF.type, DCAT.Distribution))
        add((dump.iri, DCTERMS.title, Literal(dump.name)))
        add((dump.iri, DCAT.downloadURL, URIRef(dump.url)))
        add((dump.iri, DCAT.accessURL, URIRef(dump.url)))
        add((dump.iri, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        if dump.size is not None:
            add((dump.iri, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        add((dump.iri, DCTERMS.license, URIRef(LICENCE)))
    return graph


def schema_org(description: Description) -> dict:
    """The dataset as schema.org ``Dataset`` JSON-LD, the markup search engines read from a page."""
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": str(DATASET),
        "name": TITLE,
        "description": DESCRIPTION,
        "url": str(PUBLISHER),
        "license": LICENCE,
        "isAccessibleForFree": True,
        "version": __version__,
        "dateModified": description.modified,
        "datePublished": ISSUED,
        "creator": {"@type": "Organization", "name": "The sec-kg project", "url": str(PUBLISHER)},
        "publisher": {"@type": "Organization", "name": "The sec-kg project", "url": str(PUBLISHER)},
        "isBasedOn": {"@type": "Report", "name": ATTRIBUTION,
                      "author": {"@type": "Organization", "name": "Inter-American Children's Institute (IIN-OAS)"}},
        "citation": ATTRIBUTION,
        "keywords": ["sexual exploitation of children and adolescents", "child protection", "Americas", "linked open data"],
        "spatialCoverage": [{"@type": "Country", "name": label} for label, _ in description.states.values()],
        "distribution": [{"@type": "DataDownload", "name": d.name, "contentUrl": d.url, "encodingFormat": d.media_type}
                         for d in description.distributions],
    }
