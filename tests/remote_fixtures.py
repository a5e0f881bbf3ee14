"""Session fixtures for tests/test_remote_stores.py: real triple stores on free 127.0.0.1 ports,
loaded with ``sec-kg load`` (SPARQL 1.1 Graph Store Protocol), always stopped after.

- Oxigraph server, the ``oxigraph`` binary of the PyPI package (test extra);
- Virtuoso 7, Debian's ``virtuoso-opensource-7-bin`` (installed by ``.ci/run``).

A store whose program is missing makes its tests skip with the reason and how to install it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from sec_kg.bench.peers import NotAvailable, Oxigraph, Virtuoso

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def served_nquads_file(project):
    """What the embedded store serves (with graph/inferred), as an N-Quads file."""
    from sec_kg.artefact import prepare

    path = Path(tempfile.mkdtemp(prefix="sec-kg-nq-")) / "served.nq"
    path.write_bytes(prepare(project).nquads())
    yield path
    path.unlink()
    path.parent.rmdir()


def sec_kg_load(gsp_url: str, nquads_file: Path, *extra: str) -> subprocess.CompletedProcess:
    """``sec-kg load`` as a user runs it."""
    done = subprocess.run([sys.executable, "-m", "sec_kg.cli", "load", "--endpoint", gsp_url, "--file", str(nquads_file), *extra],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done


def _started(kind):
    try:
        server = kind()
    except NotAvailable as exc:
        pytest.skip(str(exc))
    try:
        return server.start().wait(120)
    except BaseException:
        server.stop()
        raise


@pytest.fixture(scope="session")
def oxigraph_server(served_nquads_file):
    """Oxigraph server (in memory, union default graph) loaded by ``sec-kg load``."""
    server = _started(Oxigraph)
    try:
        server.load_output = sec_kg_load(server.gsp_url, served_nquads_file).stdout
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(served_nquads_file):
    """Virtuoso (fresh database, minimal ini on 127.0.0.1) loaded by ``sec-kg load`` through its
    authenticated Graph Store Protocol service."""
    server = _started(Virtuoso)
    try:
        server.load_output = sec_kg_load(server.gsp_url, served_nquads_file, "--user", server.user,
                                         "--password", server.password, "--auth", "digest").stdout
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session", params=["oxigraph", pytest.param("virtuoso", marks=pytest.mark.virtuoso)])
def remote_server(request):
    return request.getfixturevalue(f"{request.param}_server")
