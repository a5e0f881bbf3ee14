"""SHACL validation through the real CLI: the bundled data passes, every shape rejects its fixture.

The fixtures are validated together, in one run of ``sec-kg validate`` (one pySHACL run instead of
one per fixture): each violation names the file its resource comes from, and no two fixtures
describe the same resource, so a fixture's violation can only come from that fixture.
"""

import contextlib
import io
import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph

from conftest import make_small_project
from sec_kg.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "bad"

#: fixture -> (the shape it breaks, what the user is told)
EXPECTED = {
    "Amendment": ("Amendment", "only a sec:LegalInstrument amends or creates"),
    "CareService": ("CareService", "a care service needs exactly one sec:managementType from the management scheme (management/not-stated where the report gives none)"),
    "ConceptLabel": ("ConceptLabel", "a concept needs skos:inScheme a skos:ConceptScheme"),
    "AgeRange": ("AgeRange", "sec:minimumAge must be one xsd:integer, not above sec:maximumAge"),
    "Contribution": ("Contribution", "a contribution needs exactly one sec:contributorRole from the role scheme"),
    "CoordinationBody": ("CoordinationBody", "a coordination body needs a sec:focus from the focus scheme"),
    "DataSet": ("DataSet", "a data set needs exactly one qb:structure (IC-2)"),
    "DateOrYearValues": ("DateOrYearValues", "sec:adoptionDate must be an xsd:date, xsd:gYearMonth or xsd:gYear"),
    "DateValues": ("DateValues", "sec:ratificationDate must be an xsd:date (YYYY-MM-DD)"),
    "EnquiryQuestion": ("EnquiryQuestion", "a question needs exactly one sec:inBlock"),
    "EntityLabel": ("EntityLabel", 'needs exactly one English label (rdfs:label "..."@en)'),
    "Finding": ("Finding", "a finding needs exactly one sec:category, a Stockholm category"),
    "FindingStates": ("FindingStates", "sec:singlesOut links a finding to a sec:State"),
    "InstitutionState": ("InstitutionState", "an institution needs its sec:state (only international ones, under /id/institution/int/, have none)"),
    "Interval": ("Interval", "a validity interval needs time:hasBeginning or time:hasEnd"),
    "Membership": ("Membership", "a membership needs exactly one org:role from the role scheme"),
    "Observation": ("DataSet", "lacks dimension https://w3id.org/sec-kg/ontology#sex of the data structure (IC-11)"),
    "ObservationDataSet": ("Observation", "an observation needs exactly one qb:dataSet (IC-1)"),
    "ObservationMeasure": ("DataSet", "has 2 values for measure https://w3id.org/sec-kg/ontology#count, not one (IC-14, IC-15)"),
    "Offence": ("Offence", "an offence needs sec:definedIn at least one sec:Provision"),
    "Policy": ("Policy", "validity starts (2030) after it ends (2019)"),
    "PossibleIdentity": ("PossibleIdentity", "a possible-identity note needs at least two sec:candidate resources"),
    "PossiblySameAs": ("PossiblySameAs", "but no sec:PossibleIdentity note lists both (sec:candidate)"),
    "PrintedName": ("PrintedName", "is the label itself; record a printed name only where it differs"),
    "Provenance": ("Provenance", "needs the report section that states it"),
    "Provision": ("Provision", "a provision needs exactly one eli:is_part_of, its sec:LegalInstrument"),
    "Quantity": ("Quantity", "a quantity needs exactly one sdmx-attribute:unitMeasure from the unit scheme"),
    "Ratification": ("Ratification", "a ratified or acceded cell needs one sec:ratificationDate; a not-party or blank cell has none"),
    "RatificationUnique": ("RatificationUnique", "has more than one ratification cell for this treaty"),
    "SourceDocument": ("SourceDocument", "a source document other than the report itself needs prov:wasDerivedFrom the report"),
    "StateScoped": ("StateScoped", "needs exactly one sec:state, a sec:State"),
    "TypedValues": ("TypedValues", "sec:impactAssessmentReported must be one xsd:boolean"),
    "YearValues": ("YearValues", "sec:year must be an xsd:gYear (YYYY)"),
    "AgentLinks": ("AgentLinks", "sec:establishedBy must point to an agent (an institution, coordination body or State)"),
    "AreaLinks": ("AreaLinks", "sec:location must point to an area concept (skos:inScheme a scheme under /id/scheme/area-)"),
    "BibliographicCitation": ("PrintedText", "dcterms:bibliographicCitation must be a non-empty xsd:string, the citation as printed"),
    "ChangedBy": ("InstrumentLinks", "eli:changed_by must point to a legal resource (a sec:LegalInstrument)"),
    "ContributionLink": ("ContributionLink", "sec:contribution must point to a sec:Contribution (contributor and role)"),
    "ExplanatoryNumber": ("ExplanatoryNumber", "sec:explanatoryNumber must be an xsd:string of digits, as the comment writes the number"),
    "InsertedBy": ("InstrumentLinks", "sec:insertedBy must point to the sec:LegalInstrument that inserted the provision"),
    "InstrumentLinks": ("InstrumentLinks", "sec:approvedBy must point to the sec:LegalInstrument that approved it"),
    "ManagedBy": ("AgentLinks", "sec:managedBy must point to an agent (an institution, coordination body or State)"),
    "ManagementAsPrinted": ("PrintedText", "sec:managementAsPrinted must be one non-empty xsd:string, the management as printed"),
    "Modified": ("DateValues", "dcterms:modified must be an xsd:date (YYYY-MM-DD)"),
    "MostAffectedArea": ("AreaLinks", "sec:mostAffectedArea must point to an area concept (skos:inScheme a scheme under /id/scheme/area-)"),
    "NumberOfStates": ("FindingStates", "sec:numberOfStates must be one non-negative xsd:integer"),
    "PartAsPrinted": ("PrintedText", "sec:partAsPrinted must be a non-empty xsd:string, the part as printed"),
    "PrintedText": ("PrintedText", "sec:ageAsPrinted must be a non-empty xsd:string, the ages as printed"),
    "QuantityRange": ("Quantity", "a quantity's sec:minimumValue must not be above its sec:maximumValue"),
    "ResponseDeadline": ("DateValues", "sec:responseDeadline must be an xsd:date (YYYY-MM-DD)"),
    "TableColumn": ("TypedValues", "sec:tableColumn must be one xsd:integer"),
    "Temporal": ("PrintedText", "dcterms:temporal must be one non-empty xsd:string, the period as printed"),
}


