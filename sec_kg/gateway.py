"""The bridge between Granian and the Flask application: Granian's RSGI interface in front,
the WSGI application behind, on a pool of threads.

Why not Granian's own WSGI interface: it calls the application as soon as the headers are in,
so reading a request body blocks one of the application's threads for as long as the client
takes to send it — twenty clients sending one byte every few seconds held every thread.
Here the body is read in the event loop, where a slow client costs no thread, within a time
limit (408 past it) and a size limit (413, chunked bodies included); a body that stops short
of its Content-Length is refused (400) and never reaches the application. Only complete
requests are handed to the thread pool, and a client may have at most ``per_client`` requests
to the query endpoint under way at once (429 beyond, answered here without taking a thread),
so that a few clients firing runaway queries cannot hold every thread. (a2wsgi does the same bridging for ASGI, but measured
at half the requests per second of this direct bridge on small answers.)

Over the embedded data, which cannot change while the server runs, the answer to a query asked
again is the one already built: ``Answers`` keeps recent ones and serves a repeat from the event
loop, without a thread, the application or a query process.
"""

from __future__ import annotations

import asyncio
import io
import sys
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

_PLAIN = [("content-type", "text/plain; charset=utf-8"), ("connection", "close")]


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class Answers:
    """Recent answers to query requests, least recently used dropped first, within ``max_bytes``.

    The key is the whole request as far as an answer can depend on it: method, target, body and
    the headers the application varies on (an answer that names any other in ``Vary`` is not kept).
    Only complete 200 answers without cookies are kept; conditional requests always go through.
    """

    #: request headers that select the format, language or body type of an answer
    KEYED = ("accept", "accept-language", "cookie", "content-type")
    CONDITIONAL = ("if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "range")

    def __init__(self, max_bytes: int, max_entry: int = 256 * 1024):
        self.max_bytes, self.max_entry, self.size = max_bytes, max_entry, 0
        self._answers: OrderedDict = OrderedDict()

    def key(self, scope, body: bytes):
        headers = scope.headers
        if not self.max_bytes or scope.method not in ("GET", "HEAD", "POST") or any(h in headers for h in self.CONDITIONAL):
            return None
        return (scope.method, scope.path, scope.query_string, body) + tuple(headers.get(h) for h in self.KEYED)

    def get(self, key):
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key, status: int, headers: list, data: bytes) -> None:
        names = {name.lower(): value for name, value in headers}
        varies = {h.strip().lower() for h in names.get("vary", "").split(",") if h.strip()}
        cost = len(data) + sum(len(part or "") for part in key)
        if status != 200 or "set-cookie" in names or not varies <= set(self.KEYED) or cost > self.max_entry:
            return
        if key in self._answers:
            return
        self._answers[key] = (status, headers + [("x-cache", "hit")], data, cost)
        self.size += cost
        while self.size > self.max_bytes:
            *_, dropped = self._answers.popitem(last=False)[1]
            self.size -= dropped


class Gateway:
    """An RSGI application running the WSGI application ``app`` on ``threads`` threads."""

    #: the paths whose requests run client-written queries, limited per client
    QUERY_PATHS = ("/sparql",)

    def __init__(self, app, *, threads: int, max_body: int, body_timeout: float, per_client: int, answer_bytes: int = 0):
        """``answer_bytes``: how much memory ``Answers`` may take (0 when the data may change: a remote store)."""
        self.app, self.max_body, self.body_timeout, self.per_client = app, max_body, body_timeout, per_client
        self.answers = Answers(answer_bytes)
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="sec-kg-web")
        self.under_way: dict[str, int] = {}  # client address -> its query requests in the application

    def __rsgi_init__(self, loop) -> None:
        pass

    def __rsgi_del__(self, loop) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    async def __rsgi__(self, scope, protocol) -> None:
        if scope.proto != "http":
            return
        try:
            body = await self._body(scope, protocol)
        except _Refused as refused:
            protocol.response_bytes(refused.status, _PLAIN, (refused.message + "\n").encode())
            return
        query = scope.path.startswith(self.QUERY_PATHS)
        key = self.answers.key(scope, body) if query else None
        if key is not None and (kept := self.answers.get(key)) is not None:
            status, headers, data, _ = kept
            protocol.response_bytes(status, headers, data)
            return
        environ = self._environ(scope, body)
        client = environ["REMOTE_ADDR"] if query else None
        if client is not None:
            if self.under_way.get(client, 0) >= self.per_client:
                protocol.response_bytes(429, _PLAIN[:1] + [("retry-after", "1")], (
                    f"too many queries at once from {client}: at most {self.per_client} may be under way; "
                    "send the next when one has answered\n").encode())
                return
            self.under_way[client] = self.under_way.get(client, 0) + 1
        try:
            status, headers, data = await asyncio.get_running_loop().run_in_executor(self.pool, self._call, environ)
        finally:
            if client is not None:
                self.under_way[client] -= 1
                if not self.under_way[client]:
                    del self.under_way[client]
        if key is not None:
            self.answers.put(key, status, headers, data)
        protocol.response_bytes(status, headers, data)

    async def _body(self, scope, protocol) -> bytes:
        headers = scope.headers
        declared = headers.get("content-length")
        chunked = "chunked" in (headers.get("transfer-encoding") or "").lower()
        if declared is None and not chunked:
            return b""
        if declared is not None:
            if not declared.strip().isdigit():
                raise _Refused(400, f"bad Content-Length {declared[:40]!r}")
            if int(declared) > self.max_body:
                raise _Refused(413, f"request too large: {int(declared)} bytes, the limit is {self.max_body}")

        async def collect() -> bytes:
            parts, size = [], 0
            async for chunk in protocol:
                size += len(chunk)
                if size > self.max_body:
                    raise _Refused(413, f"request too large: over {self.max_body} bytes")
                parts.append(chunk)
            return b"".join(parts)

        try:
            async with asyncio.timeout(self.body_timeout):  # no task per request, unlike wait_for
                body = await collect()
        except TimeoutError:
            raise _Refused(408, f"the request body did not arrive within {self.body_timeout:g} s") from None
        except _Refused:
            raise
        except Exception:  # the connection broke mid-body (hyper reports an incomplete chunked body)
            raise _Refused(400, "the request body was cut short; nothing was run") from None
        if declared is not None and len(body) != int(declared):
            raise _Refused(400, f"the request body was cut short ({len(body)} of {int(declared)} bytes); nothing was run")
        return body

    @staticmethod
    def _environ(scope, body: bytes) -> dict:
        host, _, port = scope.server.rpartition(":")
        client = scope.client.rsplit(":", 1)[0].strip("[]")
        environ = {
            "REQUEST_METHOD": scope.method, "SCRIPT_NAME": "", "PATH_INFO": scope.path.encode().decode("latin-1"),
            "QUERY_STRING": scope.query_string, "SERVER_NAME": host, "SERVER_PORT": port,
            "SERVER_PROTOCOL": f"HTTP/{scope.http_version}", "REMOTE_ADDR": client,
            "CONTENT_LENGTH": str(len(body)) if body else "",
            "wsgi.version": (1, 0), "wsgi.url_scheme": scope.scheme, "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }
        for name, value in scope.headers.items():
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                if key == "CONTENT_TYPE":
                    environ[key] = value
                continue
            key = "HTTP_" + key
            environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ

    def _call(self, environ: dict) -> tuple[int, list, bytes]:
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = int(status[:3]), headers

        chunks = self.app(environ, start_response)
        try:
            data = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return answer["status"], answer["headers"], data
