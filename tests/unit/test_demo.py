"""The demo fleet: shaped like the seed platform, alive, deterministic, cheap, and operable."""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from wundr_tui.backends.base import OperationError, Source
from wundr_tui.backends.demo import (
    EKS_CONTEXT,
    GKE_CONTEXT,
    SOURCES,
    DemoFleet,
    DemoSource,
)
from wundr_tui.clock import FrozenClock
from wundr_tui.codec import encode
from wundr_tui.events import ClusterSeen, Deleted, Event, Health, Replaced, Upserted
from wundr_tui.model import (
    Alert,
    Backup,
    BackupSchedule,
    Deployment,
    Hpa,
    Kind,
    Node,
    NodePool,
    Pod,
    ReplicaLink,
    Restore,
    Service,
)
from wundr_tui.store import Store

NS = "wundr-platform"


class Demo:
    """A fleet on a frozen clock feeding a store, stepped one simulated second at a time."""

    def __init__(self, seed: int = 7) -> None:
        self.clock = FrozenClock()
        self.fleet = DemoFleet(seed, self.clock)
        self.store = Store(self.clock)
        self.stream: list[Event] = self.fleet.initial_events()
        self.store.apply(self.stream)

    def run(self, seconds: int) -> list[Event]:
        events: list[Event] = []
        for _ in range(seconds):
            self.clock.advance(1)
            batch = self.fleet.tick()
            self.store.apply(batch)
            events.extend(batch)
        self.stream.extend(events)
        return events

    def get(self, cluster: str, kind: Kind, key: str) -> object:
        return self.store.get(cluster, kind, key)


@pytest.fixture
def demo() -> Demo:
    return Demo()


def test_two_clusters_shaped_like_the_seed() -> None:
    eks, gke = DemoFleet(clock=FrozenClock()).clusters()
    assert (eks.name, eks.cloud, eks.region, eks.cluster_name, eks.production) == (
        EKS_CONTEXT,
        "aws",
        "us-east-1",
        "wundr-production",
        True,
    )
    assert (gke.name, gke.cloud, gke.region, gke.cluster_name) == (
        GKE_CONTEXT,
        "gcp",
        "us-central1",
        "wundr-production",
    )


def test_initial_events_announce_clusters_list_every_kind_and_report_health(demo: Demo) -> None:
    events = demo.fleet.initial_events()
    seen = [e.cluster.name for e in events if isinstance(e, ClusterSeen)]
    assert seen == [EKS_CONTEXT, GKE_CONTEXT]
    for cluster in seen:
        kinds = {e.kind for e in events if isinstance(e, Replaced) and e.cluster == cluster}
        assert kinds == set(Kind)
        health = {
            e.health.source: e.health
            for e in events
            if isinstance(e, Health) and e.health.cluster == cluster
        }
        assert set(health) == set(SOURCES)
        assert all(h.state == "live" for h in health.values())
        assert health["kube"].kinds == SOURCES["kube"]
    assert not any(isinstance(e, Upserted | Deleted) for e in events)


def test_workloads_service_and_hpa_match_the_seed(demo: Demo) -> None:
    for cluster in (EKS_CONTEXT, GKE_CONTEXT):
        deps = demo.store.items(cluster, Kind.DEPLOYMENT)
        for name in (
            "api-gateway-blue",
            "api-gateway-green",
            "analysis-engine",
            "web-client",
            "setup-toolkit",
        ):
            assert f"{NS}/{name}" in deps
        blue = deps[f"{NS}/api-gateway-blue"]
        assert isinstance(blue, Deployment)
        assert dict(blue.pod_labels)["environment"] == "production-blue"
        analysis = deps[f"{NS}/analysis-engine"]
        assert isinstance(analysis, Deployment) and analysis.desired == 5

        svc = demo.get(cluster, Kind.SERVICE, f"{NS}/wundr-platform-service")
        assert isinstance(svc, Service)
        assert dict(svc.selector) == {"app": "api-gateway", "environment": "production-blue"}
        assert svc.ready_endpoints == 3

        hpa = demo.get(cluster, Kind.HPA, f"{NS}/api-gateway-hpa")
        assert isinstance(hpa, Hpa)
        assert (hpa.target, hpa.min_replicas, hpa.max_replicas) == (
            "Deployment/api-gateway-blue",
            3,
            20,
        )
        assert {(m.name, m.target) for m in hpa.metrics} == {("cpu", 70.0), ("memory", 80.0)}

        (bg,) = demo.store.blue_green(cluster)
        assert bg.live_colour == "blue"
        assert bg.blue_ready == (3, 3) and bg.green_ready == (3, 3)

        pods = demo.store.items(cluster, Kind.POD).values()
        namespaces = {p.namespace for p in pods if isinstance(p, Pod)}
        assert {NS, "kube-system", "velero"} <= namespaces
        assert 25 <= demo.store.count(Kind.POD, cluster) <= 60


