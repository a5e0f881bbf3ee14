"""The embedded store: the bundled data in pyoxigraph, queried in a pool of killable processes.

pyoxigraph cannot cancel a running query, so each query runs in a query process
(``sec_kg.store.worker``); one that overruns the time limit is killed and replaced in the
background while the others keep answering. Query processes are forked from one data holder
(``DataHolder``), which loaded the graph once: every pool of a server (one per web worker)
shares that single copy.

The processes are shared fairly (``Admission``): the service's own queries (pages, canned
queries, dumps) go first, then clients in good standing; a client whose queries ran into the
time limit again and again may not take the last ``reserve`` free processes, and is told to
come back later rather than wait long. So a few clients sending runaway queries slow
themselves down, not everybody. (How many queries one client may send at once is limited
before a request reaches a thread: ``sec_kg.gateway``.)
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from collections import OrderedDict
from dataclasses import dataclass

from ..oxi import decode
from ..querytext import ASK, QueryText
from . import (Limits, QueryDataset, QueryError, QueryRefused, QueryTimeout, Serialized, Solutions, Store,
               StoreUnavailable, Triples)
from . import worker as worker_module


@dataclass
class _Process:
    pid: int
    conn: Connection

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # already ended
        self.conn.close()


class DataHolder:
    """The process that loads the data once and forks query processes for any pool that connects to
    ``address`` (a Unix socket in a private directory). Made before the web workers start; stopped
    with ``close``, and by the kernel if the process that made it dies."""

    def __init__(self, nquads: bytes, limits: Limits = Limits()):
        self._directory = tempfile.mkdtemp(prefix="sec-kg-")  # mode 0700: only this user connects
        self.address = os.path.join(self._directory, "query-processes")
        context = multiprocessing.get_context("spawn")  # a clean process: no threads to fork with
        ready, child = context.Pipe(duplex=False)
        self._process = context.Process(target=worker_module.hold, name="sec-kg-data", daemon=True,
                                        args=(child, self.address, nquads, limits.query_memory, limits.allow_service))
        self._process.start()
        child.close()
        try:
            status, detail = ready.recv()
        except EOFError:
            status, detail = "failed", f"exit code {self._process.exitcode}"
        if status != "ready":
            self.close()
            raise StoreUnavailable(f"the data holder could not start: {detail}")

    @property
    def pid(self) -> int:
        return self._process.pid

    def close(self) -> None:
        self._process.kill()
        self._process.join()
        shutil.rmtree(self._directory, ignore_errors=True)


class Admission:
    """Which waiting query gets the next free query process.

    Waiting queries are served in order of (standing, arrival): the service's own queries,
    then clients in good standing, then penalised clients — those with ``strikes`` queries cut
    at the time limit in the last ``penalty`` seconds (one slow query is no offence). A
    penalised client may not take one of the last ``reserve`` free processes.

    A query in good standing waits up to twice the time limit: every busy process is free again
    by then (its query answered, or cut and replaced), so runaway queries sent before their
    clients are penalised delay the others but do not get them refused.
    """

    SERVICE, GOOD, PENALISED = 0, 1, 2
    #: how long a penalised client's query waits for a process before it is told to come back later:
    #: short, so that its waiting requests do not hold the web worker's threads
    PENALISED_WAIT = 1.0

    def __init__(self, reserve: int, penalty: float = 60.0, strikes: int = 2, remembered: int = 10000):
        self.reserve, self.penalty, self.strikes = reserve, penalty, strikes
        self._idle: list[_Process] = []
        self._waiting: set[tuple[int, int]] = set()
        self._cuts: OrderedDict[str, list[float]] = OrderedDict()  # client -> when its recent queries were cut
        self._remembered = remembered
        self._order = itertools.count()
        self._changed = threading.Condition()

    def standing(self, client: str | None) -> int:
        if client is None:
            return self.SERVICE
        recent = [t for t in self._cuts.get(client, ()) if time.monotonic() - t < self.penalty]
        return self.PENALISED if len(recent) >= self.strikes else self.GOOD

    def release(self, process: _Process) -> None:
        with self._changed:
            self._idle.append(process)
            self._changed.notify_all()

    def acquire(self, client: str | None, timeout: float) -> _Process:
        with self._changed:
            ticket = (self.standing(client), next(self._order))
            penalised = ticket[0] == self.PENALISED
            wait = min(timeout, self.PENALISED_WAIT) if penalised else 2 * timeout
            deadline = time.monotonic() + wait
            self._waiting.add(ticket)
            try:
                while True:
                    if self._idle and ticket == min(self._waiting) and (
                            ticket[0] != self.PENALISED or len(self._idle) > self.reserve):
                        self._waiting.discard(ticket)
                        self._changed.notify_all()
                        return self._idle.pop()
                    left = deadline - time.monotonic()
                    if left <= 0 and penalised:
                        raise QueryRefused(503, "the service is busy, and your recent queries ran into the time "
                                                "limit: try again later, or make the query cheaper", retry_after=5)
                    if left <= 0:
                        raise QueryTimeout(f"all query processes stayed busy for {wait:g} s; try again")
                    self._changed.wait(left)
            except BaseException:
                self._waiting.discard(ticket)
                self._changed.notify_all()
                raise

    def cut(self, client: str | None) -> None:
        """A query of ``client`` ran into the time limit."""
        if client is None:
            return
        with self._changed:
            now = time.monotonic()
            self._cuts[client] = [t for t in self._cuts.get(client, ()) if now - t < self.penalty] + [now]
            self._cuts.move_to_end(client)
            while len(self._cuts) > self._remembered:
                self._cuts.popitem(last=False)

    def drain(self) -> list[_Process]:
        with self._changed:
            idle, self._idle = self._idle, []
            return idle


class EmbeddedStore(Store):
    """The bundled data in pyoxigraph, queried in ``workers`` killable processes forked from a data
    holder: its own, made from ``nquads``, or a shared one at ``holder`` (the address of a
    ``DataHolder`` another process made)."""

    def __init__(self, nquads: bytes | None = None, limits: Limits = Limits(), *, workers: int = 2, reserve: int = 1,
                 holder: str | None = None):
        super().__init__(limits)
        self._own_holder = DataHolder(nquads, limits) if holder is None else None
        self._holder = holder or self._own_holder.address
        self._admission = Admission(min(reserve, workers - 1))
        self._closed = False
        self._started: dict[int, _Process] = {}  # every live process of this pool, to stop them all on close
        for _ in range(workers):
            self._admission.release(self._start())

    def _start(self) -> _Process:
        """A new query process, forked by the data holder, ready to answer."""
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(self._holder)
        except OSError as exc:
            connection.close()
            raise StoreUnavailable(f"the data holder does not answer: {exc}") from None
        conn = Connection(connection.detach())
        try:
            status, pid, _ = conn.recv()
        except (EOFError, OSError):
            conn.close()
            raise StoreUnavailable("the data holder stopped") from None
        if status != "ready":
            conn.close()
            raise StoreUnavailable(f"a query process could not start (exit {pid})")
        process = _Process(pid, conn)
        self._started[pid] = process
        return process

    def _replace(self, process: _Process) -> None:
        """Kill a process (overrun, broken or retired) and put a fresh one in the pool, off the request thread."""
        process.kill()
        self._started.pop(process.pid, None)

        def respawn():
            try:
                if not self._closed:
                    self._admission.release(self._start())
            except StoreUnavailable:
                if not self._closed:
                    raise

        threading.Thread(target=respawn, daemon=True, name="sec-kg-respawn").start()

    def _run(self, query: QueryText, dataset: QueryDataset, cap, fmt, timeout, client, base_iri=None):
        max_bytes = None if cap is None else self.limits.max_bytes
        process = self._admission.acquire(client, timeout)
        deadline = time.monotonic() + timeout
        try:
            process.conn.send((query.text, query.form, list(dataset.default_graphs), list(dataset.named_graphs),
                               cap, max_bytes, fmt, base_iri, timeout))
            if not process.conn.poll(max(0.0, deadline - time.monotonic())):
                self._admission.cut(client)
                self._replace(process)
                raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s and was stopped")
            status, payload, retire = process.conn.recv()
        except (EOFError, OSError):
            self._replace(process)
            raise StoreUnavailable("the query process could not be reached; try again") from None
        if status == "ended":  # the data holder's word on how the process died
            self._replace(process)
            if payload == -signal.SIGABRT:  # the engine could not allocate within the address-space limit
                raise self._over_memory()
            raise StoreUnavailable(f"the query process crashed (exit {payload}); try again")
        if retire or status == "memory":
            self._replace(process)
        else:
            self._admission.release(process)
        if status == "memory":
            raise self._over_memory()
        if status == "bad":
            raise QueryError(payload)
        if query.form == ASK:
            return payload
        kind, *rest = payload
        if kind == "serialized":
            return Serialized(*rest)
        if kind == "solutions":
            variables, rows, truncated = rest
            return Solutions(variables, [{k: decode(v) for k, v in row.items()} for row in rows], truncated)
        return Triples(*rest)

    def _over_memory(self) -> QueryRefused:
        return QueryRefused(503, "the query needed more memory than the limit of "
                                 f"{self.limits.query_memory // 2**20} MiB a query and was stopped")

    def close(self) -> None:
        """Stop every query process of this pool, idle or busy, and the data holder if it is its own."""
        self._closed = True
        self._admission.drain()
        for started in list(self._started.values()):
            started.kill()
        self._started.clear()
        if self._own_holder is not None:
            self._own_holder.close()
