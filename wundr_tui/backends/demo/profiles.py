"""The demo's data: the EKS and GKE profiles, their workloads and node pools, and the script
of the story every simulated cluster plays.

Every cluster runs the same 300-second story, the GKE one 40 s behind: load surges, the
api-gateway HPA climbs to its max, new pods wait Pending while compute-pool grows to its max,
alerts go pending then firing, replica lag grows past 30 s, a pod crash-loops and a node goes
NotReady; then everything recovers and the second half of the cycle is calm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from wundr_tui.model import Cluster, Kind, Labels

CYCLE = 300
"""Simulated seconds after which the story repeats."""

SOURCES: dict[str, tuple[Kind, ...]] = {
    "kube": (Kind.POD, Kind.DEPLOYMENT, Kind.SERVICE, Kind.HPA, Kind.NODE, Kind.EVENT),
    "nodepools": (Kind.NODE_POOL,),
    "database": (Kind.REPLICA_LINK,),
    "alerts": (Kind.ALERT,),
    "velero": (Kind.SCHEDULE, Kind.BACKUP, Kind.RESTORE),
    "signals": (Kind.SIGNALS,),
}
"""The demo's sources per cluster and the kinds each feeds (their Health events say so)."""

EKS_CONTEXT = "arn:aws:eks:us-east-1:111122223333:cluster/wundr-production"
"""Context name of the demo's EKS cluster."""
GKE_CONTEXT = "gke_wundr-platform_us-central1_wundr-production"
"""Context name of the demo's GKE cluster."""

NAMESPACE = "wundr-platform"
"""The platform's namespace (its services, blue/green, the HPA, the backups)."""
SERVICE = "wundr-platform-service"
"""The Service whose selector the blue-green switch patches."""
HPA_NAME = "api-gateway-hpa"
"""The HPA that climbs to its max during the load surge."""
GREEN = "api-gateway-green"
"""The green deployment (the demo's ``green_replicas`` can start it short)."""
SCHEDULE = "daily-backup"
"""The Velero schedule (02:00 daily, kept a week)."""


@dataclass(frozen=True, slots=True)
class Workload:
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
class PoolSpec:
    """A node pool at the start: bounds, size, and whether the autoscaler manages it."""

    name: str
    min_size: int
    max_size: int
    size: int
    autoscaling: bool


@dataclass(frozen=True, slots=True)
class Profile:
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
    system_workloads: tuple[Workload, ...]
    db: tuple[str, str, str, str, str, str]
    """engine, primary, replica, primary region, replica region, healthy state word."""
    crash_workload: str
    not_ready_pool: str
    lag_peak: float
    demand_peak: float
    crash_seed: int


POOLS = (
    PoolSpec("system-pool", 3, 3, 3, False),
    PoolSpec("compute-pool", 3, 20, 3, True),
    PoolSpec("memory-pool", 2, 10, 2, True),
)
"""The three node pools of every cluster."""


def platform_workloads() -> tuple[Workload, ...]:
    """The seed platform's workloads, the same on both clusters (kube-system differs)."""
    app = (("app", "api-gateway"),)
    return (
        Workload(
            NAMESPACE,
            "api-gateway-blue",
            3,
            2,
            "compute-pool",
            (*app, ("environment", "production-blue"), ("version", "v1")),
            spread=True,
        ),
        Workload(
            NAMESPACE,
            "api-gateway-green",
            3,
            2,
            "compute-pool",
            (*app, ("environment", "production-green"), ("version", "v2")),
            spread=True,
        ),
        Workload(NAMESPACE, "analysis-engine", 5, 2, "compute-pool", (("app", "analysis-engine"),)),
        Workload(NAMESPACE, "web-client", 3, 2, "memory-pool", (("app", "web-client"),)),
        Workload(NAMESPACE, "setup-toolkit", 2, 2, "memory-pool", (("app", "setup-toolkit"),)),
        Workload("monitoring", "grafana", 1, 3, "system-pool", (("app", "grafana"),)),
        Workload(
            "monitoring",
            "kube-state-metrics",
            1,
            3,
            "system-pool",
            (("app", "kube-state-metrics"),),
        ),
        Workload(
            "monitoring",
            "prometheus-k8s",
            1,
            2,
            "system-pool",
            (("app", "prometheus"),),
            stateful=True,
        ),
        Workload(
            "monitoring",
            "alertmanager-main",
            1,
            2,
            "system-pool",
            (("app", "alertmanager"),),
            stateful=True,
        ),
        Workload("velero", "velero", 1, 1, "system-pool", (("name", "velero"),)),
    )


