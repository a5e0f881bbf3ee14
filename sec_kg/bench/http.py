"""A small HTTP load driver: N client threads, each with its own keep-alive connection, cycling
through a mix of requests for a fixed time (or request budget); latencies, statuses and errors.

Standard library only (``http.client``), so it adds no dependency and little overhead per request.
"""

from __future__ import annotations

import http.client
import itertools
import statistics
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    """One kind of request; ``expect`` is the set of statuses that count as a correct answer."""

    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    expect: frozenset = frozenset({200})
    valid: bool = True  # a valid request must always be answered as expected
    pause: float = 0.0  # seconds the client waits after this request
    #: a query made new at every sending (a numbered comment line appended to the form-encoded query,
    #: the last field of the body or URL), so that no answer kept from an earlier request can serve it
    new_text: bool = False

    def sent(self, client: int, count: int) -> tuple[str, bytes | None]:
        """The target and body of this request as the client's ``count``-th sending."""
        if not self.new_text:
            return self.path, self.body
        comment = f"%0A%23+{client}.{count}"
        return (self.path + comment, self.body) if self.body is None else (self.path, self.body + comment.encode())


def sparql_get(name: str, query: str, accept: str = "application/sparql-results+json", **kw) -> Request:
    return Request(name, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers=(("Accept", accept),), **kw)


def sparql_post(name: str, query: str, path: str = "/sparql", accept: str = "application/sparql-results+json", **kw) -> Request:
    return Request(name, "POST", path, body=urllib.parse.urlencode({"query": query}).encode(),
                   headers=(("Accept", accept), ("Content-Type", "application/x-www-form-urlencoded")), **kw)


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, of answers as expected
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # unexpected status or connection error -> count
    tracebacks: int = 0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@dataclass
class Run:
    seconds: float
    clients: int
    results: dict[str, Result]

    @property
    def total(self) -> int:
        return sum(sum(r.statuses.values()) + sum(v for k, v in r.errors.items() if k.startswith("conn")) for r in self.results.values())

    @property
    def rps(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0

    def all_latencies(self) -> list[float]:
        return [x for r in self.results.values() for x in r.latencies]

    def percentile(self, p: float) -> float:
        merged = Result("all", self.all_latencies())
        return merged.percentile(p)

    def errors(self) -> Counter:
        found = Counter()
        for r in self.results.values():
            for key, count in r.errors.items():
                found[f"{r.name}: {key}"] += count
        return found

    def table(self) -> str:
        lines = [f"{'request':<22} {'count':>7} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}  statuses / errors"]
        for r in self.results.values():
            statuses = " ".join(f"{k}x{v}" for k, v in sorted(r.statuses.items()))
            errors = " ".join(f"{k}x{v}" for k, v in r.errors.items())
            lines.append(f"{r.name:<22} {sum(r.statuses.values()):>7} {r.percentile(50) * 1000:>8.1f} "
                         f"{r.percentile(90) * 1000:>8.1f} {r.percentile(99) * 1000:>8.1f}  {statuses}"
                         + (f"  ERRORS {errors}" if errors else ""))
        lines.append(f"total: {self.total} requests in {self.seconds:.1f} s at {self.clients} clients = "
                     f"{self.rps:.1f} requests/s; p50 {self.percentile(50) * 1000:.1f} ms, "
                     f"p99 {self.percentile(99) * 1000:.1f} ms; errors {sum(self.errors().values())}")
        return "\n".join(lines)


def _connection(base: str, timeout: float, source: str | None = None) -> http.client.HTTPConnection:
    parts = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout,
                                      source_address=(source, 0) if source else None)


def drive(base: str, mix: list[Request] | list[list[Request]], *, clients: int = 8, seconds: float = 10.0,
          max_requests: int | None = None, timeout: float = 30.0, warmup: int = 0,
          sources: list[str | None] | None = None) -> Run:
    """Run ``clients`` threads against ``base`` for ``seconds`` (or until ``max_requests``).

    ``mix`` is one list of requests all clients cycle through (each from a different offset), or one
    list per client (e.g. one client that only sends runaway queries). ``sources`` gives a client its
    own loopback address (127.0.0.N), so that the server tells the clients apart."""
    plans = mix if mix and isinstance(mix[0], list) else [mix] * clients
    results = {r.name: Result(r.name) for plan in plans for r in plan}
    lock = threading.Lock()
    budget = itertools.count()
    prefix = urllib.parse.urlsplit(base).path.rstrip("/")

    def client(index: int, plan: list[Request]):
        source = sources[index] if sources and index < len(sources) else None
        conn = _connection(base, timeout, source)
        local = {name: Result(name) for name in results}
        sequence = itertools.islice(itertools.cycle(plan), index % len(plan), None)
        sent = itertools.count()
        for _ in range(warmup):
            request = next(sequence)
            try:
                path, body = request.sent(index, next(sent))
                conn.request(request.method, prefix + path, body=body, headers=dict(request.headers))
                conn.getresponse().read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = _connection(base, timeout, source)
        start_line.wait()
        while time.perf_counter() < deadline:
            if max_requests is not None and next(budget) >= max_requests:
                break
            request = next(sequence)
            result = local[request.name]
            path, body = request.sent(index, next(sent))
            started = time.perf_counter()
            try:
                try:
                    conn.request(request.method, prefix + path, body=body, headers=dict(request.headers))
                    answer = conn.getresponse()
                except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                    conn.close()  # the server closed the idle keep-alive connection: reconnect once, as clients do
                    conn = _connection(base, timeout, source)
                    started = time.perf_counter()
                    conn.request(request.method, prefix + path, body=body, headers=dict(request.headers))
                    answer = conn.getresponse()
                body = answer.read()
                elapsed = time.perf_counter() - started
                result.statuses[answer.status] += 1
                if b"Traceback (most recent call last)" in body:
                    result.tracebacks += 1
                    result.errors["traceback in body"] += 1
                if answer.status in request.expect:
                    result.latencies.append(elapsed)
                else:
                    result.errors[f"status {answer.status}"] += 1
                if answer.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = _connection(base, timeout, source)
                if request.pause:
                    time.sleep(request.pause)
            except (OSError, http.client.HTTPException) as exc:
                result.errors[f"conn {type(exc).__name__}"] += 1
                conn.close()
                conn = _connection(base, timeout, source)
        conn.close()
        with lock:
            for name, r in local.items():
                results[name].latencies += r.latencies
                results[name].statuses.update(r.statuses)
                results[name].errors.update(r.errors)
                results[name].tracebacks += r.tracebacks

    start_line = threading.Event()
    deadline = float("inf")
    threads = [threading.Thread(target=client, args=(i, plans[i % len(plans)]), daemon=True)
               for i in range(max(clients, len(plans) if isinstance(mix[0], list) else clients))]
    for thread in threads:
        thread.start()
    time.sleep(0.05 + 0.01 * warmup)
    started = time.perf_counter()
    deadline = started + seconds
    start_line.set()
    for thread in threads:
        thread.join(seconds + timeout + 10)
    return Run(time.perf_counter() - started, len(threads), results)


def summary(values: list[float]) -> tuple[float, float, float]:
    """(median, min, max)."""
    return statistics.median(values), min(values), max(values)
