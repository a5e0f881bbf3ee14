"""Reading what the report prints (its tab-separated tables) and what the graph names things,
shared by the per-State data tests."""

from __future__ import annotations

import re

from rdflib import URIRef

from conftest import normalise

STATE_NAMES = ("CANADA", "CHILE", "COLOMBIA", "ECUADOR", "GUATEMALA", "GUYANA", "MEXICO", "PERU")
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
