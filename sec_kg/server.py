"""``sec-kg serve``: the web application behind Granian (never Flask's development server).

Granian (an HTTP server written in Rust) parses HTTP outside the GIL; ``--web-workers``
processes each read request bodies in their event loop and run the Flask app on
``--threads`` threads (``sec_kg.gateway``). SPARQL evaluation happens in killable, sandboxed query processes
(``sec_kg.store.embedded``), so a web worker never blocks on a runaway query; they are all
forked from one process that loaded the data once, so the graph is in memory once. With ``--endpoint URL`` the same app reads a remote SPARQL 1.1
store instead and nothing is loaded locally.

Every option is a flag and an environment variable (flag wins), listed in ``OPTIONS``.
"""

from __future__ import annotations

import argparse
import errno
import functools
import hashlib
import os
import socket
import time
from dataclasses import dataclass

from .project import Project

def _number(kind, zero: bool = False):
    """An argparse type: a number above zero (or zero too), or a clear usage error."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not (value >= 0 if zero else value > 0):
            raise argparse.ArgumentTypeError(f"must be {'0 or more' if zero else 'above 0'}: {text}")
        return value
    parse.__name__ = f"{'non-negative' if zero else 'positive'} {kind.__name__}"
    return parse


positive_int, positive_float, non_negative_int = _number(int), _number(float), _number(int, zero=True)

#: Threads per web worker: Granian warns above 2 per CPU core + 1, and more would only queue, since
#: each thread mostly waits for one of the web worker's query processes (2 by default).

#: flag, environment variable, type, default, help
OPTIONS = (
    ("host", "SEC_KG_HOST", str, "127.0.0.1", "interface to listen on (0.0.0.0 to open it to the network)"),
    ("port", "SEC_KG_PORT", int, 8000, "TCP port"),
    ("timeout", "SEC_KG_TIMEOUT", positive_float, 5.0, "seconds a query may run before it is cut (answer 503)"),
    ("dump-timeout", "SEC_KG_DUMP_TIMEOUT", positive_float, 120.0,
     "seconds a whole-graph dump may take to build (once; then served from memory)"),
    ("result-cap", "SEC_KG_RESULT_CAP", positive_int, 10000, "most rows/triples a query returns; more are cut and flagged"),
    ("result-bytes", "SEC_KG_RESULT_BYTES", positive_int, 16 * 1024 * 1024,
     "most bytes of a query's answer; more rows are cut and flagged"),
    ("query-memory", "SEC_KG_QUERY_MEMORY", positive_int, 1024,
     "MiB of memory a query may take beyond the loaded data (503 above)"),
    ("per-client", "SEC_KG_PER_CLIENT", positive_int, 4,
     "requests to /sparql one client address may have under way at once, per web worker (429 above)"),
    ("endpoint", "SEC_KG_ENDPOINT", str, None, "serve a remote SPARQL 1.1 endpoint at this URL instead of the bundled data"),
    ("web-workers", "SEC_KG_WEB_WORKERS", positive_int, 2, "processes answering HTTP (each with its own query processes)"),
    ("query-workers", "SEC_KG_QUERY_WORKERS", positive_int, 2, "embedded store: processes evaluating queries in parallel, per web worker"),
    ("answer-cache", "SEC_KG_ANSWER_CACHE", non_negative_int, 32,
     "MiB of recent query answers each web worker keeps to answer repeats at once (0: none; embedded store only)"),
    ("threads", "SEC_KG_THREADS", positive_int, 32, "HTTP requests handled at once, per web worker"),
    ("max-request-bytes", "SEC_KG_MAX_REQUEST_BYTES", positive_int, 64 * 1024, "largest request body accepted (413 above)"),
    ("body-timeout", "SEC_KG_BODY_TIMEOUT", positive_float, 10.0, "seconds a client may take to send a request body (408 above)"),
    ("public-url", "SEC_KG_PUBLIC_URL", str, None,
     "the URL clients reach the service at, used in every absolute link (default http://HOST:PORT/)"),
)
ALLOW_SERVICE_ENV = "SEC_KG_ALLOW_SERVICE"
#: the most bytes of request line and headers Granian reads (the app refuses request lines over 8 KiB itself)
MAX_HEAD_BYTES = 64 * 1024
ACCESS_LOG = '%(addr)s - [%(time)s] "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1f ms'


@dataclass
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 5.0
    dump_timeout: float = 120.0
    result_cap: int = 10000
    result_bytes: int = 16 * 1024 * 1024
    query_memory: int = 1024
    per_client: int = 4
    endpoint: str | None = None
    web_workers: int = 2
    query_workers: int = 2
    answer_cache: int = 32
    threads: int = 32
    max_request_bytes: int = 64 * 1024
    body_timeout: float = 10.0
    public_url: str | None = None
    allow_service: bool = False
    reasoning: bool = True

    @property
    def base_url(self) -> str:
        """The public URL, ending with a slash."""
        url = self.public_url or f"http://{self.host}:{self.port}/"
        return url if url.endswith("/") else url + "/"

    @property
    def limits(self):
        from .store import Limits

        return Limits(timeout=self.timeout, cap=self.result_cap, max_bytes=self.result_bytes,
                      query_memory=self.query_memory * 2**20, allow_service=self.allow_service)

    @classmethod
    def from_args(cls, args) -> "ServerConfig":
        values = {flag.replace("-", "_"): getattr(args, flag.replace("-", "_")) for flag, *_ in OPTIONS}
        return cls(**values, allow_service=args.allow_service, reasoning=not args.no_reasoning)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``serve`` flags, defaulting to their environment variables, then to the built-in defaults."""
    for flag, env, kind, default, help_text in OPTIONS:
        value = os.environ.get(env)
        parser.add_argument(f"--{flag}", type=kind, default=value or default,  # argparse types a string default
                            help=f"{help_text} (${env}; default {default})")
    parser.add_argument("--allow-service", action="store_true",
                        default=os.environ.get(ALLOW_SERVICE_ENV, "").lower() in ("1", "true", "yes"),
                        help=f"let queries use SERVICE to fetch from other endpoints (${ALLOW_SERVICE_ENV}; default off)")
    parser.add_argument("--no-reasoning", action="store_true",
                        help="embedded store: skip adding the OWL RL inferences at start-up (starts in about a second)")


