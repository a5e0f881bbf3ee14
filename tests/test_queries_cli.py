"""``sec-kg query`` and ``sec-kg sparql`` run for real, as subprocesses: answers, formats, bad input."""

import csv
import io
import json
import subprocess
import sys

from conftest import ROOT


def sec_kg(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "sec_kg.cli", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_list_names_every_canned_query_with_its_parameters(project):
    done = sec_kg("query", "--list")
    assert done.returncode == 0
    lines = {line.split()[0]: line for line in done.stdout.splitlines()}
    assert {p.relative_to(project.queries_dir).with_suffix("").as_posix()
            for p in project.queries_dir.rglob("*.rq") if p.parent.name != "checks"} == set(lines)
    assert "[treaty=treaty]" in lines["not-party"]


def test_not_party_as_csv_has_the_variables_as_header():
    done = sec_kg("query", "not-party", "--param", "treaty=iacitm", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(rows[0]) == ["treaty", "treatyLabel", "state", "stateLabel", "printed", "status", "statusLabel"]
    assert {r["stateLabel"] for r in rows} == {"Canada", "Chile", "Guatemala", "Guyana", "Mexico"}


def test_table_json_and_tsv():
    table = sec_kg("query", "policies-in-force", "--param", "year=2025", "--format", "table")
    assert table.returncode == 0 and table.stdout.rstrip().endswith("6 row(s)")
    answer = json.loads(sec_kg("query", "shared-members", "--param", "state=CO", "--format", "json").stdout)
    assert "Colombian Family Welfare Institute" in {b["memberLabel"]["value"] for b in answer["results"]["bindings"]}
    tsv = sec_kg("query", "treaties", "--format", "tsv").stdout.splitlines()
    assert tsv[0].startswith("?column\t?treaty") and len(tsv) == 10


def test_bad_parameter_exits_2_with_the_reason():
    done = sec_kg("query", "not-party", "--param", "treaty=minors")
    assert done.returncode == 2
    assert "parameter 'treaty' expects a treaty code" in done.stderr and "Traceback" not in done.stderr
    done = sec_kg("query", "not-party", "--param", "state=CO")
    assert done.returncode == 2 and "has no parameter 'state'" in done.stderr


def test_unknown_query_exits_2():
    done = sec_kg("query", "no-such-query")
    assert done.returncode == 2
    assert "no canned query 'no-such-query'" in done.stderr and "--list" in done.stderr


def test_sparql_from_standard_input():
    done = sec_kg("sparql", "-", "--format", "csv", stdin="""
        PREFIX sec: <https://w3id.org/sec-kg/ontology#>
        SELECT (COUNT(*) AS ?cells) WHERE { ?c a sec:Ratification }""")
    assert done.returncode == 0 and done.stdout.split() == ["cells", "72"]


def test_query_against_a_remote_endpoint(base_url):
    done = sec_kg("query", "not-party", "--param", "treaty=iacitm", "--format", "csv", "--endpoint", base_url + "/sparql")
    assert done.returncode == 0, done.stderr
    assert len(list(csv.DictReader(io.StringIO(done.stdout)))) == 5


def test_a_terminal_gets_a_table_and_a_pipe_gets_csv():
    import os
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "sec_kg.cli", "query", "treaties"], cwd=ROOT, stdout=follower)
    os.close(follower)
    output = b""
    while True:  # read as it comes, so a full terminal buffer never blocks the command
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the command closed its end
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(120) == 0
    assert output.decode().rstrip().endswith("9 row(s)")
    assert sec_kg("query", "treaties").stdout.startswith("column,treaty,treatyLabel")
