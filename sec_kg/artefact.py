"""The served graph: parsed, validated and reasoned once per content, then read by every store.

One pipeline, used by ``serve``, ``build``, ``query``, ``sparql`` and ``load`` alike:

    sources (ontology + data Turtle) → parse (rdflib: a malformed file is reported as path:line:column)
    → validate (pySHACL: a single violation stops here) → reason (``sec_kg.reasoning``, on pyoxigraph)
    → ``build/sec-kg.nq`` and its manifest ``build/sec-kg.json``

The manifest records a digest of everything that decides the result: the source files, the
shapes, the pipeline's own code and the versions of the libraries it runs. An artefact whose
digest matches is read as it is (a few milliseconds); any other change rebuilds it. So nothing
served has skipped validation, and an edit to a shape or to the reasoning rules is never
hidden behind a file newer than the data.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from typing import TYPE_CHECKING

from .namespaces import GRAPH
from .project import Project

if TYPE_CHECKING:
    from .validation import Report

INFERRED = GRAPH["inferred"]
ARTEFACT, MANIFEST = "sec-kg.nq", "sec-kg.json"
#: held by the process making the artefact (``fcntl.flock``)
LOCK = "sec-kg.lock"
#: the modules whose code decides the artefact's content
_PIPELINE_MODULES = ("artefact.py", "loader.py", "validation.py", "reasoning.py", "namespaces.py", "project.py")
_LIBRARIES = ("rdflib", "pyshacl", "pyoxigraph")


class InvalidData(Exception):
    """The shapes found violations: the data is not served, built or queried."""

    def __init__(self, report: "Report"):
        self.report = report
        super().__init__(f"{len(report.violations)} violation(s); run `sec-kg validate`")


@dataclass(frozen=True)
class Artefact:
    """A validated, reasoned graph as N-Quads (one named graph per source file, plus graph/inferred)."""

    path: Path
    inputs: str  # digest of what went in
    content: str  # digest of the N-Quads themselves: the data's version (ETags)
    quads: int
    inferred: int
    warnings: int

    def nquads(self, reason: bool = True) -> bytes:
        """The N-Quads, without graph/inferred unless ``reason``."""
        body = self.path.read_bytes()
        if reason:
            return body
        marker = f"<{INFERRED}> .".encode()
        return b"".join(line for line in body.splitlines(keepends=True) if not line.rstrip().endswith(marker))


def inputs_digest(project: Project) -> str:
    """A digest of the sources, shapes, pipeline code and library versions, in a fixed order."""
    digest = hashlib.sha256()
    code_dir = Path(__file__).resolve().parent
    named = [(f"code/{name}", code_dir / name) for name in _PIPELINE_MODULES]
    named += [(project.display(path), path)
              for path in project.ontology_files() + project.shape_files() + project.data_files()]
    for name, path in named:
        body = path.read_bytes()
        digest.update(f"{name}\0{len(body)}\0".encode())
        digest.update(body)
    for library in _LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}\0".encode())
    return digest.hexdigest()


def current(project: Project) -> Artefact | None:
    """The artefact in the build directory if it was made from exactly the present inputs."""
    manifest = project.build_dir / MANIFEST
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path = project.build_dir / ARTEFACT
    if recorded.get("inputs") != inputs_digest(project) or not path.is_file():
        return None
    return Artefact(path, recorded["inputs"], recorded["content"], recorded["quads"], recorded["inferred"],
                    recorded["warnings"])


def prepare(project: Project, on_report=None) -> Artefact:
    """The current artefact, made now if the inputs changed. Raises ``LoadError`` (a malformed file)
    or ``InvalidData`` (a violation); ``on_report`` sees the validation report when one runs."""
    found = current(project)
    if found is not None:
        return found
    with _one_maker(project):
        return current(project) or _make(project, on_report)


@contextlib.contextmanager
def _one_maker(project: Project):
    """One process makes the artefact; the others (test workers, a second ``sec-kg`` started at the
    same time) wait for it and then read what it wrote, instead of validating the same data again."""
    project.build_dir.mkdir(parents=True, exist_ok=True)
    with open(project.build_dir / LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def _make(project: Project, on_report) -> Artefact:
    from .loader import load_dataset
    from .validation import validate_dataset

    inputs = inputs_digest(project)
    dataset = load_dataset(project)
    report = validate_dataset(project, dataset)
    if on_report:
        on_report(report)
    if not report.conforms:
        raise InvalidData(report)
    body, inferred = _reasoned(dataset.serialize(format="nquads", encoding="utf-8"))
    return _write(project, body, inputs, inferred, len(report.warnings))


def record(project: Project, nquads: bytes) -> Artefact:
    """Record ``nquads`` as the artefact of ``project``'s present inputs without validating them: only
    for data whose validity is not the question (the benchmark's synthetic States, ``sec_kg.bench``)."""
    return _write(project, nquads, inputs_digest(project), 0, 0)


def _reasoned(nquads: bytes) -> tuple[bytes, int]:
    """The quads with what the ontology entails added as graph/inferred (pyoxigraph: a fraction of
    rdflib's time and memory)."""
    import pyoxigraph as ox

    from .reasoning import entailed

    store = ox.Store()
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    inferred = ox.NamedNode(str(INFERRED))
    found = entailed(store)
    store.bulk_extend([ox.Quad(t.subject, t.predicate, t.object, inferred) for t in found])
    return store.dump(format=ox.RdfFormat.N_QUADS), len(found)


def _write(project: Project, body: bytes, inputs: str, inferred: int, warnings: int) -> Artefact:
    """Write the N-Quads, then the manifest, each atomically: a reader sees the old pair or the new."""
    directory = project.build_dir
    directory.mkdir(parents=True, exist_ok=True)
    artefact = Artefact(directory / ARTEFACT, inputs, hashlib.sha256(body).hexdigest(), body.count(b"\n"),
                        inferred, warnings)
    manifest = {"inputs": inputs, "content": artefact.content, "quads": artefact.quads, "inferred": inferred,
                "warnings": warnings, "made": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    _replace(artefact.path, body)
    _replace(directory / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode())
    return artefact


def _replace(path: Path, body: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, delete=False) as scratch:
        scratch.write(body)
    os.replace(scratch.name, path)
