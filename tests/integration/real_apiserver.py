"""A real etcd + kube-apiserver on 127.0.0.1, for the opt-in tests and bench (issue 16).

The binaries are not part of the project: their paths come from ``WUNDR_ETCD`` and
``WUNDR_KUBE_APISERVER``. Without them, :func:`binaries` returns None and callers skip.
Both listen on free ports on 127.0.0.1; the apiserver serves its own self-signed certificate
(``--cert-dir``) and takes one static token (``system:masters``). Pods are loaded through the
API with concurrent POSTs. ``stop()`` ends both processes.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOKEN = "wundr-real-apiserver-test-token"


def binaries() -> tuple[str, str] | None:
    """(kube-apiserver, etcd) from the environment, or None when either is missing."""
    apiserver = os.environ.get("WUNDR_KUBE_APISERVER", "")
    etcd = os.environ.get("WUNDR_ETCD", "")
    if not (apiserver and etcd and os.access(apiserver, os.X_OK) and os.access(etcd, os.X_OK)):
        return None
    return apiserver, etcd


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RealCluster:
    """etcd and kube-apiserver processes, and an HTTPS client for the apiserver."""

    workdir: Path
    apiserver_bin: str
    etcd_bin: str
    url: str = ""
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    _ctx: ssl.SSLContext | None = None

    def start(self, timeout: float = 90.0) -> RealCluster:
        etcd_port, peer_port, api_port = free_port(), free_port(), free_port()
        etcd_url = f"http://127.0.0.1:{etcd_port}"
        peer_url = f"http://127.0.0.1:{peer_port}"
        etcd_log = (self.workdir / "etcd.log").open("wb")
        self.procs.append(
            subprocess.Popen(
                [
                    self.etcd_bin,
                    "--name=wundr",
                    f"--data-dir={self.workdir / 'etcd'}",
                    f"--listen-client-urls={etcd_url}",
                    f"--advertise-client-urls={etcd_url}",
                    f"--listen-peer-urls={peer_url}",
                    f"--initial-advertise-peer-urls={peer_url}",
                    f"--initial-cluster=wundr={peer_url}",
                    "--log-level=warn",
                ],
                stdout=etcd_log,
                stderr=subprocess.STDOUT,
            )
        )
        self._wait(lambda: _get_ok(f"{etcd_url}/health", None, None), timeout, "etcd")
        key = self.workdir / "sa.key"
        subprocess.run(
            ["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True
        )
        tokens = self.workdir / "tokens.csv"
        tokens.write_text(f'{TOKEN},wundr-admin,1,"system:masters"\n')
        certs = self.workdir / "certs"
        api_log = (self.workdir / "apiserver.log").open("wb")
        self.procs.append(
            subprocess.Popen(
                [
                    self.apiserver_bin,
                    f"--etcd-servers={etcd_url}",
                    "--bind-address=127.0.0.1",
                    "--advertise-address=127.0.0.1",
                    f"--secure-port={api_port}",
                    f"--cert-dir={certs}",
                    f"--token-auth-file={tokens}",
                    "--authorization-mode=RBAC",
                    f"--service-account-key-file={key}",
                    f"--service-account-signing-key-file={key}",
                    "--service-account-issuer=https://kubernetes.default.svc",
                    "--service-cluster-ip-range=10.96.0.0/16",
                    # No controller-manager makes the default ServiceAccount.
                    "--disable-admission-plugins=ServiceAccount",
                ],
                stdout=api_log,
                stderr=subprocess.STDOUT,
            )
        )
        self.url = f"https://127.0.0.1:{api_port}"
        self._wait(lambda: (certs / "apiserver.crt").exists(), timeout, "apiserver cert")
        self._ctx = ssl.create_default_context(cafile=str(certs / "apiserver.crt"))
        self._wait(lambda: _get_ok(f"{self.url}/readyz", TOKEN, self._ctx), timeout, "apiserver")
        return self

    def _wait(self, ready: Any, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"{what}: a process exited, see the logs in {self.workdir}")
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{what} not ready in {timeout}s; logs in {self.workdir}")

    @property
    def ca_file(self) -> Path:
        return self.workdir / "certs" / "apiserver.crt"

    def request(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, context=self._ctx, timeout=30) as resp:
            return json.loads(resp.read() or b"null")

    def open_stream(self, path: str) -> Any:
        """A GET left open (a watch): iterate it by line, then close it."""
        req = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {TOKEN}"})
        return urllib.request.urlopen(req, context=self._ctx, timeout=30)

    def create_namespaces(self, names: Iterable[str]) -> None:
        for name in names:
            self.request("POST", "/api/v1/namespaces", {"metadata": {"name": name}})

    def create_pods(self, pods: Iterable[tuple[str, str]], workers: int = 32) -> int:
        """POST one pod per (namespace, name), ``workers`` at a time; return how many."""

        def post(item: tuple[str, str]) -> None:
            namespace, name = item
            self.request("POST", f"/api/v1/namespaces/{namespace}/pods", pod_body(name))

        with ThreadPoolExecutor(workers) as pool:
            return sum(1 for _ in pool.map(post, pods))

    def kubeconfig(self, path: Path, context: str = "real-apiserver") -> Path:
        doc = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": "real",
                    "cluster": {"server": self.url, "certificate-authority": str(self.ca_file)},
                }
            ],
            "users": [{"name": "admin", "user": {"token": TOKEN}}],
            "contexts": [{"name": context, "context": {"cluster": "real", "user": "admin"}}],
            "current-context": context,
        }
        path.write_text(json.dumps(doc), encoding="utf-8")
        return path

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
        self.procs.clear()


def pod_body(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": name.rsplit("-", 1)[0]}},
        "spec": {"containers": [{"name": "app", "image": "registry.example/app:1.0"}]},
    }


def _get_ok(url: str, token: str | None, ctx: ssl.SSLContext | None) -> bool:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        req = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(req, context=ctx, timeout=2) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError, ssl.SSLError):
        return False
