"""Starting ``sec-kg serve``: bad data stops it with the usual message; the options and their environment variables."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest
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
    assert ServerConfig.from_args(parser.parse_args(["--answer-cache", "0"])).answer_cache == 0  # none kept


@pytest.mark.parametrize("argv, env, message", [
    (["serve", "--threads", "0"], {}, "argument --threads: must be above 0: 0"),
    (["serve", "--dump-timeout", "-1"], {}, "argument --dump-timeout: must be above 0: -1"),
    (["serve"], {"SEC_KG_RESULT_CAP": "abc"}, "argument --result-cap: not a number: 'abc'"),
    (["serve", "--answer-cache", "-1"], {}, "argument --answer-cache: must be 0 or more: -1"),
    (["bench", "--sizes", "1,-3"], {}, "argument --sizes: must be above 0: -3"),
    (["bench", "--seconds", "nan"], {}, "argument --seconds: must be above 0: nan")])
def test_absurd_numbers_stop_with_a_usage_error_naming_the_option(argv, env, message):
    done = subprocess.run([sys.executable, "-m", "sec_kg.cli", *argv], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env})
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_a_busy_port_is_refused_naming_the_port():
    import socket

    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "sec_kg.cli", "serve", "--no-reasoning", "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"port {port} on 127.0.0.1 is already in use" in done.stderr, done.stderr
