"""Kubernetes events over HTTP with the real client path against the test apiserver: Warning
events only (the server filters), one row per (object, reason), watch updates and expiry,
and a 403 on events that leaves every other kind alone."""

from __future__ import annotations

from tests.fakes.k8s_events import kube_event
from tests.fakes.kube_fixtures import EKS_CONTEXT, GKE_CONTEXT, KubeHarness, KubeWorld
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.backends.kube.events import FORBIDDEN
from wundr_tui.config import ClusterConfig, Config
from wundr_tui.model import Kind, KubeEvent
from wundr_tui.store import Store

NS = "wundr-platform"
CRASHER = "payments-green-7d9f8c6b5-00001"
T0 = 1_764_115_200.0


def _start(harness: KubeHarness, **configs: ClusterConfig) -> None:
    for cluster in discover_clusters(Config()):
        harness.start(cluster, configs.get(cluster.name))


def _events(store: Store, context: str) -> list[KubeEvent]:
    return [e for e in store.items(context, Kind.EVENT).values() if isinstance(e, KubeEvent)]


def _live(harness: KubeHarness, context: str) -> bool:
    h = harness.health(context, "kube/events")
    return h is not None and h.state == "live"


def test_warning_events_arrive_merged_by_object_and_reason(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """A native series and an older core/v1 event for the same pod and reason are one row
    (highest count, latest time); a Normal event never arrives (fieldSelector=type=Warning)."""
    eks = kube_world.eks
    eks.state.put(
        "events",
        kube_event(
            f"{CRASHER}.old",
            regarding_name=CRASHER,
            count=9,
            first=T0,
            last=T0 + 100,
            legacy=True,
            note="Back-off restarting failed container setup (old)",
        ),
    )
    eks.state.put(
        "events",
        kube_event(
            f"{CRASHER}.new",
            regarding_name=CRASHER,
            count=3,
            first=T0 + 200,
            last=T0 + 400,
            note="Back-off restarting failed container setup-toolkit",
        ),
    )
    eks.state.put(
        "events",
        kube_event(
            f"{CRASHER}.pulled",
            regarding_name=CRASHER,
            type="Normal",
            reason="Pulled",
            note="Successfully pulled image",
        ),
    )
    eks.state.put(
        "events",
        kube_event(
            "ip-10-0-5-1.ec2.internal.1",
            namespace="default",
            regarding_kind="Node",
            regarding_name="ip-10-0-5-1.ec2.internal",
            reason="NodeNotReady",
            note="Node ip-10-0-5-1.ec2.internal status is now: NodeNotReady",
            reporter="node-controller",
        ),
    )
    _start(kube_harness)
    kube_harness.wait_for(
        lambda s: _live(kube_harness, EKS_CONTEXT) and len(_events(s, EKS_CONTEXT)) == 2
    )
    store = kube_harness.store
    (backoff,) = store.events_for(EKS_CONTEXT, Kind.POD, NS, CRASHER)
    assert (backoff.reason, backoff.count) == ("BackOff", 9)
    assert (backoff.first_seen, backoff.last_seen) == (T0, T0 + 400)
    assert backoff.note == "Back-off restarting failed container setup-toolkit"
    assert backoff.reporter == "kubelet"
    (node,) = store.events_for(EKS_CONTEXT, Kind.NODE, "", "ip-10-0-5-1.ec2.internal")
    assert (node.reason, node.reporter, node.regarding_namespace) == (
        "NodeNotReady",
        "node-controller",
        "",
    )
    lists = eks.requests(lambda r: r.path == "/apis/events.k8s.io/v1/events")
    assert lists and all(r.query.get("fieldSelector") == ["type=Warning"] for r in lists)
    assert _events(store, GKE_CONTEXT) == []


def test_a_watch_update_moves_the_row_and_expiry_takes_only_its_share(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    eks = kube_world.eks
    _start(kube_harness)
    kube_harness.wait_for(
        lambda s: _live(kube_harness, EKS_CONTEXT) and eks.open_watches("/apis/events.k8s.io") == 1
    )
    eks.state.put(
        "events",
        kube_event(f"{CRASHER}.a", regarding_name=CRASHER, count=2, first=T0, last=T0 + 10),
    )
    kube_harness.wait_for(
        lambda s: [e.count for e in s.events_for(EKS_CONTEXT, Kind.POD, NS, CRASHER)] == [2]
    )
    # The series goes on (MODIFIED), and a second event object joins the row.
    eks.state.put(
        "events",
        kube_event(f"{CRASHER}.a", regarding_name=CRASHER, count=12, first=T0, last=T0 + 300),
    )
    eks.state.put(
        "events",
        kube_event(
            f"{CRASHER}.b",
            regarding_name=CRASHER,
            count=1,
            first=T0 + 500,
            last=T0 + 500,
            note="newest",
        ),
    )
    kube_harness.wait_for(
        lambda s: (
            [
                (e.count, e.last_seen, e.note)
                for e in s.events_for(EKS_CONTEXT, Kind.POD, NS, CRASHER)
            ]
            == [(12, T0 + 500, "newest")]
        )
    )
    # The newer object expires (DELETED): the row stays with what the older one says.
    eks.state.delete("events", f"{NS}/{CRASHER}.b")
    kube_harness.wait_for(
        lambda s: (
            [(e.count, e.last_seen) for e in s.events_for(EKS_CONTEXT, Kind.POD, NS, CRASHER)]
            == [(12, T0 + 300)]
        )
    )
    eks.state.delete("events", f"{NS}/{CRASHER}.a")
    kube_harness.wait_for(
        lambda s: (
            s.events_for(EKS_CONTEXT, Kind.POD, NS, CRASHER) == [] and _events(s, EKS_CONTEXT) == []
        )
    )
    # A Normal event created while watching is filtered by the server, too.
    eks.state.put(
        "events", kube_event(f"{CRASHER}.n", regarding_name=CRASHER, type="Normal", reason="Pulled")
    )
    eks.state.put("events", kube_event(f"{CRASHER}.w", regarding_name=CRASHER, reason="Unhealthy"))
    kube_harness.wait_for(lambda s: len(_events(s, EKS_CONTEXT)) == 1)
    assert [e.reason for e in _events(kube_harness.store, EKS_CONTEXT)] == ["Unhealthy"]


def test_events_in_configured_namespaces_are_watched_there(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """With namespaces in the config each one has its own events watch; rows still merge."""
    eks = kube_world.eks
    eks.state.put("events", kube_event("a.1", regarding_name="a", reason="FailedMount"))
    eks.state.put("events", kube_event("b.1", namespace="other", regarding_name="b"))
    config = ClusterConfig(context=EKS_CONTEXT, namespaces=(NS, "team-01"))
    _start(kube_harness, **{EKS_CONTEXT: config})
    kube_harness.wait_for(
        lambda s: (
            [e.regarding_name for e in _events(s, EKS_CONTEXT)] == ["a"]
            and all(
                (h := kube_harness.health(EKS_CONTEXT, f"kube/events@{ns}")) is not None
                and h.state == "live"
                for ns in (NS, "team-01")
            )
        )
    )
    eks.state.delete("events", f"{NS}/a.1")
    kube_harness.wait_for(lambda s: _events(s, EKS_CONTEXT) == [])


def test_forbidden_events_say_so_and_every_other_kind_goes_on(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    kube_world.eks.faults.forbidden = {("list", "events")}
    kube_world.eks.state.put("events", kube_event(f"{CRASHER}.x", regarding_name=CRASHER))
    kube_world.gke.state.put("events", kube_event("gke-pod.1", regarding_name="gke-pod"))
    _start(kube_harness)
    kube_harness.wait_for(
        lambda s: (
            (h := kube_harness.health(EKS_CONTEXT, "kube/events")) is not None
            and (h.state, h.reason) == ("error", FORBIDDEN)
            and s.count(Kind.POD, EKS_CONTEXT) == 40
            and s.count(Kind.DEPLOYMENT, EKS_CONTEXT) == 8
            and len(_events(s, GKE_CONTEXT)) == 1
        )
    )
    assert FORBIDDEN == "events: forbidden (RBAC: events list/watch)"
    # Every other kind goes live (waited for: on a loaded machine the node list can still be
    # connecting when the pods are in).
    kinds = ("pods", "deployments", "services", "horizontalpodautoscalers", "nodes")
    kube_harness.wait_for(
        lambda s: all(
            (h := kube_harness.health(EKS_CONTEXT, f"kube/{kind}")) is not None
            and h.state == "live"
            for kind in kinds
        )
    )
    events = kube_harness.health(EKS_CONTEXT, "kube/events")
    assert events is not None and (events.state, events.reason) == ("error", FORBIDDEN)
    assert _events(kube_harness.store, EKS_CONTEXT) == []
    # RBAC granted later: the next try (forbidden_retry) brings the events in.
    kube_world.eks.faults.forbidden = set()
    kube_harness.wait_for(lambda s: len(_events(s, EKS_CONTEXT)) == 1, timeout=15)
