"""Writing query answers in the client's format, cut at the caps, with pyoxigraph (all in Rust).

Used by the query processes (embedded store) and by the remote store, so that every store
writes, caps and flags its answers the same way.
"""

from __future__ import annotations

import itertools

import pyoxigraph as ox

from ..formats import native




def capped(items, cap: int | None) -> tuple[list, bool]:
    """The first ``cap`` of ``items`` (all when ``cap`` is None), and whether more were left out."""
    if cap is None:
        return list(items), False
    kept = list(itertools.islice(items, cap + 1))
    return kept[:cap], len(kept) > cap


def serialize_triples(triples, fmt: str) -> bytes:
    """pyoxigraph triples in a graph format, sorted and with the project's prefixes (``sec_kg.serialize``)."""
    from ..serialize import write

    return write(triples, fmt)


def _cut_lines(data: bytes, rows: int | None, max_bytes: int | None, header_lines: int) -> tuple[bytes, bool]:
    """``data`` (one row a line after ``header_lines``) cut to at most ``rows`` rows and ``max_bytes`` bytes,
    always at a line end; and whether anything was cut."""
    truncated = False
    if rows is not None and data.count(b"\n") - header_lines > rows:
        data = b"\n".join(data.split(b"\n", rows + header_lines)[:rows + header_lines]) + b"\n"
        truncated = True
    if max_bytes is not None and len(data) > max_bytes:
        end = data.rfind(b"\n", 0, max_bytes) + 1
        head = data.find(b"\n") + 1 if header_lines else 0
        data = data[:max(end, head)]
        truncated = True
    return data, truncated


def serialize_solutions(result, fmt: str, cap: int | None, max_bytes: int | None = None) -> tuple[bytes, bool]:
    """pyoxigraph SELECT results in a results format, cut after ``cap`` rows or ``max_bytes`` bytes.

    They are written as TSV first, where each row is one line (literals escape their line
    breaks), so rows are counted and cut on bytes; other formats are read back from that TSV.
    """
    tsv, truncated = _cut_lines(result.serialize(format=ox.QueryResultsFormat.TSV), cap, max_bytes, 1)
    if fmt == "tsv":
        return tsv, truncated
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return parsed.serialize(format=native(fmt)), truncated


def serialize_graph(triples, fmt: str, cap: int | None, max_bytes: int | None = None) -> tuple[bytes, bool]:
    """Triples in a graph format, cut after ``cap`` triples or ``max_bytes`` bytes of N-Triples.

    Uncapped (a whole-graph dump) they stream from the engine to the writer without a list."""
    if cap is None and max_bytes is None:
        return serialize_triples(triples, fmt), False
    kept, truncated = capped(triples, cap)
    ntriples = serialize_triples(kept, "ntriples")
    if max_bytes is not None and len(ntriples) > max_bytes:
        ntriples, _ = _cut_lines(ntriples, None, max_bytes, 0)
        truncated = True
        kept = [quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
    return (ntriples if fmt == "ntriples" else serialize_triples(kept, fmt)), truncated
