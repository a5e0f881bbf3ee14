"""What the ontology implies, made explicit, and whether ontology and data are consistent.

``entailed`` finds what users query for: the superclass types of the graph's
own resources (from rdf:type, rdfs:domain and rdfs:range through rdfs:subClassOf)
and the inverse and super-properties of the links between them
(``org:hasMembership``, ``eli:amended_by``, ``sec:creates`` ...). These are the
OWL RL rules cax-sco, prp-dom, prp-rng, prp-spo1 and prp-inv, evaluated as SPARQL
on pyoxigraph until nothing new appears. At the report's size this takes a few
seconds where owlrl's full closure takes ten times as long (and grows much
faster); the test suite checks that both give exactly the same triples.

``check_consistency`` hands ontology + data to owlready2 and its HermiT reasoner,
which needs Java; without Java it says so and does not run.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import OWL, QB, RDF, RDFS, XSD

from .namespaces import ID

_NOISE_CLASSES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}

#: OWL RL rules as SPARQL; each yields triples that may already be in the graph.
_RULES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
CONSTRUCT { ?s a ?class }
WHERE {
    { ?s a ?type } UNION { ?s ?p [] . ?p rdfs:domain ?type } UNION { [] ?p ?s . ?p rdfs:range ?type . FILTER (!isLITERAL(?s)) }
    ?type rdfs:subClassOf* ?class .
}
---
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
CONSTRUCT { ?o ?inverse ?s . ?s ?super ?o }
WHERE {
    ?s ?p ?o .
    { ?p owl:inverseOf ?inverse } UNION { ?inverse owl:inverseOf ?p } UNION { ?p rdfs:subPropertyOf+ ?super }
    FILTER (!isLITERAL(?o) || BOUND(?super))
}
""".split("---")


def entailed(store: ox.Store) -> list[ox.Triple]:
    """What the rules entail from ``store`` (all its graphs together) about the graph's own resources:
    types from the ontology's classes, links by its object properties. ``store`` is left as it was."""
    union = {"use_default_graph_as_union": True}
    scratch = ox.NamedNode(str(ID) + "-entailment-in-progress")
    found = []
    while True:
        new = {ox.Quad(t.subject, t.predicate, t.object, scratch) for rule in _RULES for t in store.query(rule, **union)}
        new = [quad for quad in new if next(store.quads_for_pattern(quad.subject, quad.predicate, quad.object), None) is None]
        if not new:
            break
        store.extend(new)
        found += new
    if found:
        store.remove_graph(scratch)
    classes = {t["c"] for t in store.query("SELECT ?c WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> }", **union)}
    classes -= {ox.NamedNode(str(c)) for c in _NOISE_CLASSES}
    object_properties = {t["p"] for t in store.query(
        "SELECT ?p WHERE { ?p a <http://www.w3.org/2002/07/owl#ObjectProperty> }", **union)}
    rdf_type = ox.NamedNode(str(RDF.type))
    return [quad.triple for quad in found if _is_ours(quad.subject) and (
        (quad.predicate == rdf_type and quad.object in classes)
        or (quad.predicate in object_properties and _is_ours(quad.object)))]


def _is_ours(node) -> bool:
    """An IRI of the report's resources."""
    return isinstance(node, ox.NamedNode) and node.value.startswith(str(ID))


#: Datatypes the data uses that are outside the OWL 2 datatype map, which HermiT rejects.
_NON_OWL2_DATATYPES = {XSD.date, XSD.gYear, XSD.gYearMonth}
_QB_COMPONENT_CLASSES = {QB.DimensionProperty, QB.MeasureProperty, QB.AttributeProperty}


@dataclass
class ConsistencyResult:
    status: str  # "consistent", "inconsistent", "skipped" or "error"
    message: str

    @property
    def ok(self) -> bool:
        return self.status in ("consistent", "skipped")


def owl2_view(graph: Graph) -> Graph:
    """The graph as OWL 2 DL reasoners accept it.

    Dates and years become plain strings (OWL 2 has no xsd:date or xsd:gYear) and
    their range axioms are dropped; Data Cube component typing, which puns
    properties as classes' instances, is left out. Nothing else changes.
    """
    view = Graph()
    for s, p, o in graph:
        if p == RDF.type and o in _QB_COMPONENT_CLASSES:
            continue
        if p == RDFS.range and o in _NON_OWL2_DATATYPES:
            continue
        if isinstance(o, Literal) and o.datatype in _NON_OWL2_DATATYPES:
            o = Literal(str(o))
        view.add((s, p, o))
    return view


def check_consistency(graph: Graph) -> ConsistencyResult:
    """Run HermiT through owlready2 on ontology + data (owlready2 reads N-Triples, not Turtle)."""
    if shutil.which("java") is None:
        return ConsistencyResult("skipped", "OWL consistency check skipped: Java is not installed (HermiT needs it)")
    import owlready2

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sec-kg.nt"
        owl2_view(graph).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            ontology = world.get_ontology(path.as_uri()).load()
            with ontology:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ConsistencyResult("inconsistent", f"ontology and data are inconsistent: {exc}")
        except (owlready2.OwlReadyError, TypeError, ValueError) as exc:
            first_line = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            return ConsistencyResult("error", f"OWL consistency check could not run: {first_line}")
        unsatisfiable = sorted(str(c.iri) for c in world.inconsistent_classes())
    if unsatisfiable:
        return ConsistencyResult("inconsistent", "unsatisfiable classes: " + ", ".join(unsatisfiable))
    return ConsistencyResult("consistent", "OWL consistency (owlready2 + HermiT): consistent")
