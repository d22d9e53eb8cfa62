"""The store: every event kind, ordering, unknown deletes, relist replacement, incidents."""

from __future__ import annotations

from wundr_tui.clock import FrozenClock
from wundr_tui.events import ClusterSeen, Deleted, Health, Replaced, Upserted
from wundr_tui.format import format_age, format_bytes, format_seconds
from wundr_tui.model import (
    Alert,
    Cluster,
    Deployment,
    Hpa,
    HpaMetric,
    Kind,
    Node,
    NodePool,
    Pod,
    ReplicaLink,
    Service,
    SourceHealth,
)
from wundr_tui.store import Store

EKS = Cluster("arn:aws:eks:us-east-1:1:cluster/prod", "aws", "us-east-1", "prod")
GKE = Cluster("gke_p_us-central1_prod", "gcp", "us-central1", "prod")


def pod(name: str, status: str = "Running", ready: int = 1, restarts: int = 0) -> Pod:
    return Pod("wundr-platform", name, status, ready, 1, restarts, 1000.0, "n1", "api-gateway")


def make_store() -> tuple[Store, FrozenClock]:
    clock = FrozenClock(10_000.0)
    store = Store(clock)
    store.apply([ClusterSeen(EKS), ClusterSeen(GKE)])
    return store, clock


def test_upsert_then_update_touches_only_changed_keys() -> None:
    store, _ = make_store()
    ch = store.apply([Upserted(EKS.name, Kind.POD, (pod("a"), pod("b")))])
    assert ch.touched[Kind.POD] == {(EKS.name, "wundr-platform/a"), (EKS.name, "wundr-platform/b")}
    ch = store.apply([Upserted(EKS.name, Kind.POD, (pod("a"), pod("b", restarts=1)))])
    assert ch.touched[Kind.POD] == {(EKS.name, "wundr-platform/b")}
    assert store.get(EKS.name, Kind.POD, "wundr-platform/b") == pod("b", restarts=1)


def test_same_object_again_is_no_change() -> None:
    store, _ = make_store()
    store.apply([Upserted(EKS.name, Kind.POD, (pod("a"),))])
    gen = store.generation
    ch = store.apply([Upserted(EKS.name, Kind.POD, (pod("a"),))])
    assert not ch
    assert store.generation == gen


def test_events_apply_in_order_within_a_batch() -> None:
    store, _ = make_store()
    store.apply(
        [
            Upserted(EKS.name, Kind.POD, (pod("a", "Pending", 0),)),
            Upserted(EKS.name, Kind.POD, (pod("a"),)),
            Deleted(EKS.name, Kind.POD, ("wundr-platform/a",)),
            Upserted(EKS.name, Kind.POD, (pod("a", "CrashLoopBackOff", 0, 3),)),
        ]
    )
    got = store.get(EKS.name, Kind.POD, "wundr-platform/a")
    assert isinstance(got, Pod) and got.status == "CrashLoopBackOff"


def test_delete_of_unknown_key_is_harmless() -> None:
    store, _ = make_store()
    ch = store.apply([Deleted(EKS.name, Kind.POD, ("nope/nope",))])
    assert not ch.kinds()
    assert store.count(Kind.POD) == 0


def test_replaced_after_relist_drops_vanished_and_keeps_unchanged() -> None:
    store, _ = make_store()
    store.apply([Replaced(EKS.name, Kind.POD, (pod("a"), pod("b"), pod("c")))])
    ch = store.apply([Replaced(EKS.name, Kind.POD, (pod("a"), pod("c", restarts=2), pod("d")))])
    assert set(store.items(EKS.name, Kind.POD)) == {
        "wundr-platform/a",
        "wundr-platform/c",
        "wundr-platform/d",
    }
    touched = {k for _, k in ch.touched[Kind.POD]}
    assert touched == {"wundr-platform/b", "wundr-platform/c", "wundr-platform/d"}


