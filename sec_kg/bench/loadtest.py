"""The load test: concurrent clients mixing valid cheap and heavy queries, resource pages, a dump,
malformed queries and queries that hit the time limit; then the server must answer normally.

``sec-kg bench --load-test [--clients 32] [--duration 60] [--url URL]`` (without ``--url`` it starts
its own ``sec-kg serve`` on a free 127.0.0.1 port and stops it after). The suite runs a short,
bounded form in tests/test_load.py.

Pass criteria: every valid request gets its expected status (no 5xx, no connection error), a
malformed query gets 400, a runaway query gets 400-free 503 (cut by the time limit), no answer
carries a traceback, no web worker was ever restarted, and a query right after gets 200.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from .http import Request, Run, drive, sparql_get, sparql_post

CHEAP = "PREFIX sec: <https://w3id.org/sec-kg/ontology#> SELECT ?s WHERE { ?s a sec:State }"
#: cross product of the whole graph with itself, three times: never finishes in time
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . FILTER(STR(?c) != STR(?i)) }"


def mix(heavy_query: str) -> list[Request]:
    """What the ordinary clients send (valid and malformed). The queries are new texts each time, so
    that each one is run by a query process (a repeat would be answered from the web worker's memory)."""
    return [
        sparql_get("cheap query", CHEAP, new_text=True),
        sparql_post("heavy query", heavy_query, new_text=True),
        Request("resource page (html)", "GET", "/id/state/CO", headers=(("Accept", "text/html"),)),
        Request("resource (turtle)", "GET", "/id/institution/CO/colombian-family-welfare-institute",
                headers=(("Accept", "text/turtle"),)),
        sparql_get("malformed query", "SELECT * WHERE { ?s ?p ", expect=frozenset({400}), valid=False),
        sparql_get("cheap query", CHEAP, new_text=True),
        Request("unknown resource", "GET", "/id/state/ZZ", expect=frozenset({404}), valid=False),
        sparql_post("update refused", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", expect=frozenset({400}), valid=False),
    ]


def runaway_mix() -> list[Request]:
    """What a runaway client sends: queries that can only end by the time limit (503), one every
    few seconds (each burns a CPU core until it is cut and its worker is replaced)."""
    return [sparql_post("runaway query (503)", RUNAWAY, expect=frozenset({503}), valid=False, pause=2.0)]


def attack_mix() -> list[Request]:
    """What an attacker sends (see docs/security.md): texts that once froze the form check, SERVICE
    hidden behind a carriage return, deep nesting, a dataset that is no IRI, an escape beyond Unicode,
    a ``javascript:`` IRI rendered as a page. Each must get its 4xx at once."""
    refused = frozenset({400})
    return [
        sparql_get("attack: 40 hashes", "#" * 40, expect=refused, valid=False),
        sparql_get("attack: banner and typo", "# banner\n" * 30 + "SELEC * WHERE { ?s ?p ?o }", expect=refused, valid=False),
        sparql_get("attack: SERVICE after CR", "SELECT * WHERE { #\r SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } \n}",
                   expect=frozenset({403}), valid=False),
        sparql_post("attack: deep nesting", "SELECT * WHERE " + "{" * 5000 + "}" * 5000, expect=refused, valid=False),
        sparql_get("attack: escape beyond Unicode", 'SELECT * WHERE { BIND("\\UFFFFFFFF" AS ?x) }', expect=refused, valid=False),
        Request("attack: dataset no IRI", "GET", "/sparql?query=ASK%7B%7D&default-graph-uri=a:b%20c%3E",
                expect=refused, valid=False),
        Request("attack: javascript IRI page", "GET", "/sparql?format=html&query=" + urllib.parse.quote(
            'SELECT ?x WHERE { BIND(IRI("javascript:alert(1)") AS ?x) }'), expect=frozenset({200}), valid=False),
    ]


def plans(clients: int, heavy_query: str, runaway: bool = True) -> list[list[Request]]:
    """One client in eight (at least one) sends runaway queries (each holds a query worker until it
    is cut), one the attack requests; the others the ordinary mix."""
    ordinary = mix(heavy_query)
    abusive = [runaway_mix()] * runaways(clients) + [attack_mix()] if runaway else []
    return abusive + [ordinary] * (clients - len(abusive))


def runaways(clients: int) -> int:
    return max(1, clients // 8)


def sources(url: str, clients: int) -> list[str | None] | None:
    """Against a server on 127.0.0.1, each runaway client comes from its own loopback address (so
    the server can tell it from the ordinary clients, as it would on a network)."""
    if urllib.parse.urlsplit(url).hostname != "127.0.0.1":
        return None
    return [f"127.0.0.{2 + i}" for i in range(runaways(clients))]


@dataclass
class Verdict:
    run: Run
    failures: list[str]

    @property
    def ok(self) -> bool:
        return not self.failures


def judge(run: Run, log_text: str = "", after_status: int | None = 200) -> Verdict:
    failures = []
    for result in run.results.values():
        for key, count in result.errors.items():
            failures.append(f"{result.name}: {count} x {key}")
        if any(500 <= s < 600 and s != 503 for s in result.statuses):
            failures.append(f"{result.name}: 5xx {dict(result.statuses)}")
    spawned = re.findall(r"Spawning worker-(\d+)", log_text)
    if log_text and (not spawned or len(spawned) != len(set(spawned))):
        failures.append(f"web workers spawned {len(spawned)} times for {len(set(spawned))} workers (one died or was killed)")
    if re.search(r"Unexpected exit from worker|Respawning worker", log_text):
        failures.append("Granian reports a web worker that exited and was respawned")
    if after_status != 200:
        failures.append(f"the server answered {after_status} to a cheap query right after the load")
    return Verdict(run, failures)


def heavy_query(project) -> str:
    from ..queries import catalogue

    return catalogue(project.queries_dir)["coverage"].bind({})


class SlowBodies:
    """``count`` connections that announce a 60 KB query and send one byte every few seconds, for as
    long as the load test runs: they must hold no thread the valid clients need."""

    def __init__(self, url: str, count: int):
        import threading

        parts = urllib.parse.urlsplit(url)
        self.address, self.count, self.stop = (parts.hostname, parts.port), count, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import socket

        while not self.stop.is_set():
            sockets = []
            try:
                for _ in range(self.count):
                    sock = socket.create_connection(self.address, timeout=5)
                    sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                                 b"\r\nContent-Length: 60000\r\n\r\nquery=")
                    sockets.append(sock)
                while not self.stop.wait(3):
                    for sock in sockets:
                        sock.sendall(b"S")
            except OSError:  # the server cut them at its body time limit: open new ones
                pass
            finally:
                for sock in sockets:
                    sock.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def main(url: str | None, clients: int, seconds: float, project, max_requests: int | None = None) -> int:
    """Run the load test against ``url`` or a server started here, with 20 slow-body connections
    open all along; print the table; 0 when it passed."""
    import urllib.request

    from .peers import SecKg

    server = None
    if not url:
        server = SecKg("--timeout", "5", "--query-workers", "3", "--threads", str(max(8, clients)), "--no-reasoning",
                       "--per-client", str(clients * 2),  # the driver's clients all share 127.0.0.1
                       home=project.root).start().wait()
        url = server.base
    try:
        with SlowBodies(url, 20):
            run = drive(url, plans(clients, heavy_query(project)), clients=clients, seconds=seconds,
                        max_requests=max_requests, timeout=30, sources=sources(url, clients))
        with urllib.request.urlopen(url + "/sparql?query=ASK%20%7B%7D", timeout=10) as answer:
            after = answer.status
        verdict = judge(run, server.log(full=True) if server else "", after)
    finally:
        if server:
            server.stop()
    print(run.table())
    print("PASS" if verdict.ok else "FAIL:\n  " + "\n  ".join(verdict.failures))
    return 0 if verdict.ok else 1
