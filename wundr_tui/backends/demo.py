"""The built-in demo fleet: a deterministic simulated EKS + GKE pair shaped like the seed platform.

``DemoFleet`` keeps the state of both clusters, advances it one simulated second at a time to
the clock's ``now()`` and reports only what changed. It is also an ``Operator``: scaling,
selector patches, HPA bounds, node pool sizes, Velero restores and Alertmanager silences all
change the simulated state, and the change shows up in the next tick. ``DemoSource`` drives a
fleet from a source thread.

Every cluster runs the same 300-second story, the GKE one 40 s behind: load surges, the
api-gateway HPA climbs to its max, new pods wait Pending while compute-pool grows to its max,
alerts go pending then firing, replica lag grows past 30 s, a pod crash-loops and a node goes
NotReady; then everything recovers and the second half of the cycle is calm. A few pods also
restart at random (seeded).
"""

from __future__ import annotations

import hashlib
import heapq
import math
import random
import re
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from wundr_tui.backends.base import Emit, OperationError, Operator, Permission, Source
from wundr_tui.clock import Clock, SystemClock
from wundr_tui.events import ClusterSeen, Deleted, Event, Health, Replaced, Upserted
from wundr_tui.model import (
    Alert,
    Backup,
    BackupSchedule,
    Cluster,
    Deployment,
    Hpa,
    HpaMetric,
    Kind,
    Labels,
    Node,
    NodePool,
    Pod,
    ReplicaLink,
    Resource,
    Restore,
    Service,
    SourceHealth,
    labels_of,
)

CYCLE = 300
"""Simulated seconds after which the story repeats."""

HEARTBEAT = 30
"""A source quiet for this many simulated seconds re-sends a small list, as a resync would,
so the store never marks a healthy demo source stale."""

MAX_CATCH_UP = 600
"""Most simulated seconds one tick steps through; longer gaps (a suspended laptop) are skipped."""

MAX_REPLICAS = 200
"""The demo refuses bigger scale requests: a typo must not make the simulation slow."""

SOURCES: dict[str, tuple[Kind, ...]] = {
    "kube": (Kind.POD, Kind.DEPLOYMENT, Kind.SERVICE, Kind.HPA, Kind.NODE),
    "nodepools": (Kind.NODE_POOL,),
    "database": (Kind.REPLICA_LINK,),
    "alerts": (Kind.ALERT,),
    "velero": (Kind.SCHEDULE, Kind.BACKUP, Kind.RESTORE),
}
"""The demo's sources per cluster and the kinds each feeds (their Health events say so)."""

EKS_CONTEXT = "arn:aws:eks:us-east-1:111122223333:cluster/wundr-production"
"""Context name of the demo's EKS cluster."""
GKE_CONTEXT = "gke_wundr-platform_us-central1_wundr-production"
"""Context name of the demo's GKE cluster."""

NAMESPACE = "wundr-platform"
SERVICE = "wundr-platform-service"
HPA_NAME = "api-gateway-hpa"
SCHEDULE = "daily-backup"

_SOURCE_OF: dict[Kind, str] = {k: s for s, kinds in SOURCES.items() for k in kinds}
_HEARTBEAT_KIND: dict[str, Kind] = {
    "kube": Kind.SERVICE,
    "nodepools": Kind.NODE_POOL,
    "database": Kind.REPLICA_LINK,
    "alerts": Kind.ALERT,
    "velero": Kind.SCHEDULE,
}
# Kubernetes' "safe" alphabet for generated name suffixes (no vowels, no look-alikes).
_SAFE = "bcdfghjklmnpqrstvwxz2456789"
_GCE_SUFFIX = "abcdefghijklmnopqrstuvwxyz0123456789"
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$")
_LABEL_KEY = re.compile(r"^([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")

R = TypeVar(
    "R",
    Pod,
    Deployment,
    Service,
    Hpa,
    Node,
    NodePool,
    ReplicaLink,
    Alert,
    BackupSchedule,
    Backup,
    Restore,
)


@dataclass(frozen=True, slots=True)
class _Workload:
    """A Deployment (or StatefulSet) the simulation keeps at its replica count."""

    namespace: str
    name: str
    replicas: int
    containers: int
    pool: str
    labels: Labels = ()
    spread: bool = False
    """Required pod anti-affinity on the hostname: at most one pod of it per node."""
    stateful: bool = False


@dataclass(frozen=True, slots=True)
class _PoolSpec:
    name: str
    min_size: int
    max_size: int
    size: int
    autoscaling: bool


@dataclass(frozen=True, slots=True)
class _Profile:
    """What differs between the EKS and the GKE cluster."""

    cluster: Cluster
    offset: int
    """Seconds the story lags behind the fleet's start (the clusters do not move in lockstep)."""
    machines: dict[str, str]
    pool_status: str
    pool_updating: str
    capacity_type: str
    version: str
    location_policy: str
    """GKE's autoscaler location policy for autoscaled pools; blank on EKS."""
    system_workloads: tuple[_Workload, ...]
    db: tuple[str, str, str, str, str, str]
    """engine, primary, replica, primary region, replica region, healthy state word."""
    crash_workload: str
    not_ready_pool: str
    lag_peak: float
    demand_peak: float
    crash_seed: int


_POOLS = (
    _PoolSpec("system-pool", 3, 3, 3, False),
    _PoolSpec("compute-pool", 3, 20, 3, True),
    _PoolSpec("memory-pool", 2, 10, 2, True),
)


def _platform_workloads() -> tuple[_Workload, ...]:
    app = (("app", "api-gateway"),)
    return (
        _Workload(
            NAMESPACE,
            "api-gateway-blue",
            3,
            2,
            "compute-pool",
            (*app, ("environment", "production-blue"), ("version", "v1")),
            spread=True,
        ),
        _Workload(
            NAMESPACE,
            "api-gateway-green",
            3,
            2,
            "compute-pool",
            (*app, ("environment", "production-green"), ("version", "v2")),
            spread=True,
        ),
        _Workload(
            NAMESPACE, "analysis-engine", 5, 2, "compute-pool", (("app", "analysis-engine"),)
        ),
        _Workload(NAMESPACE, "web-client", 3, 2, "memory-pool", (("app", "web-client"),)),
        _Workload(NAMESPACE, "setup-toolkit", 2, 2, "memory-pool", (("app", "setup-toolkit"),)),
        _Workload("monitoring", "grafana", 1, 3, "system-pool", (("app", "grafana"),)),
        _Workload(
            "monitoring",
            "kube-state-metrics",
            1,
            3,
            "system-pool",
            (("app", "kube-state-metrics"),),
        ),
        _Workload(
            "monitoring",
            "prometheus-k8s",
            1,
            2,
            "system-pool",
            (("app", "prometheus"),),
            stateful=True,
        ),
        _Workload(
            "monitoring",
            "alertmanager-main",
            1,
            2,
            "system-pool",
            (("app", "alertmanager"),),
            stateful=True,
        ),
        _Workload("velero", "velero", 1, 1, "system-pool", (("name", "velero"),)),
    )


