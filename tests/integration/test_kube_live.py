"""KubeSource over HTTP against the fake apiserver: two contexts, list + watch, into a Store."""

from __future__ import annotations

import dataclasses
import threading
import time

from tests.fakes.k8s_objects import deployment, pod
from tests.fakes.kube_fixtures import (
    EKS_CONTEXT,
    FAST,
    GKE_CONTEXT,
    KubeHarness,
    KubeWorld,
    assert_no_mutating_requests,
)
from wundr_tui.backends.kube import KubeSource
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import Config
from wundr_tui.model import Deployment, Hpa, Kind, Node, Pod
from wundr_tui.store import Store

SOURCES = (
    "pods",
    "deployments",
    "services",
    "horizontalpodautoscalers",
    "nodes",
    "schedules",
    "backups",
    "restores",
)


def _all_live(store: Store, clusters: tuple[str, ...] = (EKS_CONTEXT, GKE_CONTEXT)) -> bool:
    return all(
        (h := store.health.get((c, f"kube/{s}"))) is not None and h.state == "live"
        for c in clusters
        for s in SOURCES
    )


def _server_pods(world: KubeWorld, context: str) -> set[str]:
    return set(world.servers[context].state.keys("pods"))


def _start_both(world: KubeWorld, harness: KubeHarness) -> None:
    for cluster in discover_clusters(Config()):
        harness.start(cluster)
    harness.wait_for(
        lambda s: (
            _all_live(s)
            and set(s.items(EKS_CONTEXT, Kind.POD)) == _server_pods(world, EKS_CONTEXT)
            and set(s.items(GKE_CONTEXT, Kind.POD)) == _server_pods(world, GKE_CONTEXT)
        )
    )


def test_two_contexts_show_everything(kube_world: KubeWorld, kube_harness: KubeHarness) -> None:
    """An EKS-named and a GKE-named context, discovered from kubeconfig, fill the store."""
    _start_both(kube_world, kube_harness)
    store = kube_harness.store
    eks, gke = store.clusters[EKS_CONTEXT], store.clusters[GKE_CONTEXT]
    assert (eks.cloud, eks.region, eks.cluster_name) == ("aws", "us-east-1", "wundr-production")
    assert (gke.cloud, gke.region, gke.cluster_name) == ("gcp", "europe-west1", "wundr-production")
    for context, pods in ((EKS_CONTEXT, 40), (GKE_CONTEXT, 30)):
        assert store.count(Kind.POD, context) == pods
        assert store.count(Kind.DEPLOYMENT, context) == 8
        assert store.count(Kind.SERVICE, context) == 1
        assert store.count(Kind.HPA, context) == 4
        assert store.count(Kind.NODE, context) == 6
        assert store.count(Kind.SCHEDULE, context) == 1
        assert store.count(Kind.BACKUP, context) == 1
        assert store.count(Kind.RESTORE, context) == 1
    crash = store.get(EKS_CONTEXT, Kind.POD, "wundr-platform/payments-green-7d9f8c6b5-00001")
    assert isinstance(crash, Pod)
    assert (crash.status, crash.ready, crash.restarts) == ("CrashLoopBackOff", 0, 7)
    assert crash.owner == "payments-green"
    orders = store.get(GKE_CONTEXT, Kind.HPA, "wundr-platform/orders")
    assert isinstance(orders, Hpa) and orders.at_max and orders.target == "Deployment/orders-blue"
    assert orders.metrics[0].current == 55 and orders.metrics[0].target == 70
    assert store.pool_nodes(EKS_CONTEXT, "spot") == (1, 2)
    assert store.pool_nodes(GKE_CONTEXT, "default-pool") == (2, 2)
    gnode = next(iter(store.items(GKE_CONTEXT, Kind.NODE).values()))
    assert isinstance(gnode, Node) and gnode.machine_type == "e2-standard-4"
    assert [bg.live_colour for bg in store.blue_green(EKS_CONTEXT)] == ["blue"]
    assert any(i.what == "POD" and "CrashLoopBackOff" in i.detail for i in store.incidents())


def test_watch_events_reach_the_store(kube_world: KubeWorld, kube_harness: KubeHarness) -> None:
    """Added, modified and deleted objects show up in the next frames."""
    _start_both(kube_world, kube_harness)
    eks = kube_world.eks.state
    eks.put(
        "pods",
        pod("wundr-platform", "orders-blue-7d9f8c6b5-new01", owner="orders-blue", phase="Pending"),
    )
    eks.put(
        "deployments",
        deployment(
            "wundr-platform",
            "orders-blue",
            replicas=5,
            ready=3,
            labels={"environment": "production-blue"},
        ),
    )
    eks.delete("pods", "wundr-platform/api-gateway-blue-7d9f8c6b5-00000")
    start = time.monotonic()

    def arrived(s: Store) -> bool:
        new = s.get(EKS_CONTEXT, Kind.POD, "wundr-platform/orders-blue-7d9f8c6b5-new01")
        dep = s.get(EKS_CONTEXT, Kind.DEPLOYMENT, "wundr-platform/orders-blue")
        gone = s.get(EKS_CONTEXT, Kind.POD, "wundr-platform/api-gateway-blue-7d9f8c6b5-00000")
        return (
            isinstance(new, Pod)
            and new.status == "ContainerCreating"
            and isinstance(dep, Deployment)
            and dep.desired == 5
            and dep.unavailable == 2
            and gone is None
        )

    kube_harness.wait_for(arrived, timeout=5)
    assert time.monotonic() - start < 2.0
    assert set(kube_harness.store.items(EKS_CONTEXT, Kind.POD)) == _server_pods(
        kube_world, EKS_CONTEXT
    )


