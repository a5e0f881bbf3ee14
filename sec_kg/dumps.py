"""The dumps: the whole graph (its named graphs kept in N-Quads and TriG) and each State's subset,
read through a ``Store`` (embedded or remote) and written by ``sec_kg.serialize``.

``sec-kg build`` and the server's ``/data/`` use the same functions, so the files of a build
are byte for byte those the server answers. A State's subset is the query of
``queries/subsets/state.rq``, the one definition the State pages use too.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .jsonld import write as write_jsonld
from rdflib import BNode, Graph
from rdflib.namespace import SKOS

from .formats import BY_EXTENSION, JSONLD
from .namespaces import GRAPH, SEC
from .oxi import to_ox, to_rdflib
from .queries import parse
from .serialize import canonical, canonical_union, write
from .store import Serialized, Store
from .void import ATTRIBUTION, DATASET, LICENCE, TITLE, Distribution


#: the dump files' formats, by extension
FORMATS = BY_EXTENSION
WHOLE = "all"
#: the whole graph in every format; a State's subset (one graph made by a query) in the triple formats
STATE_FORMATS = tuple(ext for ext, fmt in FORMATS.items() if not fmt.keeps_graphs)
STATE_QUERY = Path("subsets") / "state.rq"
HEADER = (TITLE, f"Data licence: {LICENCE}", f"Attribution: {ATTRIBUTION}", f"Dataset: {DATASET}")
#: every named graph of the service (a store such as Virtuoso also holds graphs of its own)
_QUADS = f'SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }}'


def formats_of(scope: str) -> tuple[str, ...]:
    """The extensions a scope (``all`` or a State's code) is published in."""
    return tuple(FORMATS) if scope == WHOLE else STATE_FORMATS


def state_codes(store: Store) -> list[str]:
    """The ISO codes of the States, sorted."""
    rows = store.select(f"SELECT ?code WHERE {{ ?s a <{SEC.State}> ; <{SKOS.notation}> ?code }} ORDER BY ?code").rows
    return [str(row["code"]) for row in rows]


def state_query(queries_dir: Path, code: str) -> str:
    """The subset query with the State bound (through the canned-query binder: nothing pasted)."""
    return parse(queries_dir / STATE_QUERY, "subsets/state").bind({"state": code})


def whole_graph(store: Store, timeout: float | None = None) -> list[ox.Quad]:
    """Every quad of the service's named graphs."""
    result = store.query(_QUADS, cap=None, fmt="tsv", timeout=timeout)
    if isinstance(result, Serialized):  # the embedded store writes the rows itself
        rows = ((s["g"], s["s"], s["p"], s["o"]) for s in ox.parse_query_results(result.body, format=ox.QueryResultsFormat.TSV))
    else:  # a remote store's blank nodes get labels of ours (Virtuoso's nodeID://b1 is no valid label)
        blanks: dict[str, ox.BlankNode] = {}

        def term(value):
            return blanks.setdefault(str(value), ox.BlankNode()) if isinstance(value, BNode) else to_ox(value)

        rows = ((term(r["g"]), term(r["s"]), term(r["p"]), term(r["o"])) for r in result.rows)
    return [ox.Quad(s, p, o, g) for g, s, p, o in rows]


def state_subset(store: Store, queries_dir: Path, code: str, timeout: float | None = None) -> list[ox.Triple]:
    """The triples of one State's subset."""
    result = store.query(state_query(queries_dir, code), cap=None, fmt="ntriples", timeout=timeout)
    return [quad.triple for quad in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES)]


def _render(statements, ext: str, context: dict) -> bytes:
    """Statements already in canonical order (``canonical`` quads for the formats that keep graphs,
    ``canonical_union`` triples for the others) as the dump file ``ext``, with the licence header
    where the format has comments."""
    fmt = FORMATS[ext]
    if fmt is not JSONLD:
        return write(statements, fmt.key, HEADER, ordered=True)
    graph = Graph()  # blank nodes keep their canonical labels, so the file is the same every time
    for triple in statements:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return write_jsonld(graph, context)


def distribution(name: str, body: bytes | None) -> Distribution:
    """How the catalogue describes the dump file ``name`` (its size when its bytes are given)."""
    return Distribution(name, FORMATS[name.rsplit(".", 1)[1]].mimetype, None if body is None else len(body))


def scope_dumps(statements, scope: str, context: dict, exts: tuple[str, ...] | None = None) -> dict[str, bytes]:
    """The files of one scope (every format, or ``exts``), by name (``all.ttl``, ``CO.nt``...). The
    statements are put in canonical order once for the triple formats and once for the graph formats."""
    exts = exts or formats_of(scope)
    union = canonical_union(statements) if any(not FORMATS[ext].keeps_graphs for ext in exts) else []
    quads = canonical(statements) if any(FORMATS[ext].keeps_graphs for ext in exts) else []
    return {f"{scope}.{ext}": _render(quads if FORMATS[ext].keeps_graphs else union, ext, context) for ext in exts}
