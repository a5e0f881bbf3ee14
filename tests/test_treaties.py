"""The treaty table of section 4.1.1, cell by cell, against the printed table."""

import datetime
import re

import pytest

MONTHS = {"Jan.": 1, "Feb.": 2, "Mar.": 3, "Apr.": 4, "May": 5, "June": 6, "July": 7,
          "Aug.": 8, "Sep.": 9, "Oct.": 10, "Nov.": 11, "Dec.": 12}
@pytest.fixture(scope="module")
def cells(select):
    rows = select("""
        SELECT ?code ?treatyLabel ?adopted ?printed ?status ?date WHERE {
            ?cell a sec:Ratification ; sec:state ?state ; sec:treaty ?treaty ;
                  sec:printedValue ?printed ; sec:ratificationStatus ?status .
            OPTIONAL { ?cell sec:ratificationDate ?date }
            ?state skos:notation ?code .
            ?treaty rdfs:label ?treatyLabel ; eli:date_document ?adopted .
        }""")
    return {(r["code"], r["treatyLabel"]): r for r in rows}


def test_eight_states_nine_treaties_72_cells(cells, printed_table):
    header, rows = printed_table
    assert len(header) == 9 and len(rows) == 8
    assert len(cells) == 72


def test_every_cell_as_printed(cells, printed_table):
    header, rows = printed_table
    for code, row in rows.items():
        for column, printed in zip(header, row):
            matches = [cell for (c, label), cell in cells.items() if c == code and column.startswith(label)]
            assert len(matches) == 1, (code, column)
            cell = matches[0]
            assert cell["printed"] == printed
            status = cell["status"].rsplit("/", 1)[1]
            if printed == "-":
                assert status == "not-party" and cell["date"] is None
            elif printed == "":
                assert status == "not-stated" and cell["date"] is None
            else:
                day, month, year, mark = re.fullmatch(r"(\d+) (\S+) (\d{4})( a)?", printed).groups()
                assert cell["date"] == datetime.date(int(year), MONTHS[month], int(day)).isoformat()
                assert status == ("acceded" if mark else "ratified")


def test_treaty_adoption_dates_as_the_header_prints_them(cells, printed_table):
    header, _rows = printed_table
    for column in header:
        label, adopted = next((label, cell["adopted"]) for (_c, label), cell in cells.items() if column.startswith(label))
        day = datetime.date.fromisoformat(adopted)
        assert column.endswith(f"{day.day} {day.strftime('%B')} {day.year}"), column
