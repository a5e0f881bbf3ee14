"""The Flask application: SPARQL endpoint, linked-data server and HTML pages over one ``Store``.

``create_app(store, settings)`` is the only entry point; the store decides whether the
data are the embedded copy or a remote endpoint. Errors are answered here, in one
place: a short plain-text sentence for programs, a small HTML page for browsers.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import urllib.parse
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, Response, current_app, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..formats import GRAPH_FORMATS, HTML
from ..protocol import ProtocolError
from ..namespaces import PREFIXES, sparql_prologue
from ..querytext import QueryTextError
from ..store import QueryError, QueryRefused, QueryTimeout, Store, StoreUnavailable
from . import i18n
from .view import Vocabulary, link_of

WEB_DIR = Path(__file__).resolve().parent
#: where ``npm ci --prefix sec_kg/web`` installs the pages' browser libraries
NODE_MODULES = WEB_DIR / "node_modules"
YASGUI_DIR = NODE_MODULES / "@zazuko" / "yasgui" / "build"
TRUNCATED_HEADER = "X-Results-Truncated"
#: longest request target (path and query string) accepted, as common HTTP servers do; longer is 414
MAX_TARGET_BYTES = 8190
#: pages and linked-data documents kept once built (embedded data only: they cannot change while it runs)
CACHED_PATHS = ("/id/", "/state/", "/ontology")
CACHE_HEADER = "X-Cache"

log = logging.getLogger(__name__)


@dataclass
class Settings:
    """What an operator can change (see ``sec_kg.server`` for the flags and environment variables)."""

    queries_dir: Path
    #: whole-graph dumps are the service's own queries, of known cost, built once: not held to the query time limit
    dump_timeout: float = 120.0
    max_request_bytes: int = 64 * 1024
    #: the address clients reach the service at: every absolute URL the service writes starts with it
    #: (never with the request's Host header, which a client chooses)
    public_url: str = "http://127.0.0.1:8000/"
    #: when the data were loaded, and a digest of them: the same in every web worker, so that ETag and
    #: Last-Modified validate whichever worker answers (unset on a remote store, whose data may change)
    loaded_at: float = field(default_factory=time.time)
    data_version: str | None = None


#: the formats cached pages come in: the key of a cached answer is its path and one of these
PAGE_FORMATS = GRAPH_FORMATS + (HTML,)
_PAGE_MEDIA = [media for fmt in PAGE_FORMATS for media in (fmt.mimetype, *fmt.aliases)]
_PAGE_FORMAT_NAMES = {name for fmt in PAGE_FORMATS for name in fmt.names}
#: headers every answer carries: no scripts but our own files, no framing by other sites, no type sniffing
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class PageCache:
    """The last ``size`` answers built for GET requests (LRU), keyed by path and negotiated format.

    A State page takes a few hundred milliseconds of Python to build; a browsing user and a
    crawler ask for the same few pages again and again. The key leaves out the query string
    (the cached routes read only ``format`` and ``lang``; a resource page's ``all`` is not cached) and reduces the Accept header to the format it
    selects and the page to its language, so a client cannot fill the cache with variants of one page."""

    def __init__(self, size: int = 512, max_bytes: int = 4 * 1024 * 1024):
        self.size, self.max_bytes = size, max_bytes
        self._answers: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key():
        return (request.path, tuple(request.args.getlist("format")), request.accept_mimetypes.best_match(_PAGE_MEDIA),
                i18n.language())

    def get(self):
        with self._lock:
            hit = self._answers.get(self.key())
            if hit is not None:
                self._answers.move_to_end(self.key())
        return hit

    def put(self, response: Response) -> None:
        if response.status_code != 200 or response.direct_passthrough or response.content_length > self.max_bytes:
            return
        with self._lock:
            self._answers[self.key()] = (response.get_data(), response.status_code, list(response.headers.items()))
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)


@dataclass
class Context:
    """Per-application state: the store, the settings, cached answers."""

    store: Store
    settings: Settings
    cache: dict = field(default_factory=dict)
    pages: PageCache = field(default_factory=PageCache)
    _vocabulary: Vocabulary | None = None

    @property
    def vocabulary(self) -> Vocabulary:
        if self._vocabulary is None:
            self._vocabulary = Vocabulary.load(self.store)
        return self._vocabulary

    @property
    def states(self) -> list[tuple[str, str]]:
        """(ISO code, English label) of the States, by code; read once, like the vocabulary."""
        if "states" not in self.cache:
            rows = self.store.select(sparql_prologue() + """
                SELECT ?code ?label WHERE {
                  ?state a sec:State ; skos:notation ?code ; rdfs:label ?label FILTER (lang(?label) = "en")
                } ORDER BY ?code""").rows
            self.cache["states"] = [(str(r["code"]), str(r["label"])) for r in rows]
        return self.cache["states"]


def context() -> Context:
    return current_app.extensions["sec_kg"]


def wants_html() -> bool:
    """True when the client prefers HTML to plain text (a browser), false for curl's */* and programs."""
    accept = request.accept_mimetypes
    return bool(accept) and accept.best_match(["text/plain", "text/html"]) == "text/html"


def plain(status: int, message: str, headers: dict | None = None) -> Response:
    return Response(message.rstrip() + "\n", status=status, headers=headers, content_type="text/plain; charset=utf-8")


def error_answer(status: int, message: str, headers: dict | None = None) -> Response:
    if wants_html():
        page = render_template("error.html", status=status, message=message)
        return Response(page, status=status, headers=headers, content_type="text/html; charset=utf-8")
    return plain(status, message, headers)


def _register_errors(app: Flask) -> None:
    @app.errorhandler(ProtocolError)
    def protocol_error(exc: ProtocolError):
        return error_answer(exc.status, exc.message, exc.headers)

    @app.errorhandler(QueryTextError)
    def query_text_error(exc: QueryTextError):
        return error_answer(exc.status, exc.message)

    @app.errorhandler(QueryError)
    def query_error(exc: QueryError):
        return error_answer(400, str(exc))

    @app.errorhandler(QueryRefused)
    def query_refused(exc: QueryRefused):
        return error_answer(exc.status, exc.message, {"Retry-After": str(exc.retry_after)} if exc.retry_after else None)

    @app.errorhandler(QueryTimeout)
    def query_timeout(exc: QueryTimeout):
        return error_answer(503, str(exc), {"Retry-After": "1"})

    @app.errorhandler(StoreUnavailable)
    def store_unavailable(exc: StoreUnavailable):
        return error_answer(502, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        headers, message = {}, exc.description
        if exc.code == 404:
            message = _("not found: %(path)s", path=request.path)
        elif exc.code == 405:
            allowed = sorted(exc.valid_methods or [])
            headers["Allow"] = ", ".join(allowed)
            message = _("method %(method)s is not supported here; allowed: %(allowed)s", method=request.method, allowed=", ".join(allowed))
        elif exc.code == 413:
            message = _("request too large: the limit is %(limit)s bytes", limit=context().settings.max_request_bytes)
        return error_answer(exc.code or 500, message, headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_answer(500, _("internal error; the server log has the details"))


def _target_length_limit():
    """Long queries belong in a POST body: a request target over the limit is refused (414)."""
    target = len(request.environ.get("PATH_INFO", "")) + len(request.environ.get("QUERY_STRING", ""))
    if target > MAX_TARGET_BYTES:
        return plain(414, f"request line too large: {target} bytes, the limit is {MAX_TARGET_BYTES}; "
                          "send long queries by POST")


def _cacheable() -> bool:
    return (request.method == "GET" and context().settings.data_version is not None and "all" not in request.args
            and request.path.startswith(CACHED_PATHS) and set(request.args.getlist("format")) <= _PAGE_FORMAT_NAMES
            and len(request.args.getlist("format")) <= 1)


def _from_page_cache():
    if _cacheable() and (hit := context().pages.get()) is not None:
        body, status, headers = hit
        return Response(body, status=status, headers=headers + [(CACHE_HEADER, "hit")])


def _into_page_cache(response: Response) -> Response:
    if _cacheable() and CACHE_HEADER not in response.headers:
        context().pages.put(response)
    return response


#: GET answers that depend only on the (unchanging) embedded data and the request: any cache may keep them
HTTP_CACHED_PATHS = ("/sparql", "/id/", "/data/", "/state/", "/ontology", "/browse", "/graph/", "/void", "/context.jsonld")
MAX_AGE = 300


def _http_cache(response: Response) -> Response:
    """ETag and Cache-Control on GET answers over the embedded data, so that browsers and a caching
    proxy in front of several replicas (see docs/endpoint.md) revalidate instead of asking again: the
    ETag is the body's digest, the same from every worker and replica serving the same data."""
    if (request.method not in ("GET", "HEAD") or response.status_code != 200 or response.direct_passthrough
            or context().settings.data_version is None or not request.path.startswith(HTTP_CACHED_PATHS)):
        return response
    if not response.get_etag()[0]:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    response.headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
    return response.make_conditional(request)


def _secure(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _public_address(wsgi_app, public_url: str):
    """Present every request as addressed to ``public_url``: URLs the app builds (redirects, the
    service description, VoID) start with it, whatever Host header the client sent."""
    parts = urllib.parse.urlsplit(public_url)
    prefix = parts.path.rstrip("/")

    def app(environ, start_response):
        environ["HTTP_HOST"] = parts.netloc
        environ["wsgi.url_scheme"] = parts.scheme
        environ["SCRIPT_NAME"] = prefix
        path = environ.get("PATH_INFO", "")
        if prefix and path.startswith(prefix + "/"):
            environ["PATH_INFO"] = path[len(prefix):]
        return wsgi_app(environ, start_response)

    return app


def _cors(response: Response) -> Response:
    """Reads are public: any site's scripts may query and fetch (no credentials involved)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = f"{TRUNCATED_HEADER}, ETag, Last-Modified"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def create_app(store: Store, settings: Settings) -> Flask:
    """The WSGI application serving ``store``."""
    from . import browse, linked, pages, queries, sparql, views

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.extensions["sec_kg"] = Context(store, settings)
    i18n.init(app)
    app.jinja_env.globals.update(link_of=link_of, yasgui=YASGUI_DIR.is_dir(), settings=settings, store_limits=store.limits,
                                 prefixes=[(p, str(ns)) for p, ns in PREFIXES.items()])
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(linked.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(queries.blueprint)
    app.register_blueprint(views.blueprint)
    app.register_blueprint(browse.blueprint)
    _register_errors(app)
    app.before_request(_target_length_limit)
    app.before_request(_from_page_cache)
    app.after_request(_into_page_cache)
    app.after_request(_http_cache)  # runs first (Flask runs these in reverse): the page cache keeps the ETag
    app.after_request(_cors)
    app.after_request(_secure)
    app.wsgi_app = _public_address(app.wsgi_app, settings.public_url)
    return app
