"""What the panes show: small frozen, slotted dataclasses, keyed by ``(cluster, kind, key)``.

Only fields that a pane shows or an action needs are kept; whole API objects never are
(memory per pod is a goal). No I/O and no Textual here.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar, Literal, TypeAlias

Labels: TypeAlias = tuple[tuple[str, str], ...]
"""A small, hashable label map: sorted ``(key, value)`` pairs."""


def labels_of(mapping: dict[str, str] | None) -> Labels:
    """Freeze a label mapping into sorted pairs."""
    if not mapping:
        return ()
    return tuple(sorted(mapping.items()))


NAME_LABELS = ("app", "app.kubernetes.io/name", "k8s-app", "name")
"""Pod-template labels that name a workload the way an alert's ``service`` label does."""


_INTERNED: dict[Labels, Labels] = {}
LABELS_MAX = 64
"""Labels kept per object (what an apiserver sends is not trusted to be small)."""
INTERN_LIMIT = 20_000
"""Distinct label sets kept for sharing; past it the table starts again (a fleet of
StatefulSet pods, each with its own ``pod-name`` label, cannot grow it without bound)."""


def intern_labels(mapping: dict[str, str] | None) -> Labels:
    """``labels_of``, shared: equal label sets come back as one tuple (the pods of one
    ReplicaSet keep one copy between them). Safe from several threads (a race keeps two)."""
    if not mapping or not isinstance(mapping, dict):
        return ()
    pairs = [(k, v) for k, v in mapping.items() if isinstance(k, str) and isinstance(v, str)]
    frozen = tuple(sorted((sys.intern(k), v) for k, v in pairs[:LABELS_MAX]))
    found = _INTERNED.get(frozen)
    if found is not None:
        return found
    if len(_INTERNED) >= INTERN_LIMIT:
        _INTERNED.clear()
    _INTERNED[frozen] = frozen
    return frozen


_PRD = re.compile(r"(?<![a-z])prd(?![a-z])")


def says_production(name: str) -> bool:
    """Whether a context's name says production: ``prod`` in it (``wundr-production``,
    ``prod-eu``), or ``prd`` as a word (``eks-prd-1``; not ``bprd``)."""
    low = name.lower()
    return "prod" in low or _PRD.search(low) is not None


def label(labels: Labels, key: str, default: str = "") -> str:
    """Look one key up in frozen labels."""
    for k, v in labels:
        if k == key:
            return v
    return default


class Kind(StrEnum):
    """The kinds of object the store keeps, one dict per cluster and kind."""

    POD = "pod"
    DEPLOYMENT = "deployment"
    SERVICE = "service"
    HPA = "hpa"
    NODE = "node"
    NODE_POOL = "nodepool"
    REPLICA_LINK = "replicalink"
    ALERT = "alert"
    SCHEDULE = "schedule"
    BACKUP = "backup"
    RESTORE = "restore"
    EVENT = "event"
    SIGNALS = "signals"


Cloud: TypeAlias = Literal["aws", "gcp", "other"]


@dataclass(frozen=True, slots=True)
class Cluster:
    """One watched context: which cloud, where, and how it is shown."""

    name: str
    """Context name as in kubeconfig (or the demo's)."""
    cloud: Cloud
    region: str
    cluster_name: str
    production: bool = False
    read_only: bool = False

    @property
    def short(self) -> str:
        """A label that fits a narrow column: ``eks/wundr-production``."""
        prefix = {"aws": "eks", "gcp": "gke"}.get(self.cloud, "k8s")
        return f"{prefix}/{self.cluster_name}"


