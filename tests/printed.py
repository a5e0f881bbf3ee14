"""Reading what the report prints (its tab-separated tables) and what the graph names things,
shared by the per-State data tests."""

from __future__ import annotations

import re

import pytest
from rdflib import URIRef

from conftest import normalise

STATE_NAMES = ("CANADA", "CHILE", "COLOMBIA", "ECUADOR", "GUATEMALA", "GUYANA", "MEXICO", "PERU")
#: the State names the report's tables print -> ISO 3166-1 alpha-2 codes
STATE_CODES = dict(zip(STATE_NAMES, ("CA", "CL", "CO", "EC", "GT", "GY", "MX", "PE")))
FOOTNOTE_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def table_rows(report_lines: list[str], header_start: str, state: str) -> list[list[str]]:
    """Rows of a tab-separated summary table that belong to `state` (first row and continuation rows).

    Footnotes interleaved with the table are skipped; the table ends at the first line of prose.
    """
    start = next(i for i, line in enumerate(report_lines) if line.startswith(header_start))
    rows, inside = [], False
    for line in report_lines[start + 1:]:
        if not line.strip() or line.lstrip()[0] in FOOTNOTE_DIGITS:
            continue
        if "\t" not in line:
            break
        cells = line.split("\t")
        first = cells[0].strip()
        if first in STATE_NAMES:
            inside = first == state
        if inside:
            rows.append([re.sub(r"</?p>", " ", c).strip() for c in cells])
    return rows


def names_of(select, iri: str) -> set[str]:
    """rdfs:label, skos:altLabel and skos:prefLabel of a resource, normalised."""
    rows = select(
        "SELECT ?n WHERE { { ?s rdfs:label ?n } UNION { ?s skos:altLabel ?n } UNION { ?s skos:prefLabel ?n } }",
        s=URIRef(iri),
    )
    return {normalise(r["n"]) for r in rows}


def values(select, iri: str, prop: str) -> set[str]:
    """The values of one property (or property path) of a resource."""
    return {r["o"] for r in select(f"SELECT ?o WHERE {{ ?s {prop} ?o }}", s=URIRef(iri))}


def find_by_name(select, name: str, cls: str, state: str | None = None) -> list[str]:
    """Resources of class `cls` with `name` (normalised) as rdfs:label or skos:altLabel, of `state` if given."""
    rows = select(
        f"SELECT DISTINCT ?s ?n WHERE {{ ?s a {cls} . {{ ?s rdfs:label ?n }} UNION {{ ?s skos:altLabel ?n }} }}"
    )
    wanted = normalise(name)
    found = sorted({r["s"] for r in rows if normalise(r["n"]) == wanted})
    if state:
        found = [s for s in found if state in values(select, s, "sec:state")]
    return found


def printed_rows(report_lines, header: str, columns: int):
    """Rows of a tab-separated table that starts at ``header``, the State's code carried down."""
    start = next(i for i, line in enumerate(report_lines) if line.startswith(header))
    rows, state = [], None
    for line in report_lines[start + 1:]:
        if re.match(r"^\d+\.\d", line):  # the next section's heading
            break
        cells = [re.sub(r"</?p>", " ", cell).strip() for cell in line.split("\t")]
        if len(cells) != columns:
            continue
        state = STATE_CODES.get(cells[0], state) if cells[0] else state
        rows.append([state] + cells[1:])
    return rows


def name_forms(printed: str) -> set[str]:
    """A printed name, and the same without a trailing acronym such as "(CITIC)" or "(PNLTP, in Spanish)"."""
    bare = re.sub(r"\s*\([A-Z]{2,}(, in Spanish)?\)$", "", printed)
    return {normalise(printed), normalise(bare)}


@pytest.fixture(scope="session")
def names(select):
    """Every resource's English label and alternative labels, normalised."""
    found = {}
    for row in select("SELECT ?s ?l WHERE { ?s rdfs:label|skos:altLabel ?l }"):
        found.setdefault(row["s"], set()).add(normalise(row["l"]))
    return found


@pytest.fixture(scope="session")
def printed_table(report_lines):
    """(header cells, {State code: row cells}) of the printed ratification table of section 4.1.1."""
    start = next(i for i, line in enumerate(report_lines) if line.startswith("\tConvention on the Rights of the Child"))
    header = report_lines[start].split("\t")[1:]
    rows = {}
    for line in report_lines[start + 1:start + 9]:
        cells = line.split("\t")
        rows[STATE_CODES[cells[0]]] = [c.strip() for c in cells[1:]] + [""] * (len(header) + 1 - len(cells))
    return header, rows


def one_by_name(select, name: str, cls: str, state: str | None = None) -> str:
    """The one resource of class `cls` named `name` (of `state` if given); fails if there are none or several."""
    found = find_by_name(select, name, cls, state)
    assert len(found) == 1, f"expected one {cls} named {name!r}, found {found}"
    return found[0]


def block(report_lines: list[str], start_pattern: str, end_pattern: str, first: int, last: int) -> list[str]:
    """Lines (within 1-based lines first..last) from the one matching start_pattern up to, not including,
    the next one matching end_pattern."""
    lines = report_lines[first - 1:last]
    start = next(i for i, line in enumerate(lines) if re.search(start_pattern, line))
    out = []
    for line in lines[start:]:
        if out and re.search(end_pattern, line):
            break
        out.append(line)
    return out
