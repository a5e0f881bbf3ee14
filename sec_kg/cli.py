"""The sec-kg command line: validate, build, stats, serve, query."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .artefact import InvalidData
from .loader import LoadError
from .protocol import ProtocolError
from .queries import ParameterError, QueryFileError
from .server import positive_float, positive_int
from .querytext import QueryTextError
from .store import QueryError, QueryRefused, QueryTimeout, StoreUnavailable
from .project import Project, default_project


def _project(args) -> Project:
    return Project(Path(args.home)) if args.home else default_project()


def cmd_validate(args) -> int:
    from .validation import validate

    report = validate(_project(args), args.files)
    for result in report.results:
        print(result)
    print(f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)")
    return 0 if report.conforms else 1


def cmd_stats(args) -> int:
    from .loader import load_dataset
    from .stats import class_counts, state_counts

    dataset = load_dataset(_project(args))
    print(f"{'class':<40} {'instances':>9}")
    for label, count in class_counts(dataset):
        print(f"{label:<40} {count:>9}")
    print()
    print(f"{'State':<12} {'resources':>9} {'ratification cells':>19}")
    for label, resources, cells in state_counts(dataset):
        print(f"{label:<12} {resources:>9} {cells:>19}")
    return 0


def cmd_build(args) -> int:
    from .build import InconsistentGraph, build

    try:
        outputs = build(_project(args), reason=not args.no_reasoning, consistency=not args.no_consistency)
    except InconsistentGraph as exc:
        print(f"build refused: {exc}", file=sys.stderr)
        return 1
    for line in outputs.summary():
        print(line)
    return 0


def cmd_serve(args) -> int:
    from .server import ServerConfig, serve

    return serve(ServerConfig.from_args(args), _project(args))


def cmd_load(args) -> int:
    """Publish the served graph (or an N-Quads file) to a triple store's Graph Store Protocol service."""
    from .remote import publish

    if args.file:
        nquads = Path(args.file).read_bytes()
    else:
        from .artefact import prepare

        nquads = prepare(_project(args)).nquads(reason=not args.no_reasoning)
    total = 0
    for done in publish(nquads, args.endpoint, user=args.user, password=args.password, auth=args.auth):
        total += done.triples
        print(f"{done.triples:>8} triples -> {done.graph or '(default graph)'}")
    print(f"published {total} triples to {args.endpoint}")
    return 0


def cmd_bench(args) -> int:
    """The benchmark suite (sec_kg/bench), or with --load-test the load test."""
    if args.load_test:
        from .bench.loadtest import main as load_test

        return load_test(args.url, args.clients, args.duration, _project(args))
    from .bench.run import run

    return run(_project(args), args.sizes, args.peers, args.quick, args.repeats, args.seconds,
               args.limit)


def _sizes(text: str) -> list[int]:
    """``--sizes 1,10,100``: multiples of the report's size, each above 0."""
    return [positive_int(part.strip()) for part in text.split(",")]


def _store(args):
    """The store a query runs on: the bundled data in memory, or ``--endpoint URL``."""
    from .store import Limits

    limits = Limits(timeout=args.timeout)
    if args.endpoint:
        from .store.remote import RemoteStore

        return RemoteStore(args.endpoint, limits)
    from .artefact import prepare
    from .store.embedded import EmbeddedStore

    return EmbeddedStore(prepare(_project(args)).nquads(), limits, workers=1)


def _print_solutions(solutions, fmt: str, iris: bool) -> None:
    from .results import render

    sys.stdout.buffer.write(render(solutions, fmt, iris=iris))
    sys.stdout.flush()


def _list_queries(queries) -> None:
    """Each query with its parameters (NAME=TYPE and the default, if any), then the values each type
    accepts; long lines wrapped to the terminal's width."""
    import shutil
    import textwrap

    from .queries import VALUES

    columns = shutil.get_terminal_size().columns

    def show(first: str, text: str) -> None:
        room = max(columns - len(first), 20)
        lines = textwrap.wrap(text, room, break_on_hyphens=False) or [""]
        print(first + lines[0])
        for line in lines[1:]:
            print(" " * len(first) + line)

    width = max(map(len, queries))
    for name, query in queries.items():
        params = [f"[{p.name}={p.type.upper()}{', default ' + p.default if p.default else ''}]" for p in query.parameters]
        show(f"{name.ljust(width)}  ", "  ".join([query.title, *params]))
    used = sorted({p.type for query in queries.values() for p in query.parameters})
    print()
    show("", "Values (a parameter left out takes its default, or answers for every value):")
    width = max(map(len, used))
    for kind in used:
        show(f"  {kind.upper().ljust(width)}  ", VALUES[kind])