def test_every_fixture_is_listed():
    assert sorted(p.stem for p in FIXTURES.glob("*.ttl")) == sorted(EXPECTED)


def test_every_shape_has_a_fixture(project):
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    shapes = Graph()
    for path in project.shape_files():
        shapes.parse(path, format="turtle")
    targeted = {
        str(shape).rsplit("#", 1)[1]
        for shape in shapes.subjects(RDF.type, SH.NodeShape)
        for target in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
        if (shape, target, None) in shapes
    }
    covered = {shape for shape, _message in EXPECTED.values()}
    # DataQualityNote only warns: test_data_quality_notes_are_warnings covers it.
    assert targeted - {"DataQualityNote"} == covered


@pytest.fixture(scope="module")
def fixtures_validated(tmp_path_factory) -> tuple[int, str, list[tuple[list[str], str]]]:
    """``sec-kg validate`` over the shared data and every fixture: the exit status, the output, and
    each violation as (the files it names, its message)."""
    project = make_small_project(tmp_path_factory.mktemp("small"))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["--home", str(project.root), "validate", *map(str, sorted(FIXTURES.glob("*.ttl")))])
    found = re.findall(r"^(.+?): Violation: .*\n {4}(.+)$", out.getvalue(), flags=re.MULTILINE)
    return status, out.getvalue(), [(files.split(", "), message) for files, message in found]


def test_no_two_fixtures_describe_the_same_resource():
    described: dict = {}
    for path in sorted(FIXTURES.glob("*.ttl")):
        for subject in set(Graph().parse(path, format="turtle").subjects()):
            if not isinstance(subject, BNode):
                described.setdefault(subject, []).append(path.stem)
    assert {str(s): names for s, names in described.items() if len(names) > 1} == {}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shape_rejects_its_fixture(name, fixtures_validated):
    status, out, violations = fixtures_validated
    fixture = str(FIXTURES / f"{name}.ttl")
    assert status == 1, out
    messages = [message for files, message in violations if fixture in files]  # the violation names its file
    assert any(EXPECTED[name][1] in message for message in messages), f"{name}: {messages}"


def test_bundled_data_conforms_and_notes_are_warnings(capsys):
    status = main(["validate"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.rstrip().splitlines()[-1].startswith("0 violation(s), ")
    warnings = [line for line in out.splitlines() if ": Warning: " in line]
    assert any("cl-crc-report" in line for line in warnings), "the recorded data-quality notes show as warnings"
    assert "data-quality note: " in out