@dataclass(frozen=True, slots=True)
class Pod:
    """A pod as the Pods pane shows it."""

    KIND: ClassVar[Kind] = Kind.POD
    namespace: str
    name: str
    status: str
    """Phase or the reason kubectl shows instead (CrashLoopBackOff, Pending, Terminating...)."""
    ready: int
    containers: int
    restarts: int
    created: float
    """Creation time, seconds since the epoch."""
    node: str = ""
    owner: str = ""
    """Owning workload (deployment name where known, else the owner reference's name)."""
    since: float = 0.0
    """When the pod stopped being ready (its Ready condition's ``lastTransitionTime`` while that
    is not True): how long it has been wrong. 0 while ready, or when the API did not say."""
    labels: Labels = field(default=(), repr=False)
    """The pod's labels (what ``/-l`` selects on; out of ``repr``, which the demo hashes).
    The pods of one ReplicaSet have equal labels: the sources intern them, so they share one
    tuple (8 bytes a pod, not a copy)."""

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return f"{self.namespace}/{self.name}"

    @property
    def problem(self) -> str | None:
        """Why this pod needs a look, or None when it is fine."""
        if self.status in ("Running", "Succeeded", "Completed", "Terminating", "ContainerCreating"):
            if self.status == "Running" and self.ready < self.containers:
                return "not ready"
            return None
        return self.status


@dataclass(frozen=True, slots=True)
class Deployment:
    """A deployment's rollout state."""

    KIND: ClassVar[Kind] = Kind.DEPLOYMENT
    namespace: str
    name: str
    desired: int
    ready: int
    available: int
    updated: int
    pod_labels: Labels = ()
    """The pod template's labels: what a Service selector matches."""
    resource_version: str = ""
    image: str = ""
    """The pod template's container images, joined by ``, `` (what a rollout changes)."""
    revision: int = 0
    """``deployment.kubernetes.io/revision``: bumped by every rollout; 0 when unknown."""

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return f"{self.namespace}/{self.name}"

    @property
    def unavailable(self) -> int:
        """Replicas wanted but not available."""
        return max(self.desired - self.available, 0)


@dataclass(frozen=True, slots=True)
class Service:
    """A Service's selector (what blue-green switching changes)."""

    KIND: ClassVar[Kind] = Kind.SERVICE
    namespace: str
    name: str
    selector: Labels
    resource_version: str = ""
    ready_endpoints: int = -1
    """Ready endpoint addresses, -1 when unknown."""

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return f"{self.namespace}/{self.name}"


@dataclass(frozen=True, slots=True)
class HpaMetric:
    """One metric of an HPA: current value against its target (percent for utilisation)."""

    name: str
    current: float | None
    target: float


@dataclass(frozen=True, slots=True)
class Hpa:
    """A HorizontalPodAutoscaler (autoscaling/v2) as the HPA pane shows it."""

    KIND: ClassVar[Kind] = Kind.HPA
    namespace: str
    name: str
    target: str
    """``Deployment/api-gateway``."""
    min_replicas: int
    max_replicas: int
    current_replicas: int
    desired_replicas: int
    metrics: tuple[HpaMetric, ...] = ()
    resource_version: str = ""
    limited_since: float = 0.0
    """Since when the HPA has wanted more than its maximum (its ``ScalingLimited`` condition,
    reason ``TooManyReplicas``, ``lastTransitionTime``); 0 when not limited or not said."""

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return f"{self.namespace}/{self.name}"

    @property
    def at_max(self) -> bool:
        """The HPA wants at least as many replicas as it may have."""
        return self.desired_replicas >= self.max_replicas


@dataclass(frozen=True, slots=True)
class Node:
    """A Kubernetes node, for the node pools' ready counts."""

    KIND: ClassVar[Kind] = Kind.NODE
    name: str
    pool: str
    ready: bool
    machine_type: str = ""
    created: float = 0.0
    since: float = 0.0
    """When the node stopped being ready (its Ready condition's ``lastTransitionTime`` while
    that is not True); 0 while ready, or when the API did not say."""

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return self.name


@dataclass(frozen=True, slots=True)
class NodePool:
    """An EKS managed nodegroup or a GKE node pool."""

    KIND: ClassVar[Kind] = Kind.NODE_POOL
    name: str
    min_size: int
    max_size: int
    desired: int
    machine_type: str
    status: str = "ACTIVE"
    autoscaling: bool = True
    capacity_type: str = ""
    """ON_DEMAND / SPOT on EKS; ``spot`` / ``preemptible`` on GKE, blank when standard."""
    version: str = ""
    health: str = ""
    """Health issues the cloud reports, joined; blank when healthy."""
    location_policy: str = ""
    """GKE autoscaler location policy (BALANCED / ANY); blank on EKS or without autoscaling."""

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return self.name

    @property
    def at_max(self) -> bool:
        """The pool cannot grow any further."""
        return self.autoscaling and self.desired >= self.max_size


