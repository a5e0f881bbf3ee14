"""Run the SHACL shapes over the dataset and turn pyshacl's report into rows people read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from .loader import load_dataset, parse_turtle, union_graph
from .project import Project


@dataclass(frozen=True)
class Result:
    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    focus_label: str
    path: str
    message: str
    file: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        name = f"<{self.focus}>" if self.focus_label == self.focus else f"{self.focus_label} <{self.focus}>"
        return f"{self.file}: {self.severity}: {name}{where}\n    {self.message}"


@dataclass
class Report:
    results: list[Result]

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations


def load_shapes(project: Project) -> Graph:
    shapes = Graph()
    for path in project.shape_files():
        shapes += parse_turtle(path, project.display(path))
    return shapes


def validate_dataset(project: Project, dataset: Dataset, extra_files=()) -> Report:
    """Validate an already loaded dataset (ontology included, so subclasses are targeted)."""
    data = union_graph(dataset)
    _conforms, report_graph, _text = pyshacl.validate(
        data, shacl_graph=load_shapes(project), inference="none", advanced=True, allow_warnings=True
    )
    files = project.graph_files(extra_files)
    results = [_result(report_graph, node, data, dataset, files) for node in report_graph.subjects(RDF.type, SH.ValidationResult)]
    results.sort(key=lambda r: (r.severity != "Violation", r.file, r.focus, r.path, r.message))
    return Report(results)


def validate(project: Project, extra_files=()) -> Report:
    """Load ontology, bundled data and any extra files (a new file, a fixture), and validate them together."""
    extra = [Path(f) for f in extra_files]
    return validate_dataset(project, load_dataset(project, extra_files=extra), extra)


def _result(report: Graph, node, data: Graph, dataset: Dataset, files: dict) -> Result:
    focus = report.value(node, SH.focusNode)
    path = report.value(node, SH.resultPath)
    message = report.value(node, SH.resultMessage)
    severity = report.value(node, SH.resultSeverity)
    return Result(
        severity=str(severity).rsplit("#", 1)[-1],
        focus=str(focus),
        focus_label=_label(data, focus),
        path=_qname(data, path) if isinstance(path, URIRef) else "",
        message=str(message) if message is not None else "constraint not met",
        file=_file_of(dataset, (focus, report.value(node, SH.value)), files),
    )


def _label(graph: Graph, node) -> str:
    for predicate in (RDFS.label, SKOS.prefLabel):
        value = graph.value(node, predicate)
        if isinstance(value, Literal):
            return str(value)
    if isinstance(node, BNode):
        return "(blank node)"
    return _qname(graph, node)


def _qname(graph: Graph, iri) -> str:
    try:
        return graph.namespace_manager.normalizeUri(iri)
    except Exception:  # not every IRI splits into prefix and local name
        return str(iri)


def _file_of(dataset: Dataset, nodes, files: dict) -> str:
    """The file(s) that describe the focus node or the offending value (where it is a subject)."""
    found = sorted({
        files[graph]
        for node in nodes if node is not None and not isinstance(node, Literal)
        for *_, graph in dataset.quads((node, None, None, None)) if graph in files
    })
    return ", ".join(found) if found else "(no file)"
