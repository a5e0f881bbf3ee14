"""Session fixtures for the server tests: real ``sec-kg serve`` processes on free 127.0.0.1 ports, and Chromium.

One server on the bundled data (short time limit and result cap so the limits can be
tested quickly), one on a remote store pointing at the first, and one headless browser.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 2.0
CAP = 1000
REMOTE_CAP = 100
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A ``sec-kg serve`` subprocess; ``url`` once it answers."""

    def __init__(self, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="sec-kg-serve-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sec_kg.cli", "serve", "--port", str(self.port), *args],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self, seconds: float = 120) -> "Server":
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"sec-kg serve exited with {self.process.returncode}:\n{Path(self.log.name).read_text()}")
            try:
                if requests.get(self.url + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still loading
                pass
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"sec-kg serve did not answer within {seconds} s:\n{Path(self.log.name).read_text()}")

    def stop(self) -> None:
        """Stop the server and, by its process group, every web worker and query process it started:
        a server killed after a slow shutdown must not leave them running."""
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:  # the whole group is gone
            pass
        self.process.wait()
        os.unlink(self.log.name)


@pytest.fixture(scope="session")
def base_url():
    """The server on the bundled data (embedded pyoxigraph store)."""
    # one client may send many queries at once here: the per-client limit has its own tests
    server = Server("--timeout", str(TIMEOUT), "--result-cap", str(CAP), "--per-client", "64", "--no-reasoning").wait()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def remote_url(base_url):
    """A second server whose store is the first server's SPARQL endpoint (RemoteStore via SPARQLWrapper)."""
    server = Server("--endpoint", base_url + "/sparql", "--timeout", "10", "--result-cap", str(REMOTE_CAP)).wait()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium through selenium; never downloads a browser or driver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip("Chromium is not installed: apt-get install chromium chromium-driver (.ci/run does)")
    profile = tempfile.mkdtemp(prefix="sec-kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors are asserted on
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(chromium):
    """The shared Chromium, its cookies and console log cleared after each test: a language chosen by
    one test (remembered in a cookie for 127.0.0.1, whatever the port) or an error it provoked on
    purpose must not follow the next one."""
    yield chromium
    if chromium.current_url.startswith("http"):
        chromium.delete_all_cookies()
    chromium.get_log("browser")  # reading the log empties it
