"""The report's three summary tables, regenerated from the graph as Markdown and HTML.

- section 2.1: coordination bodies with their composition and regulations (``report-tables/coordination-bodies``);
- section 2.2: policies and plans with their adoption and validity (``report-tables/policies``);
- section 4.1.1: treaty ratifications (``treaties`` for the header, ``ratification-matrix`` for the cells).

Rows, columns and the State column are laid out as the report prints them (the rows the tables list,
in their printed order, from ``sec:summaryTableRow``; the State in capitals on its first row only), so
the output can be set beside the printed table.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import XSD

from .queries import catalogue
from .store import Store

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
NONE_PRINTED = "-"


@dataclass
class Table:
    name: str
    title: str
    header: list[str]
    rows: list[list[str]]

    def markdown(self) -> str:
        def line(cells):
            return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

        return "\n".join([f"## {self.title}", "", line(self.header), line(["---"] * len(self.header)),
                          *map(line, self.rows)]) + "\n"

    def html(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.header)
        body = "\n".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in self.rows)
        return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(self.title)}</title></head>\n'
                f'<body><h1>{html.escape(self.title)}</h1>\n<table id="{self.name}">\n<thead><tr>{head}</tr></thead>\n'
                f"<tbody>\n{body}\n</tbody></table></body></html>\n")


def printed_date(term) -> str:
    """A date as the report prints it: ``2019``, ``November 2019`` or ``20 November 1989``."""
    if term is None:
        return ""
    text = str(term)
    if isinstance(term, Literal) and term.datatype == XSD.gYearMonth:
        year, month = text.split("-")[:2]
        return f"{MONTHS[int(month) - 1]} {year}"
    if isinstance(term, Literal) and term.datatype == XSD.date:
        year, month, day = text.split("-")
        return f"{int(day)} {MONTHS[int(month) - 1]} {year}"
    return text


def _state_column(rows: list[dict]) -> list[str]:
    """The State in capitals on its first row, blank below it, as printed."""
    column, previous = [], None
    for row in rows:
        label = str(row["stateLabel"]).upper()
        column.append("" if label == previous else label)
        previous = label
    return column


def _text(row: dict, name: str, empty: str = "") -> str:
    value = row.get(name)
    return str(value) if value is not None and str(value) else empty


def tables(store: Store, queries_dir: Path) -> list[Table]:
    """The three tables, from four canned queries."""
    queries = catalogue(queries_dir)

    def rows(name: str) -> tuple[list[str], list[dict]]:
        solutions = store.select(queries[name].bind({}))
        return solutions.variables, solutions.rows

    _, bodies = rows("report-tables/coordination-bodies")
    coordination = Table("coordination-bodies", "Interagency coordination areas (section 2.1)",
                         ["STATE", "COORDINATION AREA", "COMPOSITION", "REGULATIONS"],
                         [[state, _text(r, "bodyLabel"), _text(r, "composition"), _text(r, "regulations", NONE_PRINTED)]
                          for state, r in zip(_state_column(bodies), bodies)])
    _, plans = rows("report-tables/policies")
    policies = Table("policies", "Interagency public policies (section 2.2)",
                     ["STATE", "POLICIES/ PLANS", "DATE OF ADOPTION", "VALIDITY PERIOD"],
                     [[state, _text(r, "policyLabel"), printed_date(r.get("adoption")), _text(r, "validityAsPrinted")]
                      for state, r in zip(_state_column(plans), plans)])
    _, treaties = rows("treaties")
    header = [""] + [" ".join(filter(None, [str(t["treatyLabel"]), f'("{t["otherName"]}")' if t.get("otherName") else "",
                                            printed_date(t["adopted"])])) for t in treaties]
    columns, matrix = rows("ratification-matrix")
    cells = columns[2:]  # after ?state ?stateLabel, one column per treaty in the printed order
    ratifications = Table("ratifications", "Ratification of international instruments (section 4.1.1)", header,
                          [[str(r["stateLabel"]).upper()] + [_text(r, c) for c in cells] for r in matrix])
    return [coordination, policies, ratifications]


def write(tables_: list[Table], out: Path) -> list[Path]:
    """``NAME.md`` and ``NAME.html`` per table, plus ``report-tables.md`` with all three."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables_:
        for suffix, text in ((".md", table.markdown()), (".html", table.html())):
            path = out / f"{table.name}{suffix}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    combined = out / "report-tables.md"
    combined.write_text("\n".join(t.markdown() for t in tables_), encoding="utf-8")
    return written + [combined]