def test_pod_and_node_names_look_real(demo: Demo) -> None:
    rs_pod = re.compile(r"^api-gateway-blue-[b-z2-9]{9,10}-[b-z2-9]{5}$")
    eks_node = re.compile(r"^ip-10-0-\d{1,3}-\d{1,3}\.ec2\.internal$")
    gke_node = re.compile(
        r"^gke-wundr-production-(system|compute|memory)-pool-[0-9a-f]{8}-[a-z0-9]{4}$"
    )
    for cluster, node_name in ((EKS_CONTEXT, eks_node), (GKE_CONTEXT, gke_node)):
        blue = [
            p
            for p in demo.store.items(cluster, Kind.POD).values()
            if isinstance(p, Pod) and p.owner == "api-gateway-blue"
        ]
        assert len(blue) == 3
        for pod in blue:
            assert rs_pod.match(pod.name), pod.name
            assert pod.status == "Running" and pod.ready == pod.containers
        # Required anti-affinity: one api-gateway-blue pod per node.
        assert len({p.node for p in blue}) == 3
        nodes = demo.store.items(cluster, Kind.NODE)
        assert len(nodes) == 8
        for node in nodes.values():
            assert isinstance(node, Node)
            assert node_name.match(node.name), node.name
            assert node.ready


def test_node_pools_on_both_clouds(demo: Demo) -> None:
    expected = {
        EKS_CONTEXT: {
            "system-pool": "m6i.xlarge",
            "compute-pool": "c6i.2xlarge",
            "memory-pool": "r6i.xlarge",
        },
        GKE_CONTEXT: {
            "system-pool": "e2-standard-4",
            "compute-pool": "c2-standard-8",
            "memory-pool": "n2-highmem-4",
        },
    }
    bounds = {"system-pool": (3, 3, 3), "compute-pool": (3, 20, 3), "memory-pool": (2, 10, 2)}
    for cluster, machines in expected.items():
        pools = demo.store.items(cluster, Kind.NODE_POOL)
        assert set(pools) == set(machines)
        for name, pool in pools.items():
            assert isinstance(pool, NodePool)
            assert pool.machine_type == machines[name]
            assert (pool.min_size, pool.max_size, pool.desired) == bounds[name]
            assert pool.autoscaling == (name != "system-pool")
            gke_autoscaled = cluster == GKE_CONTEXT and pool.autoscaling
            assert pool.location_policy == ("BALANCED" if gke_autoscaled else "")
            assert not pool.at_max
            assert demo.store.pool_nodes(cluster, name) == (pool.desired, pool.desired)


def test_replica_links_per_cloud(demo: Demo) -> None:
    (rds,) = demo.store.items(EKS_CONTEXT, Kind.REPLICA_LINK).values()
    (sql,) = demo.store.items(GKE_CONTEXT, Kind.REPLICA_LINK).values()
    assert isinstance(rds, ReplicaLink) and isinstance(sql, ReplicaLink)
    assert (rds.engine, rds.primary, rds.replica, rds.primary_region, rds.replica_region) == (
        "rds",
        "wundr-postgres",
        "wundr-postgres-replica-usw2",
        "us-east-1",
        "us-west-2",
    )
    assert (sql.engine, sql.primary, sql.replica, sql.primary_region, sql.replica_region) == (
        "cloudsql",
        "wundr-postgres",
        "wundr-postgres-replica-usw1",
        "us-central1",
        "us-west1",
    )
    for link in (rds, sql):
        assert link.lag_seconds is not None and link.lag_seconds < 30
        assert link.lag_bytes is not None


