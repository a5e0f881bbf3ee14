"""The canned queries of queries/: their headers and shape, typed parameters, and real answers checked
against the report."""

import re

import pyoxigraph as ox
import pytest

from conftest import normalise
from sec_kg.queries import ParameterError, catalogue
from printed import name_forms, printed_rows

REQUIRED = {
    "ratifications", "ratification-matrix", "not-party", "coordination-bodies", "body-members", "shared-members",
    "bodies-by-sector", "policies", "policies-in-force", "protocols", "agreements", "national-instruments",
    "offences", "amendment-chains", "instrument-creates", "prevention-measures", "codes-of-conduct",
    "access-to-justice", "care-services", "participation-mechanisms", "modalities-scenarios", "victim-profile",
    "statistics", "findings", "coverage", "search",
}


@pytest.fixture(scope="module")
def queries(project):
    return catalogue(project.queries_dir)


@pytest.fixture(scope="module")
def run_terms(oxigraph):
    """Run a query text on pyoxigraph, keeping the terms (to tell IRIs from literals)."""

    def run(text):
        solutions = oxigraph.query(text, use_default_graph_as_union=True)
        names_ = [v.value for v in solutions.variables]
        return names_, [{n: row[n] for n in names_} for row in solutions]

    return run


def test_the_issue_names_are_all_there(queries):
    assert REQUIRED <= set(queries)


