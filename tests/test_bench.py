"""``sec-kg bench`` end to end, at toy settings: the report size and a synthetic 2x, with both peers
(Oxigraph server and rdflib-endpoint) started on 127.0.0.1. Checks the table, not the speed."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from sec_kg.project import Project
from sec_kg.queries import catalogue
from server_fixtures import ROOT

pytestmark = pytest.mark.slow

NUMBER = r"\d+(?:\.\d+)?"


def _row(output: str, label: str) -> list[str]:
    found = [line for line in output.splitlines() if line.startswith(f"| {label} |")]
    assert len(found) == 1, f"no single row {label!r} in:\n{output}"
    return [cell.strip() for cell in found[0].strip("|").split("|")[1:]]


def test_bench_prints_every_figure_for_every_size_and_peer():
    done = subprocess.run([sys.executable, "-m", "sec_kg.cli", "bench", "--sizes", "1,2", "--peers", "--repeats", "1",
                           "--seconds", "0.1", "--limit", "1"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    out = done.stdout
    assert done.returncode == 0, done.stderr[-3000:]
    assert "failed:" not in out and "skipped:" not in out and "Traceback" not in done.stderr
    triples = [int(n) for n in re.findall(r"## size \dx: (\d+) triples", out)]
    assert len(triples) == 2 and triples[1] > triples[0]
    for server in ("sec-kg", "oxigraph", "rdflib-endpoint"):
        for cell in _row(out, f"{server}: ready after start") + _row(out, f"{server}: peak memory"):
            assert re.fullmatch(rf"{NUMBER} (s|MB)", cell), cell
        for cell in _row(out, f"{server}: cheap query req/s (p50/p99 ms)") + _row(out, f"{server}: cheap query, new text req/s (p50/p99 ms)"):
            assert re.match(rf"{NUMBER} \({NUMBER}/{NUMBER}\)$", cell) and float(cell.split()[0]) > 0, cell
    for cell in _row(out, "sec-kg: canned queries one by one") + _row(out, "oxigraph: canned queries one by one"):
        assert re.match(rf"(\d+)/\1 answered in {NUMBER} s", cell), cell  # all answered
    for cell in _row(out, "ratio oxigraph / sec-kg, time for the canned queries one by one"):
        assert re.fullmatch(rf"{NUMBER}x over \d+ queries", cell), cell
    names = [name for name, q in catalogue(Project(ROOT).queries_dir).items()
             if not any(p.default is None for p in q.parameters)]
    in_process, over_http = out.split("## every canned query over HTTP")
    for name in names:
        assert all(re.match(rf"{NUMBER} \({NUMBER}-{NUMBER}\)$", cell) for cell in _row(in_process, name)), name
        ours_and_oxigraph = [cell for i, cell in enumerate(_row(over_http, name)) if i % 3 != 2]
        assert all(re.fullmatch(NUMBER, cell) for cell in ours_and_oxigraph), (name, ours_and_oxigraph)
