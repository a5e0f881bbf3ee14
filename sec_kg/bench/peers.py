"""Servers the benchmark and the remote-store tests start on free 127.0.0.1 ports, and always stop.

- ``SecKg``: ``sec-kg serve`` (Granian + Flask + the embedded pyoxigraph store), on the bundled
  data or on any project directory (``--home``: the synthetic ones of ``sec_kg.bench.synthetic``);
- ``Oxigraph``: Oxigraph server, the ``oxigraph`` binary of the PyPI package ``oxigraph``;
- ``Virtuoso``: OpenLink Virtuoso 7 from Debian (``virtuoso-opensource-7-bin``), with a minimal ini
  bound to 127.0.0.1 in a temporary directory;
- ``RdflibEndpoint``: rdflib-endpoint (PyPI), the Python peer (rdflib's SPARQL engine under uvicorn).

Each is a context manager; ``stop()`` is also registered with ``atexit``, so an interrupted run
leaves no server behind.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class NotAvailable(RuntimeError):
    """The server's program is not installed here (the message says how to install it)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _venv_binary(name: str) -> str | None:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else shutil.which(name)


def ask(url: str, timeout: float = 2.0) -> bool:
    """True once ``url`` answers ``ASK {}`` with 200."""
    target = url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(target, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Server:
    """A background process; ``sparql_url`` once ``wait()`` has returned."""

    name = "server"

    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.directory = Path(tempfile.mkdtemp(prefix=f"sec-kg-{self.name}-"))
        self.log_path = self.directory / "server.log"
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.ready_seconds = 0.0
        atexit.register(self.stop)

    @property
    def sparql_url(self) -> str:
        raise NotImplementedError

    def command(self) -> list[str]:
        raise NotImplementedError

    def prepare(self) -> None:
        """Work before the process starts (config files, bulk loads)."""

    def start(self) -> "Server":
        self.prepare()
        self.started = time.perf_counter()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.command(), cwd=self.directory, stdout=log, stderr=subprocess.STDOUT,
                                            env=self.environment(), start_new_session=True)
        return self

    def environment(self) -> dict:
        return dict(os.environ)

    def log(self, full: bool = False) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
            return text if full else text[-4000:]
        except OSError:
            return ""

    def wait(self, seconds: float = 120.0) -> "Server":
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log()}")
            if ask(self.sparql_url):
                self.ready_seconds = time.perf_counter() - self.started
                return self
            time.sleep(0.05)
        log = self.log()
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {seconds:g} s:\n{log}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pids(self) -> list[int]:
        """The server's process and its children (for peak memory)."""
        if not self.process:
            return []
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                children = []
            todo += [int(c) for c in children]
        return found

    def _summed_mb(self, proc_file: str, field: str) -> float:
        """A kB field of ``/proc/PID/<proc_file>`` summed over the server and its children, in MB."""
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/{proc_file}").read_text().splitlines():
                    if line.startswith(field):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024

    def peak_mb(self) -> float:
        """Peak resident memory (VmHWM) summed over the server and its children, in MB."""
        return self._summed_mb("status", "VmHWM:")

    def pss_mb(self) -> float:
        """Proportional set size of the server and its children, in MB: memory the processes share
        (the data holder's copy-on-write pages) counted once, split between them."""
        return self._summed_mb("smaps_rollup", "Pss:")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)  # its own session: the server and its children only
            except ProcessLookupError:
                pass
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(10)
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self):
        return self.start().wait()

    def __exit__(self, *exc):
        self.stop()


class SecKg(Server):
    """``sec-kg serve`` on the bundled data, or on the project at ``home``."""

    name = "sec-kg"

    def __init__(self, *args: str, home: Path | None = None):
        super().__init__()
        self.args = list(args)
        self.home = home

    @property
    def sparql_url(self) -> str:
        return self.base + "/sparql"

    def command(self):
        home = ["--home", str(self.home)] if self.home else []
        return [sys.executable, "-m", "sec_kg.cli", *home, "serve", "--port", str(self.port), *self.args]

    def environment(self):
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        return env