def _kube_system(*specs: tuple[str, int, int]) -> tuple[_Workload, ...]:
    return tuple(
        _Workload("kube-system", name, n, c, "system-pool", (("k8s-app", name),))
        for name, n, c in specs
    )


EKS = _Profile(
    cluster=Cluster(EKS_CONTEXT, "aws", "us-east-1", "wundr-production", production=True),
    offset=0,
    machines={
        "system-pool": "m6i.xlarge",
        "compute-pool": "c6i.2xlarge",
        "memory-pool": "r6i.xlarge",
    },
    pool_status="ACTIVE",
    pool_updating="UPDATING",
    capacity_type="ON_DEMAND",
    version="1.31",
    location_policy="",
    system_workloads=_kube_system(
        ("coredns", 2, 1),
        ("aws-load-balancer-controller", 2, 1),
        ("ebs-csi-controller", 2, 6),
        ("cluster-autoscaler", 1, 1),
        ("metrics-server", 1, 1),
    ),
    db=(
        "rds",
        "wundr-postgres",
        "wundr-postgres-replica-usw2",
        "us-east-1",
        "us-west-2",
        "replicating",
    ),
    crash_workload="setup-toolkit",
    not_ready_pool="system-pool",
    lag_peak=75.0,
    demand_peak=26.0,
    crash_seed=0,
)

GKE = _Profile(
    cluster=Cluster(GKE_CONTEXT, "gcp", "us-central1", "wundr-production", production=True),
    offset=40,
    machines={
        "system-pool": "e2-standard-4",
        "compute-pool": "c2-standard-8",
        "memory-pool": "n2-highmem-4",
    },
    pool_status="RUNNING",
    pool_updating="RECONCILING",
    capacity_type="",
    version="1.31.4-gke.1256000",
    location_policy="BALANCED",
    system_workloads=_kube_system(
        ("kube-dns", 2, 4),
        ("konnectivity-agent", 3, 1),
        ("metrics-server-v1.31.0", 1, 2),
        ("event-exporter-gke", 1, 2),
        ("l7-default-backend", 1, 1),
    ),
    db=(
        "cloudsql",
        "wundr-postgres",
        "wundr-postgres-replica-usw1",
        "us-central1",
        "us-west1",
        "RUNNABLE",
    ),
    crash_workload="analysis-engine",
    not_ready_pool="memory-pool",
    lag_peak=52.0,
    demand_peak=24.0,
    crash_seed=1,
)

# The story is arranged so that around phase 105-115 every kind of incident shows at once
# (with the GKE cluster, 40 s behind, scaling up): that is the moment snapshots like.
# (phase, status, ready containers, restarts added): one crash-looping pod per cycle.
_CRASH_SCRIPT: tuple[tuple[int, str, int, int], ...] = (
    (100, "Error", 1, 1),
    (101, "CrashLoopBackOff", 1, 0),
    (111, "Running", 1, 1),
    (113, "Error", 1, 0),
    (114, "CrashLoopBackOff", 1, 1),
    (134, "Running", 1, 1),
    (138, "Running", 2, 0),
)
_NODE_DOWN, _NODE_UP = 105, 135
# (phase, alert, state): state "" means the alert is gone.
_ALERT_SCRIPT: dict[int, tuple[str, str]] = {
    65: ("HighLatency", "pending"),
    80: ("HighErrorRate", "pending"),
    90: ("HighLatency", "firing"),
    95: ("HighErrorRate", "firing"),
    165: ("HighLatency", "resolved"),
    175: ("HighErrorRate", "resolved"),
    185: ("HighLatency", ""),
    195: ("HighErrorRate", ""),
}
_ALERTS: dict[str, tuple[str, str, str]] = {
    "HighErrorRate": (
        "critical",
        "High error rate detected",
        "Service api-gateway has error rate above 5%",
    ),
    "HighLatency": (
        "warning",
        "High latency detected",
        "Service api-gateway has 95th percentile latency above 1s",
    ),
}


def _demand(phase: int, peak: float) -> float:
    """api-gateway load in replicas' worth at the HPA's CPU target: calm, surge, calm."""
    low = 2.2
    if phase < 30 or phase >= 160:
        return low
    if phase < 70:
        return low + (peak - low) * (phase - 30) / 40
    if phase < 130:
        return peak
    return peak - (peak - low) * (phase - 130) / 30


def _lag(phase: int, peak: float) -> float:
    """Replica lag in seconds, without jitter: it grows past the threshold and recovers."""
    if 60 <= phase < 130:
        return peak * (phase - 60) / 70
    if 130 <= phase < 170:
        return peak * (170 - phase) / 40
    return 0.0


