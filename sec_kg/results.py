"""Query results for the terminal and for files: a table that fits the terminal, or the SPARQL results formats."""

from __future__ import annotations

import shutil
import sys
import textwrap

from rdflib import Literal, URIRef

from .namespaces import PREFIXES
from .formats import CSV, JSON, TSV
from .protocol import write_solutions
from .store import Solutions

#: --format name -> writer of SPARQL results (None: the text table)
FORMATS = {"table": None, "csv": CSV, "tsv": TSV, "json": JSON}
GAP = "  "
#: the narrowest a column is squeezed to before the table is allowed to overflow the terminal
MIN_COLUMN = 8
#: namespaces by decreasing length, so an IRI is shortened by the most specific prefix
_NAMESPACES = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


def default_format() -> str:
    """A table for people at a terminal, CSV when piped into another program."""
    return "table" if sys.stdout.isatty() else "csv"


def _text(term, iris: bool) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return term.value if isinstance(term.value, str) else str(term)
    if isinstance(term, URIRef) and not iris:
        return _compact(str(term))
    return str(term)


def _compact(iri: str) -> str:
    """``state:CO`` for ``https://w3id.org/sec-kg/id/state/CO``: the project prefixes, as in the queries."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _columns(variables: list[str], iris: bool) -> list[tuple[str, str]]:
    """(variable, heading) of the columns shown: a resource with a ``…Label`` column is shown by its
    label, under the resource's name, unless ``iris`` asks for both."""
    if iris:
        return [(name, name) for name in variables]
    labelled = {name for name in variables if f"{name}Label" in variables}
    return [(name, name[:-len("Label")] if name[:-len("Label")] in labelled else name)
            for name in variables if name not in labelled]


def _fit(widths: list[int], room: int) -> list[int]:
    """Column widths that add up to at most ``room``: the widest columns give way first, none below
    ``MIN_COLUMN`` (or its own width); a table of too many columns for the terminal overflows it."""
    if sum(widths) <= room:
        return widths
    low, high = MIN_COLUMN, max(widths)
    while low < high:  # the largest cap at which the capped widths still fit
        cap = (low + high + 1) // 2
        if sum(min(w, cap) for w in widths) <= room:
            low = cap
        else:
            high = cap - 1
    return [min(w, low) for w in widths]


def table(solutions: Solutions, width: int | None = None, iris: bool = False) -> str:
    """Aligned columns, as wide as the terminal (a long cell wrapped within its column, its further lines
    indented); a closing line counts the rows and says if they were cut."""
    columns = _columns(solutions.variables, iris)
    headings = [heading for _, heading in columns]
    rows = [[_text(row.get(name), iris) for name, _ in columns] for row in solutions.rows]
    natural = [max([len(heading)] + [len(row[i]) for row in rows]) for i, heading in enumerate(headings)]
    room = (width or shutil.get_terminal_size().columns) - len(GAP) * (len(columns) - 1)
    widths = _fit(natural, room)

    def lines_of(cells: list[str]) -> list[str]:
        wrapped = [textwrap.wrap(cell, w, subsequent_indent="  ", break_on_hyphens=False) or [""]
                   for cell, w in zip(cells, widths)]
        return [GAP.join((parts[i] if i < len(parts) else "").ljust(w) for parts, w in zip(wrapped, widths)).rstrip()
                for i in range(max(map(len, wrapped)))]

    lines = lines_of(headings) + [GAP.join("-" * w for w in widths)]
    for row in rows:
        lines += lines_of(row)
    note = " (truncated by the result cap)" if solutions.truncated else ""
    lines.append(f"{len(rows)} row(s){note}")
    return "\n".join(lines) + "\n"


def render(solutions: Solutions, fmt: str, iris: bool = False) -> bytes:
    """The results in ``fmt``; IRIs in full in every format but the table, where ``iris`` asks for them."""
    writer = FORMATS[fmt]
    return table(solutions, iris=iris).encode("utf-8") if writer is None else write_solutions(solutions, writer)