def load_nquads(config: ServerConfig, project: Project) -> bytes:
    """The validated data (and inferences) as N-Quads, keeping each file's named graph.

    Done before Granian starts, so a malformed file (``path:line:column``, exit 2) or data that
    fails the shapes (the violations, exit 1) stops ``sec-kg serve`` instead of being served.
    """
    from .artefact import prepare

    return prepare(project).nquads(reason=config.reasoning)


def make_app(config: ServerConfig, project: Project, nquads: bytes | None, loaded_at: float,
             holder: str | None = None, data_version: str | None = None):
    """The app on the remote store of ``config.endpoint``, or on an embedded store: forked from the
    shared data holder at ``holder`` (``sec-kg serve``), else from its own holder of ``nquads``
    (loaded at ``loaded_at``, a timestamp all web workers share)."""
    from .web import Settings, create_app

    if config.endpoint:
        from .store.remote import RemoteStore

        store = RemoteStore(config.endpoint, config.limits)
    else:
        from .store.embedded import EmbeddedStore

        store = EmbeddedStore(nquads, config.limits, workers=config.query_workers, holder=holder)
        data_version = data_version or hashlib.sha256(nquads).hexdigest()
    settings = Settings(queries_dir=project.queries_dir, dump_timeout=config.dump_timeout,
                        max_request_bytes=config.max_request_bytes, public_url=config.base_url,
                        loaded_at=loaded_at, data_version=data_version)
    return create_app(store, settings)


def make_gateway(config: ServerConfig, project: Project, loaded_at: float, holder: str | None,
                 data_version: str | None):
    """What each Granian worker runs: the app behind the body-reading bridge (no copy of the data:
    its query processes are forked from the server's one data holder)."""
    from .gateway import Gateway

    return Gateway(make_app(config, project, None, loaded_at, holder, data_version), threads=config.threads,
                   max_body=config.max_request_bytes, body_timeout=config.body_timeout, per_client=config.per_client,
                   answer_bytes=0 if config.endpoint else config.answer_cache * 2**20)


class PortBusy(OSError):
    """Something already listens on the port ``sec-kg serve`` was asked to use."""


def check_port_free(host: str, port: int) -> None:
    """Refuse a port already in use: Granian binds with port reuse, so a second server would
    otherwise start and silently share the traffic with the first."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortBusy(f"port {port} on {host} is already in use; stop what listens there or choose "
                               "another port with --port or $SEC_KG_PORT") from None
            raise


def serve(config: ServerConfig, project: Project) -> int:
    """Run Granian in the foreground until interrupted."""
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings

    check_port_free(config.host, config.port)
    holder = data_version = None
    if not config.endpoint:
        from .store.embedded import DataHolder

        nquads = load_nquads(config, project)
        data_version = hashlib.sha256(nquads).hexdigest()
        holder = DataHolder(nquads, config.limits)
        del nquads
        print(f"sec-kg: data loaded once, in process {holder.pid}", flush=True)
    loaded_at = time.time()
    import gc

    gc.collect()  # drop the rdflib graph the N-Quads came from, and keep what survives out of later collections:
    gc.freeze()   # at 1M triples, full collections walking millions of leftover objects stalled requests for seconds
    server = Granian(
        "sec_kg.web:create_app",  # only named in Granian's log: the workers call the loader below
        address=config.host,
        port=config.port,
        interface=Interfaces.RSGI,
        http=HTTPModes.http1,
        websockets=False,
        http1_settings=HTTP1Settings(max_buffer_size=MAX_HEAD_BYTES, header_read_timeout=int(config.body_timeout * 1000)),
        workers=config.web_workers,
        log_access=True,
        log_access_format=ACCESS_LOG,
        respawn_failed_workers=True,
    )
    print(f"sec-kg: serving on http://{config.host}:{config.port}/ "
          f"({'remote store ' + config.endpoint if config.endpoint else 'embedded store'})", flush=True)
    # each worker builds its own app and pool; the pools' query processes are forked from the one holder
    try:
        server.serve(target_loader=functools.partial(make_gateway, config, project, loaded_at,
                                                     holder and holder.address, data_version), wrap_loader=False)
    finally:
        if holder is not None:
            holder.close()
    return 0
