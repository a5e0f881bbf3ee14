"""Where the project's files live: ontology, shapes, Turtle data and build output.

The package is installed in place (``pip install -e .``) and reads the files of
its own checkout; ``SEC_KG_HOME`` points it at another checkout of the same layout.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from .namespaces import GRAPH


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def data_dir(self) -> Path:
        return self.root / "data" / "ttl"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def build_dir(self) -> Path:
        return Path(os.environ.get("SEC_KG_BUILD", self.root / "build"))

    def ontology_files(self) -> list[Path]:
        return sorted(self.ontology_dir.glob("*.ttl"))

    def shape_files(self) -> list[Path]:
        return sorted(self.shapes_dir.glob("*.ttl"))

    def data_files(self) -> list[Path]:
        return sorted(self.data_dir.rglob("*.ttl"))

    def graph_iri(self, path: Path) -> URIRef:
        """Named graph of a source file: graph/ontology/<stem>, graph/data/<path without .ttl>
        or, for a file outside the project (a fixture), graph/extra/<stem>."""
        path = path.resolve()
        if path.is_relative_to(self.ontology_dir.resolve()):
            return GRAPH["ontology/" + path.stem]
        if path.is_relative_to(self.data_dir.resolve()):
            return GRAPH["data/" + path.relative_to(self.data_dir.resolve()).with_suffix("").as_posix()]
        return GRAPH["extra/" + path.stem]

    def graph_files(self, extra_files=()) -> dict[URIRef, str]:
        """Named graph IRI -> the file it was loaded from, as users see it."""
        files = self.ontology_files() + self.data_files() + [Path(f) for f in extra_files]
        return {self.graph_iri(path): self.display(path) for path in files}

    def display(self, path: Path) -> str:
        """A path as users see it in messages: relative to the checkout where possible."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def default_project() -> Project:
    home = os.environ.get("SEC_KG_HOME")
    return Project(Path(home) if home else Path(__file__).resolve().parent.parent)
