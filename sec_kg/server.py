"""``sec-kg serve``: the web application behind gunicorn (never Flask's development server).

One gunicorn worker with threads runs the Flask app; SPARQL evaluation happens in the
embedded store's own killable query processes (see ``sec_kg.store``), so the web worker
never blocks on a runaway query. With ``--endpoint URL`` the same app reads a remote
SPARQL 1.1 store instead and nothing is loaded locally.

Every option is a flag and an environment variable (flag wins), listed in ``OPTIONS``.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

from .project import Project

#: flag, environment variable, type, default, help
OPTIONS = (
    ("host", "SEC_KG_HOST", str, "127.0.0.1", "interface to listen on (0.0.0.0 to open it to the network)"),
    ("port", "SEC_KG_PORT", int, 8000, "TCP port"),
    ("timeout", "SEC_KG_TIMEOUT", float, 5.0, "seconds a query may run before it is cut (answer 503)"),
    ("result-cap", "SEC_KG_RESULT_CAP", int, 10000, "most rows/triples a query returns; more are cut and flagged"),
    ("endpoint", "SEC_KG_ENDPOINT", str, None, "serve a remote SPARQL 1.1 endpoint at this URL instead of the bundled data"),
    ("query-workers", "SEC_KG_QUERY_WORKERS", int, 2, "embedded store: processes evaluating queries in parallel"),
    ("threads", "SEC_KG_THREADS", int, 8, "HTTP requests handled at once"),
    ("max-request-bytes", "SEC_KG_MAX_REQUEST_BYTES", int, 64 * 1024, "largest request body accepted (413 above)"),
)
ALLOW_SERVICE_ENV = "SEC_KG_ALLOW_SERVICE"


@dataclass
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 5.0
    result_cap: int = 10000
    endpoint: str | None = None
    query_workers: int = 2
    threads: int = 8
    max_request_bytes: int = 64 * 1024
    allow_service: bool = False
    reasoning: bool = True

    @classmethod
    def from_args(cls, args) -> "ServerConfig":
        values = {flag.replace("-", "_"): getattr(args, flag.replace("-", "_")) for flag, *_ in OPTIONS}
        return cls(**values, allow_service=args.allow_service, reasoning=not args.no_reasoning)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``serve`` flags, defaulting to their environment variables, then to the built-in defaults."""
    for flag, env, kind, default, help_text in OPTIONS:
        value = os.environ.get(env)
        parser.add_argument(f"--{flag}", type=kind, default=kind(value) if value else default,
                            help=f"{help_text} (${env}; default {default})")
    parser.add_argument("--allow-service", action="store_true",
                        default=os.environ.get(ALLOW_SERVICE_ENV, "").lower() in ("1", "true", "yes"),
                        help=f"let queries use SERVICE to fetch from other endpoints (${ALLOW_SERVICE_ENV}; default off)")
    parser.add_argument("--no-reasoning", action="store_true",
                        help="embedded store: skip adding the OWL RL inferences at start-up (starts in about a second)")


def load_nquads(config: ServerConfig, project: Project) -> bytes:
    """The bundled data (and inferences) as N-Quads, keeping each file's named graph.

    Done before gunicorn starts, so a malformed file stops ``sec-kg serve`` with the usual
    ``path:line:column`` message (exit 2) instead of a worker that fails to boot.
    """
    from .build import served_nquads

    return served_nquads(project, reason=config.reasoning)


def make_app(config: ServerConfig, project: Project, nquads: bytes | None):
    """The app on the remote store of ``config.endpoint``, or on an embedded store holding ``nquads``."""
    from .store import EmbeddedStore, RemoteStore
    from .web import Settings, create_app

    if config.endpoint:
        store = RemoteStore(config.endpoint, timeout=config.timeout, cap=config.result_cap)
    else:
        store = EmbeddedStore(nquads, timeout=config.timeout, cap=config.result_cap, workers=config.query_workers)
    settings = Settings(queries_dir=project.queries_dir, timeout=config.timeout, cap=config.result_cap,
                        allow_service=config.allow_service, max_request_bytes=config.max_request_bytes)
    return create_app(store, settings)


def _plain_write_error(sock, status_int, reason, mesg):
    """gunicorn's own refusals (request line or headers too long, malformed HTTP) as one line of plain
    text, like every other error of this server, instead of gunicorn's HTML page."""
    from gunicorn.util import write_nonblock

    body = f"{reason.lower()}: {mesg}\n".encode("latin-1", "replace")
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n")
    write_nonblock(sock, head.encode("latin-1") + body)


def serve(config: ServerConfig, project: Project) -> int:
    """Run gunicorn in the foreground until interrupted."""
    from gunicorn import util
    from gunicorn.app.base import BaseApplication

    util.write_error = _plain_write_error

    nquads = None if config.endpoint else load_nquads(config, project)
    import gc

    gc.collect()  # drop the rdflib graph the N-Quads came from, and keep what survives out of later collections:
    gc.freeze()   # at 1M triples, full collections walking millions of leftover objects stalled requests for seconds

    class Application(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": f"{config.host}:{config.port}",
                "workers": 1,
                "worker_class": "gthread",
                "threads": config.threads,
                "timeout": 60,  # a worker that stops answering; queries have their own, shorter limit
                "graceful_timeout": 5,
                "limit_request_line": 8190,
                "limit_request_fields": 50,
                "limit_request_field_size": 8190,
                "accesslog": "-",
                "control_socket_disable": True,  # several servers may run side by side (tests, remote + local)
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return make_app(config, project, nquads)  # in the worker, so its query processes belong to it

    print(f"sec-kg: serving on http://{config.host}:{config.port}/ "
          f"({'remote store ' + config.endpoint if config.endpoint else 'embedded store'})", flush=True)
    Application().run()
    return 0
