"""pytest fixtures for the Kubernetes backend: two fake apiservers (an EKS-named and a
GKE-named context), a kubeconfig for them, and a harness that runs KubeSources into a Store."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.fakes.apiserver import FakeApiServer, write_kubeconfig
from tests.fakes.k8s_objects import platform
from wundr_tui.backends.kube import KubeSource, KubeTuning
from wundr_tui.config import ClusterConfig
from wundr_tui.events import Event, Health
from wundr_tui.model import Cluster, Kind, SourceHealth
from wundr_tui.pump import EventPump
from wundr_tui.store import Store

EKS_CONTEXT = "arn:aws:eks:us-east-1:123456789012:cluster/wundr-production"
GKE_CONTEXT = "gke_wundr-prod_europe-west1_wundr-production"

FAST = KubeTuning(
    page_size=7,
    watch_seconds=20,
    connect_timeout=2.0,
    read_timeout=3.0,
    watch_idle=3.0,
    backoff_base=0.05,
    backoff_cap=0.3,
    forbidden_retry=0.5,
    absent_retry=0.5,
    join_timeout=3.0,
)
"""Short timings so fault tests take a second, not minutes."""

EXEC_PLUGIN = """\
import json, sys
try:
    token = open(sys.argv[1]).read().strip()
except FileNotFoundError:  # what `aws eks get-token` says when the SSO session is over
    sys.stderr.write("\\nError when retrieving token from sso: ")
    sys.stderr.write("Token has expired and refresh failed\\n")
    sys.exit(255)
print(json.dumps({"apiVersion": "client.authentication.k8s.io/v1beta1",
                  "kind": "ExecCredential", "status": {"token": token}}))
"""
PLUGIN_EXPIRED = (
    "plugin failed (exit 255): "
    "Error when retrieving token from sso: Token has expired and refresh failed"
)
"""The badge while EXEC_PLUGIN has no token file."""


@dataclass
class KubeWorld:
    """Two fake apiservers and a kubeconfig that names them as an EKS and a GKE context."""

    servers: dict[str, FakeApiServer]
    kubeconfig: Path
    token_file: Path | None = None

    @property
    def eks(self) -> FakeApiServer:
        """The server behind the EKS-named context."""
        return self.servers[EKS_CONTEXT]

    @property
    def gke(self) -> FakeApiServer:
        """The server behind the GKE-named context."""
        return self.servers[GKE_CONTEXT]


def _world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exec_plugin: bool) -> KubeWorld:
    servers = {
        EKS_CONTEXT: FakeApiServer(platform("aws", pods=40), bookmark_seconds=0.3).start(),
        GKE_CONTEXT: FakeApiServer(platform("gcp", pods=30), bookmark_seconds=0.3).start(),
    }
    token_file = None
    command = None
    if exec_plugin:
        token_file = tmp_path / "token"
        token_file.write_text("test-token")
        # Named as `aws eks get-token` is: the 401 advice (`aws sso login`) is given only
        # where the kubeconfig's plugin is aws's own.
        plugin = tmp_path / "bin" / "aws"
        plugin.parent.mkdir()
        plugin.write_text(f"#!{sys.executable}\n{EXEC_PLUGIN}")
        plugin.chmod(0o755)
        command = [str(plugin), str(token_file)]
    path = write_kubeconfig(
        tmp_path / "kubeconfig",
        {name: (srv.url, "test-token") for name, srv in servers.items()},
        exec_command=command,
    )
    monkeypatch.setenv("KUBECONFIG", str(path))
    return KubeWorld(servers, path, token_file)


@pytest.fixture
def kube_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KubeWorld]:
    """Two fake apiservers (token auth) and ``KUBECONFIG`` pointing at them."""
    world = _world(tmp_path, monkeypatch, exec_plugin=False)
    yield world
    for server in world.servers.values():
        server.stop()


@pytest.fixture
def kube_exec_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KubeWorld]:
    """Like kube_world, but credentials come from an exec plugin reading ``token_file``."""
    world = _world(tmp_path, monkeypatch, exec_plugin=True)
    yield world
    for server in world.servers.values():
        server.stop()


@dataclass
class KubeHarness:
    """Runs KubeSources in threads and applies their events to a Store on demand."""

    store: Store = field(default_factory=Store)
    pump: EventPump = field(default_factory=EventPump)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    """Every event applied so far, in order."""

    def start(
        self,
        cluster: Cluster,
        cluster_config: ClusterConfig | None = None,
        tuning: KubeTuning = FAST,
        *,
        kinds: Iterable[Kind] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> KubeSource:
        """Start one source (only ``kinds`` when given; on ``clock``, the store's in tests
        that freeze time)."""
        source = KubeSource(cluster, cluster_config, tuning=tuning, kinds=kinds, clock=clock)
        thread = threading.Thread(
            target=source.run, args=(self.pump.emit, self.stop), name=source.name, daemon=True
        )
        thread.start()
        self.threads.append(thread)
        return source

    def frame(self) -> None:
        """What the app does once per frame: drain the pump into the store."""
        batch = self.pump.drain()
        self.events.extend(batch)
        self.store.apply(batch)

    def wait_for(self, predicate: Callable[[Store], bool], timeout: float = 10.0) -> None:
        """Apply frames until ``predicate(store)`` holds; fail with the health table if not."""
        deadline = time.monotonic() + timeout
        while True:
            self.frame()
            if predicate(self.store):
                return
            if time.monotonic() > deadline:
                health = "\n".join(
                    f"  {h.cluster} {h.source}: {h.state} {h.reason}"
                    for h in self.store.health.values()
                )
                raise AssertionError(f"condition not met in {timeout}s; health:\n{health}")
            time.sleep(0.02)

    def health(self, cluster: str, source: str) -> SourceHealth | None:
        """Latest health of one source of one cluster."""
        return self.store.health.get((cluster, source))

    def health_seen(self, cluster: str, source: str) -> list[SourceHealth]:
        """Every health change of one source, in order."""
        return [
            e.health
            for e in self.events
            if isinstance(e, Health) and e.health.cluster == cluster and e.health.source == source
        ]

    def close(self, timeout: float = 5.0) -> float:
        """Stop every source; return how long it took (they must end promptly)."""
        start = time.monotonic()
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout)
        alive = [t.name for t in self.threads if t.is_alive()]
        assert not alive, f"sources still running after stop: {alive}"
        return time.monotonic() - start


@pytest.fixture
def kube_harness() -> Iterator[KubeHarness]:
    """A harness; every source it started is stopped at the end of the test."""
    harness = KubeHarness()
    yield harness
    if not harness.stop.is_set():
        harness.close()


def assert_no_mutating_requests(*servers: FakeApiServer) -> None:
    """The read-only guarantee: no POST/PUT/PATCH/DELETE reached any apiserver."""
    for server in servers:
        mutating = server.mutating_requests()
        assert not mutating, f"mutating requests sent: {mutating}"
        assert server.requests(), "the server saw no request at all"
