"""``sec-kg query`` and ``sec-kg sparql`` run for real, as subprocesses: answers, formats, bad input."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def sec_kg(*args, stdin=None, columns=None):
    env = {**os.environ, "COLUMNS": str(columns)} if columns else None
    return subprocess.run([sys.executable, "-m", "sec_kg.cli", *args], cwd=ROOT, input=stdin, env=env,
                          capture_output=True, text=True, timeout=120)


def test_list_names_every_canned_query_with_its_parameters_and_their_values(project):
    done = sec_kg("query", "--list", columns=72)
    assert done.returncode == 0
    queries_part, values_part = done.stdout.split("\n\n")
    entries = _entries(queries_part.splitlines(), indent="")
    assert {p.relative_to(project.queries_dir).with_suffix("").as_posix()
            for p in project.queries_dir.rglob("*.rq") if p.parent.name not in ("checks", "subsets")} == set(entries)
    assert "[treaty=TREATY]" in entries["not-party"] and "[year=YEAR, default 2024]" in entries["policies-in-force"]
    values = _entries(values_part.split(":\n", 1)[1].splitlines(), indent="  ")
    assert "iacitm" in values["TREATY"] and "CO" in values["STATE"] and "statistics/" in values["DATASET"]
    assert all(len(line) <= 72 for line in done.stdout.splitlines())


def _entries(lines: list[str], indent: str) -> dict[str, str]:
    """First word -> the entry's text: a line that starts at ``indent``, then its wrapped continuation lines."""
    entries = {}
    for line in lines:
        if line.startswith(indent + " "):
            entries[last] += " " + line.strip()
        else:
            last = line.split()[0]
            entries[last] = line
    return entries


def test_the_state_codes_offered_are_the_states_of_the_graph(select):
    from sec_kg.queries import TYPES, VALUES, ParameterError

    states = {row["s"] for row in select("SELECT ?s WHERE { ?s a sec:State }")}
    codes = {iri.rsplit("/", 1)[1] for iri in states}
    assert {str(TYPES["state"](code.lower())) for code in codes} == states
    assert VALUES["state"].startswith(", ".join(sorted(codes)))
    with pytest.raises(ParameterError):
        TYPES["state"]("XX")


def test_an_unknown_value_exits_2_with_the_closest_valid_ones():
    done = sec_kg("query", "ratifications", "--param", "state=XX")
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert "got 'XX'" in done.stderr and "CA, CL, CO, EC, GT, GY, MX, PE" in done.stderr
    done = sec_kg("query", "not-party", "--param", "treaty=crd")
    assert done.returncode == 2 and "did you mean crc" in done.stderr
    done = sec_kg("query", "ratification")
    assert done.returncode == 2 and "did you mean ratifications" in done.stderr


def test_a_value_the_graph_does_not_hold_exits_2_with_the_closest_ones():
    done = sec_kg("query", "body-members", "--param", "body=GT/menacesnnx")
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert "the graph has no such value" in done.stderr and "did you mean GT/menacesnna" in done.stderr
    chosen = sec_kg("query", "body-members", "--param", "body=GT/menacesnna", "--format", "csv")
    assert chosen.returncode == 0 and {r["body"] for r in csv.DictReader(io.StringIO(chosen.stdout))} == {
        "https://w3id.org/sec-kg/id/body/GT/menacesnna"}


def test_a_closed_pipe_ends_the_command_quietly():
    """``sec-kg query ... | head``: the reader is gone before the command writes."""
    reader, writer = os.pipe()
    process = subprocess.Popen([sys.executable, "-m", "sec_kg.cli", "query", "statistics", "--format", "csv"],
                               cwd=ROOT, stdout=writer, stderr=subprocess.PIPE, text=True)
    os.close(writer)
    os.close(reader)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 141 and err == "", err


def test_a_table_fits_the_terminal_and_shows_labels():
    done = sec_kg("query", "ratifications", "--param", "state=CO", "--format", "table", columns=80)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(map(len, lines)) <= 80 and lines[-1] == "9 row(s)"
    assert lines[0].split() == ["state", "treaty", "printed", "status", "date"]
    assert "https://" not in done.stdout and "Rome Statute" in done.stdout and "Colombia" in done.stdout
    wide = sec_kg("query", "ratifications", "--param", "state=CO", "--format", "table", "--iris", columns=400)
    assert wide.stdout.splitlines()[0].split()[:4] == ["state", "stateLabel", "treaty", "treatyLabel"]
    assert "https://w3id.org/sec-kg/id/treaty/crc" in wide.stdout


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


def test_sparql_knows_the_projects_prefixes_without_declarations():
    done = sec_kg("sparql", "-", "--format", "csv", stdin="SELECT (COUNT(*) AS ?states) WHERE { ?s a sec:State ; skos:notation ?code }")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["states", "8"]
    unknown = sec_kg("sparql", "-", stdin="SELECT * WHERE { ?s a foo:Thing }")
    assert unknown.returncode == 2 and 'unknown prefix "foo:"' in unknown.stderr


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
