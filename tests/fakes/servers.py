"""Start and stop the real servers the integration tests talk to, on loopback only.

- moto's ThreadedMotoServer (EKS, RDS, CloudWatch) on 127.0.0.1, port 0.
- A PostgreSQL primary and a streaming replica (Debian ``postgresql``) in a temp dir.
- Prometheus and Alertmanager (Debian ``prometheus``, ``prometheus-alertmanager``) with a temp
  data dir and a rule file whose alert fires on the first evaluation.

No pytest here: a missing binary raises ServerMissing naming the Debian package, and the
fixtures decide whether that skips or fails. Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ServerMissing(Exception):
    """A server binary is not installed; ``package`` is the Debian package that has it."""

    def __init__(self, what: str, package: str) -> None:
        super().__init__(f"{what} not found: apt-get install {package}")
        self.package = package


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    """Poll ``check`` until it is true; raise TimeoutError naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(interval)
    raise TimeoutError(f"{what} not ready after {timeout:.0f}s")


def _http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as answer:
        return bool(200 <= answer.status < 300)


# -- moto ---------------------------------------------------------------------------------


@dataclass
class MotoServer:
    """A running ThreadedMotoServer."""

    server: Any
    url: str

    def stop(self) -> None:
        """Stop the server thread."""
        self.server.stop()


def start_moto() -> MotoServer:
    """moto in server mode on 127.0.0.1 and a free port."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return MotoServer(server, f"http://{host}:{port}")


# -- PostgreSQL ---------------------------------------------------------------------------


def postgres_bin() -> Path:
    """Debian keeps the server binaries in /usr/lib/postgresql/<ver>/bin (newest wins)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ServerMissing("PostgreSQL server (initdb)", "postgresql")


@dataclass
class PostgresPair:
    """A primary and a streaming replica on loopback, trust auth, superuser ``postgres``."""

    bindir: Path
    base: Path
    primary_port: int
    replica_port: int
    replica_name: str = "replica1"
    _as_user: list[str] = field(default_factory=list)

    @property
    def primary_dsn(self) -> str:
        """libpq DSN of the primary."""
        return f"host=127.0.0.1 port={self.primary_port} user=postgres dbname=postgres"

    @property
    def replica_dsn(self) -> str:
        """libpq DSN of the replica."""
        return f"host=127.0.0.1 port={self.replica_port} user=postgres dbname=postgres"

    def run(self, *args: str, timeout: float = 60) -> None:
        """Run a PostgreSQL tool as the cluster's OS user."""
        subprocess.run(
            [*self._as_user, *args],
            check=True,
            timeout=timeout,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=self.base,
        )

    def stop(self) -> None:
        """Stop both servers (immediate mode: nothing to keep) and delete the temp dir."""
        for name in ("replica", "primary"):
            data = self.base / name
            if (data / "postmaster.pid").exists():
                with contextlib.suppress(Exception):
                    self.run(
                        str(self.bindir / "pg_ctl"),
                        "-D",
                        str(data),
                        "-m",
                        "immediate",
                        "-w",
                        "-t",
                        "20",
                        "stop",
                        timeout=30,
                    )
        shutil.rmtree(self.base, ignore_errors=True)


