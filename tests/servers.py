"""Private instances of real SPARQL servers for the remote-store tests and
benchmarks: Oxigraph server (the ``oxigraph`` Python package's ``serve``) and
OpenLink Virtuoso (Debian's ``virtuoso-opensource-7-bin``, ``virtuoso-t``).

Each instance lives in a directory of its own, listens on free ports of
127.0.0.1 only, and is stopped by :meth:`Server.stop`; nothing here touches a
system service or a system-wide configuration."""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"


class ServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    query: str  # the SPARQL query endpoint
    update: str  # the SPARQL Update endpoint, credentials included if it needs them
    user: str = ""
    password: str = ""
    directory: Path | None = None
    #: How to start the same server again on the same data and ports (see revive()).
    args: list[str] | None = None
    ready: str = ""  # a URL that answers once it is up
    log: Path | None = None

    def revive(self, seconds: float = 120) -> str:
        """If the server has died, start it again with the same command, on the
        same data and ports (its URLs stay valid; Virtuoso recovers its database
        from its transaction log), and say how it died: its exit status and the
        end of its log. An empty string when it was running."""
        if self.proc.poll() is None:
            return ""
        tail = self.log.read_text("utf-8", "replace")[-600:].strip() if self.log and self.log.exists() else ""
        died = f"{self.name} had exited with status {self.proc.returncode}; the end of its log: {tail or '(empty)'}"
        if not self.args:
            raise ServerError(died)
        stderr = self.log.open("ab") if self.log and self.name == "oxigraph" else subprocess.DEVNULL
        self.proc = subprocess.Popen(self.args, cwd=self.directory, stdout=subprocess.DEVNULL, stderr=stderr)
        _wait(self.proc, self.ready, self.name, self.log, seconds)
        return died

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def _wait(proc: subprocess.Popen, url: str, name: str, log: Path | None, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except (OSError, urllib.error.URLError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait(10)
                text = log.read_text("utf-8", "replace") if log and log.exists() else ""
                raise ServerError(f"{name} did not start: {text[-800:]}") from None
            time.sleep(0.2)


def start_oxigraph(directory: Path) -> Server:
    exe = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    log = directory / "oxigraph.log"
    args = [str(exe), "serve", "--location", str(directory / "data"), "--bind", f"127.0.0.1:{port}",
            "--union-default-graph"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    base = f"http://127.0.0.1:{port}"
    ready = f"{base}/query?query=ASK%7B%7D"
    _wait(proc, ready, "oxigraph serve", log, 60)
    return Server("oxigraph", proc, f"{base}/query", f"{base}/update", directory=directory, args=args, ready=ready,
                  log=log)


VIRTUOSO_INI = """\
; A private Virtuoso instance for collabgraph's tests and benchmarks.
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 60
ThreadsPerQuery = 2
MaxClientConnections = 10
ServerThreads = 10
MaxQueryMem = 1G

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 10
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
DefaultQueryTimeout = 0
"""


def virtuoso_available() -> bool:
    return bool(shutil.which(VIRTUOSO) and shutil.which(ISQL))


def start_virtuoso(directory: Path, *, max_rows: int = 10_000_000, buffers: int = 20_000,
                   seconds: float = 120) -> Server:
    """Start ``virtuoso-t`` in the foreground on its own database in ``directory``,
    with free HTTP and ISQL ports, and give the ``dba`` account a random password.
    Updates go to ``/sparql-auth`` with that password (HTTP digest
    authentication), as on a production server; reads to ``/sparql``."""
    if not virtuoso_available():
        raise ServerError("Virtuoso is missing: run 'bash .ci/system-packages' "
                          "(Debian package virtuoso-opensource-7-bin)")
    directory.mkdir(parents=True, exist_ok=True)
    isql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=directory, isql=isql_port, http=http_port, max_rows=max_rows,
                                       buffers=buffers, dirty=buffers * 3 // 4), "utf-8")
    log = directory / "virtuoso.log"
    args = [VIRTUOSO, "-f", "-c", str(ini)]
    proc = subprocess.Popen(args, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    ready = f"{base}/sparql?query=ASK%7B%7D"
    _wait(proc, ready, "virtuoso-t", log, seconds)
    password = secrets.token_hex(12)
    done = subprocess.run([ISQL, f"127.0.0.1:{isql_port}", "dba", "dba",
                           f"exec=USER_SET_PASSWORD('dba', '{password}');"],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or "Error" in done.stdout + done.stderr:
        proc.terminate()
        raise ServerError(f"cannot set Virtuoso's dba password: {(done.stdout + done.stderr).strip()[-400:]}")
    update = f"http://dba:{password}@127.0.0.1:{http_port}/sparql-auth"
    return Server("virtuoso", proc, f"{base}/sparql", update, "dba", password, directory, args=args, ready=ready, log=log)
