"""Shared fixtures: the project, the loaded dataset, and the report text that facts are checked against."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from sec_kg.loader import load_dataset, union_graph
from sec_kg.namespaces import PREFIXES
from sec_kg.oxi import store_of, to_ox
from sec_kg.project import Project

#: Fixtures of the server and browser tests, and of the report's printed tables.
pytest_plugins = ["server_fixtures", "app_fixtures", "printed"]

ROOT = Path(__file__).resolve().parent.parent
#: The report's text, which the data tests compare the graph with; not part of the repository.
REPORT = Path(os.environ.get("SEC_KG_REPORT", ROOT.parent / "shared" / "seeds" / "000_5df285de1c051cdf.txt"))
#: fixture -> the marker of every test that uses it, directly or through other fixtures
#: (``-m report`` selects the tests that read the report, ``-m "not browser"`` leaves out Chromium's)
MARKED_FIXTURES = {"report_text": "report", "browser": "browser"}


def pytest_collection_modifyitems(items):
    for item in items:
        used = getattr(item, "fixturenames", ())
        for fixture, marker in MARKED_FIXTURES.items():
            if fixture in used:
                item.add_marker(marker)


def pytest_runtest_setup(item):
    """Without the report's text, its tests skip here, all with the same one-line reason."""
    if item.get_closest_marker("report") and not REPORT.is_file():
        pytest.skip(f"the report's text is not at {REPORT}: set SEC_KG_REPORT=/path/to/000_5df285de1c051cdf.txt "
                    "to run the tests that compare the graph with it")


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
def oxigraph(dataset):
    """The dataset in pyoxigraph, the engine the service queries with."""
    return store_of(dataset)


@pytest.fixture(scope="session")
def select(oxigraph):
    """Run a SELECT over the union of all graphs (project prefixes declared); rows as dicts of
    strings, with None for unbound variables. Keyword arguments bind variables to rdflib terms."""

    def run(query: str, **bindings):
        if bindings:  # bound by a VALUES block opening the WHERE clause, as rdflib's initBindings would
            names = " ".join(f"?{name}" for name in bindings)
            values = " ".join(str(to_ox(term)) for term in bindings.values())
            where = query.index("{")
            query = f"{query[:where + 1]} VALUES ({names}) {{ ({values}) }} {query[where + 1:]}"
        solutions = oxigraph.query(
            query,
            prefixes={prefix: str(ns) for prefix, ns in PREFIXES.items()},
            use_default_graph_as_union=True,
        )
        names = [v.value for v in solutions.variables]
        return [{name: (row[name].value if row[name] is not None else None) for name in names} for row in solutions]

    return run


def make_small_project(root: Path) -> Project:
    """A project in ``root`` with the real ontology and shapes but only the shared data
    (data/ttl/common): quick to validate and build, and safe to add broken files to."""
    (root / "data" / "ttl").mkdir(parents=True)
    for name in ("ontology", "shapes", "queries"):
        (root / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "data" / "ttl" / "common", root / "data" / "ttl" / "common")
    return Project(root)


@pytest.fixture
def small_project(tmp_path) -> Project:
    return make_small_project(tmp_path)