def test_velero_schedule_and_a_week_of_backups_named_by_the_clock(demo: Demo) -> None:
    sched = demo.get(EKS_CONTEXT, Kind.SCHEDULE, "daily-backup")
    assert isinstance(sched, BackupSchedule)
    assert (sched.schedule, sched.ttl, sched.included_namespaces) == (
        "0 2 * * *",
        "168h0m0s",
        (NS,),
    )
    backups = [
        b for b in demo.store.items(EKS_CONTEXT, Kind.BACKUP).values() if isinstance(b, Backup)
    ]
    assert len(backups) == 7
    # The frozen clock starts at midnight UTC, so the newest run is yesterday's 02:00.
    day = datetime.fromtimestamp(demo.clock.now(), UTC) - timedelta(days=1)
    assert f"daily-backup-{day:%Y%m%d}020000" in {b.name for b in backups}
    assert sorted(b.phase for b in backups).count("PartiallyFailed") == 1
    failed = next(b for b in backups if b.phase == "PartiallyFailed")
    assert failed.errors > 0 and failed.warnings > 0
    assert all(b.phase == "Completed" for b in backups if b is not failed)


def categories(store: Store) -> set[str]:
    """Incident categories in words a test can check."""
    out = set()
    for inc in store.incidents():
        if inc.what == "POD":
            for word in ("CrashLoopBackOff", "Pending", "not ready"):
                if word in inc.detail:
                    out.add(f"POD {word}")
        elif inc.what == "NODEPOOL":
            out.add("NODEPOOL at max" if "at max" in inc.detail else "NODEPOOL not ready")
        elif inc.what == "EVENT":
            out.add(f"EVENT {inc.detail.split(' ')[0]}")
        else:
            out.add(inc.what)
    return out


def test_every_kind_of_incident_shows_within_one_cycle(demo: Demo) -> None:
    seen: set[str] = set()
    for _ in range(300):
        demo.run(1)
        seen |= categories(demo.store)
    assert seen >= {
        "ALERT",
        "POD CrashLoopBackOff",
        "POD Pending",
        "POD not ready",
        "HPA",
        "NODEPOOL at max",
        "NODEPOOL not ready",
        "DB",
        "BLUE/GREEN",
    }
    # Healthy demo sources never look stale, however quiet a kind is.
    assert "SOURCE" not in seen


def test_the_busy_moment_has_every_kind_at_once(demo: Demo) -> None:
    demo.run(120)
    assert categories(demo.store) >= {
        "ALERT",
        "POD CrashLoopBackOff",
        "POD Pending",
        "POD not ready",
        "HPA",
        "NODEPOOL at max",
        "NODEPOOL not ready",
        "DB",
        "BLUE/GREEN",
    }


def test_the_story_recovers_by_the_end_of_the_cycle(demo: Demo) -> None:
    demo.run(120)
    hpa = demo.get(EKS_CONTEXT, Kind.HPA, f"{NS}/api-gateway-hpa")
    assert isinstance(hpa, Hpa) and hpa.at_max
    demo.run(180)
    for cluster in (EKS_CONTEXT,):
        hpa = demo.get(cluster, Kind.HPA, f"{NS}/api-gateway-hpa")
        assert isinstance(hpa, Hpa) and hpa.desired_replicas == 3
        pool = demo.get(cluster, Kind.NODE_POOL, "compute-pool")
        assert isinstance(pool, NodePool) and pool.desired == 3
        assert demo.store.items(cluster, Kind.ALERT) == {}
    # A pod briefly not ready after a random restart fails its readiness probe: Unhealthy.
    allowed = {"BLUE/GREEN", "POD not ready", "NODEPOOL not ready", "EVENT Unhealthy"}
    assert categories(demo.store) <= allowed


def test_alerts_go_pending_then_firing_then_resolved(demo: Demo) -> None:
    states: list[str] = []
    for _ in range(200):
        demo.run(1)
        alert = next(
            (
                a
                for a in demo.store.items(EKS_CONTEXT, Kind.ALERT).values()
                if isinstance(a, Alert) and a.name == "HighErrorRate"
            ),
            None,
        )
        state = alert.state if alert else "gone"
        if not states or states[-1] != state:
            states.append(state)
        if alert is not None:
            assert alert.severity == "critical"
            assert alert.summary == "High error rate detected"
            assert alert.description == "Service api-gateway has error rate above 5%"
            assert (alert.namespace, alert.service) == (NS, "api-gateway")
    assert states == ["gone", "pending", "firing", "resolved", "gone"]


