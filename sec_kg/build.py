"""``sec-kg build``: validate, reason, and write the published artefacts to build/.

Validation comes first and a single violation stops the build, so what is
published has always passed the shapes.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from . import dumps, jsonld
from .loader import load_dataset, parse_turtle, union_graph
from .namespaces import bind_prefixes
from .project import Project
from .reasoning import check_consistency, entailed, materialise
from .serialize import write_graph as write_rdf
from .stats import INFERRED
from .validation import Report, validate_dataset
from .void import Distribution, describe, void_graph


class BuildRefused(Exception):
    """Validation found violations, or the OWL check found the graph inconsistent."""

    def __init__(self, report: Report | None = None, message: str = ""):
        self.report = report
        super().__init__(message or f"{len(report.violations)} violation(s)")


@dataclass
class BuildOutputs:
    directory: Path
    triples: int = 0
    inferred: int = 0
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> list[str]:
        lines = [f"{self.triples} triples ({self.inferred} inferred) in {self.seconds:.1f} s"]
        lines += self.notes
        lines += [f"wrote {path}" for path in self.files]
        return lines


def add_inferred(dataset: Dataset, union: Graph) -> Graph:
    """Materialise what the ontology implies into graph/inferred; return those triples."""
    inferred = materialise(union)
    named = dataset.graph(INFERRED)
    named += inferred
    return inferred


def served_nquads(project: Project, reason: bool = True) -> bytes:
    """What the embedded store loads: the dataset (with graph/inferred unless ``reason`` is off) as N-Quads.

    The N-Quads that ``sec-kg build`` wrote are used as they are when no ontology or data file
    changed since: they passed validation, and reading them skips parsing and reasoning.
    Otherwise pyoxigraph parses and reasons (several times faster than rdflib, a fraction of
    its memory); a file it refuses is parsed again by rdflib for the usual error message.
    """
    prebuilt = project.build_dir / "sec-kg.nq"
    if reason and _up_to_date(prebuilt, project.ontology_files() + project.data_files()):
        return prebuilt.read_bytes()
    store = ox.Store()
    for path in project.ontology_files() + project.data_files():
        try:
            store.bulk_load(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri(),
                            to_graph=ox.NamedNode(str(project.graph_iri(path))))
        except (SyntaxError, ValueError, UnicodeDecodeError):
            parse_turtle(path, project.display(path))  # raises LoadError with file, line and column
            raise
    if reason:
        inferred = ox.NamedNode(str(INFERRED))
        store.bulk_extend([ox.Quad(t.subject, t.predicate, t.object, inferred) for t in entailed(store)])
    return store.dump(format=ox.RdfFormat.N_QUADS)


def _up_to_date(product: Path, sources: list[Path]) -> bool:
    return product.exists() and all(source.stat().st_mtime <= product.stat().st_mtime for source in sources)


def build(project: Project, reason: bool = True, consistency: bool = True) -> BuildOutputs:
    started = time.perf_counter()
    dataset = load_dataset(project)
    report = validate_dataset(project, dataset)
    if not report.conforms:
        raise BuildRefused(report)
    outputs = BuildOutputs(project.build_dir)
    outputs.notes += [str(w) for w in report.warnings]
    union = union_graph(dataset)
    if consistency:
        result = check_consistency(union)
        if not result.ok:
            raise BuildRefused(message=result.message)
        outputs.notes.append(result.message)
    if reason:
        inferred = add_inferred(dataset, union)
        union += inferred
        outputs.inferred = len(inferred)
    outputs.triples = len(union)
    _write(project, dataset, union, outputs)
    outputs.seconds = time.perf_counter() - started
    return outputs


def _write(project: Project, dataset: Dataset, union, outputs: BuildOutputs) -> None:
    """The artefacts of ``publish`` plus what ``sec-kg serve`` loads (``sec-kg.nq``) and the ontology's pages."""
    directory = project.build_dir
    directory.mkdir(parents=True, exist_ok=True)
    nquads = dataset.serialize(format="nquads", encoding="utf-8")
    (directory / "sec-kg.nq").write_bytes(nquads)
    outputs.files.append(directory / "sec-kg.nq")
    outputs.files += publish(project, nquads, jsonld.build_context(union), directory)
    outputs.files.append(_ontology_docs(project, directory / "ontology.html"))


def publish(project: Project, nquads: bytes, context: dict, directory: Path) -> list[Path]:
    """The dumps under ``data/`` (the names the server gives them), ``void.ttl`` and ``context.jsonld``,
    made by the functions the server uses, from the same queries on the same engine."""
    from .store import Limits
    from .store.embedded import EmbeddedStore

    store = EmbeddedStore(nquads, Limits(timeout=600, cap=None), workers=1)
    try:
        files: dict[str, bytes] = {}
        files.update(dumps.scope_dumps(dumps.whole_graph(store), dumps.WHOLE, context))
        state_sizes = {}
        for code in dumps.state_codes(store):
            subset = dumps.state_subset(store, project.queries_dir, code)
            state_sizes[code] = len(subset)
            files.update(dumps.scope_dumps(subset, code, context))
        distributions = [Distribution(name, dumps.FORMATS[name.rsplit(".", 1)[1]].media_type, len(body))
                         for name, body in files.items()]
        description = describe(store, distributions, state_sizes, time.time())
    finally:
        store.close()
    written = []
    (directory / "data").mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        written.append(directory / "data" / name)
        written[-1].write_bytes(body)
    void_ttl = write_rdf(void_graph(description), "turtle")
    for path, body in ((directory / "void.ttl", void_ttl),
                       (directory / "context.jsonld", (json.dumps(context, indent=1, ensure_ascii=False) + "\n").encode())):
        path.write_bytes(body)
        written.append(path)
    return written


def _ontology_docs(project: Project, path: Path) -> Path:
    """Human-readable ontology documentation (pyLODE), served at the ontology IRI."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from pylode import OntPub

    root.handlers, root.level = handlers, level  # pyLODE calls logging.basicConfig(DEBUG) on import

    ontology = bind_prefixes(Graph())
    for source in project.ontology_files():
        ontology.parse(source, format="turtle")
    path.write_text(OntPub(ontology=ontology).make_html(), encoding="utf-8")
    return path
