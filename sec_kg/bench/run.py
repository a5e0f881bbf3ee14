"""``sec-kg bench``: the benchmark table at the report's size and at synthetic 10x/100x/1000x.

Per size: pyoxigraph load, rdflib parse (the same N-Quads), ``sec-kg serve`` start-up (ready to answer),
SHACL validation (report size), every canned query in-process (pyoxigraph, median/min/max over
repeats), HTTP at 8 clients (cheap query repeated and new each time, heavy query, resource page, Turtle dump) with requests/s
and p50/p99, every canned query over HTTP once (one client), and peak memory of the server. With
``--peers``: Oxigraph server and rdflib-endpoint on the same N-Quads and the same queries, started
here on 127.0.0.1 and stopped after, with ratios.
"""

from __future__ import annotations

import os
import platform
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .http import Request, drive, sparql_post
from .loadtest import CHEAP

HEAVY = "coverage"  # the canned query of the "heavy query" figure: a join over every State and block
LIMIT = 60.0  # default seconds one request may take before its figure is given up
BUDGET = 5  # a server's one-by-one pass stops sending queries after this many limits in all
SERVERS = ("sec-kg", "oxigraph", "rdflib-endpoint")
KINDS = ("cheap query", "cheap query, new text", "heavy query", "resource page", "turtle dump")
#: the figures every server is measured on, and compared by
QUERY_KINDS = KINDS[:3]


def _stats(values):
    return statistics.median(values), min(values), max(values)


def _fmt(values, unit="ms", scale=1000.0):
    med, lo, hi = _stats(values)
    return f"{med * scale:.1f} ({lo * scale:.1f}-{hi * scale:.1f}) {unit}"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1]
        mem = f"{int(mem) / 1024 / 1024:.1f} GB RAM"
    except (OSError, StopIteration):
        mem = ""
    return f"{os.cpu_count()} cores, {cpu}, {mem}, Linux {platform.release()}, Python {platform.python_version()}"


def _path(label: str) -> str:
    return {"sec-kg": "/sparql", "oxigraph": "/query"}.get(label, "/")


def _workloads(label: str, heavy: str) -> list[tuple[str, list[Request]]]:
    """The HTTP figures: the same queries on every server (the cheap one repeated, as a page's script
    or a dashboard asks it, and new each time; the heavy one new each time: its cost is evaluation),
    pages and dumps on sec-kg only."""
    kinds = [("cheap query", [sparql_post("cheap query", CHEAP, path=_path(label))]),
             ("cheap query, new text", [sparql_post("cheap query, new text", CHEAP, path=_path(label), new_text=True)]),
             ("heavy query", [sparql_post("heavy query", heavy, path=_path(label), new_text=True)])]
    if label == "sec-kg":
        kinds += [("resource page", [Request("resource page", "GET", "/id/institution/CO/colombian-family-welfare-institute",
                                             headers=(("Accept", "text/html"),))]),
                  ("turtle dump", [Request("turtle dump", "GET", "/data/all.ttl")])]
    return kinds


def _throughput(base: str, kind: str, mix: list[Request], seconds: float, limit: float) -> tuple:
    """(requests/s, p50 s, p99 s, errors[, note]) at 8 clients, after one probe request: a request
    that fails or takes seconds gives a one-request figure instead of minutes of load."""
    probe = drive(base, mix, clients=1, seconds=limit, max_requests=1, timeout=limit)
    single = probe.results[kind]
    if not single.latencies:
        reason = ", ".join(single.errors) or f"no answer in {limit:g} s"
        return 0.0, float("nan"), float("nan"), 0, reason
    if single.latencies[0] > 5:
        took = single.latencies[0]
        return 1 / took, took, took, 0, "1 sequential request"
    out = drive(base, mix, clients=8, seconds=seconds, timeout=limit, warmup=1)
    r = out.results[kind]
    return out.rps, r.percentile(50), r.percentile(99), sum(r.errors.values())


def _cell(v: tuple) -> str:
    return (f"{v[0]:.2f} req/s p50 {v[1] * 1000:.0f} ms p99 {v[2] * 1000:.0f} ms" + (f" ERRORS {v[3]}" if v[3] else "")
            + (f" [{v[4]}]" if len(v) > 4 else ""))


def _canned_pass(base: str, path: str, queries: dict[str, str], limit: float) -> dict[str, float | str]:
    """Every canned query once, one client: seconds, or why there is no figure."""
    spent, answers = 0.0, {}
    for name, text in queries.items():
        if spent > BUDGET * limit:
            answers[name] = "not sent"
            continue
        run = drive(base, [sparql_post(name, text, path=path)], clients=1, seconds=limit, max_requests=1, timeout=limit)
        result = run.results[name]
        spent += run.seconds
        answers[name] = result.latencies[0] if result.latencies else (", ".join(result.errors) or "no answer")
    return answers


