"""The query processes of the embedded store, and the one process that holds the data for them.

The data holder (``hold``) loads the graph once, locks itself down, and listens on a Unix
socket; for each connection it forks a query process, which shares the loaded graph with it
copy-on-write (pyoxigraph keeps the graph outside Python's objects, so reading it copies no
pages). So however many web workers and query processes a server runs, the graph is in memory
once, and a process killed at the time limit is replaced by a fork in milliseconds instead of a
reload. The holder reaps its children and tells the connection how a child ended (a signal, an
exit code), so the pool can tell a memory failure from a crash.

Locked down before any query is read:

- no network: a seccomp filter makes every ``socket()`` call other than a Unix socket fail
  (and ``io_uring``, which could open one behind the filter's back), so ``SERVICE`` cannot
  reach any host even if a query slipped past ``sec_kg.querytext`` — unless the operator
  turned federation on;
- bounded memory: an address-space limit of the loaded data plus ``Limits.query_memory``;
  a query that needs more makes the process fail, and the pool answers 503 and replaces it.

A process that has grown by more than half its allowance retires after answering, so that
memory one query took is given back to the system. A query process also stops itself (SIGALRM)
a little after its query's time limit, should the pool that sent the query be gone.
"""

from __future__ import annotations

import ctypes
import errno
import gc
import math
import os
import re
import resource
import selectors
import signal
import socket
from multiprocessing.connection import Connection

import pyoxigraph as ox

from ..formats import is_graph, is_result
from ..namespaces import PREFIXES
from ..oxi import encode
from ..querytext import ASK, SELECT
from .answers import capped, serialize_graph, serialize_solutions

_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


class SandboxUnavailable(OSError):
    """The kernel or libseccomp cannot filter system calls here."""


def forbid_network() -> None:
    """Make this process unable to open network sockets (seccomp; inherited by any child)."""
    try:
        import pyseccomp as seccomp

        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
            rules.add_rule(seccomp.ERRNO(errno.ENOSYS), call)
        rules.load()
    except Exception as exc:  # no libseccomp, or a kernel without seccomp: say so, never run unfiltered
        raise SandboxUnavailable(f"cannot forbid network access to query processes: {exc}") from exc


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _address_space_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def syntax_message(error: str) -> str:
    """pyoxigraph's "error at 3:5: expected one of ..." as "malformed query at line 3, column 5: ...",
    cut to one short line (its list of expected tokens spells out Unicode ranges)."""
    where = re.match(r"error at (\d+):(\d+): ", error)
    place = f" at line {where[1]}, column {where[2]}" if where else ""
    first = (error[where.end():] if where else error).splitlines() or ["syntax error"]
    return f"malformed query{place}: " + (first[0] if len(first[0]) <= 200 else first[0][:200] + "...")


def _answer(store: ox.Store, request: tuple):
    text, form, default_graphs, named_graphs, cap, max_bytes, fmt, base_iri, _timeout = request
    options = {"prefixes": _PREFIXES, "base_iri": base_iri}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    result = store.query(text, **options)
    if form == ASK:
        return bool(result)
    if form == SELECT and is_result(fmt):
        return ("serialized",) + serialize_solutions(result, fmt, cap, max_bytes)
    if form == SELECT:
        variables = [v.value for v in result.variables]
        rows, truncated = capped(({v: encode(solution[v]) for v in variables if solution[v] is not None}
                                  for solution in result), cap)
        return ("solutions", variables, rows, truncated)
    body, truncated = serialize_graph(result, fmt if is_graph(fmt) else "ntriples", cap, max_bytes)
    return ("serialized" if is_graph(fmt) else "triples", body, truncated)


#: a query process outlives its query's time limit by this much before it stops itself
GRACE_SECONDS = 2
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent ends (Linux ``prctl``)."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def hold(ready, address: str, nquads: bytes, query_memory: int, allow_network: bool) -> None:
    """The data holder: load ``nquads``, lock down, send ``("ready", None)`` (or ``("failed", why)``)
    on ``ready``, then fork a query process for each connection to ``address`` until killed."""
    _die_with_parent()
    try:
        if not allow_network:
            forbid_network()
        store = ox.Store()
        store.load(nquads, format=ox.RdfFormat.N_QUADS)
        del nquads
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(address)
        listener.listen(64)
    except (OSError, SyntaxError, ValueError) as exc:
        ready.send(("failed", str(exc)))
        return
    gc.collect()
    gc.freeze()  # keep the collector from touching (and so copying) the objects every fork shares
    ready.send(("ready", None))
    ready.close()
    children: dict[int, socket.socket] = {}  # pid of a query process -> the holder's end of its connection
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ)
    while True:
        for key, _ in events.select():
            if key.fileobj is listener:
                connection, _ = listener.accept()
                pid = os.fork()
                if pid == 0:  # the query process: keep only its own connection
                    events.close()
                    listener.close()
                    for handle, sibling in children.items():
                        os.close(handle)
                        sibling.close()
                    _query_process(store, Connection(connection.detach()), query_memory)
                    os._exit(0)
                handle = os.pidfd_open(pid)
                children[handle] = connection
                events.register(handle, selectors.EVENT_READ)
            else:
                _reap(key.fileobj, children.pop(key.fileobj))
                events.unregister(key.fileobj)


def _reap(handle: int, connection: socket.socket) -> None:
    """Collect an ended query process and tell its connection how it ended (as multiprocessing
    reports exit codes: a signal as its negative number)."""
    info = os.waitid(os.P_PIDFD, handle, os.WEXITED)
    os.close(handle)
    code = -info.si_status if info.si_code in (os.CLD_KILLED, os.CLD_DUMPED) else info.si_status
    reply = Connection(connection.detach())
    try:
        reply.send(("ended", code, True))
    except OSError:
        pass  # the pool closed its end first
    reply.close()


def _query_process(store: ox.Store, conn: Connection, query_memory: int) -> None:
    """Answer ``(text, form, default graphs, named graphs, cap, max bytes, fmt, base IRI, timeout)``
    requests with ``(status, payload, retire)`` until the connection closes."""
    _die_with_parent()
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_AS, (_address_space_bytes() + query_memory,) * 2)
    baseline = _resident_bytes()
    conn.send(("ready", os.getpid(), False))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return  # the pool went away
        signal.alarm(math.ceil(request[-1]) + GRACE_SECONDS)
        try:
            reply = ("ok", _answer(store, request))
        except SyntaxError as exc:
            reply = ("bad", syntax_message(str(exc)))
        except MemoryError:
            reply = ("memory", None)
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            reply = ("bad", f"query failed: {exc}")
            baseline = -query_memory  # an evaluation error may leave the engine unsure: retire this process
        signal.alarm(0)
        retire = _resident_bytes() - baseline > query_memory // 2
        try:
            conn.send(reply + (retire,))
        except MemoryError:
            conn.send(("memory", None, True))
        if retire:
            return