def cmd_query(args) -> int:
    import difflib

    from .queries import catalogue, graph_choices, parse_assignments

    queries = catalogue(_project(args).queries_dir)
    if args.list or not args.name:
        _list_queries(queries)
        return 0
    if args.name not in queries:
        close = difflib.get_close_matches(args.name, list(queries), n=3)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        print(f"no canned query {args.name!r}; {hint}`sec-kg query --list` shows them", file=sys.stderr)
        return 2
    query, values = queries[args.name], parse_assignments(args.param)
    query.bind(values)  # a value that does not parse fails at once, before the store is loaded
    # a value the graph does not hold is an error too, as on the site: the values are read from the store
    return _run_select(args, lambda store: query.bind(values, graph_choices(store, query.types)))


def cmd_sparql(args) -> int:
    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    return _run_select(args, lambda store: text)


def _run_select(args, text_for) -> int:
    """Run the SELECT query ``text_for(store)`` returns and print its solutions."""
    from .querytext import SELECT, read_query

    store = _store(args)
    try:
        query = read_query(text_for(store))
        if query.form != SELECT:
            print(f"only SELECT queries print as a table or results file; this is a {query.form} query", file=sys.stderr)
            return 2
        _print_solutions(store.select(query), args.format or _default_format(), args.iris)
    finally:
        store.close()
    return 0


def _default_format() -> str:
    from .results import default_format

    return default_format()


def cmd_report_tables(args) -> int:
    from .report_tables import tables, write

    store = _store(args)
    try:
        found = tables(store, _project(args).queries_dir)
    finally:
        store.close()
    for path in write(found, Path(args.out) if args.out else _project(args).root / "build" / "report-tables"):
        print(path)
    return 0


def cmd_screenshots(args) -> int:
    from .screenshots import main as screenshots

    return screenshots([args.outdir])


def _query_options(parser) -> None:
    parser.add_argument("--format", choices=["table", "csv", "tsv", "json"],
                        help="output (default: table on a terminal, csv otherwise)")
    parser.add_argument("--iris", action="store_true",
                        help="table: show each resource's IRI beside its label (csv, tsv and json always have them)")
    _store_options(parser)


