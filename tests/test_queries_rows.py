"""Query hygiene of the canned queries: one row per resource, several values of a resource in one
ordered cell, and the parameters that scope a query as the report scopes its tables and sections."""

import re
from collections import Counter

import pyoxigraph as ox
import pytest

from conftest import normalise
from printed import STATE_CODES, name_forms, printed_rows
from sec_kg.oxi import store_of
from sec_kg.queries import ParameterError, catalogue
from sec_kg.reasoning import entailed

#: cells that gather the several values of one resource, in alphabetical order
ORDERED_CELLS = {
    "coordination-bodies": ["focus"], "policies": ["focus"], "national-instruments": ["kinds"],
    "access-to-justice": ["types"], "prevention-measures": ["types"], "participation-mechanisms": ["levels", "types", "years"],
    "offences": ["modalities", "scenarios"], "agreements": ["states"], "search": ["matched"],
}
#: cells in the order the report prints them: the creating instrument first; articles by instrument
PRINTED_ORDER = {"report-tables/coordination-bodies": {"regulations"}, "offences": {"articles"}}


@pytest.fixture(scope="module")
def queries(project):
    return catalogue(project.queries_dir)


def run_all(queries, store):
    """Each canned query's variables and rows (terms kept) with its default parameters."""
    found = {}
    for name, query in queries.items():
        solutions = store.query(query.bind({}), use_default_graph_as_union=True)
        variables = [v.value for v in solutions.variables]
        found[name] = variables, [{v: row[v] for v in variables} for row in solutions]
    return found


@pytest.fixture(scope="module")
def answers(queries, oxigraph):
    """On the real data as written."""
    return run_all(queries, oxigraph)


@pytest.fixture(scope="module")
def served_answers(queries, dataset):
    """On the real data with what the ontology implies, as the service holds it (superclass types, inverse links)."""
    store = store_of(dataset)
    inferred = ox.NamedNode("https://w3id.org/sec-kg/graph/inferred")
    store.extend([ox.Quad(t.subject, t.predicate, t.object, inferred) for t in entailed(store)])
    return run_all(queries, store)


def key_of(query, variables, rows):
    """The variables that identify a row: the ``# key:`` header line, else every column holding the graph's
    IRIs, else (a statistical table in its printed layout) the first column, the printed row."""
    header = re.search(r"^# key: (.+)$", query.text, re.M)
    if header:
        return header.group(1).split()
    return [v for v in variables if any(isinstance(row[v], ox.NamedNode) for row in rows)] or variables[:1]


@pytest.mark.parametrize("data", ["answers", "served_answers"])
def test_every_canned_query_gives_one_row_per_key(queries, data, request):
    """A resource with two types, several focus values or a label in two graphs is still one row."""
    for name, query in queries.items():
        variables, rows = request.getfixturevalue(data)[name]
        key = key_of(query, variables, rows)
        assert key and set(key) <= set(variables), (name, key)
        repeated = [k for k, n in Counter(tuple(row[v] for v in key) for row in rows).items() if n > 1]
        assert not repeated, (name, key, repeated[:3])


def test_the_resource_queries_declare_their_key(project, queries):
    """Queries of the report's resources say which column a row stands for; all but the findings do."""
    declared = {name for name, query in queries.items() if re.search(r"^# key: \S", query.text, re.M)}
    top_level = {path.stem for path in project.queries_dir.glob("*.rq")} | {"report-tables/coordination-bodies"}
    assert top_level - declared <= {"findings"}


def aggregated(query) -> set[str]:
    """The columns a query gathers several values into, separated by "; "."""
    return set(re.findall(r'GROUP_CONCAT\((?:DISTINCT )?[?\w()]+; SEPARATOR = "; "\) AS \?(\w+)\)', query.text))


def test_several_values_share_one_ordered_cell(queries, answers):
    """Every "; " cell lists distinct values in alphabetical order, or in the order the report prints."""
    for name, query in queries.items():
        variables, rows = answers[name]
        for column in aggregated(query) - PRINTED_ORDER.get(name, set()):
            assert column in variables, (name, column)
            for row in rows:
                if row[column] is not None:
                    values = row[column].value.split("; ")
                    assert values == sorted(values) and len(set(values)) == len(values), (name, column, values)
    for name, columns in ORDERED_CELLS.items():
        assert set(columns) <= aggregated(queries[name]), name
        rows = answers[name][1]
        assert any(len(row[c].value.split("; ")) > 1 for c in columns for row in rows if row[c] is not None), \
            f"{name}: no resource with several values to show"


