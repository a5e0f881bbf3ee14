"""``sec-kg bench``: the benchmark table at the report's size and at synthetic 10x/100x/1000x.

Per size: pyoxigraph load, rdflib parse (the same N-Quads), ``sec-kg serve`` start-up (ready to answer),
SHACL validation (report size), every canned query in-process (pyoxigraph, median/min/max over
repeats), HTTP at 8 clients (cheap query, heavy query, resource page, Turtle dump) with requests/s
and p50/p99, and peak memory of the server. With ``--peers``: Oxigraph server and rdflib-endpoint on
the same N-Quads and the same queries, started here on 127.0.0.1 and stopped after, with ratios.
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from .http import drive, sparql_post
from .loadtest import CHEAP


PROBE_LIMIT = 180.0  # seconds one request of a peer may take before the figure is given up


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


def run(project, sizes: list[int], peers: bool, quick: bool, repeats: int = 5, seconds: float = 5.0) -> int:
    import pyoxigraph as ox
    from rdflib import Dataset

    from ..build import served_nquads
    from ..queries import catalogue
    from . import synthetic
    from .peers import NotAvailable, Oxigraph, RdflibEndpoint, SecKg

    import signal
    import sys

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers started here (finally, atexit)
    if quick:
        repeats, seconds = 3, 3.0
    queries = {name: q.bind({}) for name, q in catalogue(project.queries_dir).items()
               if not any(p.default is None for p in q.parameters)}
    heavy_name = "coverage"
    print(f"# sec-kg bench on {machine()}")
    base = served_nquads(project, reason=False)
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
        servers = [("sec-kg", lambda: SecKg("--no-reasoning", "--query-workers", "2", home=home))]
        if peers:
            servers += [("oxigraph", lambda: Oxigraph(nq)), ("rdflib-endpoint", lambda: RdflibEndpoint(nq))]
        row["http"] = {}
        for label, make in servers:
            try:
                server = make()
            except NotAvailable as exc:
                print(f"{label}: skipped: {exc}")
                continue
            try:
                server.start().wait(1200)
                ready = server.ready_seconds + getattr(server, "load_seconds", 0.0)
                result = {"ready": ready}
                path = "/sparql" if label == "sec-kg" else ("/query" if label == "oxigraph" else "/")
                kinds = [("cheap query", [sparql_post("cheap query", CHEAP, path=path)]),
                         ("heavy query", [sparql_post("heavy query", queries[heavy_name], path=path)])]
                if label == "sec-kg":
                    from .http import Request

                    kinds += [("resource page", [Request("resource page", "GET", "/id/institution/CO/colombian-family-welfare-institute",
                                                         headers=(("Accept", "text/html"),))]),
                              ("turtle dump", [Request("turtle dump", "GET", "/data/all.ttl")])]
                for kind, mix in kinds:
                    budget = seconds if label != "rdflib-endpoint" else min(seconds, 5.0)
                    probe = drive(server.base, mix, clients=1, seconds=PROBE_LIMIT, max_requests=1, timeout=PROBE_LIMIT)
                    single = probe.results[kind].latencies
                    if not single:  # no answer within the limit: at most 1/limit requests/s
                        result[kind] = (0.0, float("nan"), float("nan"), 0, f"no answer in {PROBE_LIMIT:g} s")
                        continue
                    if single[0] > 5:  # a request takes seconds: one sequential figure, an upper bound
                        result[kind] = (1 / single[0], single[0], single[0], 0, "1 sequential request")
                        continue
                    out = drive(server.base, mix, clients=8, seconds=budget, timeout=120, warmup=1)
                    r = out.results[kind]
                    result[kind] = (out.rps, r.percentile(50), r.percentile(99), sum(r.errors.values()))
                result["peak MB"] = server.peak_mb()
                row["http"][label] = result
                line = "; ".join(f"{k}: {v[0]:.2f} req/s p50 {v[1] * 1000:.0f} ms p99 {v[2] * 1000:.0f} ms"
                                 + (f" ERRORS {v[3]}" if v[3] else "") + (f" [{v[4]}]" if len(v) > 4 else "")
                                 for k, v in result.items() if isinstance(v, tuple))
                print(f"{label}: ready in {ready:.2f} s; {line}; peak memory {result['peak MB']:.0f} MB", flush=True)
            except RuntimeError as exc:
                print(f"{label}: failed: {str(exc)[:300]}")
            finally:
                server.stop()
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    print(report(rows, sizes))
    return 0


def report(rows, sizes) -> str:
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
    for server in ("sec-kg", "oxigraph", "rdflib-endpoint"):
        add(f"{server}: ready after start", lambda r, s=server: r["http"][s]["ready"], lambda v: f"{v:.2f} s")
        for kind in ("cheap query", "heavy query", "resource page", "turtle dump"):
            add(f"{server}: {kind} req/s (p50/p99 ms)", lambda r, s=server, k=kind: r["http"][s][k],
                lambda v: (f"{v[0]:.2f} ({v[1] * 1000:.0f}/{v[2] * 1000:.0f})" + (f" {v[3]} errors" if v[3] else "")
                           + (f" [{v[4]}]" if len(v) > 4 else "")))
        add(f"{server}: peak memory", lambda r, s=server: r["http"][s]["peak MB"], lambda v: f"{v:.0f} MB")
    for kind in ("cheap query", "heavy query"):
        add(f"ratio sec-kg / rdflib-endpoint, {kind}", lambda r, k=kind: r["http"]["sec-kg"][k][0] / r["http"]["rdflib-endpoint"][k][0], lambda v: f"{v:.1f}x")
        add(f"ratio sec-kg / oxigraph, {kind}", lambda r, k=kind: r["http"]["sec-kg"][k][0] / r["http"]["oxigraph"][k][0], lambda v: f"{v:.2f}x")
    lines += ["", "## every canned query in-process, pyoxigraph (median (min-max) ms)", ""]
    names = sorted({n for s in sizes for n in rows[s].get("queries", {})})
    lines += ["| query | " + " | ".join(f"{s}x" for s in sizes) + " |", "|" + " --- |" * (len(sizes) + 1)]
    for name in names:
        cells = []
        for s in sizes:
            v = rows[s].get("queries", {}).get(name)
            cells.append(f"{med(v) * 1000:.2f} ({min(v) * 1000:.2f}-{max(v) * 1000:.2f})" if v else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