def test_ticks_carry_only_changes(demo: Demo) -> None:
    events = demo.run(60)
    assert events
    assert all(isinstance(e, Upserted | Deleted) for e in events)
    assert demo.fleet.tick() == []  # the clock did not move


def test_the_stream_adds_up_to_the_state(demo: Demo) -> None:
    """Applying initial events and every tick gives the same store as a fresh full list."""
    demo.run(300)
    fresh = Store(demo.clock)
    fresh.apply(demo.fleet.initial_events())
    for cluster in (EKS_CONTEXT, GKE_CONTEXT):
        for kind in Kind:
            assert demo.store.items(cluster, kind) == fresh.items(cluster, kind), kind


def encoded(seed: int, seconds: int) -> list[dict[str, object]]:
    demo = Demo(seed)
    demo.run(seconds)
    return [encode(e) for e in demo.stream]


def test_same_seed_same_stream_other_seed_other_stream() -> None:
    assert encoded(7, 150) == encoded(7, 150)
    assert encoded(7, 150) != encoded(8, 150)


def test_irregular_ticking_reaches_the_same_state() -> None:
    steady, jumpy = Demo(), Demo()
    steady.run(97)
    for step in (1, 10, 0, 30, 56):
        jumpy.clock.advance(step)
        jumpy.store.apply(jumpy.fleet.tick())
    for kind in Kind:
        assert steady.store.items(EKS_CONTEXT, kind) == jumpy.store.items(EKS_CONTEXT, kind)


def deployment(demo: Demo, name: str, cluster: str = EKS_CONTEXT) -> Deployment:
    dep = demo.get(cluster, Kind.DEPLOYMENT, f"{NS}/{name}")
    assert isinstance(dep, Deployment)
    return dep


def test_can_allows_everything_on_demo_clusters() -> None:
    fleet = DemoFleet(clock=FrozenClock())
    assert fleet.can(EKS_CONTEXT, "patch", "services", NS).allowed
    assert not fleet.can("nope", "patch", "services", NS).allowed


def test_scale_validates_like_the_api(demo: Demo) -> None:
    fleet = demo.fleet
    with pytest.raises(OperationError) as err:
        fleet.scale_deployment(EKS_CONTEXT, NS, "nope", 3)
    assert err.value.status == 404
    with pytest.raises(OperationError) as err:
        fleet.scale_deployment("nope", NS, "web-client", 3)
    assert err.value.status == 404
    with pytest.raises(OperationError) as err:
        fleet.scale_deployment(EKS_CONTEXT, NS, "web-client", -1)
    assert err.value.status == 422
    with pytest.raises(OperationError) as err:
        fleet.scale_deployment(EKS_CONTEXT, NS, "web-client", 4, resource_version="1")
    assert err.value.status == 409 and err.value.conflict
    fleet.scale_deployment(EKS_CONTEXT, NS, "web-client", 6, dry_run=True)
    assert fleet.tick() == []


def test_scale_shows_in_the_next_tick_and_pods_follow(demo: Demo) -> None:
    rv = deployment(demo, "web-client").resource_version
    demo.fleet.scale_deployment(EKS_CONTEXT, NS, "web-client", 5, resource_version=rv)
    demo.store.apply(demo.fleet.tick())
    assert deployment(demo, "web-client").desired == 5
    demo.run(10)
    dep = deployment(demo, "web-client")
    assert (dep.ready, dep.available) == (5, 5)
    demo.fleet.scale_deployment(EKS_CONTEXT, NS, "web-client", 1)
    demo.run(6)
    pods = [
        p
        for p in demo.store.items(EKS_CONTEXT, Kind.POD).values()
        if isinstance(p, Pod) and p.owner == "web-client"
    ]
    assert len(pods) == 1


