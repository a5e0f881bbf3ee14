"""Screenshots of the views, for people who want to see them without running the server.

``python -m sec_kg.screenshots OUTDIR`` (or ``sec-kg screenshots OUTDIR``) starts ``sec-kg serve`` on a free
127.0.0.1 port, opens each page in Debian's headless Chromium through selenium and writes one PNG per
page into OUTDIR. Needs ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

#: file name -> page, and the CSS selector that shows the page is drawn
PAGES = {
    "home.png": ("/", "svg#map a.state path"),
    "state-co.png": ("/state/CO", "nav.state-views"),
    "compare.png": ("/compare", "table#compare"),
    "network-co.png": ("/network/CO", "#network canvas"),
    "network-gt-menacesnna.png": ("/network?resource=https://w3id.org/sec-kg/id/body/GT/menacesnna", "#network canvas"),
    "timeline.png": ("/timeline", "svg#timeline .mark"),
    "chart-gt-victims-by-age.png": ("/charts/gt-victims-by-age", "svg#chart rect.bar"),
    "query-not-party.png": ("/queries/not-party?treaty=iacitm", "table.results-table"),
    "browse-legal-instruments-co.png": ("/browse/legal-instruments?state=CO", "ol.items li"),
    "query-editor.png": ("/query", ".yasqe, #no-editor"),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "sec_kg.cli", "serve", "--port", str(port), "--no-reasoning"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"}, timeout=2).raise_for_status()
            return process
        except requests.RequestException:  # still loading
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("sec-kg serve did not start within 120 s")


def browser():
    """Headless Chromium at a fixed window size, never downloading a browser or driver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-dev-shm-usage", f"--user-data-dir={tempfile.mkdtemp(prefix='sec-kg-shots-')}",
                 "--window-size=1400,1000"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


def take(base_url: str, out: Path, driver) -> list[Path]:
    """One PNG per page of ``PAGES``, each once its content is drawn."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import WebDriverWait

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (path, ready) in PAGES.items():
        driver.get(base_url + path)
        WebDriverWait(driver, 20).until(seen.presence_of_element_located((By.CSS_SELECTOR, ready)))
        time.sleep(0.5)  # let the network layout settle
        driver.save_screenshot(str(out / name))
        written.append(out / name)
    return written


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m sec_kg.screenshots OUTDIR", file=sys.stderr)
        return 2
    port = _free_port()
    server = _start_server(port)
    driver = browser()
    try:
        for path in take(f"http://127.0.0.1:{port}", Path(args[0]), driver):
            print(path)
    finally:
        driver.quit()
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
