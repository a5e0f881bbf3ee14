"""``sec-kg build``: the validated, reasoned artefact (``sec_kg.artefact``), checked for OWL
consistency, and what is published from it: dumps, VoID/DCAT, the JSON-LD context, the
ontology's pages. A violation or an inconsistency stops the build, so what is published has
always passed the shapes.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from . import dumps, jsonld
from .artefact import INFERRED, prepare
from .loader import union_graph
from .namespaces import bind_prefixes
from .project import Project
from .reasoning import check_consistency
from .serialize import write_graph as write_rdf
from .void import describe, void_graph


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


class InconsistentGraph(Exception):
    """The OWL check (HermiT) found ontology and data inconsistent."""


def build(project: Project, reason: bool = True, consistency: bool = True) -> BuildOutputs:
    """The validated artefact (``sec_kg.artefact``), checked for consistency, and what is published from it."""
    started = time.perf_counter()
    outputs = BuildOutputs(project.build_dir)
    artefact = prepare(project, on_report=lambda report: outputs.notes.extend(str(w) for w in report.warnings))
    outputs.files.append(artefact.path)
    nquads = artefact.nquads(reason)
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    union = union_graph(dataset)
    if consistency:
        asserted = union_graph(dataset, without=INFERRED)
        result = check_consistency(asserted)
        if not result.ok:
            raise InconsistentGraph(result.message)
        outputs.notes.append(result.message)
    outputs.inferred = artefact.inferred if reason else 0
    outputs.triples = len(union)
    outputs.files += publish(project, nquads, jsonld.build_context(union), project.build_dir)
    outputs.files.append(_ontology_docs(project, project.build_dir / "ontology.html"))
    outputs.seconds = time.perf_counter() - started
    return outputs


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
        distributions = [dumps.distribution(name, body) for name, body in files.items()]
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