def test_the_hpa_pulls_a_scaled_deployment_back(demo: Demo) -> None:
    demo.fleet.scale_deployment(EKS_CONTEXT, NS, "api-gateway-blue", 10)
    demo.run(1)
    assert deployment(demo, "api-gateway-blue").desired == 10
    demo.run(28)  # calm phase: the HPA wants 3
    assert deployment(demo, "api-gateway-blue").desired < 10


def test_switching_the_selector_makes_green_live(demo: Demo) -> None:
    fleet = demo.fleet
    svc = demo.get(EKS_CONTEXT, Kind.SERVICE, f"{NS}/wundr-platform-service")
    assert isinstance(svc, Service)
    green = {"environment": "production-green"}
    fleet.patch_service_selector(EKS_CONTEXT, NS, "wundr-platform-service", green, dry_run=True)
    assert fleet.tick() == []
    with pytest.raises(OperationError) as err:
        fleet.patch_service_selector(EKS_CONTEXT, NS, "nope", green)
    assert err.value.status == 404
    with pytest.raises(OperationError) as err:
        fleet.patch_service_selector(
            EKS_CONTEXT, NS, "wundr-platform-service", {"environment": "not valid!"}
        )
    assert err.value.status == 422
    fleet.patch_service_selector(
        EKS_CONTEXT, NS, "wundr-platform-service", green, resource_version=svc.resource_version
    )
    demo.store.apply(fleet.tick())
    (bg,) = demo.store.blue_green(EKS_CONTEXT)
    assert bg.live_colour == "green"
    (other,) = demo.store.blue_green(GKE_CONTEXT)
    assert other.live_colour == "blue"
    with pytest.raises(OperationError) as err:
        fleet.patch_service_selector(
            EKS_CONTEXT, NS, "wundr-platform-service", green, resource_version=svc.resource_version
        )
    assert err.value.conflict


def test_hpa_bounds(demo: Demo) -> None:
    fleet = demo.fleet
    with pytest.raises(OperationError) as err:
        fleet.patch_hpa_bounds(EKS_CONTEXT, NS, "api-gateway-hpa", 10, 5)
    assert err.value.status == 422
    with pytest.raises(OperationError) as err:
        fleet.patch_hpa_bounds(EKS_CONTEXT, NS, "nope", 1, 5)
    assert err.value.status == 404
    fleet.patch_hpa_bounds(EKS_CONTEXT, NS, "api-gateway-hpa", 4, 30)
    demo.run(15)
    hpa = demo.get(EKS_CONTEXT, Kind.HPA, f"{NS}/api-gateway-hpa")
    assert isinstance(hpa, Hpa)
    assert (hpa.min_replicas, hpa.max_replicas, hpa.desired_replicas) == (4, 30, 4)


def test_node_pool_resize_adds_nodes_that_become_ready(demo: Demo) -> None:
    fleet = demo.fleet
    with pytest.raises(OperationError) as err:
        fleet.scale_node_pool(GKE_CONTEXT, "nope", 1, 5, 2)
    assert err.value.status == 404
    with pytest.raises(OperationError) as err:
        fleet.scale_node_pool(GKE_CONTEXT, "memory-pool", 2, 10, 11)
    assert err.value.status == 422
    fleet.scale_node_pool(GKE_CONTEXT, "memory-pool", 2, 10, 4, dry_run=True)
    assert fleet.tick() == []
    fleet.scale_node_pool(GKE_CONTEXT, "memory-pool", 4, 10, 4)
    demo.store.apply(fleet.tick())
    pool = demo.get(GKE_CONTEXT, Kind.NODE_POOL, "memory-pool")
    assert isinstance(pool, NodePool) and (pool.min_size, pool.desired) == (4, 4)
    assert pool.status == "RECONCILING"
    assert demo.store.pool_nodes(GKE_CONTEXT, "memory-pool") == (2, 4)
    demo.run(15)
    assert demo.store.pool_nodes(GKE_CONTEXT, "memory-pool") == (4, 4)


