"""``sec-kg build``: validate, reason, and write the published artefacts to build/.

Validation comes first and a single violation stops the build, so what is
published has always passed the shapes.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from . import dumps
from .loader import load_dataset, parse_turtle, union_graph
from .namespaces import GRAPH, bind_prefixes
from .project import Project
from .reasoning import check_consistency, entailed, materialise
from .validation import Report, validate_dataset
from .void import describe

INFERRED = GRAPH["inferred"]


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
    directory = project.build_dir
    (directory / "state").mkdir(parents=True, exist_ok=True)
    bind_prefixes(union)
    outputs.files += dumps.write(union, directory / "sec-kg")
    outputs.files.append(dumps.write_nquads(dataset, directory / "sec-kg.nq"))
    state_sizes = {}
    for code, state in dumps.states(union):
        subset = dumps.state_graph(union, state)
        state_sizes[code] = len(subset)
        outputs.files += dumps.write(subset, directory / "state" / code)
    dump_sizes = {path.relative_to(directory).as_posix(): path.stat().st_size for path in outputs.files}
    void_path = directory / "void.ttl"
    describe(union, state_sizes, dump_sizes).serialize(void_path, format="turtle", encoding="utf-8")
    outputs.files.append(void_path)
    outputs.files.append(_ontology_docs(project, directory / "ontology.html"))


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