def test_replaced_is_per_cluster() -> None:
    store, _ = make_store()
    store.apply(
        [Replaced(EKS.name, Kind.POD, (pod("a"),)), Replaced(GKE.name, Kind.POD, (pod("a"),))]
    )
    store.apply([Replaced(EKS.name, Kind.POD, ())])
    assert store.count(Kind.POD, EKS.name) == 0
    assert store.count(Kind.POD, GKE.name) == 1


def test_health_event_changes_only_when_state_or_reason_changes() -> None:
    store, clock = make_store()
    h = SourceHealth(EKS.name, "kube/pods", "live", clock.now(), kinds=(Kind.POD,))
    assert store.apply([Health(h)]).health
    assert not store.apply([Health(h)]).health
    err = SourceHealth(
        EKS.name, "kube/pods", "error", clock.now(), "connection refused", (Kind.POD,)
    )
    assert store.apply([Health(err)]).health
    assert store.health_for(EKS.name, Kind.POD)[0].reason == "connection refused"


def test_live_source_without_news_turns_stale() -> None:
    store, clock = make_store()
    store.apply(
        [Health(SourceHealth(EKS.name, "kube/pods", "live", clock.now(), kinds=(Kind.POD,)))]
    )
    h = store.health[(EKS.name, "kube/pods")]
    assert store.effective_health(h).state == "live"
    clock.advance(store.stale_after + 1)
    assert store.effective_health(h).state == "stale"
    store.apply([Upserted(EKS.name, Kind.POD, (pod("a"),))])
    assert store.effective_health(h).state == "live"


def test_cluster_seen_registers_in_order() -> None:
    store, _ = make_store()
    assert list(store.clusters) == [EKS.name, GKE.name]
    assert not store.apply([ClusterSeen(EKS)])


def test_incidents_cover_each_kind_worst_first() -> None:
    store, clock = make_store()
    now = clock.now()
    store.apply(
        [
            Replaced(EKS.name, Kind.POD, (pod("crash", "CrashLoopBackOff", 0, 9), pod("ok"))),
            Replaced(GKE.name, Kind.POD, (pod("wait", "Pending", 0),)),
            Replaced(
                EKS.name,
                Kind.HPA,
                (
                    Hpa(
                        "wundr-platform",
                        "api-gateway-hpa",
                        "Deployment/api-gateway",
                        3,
                        20,
                        20,
                        20,
                        (HpaMetric("cpu", 95.0, 70.0),),
                    ),
                ),
            ),
            Replaced(
                GKE.name, Kind.NODE_POOL, (NodePool("compute-pool", 3, 20, 20, "c2-standard-8"),)
            ),
            Replaced(GKE.name, Kind.NODE, (Node("n1", "compute-pool", False),)),
            Replaced(
                EKS.name,
                Kind.REPLICA_LINK,
                (
                    ReplicaLink(
                        "rds",
                        "db",
                        "db-replica",
                        "us-east-1",
                        "us-west-2",
                        "replicating",
                        200.0,
                        5_000_000,
                        now,
                    ),
                ),
            ),
            Replaced(
                EKS.name,
                Kind.ALERT,
                (
                    Alert("HighErrorRate", "f1", "critical", "firing", now - 60, "High error rate"),
                    Alert("Silenced", "f2", "critical", "firing", now, silenced_by=("s1",)),
                    Alert("Later", "f3", "warning", "pending", now),
                ),
            ),
            Replaced(
                EKS.name,
                Kind.SERVICE,
                (
                    Service(
                        "wundr-platform",
                        "wundr-platform-service",
                        (("app", "api-gateway"), ("environment", "production-blue")),
                    ),
                ),
            ),
            Replaced(
                EKS.name,
                Kind.DEPLOYMENT,
                (
                    Deployment(
                        "wundr-platform",
                        "api-gateway-blue",
                        3,
                        3,
                        3,
                        3,
                        (("app", "api-gateway"), ("environment", "production-blue")),
                    ),
                ),
            ),
        ]
    )
    incidents = store.incidents()
    whats = [i.what for i in incidents]
    for what in ("ALERT", "POD", "HPA", "NODEPOOL", "DB", "BLUE/GREEN"):
        assert what in whats, what
    assert incidents[0].severity == "critical"
    ranks = [i.rank for i in incidents]
    assert ranks == sorted(ranks)
    alerts = [i for i in incidents if i.what == "ALERT"]
    assert len(alerts) == 1, "silenced and pending alerts are not incidents"
    bg = next(i for i in incidents if i.what == "BLUE/GREEN")
    assert bg.severity == "info" and "blue" in bg.detail and "3/3" in bg.detail
    pods = [i for i in incidents if i.what == "POD"]
    assert {p.cluster for p in pods} == {EKS.name, GKE.name}


