"""The load test in a short, bounded form (the full one: ``sec-kg bench --load-test --clients 32
--duration 60``): 8 clients for 6 s (at most 10,000 requests) mixing cheap and heavy queries,
resource pages, malformed queries, refused updates, unknown IRIs and runaway queries cut by the time
limit. Every valid request is answered as expected, no answer carries a traceback, no web worker
ever restarts, and the server answers normally right after."""

from __future__ import annotations

import pytest
import requests

from sec_kg.bench.http import drive
from sec_kg.bench.loadtest import CHEAP, heavy_query, judge, plans, sources
from sec_kg.bench.peers import SecKg

pytestmark = pytest.mark.slow

CLIENTS, SECONDS, MAX_REQUESTS = 8, 6, 10_000


def test_load_mix_at_8_clients(project):
    # every client here shares 127.0.0.1: the per-client limit is tested apart (tests/test_security.py)
    server = SecKg("--timeout", "2", "--query-workers", "3", "--threads", "8", "--per-client", "64",
                   "--no-reasoning").start()
    try:
        server.wait(120)
        run = drive(server.base, plans(CLIENTS, heavy_query(project)), clients=CLIENTS, seconds=SECONDS,
                    max_requests=MAX_REQUESTS, timeout=30, sources=sources(server.base, CLIENTS))
        after = requests.get(server.base + "/sparql", params={"query": CHEAP},
                             headers={"Accept": "application/sparql-results+json"}, timeout=10)
        verdict = judge(run, server.log(full=True), after.status_code)
        print(run.table())
        assert verdict.ok, "\n".join(verdict.failures) + "\n" + run.table()
        assert len(after.json()["results"]["bindings"]) == 8
        assert run.results["runaway query (503)"].statuses[503] >= 2, "no runaway query was cut: the mix did not test the limit"
        valid = [r for r in run.results.values() if r.name in ("cheap query", "heavy query", "resource page (html)")]
        assert all(r.latencies for r in valid) and run.rps > 5, run.table()
    finally:
        server.stop()


def test_a_killed_web_worker_is_replaced_and_the_judge_says_so():
    """The load test's verdict reads Granian's log: a web worker that dies must fail it, while the
    server itself carries on (the dead worker is respawned)."""
    import os
    import re
    import signal
    import time
    from pathlib import Path

    from sec_kg.bench.http import Run

    server = SecKg("--no-reasoning", "--web-workers", "2").start()
    try:
        server.wait(120)
        assert judge(Run(1.0, 0, {}), server.log(full=True)).ok
        children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
        holder = int(re.search(r"data loaded once, in process (\d+)", server.log(full=True))[1])
        workers = [int(pid) for pid in children if int(pid) != holder
                   and "resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while server.log(full=True).count("Spawning worker") < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        failures = judge(Run(1.0, 0, {}), server.log(full=True)).failures
        assert any("spawned 3 times for 2 workers" in f for f in failures), failures
        answered, deadline = 0, time.monotonic() + 30
        while answered < 4:  # both workers answer again, once the new one listens
            try:
                answer = requests.get(server.base + "/sparql", params={"query": CHEAP}, timeout=30)
            except requests.ConnectionError:
                assert time.monotonic() < deadline, server.log()
                time.sleep(0.2)
                continue
            assert answer.status_code == 200, server.log()
            answered += 1
    finally:
        server.stop()