def test_every_top_level_query_has_a_header(project, queries):
    for path in sorted(project.queries_dir.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        assert re.search(r"^# title: \S", text, re.M), path.name
        assert re.search(r"^# description: \S", text, re.M), path.name
        assert re.search(r"^# param: \S", text, re.M) or not queries[path.stem].parameters, path.name


def test_every_resource_column_has_its_label(queries, run_terms):
    """A column that holds the graph's IRIs (not web addresses) comes with ?xLabel, bound wherever the IRI is."""
    for name, query in queries.items():
        variables, rows = run_terms(query.bind({}))
        assert rows, name
        for variable in variables:
            if any(isinstance(row[variable], ox.NamedNode) and row[variable].value.startswith("https://w3id.org/sec-kg/")
                   for row in rows):
                assert variable + "Label" in variables, (name, variable)
                unlabelled = [row[variable] for row in rows if row[variable] is not None and row[variable + "Label"] is None]
                assert not unlabelled, (name, variable, unlabelled[:3])


def test_not_party_to_the_traffic_in_minors_convention(select, queries, report_lines):
    rows = select(queries["not-party"].bind({"treaty": "iacitm"}))
    got = {(r["stateLabel"], r["printed"]) for r in rows}
    # the printed table: "-" for Canada, Guyana and Mexico; Chile's and Guatemala's cells are blank
    assert got == {("Canada", "-"), ("Guyana", "-"), ("Mexico", "-"), ("Chile", ""), ("Guatemala", "")}
    column = report_lines[next(i for i, l in enumerate(report_lines) if l.startswith("\tConvention on the Rights"))].split("\t")
    assert column[3].startswith("Inter-American Convention on International Traffic in Minors")


def test_ratification_matrix_is_the_printed_table(select, queries, report_lines):
    start = next(i for i, line in enumerate(report_lines) if line.startswith("\tConvention on the Rights of the Child"))
    rows = {r["stateLabel"].upper(): r for r in select(queries["ratification-matrix"].bind({}))}
    columns = ["CRC", "OPSC", "IACITM", "CEDAW", "OP_CEDAW", "BelemDoPara", "UNTOC", "PalermoProtocol", "RomeStatute"]
    for line in report_lines[start + 1:start + 9]:
        cells = line.split("\t")
        printed = [c.strip() for c in cells[1:]] + [""] * (10 - len(cells))
        assert [rows[cells[0]][c] for c in columns] == printed, cells[0]


def test_policies_in_force_in_2025_are_those_of_the_printed_table(select, queries, report_lines, names):
    printed = printed_rows(report_lines, "STATE\tPOLICIES/ PLANS\tDATE OF ADOPTION", 4)
    expected = set()
    for code, name, adopted, validity in printed:
        years = [int(y) for y in re.findall(r"\d{4}", validity)]
        start, end = (years[0], years[-1]) if len(years) == 2 else (int(adopted[-4:]), years[0]) if years else (None, None)
        if end and start <= 2025 <= end:
            expected.add((code, name))
    assert len(expected) == 6
    rows = select(queries["policies-in-force"].bind({"year": "2025"}))
    assert len(rows) == len(expected)
    for row in rows:
        code = row["state"].rsplit("/", 1)[1]
        assert any(c == code and name_forms(n) & names[row["policy"]] for c, n in expected), row["policyLabel"]


def test_policies_in_force_default_year_is_the_reports(select, queries):
    default = select(queries["policies-in-force"].bind({}))
    assert {r["policyLabel"] for r in default} == {r["policyLabel"] for r in select(queries["policies-in-force"].bind({"year": "2024"}))}
    assert "National Strategy to Combat Trafficking in Persons" in {r["policyLabel"] for r in default}


def test_shared_members_of_colombia_sit_on_several_printed_bodies(select, queries, report_lines, names):
    """Each institution the query finds is printed in the composition of at least two of Colombia's bodies."""
    printed = [row for row in printed_rows(report_lines, "STATE\tCOORDINATION AREA\tCOMPOSITION", 4) if row[0] == "CO"]
    assert len(printed) == 3
    rows = select(queries["shared-members"].bind({"state": "CO"}))
    found = {r["memberLabel"] for r in rows}
    assert {"Colombian Family Welfare Institute", "Ministry of Health and Social Protection", "Ministry of Education",
            "National Police", "Ombudsman's Office", "Attorney General's Office"} <= found
    for row in rows:
        assert int(row["bodies"]) >= 2
        cells = [normalise(composition) for _, _, composition, _ in printed]
        assert sum(any(name in cell for name in names[row["member"]]) for cell in cells) >= 2, row["memberLabel"]


def test_body_members_by_body_and_by_state(select, queries):
    menacesnna = select(queries["body-members"].bind({"body": "https://w3id.org/sec-kg/id/body/GT/menacesnna"}))
    assert "Association of Small Hoteliers of Guatemala" in {r["memberLabel"] for r in menacesnna}
    assert {r["bodyLabel"] for r in menacesnna} == {menacesnna[0]["bodyLabel"]}
    chairs = [r for r in select(queries["body-members"].bind({"state": "CO"})) if r["roleLabel"] == "chair"]
    assert {r["memberLabel"] for r in chairs} >= {"Ministry of Health and Social Protection"}


def test_bodies_with_civil_society(select, queries, report_text):
    rows = select(queries["bodies-by-sector"].bind({"sector": "civil-society"}))
    chile = {r["memberLabel"] for r in rows if r["bodyLabel"] == "Intersectoral Panel on Trafficking in Persons"}
    assert {"Honra Foundation", "Libera Foundation"} <= chile
    assert all(name.split()[0] in report_text for name in chile)
    assert {r["memberSectorLabel"] for r in rows} == {"civil society"}


def test_statistics_cells_match_the_printed_layout_query(select, queries):
    cells = select(queries["statistics"].bind({"dataset": "gt-victims-by-age"}))
    layout = select(queries["statistics/gt-victims-by-age"].bind({}))
    printed = {(r["ageRangeCode"], year, r["y" + year]) for r in layout for year in ("2023", "2024")}
    assert {(r["ageRange"], r["period"], r["count"]) for r in cells} == printed
    assert [int(r["cell"]) for r in cells] == sorted(int(r["cell"]) for r in cells)


def test_search_finds_acronyms(select, queries):
    rows = select(queries["search"].bind({"text": "ICBF"}))
    assert "Colombian Family Welfare Institute" in {r["resourceLabel"] for r in rows}
    assert len(select(queries["search"].bind({}))) == 500  # every name, up to the limit


def test_offences_by_modality_uses_the_modality_code(select, queries):
    rows = select(queries["offences"].bind({"modality": "trafficking"}))
    trafficking = select("SELECT ?l WHERE { <https://w3id.org/sec-kg/id/concept/modality/trafficking> skos:prefLabel ?l }")
    assert rows and all(trafficking[0]["l"] in r["modalities"].split("; ") for r in rows)
    assert len(rows) < len(select(queries["offences"].bind({})))


def test_prevention_codes_of_conduct_agree(select, queries):
    by_type = {r["measure"] for r in select(queries["prevention-measures"].bind({"type": "code-of-conduct"}))}
    codes = {r["code"] for r in select(queries["codes-of-conduct"].bind({}))}
    assert by_type and by_type <= codes


def test_modalities_reported_by_guatemala(select, queries):
    rows = select(queries["modalities-scenarios"].bind({"state": "GT"}))
    assert {(r["kind"], r["concept"].rsplit("/", 1)[1]) for r in rows} == {
        ("modality", "paid-sex"), ("modality", "pornography"), ("scenario", "digital")}


def test_network_of_a_body(select, queries):
    rows = select(queries["network"].bind({"resource": "https://w3id.org/sec-kg/id/body/GT/menacesnna"}))
    assert ("created by", "Interagency Framework Agreement of 2013") in {(r["edgeLabel"], r["targetLabel"]) for r in rows}
    assert {r["sourceKind"] for r in rows if r["source"].endswith("/menacesnna")} == {"body"}


@pytest.mark.parametrize("name, values, message", [
    ("not-party", {"treaty": "traffic"}, "expects a treaty code"),
    ("policies-in-force", {"year": "20x5"}, "four-digit year"),
    ("bodies-by-sector", {"sector": "youth"}, "expects a sector code"),
    ("statistics", {"dataset": "../../etc"}, "data set's slug"),
    ("coordination-bodies", {"state": "Colombia"}, "alpha-2"),
    ("prevention-measures", {"type": "poster"}, "measure type"),
    ("body-members", {"body": "<GT/menacesnna>"}, "expects a coordination body"),
    ("search", {"q": "x"}, "has no parameter 'q'"),
])
def test_bad_parameters_are_clear_errors(queries, name, values, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        queries[name].bind(values)


def test_a_value_is_never_pasted_into_the_text(queries, select):
    text = queries["search"].bind({"text": '") } SELECT * WHERE { ?s ?p ?o } #'})
    assert select(text) == []  # one literal in a VALUES block, matching nothing
