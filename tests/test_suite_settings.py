"""The suite on a plain clone: without the report's text, the tests that read it skip with one reason."""

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.slow  # a second pytest run
def test_report_tests_skip_with_one_reason_when_the_report_is_missing(tmp_path):
    missing = tmp_path / "no-report.txt"
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/test_treaties.py", "-q", "-p", "no:cacheprovider"],
                          cwd=ROOT, env={**os.environ, "SEC_KG_REPORT": str(missing)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    skipped = int(re.fullmatch(r"(\d+) skipped in [\d.]+s", lines[-1]).group(1))
    reasons = [line for line in lines if line.startswith("SKIPPED")]
    assert len(reasons) == 1 and f"SKIPPED [{skipped}] " in reasons[0], reasons
    assert str(missing) in reasons[0] and "SEC_KG_REPORT=" in reasons[0]


def test_the_report_tests_are_the_ones_marked_report():
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/test_treaties.py", "tests/test_cli.py", "-m", "report",
                           "--collect-only", "-q", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    collected = [line for line in done.stdout.splitlines() if "::" in line]
    assert collected and all(line.startswith("tests/test_treaties.py::") for line in collected), done.stdout


def test_ci_runs_the_readme_test_command_as_written():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if line.startswith("python3 -m venv") and "pytest" in line)
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
