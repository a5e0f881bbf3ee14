"""The ontology-quality checks in queries/checks/: each must return no rows on the real data,
and each must catch the mistake it is written for."""

import re
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from sec_kg.namespaces import GRAPH, SEC
from sec_kg.oxi import to_ox

CHECKS = sorted((Path(__file__).parent.parent / "queries" / "checks").glob("*.rq"))


def _run(store, check: Path) -> list[list[str]]:
    solutions = store.query(check.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    return [[term.value for term in row] for row in solutions]


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_returns_no_rows(check, oxigraph):
    assert _run(oxigraph, check) == []


def test_checks_start_with_a_header():
    for check in CHECKS:
        lines = check.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# title: ") and lines[1].startswith("# description: "), check.name


class Scratch:
    """A copy of the loaded store that a test may break, written to with rdflib terms."""

    def __init__(self, source: ox.Store):
        self.store = ox.Store()
        self.store.bulk_extend(source)

    def graph(self, name: URIRef) -> SimpleNamespace:
        graph = ox.NamedNode(str(name))
        return SimpleNamespace(add=lambda triple: self.store.add(ox.Quad(*map(to_ox, triple), graph)))


@pytest.fixture
def scratch(oxigraph) -> Scratch:
    return Scratch(oxigraph)


def _rows(scratch: Scratch, name):
    return _run(scratch.store, Path(__file__).parent.parent / "queries" / "checks" / f"{name}.rq")


def test_a_typo_in_a_predicate_is_caught(scratch):
    typo = SEC.stat  # instead of sec:state
    scratch.graph(GRAPH["data/common/states"]).add((URIRef("https://w3id.org/sec-kg/id/state/CO"), typo, Literal("x")))
    assert [str(typo), "predicate"] in _rows(scratch, "undeclared-terms")


def test_an_undocumented_class_is_caught(scratch):
    term = SEC.Fixture
    scratch.graph(GRAPH["ontology/sec"]).add((term, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")))
    scratch.graph(GRAPH["ontology/sec"]).add((term, RDFS.label, Literal("Fixture", lang="en")))
    assert [str(term), "English comment"] in _rows(scratch, "undocumented-terms")


def test_a_number_only_in_a_comment_is_caught(scratch):
    """A figure written in a comment but in no value of the resource or its neighbours is listed;
    a citation of the report's apparatus is not, and sec:explanatoryNumber accepts a number."""
    graph = scratch.graph(GRAPH["data/common/states"])
    state = URIRef("https://w3id.org/sec-kg/id/state/CO")
    graph.add((state, RDFS.comment, Literal("Reported 4,321 cases (see section 4.1.2 and footnotes 6 and 7).", lang="en")))
    assert [[str(state), str(RDFS.comment), "<4321> "]] == _rows(scratch, "numbers-in-free-text")
    graph.add((state, SEC.explanatoryNumber, Literal("4,321")))
    assert _rows(scratch, "numbers-in-free-text") == []


def test_every_explanatory_number_is_in_a_comment_of_its_resource(select):
    """The allow-list of sec:explanatoryNumber holds only numbers that a comment or note of the same
    resource still writes, so it cannot hide a fact elsewhere or outlive the text it explains."""
    rows = select(
        """SELECT ?s ?n (GROUP_CONCAT(?text; separator = " ") AS ?texts) WHERE {
               ?s sec:explanatoryNumber ?n .
               OPTIONAL { VALUES ?p { rdfs:comment skos:note skos:scopeNote skos:definition dcterms:description sec:dataQualityNote }
                          ?s ?p ?text }
           } GROUP BY ?s ?n"""
    )
    assert rows
    for row in rows:
        written = {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)*", row["texts"])}
        assert row["n"].replace(",", "") in written, row


def test_a_dangling_link_is_caught(scratch):
    missing = URIRef("https://w3id.org/sec-kg/id/institution/CO/does-not-exist")
    scratch.graph(GRAPH["data/common/states"]).add((URIRef("https://w3id.org/sec-kg/id/state/CO"), SEC.partyTo, missing))
    assert str(missing) in {row[0] for row in _rows(scratch, "dangling-links")}


def test_an_unlabelled_resource_is_caught(scratch):
    """A resource without rdfs:label or skos:prefLabel is listed; a membership is named by its parts."""
    graph = scratch.graph(GRAPH["data/common/states"])
    unnamed = URIRef("https://w3id.org/sec-kg/id/institution/CO/unnamed")
    graph.add((unnamed, RDF.type, SEC.Institution))
    membership = URIRef("https://w3id.org/sec-kg/id/membership/CO/body/unnamed")
    graph.add((membership, RDF.type, URIRef("http://www.w3.org/ns/org#Membership")))
    assert [[str(unnamed), str(SEC.Institution)]] == [row for row in _rows(scratch, "unlabelled") if row[0] == str(unnamed)]
    assert str(membership) not in {row[0] for row in _rows(scratch, "unlabelled")}
    graph.add((unnamed, RDFS.label, Literal("Unnamed", lang="en")))
    assert str(unnamed) not in {row[0] for row in _rows(scratch, "unlabelled")}
