"""Parse the ontology and the Turtle data into one rdflib Dataset.

Each source file becomes its own named graph (see ``Project.graph_iri``); the
default graph is their union. A file that does not parse is reported with its
path, line and column, and nothing is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from .namespaces import bind_prefixes
from .project import Project


@dataclass
class TurtleError:
    path: str
    line: int
    column: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.reason}"


class LoadError(Exception):
    """One or more Turtle files are malformed."""

    def __init__(self, errors: list[TurtleError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def _position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def parse_turtle(path: Path, shown_as: str | None = None) -> Graph:
    """Parse one Turtle file; raise LoadError naming file, line and column."""
    shown_as = shown_as or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError([TurtleError(shown_as, 1, 1, f"not UTF-8: {exc.reason}")]) from None
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        line, column = _position(text, exc._i) if exc._i is not None else (exc.lines + 1, 1)
        raise LoadError([TurtleError(shown_as, line, column, exc._why)]) from None
    except Exception as exc:  # rdflib raises plain exceptions for bad IRIs, prefixes...
        raise LoadError([TurtleError(shown_as, 1, 1, f"{type(exc).__name__}: {exc}")]) from None
    return graph


def load_dataset(project: Project, with_ontology: bool = True, extra_files=()) -> Dataset:
    """Every data file (and the ontology) as named graphs of one dataset.

    ``extra_files`` (e.g. a fixture to validate beside the bundled data) get
    named graphs of their own under graph/extra/.
    """
    files = (project.ontology_files() if with_ontology else []) + project.data_files() + list(extra_files)
    dataset = bind_prefixes(Dataset(default_union=True))
    errors: list[TurtleError] = []
    for path in files:
        try:
            graph = parse_turtle(path, project.display(path))
        except LoadError as exc:
            errors.extend(exc.errors)
            continue
        named = dataset.graph(project.graph_iri(path))
        named += graph
    if errors:
        raise LoadError(errors)
    return dataset


def union_graph(dataset: Dataset, without=None) -> Graph:
    """The union of all named graphs (but ``without``) as a plain Graph (pyshacl and owlrl want one)."""
    graph = bind_prefixes(Graph())
    for quad in dataset.quads():
        if without is None or quad[3] != without:
            graph.add(quad[:3])
    return graph