@dataclass(frozen=True, slots=True)
class ReplicaLink:
    """One primary → replica replication link and its lag."""

    KIND: ClassVar[Kind] = Kind.REPLICA_LINK
    engine: str
    """``rds``, ``cloudsql`` or ``postgres``."""
    primary: str
    replica: str
    primary_region: str
    replica_region: str
    state: str
    """The provider's own word: pg_stat_replication's (streaming, catchup...), RDS's read
    replication status (replicating, error...), Cloud SQL's instance state (RUNNABLE...)."""
    lag_seconds: float | None
    """None means unknown (NULL in pg_stat_replication, no datapoint in CloudWatch)."""
    lag_bytes: int | None = None
    sampled: float = 0.0
    """When the lag was measured, seconds since the epoch."""
    sync_state: str = ""
    """PostgreSQL ``sync_state`` (async / potential / sync / quorum); blank for cloud links."""

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return f"{self.engine}:{self.primary}>{self.replica}"

    @property
    def replication(self) -> str:
        """The panes' one word for the link, whatever the provider says (``state`` keeps the
        provider's own word for the detail view): one of ``REPLICATION_WORDS``."""
        return replication_word(self.state)


REPLICATION_WORDS = ("streaming", "catching up", "stopped", "unknown")
"""The vocabulary of replication in the panes."""

_REPLICATION = {
    # pg_stat_replication.state, and the words the PostgreSQL source gives a replica it
    # reads itself (paused replay, not connected to this primary, promoted).
    "streaming": "streaming",
    "catchup": "catching up",
    "startup": "catching up",
    "backup": "catching up",
    "stopping": "stopped",
    "paused": "stopped",
    "disconnected": "stopped",
    "promoted": "stopped",
    # RDS: the read replication status (replicating / error / stopped / terminated), else
    # the instance status; "missing": the replica RDS names is not there.
    "replicating": "streaming",
    "available": "streaming",
    "creating": "catching up",
    "error": "stopped",
    "stopped": "stopped",
    "terminated": "stopped",
    "failed": "stopped",
    "missing": "stopped",
    "storage-full": "stopped",
    # Cloud SQL: the replica instance's state.
    "runnable": "streaming",
    "pending_create": "catching up",
    "suspended": "stopped",
    "pending_delete": "stopped",
}


def replication_word(state: str) -> str:
    """A provider's replication or instance state → streaming / catching up / stopped /
    unknown (any word not known to mean one of the others is unknown)."""
    return _REPLICATION.get(state.strip().lower(), "unknown")


Severity: TypeAlias = Literal["critical", "warning", "info", "none"]

ACK_PREFIX = "ack:"
"""A silence whose comment starts with this is an acknowledgement (``a``): the alert it covers
stays listed, with who acknowledged it and for how long."""


@dataclass(frozen=True, slots=True)
class Alert:
    """A Prometheus / Alertmanager alert."""

    KIND: ClassVar[Kind] = Kind.ALERT
    name: str
    fingerprint: str
    severity: str
    state: str
    """firing / pending / suppressed."""
    starts_at: float
    summary: str = ""
    description: str = ""
    namespace: str = ""
    service: str = ""
    pod: str = ""
    silenced_by: tuple[str, ...] = ()
    inhibited: bool = False
    source: str = ""
    """Which Prometheus / Alertmanager endpoint reported it."""
    group: str = ""
    """Alertmanager's notification group (its ``group_by`` labels, ``alertname=X,cluster=Y``);
    blank for alerts only Prometheus reports."""
    labels: Labels = ()
    """Every label of the alert (the detail view lists them)."""
    annotations: Labels = ()
    """Every annotation (summary, description, runbook_url...)."""
    ack_id: str = ""
    """The acknowledging silence (one whose comment starts ``ack:``) covering it; blank: none."""
    acked_by: str = ""
    """Who acknowledged it (the silence's author)."""
    acked_at: float = 0.0
    """When the acknowledging silence started (epoch seconds)."""
    ack_until: float = 0.0
    """When it ends (epoch seconds)."""

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return self.fingerprint

    @property
    def subject(self) -> str:
        """What the alert concerns, as precisely as its labels say."""
        parts = [p for p in (self.namespace, self.service or self.pod) if p]
        return "/".join(parts)


