"""What the pipeline infers (graph/inferred of the served artefact), and the OWL consistency check
with owlready2 + HermiT."""

import shutil

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from sec_kg.loader import parse_turtle
from sec_kg.namespaces import ELI, ORG, SEC
from sec_kg.reasoning import check_consistency


@pytest.fixture(scope="module")
def inferred(project):
    from rdflib import Dataset

    from sec_kg.artefact import INFERRED, prepare

    dataset = Dataset()
    dataset.parse(data=prepare(project).nquads(), format="nquads")
    return dataset.graph(INFERRED)


def test_inverse_properties_are_materialised(graph, inferred):
    memberships = list(graph.subject_objects(ORG.member))
    assert memberships
    for membership, member in memberships:
        assert (member, ORG.hasMembership, membership) in inferred or (member, ORG.hasMembership, membership) in graph
    for amending, amended in graph.subject_objects(ELI.amends):
        assert (amended, ELI.amended_by, amending) in inferred or (amended, ELI.amended_by, amending) in graph


def test_superclass_types_are_materialised(graph, inferred):
    acts = list(graph.subjects(RDF.type, SEC.Act))
    assert acts
    assert all((act, RDF.type, SEC.LegalInstrument) in inferred for act in acts)
    assert (URIRef("https://w3id.org/sec-kg/id/state/CO"), RDF.type, SEC.Country) in inferred


def test_only_the_graphs_own_resources_gain_triples(inferred):
    assert len(inferred) > 0
    assert all(str(s).startswith("https://w3id.org/sec-kg/id/") for s in inferred.subjects())
    assert not any(o in (OWL.Thing,) for o in inferred.objects(predicate=RDF.type))


def test_only_table_cells_become_observations(graph, inferred):
    """The domain of the Data Cube dimensions types whatever carries them: only cells may carry them,
    so every inferred observation belongs to a data set and no data set is an observation."""
    QB = "http://purl.org/linked-data/cube#"
    observations = set(graph.subjects(RDF.type, URIRef(QB + "Observation"))) | set(inferred.subjects(RDF.type, URIRef(QB + "Observation")))
    cells = set(graph.subjects(URIRef(QB + "dataSet"), None))
    assert observations == cells
    assert not observations & set(graph.subjects(RDF.type, URIRef(QB + "DataSet")))


def requires_java(test):
    """Marked ``java``; skipped where Java is missing."""
    skip = pytest.mark.skipif(shutil.which("java") is None,
                              reason="HermiT needs Java: apt-get install default-jre-headless (.ci/run does)")
    return pytest.mark.java(skip(test))


@requires_java
def test_ontology_and_data_are_consistent(graph):
    result = check_consistency(graph)
    assert result.status == "consistent", result.message


@requires_java
def test_inconsistency_is_reported(project):
    ontology = Graph()
    for path in project.ontology_files():
        ontology += parse_turtle(path)
    cell = URIRef("https://w3id.org/sec-kg/id/ratification/CO/fixture")
    ontology.add((cell, RDF.type, SEC.Ratification))
    ontology.add((cell, SEC.ratificationDate, Literal("1991-01-28", datatype=XSD.date)))
    ontology.add((cell, SEC.ratificationDate, Literal("1992-01-28", datatype=XSD.date)))  # functional: one date only
    result = check_consistency(ontology)
    assert result.status == "inconsistent"
    assert not result.ok


def test_without_java_the_check_says_it_was_skipped(graph, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = check_consistency(graph)
    assert result.status == "skipped" and "Java is not installed" in result.message and result.ok


@pytest.mark.slow  # owlrl's closure of the whole graph: about 10 s
def test_rules_entail_exactly_what_owlrl_entails(graph, inferred):
    """owlrl (the full OWL 2 RL closure) is the reference for the SPARQL rules."""
    import owlrl

    from sec_kg.namespaces import ID
    from sec_kg.reasoning import _NOISE_CLASSES

    def ours(node) -> bool:
        return isinstance(node, URIRef) and str(node).startswith(str(ID))

    closure = Graph()
    closure += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    object_properties = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    classes = set(graph.subjects(RDF.type, OWL.Class)) - _NOISE_CLASSES
    reference = {
        (s, p, o) for s, p, o in closure
        if ours(s) and (s, p, o) not in graph
        and ((p == RDF.type and o in classes) or (p in object_properties and ours(o)))
    }
    assert set(inferred) == reference