def test_a_restore_runs_to_completion(demo: Demo) -> None:
    fleet = demo.fleet
    backup = sorted(demo.store.items(EKS_CONTEXT, Kind.BACKUP))[-1]
    with pytest.raises(OperationError) as err:
        fleet.create_restore(EKS_CONTEXT, "nope", [NS], {})
    assert err.value.status == 404
    with pytest.raises(OperationError) as err:
        fleet.create_restore(EKS_CONTEXT, backup, [NS], {}, "overwrite-everything")
    assert err.value.status == 422
    dry = fleet.create_restore(EKS_CONTEXT, backup, [NS], {NS: "restored"}, dry_run=True)
    assert fleet.tick() == []
    name = fleet.create_restore(EKS_CONTEXT, backup, [NS], {NS: "restored"})
    assert name == dry and name.startswith(backup + "-")
    phases: list[str] = []
    done: list[int] = []
    for _ in range(30):
        demo.run(1)
        restore = demo.get(EKS_CONTEXT, Kind.RESTORE, name)
        assert isinstance(restore, Restore)
        if not phases or phases[-1] != restore.phase:
            phases.append(restore.phase)
        done.append(restore.items_done)
    assert phases == ["New", "InProgress", "Completed"]
    assert done == sorted(done) and done[-1] == restore.items_total > 0
    assert restore.namespace_mapping == ((NS, "restored"),)


def test_a_silence_suppresses_and_expiring_it_shows_the_alert_again(demo: Demo) -> None:
    fleet = demo.fleet
    with pytest.raises(OperationError) as err:
        fleet.create_silence(EKS_CONTEXT, {}, 600, "deploy", "me")
    assert err.value.status == 422
    with pytest.raises(OperationError) as err:
        fleet.create_silence(EKS_CONTEXT, {"alertname": "HighErrorRate"}, 0, "deploy", "me")
    assert err.value.status == 422
    with pytest.raises(OperationError) as err:
        fleet.expire_silence(EKS_CONTEXT, "nope")
    assert err.value.status == 404
    sid = fleet.create_silence(EKS_CONTEXT, {"alertname": "HighErrorRate"}, 3600, "known", "me")
    demo.run(110)  # HighErrorRate fires at 95
    alert = next(
        a
        for a in demo.store.items(EKS_CONTEXT, Kind.ALERT).values()
        if isinstance(a, Alert) and a.name == "HighErrorRate"
    )
    assert alert.state == "suppressed" and alert.silenced_by == (sid,)
    assert not any(
        i.what == "ALERT" and "HighErrorRate" in i.subject and i.cluster == EKS_CONTEXT
        for i in demo.store.incidents()
    )
    fleet.expire_silence(EKS_CONTEXT, sid)
    demo.store.apply(fleet.tick())
    again = demo.get(EKS_CONTEXT, Kind.ALERT, alert.fingerprint)
    assert isinstance(again, Alert)
    assert again.state == "firing" and again.silenced_by == ()


def test_a_silence_ends_by_itself(demo: Demo) -> None:
    sid = demo.fleet.create_silence(EKS_CONTEXT, {"severity": "critical"}, 20, "short", "me")
    demo.run(100)
    alert = next(
        a
        for a in demo.store.items(EKS_CONTEXT, Kind.ALERT).values()
        if isinstance(a, Alert) and a.name == "HighErrorRate"
    )
    assert alert.state == "firing" and sid not in alert.silenced_by


def test_operations_while_ticking_from_another_thread() -> None:
    fleet = DemoFleet()
    stop = threading.Event()
    errors: list[BaseException] = []

    def ticker() -> None:
        try:
            while not stop.is_set():
                fleet.tick()
        except BaseException as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        for replicas in range(1, 40):
            fleet.scale_deployment(EKS_CONTEXT, NS, "web-client", replicas % 7)
            fleet.patch_service_selector(
                EKS_CONTEXT, NS, "wundr-platform-service", {"environment": "production-green"}
            )
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive() and errors == []


def test_demo_source_emits_initial_events_then_ticks_until_stopped() -> None:
    clock = FrozenClock()
    source = DemoSource(DemoFleet(clock=clock), interval=0.005)
    assert isinstance(source, Source) and source.name == "demo"
    events: list[Event] = []
    got_ticks = threading.Event()

    def emit(event: Event) -> None:
        events.append(event)
        if isinstance(event, Upserted):
            got_ticks.set()

    stop = threading.Event()
    thread = threading.Thread(target=source.run, args=(emit, stop))
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not got_ticks.is_set() and time.monotonic() < deadline:
            clock.advance(1)
            got_ticks.wait(0.01)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()
    assert isinstance(events[0], ClusterSeen)
    assert got_ticks.is_set()


