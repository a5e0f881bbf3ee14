"""RDF written to be read and diffed: one block per subject in a stable order, the project's
prefixes (one per IRI family, so no prefixed name needs an escaped ``/``), blank nodes with
canonical labels, and for dumps a header naming the licence and the source.

pyoxigraph writes (about 0.02 s for the whole graph in Turtle, against 3.5 s for rdflib's
sorted ``longturtle``); what it does not do, sorting and canonical blank-node labels, is done
here before it writes. JSON-LD is compacted against the published context by ``sec_kg.jsonld``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox

from .formats import BY_KEY, native
from .namespaces import BASE, ID, PREFIXES

#: formats whose files may open with ``#`` comment lines
COMMENTED = ("turtle", "ntriples", "nquads", "trig")
_TYPE_PREDICATE = " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
_PREFIX_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*(?<!\.)")
#: the vocabularies' prefixes; ``id:`` and ``state:`` give way to one prefix per family of /id/ IRIs
#: the most folder prefixes a file declares (the report's graph has about 250)
MAX_FAMILIES = 512
VOCABULARIES = {name: str(namespace) for name, namespace in PREFIXES.items() if not str(namespace).startswith(str(ID))}


def family_prefixes(iris: Iterable[str]) -> dict[str, str]:
    """One prefix per folder of the project's IRIs (``institution-co:`` for ``…/id/institution/CO/``,
    ``graph-data-co:`` for ``…/graph/data/co/``), so that the local part never holds a ``/``.

    At most ``MAX_FAMILIES``, those with the most IRIs: the writer tries every prefix on every
    IRI, so thousands of folders (a graph of a thousand States) would slow it down many times;
    an IRI of a folder left out is written in full."""
    found: dict[str, str] = {}
    sizes: Counter = Counter()
    for iri in iris:
        if not iri.startswith(BASE):
            continue
        namespace = iri[:iri.rfind("/") + 1]
        folder = namespace[len(str(ID)):] if namespace.startswith(str(ID)) else namespace[len(BASE):]
        name = folder.strip("/").replace("/", "-").lower()
        if name and _PREFIX_NAME.fullmatch(name) and name not in VOCABULARIES:
            found.setdefault(name, namespace)
            sizes[name] += 1
    kept = sorted(found, key=lambda name: (-sizes[name], name))[:MAX_FAMILIES]
    return {name: found[name] for name in sorted(kept)}


def _named(term) -> Iterable[str]:
    """The IRIs a statement writes: its terms' and its literal's datatype."""
    for part in (term.subject, term.predicate, term.object, getattr(term, "graph_name", None)):
        if isinstance(part, ox.NamedNode):
            yield part.value
        elif isinstance(part, ox.Literal):
            yield part.datatype.value


def _in_order(text: bytes) -> bytes:
    """N-Triples or N-Quads lines (of one graph) without duplicates, sorted by subject, predicate
    (``rdf:type`` first) and object. Every term's written form ends with a delimiter, so comparing
    whole lines orders them as comparing the terms would; pyoxigraph writes and reads the lines, so
    a million statements sort in seconds, not in a Python key function per statement."""
    lines = sorted(set(text.decode("utf-8").splitlines()), key=lambda line: line.replace(_TYPE_PREDICATE, "  ", 1))
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _has_blank(quad: ox.Quad) -> bool:
    return any(isinstance(part, ox.BlankNode) for part in (quad.subject, quad.object, quad.graph_name))


def _canonical_dataset(statements: Iterable) -> ox.Dataset:
    """The statements (triples go to the default graph) with blank nodes relabelled canonically (RDFC-1.0).

    Only the statements that hold a blank node are given to the canonicalisation: RDFC-1.0 labels
    a blank node from the statements that mention it (and, through them, other blank nodes), so the
    labels are the same, and a graph of a million statements with a few hundred blank nodes is not
    hashed whole."""
    quads = [q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in statements]
    blank = ox.Dataset(q for q in quads if _has_blank(q))
    blank.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    dataset = ox.Dataset(q for q in quads if not _has_blank(q))
    for quad in blank:
        dataset.add(quad)
    return dataset


def canonical(statements: Iterable) -> list[ox.Quad]:
    """The quads sorted by graph, subject, predicate (``rdf:type`` first) and object, blank nodes
    relabelled canonically: the same data always gives the same bytes."""
    dataset = _canonical_dataset(statements)
    graphs = sorted({q.graph_name for q in dataset}, key=str)
    text = b"".join(_in_order(ox.serialize(dataset.quads_for_graph_name(graph), format=ox.RdfFormat.N_QUADS))
                    for graph in graphs)
    return list(ox.parse(text, format=ox.RdfFormat.N_QUADS))


def canonical_union(statements: Iterable) -> list[ox.Triple]:
    """The union of the statements' graphs, in the order and with the labels of ``canonical``."""
    dataset = _canonical_dataset(statements)
    text = _in_order(ox.serialize((q.triple for q in dataset), format=ox.RdfFormat.N_TRIPLES))
    return [q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]


def _blocks(text: str, fmt: str) -> str:
    """A blank line before each subject (and each graph in TriG): pyoxigraph starts a subject on a
    new line at the block's indentation and escapes the line breaks of literals, so a line at
    that indentation is always a new subject."""
    deeper = "\t\t" if fmt == "trig" else "\t"  # the indentation of a subject's further lines
    out: list[str] = []
    for line in text.split("\n"):
        starts_block = line and not line.startswith(("@prefix", "}", deeper))
        if starts_block and out and out[-1] and not out[-1].endswith("{"):
            out.append("")
        out.append(line)
    return "\n".join(out)


def write(statements: Iterable, fmt: str, header: Iterable[str] = (), ordered: bool = False) -> bytes:
    """Triples or quads (pyoxigraph) in ``fmt`` (a key of ``sec_kg.formats``), canonical and sorted;
    ``header`` lines become ``#`` comments at the top where the format allows comments.
    Triple formats take the union of the graphs. JSON-LD comes out expanded: see ``sec_kg.jsonld``.
    ``ordered``: the statements come from ``canonical`` (graph formats) or ``canonical_union``
    (triple formats) already, as when one set of statements is written in several formats."""
    if ordered:
        quads = statements
    else:
        quads = canonical(statements) if BY_KEY[fmt].keeps_graphs else canonical_union(statements)
    prefixes = {}
    if fmt in ("turtle", "trig", "rdfxml"):
        iris = {iri for q in quads for iri in _named(q)}
        prefixes = {**{n: ns for n, ns in VOCABULARIES.items() if any(i.startswith(ns) for i in iris)},
                    **family_prefixes(iris)}
    body = ox.serialize(quads, format=native(fmt), prefixes=prefixes or None)
    if fmt in ("turtle", "trig"):
        body = _blocks(body.decode("utf-8"), fmt).encode("utf-8")
    if fmt in COMMENTED:
        body = "".join(f"# {line}\n" for line in header).encode("utf-8") + body
    return body


def write_graph(graph, fmt: str, header: Iterable[str] = ()) -> bytes:
    """An rdflib graph built in code (VoID, the service description), written like everything else."""
    return write(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES), fmt, header)