def _canned_cell(answers: dict[str, float | str]) -> str:
    times = [v for v in answers.values() if isinstance(v, float)]
    missing = {n: v for n, v in answers.items() if not isinstance(v, float)}
    text = f"{len(times)}/{len(answers)} answered in {sum(times):.2f} s"
    if times:
        text += f", median {statistics.median(times) * 1000:.1f} ms"
    by_reason: dict[str, list[str]] = {}
    for name, reason in missing.items():
        by_reason.setdefault(reason, []).append(name)
    for reason, names in by_reason.items():
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        text += f"; {reason}: {shown}"
    return text


def _canned_ratio(ours: dict, peer: dict, limit: float) -> str:
    """How many times longer the peer takes for the pass than sec-kg, over the queries both were
    given; a query the peer did not answer in time counts as the limit, so the ratio is a floor."""
    both = [n for n in ours if isinstance(ours[n], float) and n in peer and peer[n] != "not sent"
            and (isinstance(peer[n], float) or peer[n].startswith("conn"))]
    late = sum(1 for n in both if not isinstance(peer[n], float))
    theirs = sum(peer[n] if isinstance(peer[n], float) else limit for n in both)
    return ("≥" if late else "") + f"{theirs / sum(ours[n] for n in both):.1f}x over {len(both)} queries"


def run(project, sizes: list[int], peers: bool, quick: bool, repeats: int | None = None, seconds: float | None = None,
        limit: float = LIMIT) -> int:
    import pyoxigraph as ox
    from rdflib import Dataset

    from ..artefact import prepare
    from ..queries import catalogue
    from . import synthetic
    from .peers import NotAvailable, Oxigraph, RdflibEndpoint, SecKg

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers started here (finally, atexit)
    repeats = repeats or (3 if quick else 5)
    seconds = seconds or (3.0 if quick else 5.0)
    queries = {name: q.bind({}) for name, q in catalogue(project.queries_dir).items()
               if not any(p.default is None for p in q.parameters)}
    print(f"# sec-kg bench on {machine()}")
    base = prepare(project).nquads(reason=False)
    rows = {}
    for size in sizes:
        scale = 0 if size == 1 else size
        data = base + synthetic.nquads(scale)
        triples = data.count(b"\n")
        print(f"\n## size {size}x: {triples} triples (real data + {scale} synthetic States)", flush=True)
        row = rows[size] = {"triples": triples}
        work = Path(tempfile.mkdtemp(prefix=f"sec-kg-bench-{size}-"))
        nq = work / "data.nq"
        nq.write_bytes(data)
        loads = []
        for _ in range(repeats):
            t = time.perf_counter()
            store = ox.Store()
            store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            loads.append(time.perf_counter() - t)
        row["load pyoxigraph"] = loads
        print(f"load, pyoxigraph: {_fmt(loads, 's', 1)}", flush=True)
        if triples <= 300_000 or not quick:
            t = time.perf_counter()
            Dataset().parse(data=data, format="nquads")
            row["load rdflib"] = [time.perf_counter() - t]
            print(f"load, rdflib: {row['load rdflib'][0]:.2f} s", flush=True)
        if size == 1:
            from ..validation import validate

            shacl = []
            for _ in range(min(repeats, 2)):
                t = time.perf_counter()
                validate(project)
                shacl.append(time.perf_counter() - t)
            row["shacl"] = shacl
            print(f"SHACL validation (parse + pyshacl): {_fmt(shacl, 's', 1)}", flush=True)
        per_query = {}
        for name, text in queries.items():
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                list(store.query(text, use_default_graph_as_union=True))
                times.append(time.perf_counter() - t)
            per_query[name] = times
        row["queries"] = per_query
        worst = max(per_query, key=lambda n: statistics.median(per_query[n]))
        print(f"canned queries in-process ({len(per_query)}): median of medians "
              f"{statistics.median(statistics.median(v) for v in per_query.values()) * 1000:.2f} ms; "
              f"slowest {worst} {_fmt(per_query[worst])}", flush=True)
        del store
        home = synthetic.write_project(work / "project", project.root, scale) if scale else None
        servers = [("sec-kg", lambda: SecKg("--no-reasoning", "--query-workers", "2", "--per-client", "64", home=home))]
        if peers:
            servers += [("oxigraph", lambda: Oxigraph(nq, timeout_s=None)), ("rdflib-endpoint", lambda: RdflibEndpoint(nq))]
        row["http"] = {}
        for label, make in servers:
            try:
                server = make()
            except NotAvailable as exc:
                print(f"{label}: skipped: {exc}")
                continue
            try:
                server.start().wait(1200)
                row["http"][label] = result = {"ready": server.ready_seconds + getattr(server, "load_seconds", 0.0),
                                               "PSS MB": server.pss_mb()}
                for kind, mix in _workloads(label, queries[HEAVY]):
                    result[kind] = _throughput(server.base, kind, mix, seconds, limit)
                result["canned"] = _canned_pass(server.base, _path(label), queries, limit)
                result["peak MB"] = server.peak_mb()
                line = "; ".join(f"{k}: {_cell(v)}" for k, v in result.items() if isinstance(v, tuple))
                print(f"{label}: ready in {result['ready']:.2f} s; {line}; canned queries one by one: "
                      f"{_canned_cell(result['canned'])}; peak memory {result['peak MB']:.0f} MB", flush=True)
            except RuntimeError as exc:
                print(f"{label}: failed: {str(exc)[:300]}")
            finally:
                server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(report(rows, sizes, limit))
    return 0


