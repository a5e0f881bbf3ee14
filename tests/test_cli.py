"""The sec-kg command line on real files: build, stats, and bad input."""

import os
import re
import shutil
import subprocess
import sys

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCAT, VOID

from sec_kg.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "bad"


def test_stats_counts_states_treaties_and_cells(capsys):
    assert main(["stats"]) == 0
    classes, states = capsys.readouterr().out.split("\n\n")
    counts = dict(re.fullmatch(r"(.+?)\s{2,}(\d+)", line).groups() for line in classes.splitlines()[1:])
    assert counts["State"] == "8"
    assert counts["Treaty"] == "9"
    assert counts["Ratification status"] == "72"
    per_state = [line.split() for line in states.splitlines()[1:]]
    assert [row[0] for row in per_state] == ["Canada", "Chile", "Colombia", "Ecuador", "Guatemala", "Guyana", "Mexico", "Peru"]
    assert all(row[-1] == "9" for row in per_state)


@pytest.mark.slow  # a whole build: about 5 s
def test_build_writes_dumps_void_and_docs(small_project, capsys, monkeypatch):
    monkeypatch.setenv("SEC_KG_BUILD", str(small_project.root / "out"))
    assert main(["--home", str(small_project.root), "build", "--no-consistency"]) == 0
    out_dir = small_project.root / "out"
    data = out_dir / "data"
    whole = Graph().parse(data / "all.ttl")
    assert len(whole) == len(Graph().parse(data / "all.nt"))
    quads = Dataset()
    quads.parse(data / "all.nq", format="nquads")
    graphs = {str(g.identifier) for g in quads.graphs()}
    assert "https://w3id.org/sec-kg/graph/data/common/treaties" in graphs
    assert "https://w3id.org/sec-kg/graph/inferred" in graphs
    assert (data / "all.trig").read_bytes().startswith(b"# sec-kg")
    colombia = Graph().parse(data / "CO.ttl")
    assert len(set(colombia.subjects(predicate=None, object=None))) > 9
    void = Graph().parse(out_dir / "void.ttl")
    dataset = URIRef("https://w3id.org/sec-kg/dataset")
    assert int(void.value(dataset, VOID.triples)) == len(whole)
    # every file under data/ is a distribution of the dataset or of a State's subset, with its size
    sizes = {str(void.value(d, DCAT.downloadURL)).rsplit("/", 1)[1]: int(void.value(d, DCAT.byteSize))
             for d in void.subjects(predicate=DCAT.byteSize)}
    assert sizes == {path.name: path.stat().st_size for path in data.iterdir()}
    assert "state" in (out_dir / "context.jsonld").read_text(encoding="utf-8")
    assert "<html" in (out_dir / "ontology.html").read_text(encoding="utf-8").lower()


def test_build_refuses_invalid_data(small_project, capsys, monkeypatch):
    monkeypatch.setenv("SEC_KG_BUILD", str(small_project.root / "out"))
    shutil.copy(FIXTURES / "Membership.ttl", small_project.data_dir / "broken.ttl")
    assert main(["--home", str(small_project.root), "build"]) == 1
    err = capsys.readouterr().err
    assert "build refused" in err and "org:role" in err
    assert not (small_project.root / "out" / "sec-kg.ttl").exists()


def test_malformed_turtle_names_file_and_line(small_project):
    bad = small_project.data_dir / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:b "unterminated .\n', encoding="utf-8")
    for command in ("validate", "build", "stats"):
        run = subprocess.run([sys.executable, "-m", "sec_kg.cli", "--home", str(small_project.root), command],
                             capture_output=True, text=True)
        assert run.returncode == 2
        assert "data/ttl/bad.ttl:3:" in run.stderr
        assert "Traceback" not in run.stderr


def test_file_that_is_not_utf8(small_project, capsys):
    (small_project.data_dir / "latin1.ttl").write_bytes("# caf\xe9\n".encode("latin-1"))
    assert main(["--home", str(small_project.root), "validate"]) == 2
    assert "data/ttl/latin1.ttl:1:1: not UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["validate"], ["build"], ["serve"], ["query"], ["sparql"], ["load"],
                                     ["report-tables"], ["screenshots"], ["bench"]])
def test_help_is_plain_text(command):
    run = subprocess.run([sys.executable, "-m", "sec_kg.cli", *command, "--help"], capture_output=True, text=True,
                         env={**os.environ, "COLUMNS": "100"})
    assert run.returncode == 0 and run.stdout.startswith("usage: sec-kg")
    assert "``" not in run.stdout and not re.search(r":\w+:`", run.stdout)  # no reStructuredText


def test_unknown_command_is_a_usage_error():
    run = subprocess.run([sys.executable, "-m", "sec_kg.cli", "frobnicate"], capture_output=True, text=True)
    assert run.returncode == 2 and "invalid choice" in run.stderr


