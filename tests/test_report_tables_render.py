"""``sec-kg report-tables``: the three summary tables of the report, regenerated from the graph as
Markdown and HTML, compared cell by cell with the printed tables."""

import html
import re

import pytest

from conftest import normalise
from sec_kg.cli import main
from printed import name_forms, printed_rows


def markdown_rows(path):
    """The body rows of a Markdown table as lists of cells, the State carried down as the report prints it."""
    rows, state = [], None
    for line in path.read_text(encoding="utf-8").splitlines()[4:]:
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        state = cells[0] or state
        rows.append([state] + cells[1:])
    return rows


def html_rows(path):
    text = path.read_text(encoding="utf-8")
    return [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row)] for row in re.findall(r"<tr>(.*?)</tr>", text)
            if "<td>" in row]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    directory = tmp_path_factory.mktemp("report-tables")
    assert main(["report-tables", "--out", str(directory)]) == 0
    return directory


STATES = {"CA": "CANADA", "CL": "CHILE", "CO": "COLOMBIA", "EC": "ECUADOR", "GT": "GUATEMALA", "GY": "GUYANA",
          "MX": "MEXICO", "PE": "PERU"}


def _find(rows, code, printed_name, labels):
    """The generated row of a State whose name cell is one of the printed name's forms."""
    matches = [row for row in rows if row[0] == STATES[code] and name_forms(printed_name) & labels[row[1]]]
    assert len(matches) == 1, (code, printed_name)
    return matches[0]


@pytest.fixture(scope="module")
def labels(names, select):
    """Each English label -> every name of the resource it labels."""
    return {row["l"]: names[row["s"]] for row in select('SELECT ?s ?l WHERE { ?s rdfs:label ?l }')}


def test_ratification_table_cell_by_cell(out, printed_table):
    header, rows = printed_table
    generated = markdown_rows(out / "ratifications.md")
    assert [row[0] for row in generated] == list(STATES.values())
    for row in generated:
        code = next(c for c, name in STATES.items() if name == row[0])
        assert row[1:] == rows[code], code
    head = out.joinpath("ratifications.md").read_text().splitlines()[2]
    for printed, made in zip(header, [c.strip() for c in head.split("|")[2:-1]]):
        label, date = re.fullmatch(r"(.+?)\s*(?:\(?\"?[^\"]*\"?\)?)?\s*(\d{1,2} \w+ \d{4})", made).groups()
        assert normalise(printed).startswith(normalise(label[:40])) and printed.endswith(date), (printed, made)


def test_policy_table_cell_by_cell(out, report_lines, names, labels):
    generated = markdown_rows(out / "policies.md")
    printed = printed_rows(report_lines, "STATE\tPOLICIES/ PLANS\tDATE OF ADOPTION", 4)
    assert len(printed) == 13 and len(generated) == len(printed), "the printed rows, no more"
    for code, name, adopted, validity in printed:
        row = _find(generated, code, name, labels)
        assert row[2] == adopted, name
        assert normalise(row[3]) == normalise(validity), name


def test_coordination_table_cell_by_cell(out, report_lines, names, labels, select):
    roles = {row["role"] for row in select("SELECT ?role WHERE { [] org:role/skos:prefLabel ?role }")}
    generated = markdown_rows(out / "coordination-bodies.md")
    printed = printed_rows(report_lines, "STATE\tCOORDINATION AREA\tCOMPOSITION", 4)
    assert len(printed) == 16 and len(generated) == len(printed), "the printed rows, no more"
    start = report_lines.index("2.1. Interagency Coordination Areas")
    section = normalise(" ".join(report_lines[start:report_lines.index("2.2. Interagency public policies to address SEC")]))
    for code, name, composition, regulations in printed:
        row = _find(generated, code, name, labels)
        # "Member" or "Member (role)", the member under the name the cell prints
        members = [next((m[:-len(role) - 3] for role in roles if m.endswith(f" ({role})")), m) for m in row[2].split("; ")]
        assert members and members != [""], name
        for member in members:  # as printed in the cell, or (a chair, a note's list) in section 2.1's text
            assert normalise(member) in normalise(composition) or normalise(member) in section, (name, member)
        if regulations.strip() in ("-", "No data"):
            assert row[3] == "-", name
        else:
            for instrument in row[3].split("; "):
                assert any(n in normalise(regulations) for n in labels[instrument]), (name, instrument)


def test_html_has_the_same_cells_as_markdown(out):
    for name in ("coordination-bodies", "policies", "ratifications"):
        md = [[c for c in row] for row in markdown_rows(out / f"{name}.md")]
        made = html_rows(out / f"{name}.html")
        assert len(made) == len(md)
        assert [row[1:] for row in made] == [row[1:] for row in md], name
    assert (out / "report-tables.md").read_text().count("\n## ") == 2
