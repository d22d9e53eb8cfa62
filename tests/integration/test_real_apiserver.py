"""The cockpit's Kubernetes backend against a real etcd + kube-apiserver (issue 16), opt-in.

Set ``WUNDR_KUBE_APISERVER`` and ``WUNDR_ETCD`` to the binaries' paths; without them every test
here skips. The servers run on 127.0.0.1 free ports (see real_apiserver.py) and are stopped at
the end of the module.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.kube_fixtures import FAST, KubeHarness
from tests.integration.real_apiserver import RealCluster, binaries
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import Config
from wundr_tui.events import Replaced
from wundr_tui.model import Kind, Pod

pytestmark = pytest.mark.skipif(
    binaries() is None, reason="WUNDR_KUBE_APISERVER and WUNDR_ETCD not set"
)

CONTEXT = "real-apiserver"
NAMESPACES = ("shop", "payments")
PODS_PER_NAMESPACE = 150


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealCluster]:
    found = binaries()
    assert found is not None
    cluster = RealCluster(tmp_path_factory.mktemp("real-apiserver"), *found)
    try:
        cluster.start()
        cluster.create_namespaces(NAMESPACES)
        cluster.create_pods(
            (ns, f"web-{i:05d}") for ns in NAMESPACES for i in range(PODS_PER_NAMESPACE)
        )
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def harness(
    real: RealCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[KubeHarness]:
    monkeypatch.setenv("KUBECONFIG", str(real.kubeconfig(tmp_path / "kubeconfig", CONTEXT)))
    h = KubeHarness()
    yield h
    if not h.stop.is_set():
        h.close()


def _keys(real: RealCluster) -> set[str]:
    items = real.request("GET", "/api/v1/pods")["items"]
    return {f"{p['metadata']['namespace']}/{p['metadata']['name']}" for p in items}


def _live(h: KubeHarness) -> bool:
    health = h.health(CONTEXT, "kube/pods")
    return health is not None and health.state == "live"


def _start(h: KubeHarness, real: RealCluster, watch_seconds: int = 20) -> None:
    (cluster,) = discover_clusters(Config(), [CONTEXT])
    h.start(cluster, tuning=dataclasses.replace(FAST, watch_seconds=watch_seconds))
    want = _keys(real)
    h.wait_for(lambda s: _live(h) and set(s.items(CONTEXT, Kind.POD)) == want, timeout=30)


def test_lists_every_pod_of_a_real_apiserver(harness: KubeHarness, real: RealCluster) -> None:
    """Every pod POSTed to the real server reaches the store, and the pods source is live."""
    _start(harness, real)
    assert harness.store.count(Kind.POD, CONTEXT) == len(NAMESPACES) * PODS_PER_NAMESPACE
    pod = harness.store.get(CONTEXT, Kind.POD, "shop/web-00007")
    assert isinstance(pod, Pod) and pod.namespace == "shop"


def test_watches_creates_and_deletes(harness: KubeHarness, real: RealCluster) -> None:
    """After the list, the watch carries the server's changes both ways."""
    _start(harness, real)
    real.create_pods([("shop", "late-00001")])
    real.request("DELETE", "/api/v1/namespaces/payments/pods/web-00003")
    harness.wait_for(
        lambda s: (
            s.get(CONTEXT, Kind.POD, "shop/late-00001") is not None
            and s.get(CONTEXT, Kind.POD, "payments/web-00003") is None
        ),
        timeout=15,
    )


def test_watch_resumes_without_relisting(harness: KubeHarness, real: RealCluster) -> None:
    """The server ends each watch after timeoutSeconds (1 s here); the source resumes from its
    resourceVersion: changes made across several resumptions arrive, and the list that filled
    the store (one Replaced) is never repeated."""
    _start(harness, real, watch_seconds=1)
    replaced = sum(1 for e in harness.events if isinstance(e, Replaced) and e.kind is Kind.POD)
    deadline = time.monotonic() + 4.5  # several 1-second watches end and resume
    made: list[str] = []
    while time.monotonic() < deadline:
        name = f"resume-{len(made):05d}"
        real.create_pods([("shop", name)])
        made.append(f"shop/{name}")
        time.sleep(0.7)
    harness.wait_for(lambda s: all(s.get(CONTEXT, Kind.POD, k) is not None for k in made), 15)
    harness.wait_for(lambda s: set(s.items(CONTEXT, Kind.POD)) == _keys(real), 15)
    after = sum(1 for e in harness.events if isinstance(e, Replaced) and e.kind is Kind.POD)
    assert after == replaced, "a watch that ended must resume, not relist"


def test_the_real_server_streams_lists_as_the_fake_does(real: RealCluster) -> None:
    """The wire fact the fake copies: a watch-list answers every pod as ADDED, then a BOOKMARK
    annotated k8s.io/initial-events-end (and only that one), on one stream."""
    resp = real.open_stream(
        "/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
        "&allowWatchBookmarks=true&timeoutSeconds=10"
    )
    added: set[str] = set()
    try:
        for line in resp:
            event = json.loads(line)
            meta = event["object"]["metadata"]
            if event["type"] == "BOOKMARK":
                assert meta["annotations"]["k8s.io/initial-events-end"] == "true"
                assert int(meta["resourceVersion"]) > 0
                break
            assert event["type"] == "ADDED"
            added.add(f"{meta['namespace']}/{meta['name']}")
            assert len(added) < 10_000, "bounded"
    finally:
        resp.close()
    assert added == _keys(real)