@dataclass(frozen=True, slots=True)
class BackupSchedule:
    """A Velero Schedule."""

    KIND: ClassVar[Kind] = Kind.SCHEDULE
    name: str
    schedule: str
    phase: str
    last_backup: float | None
    ttl: str = ""
    included_namespaces: tuple[str, ...] = ()
    paused: bool = False

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return self.name


@dataclass(frozen=True, slots=True)
class Backup:
    """A Velero Backup."""

    KIND: ClassVar[Kind] = Kind.BACKUP
    name: str
    phase: str
    started: float | None
    completed: float | None
    expires: float | None = None
    schedule: str = ""
    errors: int = 0
    warnings: int = 0
    items_done: int = 0
    items_total: int = 0
    included_namespaces: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return self.name


@dataclass(frozen=True, slots=True)
class Restore:
    """A Velero Restore and its progress."""

    KIND: ClassVar[Kind] = Kind.RESTORE
    name: str
    backup: str
    phase: str
    started: float | None
    completed: float | None = None
    errors: int = 0
    warnings: int = 0
    items_done: int = 0
    items_total: int = 0
    namespace_mapping: Labels = ()

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return self.name


EventType: TypeAlias = Literal["Warning", "Normal"]

REGARDING_KINDS: dict[Kind, str] = {
    Kind.POD: "Pod",
    Kind.DEPLOYMENT: "Deployment",
    Kind.SERVICE: "Service",
    Kind.HPA: "HorizontalPodAutoscaler",
    Kind.NODE: "Node",
    Kind.SCHEDULE: "Schedule",
    Kind.BACKUP: "Backup",
    Kind.RESTORE: "Restore",
}
"""Our kind → the Kubernetes ``kind`` an event's ``regarding`` names for it."""


@dataclass(frozen=True, slots=True)
class KubeEvent:
    """A Kubernetes event (``events.k8s.io/v1``), de-duplicated by the object it is about and
    its reason: a BackOff repeated 300 times is one row whose count and last seen move."""

    KIND: ClassVar[Kind] = Kind.EVENT
    namespace: str
    name: str
    """The event object's name (the latest one seen for this object and reason)."""
    type: EventType
    reason: str
    note: str
    """The message: what happened, in the reporter's words."""
    regarding_kind: str
    """The Kubernetes kind of the object it is about, as sent: ``Pod``, ``Node``."""
    regarding_namespace: str
    """Blank for cluster-scoped objects (nodes)."""
    regarding_name: str
    count: int
    first_seen: float
    """Seconds since the epoch."""
    last_seen: float
    reporter: str = ""
    """``reportingController`` (or the older ``source.component``): kubelet, default-scheduler."""

    @property
    def key(self) -> str:
        """Stable key within a cluster: the object and the reason, so repeats share a row."""
        return (
            f"{self.regarding_kind}/{self.regarding_namespace}/{self.regarding_name}:{self.reason}"
        )

    @property
    def regarding(self) -> tuple[str, str, str]:
        """(kind, namespace, name) of the object the event is about."""
        return (self.regarding_kind, self.regarding_namespace, self.regarding_name)

    def merged(self, other: KubeEvent) -> KubeEvent:
        """One event for the same object and reason: the higher count, the latest last seen
        (with that one's note and name), the earliest first seen."""
        newer = other if other.last_seen >= self.last_seen else self
        return KubeEvent(
            namespace=newer.namespace,
            name=newer.name,
            type=newer.type,
            reason=newer.reason,
            note=newer.note,
            regarding_kind=newer.regarding_kind,
            regarding_namespace=newer.regarding_namespace,
            regarding_name=newer.regarding_name,
            count=max(self.count, other.count),
            first_seen=min(self.first_seen, other.first_seen),
            last_seen=max(self.last_seen, other.last_seen),
            reporter=newer.reporter,
        )


