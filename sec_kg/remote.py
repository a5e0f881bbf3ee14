"""``sec-kg load``: publish the served graph to a remote triple store through the SPARQL 1.1
Graph Store HTTP Protocol (GSP), one named graph at a time, graph names preserved.

The data is exactly what the embedded store serves (``artefact.prepare``: every source
file's named graph, plus ``graph/inferred`` unless ``--no-reasoning``), or an N-Quads file
(``--file build/sec-kg.nq``). Each named graph is replaced with ``PUT {url}?graph={iri}``
(large graphs: the first chunk by ``PUT``, the rest appended by ``POST``), so a second run
replaces instead of duplicating. Where the store puts its GSP service:

- Oxigraph server: ``http://HOST:7878/store`` (queries at ``/query``; start it with
  ``--union-default-graph`` so the default graph is the union, as in sec-kg);
- Virtuoso: ``http://HOST:8890/sparql-graph-crud-auth`` with ``--user dba --password …
  --auth digest`` (queries at ``/sparql``; its default graph is already the union);
- Apache Jena Fuseki: ``http://HOST:3030/{dataset}/data``; GraphDB:
  ``http://HOST:7200/repositories/{repo}/rdf-graphs/service``.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

CHUNK = 200_000  # triples per request


class PublishError(OSError):
    """The store refused a request or could not be reached."""


@dataclass
class Published:
    graph: str | None  # None: the default graph
    triples: int


def graphs_of(nquads: bytes) -> dict[str | None, list]:
    """The quads of ``nquads`` grouped by graph name (None for the default graph), as triples."""
    graphs: dict[str | None, list] = {}
    for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
        graphs.setdefault(name, []).append(quad.triple)
    return graphs


class _Client:
    """Sends GSP requests, with HTTP basic or digest authentication when a user is given.

    Digest is answered up front: a body-less probe fetches the challenge, then the request goes out
    with its ``Authorization`` header (a store such as Virtuoso closes the connection on a 401 before
    reading a large body, which would otherwise break the upload)."""

    def __init__(self, user: str | None, password: str | None, auth: str):
        self.user, self.password, self.auth = user, password or "", auth
        self.opener = urllib.request.build_opener()

    def _digest(self, request: urllib.request.Request, timeout: float) -> None:
        probe = urllib.request.Request(request.full_url, method="GET")
        try:
            with self.opener.open(probe, timeout=timeout) as answer:
                answer.read()
            return  # no challenge: nothing to answer
        except urllib.error.HTTPError as exc:
            exc.read()
            challenge = exc.headers.get("WWW-Authenticate", "")
            if exc.code != 401 or not challenge.lower().startswith("digest "):
                return
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, request.full_url, self.user, self.password)
        handler = urllib.request.HTTPDigestAuthHandler(manager)
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge[7:]))
        request.add_unredirected_header("Authorization", "Digest " + handler.get_authorization(request, fields))

    def send(self, method: str, url: str, graph: str | None, body: bytes, timeout: float) -> None:
        target = url + ("&" if "?" in url else "?") + (
            "graph=" + urllib.parse.quote(graph, safe="") if graph else "default")
        request = urllib.request.Request(target, data=body, method=method,
                                         headers={"Content-Type": "application/n-triples"})
        if self.user and self.auth == "digest":
            self._digest(request, timeout)
        elif self.user:
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            request.add_unredirected_header("Authorization", "Basic " + token)
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                answer.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:500]
            raise PublishError(f"{method} {target}: the store answered {exc.code} {exc.reason}: {detail}") from None
        except urllib.error.URLError as exc:
            raise PublishError(f"{method} {target}: the store could not be reached: {exc.reason}") from None
        except OSError as exc:
            raise PublishError(f"{method} {target}: the connection failed: {exc}") from None


def publish(nquads: bytes, url: str, *, user: str | None = None, password: str | None = None,
            auth: str = "basic", timeout: float = 600.0, chunk: int = CHUNK) -> list[Published]:
    """Replace every named graph of ``nquads`` in the GSP service at ``url``; what was sent, per graph."""
    client = _Client(user, password, auth)
    done = []
    for graph, triples in graphs_of(nquads).items():
        for start in range(0, max(len(triples), 1), chunk):
            body = ox.serialize(triples[start:start + chunk], format=ox.RdfFormat.N_TRIPLES) or b""
            client.send("PUT" if start == 0 else "POST", url, graph, body, timeout)
        done.append(Published(graph, len(triples)))
    return done
