"""GKE node pools through google-cloud-container: the Node pools pane's rows for GCP clusters.

The sync ``ClusterManagerClient`` with the REST transport runs in the source's thread (the
async client has no REST transport, and REST needs no gRPC channel). Credentials come from
Application Default Credentials. google-cloud is imported only when a source first polls.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from wundr_tui import USER_AGENT
from wundr_tui.backends.base import Emit, OperationError
from wundr_tui.backends.bounds import validate_bounds
from wundr_tui.backends.gcp import gcp_error_text
from wundr_tui.backends.polling import HealthReporter, poll_loop
from wundr_tui.config import ClusterConfig
from wundr_tui.events import Replaced
from wundr_tui.model import Cluster, Kind, NodePool

DEFAULT_POLL_SECONDS = 30.0
"""ListNodePools is one call per cluster; 30 s keeps well inside the GKE API quota."""

FOLLOW_TIMEOUT = 900.0
"""How long a scaling call follows the returned operation before giving up."""

CALL_TIMEOUT = 20.0
"""Per-request timeout, so ``stop`` is honoured within a poll."""

_STATUS = {
    0: "UNKNOWN",
    1: "PROVISIONING",
    2: "RUNNING",
    3: "RUNNING_WITH_ERROR",
    4: "RECONCILING",
    5: "STOPPING",
    6: "ERROR",
}
_OP_DONE = 3
_LOCATION_POLICY = {0: "", 1: "BALANCED", 2: "ANY"}


def gke_project(cluster: Cluster, cluster_config: ClusterConfig) -> str:
    """The GCP project: configured, else parsed from ``gke_PROJECT_LOCATION_NAME``."""
    if cluster_config.gcp_project:
        return cluster_config.gcp_project
    parts = cluster.name.split("_")
    if len(parts) >= 4 and parts[0] == "gke":
        return parts[1]
    raise OperationError(
        f"{cluster.name}: no GCP project; set gcp_project for this cluster in the config"
    )


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _enum(value: Any, names: dict[int, str]) -> str:
    """Enums arrive as proto enums, ints or names depending on the transport: normalise."""
    if isinstance(value, str):
        return value
    try:
        return names.get(int(value), str(value))
    except (TypeError, ValueError):
        return str(value)


def nodepool_from_gke(pool: Any) -> NodePool:
    """One ``container_v1.NodePool`` as a NodePool row.

    GKE's per-zone numbers (initial count, min/max without ``total_``) are multiplied by the
    pool's zones, so the pane shows whole-pool sizes like EKS does.
    """
    zones = max(len(list(pool.locations or [])), 1)
    auto = pool.autoscaling
    enabled = bool(auto and auto.enabled)
    if enabled and (_int(auto.total_max_node_count) or _int(auto.total_min_node_count)):
        min_size, max_size = _int(auto.total_min_node_count), _int(auto.total_max_node_count)
    elif enabled:
        min_size, max_size = _int(auto.min_node_count) * zones, _int(auto.max_node_count) * zones
    else:
        min_size = max_size = _int(pool.initial_node_count) * zones
    desired = _int(pool.initial_node_count) * zones
    config = pool.config
    capacity = ""
    if config is not None and getattr(config, "spot", False):
        capacity = "spot"
    elif config is not None and getattr(config, "preemptible", False):
        capacity = "preemptible"
    health_parts = [c.message for c in (pool.conditions or []) if getattr(c, "message", "")]
    status = _enum(pool.status, _STATUS)
    if status in ("RUNNING_WITH_ERROR", "ERROR") and pool.status_message:
        health_parts.insert(0, pool.status_message)
    policy = _enum(auto.location_policy, _LOCATION_POLICY) if enabled else ""
    machine = config.machine_type if config is not None else ""
    return NodePool(
        name=pool.name,
        min_size=min_size,
        max_size=max_size,
        desired=desired,
        machine_type=machine,
        status=status,
        autoscaling=enabled,
        capacity_type=capacity,
        version=pool.version,
        health="; ".join(health_parts),
        location_policy=policy,
    )


class GkeNodePoolSource:
    """Polls one GKE cluster's node pools; also scales them."""

    def __init__(
        self,
        cluster: Cluster,
        cluster_config: ClusterConfig,
        endpoint_url: str | None = None,
        *,
        credentials: Any = None,
        poll_seconds: float = DEFAULT_POLL_SECONDS,
    ) -> None:
        self.cluster = cluster
        """The GKE cluster (``region`` is its location: a region or a zone)."""
        self.cluster_config = cluster_config
        """Where the GCP project comes from."""
        self.endpoint_url = endpoint_url
        """Override for tests (the REST fake); None: container.googleapis.com."""
        self.credentials = credentials
        """None: Application Default Credentials."""
        self.poll_seconds = poll_seconds
        """Seconds between polls."""
        self.name = f"gke:{cluster.name}"
        """Unique source name."""
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def parent(self) -> str:
        """``projects/P/locations/L/clusters/C``: the REST resource of the cluster."""
        project = gke_project(self.cluster, self.cluster_config)
        location, name = self.cluster.region, self.cluster.cluster_name
        return f"projects/{project}/locations/{location}/clusters/{name}"

    def client(self) -> Any:
        """The sync ClusterManagerClient over REST, created on first use."""
        with self._lock:
            if self._client is None:
                from google.api_core.gapic_v1.client_info import ClientInfo
                from google.cloud import container_v1

                options = {"api_endpoint": self.endpoint_url} if self.endpoint_url else None
                self._client = container_v1.ClusterManagerClient(
                    credentials=self.credentials,
                    transport="rest",
                    client_options=options,
                    # x-goog-api-client starts wundr-tui/VERSION (then gl-python/…, gapic/…).
                    client_info=ClientInfo(user_agent=USER_AGENT),  # type: ignore[no-untyped-call]
                )
                # The REST transport's requests session would send python-requests/VERSION
                # as the User-Agent (what Cloud Audit Logs show as callerSuppliedUserAgent);
                # it has no public hook, and tests/integration/test_user_agent.py checks this.
                session = getattr(self._client.transport, "_session", None)
                if session is not None:
                    session.headers["User-Agent"] = USER_AGENT
            return self._client

    def fetch(self) -> list[NodePool]:
        """Every node pool of the cluster."""
        answer = self.client().list_node_pools(parent=self.parent, timeout=CALL_TIMEOUT)
        return sorted((nodepool_from_gke(p) for p in answer.node_pools), key=lambda p: p.name)

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit the node pools every ``poll_seconds`` until ``stop``; never raises."""
        health = HealthReporter(emit, self.cluster.name, "gke/nodepools", (Kind.NODE_POOL,))
        health.report("connecting")

        def poll() -> None:
            pools = self.fetch()
            emit(Replaced(self.cluster.name, Kind.NODE_POOL, tuple(pools)))
            health.report("live", f"{len(pools)} node pools")

        def failed(exc: BaseException, delay: float) -> None:
            health.report("error", gcp_error_text(exc), retry_in=delay)

        poll_loop(stop, self.poll_seconds, poll, failed)

    def scale_node_pool(
        self,
        pool: str,
        min_size: int,
        max_size: int,
        desired: int,
        *,
        dry_run: bool = False,
        follow_timeout: float = FOLLOW_TIMEOUT,
    ) -> NodePool:
        """Set a pool's autoscaling bounds and size, following each operation until done.

        Sizes are for the whole pool. A multi-zone pool gets total bounds; its size (which
        GKE sets per zone) must divide evenly by the number of zones. With ``dry_run`` only
        the checks run and nothing is changed.
        """
        validate_bounds(pool, min_size, max_size, desired)
        name = f"{self.parent}/nodePools/{pool}"
        client = self.client()
        try:
            current = client.get_node_pool(name=name, timeout=CALL_TIMEOUT)
        except Exception as exc:
            status = 404 if type(exc).__name__ == "NotFound" else None
            raise OperationError(gcp_error_text(exc), status=status) from None
        state = _enum(current.status, _STATUS)
        if state not in ("RUNNING", "RUNNING_WITH_ERROR"):
            raise OperationError(
                f"{pool} is {state}; wait until it is RUNNING", status=409, conflict=True
            )
        zones = max(len(list(current.locations or [])), 1)
        if desired % zones:
            raise OperationError(
                f"{pool} spans {zones} zones: the size must be a multiple of {zones}", status=422
            )
        uses_totals = zones > 1 or bool(
            current.autoscaling and _int(current.autoscaling.total_max_node_count)
        )
        if dry_run:
            return nodepool_from_gke(current)
        from google.cloud import container_v1

        # Keep the pool's location policy: setAutoscaling replaces the whole message.
        policy = current.autoscaling.location_policy if current.autoscaling else 0
        if uses_totals:
            bounds = container_v1.NodePoolAutoscaling(
                enabled=True,
                total_min_node_count=min_size,
                total_max_node_count=max_size,
                location_policy=policy,
            )
        else:
            bounds = container_v1.NodePoolAutoscaling(
                enabled=True,
                min_node_count=min_size,
                max_node_count=max_size,
                location_policy=policy,
            )
        if min_size == max_size == desired:
            # A fixed size: turn the autoscaler off so it does not undo the change.
            bounds = container_v1.NodePoolAutoscaling(enabled=False)
        try:
            op = client.set_node_pool_autoscaling(
                request={"name": name, "autoscaling": bounds}, timeout=CALL_TIMEOUT
            )
            self._follow(op, follow_timeout)
            op = client.set_node_pool_size(
                request={"name": name, "node_count": desired // zones}, timeout=CALL_TIMEOUT
            )
            self._follow(op, follow_timeout)
            return nodepool_from_gke(client.get_node_pool(name=name, timeout=CALL_TIMEOUT))
        except OperationError:
            raise
        except Exception as exc:
            raise OperationError(f"scaling {pool} failed: {gcp_error_text(exc)}") from None

    def _follow(self, op: Any, timeout: float) -> None:
        """Poll a container Operation until DONE; raise with its error if it failed."""
        project = gke_project(self.cluster, self.cluster_config)
        name = f"projects/{project}/locations/{self.cluster.region}/operations/{op.name}"
        deadline = time.monotonic() + timeout
        delay = 0.5
        while int(op.status) != _OP_DONE:
            if time.monotonic() > deadline:
                raise OperationError(f"operation {op.name} still running after {timeout:.0f}s")
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
            op = self.client().get_operation(name=name, timeout=CALL_TIMEOUT)
        if op.error and op.error.message:
            raise OperationError(f"operation {op.name} failed: {op.error.message}")
