"""``sec-kg load``: publish the served graph to a remote triple store through the SPARQL 1.1
Graph Store HTTP Protocol (GSP), one named graph at a time, graph names preserved.

The data is exactly what the embedded store serves (``build.served_nquads``: every source
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


def _opener(url: str, user: str | None, password: str | None, auth: str):
    if not user:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, user, password or "")
    handler = (urllib.request.HTTPDigestAuthHandler if auth == "digest" else urllib.request.HTTPBasicAuthHandler)(manager)
    return urllib.request.build_opener(handler)


def _send(opener, method: str, url: str, graph: str | None, body: bytes, timeout: float) -> None:
    target = url + ("&" if "?" in url else "?") + (
        "graph=" + urllib.parse.quote(graph, safe="") if graph else "default")
    request = urllib.request.Request(target, data=body, method=method,
                                     headers={"Content-Type": "application/n-triples"})
    try:
        with opener.open(request, timeout=timeout) as answer:
            answer.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:500]
        raise PublishError(f"{method} {target}: the store answered {exc.code} {exc.reason}: {detail}") from None
    except urllib.error.URLError as exc:
        raise PublishError(f"{method} {target}: the store could not be reached: {exc.reason}") from None


def publish(nquads: bytes, url: str, *, user: str | None = None, password: str | None = None,
            auth: str = "basic", timeout: float = 600.0, chunk: int = CHUNK) -> list[Published]:
    """Replace every named graph of ``nquads`` in the GSP service at ``url``; what was sent, per graph."""
    opener = _opener(url, user, password, auth)
    done = []
    for graph, triples in graphs_of(nquads).items():
        for start in range(0, max(len(triples), 1), chunk):
            body = ox.serialize(triples[start:start + chunk], format=ox.RdfFormat.N_TRIPLES) or b""
            _send(opener, "PUT" if start == 0 else "POST", url, graph, body, timeout)
        done.append(Published(graph, len(triples)))
    return done