def test_the_daily_backup_runs_at_two_and_the_oldest_expires() -> None:
    clock = FrozenClock(FrozenClock().now() + 2 * 3600 - 30)  # 01:59:30 UTC
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    before = set(store.items(EKS_CONTEXT, Kind.BACKUP))
    day = datetime.fromtimestamp(clock.now(), UTC)
    tonight = f"daily-backup-{day:%Y%m%d}020000"
    assert tonight not in before
    phases = []
    for _ in range(150):
        clock.advance(1)
        store.apply(fleet.tick())
        backup = store.get(EKS_CONTEXT, Kind.BACKUP, tonight)
        if isinstance(backup, Backup) and (not phases or phases[-1] != backup.phase):
            phases.append(backup.phase)
    assert phases == ["InProgress", "Completed"]
    after = set(store.items(EKS_CONTEXT, Kind.BACKUP))
    assert len(after) == 7 and after - before == {tonight}
    sched = store.get(EKS_CONTEXT, Kind.SCHEDULE, "daily-backup")
    assert isinstance(sched, BackupSchedule)
    assert sched.last_backup == datetime(day.year, day.month, day.day, 2, tzinfo=UTC).timestamp()


def test_a_long_clock_jump_is_cheap_and_time_stays_right(demo: Demo) -> None:
    demo.clock.advance(30 * 86400)
    start = time.perf_counter()
    demo.store.apply(demo.fleet.tick())
    assert time.perf_counter() - start < 1.0
    demo.fleet.scale_deployment(EKS_CONTEXT, NS, "web-client", 4)
    demo.store.apply(demo.fleet.tick())
    newest = max(
        (p for p in demo.store.items(EKS_CONTEXT, Kind.POD).values() if isinstance(p, Pod)),
        key=lambda p: p.created,
    )
    assert newest.created == demo.clock.now()


def test_two_restores_in_the_same_second_get_distinct_names(demo: Demo) -> None:
    backup = sorted(demo.store.items(EKS_CONTEXT, Kind.BACKUP))[-1]
    first = demo.fleet.create_restore(EKS_CONTEXT, backup, [NS], {})
    second = demo.fleet.create_restore(EKS_CONTEXT, backup, [NS], {})
    assert second == f"{first}-2"


def test_an_hpa_leaves_a_deployment_scaled_to_zero_alone(demo: Demo) -> None:
    demo.fleet.scale_deployment(EKS_CONTEXT, NS, "api-gateway-blue", 0)
    demo.run(80)  # through the load surge
    assert deployment(demo, "api-gateway-blue").desired == 0


def test_the_fleet_reads_like_the_actions_reader(demo: Demo) -> None:
    """DemoFleet.get/list answer what a fresh GET would, so actions need no demo adapter."""
    demo.fleet.scale_deployment(EKS_CONTEXT, NS, "web-client", 5)
    dep = demo.fleet.get(EKS_CONTEXT, Kind.DEPLOYMENT, NS, "web-client")
    assert isinstance(dep, Deployment) and dep.desired == 5
    assert demo.fleet.get(EKS_CONTEXT, Kind.DEPLOYMENT, "monitoring", "web-client") is None
    assert demo.fleet.get(EKS_CONTEXT, Kind.DEPLOYMENT, NS, "no-such") is None
    # Cluster-wide kinds ignore the namespace.
    pool = demo.fleet.get(GKE_CONTEXT, Kind.NODE_POOL, NS, "compute-pool")
    assert isinstance(pool, NodePool) and pool.max_size == 20
    services = demo.fleet.list(EKS_CONTEXT, Kind.SERVICE, NS)
    assert [s.key for s in services] == [f"{NS}/wundr-platform-service"]
    assert demo.fleet.list(EKS_CONTEXT, Kind.SERVICE, "monitoring") == []
    assert {p.name for p in demo.fleet.list(EKS_CONTEXT, Kind.NODE_POOL, NS)} == {
        "system-pool",
        "compute-pool",
        "memory-pool",
    }
    with pytest.raises(OperationError):
        demo.fleet.get("nope", Kind.POD, NS, "x")