def _store_options(parser) -> None:
    parser.add_argument("--endpoint", metavar="URL", help="query this SPARQL 1.1 endpoint instead of the bundled data")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before the query is cut (default 30)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="sec-kg", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="The knowledge graph of how 8 States of the Americas address the sexual exploitation of\n"
                    "children and adolescents (IIN-OAS report 2024): validate and build it, query it, serve it.",
        epilog="examples:\n"
               "  sec-kg validate                          check the data against the shapes\n"
               "  sec-kg query --list                      the canned queries and their parameters\n"
               "  sec-kg query not-party --param treaty=iacitm\n"
               "  sec-kg serve                             http://127.0.0.1:8000/\n\n"
               "sec-kg COMMAND --help tells more about a command.")
    parser.add_argument("--version", action="version", version=f"sec-kg {__version__}")
    parser.add_argument("--home", help="project checkout to read (default: this one, or $SEC_KG_HOME)")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="run the SHACL shapes; exit 1 on any violation")
    validate.add_argument("files", nargs="*", help="extra Turtle files to validate beside the bundled data")
    validate.set_defaults(run=cmd_validate)

    stats = commands.add_parser("stats", help="count resources per class and per State")
    stats.set_defaults(run=cmd_stats)

    build = commands.add_parser("build", help="validate, reason, and write dumps and VoID/DCAT to build/")
    build.add_argument("--no-reasoning", action="store_true", help="skip the OWL RL materialisation")
    build.add_argument("--no-consistency", action="store_true", help="skip the owlready2/HermiT consistency check")
    build.set_defaults(run=cmd_build)

    from .server import add_arguments

    serve = commands.add_parser("serve", help="start the SPARQL endpoint and linked-data server (Granian)")
    add_arguments(serve)
    serve.set_defaults(run=cmd_serve)

    query = commands.add_parser("query", help="run a canned query of queries/ (--list shows them)")
    query.add_argument("name", nargs="?", help="the query's name, e.g. ratifications or statistics/co-restitution-by-sex")
    query.add_argument("--list", action="store_true", help="list the canned queries and their parameters")
    query.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a parameter (repeatable)")
    _query_options(query)
    query.set_defaults(run=cmd_query)

    sparql = commands.add_parser("sparql", help="run an ad-hoc SELECT query from a file, or - for standard input")
    sparql.add_argument("file")
    _query_options(sparql)
    sparql.set_defaults(run=cmd_sparql)

    load = commands.add_parser("load", help="publish the graph to a triple store (SPARQL 1.1 Graph Store Protocol)")
    load.add_argument("--endpoint", required=True, metavar="URL",
                      help="the store's Graph Store Protocol URL (Oxigraph: http://HOST:7878/store; "
                           "Virtuoso: http://HOST:8890/sparql-graph-crud-auth)")
    load.add_argument("--file", metavar="NQUADS", help="publish this N-Quads file (e.g. build/sec-kg.nq) instead of the served graph")
    load.add_argument("--no-reasoning", action="store_true", help="leave out graph/inferred")
    load.add_argument("--user", help="user name, if the store asks for one")
    load.add_argument("--password", default=os.environ.get("SEC_KG_STORE_PASSWORD"),
                      help="password ($SEC_KG_STORE_PASSWORD)")
    load.add_argument("--auth", choices=["basic", "digest"], default="basic", help="HTTP authentication (Virtuoso: digest)")
    load.set_defaults(run=cmd_load)

    report_tables = commands.add_parser("report-tables", help="write the report's tables of sections 2.1, 2.2 and 4.1.1 "
                                        "from the graph, as Markdown and HTML")
    report_tables.add_argument("--out", metavar="DIR", help="where to write them (default: build/report-tables)")
    _store_options(report_tables)
    report_tables.set_defaults(run=cmd_report_tables)

    screenshots = commands.add_parser("screenshots", help="start the server, open the views in headless Chromium "
                                      "and write PNGs to OUTDIR")
    screenshots.add_argument("outdir")
    screenshots.set_defaults(run=cmd_screenshots)

    bench = commands.add_parser("bench", help="benchmark: timings, HTTP throughput, peers; or --load-test")
    bench.add_argument("--sizes", type=_sizes, default="1,10,100,1000", help="report size 1, synthetic multiples (default 1,10,100,1000)")
    bench.add_argument("--peers", action="store_true", help="also run Oxigraph server and rdflib-endpoint on the same data")
    bench.add_argument("--quick", action="store_true", help="fewer repeats, 3 s per HTTP figure")
    bench.add_argument("--repeats", type=positive_int, help="in-process repeats per figure (default 5, --quick 3)")
    bench.add_argument("--seconds", type=positive_float, help="seconds of load per HTTP figure (default 5, --quick 3)")
    bench.add_argument("--limit", type=positive_float, default=60.0,
                       help="seconds one request may take before its figure is given up (default 60)")
    bench.add_argument("--load-test", action="store_true", help="run the load test instead (mixed valid, bad and runaway requests)")
    bench.add_argument("--clients", type=positive_int, default=32, help="load test: concurrent clients (default 32)")
    bench.add_argument("--duration", type=positive_float, default=60, help="load test: seconds (default 60)")
    bench.add_argument("--url", help="load test: an already running server (default: start one)")
    bench.set_defaults(run=cmd_bench)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        return _closed_pipe()
    except LoadError as exc:
        print(exc, file=sys.stderr)
        print(f"{len(exc.errors)} malformed Turtle file(s); nothing was loaded", file=sys.stderr)
        return 2
    except InvalidData as exc:
        for result in exc.report.violations:
            print(result, file=sys.stderr)
        print(f"sec-kg {args.command} refused: the data does not pass the shapes, "
              f"{len(exc.report.violations)} violation(s); nothing was served, built or queried", file=sys.stderr)
        return 1
    except (ParameterError, QueryFileError, ProtocolError, QueryTextError, QueryError, QueryRefused, QueryTimeout,
            StoreUnavailable, OSError) as exc:
        print(f"sec-kg {args.command}: {exc}", file=sys.stderr)
        return 2


def _closed_pipe() -> int:
    """The reader went away (``sec-kg query ... | head``): stop quietly, as Python's documentation of
    SIGPIPE recommends: standard output is pointed at /dev/null so the exit does not fail on flushing it,
    and the status is the shell's for a process ended by SIGPIPE (128 + 13)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141


if __name__ == "__main__":
    sys.exit(main())