def start_postgres_pair() -> PostgresPair:
    """initdb a primary, pg_basebackup -R -X stream a replica, start both (about 1-2 s)."""
    bindir = postgres_bin()
    base = Path(tempfile.mkdtemp(prefix="wundr-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: run every tool as the Debian ``postgres`` user.
        import pwd

        pw = pwd.getpwnam("postgres")
        os.chown(base, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    pair = PostgresPair(bindir, base, free_port(), free_port(), _as_user=as_user)
    try:
        primary = base / "primary"
        replica = base / "replica"
        pair.run(
            str(bindir / "initdb"),
            "-D",
            str(primary),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        common = (
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{base}'\n"
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            "wal_level = replica\nmax_wal_senders = 5\nshared_buffers = 16MB\n"
            "wal_receiver_status_interval = 1s\nlog_min_messages = warning\n"
        )
        _append(primary / "postgresql.conf", common + f"port = {pair.primary_port}\n", as_user)
        pair.run(
            str(bindir / "pg_ctl"),
            "-D",
            str(primary),
            "-l",
            str(base / "primary.log"),
            "-w",
            "-t",
            "30",
            "start",
        )
        pair.run(
            str(bindir / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(pair.primary_port),
            "-U",
            "postgres",
            "-D",
            str(replica),
            "-R",
            "-X",
            "stream",
            "--no-sync",
        )
        _append(
            replica / "postgresql.conf",
            f"port = {pair.replica_port}\ncluster_name = '{pair.replica_name}'\n",
            as_user,
        )
        pair.run(
            str(bindir / "pg_ctl"),
            "-D",
            str(replica),
            "-l",
            str(base / "replica.log"),
            "-w",
            "-t",
            "30",
            "start",
        )
    except Exception:
        pair.stop()
        raise
    return pair


def _append(path: Path, text: str, as_user: list[str]) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text)
    if as_user:
        import pwd

        pw = pwd.getpwnam("postgres")
        os.chown(path, pw.pw_uid, pw.pw_gid)


# -- Prometheus and Alertmanager ----------------------------------------------------------

PROMETHEUS = "/usr/bin/prometheus"
ALERTMANAGER = "/usr/bin/prometheus-alertmanager"

RULES = """\
groups:
  - name: wundr-test
    interval: 1s
    rules:
      - alert: WundrApiGatewayDown
        expr: vector(1)
        labels:
          severity: critical
          namespace: wundr-platform
          service: api-gateway
        annotations:
          summary: api-gateway has no ready endpoints
          description: Every api-gateway pod failed its readiness probe.
      - alert: WundrReplicaLagHigh
        expr: vector(1)
        for: 1h
        labels:
          severity: warning
          namespace: wundr-data
        annotations:
          summary: replica lag above threshold
"""


def binary(path: str, name: str, package: str) -> str:
    """The server binary at its Debian path or on PATH, or ServerMissing."""
    if os.access(path, os.X_OK):
        return path
    found = shutil.which(name)
    if found:
        return found
    raise ServerMissing(name, package)


@dataclass
class Process:
    """A server process, its URL and its temp dir."""

    proc: subprocess.Popen[bytes]
    url: str
    base: Path

    def stop(self) -> None:
        """Terminate (then kill) the process and delete its temp dir."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        shutil.rmtree(self.base, ignore_errors=True)

    def log(self) -> str:
        """The server's output so far (for failure messages)."""
        path = self.base / "server.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""


def _spawn(args: list[str], base: Path, url: str, ready: str, timeout: float = 30) -> Process:
    log = (base / "server.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=base)
    log.close()
    server = Process(proc, url, base)
    try:
        wait_for(lambda: proc.poll() is None and _http_ok(url + ready), timeout, args[0])
    except Exception as exc:
        text = server.log()
        server.stop()
        raise TimeoutError(f"{exc}; output:\n{text}") from None
    return server


def start_alertmanager() -> Process:
    """Alertmanager on a free loopback port, clustering off, tiny group waits."""
    exe = binary(ALERTMANAGER, "alertmanager", "prometheus-alertmanager")
    base = Path(tempfile.mkdtemp(prefix="wundr-am-"))
    port = free_port()
    (base / "alertmanager.yml").write_text(
        "route:\n  receiver: blackhole\n  group_by: [alertname]\n  group_wait: 0s\n"
        "  group_interval: 1s\n"
        "  repeat_interval: 1h\nreceivers:\n  - name: blackhole\n"
    )
    url = f"http://127.0.0.1:{port}"
    args = [
        exe,
        f"--config.file={base / 'alertmanager.yml'}",
        f"--storage.path={base / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
    ]
    return _spawn(args, base, url, "/-/ready")


PROMTOOL = "/usr/bin/promtool"


def start_prometheus(alertmanager_url: str = "", openmetrics: str = "") -> Process:
    """Prometheus on a free loopback port, evaluating RULES every second; with
    ``openmetrics``, its TSDB is first built from that text (``promtool tsdb
    create-blocks-from openmetrics``), so range queries answer from known samples."""
    exe = binary(PROMETHEUS, "prometheus", "prometheus")
    base = Path(tempfile.mkdtemp(prefix="wundr-prom-"))
    if openmetrics:
        tool = binary(PROMTOOL, "promtool", "prometheus")
        (base / "samples.om").write_text(openmetrics)
        made = subprocess.run(
            [tool, "tsdb", "create-blocks-from", "openmetrics", "samples.om", "data"],
            cwd=base,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if made.returncode:
            shutil.rmtree(base, ignore_errors=True)
            raise RuntimeError(f"promtool failed: {made.stderr[-2000:]}")
    port = free_port()
    (base / "rules.yml").write_text(RULES)
    alerting = ""
    if alertmanager_url:
        target = alertmanager_url.split("://", 1)[-1]
        alerting = (
            f"alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['{target}']\n"
        )
    (base / "prometheus.yml").write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        "rule_files:\n  - rules.yml\n" + alerting
    )
    url = f"http://127.0.0.1:{port}"
    args = [
        exe,
        f"--config.file={base / 'prometheus.yml'}",
        f"--storage.tsdb.path={base / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--rules.alert.resend-delay=1s",
    ]
    return _spawn(args, base, url, "/-/ready")