SIGNAL_WINDOW = 1800.0
"""Seconds of golden-signal points kept per service (the Services pane's 30 minutes)."""
SIGNAL_POINTS = 240
"""Most points kept per series whatever the step (30 minutes at a 7.5 s step)."""


@dataclass(frozen=True, slots=True)
class GoldenSignals:
    """One service's golden signals in one cluster, from Prometheus range queries: request
    rate, error ratio and p95 latency on one time grid (``start`` + i * ``step``); None where
    Prometheus had no value (no requests: no error ratio). A source may send only the newest
    points: the store merges them into what it holds (``merged``), 30 minutes at most."""

    KIND: ClassVar[Kind] = Kind.SIGNALS
    service: str
    start: float
    """Time of the first point, seconds since the epoch."""
    step: float
    """Seconds between points."""
    requests: tuple[float | None, ...] = ()
    """Requests per second."""
    errors: tuple[float | None, ...] = ()
    """Share of requests answered 5xx, 0 to 1."""
    p95: tuple[float | None, ...] = ()
    """95th percentile latency, seconds."""

    @property
    def key(self) -> str:
        """Stable key within a cluster."""
        return self.service

    @property
    def points(self) -> int:
        """Points on the grid (the shortest series: they are kept the same length)."""
        return min(len(self.requests), len(self.errors), len(self.p95))

    @property
    def end(self) -> float:
        """Time of the last point (``start`` when there is none)."""
        return self.start + max(self.points - 1, 0) * self.step

    def trimmed(self, window: float = SIGNAL_WINDOW, limit: int = SIGNAL_POINTS) -> GoldenSignals:
        """The points of the last ``window`` seconds (at most ``limit``), series cut to one
        length."""
        n = self.points
        keep = n
        if self.step > 0:
            keep = min(keep, int(window // self.step) + 1)
        keep = max(min(keep, limit), 0)
        drop = n - keep
        if drop == 0 and len(self.requests) == len(self.errors) == len(self.p95) == n:
            return self
        return GoldenSignals(
            self.service,
            self.start + drop * self.step,
            self.step,
            self.requests[drop:n],
            self.errors[drop:n],
            self.p95[drop:n],
        )

    def merged(self, newer: GoldenSignals) -> GoldenSignals:
        """These points with ``newer``'s on top (its values win where it has one), trimmed to
        the window. A grid that does not line up (another step) replaces what was held."""
        step = self.step
        aligned = (
            step > 0
            and newer.step == step
            and self.points
            and abs((newer.start - self.start) / step - round((newer.start - self.start) / step))
            < 1e-6
            and newer.start <= self.end + step * SIGNAL_POINTS
            and newer.end >= self.start - step * SIGNAL_POINTS
        )
        if not aligned:
            return newer.trimmed()
        first = min(self.start, newer.start)
        last = max(self.end, newer.end)
        n = min(round((last - first) / step) + 1, 2 * SIGNAL_POINTS + 2)
        series: list[list[float | None]] = [[None] * n for _ in range(3)]
        for src in (self, newer):
            at = round((src.start - first) / step)
            for s, values in zip(series, (src.requests, src.errors, src.p95), strict=True):
                for i, v in enumerate(values[: src.points]):
                    if v is not None and 0 <= at + i < n:
                        s[at + i] = v
        return GoldenSignals(
            self.service, first, step, tuple(series[0]), tuple(series[1]), tuple(series[2])
        ).trimmed()


Resource: TypeAlias = (
    Pod
    | Deployment
    | Service
    | Hpa
    | Node
    | NodePool
    | ReplicaLink
    | Alert
    | BackupSchedule
    | Backup
    | Restore
    | KubeEvent
    | GoldenSignals
)
"""Anything the store keeps."""

KIND_TYPES: dict[Kind, type[Resource]] = {
    Kind.POD: Pod,
    Kind.DEPLOYMENT: Deployment,
    Kind.SERVICE: Service,
    Kind.HPA: Hpa,
    Kind.NODE: Node,
    Kind.NODE_POOL: NodePool,
    Kind.REPLICA_LINK: ReplicaLink,
    Kind.ALERT: Alert,
    Kind.SCHEDULE: BackupSchedule,
    Kind.BACKUP: Backup,
    Kind.RESTORE: Restore,
    Kind.EVENT: KubeEvent,
    Kind.SIGNALS: GoldenSignals,
}


HealthState: TypeAlias = Literal["connecting", "live", "stale", "error", "absent"]
"""absent: the thing watched does not exist there (e.g. Velero not installed)."""


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """How fresh one source's data is for one cluster and kind."""

    cluster: str
    source: str
    """The backend and what it watches: ``kube/pods``, ``eks/nodegroups``."""
    state: HealthState
    since: float
    reason: str = ""
    kinds: tuple[Kind, ...] = ()
    """The kinds this source feeds; their panes show its badge."""
    retry_at: float = 0.0
    """When a failed source tries again (seconds since the epoch): the badge counts down to it.
    0 when it is not waiting to retry."""

    @property
    def family(self) -> SourceFamily:
        """What the source talks to: ``k8s`` (the cluster's apiserver), ``cloud`` (EKS, GKE,
        RDS, Cloud SQL APIs), ``alerts`` (Prometheus, Alertmanager) or ``db`` (PostgreSQL)."""
        head = self.source.split("/", 1)[0].split("@", 1)[0]
        return SOURCE_FAMILIES.get(head, "k8s")


SourceFamily: TypeAlias = Literal["k8s", "cloud", "alerts", "db"]

SOURCE_FAMILIES: dict[str, SourceFamily] = {
    "kube": "k8s",
    "velero": "k8s",
    "eks": "cloud",
    "gke": "cloud",
    "rds": "cloud",
    "cloudsql": "cloud",
    "nodepools": "cloud",  # the demo's EKS / GKE node pools
    "database": "cloud",  # the demo's RDS / Cloud SQL
    "prometheus": "alerts",
    "signals": "alerts",  # golden signals: Prometheus range queries (the demo's too)
    "alertmanager": "alerts",
    "alerts": "alerts",
    "postgres": "db",
}
"""A source name's first part → its family (anything else is read as Kubernetes)."""


@dataclass(frozen=True, slots=True)
class BlueGreenSpec:
    """Which Service switches between which two selector values."""

    namespace: str = "wundr-platform"
    service: str = "wundr-platform-service"
    key: str = "environment"
    blue: str = "production-blue"
    green: str = "production-green"


@dataclass(frozen=True, slots=True)
class BlueGreen:
    """Which colour a blue-green Service sends traffic to, and how ready each colour is."""

    cluster: str
    spec: BlueGreenSpec
    live: str
    """The selector value now live; blank when the Service is missing or matches neither."""
    blue_ready: tuple[int, int]
    """(ready, desired) of the blue deployment(s)."""
    green_ready: tuple[int, int]
    resource_version: str = ""

    @property
    def live_colour(self) -> str:
        """``blue``, ``green`` or ``?``."""
        if self.live == self.spec.blue:
            return "blue"
        if self.live == self.spec.green:
            return "green"
        return "?"


@dataclass(frozen=True, slots=True)
class Incident:
    """One row of the home pane: something wrong right now."""

    rank: int
    """0 is worst. Sorting key with ``since``."""
    severity: Severity
    cluster: str
    what: str
    """Short category: ALERT, POD, HPA, NODEPOOL, DB, BLUE/GREEN, SOURCE."""
    subject: str
    detail: str
    since: float
    """Since when it has been wrong: the object's own condition times where the API has
    them, else when the cockpit first saw the row (kept while the row lasts)."""
    # Where the row leads, not what it says: left out of equality, so a row compares (and
    # redraws) by what is shown.
    kind: Kind | None = field(default=None, compare=False)
    """The kind of the object the row is about (Enter opens it); None for a source row."""
    key: str = field(default="", compare=False)
    """That object's key in the store (a pod group's row names its deployment)."""
    cause: str = field(default="", compare=False)
    """What is wrong, in a word that stays while it lasts (``CrashLoopBackOff``, ``at max``,
    ``lag``): with cluster, what and subject, the row's identity from frame to frame (its
    detail moves with every sample)."""

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """(cluster, what, subject, cause): the same trouble from one frame to the next."""
        return (self.cluster, self.what, self.subject, self.cause)
