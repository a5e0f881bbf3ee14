"""Shared fixtures: the project, the loaded dataset, and the report text that facts are checked against."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from sec_kg.loader import load_dataset, union_graph
from sec_kg.namespaces import sparql_prologue
from sec_kg.project import Project

ROOT = Path(__file__).resolve().parent.parent
REPORT = Path(os.environ.get("SEC_KG_REPORT", ROOT.parent / "shared" / "seeds" / "000_5df285de1c051cdf.txt"))


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def dataset(project):
    return load_dataset(project)


@pytest.fixture(scope="session")
def graph(dataset):
    """The union of all named graphs, for SPARQL in tests."""
    return union_graph(dataset)


@pytest.fixture(scope="session")
def report_text() -> str:
    """The report as printed: the single source facts are asserted against."""
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def report_lines(report_text) -> list[str]:
    return report_text.splitlines()


def normalise(text: str) -> str:
    """Fold the report's typography (curly quotes, emphasis marks, spacing) for comparisons."""
    text = re.sub(r"[*_`\u201c\u201d\u2018\u2019\"'\u00ab\u00bb]", "", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.fixture(scope="session")
def select(graph):
    """Run a SELECT over the union graph (project prefixes declared) and return rows as dicts of strings."""

    def run(query: str, **bindings):
        result = graph.query(sparql_prologue() + query, initBindings=bindings or None)
        return [{str(k): (str(v) if v is not None else None) for k, v in row.asdict().items()} for row in result]

    return run


@pytest.fixture
def small_project(tmp_path) -> Project:
    """A project with the real ontology and shapes but only the shared data (data/ttl/common):
    quick to validate and build, and safe to add broken files to."""
    (tmp_path / "data" / "ttl").mkdir(parents=True)
    for name in ("ontology", "shapes", "queries"):
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "data" / "ttl" / "common", tmp_path / "data" / "ttl" / "common")
    return Project(tmp_path)