class Oxigraph(Server):
    """Oxigraph server (PyPI ``oxigraph``), in memory and writable (GSP at ``/store``); with
    ``nquads_file`` the file is POSTed to the store as soon as the server answers (``load_seconds``).
    In memory like sec-kg's embedded store, so the two compare engine to engine; Oxigraph's on-disk
    store (RocksDB) answered the heavy query 5x slower here. The default graph is the union.

    ``timeout_s`` is Oxigraph's query time limit; the benchmark runs without one, because Oxigraph
    starts a watchdog thread per query and at thousands of requests/s it runs out of threads and
    aborts (oxigraph 0.5: "failed to set up alternative stack guard page")."""

    name = "oxigraph"

    def __init__(self, nquads_file: Path | None = None, timeout_s: int | None = 60):
        self.binary = _venv_binary("oxigraph")
        if not self.binary:
            raise NotAvailable("Oxigraph server is not installed: pip install oxigraph (the test extra has it)")
        super().__init__()
        self.nquads_file = nquads_file
        self.timeout_s = timeout_s
        self.load_seconds = 0.0

    @property
    def sparql_url(self) -> str:
        return self.base + "/query"

    @property
    def gsp_url(self) -> str:
        return self.base + "/store"

    def command(self):
        limit = ["--timeout-s", str(self.timeout_s)] if self.timeout_s else []
        return [self.binary, "serve", "--bind", f"127.0.0.1:{self.port}", "--union-default-graph", *limit]

    def wait(self, seconds: float = 120.0) -> "Oxigraph":
        super().wait(seconds)
        if self.nquads_file:
            started = time.perf_counter()
            request = urllib.request.Request(self.gsp_url, data=self.nquads_file.read_bytes(), method="POST",
                                             headers={"Content-Type": "application/n-quads"})
            with urllib.request.urlopen(request, timeout=seconds) as answer:
                answer.read()
            self.load_seconds = time.perf_counter() - started
        return self


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {dir}
NumberOfBuffers = 30000
MaxDirtyBuffers = 20000
CheckpointInterval = 60
ServerThreads = 20
ServerThreadSize = 2000000
MainThreadSize = 2000000
FutureThreadSize = 2000000

[HTTPServer]
ServerPort = 127.0.0.1:{port}
ServerRoot = {dir}
ServerThreads = 20
MaxClientConnections = 20

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 60
"""


class Virtuoso(Server):
    """OpenLink Virtuoso 7 (Debian ``virtuoso-opensource-7-bin``): SPARQL at ``/sparql``, GSP at
    ``/sparql-graph-crud-auth`` (digest auth, user ``dba``, password ``dba`` of a fresh database).
    Its default graph, without FROM, is the union of all graphs."""

    name = "virtuoso"
    user, password = "dba", "dba"

    def __init__(self):
        self.binary = shutil.which("virtuoso-t")
        if not self.binary:
            raise NotAvailable("Virtuoso is not installed: apt-get install virtuoso-opensource-7-bin (.ci/run does)")
        super().__init__()
        self.sql_port = free_port()

    @property
    def sparql_url(self) -> str:
        return self.base + "/sparql"

    @property
    def gsp_url(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def prepare(self):
        (self.directory / "virtuoso.ini").write_text(
            VIRTUOSO_INI.format(dir=self.directory, port=self.port, sql_port=self.sql_port))

    def command(self):
        return [self.binary, "+configfile", str(self.directory / "virtuoso.ini"), "+foreground"]

    def isql(self, *statements: str, timeout: float = 900) -> str:
        """Run SQL through ``isql-vt`` (e.g. the bulk loader: ``ld_dir``, ``rdf_loader_run``)."""
        isql = shutil.which("isql-vt")
        script = "".join(s.rstrip(";") + ";\n" for s in statements)
        done = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", self.user, self.password],
                              input=script, capture_output=True, text=True, timeout=timeout)
        if done.returncode or "*** Error" in done.stdout:
            raise RuntimeError(f"isql-vt failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def bulk_load(self, nquads_file: Path) -> float:
        """Load an N-Quads file with the bulk loader (``ld_dir`` + ``rdf_loader_run``); seconds taken."""
        target = self.directory / "load"
        target.mkdir(exist_ok=True)
        shutil.copy(nquads_file, target / "data.nq")
        started = time.perf_counter()
        self.isql(f"ld_dir('{target}', 'data.nq', 'https://w3id.org/sec-kg/graph/default')",
                  "rdf_loader_run()", "checkpoint")
        return time.perf_counter() - started


class RdflibEndpoint(Server):
    """rdflib-endpoint (PyPI) serving an N-Quads file with rdflib's own store and SPARQL engine."""

    name = "rdflib-endpoint"

    def __init__(self, nquads_file: Path):
        self.binary = _venv_binary("rdflib-endpoint")
        if not self.binary:
            raise NotAvailable("rdflib-endpoint is not installed: pip install 'rdflib-endpoint[cli]' (the bench extra)")
        super().__init__()
        self.nquads_file = nquads_file

    @property
    def sparql_url(self) -> str:
        return self.base + "/"

    def command(self):
        return [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), str(self.nquads_file)]
