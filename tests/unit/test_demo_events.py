"""The demo's Warning events follow its story: FailedScheduling on the Pending api-gateway
pods, BackOff on the crash-looping pod, NodeNotReady on the node that goes down; counts grow
while a condition lasts; the same seed gives the same events."""

from __future__ import annotations

from wundr_tui.backends.demo import DemoFleet
from wundr_tui.backends.demo.profiles import EKS_CONTEXT, GKE_CONTEXT
from wundr_tui.clock import FrozenClock
from wundr_tui.model import Kind, KubeEvent, Node, Pod
from wundr_tui.store import Store

T0 = 1_764_115_200.0


def run(seconds: int, seed: int = 7) -> tuple[Store, FrozenClock]:
    clock = FrozenClock(T0)
    fleet = DemoFleet(seed, clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    for _ in range(seconds):
        clock.advance(1)
        store.apply(fleet.tick())
    return store, clock


def events(store: Store, cluster: str, reason: str) -> list[KubeEvent]:
    return [
        e
        for e in store.items(cluster, Kind.EVENT).values()
        if isinstance(e, KubeEvent) and e.reason == reason
    ]


def test_pending_gateway_pods_have_failed_scheduling_for_lack_of_cpu() -> None:
    store, _ = run(85)  # the compute pool at its maximum, gateway pods still Pending
    pending = [
        p
        for p in store.items(EKS_CONTEXT, Kind.POD).values()
        if isinstance(p, Pod) and p.status == "Pending" and p.owner.startswith("api-gateway")
    ]
    assert pending
    nodes = store.count(Kind.NODE, EKS_CONTEXT)
    for pod in pending:
        (e,) = store.events_for(EKS_CONTEXT, Kind.POD, pod.namespace, pod.name)
        assert e.reason == "FailedScheduling" and e.reporter == "default-scheduler"
        assert e.note == f"0/{nodes} nodes are available: {nodes} Insufficient cpu."


def test_the_crash_looping_pod_backs_off_and_its_count_grows() -> None:
    store, _ = run(110)
    crashing = [
        p
        for p in store.items(EKS_CONTEXT, Kind.POD).values()
        if isinstance(p, Pod) and p.status == "CrashLoopBackOff"
    ]
    (pod,) = crashing
    (first,) = [e for e in store.events_for(EKS_CONTEXT, Kind.POD, pod.namespace, pod.name)]
    assert first.reason == "BackOff" and first.reporter == "kubelet"
    assert first.note.startswith(
        f"Back-off restarting failed container setup-toolkit in pod {pod.name}_{pod.namespace}("
    )
    store2, _ = run(125)
    (later,) = events(store2, EKS_CONTEXT, "BackOff")
    assert later.key == first.key
    assert later.count > first.count and later.last_seen > first.last_seen
    assert later.first_seen == first.first_seen


def test_the_node_that_goes_not_ready_has_node_not_ready() -> None:
    store, _ = run(115)
    down = [
        n
        for n in store.items(EKS_CONTEXT, Kind.NODE).values()
        if isinstance(n, Node) and not n.ready
    ]
    assert down
    names = {e.regarding_name for e in events(store, EKS_CONTEXT, "NodeNotReady")}
    assert names and names <= {n.name for n in down}
    (e,) = store.events_for(EKS_CONTEXT, Kind.NODE, "", sorted(names)[0])
    assert e.note == f"Node {e.regarding_name} status is now: NodeNotReady"
    assert (e.namespace, e.regarding_namespace, e.reporter) == ("default", "", "node-controller")


def test_both_clouds_have_events_and_the_same_seed_gives_the_same_ones() -> None:
    a, _ = run(160)
    b, _ = run(160)
    for cluster in (EKS_CONTEXT, GKE_CONTEXT):
        assert a.items(cluster, Kind.EVENT) == b.items(cluster, Kind.EVENT)
        assert events(a, cluster, "BackOff") or events(a, cluster, "NodeNotReady")
    assert all(e.type == "Warning" for _, e in a.all(Kind.EVENT) if isinstance(e, KubeEvent))


def test_old_events_expire() -> None:
    store, clock = run(1300)
    now = clock.now()
    assert all(
        now - e.last_seen <= 900 for _, e in store.all(Kind.EVENT) if isinstance(e, KubeEvent)
    )
