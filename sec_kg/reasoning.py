"""What the ontology implies, made explicit, and whether ontology and data are consistent.

``materialise`` runs the OWL 2 RL rules (owlrl) over ontology + data and keeps
only what users query for: superclass types of the graph's own resources and the
inverse or implied object properties between them (``org:hasMembership``,
``eli:amended_by``, ``sec:creates`` ...). The rest of the closure (reflexive
owl:sameAs, rdfs:Resource typing, schema-level triples) would only add noise.

``check_consistency`` hands ontology + data to owlready2 and its HermiT reasoner,
which needs Java; without Java it says so and does not run.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, QB, RDF, RDFS, XSD

from .namespaces import ID, bind_prefixes

_NOISE_CLASSES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class}


def materialise(graph: Graph) -> Graph:
    """The triples OWL RL entails for the graph's resources that the graph does not already state.

    Literal-valued triples can only entail something through a property's
    rdfs:domain, so the others (labels, comments, provenance strings: most of the
    graph) are left out of the closure, which halves its cost.
    """
    with_domain = set(graph.subjects(RDFS.domain, None))
    closure = Graph()
    for triple in graph:
        if not isinstance(triple[2], Literal) or triple[1] in with_domain:
            closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    object_properties = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    inferred = bind_prefixes(Graph())
    for s, p, o in closure:
        if not _is_ours(s) or (s, p, o) in graph:
            continue
        if p == RDF.type and isinstance(o, URIRef) and o not in _NOISE_CLASSES and (o, RDF.type, OWL.Class) in graph:
            inferred.add((s, p, o))
        elif p in object_properties and _is_ours(o):
            inferred.add((s, p, o))
    return inferred


def _is_ours(node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(ID))


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
