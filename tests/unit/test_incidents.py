"""The incident rules, called directly: ranks, severities, grouping, wording and order."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from wundr_tui.incidents import (
    LAG_CRITICAL_FACTOR,
    RANK_BROKEN,
    RANK_CONTEXT,
    RANK_DEGRADED,
    RANK_FAILING,
    RANK_INFO,
    RANK_PAGED,
    RANK_UNRATED,
    RANK_WATCH,
    alert_incident,
    blue_green_incident,
    find_incidents,
    hpa_incident,
    node_pool_incidents,
    pod_incidents,
    replica_incident,
    source_incident,
    worst_first,
)
from wundr_tui.model import (
    Alert,
    BlueGreen,
    BlueGreenSpec,
    Cluster,
    Hpa,
    HpaMetric,
    Incident,
    Kind,
    NodePool,
    Pod,
    ReplicaLink,
    Resource,
    SourceHealth,
)

NOW = 5_000.0


def test_ranks_are_ordered_tiers() -> None:
    tiers = [
        RANK_PAGED,
        RANK_BROKEN,
        RANK_FAILING,
        RANK_DEGRADED,
        RANK_WATCH,
        RANK_UNRATED,
        RANK_INFO,
        RANK_CONTEXT,
    ]
    assert tiers == sorted(set(tiers)) and tiers[0] == 0


def test_alert_rank_and_severity_follow_its_label() -> None:
    def firing(severity: str, **kw: str) -> Alert:
        return Alert("HighErrorRate", "f1", severity, "firing", 100.0, **kw)

    crit = alert_incident("c", firing("critical", namespace="ns", service="api", summary="5xx"))
    assert crit == Incident(
        RANK_PAGED, "critical", "c", "ALERT", "HighErrorRate", "ns/api: 5xx", 100.0
    )
    odd = alert_incident("c", firing("page-me"))
    assert odd is not None and (odd.rank, odd.severity, odd.detail) == (
        RANK_UNRATED,
        "warning",
        "page-me",
    )
    info = alert_incident("c", firing("info", source="prom", description="d"))
    assert info is not None and (info.rank, info.severity, info.detail) == (
        RANK_INFO,
        "info",
        "prom: d",
    )
    assert alert_incident("c", Alert("A", "f", "critical", "pending", 1.0)) is None
    assert (
        alert_incident("c", Alert("A", "f", "critical", "firing", 1.0, silenced_by=("s",))) is None
    )
    assert alert_incident("c", Alert("A", "f", "critical", "firing", 1.0, inhibited=True)) is None


def pod(
    name: str, status: str, restarts: int = 0, created: float = 1000.0, owner: str = "api"
) -> Pod:
    return Pod("ns", name, status, 0, 1, restarts, created, "n1", owner)


def test_pods_group_by_owner_and_problem() -> None:
    rows = pod_incidents(
        [
            ("c", pod("api-d", "CrashLoopBackOff", created=40.0)),
            ("c", pod("api-b", "CrashLoopBackOff", created=20.0)),
            ("c", pod("api-c", "CrashLoopBackOff", created=30.0)),
            ("c", pod("api-a", "CrashLoopBackOff", created=50.0)),
            ("c", pod("api-e", "Pending")),
            ("c", pod("solo", "Error", restarts=7, owner="")),
            ("c", pod("odd", "Evicted", owner="")),
        ]
    )
    assert rows == [
        Incident(
            RANK_BROKEN,
            "critical",
            "c",
            "POD",
            "ns/api",
            "4 pods CrashLoopBackOff: api-a, api-b, api-c, …",
            20.0,
        ),
        Incident(RANK_DEGRADED, "warning", "c", "POD", "ns/api-e", "Pending", 1000.0),
        Incident(RANK_FAILING, "warning", "c", "POD", "ns/solo", "Error, 7 restarts", 1000.0),
        Incident(RANK_DEGRADED, "warning", "c", "POD", "ns/odd", "Evicted", 1000.0),
    ]


def test_three_pods_are_all_named_without_ellipsis() -> None:
    rows = pod_incidents([("c", pod(f"api-{i}", "OOMKilled")) for i in range(3)])
    assert [r.detail for r in rows] == ["3 pods OOMKilled: api-0, api-1, api-2"]


def link(lag: float | None, state: str = "streaming", lag_bytes: int | None = None) -> ReplicaLink:
    return ReplicaLink(
        "postgres", "pri", "rep", "us-east-1", "us-west-2", state, lag, lag_bytes, 0.0
    )


def test_replica_lag_warns_past_threshold_and_is_critical_far_past_it() -> None:
    assert replica_incident("c", link(30.0), 30.0, NOW) is None
    warn = replica_incident("c", link(31.0, lag_bytes=2048), 30.0, NOW)
    assert warn == Incident(
        RANK_FAILING,
        "warning",
        "c",
        "DB",
        "rep",
        "lag 31s (2.0KiB) behind pri (us-east-1→us-west-2)",
        NOW,
    )
    at_factor = replica_incident("c", link(LAG_CRITICAL_FACTOR * 30.0), 30.0, NOW)
    assert at_factor is not None and at_factor.severity == "warning"
    crit = replica_incident("c", link(LAG_CRITICAL_FACTOR * 30.0 + 1), 30.0, NOW)
    assert crit is not None and (crit.rank, crit.severity) == (RANK_BROKEN, "critical")
    stopped = replica_incident("c", link(None, state="stopped"), 30.0, NOW)
    assert stopped is not None and stopped.detail == "replication stopped from pri"
    assert replica_incident("c", link(None, state="RUNNABLE"), 30.0, NOW) is None


def test_node_pool_and_hpa_rows() -> None:
    pool = NodePool("spot", 1, 5, 5, "m6i.large", health="QUOTA_EXCEEDED")
    rows = node_pool_incidents("c", pool, 3, 5, NOW)
    # One row per pool (two rows of one pool pushed others off an 80x24 screen), the worst
    # rank of its troubles, short words when several apply.
    assert [(r.rank, r.detail) for r in rows] == [
        (RANK_DEGRADED, "at max 5/5, 2 not ready, QUOTA_EXCEEDED")
    ]
    alone = NodePool("spot", 1, 5, 5, "m6i.large")
    assert [r.detail for r in node_pool_incidents("c", alone, 5, 5, NOW)] == ["at max 5/5 nodes"]
    roomy = NodePool("spot", 1, 9, 5, "m6i.large")
    assert [(r.rank, r.detail) for r in node_pool_incidents("c", roomy, 3, 5, NOW)] == [
        (RANK_DEGRADED, "2 of 5 nodes not ready")
    ]
    assert node_pool_incidents("c", NodePool("ok", 1, 5, 2, "m6i.large"), 2, 2, NOW) == []
    hpa = Hpa("ns", "api", "Deployment/api", 2, 10, 10, 12, (HpaMetric("cpu", 91.4, 70.0),))
    assert hpa_incident("c", hpa, NOW) == Incident(
        RANK_DEGRADED, "warning", "c", "HPA", "ns/api", "at max 10/10 (cpu 91%/70%)", NOW
    )
    assert hpa_incident("c", Hpa("ns", "api", "Deployment/api", 2, 10, 4, 4), NOW) is None


def test_source_and_blue_green_rows() -> None:
    err = source_incident("c", SourceHealth("c", "kube", "error", 7.0, "403 [forbidden]"))
    assert err == Incident(
        RANK_BROKEN, "critical", "c", "SOURCE", "kube", "error: 403 [forbidden]", 7.0
    )
    stale = source_incident("c", SourceHealth("c", "kube", "stale", 7.0))
    assert stale is not None and (stale.rank, stale.detail) == (RANK_WATCH, "stale")
    assert source_incident("c", SourceHealth("c", "kube", "live", 7.0)) is None
    spec = BlueGreenSpec()
    ok = blue_green_incident("c", BlueGreen("c", spec, spec.blue, (3, 3), (0, 0)), NOW)
    assert (ok.rank, ok.severity, ok.detail) == (
        RANK_CONTEXT,
        "info",
        "live: blue 3/3 ready (production-blue)",
    )
    short = blue_green_incident("c", BlueGreen("c", spec, spec.green, (3, 3), (0, 0)), NOW)
    assert (short.rank, short.severity) == (RANK_FAILING, "warning")
    lost = blue_green_incident("c", BlueGreen("c", spec, "", (3, 3), (3, 3)), NOW)
    assert lost.detail == "live: ? 3/3 ready (no match)" and lost.severity == "warning"


def test_worst_first_orders_by_rank_cluster_age_subject() -> None:
    def inc(rank: int, cluster: str, since: float, subject: str) -> Incident:
        return Incident(rank, "warning", cluster, "POD", subject, "", since)

    rows = [
        inc(2, "a", 1.0, "x"),
        inc(1, "unlisted", 9.0, "x"),
        inc(1, "b", 1.0, "x"),
        inc(1, "a", 1.0, "z"),
        inc(1, "a", 1.0, "y"),
        inc(1, "a", 5.0, "z"),
    ]
    assert worst_first(rows, ["a", "b"]) == [
        inc(1, "a", 5.0, "z"),
        inc(1, "a", 1.0, "y"),
        inc(1, "a", 1.0, "z"),
        inc(1, "b", 1.0, "x"),
        inc(1, "unlisted", 9.0, "x"),
        inc(2, "a", 1.0, "x"),
    ]


@dataclass
class View:
    """A hand-built StoreView: the rules need nothing beyond the public reads."""

    clusters: dict[str, Cluster] = field(default_factory=dict)
    health: dict[tuple[str, str], SourceHealth] = field(default_factory=dict)
    lag_threshold: float = 30.0
    objects: dict[Kind, list[tuple[str, Resource]]] = field(default_factory=dict)
    bad_pods: list[tuple[str, Pod]] = field(default_factory=list)

    def effective_health(self, h: SourceHealth) -> SourceHealth:
        return h

    def all(self, kind: Kind) -> Iterator[tuple[str, Resource]]:
        yield from self.objects.get(kind, [])

    def problem_pods(self) -> Iterator[tuple[str, Pod]]:
        yield from self.bad_pods

    def all_node_pools(self) -> Iterator[tuple[str, NodePool]]:
        for cluster, obj in self.all(Kind.NODE_POOL):
            assert isinstance(obj, NodePool)
            yield cluster, obj

    def pool_nodes(self, cluster: str, pool: str) -> tuple[int, int]:
        return 1, 2

    def pool_unready_since(self, cluster: str, pool: str) -> float:
        return 0.0

    def blue_green(self, cluster: str) -> list[BlueGreen]:
        return []


def test_find_incidents_runs_every_rule_on_a_view_worst_first() -> None:
    c = Cluster("c", "aws", "us-east-1", "c")
    view = View(
        clusters={"c": c},
        health={("c", "kube"): SourceHealth("c", "kube", "error", 3.0, "down")},
        objects={
            Kind.ALERT: [("c", Alert("Boom", "f", "critical", "firing", 2.0))],
            Kind.NODE_POOL: [("c", NodePool("p", 1, 3, 2, "m"))],
            Kind.REPLICA_LINK: [("c", link(31.0))],
        },
        bad_pods=[("c", pod("api-a", "Pending"))],
    )
    got = [(i.rank, i.what, i.subject) for i in find_incidents(view, NOW)]
    assert got == [
        (RANK_PAGED, "ALERT", "Boom"),
        (RANK_BROKEN, "SOURCE", "kube"),
        (RANK_FAILING, "DB", "rep"),
        (RANK_DEGRADED, "NODEPOOL", "p"),
        (RANK_DEGRADED, "POD", "ns/api-a"),
    ]