def test_codes_typed_act_and_code_are_listed_once_with_both_kinds(queries, select):
    rows = select(queries["national-instruments"].bind({"state": "CO"}))
    both = {r["instrumentLabel"] for r in rows if r["kinds"] == "Act; Code"}
    assert "Criminal Code" in both
    acts = {r["instrument"] for r in select(queries["national-instruments"].bind({"kind": "act"}))}
    codes = {r["instrument"] for r in select(queries["national-instruments"].bind({"kind": "code"}))}
    everything = select(queries["national-instruments"].bind({}))
    assert acts == {r["instrument"] for r in everything if "Act" in r["kinds"].split("; ")}
    assert codes == {r["instrument"] for r in everything if "Code" in r["kinds"].split("; ")}
    criminal_code = next(r["instrument"] for r in rows if r["instrumentLabel"] == "Criminal Code")
    assert criminal_code in acts & codes
    assert [r["instrument"] for r in everything].count(criminal_code) == 1


def test_decrees_only(queries, select, report_text):
    rows = select(queries["national-instruments"].bind({"kind": "decree"}))
    assert rows and all("Decree" in r["kinds"].split("; ") for r in rows)
    assert all(normalise(r["instrumentLabel"]) in normalise(report_text) for r in rows)


@pytest.mark.parametrize("name, header, column", [
    ("coordination-bodies", "STATE\tCOORDINATION AREA\tCOMPOSITION", "body"),
    ("policies", "STATE\tPOLICIES/ PLANS\tDATE OF ADOPTION", "policy"),
])
def test_a_summary_table_only(queries, select, report_lines, names, name, header, column):
    """`table=true` gives the rows of the printed summary table (sections 2.1 and 2.2), no more."""
    printed = printed_rows(report_lines, header, 4)
    table = select(queries[name].bind({"table": "true"}))
    assert len(table) == len(printed)
    for code, printed_name, _, _ in printed:
        assert [r for r in table if r["state"].endswith("/" + code) and name_forms(printed_name) & names[r[column]]], printed_name
    everything = select(queries[name].bind({}))
    assert select(queries[name].bind({"table": "false"})) == everything
    assert len(everything) > len(table), "those the report names only in its prose"


def test_members_of_the_section_2_1_table_bodies(queries, select):
    bodies = {r["body"] for r in select(queries["coordination-bodies"].bind({"table": "true"}))}
    assert {r["body"] for r in select(queries["body-members"].bind({"table": "yes"}))} == bodies


def _section(report_lines, heading, next_heading):
    start = next(i for i, line in enumerate(report_lines) if line.startswith(heading))
    end = next(i for i, line in enumerate(report_lines) if line.startswith(next_heading))
    return report_lines[start:end]


def test_the_private_sector_section_only(queries, select, report_lines):
    """Section 2.5 names, in capitals, the States whose codes of conduct and agreements involve the private sector."""
    lines = _section(report_lines, "2.5. Role of the private sector", "3. PREVENTION")
    named = {STATE_CODES[s] for s in re.findall(r"\b(" + "|".join(STATE_CODES) + r")\b", " ".join(lines))}
    assert len(named) == 6
    codes = select(queries["codes-of-conduct"].bind({"section": "2.5"}))
    assert {r["state"].rsplit("/", 1)[1] for r in codes} == named
    assert len(codes) < len(select(queries["codes-of-conduct"].bind({})))
    measures = select(queries["prevention-measures"].bind({"section": "2.5"}))
    assert {r["measure"] for r in measures} >= {r["code"] for r in codes}
    agreements = select(queries["agreements"].bind({"section": "2.5"}))
    assert agreements and {r["states"] for r in agreements} <= {"Canada"}
    text = normalise(" ".join(lines))
    assert all("technology companies" in text and "agreements" in normalise(r["agreementLabel"]) for r in agreements)


def test_cooperation_agreements_once_each_with_the_states_concerned(queries, select, report_lines):
    text = " ".join(_section(report_lines, "2.4. Multilateral agreements", "2.5. Role of the private sector"))
    rows = select(queries["agreements"].bind({"section": "2.4"}))
    assert len(rows) == len({r["agreement"] for r in rows})
    for row in rows:
        for state in row["states"].split("; "):
            assert state.upper() in text, (row["agreementLabel"], state)
    peru = select(queries["agreements"].bind({"state": "PE"}))
    assert peru and all("Peru" in r["states"].split("; ") for r in peru)


@pytest.mark.parametrize("name, values, message", [
    ("national-instruments", {"kind": "law"}, "expects an instrument kind: constitution, code, act, decree"),
    ("coordination-bodies", {"table": "only"}, "expects true or false"),
])
def test_bad_scope_values_are_clear_errors(queries, name, values, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        queries[name].bind(values)
