"""pytest fixtures for the cloud, database and alert backends.

Servers are started once per module and always stopped (finalizers), bound to 127.0.0.1 on
free ports. A missing server binary skips the test with the Debian package to install; with
``CI=true`` it fails instead. ``SourceHarness`` runs sources exactly as the app does (EventPump
+ SourceRunner) into a Store, and waits (bounded) for what the Store shows.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from tests.fakes.gcp import FakeGcp
from tests.fakes.servers import (
    MotoServer,
    PostgresPair,
    Process,
    ServerMissing,
    start_alertmanager,
    start_moto,
    start_postgres_pair,
    start_prometheus,
)
from wundr_tui.backends.base import Source
from wundr_tui.model import Kind, Resource, SourceHealth
from wundr_tui.pump import EventPump, SourceRunner
from wundr_tui.store import Store

T = TypeVar("T")

AWS_REGION = "eu-west-1"
EKS_CONTEXT = "arn:aws:eks:eu-west-1:123456789012:cluster/wundr-production"
GKE_CONTEXT = "gke_wundr-prod_europe-west1_wundr-production"


def start_or_skip(start: Callable[[], T]) -> T:
    """Start a server; skip (or, under CI=true, fail) when its binary is not installed."""
    try:
        return start()
    except ServerMissing as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{exc} (CI=true: missing servers fail the run)")
        pytest.skip(str(exc))


class SourceHarness:
    """Runs sources into a Store through the app's own pump and runner."""

    def __init__(self) -> None:
        self.store = Store(lag_threshold=30.0)
        """What the panes would read."""
        self.pump = EventPump()
        self.crashes: list[tuple[str, BaseException]] = []
        """Sources whose run() raised: always a bug."""
        self.runner = SourceRunner(self.pump, lambda name, exc: self.crashes.append((name, exc)))

    def start(self, *sources: Source) -> SourceHarness:
        """Start each source in its own thread."""
        for source in sources:
            self.runner.start(source)
        return self

    def pump_once(self) -> None:
        """Apply what the sources emitted so far (one frame)."""
        self.store.apply(self.pump.drain())

    def wait(self, check: Callable[[Store], bool], timeout: float, what: str) -> None:
        """Pump frames until ``check(store)`` holds, or fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            self.pump_once()
            if check(self.store):
                return
            if time.monotonic() > deadline:
                health = "; ".join(
                    f"{h.source}={h.state} {h.reason}" for h in self.store.health.values()
                )
                pytest.fail(f"timed out after {timeout:.0f}s waiting for {what} ({health})")
            time.sleep(0.05)

    def items(self, cluster: str, kind: Kind) -> dict[str, Resource]:
        """Pump once, then the store's items."""
        self.pump_once()
        return dict(self.store.items(cluster, kind))

    def health(self, cluster: str, source: str) -> SourceHealth | None:
        """A source's last health in the store."""
        return self.store.health.get((cluster, source))

    def stop(self, timeout: float = 5.0) -> float:
        """Stop every source; return how long it took; fail if a thread is still alive."""
        started = time.monotonic()
        self.runner.stop(timeout)
        alive = [t.name for t in self.runner.threads if t.is_alive()]
        assert not alive, f"sources did not stop within {timeout}s: {alive}"
        assert not self.crashes, f"run() raised: {self.crashes}"
        return time.monotonic() - started


@pytest.fixture
def cloud_harness() -> Iterator[SourceHarness]:
    """A fresh store, pump and runner; every source is stopped at the end."""
    h = SourceHarness()
    yield h
    h.runner.stop(5.0)


@pytest.fixture(scope="module")
def moto_server() -> Iterator[MotoServer]:
    """moto server mode (EKS, RDS, CloudWatch) with fake credentials in the environment."""
    saved = {k: os.environ.get(k) for k in _AWS_ENV}
    os.environ.update(_AWS_ENV)
    server = start_moto()
    try:
        yield server
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": AWS_REGION,
    # Never read the developer's own profiles in tests.
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


@pytest.fixture
def aws(moto_server: MotoServer) -> Iterator[Callable[[str], Any]]:
    """``aws("eks")``: a boto3 client against moto, for seeding; state reset afterwards."""
    import boto3

    def client(service: str, region: str = AWS_REGION) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=moto_server.url)

    yield client
    import urllib.request

    # moto's reset endpoint: each test starts from an empty account.
    req = urllib.request.Request(f"{moto_server.url}/moto-api/reset", method="POST")
    urllib.request.urlopen(req, timeout=10).close()


@pytest.fixture
def gcp_fake() -> Iterator[FakeGcp]:
    """The GKE / Cloud SQL / Monitoring REST fake on a free loopback port."""
    fake = FakeGcp().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def gcp_credentials() -> Any:
    """Credentials that send no token: the fake accepts anything."""
    from google.auth.credentials import AnonymousCredentials

    return AnonymousCredentials()  # type: ignore[no-untyped-call]


@pytest.fixture(scope="module")
def postgres_pair() -> Iterator[PostgresPair]:
    """A real PostgreSQL primary and streaming replica on loopback."""
    pair = start_or_skip(start_postgres_pair)
    try:
        yield pair
    finally:
        pair.stop()


@pytest.fixture(scope="module")
def alert_servers() -> Iterator[tuple[Process, Process]]:
    """Real (Prometheus, Alertmanager), Prometheus sending to Alertmanager."""
    am = start_or_skip(start_alertmanager)
    try:
        prom = start_or_skip(lambda: start_prometheus(am.url))
    except BaseException:
        am.stop()
        raise
    try:
        yield prom, am
    finally:
        prom.stop()
        am.stop()