def _rand(rng: random.Random, n: int, alphabet: str = _SAFE) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _velero_stamp(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y%m%d%H%M%S")


class _ClusterSim:
    """The state of one simulated cluster, advanced one second per ``step``."""

    def __init__(self, profile: _Profile, seed: int, now: float) -> None:
        self.profile = profile
        self.name = profile.cluster.name
        self.rng = random.Random(f"wundr-demo:{seed}:{self.name}")
        self.seed = seed
        self.now = now
        self.n = 0
        self.rv = self.rng.randint(4_000_000, 9_000_000)

        self.pods: dict[str, Pod] = {}
        self.deployments: dict[str, Deployment] = {}
        self.services: dict[str, Service] = {}
        self.hpas: dict[str, Hpa] = {}
        self.nodes: dict[str, Node] = {}
        self.pools: dict[str, NodePool] = {}
        self.links: dict[str, ReplicaLink] = {}
        self.alerts: dict[str, Alert] = {}
        self.schedules: dict[str, BackupSchedule] = {}
        self.backups: dict[str, Backup] = {}
        self.restores: dict[str, Restore] = {}
        self.dirty: dict[Kind, dict[str, None]] = {k: {} for k in Kind}
        self.last_news: dict[str, int] = dict.fromkeys(SOURCES, 0)

        self.workloads: dict[str, _Workload] = {}
        """Deployment key → how its pods are made and placed."""
        self.owned: dict[str, dict[str, None]] = {}
        """Workload key → its pods' keys, oldest first."""
        self.template_hash: dict[str, str] = {}
        self.node_pods: dict[str, int] = {}
        self.unschedulable: dict[str, None] = {}
        self.touched_workloads: dict[str, None] = {}
        self.empty_since: dict[str, int] = {}
        self.timers: list[tuple[int, int, str, str]] = []
        self.timer_seq = 0
        self.hpa_recent: list[tuple[int, int]] = []
        self.alert_state: dict[str, tuple[str, float]] = {}
        self.silences: dict[str, tuple[dict[str, str], float]] = {}
        self.silence_count = 0
        self.crash_pod = ""
        self.down_node = ""
        self.next_backup = 0.0

        self._build()

    # -- small helpers ---------------------------------------------------------------------

    def _put(self, table: dict[str, R], obj: R) -> None:
        table[obj.key] = obj
        self.dirty[obj.KIND][obj.key] = None

    def _drop(self, table: dict[str, R], kind: Kind, key: str) -> None:
        if table.pop(key, None) is not None:
            self.dirty[kind][key] = None

    def table(self, kind: Kind) -> Mapping[str, Resource]:
        """The current objects of one kind, by key."""
        tables: dict[Kind, Mapping[str, Resource]] = {
            Kind.POD: self.pods,
            Kind.DEPLOYMENT: self.deployments,
            Kind.SERVICE: self.services,
            Kind.HPA: self.hpas,
            Kind.NODE: self.nodes,
            Kind.NODE_POOL: self.pools,
            Kind.REPLICA_LINK: self.links,
            Kind.ALERT: self.alerts,
            Kind.SCHEDULE: self.schedules,
            Kind.BACKUP: self.backups,
            Kind.RESTORE: self.restores,
        }
        return tables[kind]

    def _next_rv(self) -> str:
        self.rv += self.rng.randint(1, 40)
        return str(self.rv)

    def _after(self, seconds: int, action: str, key: str) -> None:
        self.timer_seq += 1
        heapq.heappush(self.timers, (self.n + seconds, self.timer_seq, action, key))

    # -- building the initial state --------------------------------------------------------

    def _build(self) -> None:
        rng = self.rng
        for spec in _POOLS:
            self.pools[spec.name] = NodePool(
                name=spec.name,
                min_size=spec.min_size,
                max_size=spec.max_size,
                desired=spec.size,
                machine_type=self.profile.machines[spec.name],
                status=self.profile.pool_status,
                autoscaling=spec.autoscaling,
                capacity_type=self.profile.capacity_type,
                version=self.profile.version,
                location_policy=self.profile.location_policy if spec.autoscaling else "",
            )
            for _ in range(spec.size):
                self._add_node(spec.name, ready=True, age=rng.uniform(20, 60) * 86400)

        for w in (*_platform_workloads(), *self.profile.system_workloads):
            key = f"{w.namespace}/{w.name}"
            self.workloads[key] = w
            self.owned[key] = {}
            self.template_hash[key] = _rand(rng, rng.choice((9, 10)))
            old = 30 * 86400 if w.namespace != NAMESPACE else 9 * 86400
            for i in range(w.replicas):
                pod = self._new_pod(key, index=i)
                node = self._place(pod, w)
                pod = replace(
                    pod,
                    status="Running",
                    ready=w.containers,
                    node=node,
                    restarts=rng.choice((0, 0, 0, 1, 2)),
                    created=self.now - rng.uniform(2 * 3600, old),
                )
                self._put(self.pods, pod)
            if not w.stateful:
                self._put(
                    self.deployments,
                    Deployment(
                        w.namespace,
                        w.name,
                        w.replicas,
                        w.replicas,
                        w.replicas,
                        w.replicas,
                        w.labels,
                        self._next_rv(),
                    ),
                )

        live = (("app", "api-gateway"), ("environment", "production-blue"))
        self._put(self.services, Service(NAMESPACE, SERVICE, live, self._next_rv()))
        self._put(
            self.hpas,
            Hpa(
                NAMESPACE,
                HPA_NAME,
                "Deployment/api-gateway-blue",
                3,
                20,
                3,
                3,
                (HpaMetric("cpu", 51.0, 70.0), HpaMetric("memory", 61.0, 80.0)),
                self._next_rv(),
            ),
        )

        engine, primary, replica, p_region, r_region, state = self.profile.db
        self._put(
            self.links,
            ReplicaLink(
                engine, primary, replica, p_region, r_region, state, 0.4, 600_000, self.now
            ),
        )

        self._build_velero()
        crash_pods = list(self.owned[f"{NAMESPACE}/{self.profile.crash_workload}"])
        self.crash_pod = crash_pods[self.profile.crash_seed % len(crash_pods)]
        self._touch_all_workloads()
        self._settle()

    def _build_velero(self) -> None:
        rng = self.rng
        day = datetime.fromtimestamp(self.now, UTC).replace(
            hour=2, minute=0, second=0, microsecond=0
        )
        if day.timestamp() > self.now:
            day -= timedelta(days=1)
        last = day.timestamp()
        self.next_backup = last + 86400
        ns = (NAMESPACE,)
        self._put(
            self.schedules,
            BackupSchedule(SCHEDULE, "0 2 * * *", "Enabled", last, "168h0m0s", ns),
        )
        for i in range(7):
            start = last - i * 86400
            total = rng.randint(300, 420)
            failed = i == 3
            self._put(
                self.backups,
                Backup(
                    name=f"{SCHEDULE}-{_velero_stamp(start)}",
                    phase="PartiallyFailed" if failed else "Completed",
                    started=start,
                    completed=start + rng.uniform(60, 150),
                    expires=start + 7 * 86400,
                    schedule=SCHEDULE,
                    errors=2 if failed else 0,
                    warnings=7 if failed else rng.choice((0, 0, 1)),
                    items_done=total - (2 if failed else 0),
                    items_total=total,
                    included_namespaces=ns,
                ),
            )
        source = f"{SCHEDULE}-{_velero_stamp(last - 4 * 86400)}"
        drill = last - 2 * 86400 + 8 * 3600
        self._put(
            self.restores,
            Restore(
                f"{source}-{_velero_stamp(drill)}",
                source,
                "Completed",
                drill,
                drill + 94,
                0,
                1,
                341,
                341,
                (("wundr-platform", "wundr-restore-drill"),),
            ),
        )

    def _node_name(self, pool: str) -> str:
        rng = self.rng
        while True:
            if self.profile.cluster.cloud == "aws":
                name = f"ip-10-0-{rng.randint(0, 95)}-{rng.randint(2, 254)}.ec2.internal"
            else:
                group = hashlib.blake2b(
                    f"{self.seed}:{pool}:{rng.randint(0, 2)}".encode(), digest_size=4
                ).hexdigest()
                name = f"gke-wundr-production-{pool}-{group}-{_rand(rng, 4, _GCE_SUFFIX)}"
            if name not in self.nodes:
                return name

    def _add_node(self, pool: str, *, ready: bool, age: float = 0.0) -> str:
        name = self._node_name(pool)
        machine = self.profile.machines[pool]
        self._put(self.nodes, Node(name, pool, ready, machine, self.now - age))
        self.node_pods[name] = 0
        if not ready:
            self._after(self.rng.randint(8, 12), "node_ready", name)
        return name

    def _new_pod(self, workload: str, index: int = 0) -> Pod:
        w = self.workloads[workload]
        if w.stateful:
            name = f"{w.name}-{index}"
        else:
            prefix = f"{w.name}-{self.template_hash[workload]}-"
            name = prefix + _rand(self.rng, 5)
            while f"{w.namespace}/{name}" in self.pods:
                name = prefix + _rand(self.rng, 5)
        pod = Pod(w.namespace, name, "Pending", 0, w.containers, 0, self.now, "", w.name)
        self.owned[workload][pod.key] = None
        return pod

    def _place(self, pod: Pod, w: _Workload) -> str:
        """The node the scheduler would pick, or "" when nothing fits."""
        taken: set[str] = set()
        if w.spread:
            for key in self.owned[f"{w.namespace}/{w.name}"]:
                other = self.pods.get(key)
                if other is not None and other.node:
                    taken.add(other.node)
        best = ""
        for node in self.nodes.values():
            if node.pool != w.pool or not node.ready or node.name in taken:
                continue
            if w.spread:
                # Spread pods fill the oldest nodes first, so scale-down empties the newest.
                best = node.name
                break
            if not best or self.node_pods[node.name] < self.node_pods[best]:
                best = node.name
        if best:
            self.node_pods[best] += 1
        return best

    # -- the simulation --------------------------------------------------------------------

    def step(self, now: float) -> None:
        """Advance by one simulated second."""
        self.n += 1
        self.now = now
        phase = (self.n - self.profile.offset) % CYCLE
        while self.timers and self.timers[0][0] <= self.n:
            _, _, action, key = heapq.heappop(self.timers)
            self._timer(action, key)
        self._script(phase)
        if phase % 15 == 0:
            self._autoscale_hpa(phase)
        if phase % 5 == 0:
            self._autoscale_nodes()
            self._sample_lag(phase)
        if self.rng.random() < 0.012:
            self._random_restart()
        if self.silences:
            self._expire_silences()
        if now >= self.next_backup:
            self._scheduled_backup()
        self._settle()

    def _timer(self, action: str, key: str) -> None:
        if action == "schedule":
            self._schedule(key)
        elif action == "run":
            pod = self.pods.get(key)
            if pod is not None and pod.status == "ContainerCreating":
                self._set_pod(replace(pod, status="Running", ready=self._ready_for(pod)))
        elif action == "ready":
            pod = self.pods.get(key)
            if pod is not None and pod.status == "Running":
                self._set_pod(replace(pod, ready=self._ready_for(pod)))
        elif action == "delete":
            self._remove_pod(key)
        elif action == "node_ready":
            self._set_node_ready(key, True)
        elif action == "pool_active":
            pool = self.pools.get(key)
            if pool is not None:
                self._put(self.pools, replace(pool, status=self.profile.pool_status))
        elif action == "restore":
            self._advance_restore(key)
        elif action == "backup_done":
            b = self.backups.get(key)
            if b is not None:
                self._put(
                    self.backups,
                    replace(b, phase="Completed", completed=self.now, items_done=b.items_total),
                )

    def _ready_for(self, pod: Pod) -> int:
        node = self.nodes.get(pod.node)
        return pod.containers if node is not None and node.ready else 0

    def _set_pod(self, pod: Pod) -> None:
        self._put(self.pods, pod)
        self.touched_workloads[f"{pod.namespace}/{pod.owner}"] = None

    def _schedule(self, key: str) -> None:
        pod = self.pods.get(key)
        if pod is None or pod.status != "Pending":
            return
        node = self._place(pod, self.workloads[f"{pod.namespace}/{pod.owner}"])
        if not node:
            self.unschedulable[key] = None
            return
        self.unschedulable.pop(key, None)
        self._set_pod(replace(pod, status="ContainerCreating", node=node))
        self._after(self.rng.randint(2, 4), "run", key)

    def _remove_pod(self, key: str) -> None:
        pod = self.pods.get(key)
        if pod is None:
            return
        if pod.node in self.node_pods:
            self.node_pods[pod.node] -= 1
        workload = f"{pod.namespace}/{pod.owner}"
        self.owned[workload].pop(key, None)
        self.unschedulable.pop(key, None)
        self._drop(self.pods, Kind.POD, key)
        self.touched_workloads[workload] = None

    def _reconcile(self, workload: str) -> None:
        """Create or terminate pods until the workload has its desired count."""
        dep = self.deployments.get(workload)
        if dep is None:
            return
        live = [k for k in self.owned[workload] if self.pods[k].status != "Terminating"]
        if len(live) < dep.desired:
            for _ in range(dep.desired - len(live)):
                pod = self._new_pod(workload)
                self._set_pod(pod)
                self._after(1, "schedule", pod.key)
        elif len(live) > dep.desired:
            # Like a ReplicaSet: unscheduled pods go first, then the newest.
            victims = sorted(live, key=lambda k: (self.pods[k].node == "", self.pods[k].created))
            for key in reversed(victims[dep.desired - len(live) :]):
                pod = self.pods[key]
                if not pod.node:
                    self._remove_pod(key)
                    continue
                self._set_pod(replace(pod, status="Terminating", ready=0))
                self._after(self.rng.randint(2, 4), "delete", key)
        self.touched_workloads[workload] = None

    def _touch_all_workloads(self) -> None:
        for key in self.workloads:
            self.touched_workloads[key] = None

    def _settle(self) -> None:
        """Bring deployment status and service endpoints in line with the pods."""
        if not self.touched_workloads:
            return
        for workload in self.touched_workloads:
            dep = self.deployments.get(workload)
            if dep is None:
                continue
            ready = updated = 0
            for key in self.owned[workload]:
                pod = self.pods[key]
                if pod.status != "Terminating":
                    updated += 1
                    ready += pod.status == "Running" and pod.ready == pod.containers
            if (dep.ready, dep.available, dep.updated) != (ready, ready, updated):
                self._put(
                    self.deployments, replace(dep, ready=ready, available=ready, updated=updated)
                )
        self.touched_workloads.clear()
        for svc in list(self.services.values()):
            endpoints = 0
            for dep in self.deployments.values():
                pod_labels = dict(dep.pod_labels)
                if dep.namespace == svc.namespace and all(
                    pod_labels.get(k) == v for k, v in svc.selector
                ):
                    endpoints += dep.ready
            if endpoints != svc.ready_endpoints:
                # Endpoints live in their own object: the Service's resourceVersion stays.
                self._put(self.services, replace(svc, ready_endpoints=endpoints))

    def _script(self, phase: int) -> None:
        for at, status, ready, restarts in _CRASH_SCRIPT:
            if at == phase:
                self._crash(status, ready, restarts)
        if phase == _NODE_DOWN:
            self._node_down()
        elif phase == _NODE_UP and self.down_node:
            self._set_node_ready(self.down_node, True)
            self.down_node = ""
        change = _ALERT_SCRIPT.get(phase)
        if change is not None:
            name, state = change
            if state:
                since = self.now
                if state == "resolved":
                    since = self.alert_state.get(name, (state, since))[1]
                self.alert_state[name] = (state, since)
            else:
                self.alert_state.pop(name, None)
            self._publish_alert(name)

    def _crash(self, status: str, ready: int, restarts: int) -> None:
        pod = self.pods.get(self.crash_pod)
        workload = f"{NAMESPACE}/{self.profile.crash_workload}"
        if pod is None or pod.status in ("Pending", "ContainerCreating", "Terminating"):
            # The scripted pod is gone (scaled away, or its node removed): pick a running one.
            candidates = [
                k for k in self.owned.get(workload, {}) if self.pods[k].status == "Running"
            ]
            if not candidates:
                return
            self.crash_pod = candidates[0]
            pod = self.pods[self.crash_pod]
        self._set_pod(
            replace(
                pod,
                status=status,
                ready=min(ready, pod.containers),
                restarts=pod.restarts + restarts,
            )
        )

    def _node_down(self) -> None:
        pool = self.profile.not_ready_pool
        crash_node = self.pods[self.crash_pod].node if self.crash_pod in self.pods else ""
        ready = [
            n.name
            for n in self.nodes.values()
            if n.pool == pool and n.ready and n.name != crash_node
        ]
        if len(ready) < 2:
            return
        self.down_node = ready[1]
        self._set_node_ready(self.down_node, False)

    def _set_node_ready(self, name: str, ready: bool) -> None:
        node = self.nodes.get(name)
        if node is None or node.ready == ready:
            return
        self._put(self.nodes, replace(node, ready=ready))
        # The node lifecycle controller marks a NotReady node's pods not ready, and back.
        for pod in self.pods.values():
            if pod.node == name and pod.status == "Running":
                want = pod.containers if ready else 0
                if pod.ready != want:
                    self._set_pod(replace(pod, ready=want))
        if ready:
            for key in list(self.unschedulable):
                self._schedule(key)

    def _autoscale_hpa(self, phase: int) -> None:
        hpa = self.hpas.get(f"{NAMESPACE}/{HPA_NAME}")
        if hpa is None:
            return
        workload = f"{NAMESPACE}/{hpa.target.partition('/')[2]}"
        dep = self.deployments.get(workload)
        if dep is None or dep.desired == 0:
            # An HPA does not scale a workload someone scaled to zero (ScalingDisabled).
            return
        demand = _demand(phase, self.profile.demand_peak) * self.rng.uniform(0.95, 1.05)
        cur = dep.desired
        ratio = demand / cur
        cpu = 70.0 * ratio
        memory = 52.0 + 18.0 * min(ratio, 1.4) / 1.4
        # Memory is shown but never binding here: the demo's load is CPU-bound.
        want = cur if abs(ratio - 1) <= 0.1 else math.ceil(cur * ratio)
        want = min(max(want, hpa.min_replicas), hpa.max_replicas)
        self.hpa_recent = [(n, w) for n, w in self.hpa_recent if self.n - n < 30]
        self.hpa_recent.append((self.n, want))
        if cur > hpa.max_replicas:
            new = hpa.max_replicas
        elif cur < hpa.min_replicas:
            new = hpa.min_replicas
        elif want > cur:
            new = min(want, max(cur + 4, cur * 2))
        elif want < cur:
            # Scale-down stabilisation: never below the highest recent recommendation.
            floor = max(w for _, w in self.hpa_recent)
            new = max(floor, cur - max(2, math.ceil(cur * 0.25))) if floor < cur else cur
        else:
            new = cur
        if new != dep.desired:
            self._put(self.deployments, replace(dep, desired=new, resource_version=self._next_rv()))
            self._reconcile(workload)
        live = sum(1 for k in self.owned[workload] if self.pods[k].status != "Terminating")
        self._put(
            self.hpas,
            replace(
                hpa,
                current_replicas=live,
                desired_replicas=new,
                metrics=(
                    HpaMetric("cpu", float(round(min(cpu, 300.0))), 70.0),
                    HpaMetric("memory", float(round(memory)), 80.0),
                ),
                resource_version=self._next_rv(),
            ),
        )

    def _autoscale_nodes(self) -> None:
        """A cluster autoscaler: add nodes for unschedulable pods, remove nodes left empty."""
        for pool in list(self.pools.values()):
            if not pool.autoscaling:
                continue
            nodes = [n for n in self.nodes.values() if n.pool == pool.name]
            pending = sum(
                1
                for k in self.unschedulable
                if self.workloads[f"{self.pods[k].namespace}/{self.pods[k].owner}"].pool
                == pool.name
            )
            booting = sum(1 for n in nodes if not n.ready and n.name != self.down_node)
            size = len(nodes)
            if pending > booting and size < pool.max_size:
                add = min(pending - booting, pool.max_size - size)
                for _ in range(add):
                    self._add_node(pool.name, ready=False)
                size += add
            elif not pending:
                for node in nodes:
                    if self.node_pods[node.name] or not node.ready:
                        self.empty_since.pop(node.name, None)
                    else:
                        self.empty_since.setdefault(node.name, self.n)
                removable = [
                    n.name
                    for n in reversed(nodes)
                    if self.n - self.empty_since.get(n.name, self.n) >= 15
                ]
                for name in removable[: min(3, size - pool.min_size)]:
                    self._remove_node(name)
                    size -= 1
            if size != pool.desired:
                self._put(self.pools, replace(pool, desired=size))

    def _remove_node(self, name: str) -> None:
        for key in [k for k, p in self.pods.items() if p.node == name]:
            pod = self.pods[key]
            self._remove_pod(key)
            self._reconcile(f"{pod.namespace}/{pod.owner}")
        self.node_pods.pop(name, None)
        self.empty_since.pop(name, None)
        self._drop(self.nodes, Kind.NODE, name)

    def _sample_lag(self, phase: int) -> None:
        for link in list(self.links.values()):
            lag = _lag(phase, self.profile.lag_peak) + self.rng.uniform(0.2, 1.6)
            lag_bytes = int(lag * self.rng.uniform(1.2e6, 2.0e6))
            self._put(
                self.links,
                replace(link, lag_seconds=round(lag, 1), lag_bytes=lag_bytes, sampled=self.now),
            )

    def _random_restart(self) -> None:
        candidates = [
            k
            for k in self.pods
            if k.startswith(NAMESPACE + "/")
            and k != self.crash_pod
            and self.pods[k].status == "Running"
            and self.pods[k].ready == self.pods[k].containers
        ]
        if not candidates:
            return
        pod = self.pods[self.rng.choice(candidates)]
        self._set_pod(replace(pod, restarts=pod.restarts + 1, ready=pod.containers - 1))
        self._after(self.rng.randint(3, 6), "ready", pod.key)

    # -- alerts and silences ---------------------------------------------------------------

    def _alert_labels(self, name: str) -> dict[str, str]:
        return {
            "alertname": name,
            "severity": _ALERTS[name][0],
            "namespace": NAMESPACE,
            "service": "api-gateway",
            "cluster": self.profile.cluster.cluster_name,
        }

    def _publish_alert(self, name: str) -> None:
        labels = self._alert_labels(name)
        digest = hashlib.blake2b(
            (self.name + "".join(f"{k}={v};" for k, v in sorted(labels.items()))).encode(),
            digest_size=8,
        ).hexdigest()
        state = self.alert_state.get(name)
        if state is None:
            self._drop(self.alerts, Kind.ALERT, digest)
            return
        shown, since = state
        silenced = tuple(
            sid
            for sid, (matchers, _) in self.silences.items()
            if all(labels.get(k) == v for k, v in matchers.items())
        )
        if silenced and shown == "firing":
            shown = "suppressed"
        severity, summary, description = _ALERTS[name]
        self._put(
            self.alerts,
            Alert(
                name,
                digest,
                severity,
                shown,
                since,
                summary,
                description,
                NAMESPACE,
                "api-gateway",
                "",
                silenced,
                False,
                "alertmanager",
                # Alertmanager's default route groups by alertname, per namespace here.
                f'{{}}:{{alertname="{name}", namespace="{NAMESPACE}"}}',
            ),
        )

    def silence(self, matchers: dict[str, str], ends: float) -> str:
        """Add a silence and re-evaluate every alert against it; return its id."""
        self.silence_count += 1
        sid = self.silence_id(self.silence_count)
        self.silences[sid] = (matchers, ends)
        for name in list(self.alert_state):
            self._publish_alert(name)
        return sid

    def silence_id(self, count: int) -> str:
        """The id the ``count``-th silence of this cluster gets (UUID-shaped, deterministic)."""
        digest = hashlib.blake2b(f"{self.seed}:{self.name}:{count}".encode(), digest_size=16)
        return str(uuid.UUID(bytes=digest.digest(), version=4))

    def unsilence(self, sid: str) -> None:
        """Expire a silence now."""
        self.silences.pop(sid, None)
        for name in list(self.alert_state):
            self._publish_alert(name)

    def _expire_silences(self) -> None:
        for sid, (_, ends) in list(self.silences.items()):
            if ends <= self.now:
                self.unsilence(sid)

    # -- velero ----------------------------------------------------------------------------

    def _scheduled_backup(self) -> None:
        start = self.next_backup
        self.next_backup += 86400
        name = f"{SCHEDULE}-{_velero_stamp(start)}"
        total = self.rng.randint(300, 420)
        self._put(
            self.backups,
            Backup(
                name,
                "InProgress",
                self.now,
                None,
                start + 7 * 86400,
                SCHEDULE,
                0,
                0,
                0,
                total,
                (NAMESPACE,),
            ),
        )
        sched = self.schedules.get(SCHEDULE)
        if sched is not None:
            self._put(self.schedules, replace(sched, last_backup=start))
        for b in list(self.backups.values()):
            if b.expires is not None and b.expires <= self.now:
                self._drop(self.backups, Kind.BACKUP, b.name)
        self._after(90, "backup_done", name)

    def restore(self, backup: Backup, name: str, mapping: Labels) -> None:
        """Create a Restore that runs to completion over about 20 simulated seconds."""
        total = max(backup.items_done, 1)
        self._put(
            self.restores, Restore(name, backup.name, "New", None, None, 0, 0, 0, total, mapping)
        )
        self._after(2, "restore", name)

    def _advance_restore(self, name: str) -> None:
        r = self.restores.get(name)
        if r is None or r.phase == "Completed":
            return
        if r.phase == "New":
            self._put(self.restores, replace(r, phase="InProgress", started=self.now))
            self._after(2, "restore", name)
            return
        done = min(r.items_total, r.items_done + math.ceil(r.items_total / 10))
        if done >= r.items_total:
            self._put(
                self.restores, replace(r, phase="Completed", items_done=done, completed=self.now)
            )
        else:
            self._put(self.restores, replace(r, items_done=done))
            self._after(2, "restore", name)

    # -- operations (validated by DemoFleet, under its lock) -------------------------------

    def scale(self, workload: str, replicas: int) -> None:
        """Set a deployment's replicas; its pods follow in the next steps."""
        dep = self.deployments[workload]
        self._put(
            self.deployments, replace(dep, desired=replicas, resource_version=self._next_rv())
        )
        self._reconcile(workload)
        self._settle()

    def patch_selector(self, key: str, selector: Mapping[str, str]) -> None:
        """Merge keys into a Service's selector."""
        svc = self.services[key]
        merged = {**dict(svc.selector), **selector}
        self._put(
            self.services,
            replace(svc, selector=labels_of(merged), resource_version=self._next_rv()),
        )
        self._touch_all_workloads()
        self._settle()

    def set_hpa_bounds(self, key: str, low: int, high: int) -> None:
        """Change an HPA's bounds; the next evaluation applies them."""
        hpa = self.hpas[key]
        self._put(
            self.hpas,
            replace(hpa, min_replicas=low, max_replicas=high, resource_version=self._next_rv()),
        )

    def resize_pool(self, name: str, low: int, high: int, desired: int) -> None:
        """Change a node pool's bounds and size, adding or draining nodes."""
        pool = self.pools[name]
        nodes = [n for n in self.nodes.values() if n.pool == name]
        for _ in range(desired - len(nodes)):
            self._add_node(name, ready=False)
        if desired < len(nodes):
            victims = sorted(reversed(nodes), key=lambda n: self.node_pods[n.name] > 0)
            for node in victims[: len(nodes) - desired]:
                self._remove_node(node.name)
        self._put(
            self.pools,
            replace(
                pool,
                min_size=low,
                max_size=high,
                desired=desired,
                status=self.profile.pool_updating,
            ),
        )
        self._after(10, "pool_active", name)
        self._settle()

    # -- output ----------------------------------------------------------------------------

    def flush(self) -> list[Event]:
        """Upserted / Deleted for everything changed since the last flush, plus heartbeats."""
        out: list[Event] = []
        for kind in Kind:
            keys = self.dirty[kind]
            if not keys:
                continue
            table = self.table(kind)
            items = tuple(table[k] for k in keys if k in table)
            gone = tuple(k for k in keys if k not in table)
            if items:
                out.append(Upserted(self.name, kind, items))
            if gone:
                out.append(Deleted(self.name, kind, gone))
            keys.clear()
            self.last_news[_SOURCE_OF[kind]] = self.n
        for source, kind in _HEARTBEAT_KIND.items():
            if self.n - self.last_news[source] >= HEARTBEAT:
                out.append(Upserted(self.name, kind, tuple(self.table(kind).values())))
                self.last_news[source] = self.n
        return out

    def snapshot(self) -> list[Event]:
        """Replaced for every kind: the whole current state."""
        for keys in self.dirty.values():
            keys.clear()
        self.last_news = dict.fromkeys(SOURCES, self.n)
        return [Replaced(self.name, kind, tuple(self.table(kind).values())) for kind in Kind]


class DemoFleet:
    """A deterministic simulated EKS + GKE fleet that is both the data and the operator.

    Same seed and same clock steps give identical event streams. Thread-safe: the UI thread
    calls operations while the source thread ticks.
    """

    def __init__(self, seed: int = 7, clock: Clock | None = None) -> None:
        self.seed = seed
        """The RNG seed: same seed and same clock steps, same events."""
        self.clock: Clock = clock or SystemClock()
        """Where simulated time comes from."""
        self._lock = threading.Lock()
        self._t0 = self.clock.now()
        self._elapsed = 0
        self._sims: dict[str, _ClusterSim] = {
            p.cluster.name: _ClusterSim(p, seed, self._t0) for p in (EKS, GKE)
        }

    def clusters(self) -> list[Cluster]:
        """The two simulated clusters, EKS first."""
        return [sim.profile.cluster for sim in self._sims.values()]

    def initial_events(self) -> list[Event]:
        """What a fresh consumer needs: clusters, a full list of every kind, live health."""
        with self._lock:
            now = self.clock.now()
            events: list[Event] = [ClusterSeen(c) for c in self.clusters()]
            for sim in self._sims.values():
                events.extend(sim.snapshot())
            for sim in self._sims.values():
                events.extend(
                    Health(SourceHealth(sim.name, source, "live", now, "", kinds))
                    for source, kinds in SOURCES.items()
                )
            return events

    def tick(self) -> list[Event]:
        """Advance the simulation to the clock's now; return only what changed."""
        with self._lock:
            target = math.floor(self.clock.now() - self._t0)
            behind = target - self._elapsed
            if behind > MAX_CATCH_UP:
                # Skipped time does not happen in the simulation: the story resumes where it was.
                self._t0 += behind - MAX_CATCH_UP
                behind = MAX_CATCH_UP
            for _ in range(max(behind, 0)):
                self._elapsed += 1
                now = self._t0 + self._elapsed
                for sim in self._sims.values():
                    sim.step(now)
            events: list[Event] = []
            for sim in self._sims.values():
                events.extend(sim.flush())
            return events

    # -- Operator --------------------------------------------------------------------------

    def _sim(self, cluster: str) -> _ClusterSim:
        sim = self._sims.get(cluster)
        if sim is None:
            raise OperationError(f"cluster {cluster!r} is not part of the demo fleet", status=404)
        return sim

    @staticmethod
    def _check_version(what: str, current: str, expected: str | None) -> None:
        if expected is not None and expected != current:
            raise OperationError(
                f"{what} changed since it was read (resourceVersion {expected}, now {current});"
                " reload and try again",
                status=409,
                conflict=True,
            )

    def can(self, cluster: str, verb: str, resource: str, namespace: str = "") -> Permission:
        """Everything is allowed in the demo, on the demo's clusters."""
        if cluster not in self._sims:
            return Permission(False, f"cluster {cluster!r} is not part of the demo fleet")
        return Permission(True)

    def scale_deployment(
        self,
        cluster: str,
        namespace: str,
        name: str,
        replicas: int,
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Set a deployment's replicas (an HPA managing it will pull it back, as in reality)."""
        with self._lock:
            sim = self._sim(cluster)
            key = f"{namespace}/{name}"
            dep = sim.deployments.get(key)
            if dep is None:
                raise OperationError(f"deployment {key} not found in {cluster}", status=404)
            if not 0 <= replicas <= MAX_REPLICAS:
                raise OperationError(
                    f"replicas must be between 0 and {MAX_REPLICAS} in the demo, not {replicas}",
                    status=422,
                )
            self._check_version(f"deployment {key}", dep.resource_version, resource_version)
            if not dry_run:
                sim.scale(key, replicas)

    def patch_service_selector(
        self,
        cluster: str,
        namespace: str,
        name: str,
        selector: Mapping[str, str],
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Merge-patch a Service's selector (``environment: production-green`` switches)."""
        with self._lock:
            sim = self._sim(cluster)
            key = f"{namespace}/{name}"
            svc = sim.services.get(key)
            if svc is None:
                raise OperationError(f"service {key} not found in {cluster}", status=404)
            for k, v in selector.items():
                if not _LABEL_KEY.match(k) or not _LABEL_VALUE.match(v):
                    raise OperationError(f"invalid selector {k}={v!r}", status=422)
            self._check_version(f"service {key}", svc.resource_version, resource_version)
            if not dry_run:
                sim.patch_selector(key, selector)

    def patch_hpa_bounds(
        self,
        cluster: str,
        namespace: str,
        name: str,
        min_replicas: int,
        max_replicas: int,
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Change an HPA's minReplicas / maxReplicas."""
        with self._lock:
            sim = self._sim(cluster)
            key = f"{namespace}/{name}"
            hpa = sim.hpas.get(key)
            if hpa is None:
                raise OperationError(f"HPA {key} not found in {cluster}", status=404)
            if min_replicas < 1 or max_replicas < min_replicas or max_replicas > MAX_REPLICAS:
                raise OperationError(
                    f"need 1 <= min ({min_replicas}) <= max ({max_replicas}) <= {MAX_REPLICAS}",
                    status=422,
                )
            self._check_version(f"HPA {key}", hpa.resource_version, resource_version)
            if not dry_run:
                sim.set_hpa_bounds(key, min_replicas, max_replicas)

    def scale_node_pool(
        self,
        cluster: str,
        pool: str,
        min_size: int,
        max_size: int,
        desired: int,
        *,
        dry_run: bool = False,
    ) -> None:
        """Change a node pool's bounds and desired size; nodes join NotReady, then Ready."""
        with self._lock:
            sim = self._sim(cluster)
            if pool not in sim.pools:
                raise OperationError(f"node pool {pool} not found in {cluster}", status=404)
            if not 0 <= min_size <= desired <= max_size or max_size > 100:
                raise OperationError(
                    f"need 0 <= min ({min_size}) <= desired ({desired}) <= max ({max_size}) <= 100",
                    status=422,
                )
            if not dry_run:
                sim.resize_pool(pool, min_size, max_size, desired)

    def create_restore(
        self,
        cluster: str,
        backup: str,
        included_namespaces: Sequence[str],
        namespace_mapping: Mapping[str, str],
        existing_resource_policy: str = "none",
        *,
        dry_run: bool = False,
    ) -> str:
        """Create a Velero Restore (New → InProgress → Completed); return its name."""
        with self._lock:
            sim = self._sim(cluster)
            found = sim.backups.get(backup)
            if found is None:
                raise OperationError(f"backup {backup} not found in {cluster}", status=404)
            if found.phase not in ("Completed", "PartiallyFailed"):
                raise OperationError(
                    f"backup {backup} is {found.phase}; only a finished backup can be restored",
                    status=422,
                )
            if existing_resource_policy not in ("none", "update"):
                raise OperationError(
                    f"existing resource policy must be none or update, not "
                    f"{existing_resource_policy!r}",
                    status=422,
                )
            names = [*included_namespaces, *namespace_mapping, *namespace_mapping.values()]
            for ns in names:
                if not _DNS_LABEL.match(ns):
                    raise OperationError(f"{ns!r} is not a valid namespace name", status=422)
            base = f"{backup}-{_velero_stamp(sim.now)}"
            name, n = base, 1
            while name in sim.restores:
                n += 1
                name = f"{base}-{n}"
            if not dry_run:
                sim.restore(found, name, labels_of(dict(namespace_mapping)))
            return name

    def create_silence(
        self,
        cluster: str,
        matchers: Mapping[str, str],
        duration_s: float,
        comment: str,
        author: str,
        *,
        dry_run: bool = False,
    ) -> str:
        """Silence alerts whose labels equal every matcher for ``duration_s``; return its id."""
        with self._lock:
            sim = self._sim(cluster)
            if not matchers or any(not k or not v for k, v in matchers.items()):
                raise OperationError("a silence needs at least one non-empty matcher", status=422)
            if not duration_s > 0:
                raise OperationError("a silence must last more than 0 seconds", status=422)
            if not comment.strip() or not author.strip():
                raise OperationError("a silence needs a comment and an author", status=422)
            if dry_run:
                return sim.silence_id(sim.silence_count + 1)
            return sim.silence(dict(matchers), sim.now + duration_s)

    def expire_silence(self, cluster: str, silence_id: str) -> None:
        """End a silence now; the alerts it covered show again in the next tick."""
        with self._lock:
            sim = self._sim(cluster)
            if silence_id not in sim.silences:
                raise OperationError(
                    f"silence {silence_id} not found (or already expired) in {cluster}",
                    status=404,
                )
            sim.unsilence(silence_id)

    def read(self, cluster: str, kind: Kind) -> list[Resource]:
        """The current objects of one kind in one cluster: what a GET would answer now."""
        with self._lock:
            return list(self._sim(cluster).table(kind).values())

    def silence_state(self, cluster: str, silence_id: str) -> str:
        """``active`` while the silence runs, ``expired`` once it is gone."""
        with self._lock:
            return "active" if silence_id in self._sim(cluster).silences else "expired"


class DemoSource:
    """Runs a DemoFleet as a Source: the initial events, then a tick every ``interval``."""

    name: str = "demo"

    def __init__(self, fleet: DemoFleet, interval: float = 1.0) -> None:
        self.fleet = fleet
        """The simulated fleet (also the Operator the actions use)."""
        self.interval = interval
        """Seconds between ticks."""

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit the initial events, then what changed every ``interval`` until ``stop``."""
        for event in self.fleet.initial_events():
            emit(event)
        while not stop.wait(self.interval):
            for event in self.fleet.tick():
                emit(event)


def _protocols(fleet: DemoFleet, source: DemoSource) -> tuple[Operator, Source]:
    """Never called: mypy checks here that the demo keeps up with both protocols."""
    return fleet, source