def test_pod_recovering_leaves_incidents() -> None:
    store, _ = make_store()
    store.apply([Upserted(EKS.name, Kind.POD, (pod("a", "CrashLoopBackOff", 0),))])
    assert any(i.what == "POD" for i in store.incidents())
    store.apply([Upserted(EKS.name, Kind.POD, (pod("a"),))])
    assert not any(i.what == "POD" for i in store.incidents())
    store.apply([Upserted(EKS.name, Kind.POD, (pod("a", "Pending", 0),))])
    store.apply([Deleted(EKS.name, Kind.POD, ("wundr-platform/a",))])
    assert not any(i.what == "POD" for i in store.incidents())


def test_many_bad_pods_of_one_owner_are_one_row() -> None:
    store, _ = make_store()
    store.apply(
        [
            Replaced(
                EKS.name, Kind.POD, tuple(pod(f"p{i}", "CrashLoopBackOff", 0) for i in range(50))
            )
        ]
    )
    rows = [i for i in store.incidents() if i.what == "POD"]
    assert len(rows) == 1 and rows[0].detail.startswith("50 pods CrashLoopBackOff")


def test_lag_history_and_pool_nodes() -> None:
    store, clock = make_store()
    for lag in (1.0, 5.0, 40.0):
        link = ReplicaLink("postgres", "p", "r", "a", "b", "streaming", lag, 10, clock.now())
        store.apply([Upserted(EKS.name, Kind.REPLICA_LINK, (link,))])
    assert list(store.lag_history[(EKS.name, "postgres:p>r")]) == [1.0, 5.0, 40.0]
    store.apply(
        [
            Replaced(
                EKS.name,
                Kind.NODE,
                (Node("a", "pool", True), Node("b", "pool", False), Node("c", "other", True)),
            )
        ]
    )
    assert store.pool_nodes(EKS.name, "pool") == (1, 2)


def test_unknown_lag_is_not_an_incident() -> None:
    store, clock = make_store()
    link = ReplicaLink("postgres", "p", "r", "a", "b", "streaming", None, None, clock.now())
    store.apply([Upserted(EKS.name, Kind.REPLICA_LINK, (link,))])
    assert not [i for i in store.incidents() if i.what == "DB"]


def test_formatting() -> None:
    assert format_seconds(42) == "42s"
    assert format_seconds(190) == "3m10s"
    assert format_age(30) == "30s" and format_age(3 * 86400) == "3d"
    assert format_bytes(512) == "512B" and format_bytes(3 * 1024 * 1024) == "3.0MiB"


def test_pools_known_only_from_node_labels_are_listed() -> None:
    store, _ = make_store()
    store.apply(
        [
            Replaced(EKS.name, Kind.NODE_POOL, (NodePool("cloud-pool", 1, 3, 2, "m6i.large"),)),
            Replaced(
                EKS.name,
                Kind.NODE,
                (
                    Node("a", "cloud-pool", True),
                    Node("b", "label-pool", False, "c6i.large"),
                ),
            ),
        ]
    )
    pools = {p.name: p for p in store.node_pools(EKS.name)}
    assert set(pools) == {"cloud-pool", "label-pool"}
    only = pools["label-pool"]
    assert only.min_size == -1 and only.status == "nodes only" and not only.at_max
    assert only.machine_type == "c6i.large"
    assert any(
        i.what == "NODEPOOL" and i.subject == "label-pool" and "not ready" in i.detail
        for i in store.incidents()
    )
