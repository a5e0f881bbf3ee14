"""The served artefact: validated, reasoned, rebuilt when anything that decides it changes, and
refused (never served) when the data fails the shapes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sec_kg.artefact import ARTEFACT, INFERRED, MANIFEST, InvalidData, current, prepare

CHECKOUT = Path(__file__).resolve().parents[1]
INVALID = """@prefix sec: <https://w3id.org/sec-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/sec-kg/id/institution/CO/fixture-without-state> a sec:Institution ;
    rdfs:label "An institution with no State and no provenance"@en .
"""


@pytest.fixture
def built(small_project, monkeypatch, tmp_path):
    monkeypatch.setenv("SEC_KG_BUILD", str(tmp_path / "build"))
    return small_project


def test_the_artefact_records_what_it_was_made_from(built):
    artefact = prepare(built)
    manifest = json.loads((built.build_dir / MANIFEST).read_text())
    assert manifest["inputs"] == artefact.inputs and manifest["quads"] == artefact.quads > 0
    assert f"<{INFERRED}> .".encode() in artefact.nquads(reason=True)
    assert f"<{INFERRED}> .".encode() not in artefact.nquads(reason=False)


def test_an_unchanged_project_reads_the_artefact_as_it_is(built):
    prepare(built)
    path = built.build_dir / ARTEFACT
    path.write_bytes(path.read_bytes() + b"# marker\n")
    assert prepare(built).nquads().endswith(b"# marker\n")


@pytest.mark.slow  # validates and reasons again: 3-4 s each
@pytest.mark.parametrize("changed", ["data/ttl/common/states.ttl", "shapes"])
def test_a_changed_data_or_shape_file_rebuilds_the_artefact(built, changed):
    prepare(built)
    path = built.build_dir / ARTEFACT
    path.write_bytes(path.read_bytes() + b"# marker\n")
    if changed == "shapes":  # a symlink to the checkout's shapes: give the project its own copy to edit
        (built.root / "shapes").unlink()
        shutil.copytree(CHECKOUT / "shapes", built.root / "shapes")
        source = built.shape_files()[0]
    else:
        source = built.root / changed
    source.write_text(source.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    assert current(built) is None
    assert not prepare(built).nquads().endswith(b"# marker\n")


def test_data_that_fails_the_shapes_is_never_served(built):
    (built.data_dir / "common" / "fixture-invalid.ttl").write_text(INVALID, encoding="utf-8")
    with pytest.raises(InvalidData) as refused:
        prepare(built)
    assert refused.value.report.violations
    assert not (built.build_dir / ARTEFACT).exists()
    run = subprocess.run([sys.executable, "-m", "sec_kg.cli", "--home", str(built.root), "serve", "--port", "0"],
                         capture_output=True, text=True, timeout=300, env=_env(built))
    assert run.returncode == 1, run.stderr
    assert "fixture-invalid.ttl" in run.stderr and "nothing was served" in run.stderr
    assert "serving on" not in run.stdout


def _env(project):
    return {**os.environ, "SEC_KG_BUILD": str(project.build_dir)}


def test_processes_starting_at_once_validate_only_once(built):
    """Two makers at the same time (pytest workers, two commands): one validates, the other waits
    for it and reads the artefact it wrote."""
    from concurrent.futures import ThreadPoolExecutor

    reports = []
    with ThreadPoolExecutor(2) as pool:
        made = list(pool.map(lambda _: prepare(built, on_report=reports.append), range(2)))
    assert len(reports) == 1 and made[0].content == made[1].content
