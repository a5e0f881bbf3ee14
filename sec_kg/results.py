"""Query results for the terminal and for files: an aligned table, or the SPARQL results formats."""

from __future__ import annotations

import sys

from rdflib import Literal

from .protocol import CSV, JSON, TSV, write_solutions
from .store import Solutions

#: --format name -> writer of SPARQL results (None: the aligned text table)
FORMATS = {"table": None, "csv": CSV, "tsv": TSV, "json": JSON}


def default_format() -> str:
    """A table for people at a terminal, CSV when piped into another program."""
    return "table" if sys.stdout.isatty() else "csv"


def _text(term) -> str:
    if term is None:
        return ""
    return str(term) if not isinstance(term, Literal) else term.value if isinstance(term.value, str) else str(term)


def table(solutions: Solutions) -> str:
    """Columns aligned for reading; a closing line counts the rows and says if they were cut."""
    header = solutions.variables
    rows = [[_text(row.get(name)) for name in header] for row in solutions.rows]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(header)]
    lines = ["  ".join(name.ljust(w) for name, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    note = " (truncated by the result cap)" if solutions.truncated else ""
    lines.append(f"{len(rows)} row(s){note}")
    return "\n".join(lines) + "\n"


def render(solutions: Solutions, fmt: str) -> bytes:
    writer = FORMATS[fmt]
    return table(solutions).encode("utf-8") if writer is None else write_solutions(solutions, writer)
