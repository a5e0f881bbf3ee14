"""A query process of the embedded store: it loads the data once, locks itself down, then answers
queries sent down a pipe until the pipe closes.

Locked down before it reads any query:

- no network: a seccomp filter makes every ``socket()`` call other than a Unix socket fail
  (and ``io_uring``, which could open one behind the filter's back), so ``SERVICE`` cannot
  reach any host even if a query slipped past ``sec_kg.querytext`` — unless the operator
  turned federation on;
- bounded memory: an address-space limit of the loaded data plus ``Limits.query_memory``;
  a query that needs more makes the process fail, and the pool answers 503 and replaces it.

A process that has grown by more than half its allowance retires after answering, so that
memory one query took is given back to the system.
"""

from __future__ import annotations

import errno
import os
import re
import resource
import socket

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..querytext import ASK, SELECT
from .answers import GRAPH_FORMATS, RESULTS_FORMATS, capped, serialize_graph, serialize_solutions

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


def _encode(term):
    """A pyoxigraph term as a plain tuple (cheap to pickle, no rdflib in the process)."""
    if isinstance(term, ox.NamedNode):
        return ("u", term.value)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if isinstance(term, ox.Literal):
        return ("l", term.value, term.datatype.value, term.language)
    return ("l", str(term), None, None)  # an RDF-star triple term: shown as text


def syntax_message(error: str) -> str:
    """pyoxigraph's "error at 3:5: expected one of ..." as "malformed query at line 3, column 5: ...",
    cut to one short line (its list of expected tokens spells out Unicode ranges)."""
    where = re.match(r"error at (\d+):(\d+): ", error)
    place = f" at line {where[1]}, column {where[2]}" if where else ""
    first = (error[where.end():] if where else error).splitlines() or ["syntax error"]
    return f"malformed query{place}: " + (first[0] if len(first[0]) <= 200 else first[0][:200] + "...")


def _answer(store: ox.Store, request: tuple):
    text, form, default_graphs, named_graphs, cap, max_bytes, fmt, base_iri = request
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
    if form == SELECT and fmt in RESULTS_FORMATS:
        return ("serialized",) + serialize_solutions(result, fmt, cap, max_bytes)
    if form == SELECT:
        variables = [v.value for v in result.variables]
        rows, truncated = capped(({v: _encode(solution[v]) for v in variables if solution[v] is not None}
                                  for solution in result), cap)
        return ("solutions", variables, rows, truncated)
    body, truncated = serialize_graph(result, fmt if fmt in GRAPH_FORMATS else "ntriples", cap, max_bytes)
    return ("serialized" if fmt in GRAPH_FORMATS else "triples", body, truncated)


def main(conn, nquads: bytes, query_memory: int, allow_network: bool) -> None:
    """Load, lock down, then answer ``(text, form, default graphs, named graphs, cap, max bytes, fmt, base IRI)``
    requests with ``(status, payload, retire)`` until the pipe closes."""
    try:
        if not allow_network:
            forbid_network()
        store = ox.Store()
        store.load(nquads, format=ox.RdfFormat.N_QUADS)
        del nquads
        resource.setrlimit(resource.RLIMIT_AS, (_address_space_bytes() + query_memory,) * 2)
    except (OSError, SyntaxError, ValueError) as exc:
        conn.send(("failed", str(exc)))
        return
    baseline = _resident_bytes()
    conn.send(("ready", baseline))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return  # the server went away
        try:
            reply = ("ok", _answer(store, request))
        except SyntaxError as exc:
            reply = ("bad", syntax_message(str(exc)))
        except MemoryError:
            reply = ("memory", None)
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            reply = ("bad", f"query failed: {exc}")
            baseline = -query_memory  # an evaluation error may leave the engine unsure: retire this process
        retire = _resident_bytes() - baseline > query_memory // 2
        try:
            conn.send(reply + (retire,))
        except MemoryError:
            conn.send(("memory", None, True))
        if retire:
            return
