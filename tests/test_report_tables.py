"""The two summary tables of section 2, cell by cell: what the report prints against what the
canned queries of queries/report-tables/ return from the graph."""

import re

import pytest

from conftest import normalise
from printed import name_forms, printed_rows
from sec_kg.queries import catalogue

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


@pytest.fixture(scope="module")
def queries(project):
    return catalogue(project.queries_dir)


def _run(select, queries, name):
    return select(queries[name].bind({}))


def test_coordination_table(report_lines, select, queries, names):
    printed = printed_rows(report_lines, "STATE\tCOORDINATION AREA\tCOMPOSITION", 4)
    assert len(printed) == 16
    start = report_lines.index("2.1. Interagency Coordination Areas")
    section_text = normalise(" ".join(report_lines[start:report_lines.index("2.2. Interagency public policies to address SEC")]))
    rows = _run(select, queries, "report-tables/coordination-bodies")
    assert len(rows) == len(printed), "one row per printed row, no more"
    members = select("SELECT ?body ?member WHERE { ?m org:organization ?body ; org:member ?member }")
    created = select("SELECT ?body ?i WHERE { ?body sec:createdBy|sec:regulatedBy ?i }")
    for code, body_name, composition, regulations in printed:
        matches = [r for r in rows if r["state"].endswith("/" + code) and name_forms(body_name) & names[r["body"]]]
        assert len(matches) == 1, (code, body_name)
        assert matches[0] == rows[printed.index([code, body_name, composition, regulations])], "printed order"
        body = matches[0]["body"]
        cell = normalise(composition)
        body_members = [m["member"] for m in members if m["body"] == body]
        assert body_members, body_name
        for member in body_members:  # printed in the cell, or (a chair, a note's list) in section 2.1's text
            assert any(name in cell or name in section_text for name in names[member]), (body_name, member)
        instruments = [c["i"] for c in created if c["body"] == body]
        if regulations.strip() in ("-", "No data"):
            assert not instruments, body_name
        else:
            assert instruments, body_name
            for instrument in instruments:
                assert any(name in normalise(regulations) for name in names[instrument]), (body_name, instrument)


def test_policies_table(report_lines, select, queries, names):
    printed = printed_rows(report_lines, "STATE\tPOLICIES/ PLANS\tDATE OF ADOPTION", 4)
    assert len(printed) == 13
    rows = _run(select, queries, "report-tables/policies")
    assert len(rows) == len(printed), "one row per printed row, no more"
    for code, policy_name, adopted, validity in printed:
        matches = [r for r in rows if r["state"].endswith("/" + code) and name_forms(policy_name) & names[r["policy"]]]
        assert len(matches) == 1, (code, policy_name)
        row = matches[0]
        month_year = re.fullmatch(r"(\w+) (\d{4})", adopted)
        expected = f"{month_year[2]}-{MONTHS.index(month_year[1]) + 1:02d}" if month_year else adopted
        assert row["adoption"] == expected, policy_name
        assert normalise(row["validityAsPrinted"]) == normalise(validity), policy_name
        years = re.findall(r"\d{4}", validity)
        if len(years) == 2:
            assert (row["validFrom"], row["validUntil"]) == tuple(years), policy_name
        elif years:
            assert row["validUntil"] == years[0], policy_name


def test_state_parameter_narrows_the_tables(select, queries):
    rows = select(queries["report-tables/coordination-bodies"].bind({"state": "GT"}))
    assert rows and {r["stateLabel"] for r in rows} == {"Guatemala"}