def _kube_system(*specs: tuple[str, int, int]) -> tuple[Workload, ...]:
    return tuple(
        Workload("kube-system", name, n, c, "system-pool", (("k8s-app", name),))
        for name, n, c in specs
    )


EKS = Profile(
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
"""The EKS cluster: the story's clock, RDS with a cross-region replica."""

GKE = Profile(
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
"""The GKE cluster: 40 s behind EKS, its own machines, system pods and Cloud SQL replica."""

# The story is arranged so that around phase 105-115 every kind of incident shows at once
# (with the GKE cluster, 40 s behind, scaling up): that is the moment snapshots like.
# (phase, status, ready containers, restarts added): one crash-looping pod per cycle.
CRASH_SCRIPT: tuple[tuple[int, str, int, int], ...] = (
    (100, "Error", 1, 1),
    (101, "CrashLoopBackOff", 1, 0),
    (111, "Running", 1, 1),
    (113, "Error", 1, 0),
    (114, "CrashLoopBackOff", 1, 1),
    (134, "Running", 1, 1),
    (138, "Running", 2, 0),
)
"""The crash-looping pod's script: (phase, status, ready containers, restarts added)."""
NODE_DOWN, NODE_UP = 105, 135
"""Phases at which a node goes NotReady and comes back."""
# (phase, alert, state): state "" means the alert is gone.
ALERT_SCRIPT: dict[int, tuple[str, str]] = {
    65: ("HighLatency", "pending"),
    80: ("HighErrorRate", "pending"),
    90: ("HighLatency", "firing"),
    95: ("HighErrorRate", "firing"),
    165: ("HighLatency", "resolved"),
    175: ("HighErrorRate", "resolved"),
    185: ("HighLatency", ""),
    195: ("HighErrorRate", ""),
}
"""The alerts' script: at a phase, an alert goes pending, firing, resolved or ("") away."""
ALERTS: dict[str, tuple[str, str, str]] = {
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
"""Each scripted alert's severity, summary and description."""


VERSIONS = {"api-gateway-green": "v1.5.0", "api-gateway-blue": "v1.4.2"}
"""Each workload's image tag at the start (others run ``DEFAULT_VERSION``)."""
DEFAULT_VERSION = "v2.14.3"
"""The image tag of the workloads ``VERSIONS`` does not name."""
SIDECAR_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2"
"""Every second container's image (the log router)."""

ROLLOUT_WORKLOAD = "api-gateway-blue"
"""The deployment the scripted rollout changes (the live colour)."""
ROLLOUT_CLOUD = "aws"
"""The one cloud that plays the rollout: the other only sees its pool at max."""
# (phase, image tag): the rollout shortly before the error rate climbs (HighErrorRate goes
# pending at 80), and the rollback once the surge is over.
ROLLOUT_SCRIPT: dict[int, str] = {70: "v1.4.3", 160: "v1.4.2"}
"""At a phase, the rollout workload's first container moves to this tag (a new revision)."""


def image(cloud: str, workload: str, container: int, version: str | None = None) -> str:
    """A container's image: the workload's in the cloud's registry, the log router after it."""
    if container:
        return SIDECAR_IMAGE
    tag = version or VERSIONS.get(workload, DEFAULT_VERSION)
    base = workload.removesuffix("-blue").removesuffix("-green")
    if cloud == "aws":
        return f"111122223333.dkr.ecr.us-east-1.amazonaws.com/wundr/{base}:{tag}"
    return f"us-central1-docker.pkg.dev/wundr-platform/wundr/{base}:{tag}"


def gateway_demand(phase: int, peak: float) -> float:
    """api-gateway load in replicas' worth at the HPA's CPU target: calm, surge, calm."""
    low = 2.2
    if phase < 30 or phase >= 160:
        return low
    if phase < 70:
        return low + (peak - low) * (phase - 30) / 40
    if phase < 130:
        return peak
    return peak - (peak - low) * (phase - 130) / 30


def replica_lag(phase: int, peak: float) -> float:
    """Replica lag in seconds, without jitter: it grows past the threshold and recovers."""
    if 60 <= phase < 130:
        return peak * (phase - 60) / 70
    if 130 <= phase < 170:
        return peak * (170 - phase) / 40
    return 0.0


def velero_stamp(t: float) -> str:
    """The UTC ``YYYYMMDDhhmmss`` suffix Velero gives scheduled backups (and restores here)."""
    return datetime.fromtimestamp(t, UTC).strftime("%Y%m%d%H%M%S")
