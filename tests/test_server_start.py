"""Starting ``sec-kg serve``: bad data stops it with the usual message; the options and their environment variables."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest
from sec_kg.protocol import check_query
from sec_kg.server import ServerConfig, add_arguments
from server_fixtures import ROOT, free_port


def test_malformed_data_stops_the_server_with_file_line_and_column(tmp_path):
    for name in ("ontology", "queries"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "data" / "ttl").mkdir(parents=True)
    (tmp_path / "data" / "ttl" / "broken.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d .\n")
    done = subprocess.run([sys.executable, "-m", "sec_kg.cli", "--home", str(tmp_path), "serve", "--no-reasoning",
                           "--port", str(free_port())], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "data/ttl/broken.ttl:3:" in done.stderr and "Traceback" not in done.stderr


def test_options_come_from_flags_then_environment(monkeypatch):
    monkeypatch.setenv("SEC_KG_TIMEOUT", "7.5")
    monkeypatch.setenv("SEC_KG_ALLOW_SERVICE", "true")
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    config = ServerConfig.from_args(parser.parse_args(["--port", "9000", "--endpoint", "http://store.example/sparql"]))
    assert (config.host, config.port, config.timeout, config.endpoint) == ("127.0.0.1", 9000, 7.5, "http://store.example/sparql")
    assert config.allow_service and config.result_cap == 10000


@pytest.mark.parametrize("argv, env, message", [
    (["serve", "--threads", "0"], {}, "argument --threads: must be above 0: 0"),
    (["serve", "--dump-timeout", "-1"], {}, "argument --dump-timeout: must be above 0: -1"),
    (["serve"], {"SEC_KG_RESULT_CAP": "abc"}, "argument --result-cap: not a number: 'abc'"),
    (["bench", "--sizes", "1,-3"], {}, "argument --sizes: must be above 0: -3"),
    (["bench", "--seconds", "nan"], {}, "argument --seconds: must be above 0: nan")])
def test_absurd_numbers_stop_with_a_usage_error_naming_the_option(argv, env, message):
    done = subprocess.run([sys.executable, "-m", "sec_kg.cli", *argv], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env})
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_service_passes_once_the_operator_allows_it():
    assert check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", allow_service=True) == "SELECT"


def test_plain_queries_are_not_parsed_twice(monkeypatch):
    """rdflib's parser (30-130 ms) is only asked about texts that might be updates or use SERVICE."""
    import sec_kg.protocol as protocol

    asked = []

    def parse(text):
        asked.append(text)
        raise protocol.ParseException(text, 0, "refused by the test")

    monkeypatch.setattr(protocol, "parseQuery", parse)
    forms = [check_query(f"PREFIX ex: <http://example.org/#{n}>\n# a comment\n{form} WHERE {{ ?s ?p {n} }}")
             for n, form in enumerate(["select *", "ask", "construct { ?s ?p ?o }", "DESCRIBE ?s"])]
    assert forms == ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"] and asked == []
    with pytest.raises(protocol.ProtocolError, match="malformed query"):
        check_query("SELECT * WHERE { ?s ?p ?o } # the word service sends it to the parser")
    assert len(asked) == 1
