"""Scale-out as docs/endpoint.md shows it: two ``sec-kg serve`` replicas behind nginx's ``proxy_cache``,
all on 127.0.0.1. The replicas give identical answers, repeats are served from the cache, and a
replica stopped mid-traffic costs no failed request."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests
from server_fixtures import ROOT, Server, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
QUERY = "PREFIX sec: <https://w3id.org/sec-kg/ontology#> SELECT ?s WHERE {{ ?s a sec:State }} ORDER BY ?s LIMIT {}"
JSON = {"Accept": "application/sparql-results+json"}

pytestmark = pytest.mark.nginx


def documented_proxy_settings() -> list[str]:
    """The ``proxy_*`` lines of the nginx example in docs/endpoint.md: the test runs what the docs show."""
    example = re.search(r"```nginx\n(.*?)```", (ROOT / "docs" / "endpoint.md").read_text(encoding="utf-8"), re.S)[1]
    return [line.split("#")[0].strip() for line in example.splitlines() if line.strip().startswith("proxy_")
            and not line.strip().startswith(("proxy_cache_path", "proxy_pass"))]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not os.path.exists(NGINX):
        pytest.skip("nginx is not installed: apt-get install nginx-light (.ci/run does)")
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    proxy = f"http://127.0.0.1:{port}"
    replicas = [Server("--no-reasoning", "--web-workers", "1", "--public-url", proxy + "/") for _ in range(2)]
    for replica in replicas:
        replica.wait()
    settings = "\n".join(f"            {line}" for line in documented_proxy_settings())
    (folder / "nginx.conf").write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
error_log {folder}/error.log;
pid {folder}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi; uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
    proxy_cache_path {folder}/cache keys_zone=seckg:10m max_size=100m;
    upstream seckg {{ {" ".join(f"server 127.0.0.1:{r.port} max_fails=0;" for r in replicas)} }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://seckg;
{settings}
            add_header X-Cache-Status $upstream_cache_status;
        }}
    }}
}}
""", encoding="utf-8")
    nginx = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(proxy + "/robots.txt", timeout=2)
            break
        except requests.ConnectionError:
            if nginx.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start: {nginx.stdout.read().decode()}{Path(folder, 'error.log').read_text()}")
            time.sleep(0.1)
    yield proxy, replicas
    os.killpg(nginx.pid, signal.SIGTERM)
    nginx.wait(10)
    for replica in replicas:
        if replica.process.poll() is None:
            replica.stop()


def test_the_replicas_answer_alike_and_repeats_come_from_the_cache(cluster):
    proxy, replicas = cluster
    direct = [requests.get(r.url + "/sparql", params={"query": QUERY.format(5)}, headers=JSON, timeout=10)
              for r in replicas]
    assert direct[0].content == direct[1].content and direct[0].headers["ETag"] == direct[1].headers["ETag"]
    first = requests.get(proxy + "/sparql", params={"query": QUERY.format(5)}, headers=JSON, timeout=10)
    again = requests.get(proxy + "/sparql", params={"query": QUERY.format(5)}, headers=JSON, timeout=10)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content == direct[0].content
    assert (first.headers["X-Cache-Status"], again.headers["X-Cache-Status"]) == ("MISS", "HIT")
    page = [requests.get(proxy + "/id/state/CO", headers={"Accept": "text/html"}, timeout=10) for _ in range(2)]
    assert [p.headers["X-Cache-Status"] for p in page] == ["MISS", "HIT"] and page[0].content == page[1].content


def test_a_replica_stopped_mid_traffic_fails_no_request(cluster):
    proxy, replicas = cluster
    answers = []
    for limit in range(1, 41):  # a query not asked before each time: the cache cannot answer it, a replica must
        if limit == 15:
            replicas[0].stop()
        query = QUERY.format(limit) + " OFFSET 0"
        answers.append(requests.get(proxy + "/sparql", params={"query": query}, headers=JSON, timeout=10))
    assert [a.status_code for a in answers] == [200] * 40
    assert [len(a.json()["results"]["bindings"]) for a in answers] == [min(n, 8) for n in range(1, 41)]
    assert all(a.headers["X-Cache-Status"] == "MISS" for a in answers)