def test_sources_send_no_mutating_request(kube_world: KubeWorld, kube_harness: KubeHarness) -> None:
    """--read-only holds by construction: watching sends only GETs, even through faults."""
    _start_both(kube_world, kube_harness)
    kube_world.eks.drop_watches()
    kube_world.gke.state.compact()
    kube_world.gke.drop_watches()
    time.sleep(0.5)
    kube_harness.frame()
    kube_harness.close()
    assert_no_mutating_requests(kube_world.eks, kube_world.gke)


def test_stop_is_prompt_even_while_a_request_stalls(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """A stalled apiserver does not hold up stopping."""
    kube_world.eks.faults.add("stall", path="/pods", seconds=30, count=-1)
    for cluster in discover_clusters(Config()):
        kube_harness.start(cluster)
    kube_harness.wait_for(lambda s: s.count(Kind.DEPLOYMENT, EKS_CONTEXT) == 8)
    assert kube_harness.close() < 4.0


def test_table_and_json_formats_give_the_same_pods(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """Pods read as Table rows (the default) equal pods read as whole JSON objects."""
    eks = kube_world.eks.state
    eks.put(
        "pods",
        pod(
            "wundr-platform",
            "orders-blue-7d9f8c6b5-pend1",
            owner="orders-blue",
            phase="Pending",
            ready=False,
        ),
    )
    eks.put(
        "pods",
        pod(
            "wundr-platform",
            "orders-blue-7d9f8c6b5-term1",
            owner="orders-blue",
            deleting=True,
            restarts=2,
        ),
    )
    eks.put("pods", pod("wundr-platform", "sidecar-7d9f8c6b5-two01", owner="sidecar", containers=2))
    cluster = discover_clusters(Config(), [EKS_CONTEXT])[0]
    table = kube_harness.start(cluster, tuning=FAST)
    kube_harness.wait_for(lambda s: s.count(Kind.POD, EKS_CONTEXT) == 43)
    from_table = dict(kube_harness.store.items(EKS_CONTEXT, Kind.POD))
    kube_harness.close()
    assert table.pod_format == "table"
    assert any("includeObject" in r.query for r in kube_world.eks.requests())

    other = KubeHarness()
    try:
        source = KubeSource(cluster, tuning=FAST, pod_format="json")
        thread = threading.Thread(target=source.run, args=(other.pump.emit, other.stop))
        thread.start()
        other.threads.append(thread)
        other.wait_for(lambda s: s.count(Kind.POD, EKS_CONTEXT) == 43)
        from_json = dict(other.store.items(EKS_CONTEXT, Kind.POD))
    finally:
        other.close()
    # The one field a Table row cannot carry: when the Ready condition stopped being True
    # (rows hold cells and metadata, not status). The JSON path has it; from the Table the
    # Incident pane's age starts when the cockpit first saw the pod failing.
    assert {k: dataclasses.replace(p, since=0.0) for k, p in from_json.items()} == from_table
    assert any(isinstance(p, Pod) and p.since > 0 for p in from_json.values())
    statuses = {p.status for p in from_json.values() if isinstance(p, Pod)}
    assert {"Running", "CrashLoopBackOff", "ContainerCreating", "Terminating"} <= statuses


def test_plain_json_answer_to_a_table_request_still_works(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """A server (or proxy) that ignores the Table Accept header answers JSON: pods still load
    and watch events still apply."""
    kube_world.eks.faults.tables = False
    cluster = discover_clusters(Config(), [EKS_CONTEXT])[0]
    kube_harness.start(cluster)
    kube_harness.wait_for(lambda s: s.count(Kind.POD, EKS_CONTEXT) == 40)
    kube_harness.wait_for(lambda s: kube_world.eks.open_watches("/api/v1/pods") == 1)
    kube_world.eks.state.delete("pods", "wundr-platform/orders-blue-7d9f8c6b5-00000")
    kube_harness.wait_for(lambda s: s.count(Kind.POD, EKS_CONTEXT) == 39)
    crash = kube_harness.store.get(
        EKS_CONTEXT, Kind.POD, "wundr-platform/payments-green-7d9f8c6b5-00001"
    )
    assert isinstance(crash, Pod) and crash.status == "CrashLoopBackOff"