def report(rows, sizes, limit: float) -> str:
    """The summary table: one column per size, and how each figure grows."""
    def med(v):
        return statistics.median(v) if v else float("nan")

    lines = ["", "## summary (median; in-process over repeats, HTTP at 8 clients)", ""]
    header = "| figure | " + " | ".join(f"{s}x ({rows[s]['triples']:,} triples)" for s in sizes) + " |"
    lines += [header, "|" + " --- |" * (len(sizes) + 1)]

    def add(label, getter, fmt):
        cells = []
        for s in sizes:
            try:
                cells.append(fmt(getter(rows[s])))
            except (KeyError, TypeError, ValueError, ZeroDivisionError):
                cells.append("—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    add("load N-Quads, pyoxigraph", lambda r: med(r["load pyoxigraph"]), lambda v: f"{v:.2f} s")
    add("load N-Quads, rdflib", lambda r: med(r["load rdflib"]), lambda v: f"{v:.2f} s")
    add("SHACL validation", lambda r: med(r["shacl"]), lambda v: f"{v:.2f} s")
    add("canned queries, median of medians", lambda r: med([med(v) for v in r["queries"].values()]), lambda v: f"{v * 1000:.2f} ms")
    add("canned queries, slowest median", lambda r: max(med(v) for v in r["queries"].values()), lambda v: f"{v * 1000:.1f} ms")
    for server in SERVERS:
        add(f"{server}: ready after start", lambda r, s=server: r["http"][s]["ready"], lambda v: f"{v:.2f} s")
        for kind in KINDS:
            add(f"{server}: {kind} req/s (p50/p99 ms)", lambda r, s=server, k=kind: r["http"][s][k],
                lambda v: (f"{v[0]:.2f} ({v[1] * 1000:.0f}/{v[2] * 1000:.0f})" + (f" {v[3]} errors" if v[3] else "")
                           + (f" [{v[4]}]" if len(v) > 4 else "")))
        add(f"{server}: canned queries one by one", lambda r, s=server: r["http"][s]["canned"], _canned_cell)
        add(f"{server}: memory at rest (PSS)", lambda r, s=server: r["http"][s]["PSS MB"], lambda v: f"{v:.0f} MB")
        add(f"{server}: peak memory", lambda r, s=server: r["http"][s]["peak MB"], lambda v: f"{v:.0f} MB")
    for peer in SERVERS[1:]:
        for kind in QUERY_KINDS:
            add(f"ratio sec-kg / {peer}, {kind} req/s", lambda r, k=kind, p=peer: r["http"]["sec-kg"][k][0] / r["http"][p][k][0],
                lambda v: f"{v:.2f}x")
        add(f"ratio {peer} / sec-kg, time for the canned queries one by one",
            lambda r, p=peer: _canned_ratio(r["http"]["sec-kg"]["canned"], r["http"][p]["canned"], limit), str)
    lines += ["", "## every canned query in-process, pyoxigraph (median (min-max) ms)", ""]
    names = sorted({n for s in sizes for n in rows[s].get("queries", {})})
    lines += ["| query | " + " | ".join(f"{s}x" for s in sizes) + " |", "|" + " --- |" * (len(sizes) + 1)]
    for name in names:
        cells = []
        for s in sizes:
            v = rows[s].get("queries", {}).get(name)
            cells.append(f"{med(v) * 1000:.2f} ({min(v) * 1000:.2f}-{max(v) * 1000:.2f})" if v else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    ends = sorted({sizes[0], sizes[-1]})
    columns = [(s, server) for s in ends for server in SERVERS if server in rows[s].get("http", {})]
    lines += ["", "## every canned query over HTTP, one by one (ms)", "",
              "| query | " + " | ".join(f"{server} {s}x" for s, server in columns) + " |", "|" + " --- |" * (len(columns) + 1)]
    for name in names:
        cells = []
        for s, server in columns:
            v = rows[s]["http"][server]["canned"].get(name)
            cells.append(f"{v * 1000:.1f}" if isinstance(v, float) else (v or "—"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
