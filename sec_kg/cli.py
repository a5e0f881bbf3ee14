"""The ``sec-kg`` command line: validate, build, stats, serve, query."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .loader import LoadError
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
    from .build import BuildRefused, build

    try:
        outputs = build(_project(args), reason=not args.no_reasoning, consistency=not args.no_consistency)
    except BuildRefused as refused:
        for result in refused.report.violations:
            print(result, file=sys.stderr)
        print(f"build refused: {len(refused.report.violations)} violation(s); run `sec-kg validate`", file=sys.stderr)
        return 1
    for line in outputs.summary():
        print(line)
    return 0


def cmd_serve(args) -> int:
    from .server import ServerConfig, serve

    return serve(ServerConfig.from_args(args), _project(args))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="sec-kg", description=__doc__)
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

    serve = commands.add_parser("serve", help="start the SPARQL endpoint and linked-data server (gunicorn)")
    add_arguments(serve)
    serve.set_defaults(run=cmd_serve)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except LoadError as exc:
        print(exc, file=sys.stderr)
        print(f"{len(exc.errors)} malformed Turtle file(s); nothing was loaded", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
