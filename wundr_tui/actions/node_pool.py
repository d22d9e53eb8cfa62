"""Resize an EKS managed node group or a GKE node pool: min, max and desired nodes.

``parse_node_pool`` is the form's rule: whole numbers, min ≤ desired ≤ max, max at least 1,
none above what the cloud accepts in one pool (``CLOUD_MAX_NODES``). Preflight asks the cloud
for a dry run, whose answer is the "before" of the diff (the pane lags the cloud by a poll).
"""

from __future__ import annotations

from wundr_tui.actions.base import (
    Change,
    Check,
    InputError,
    Plan,
    Progress,
    Unverified,
    delta_words,
    parse_count,
    permission_check,
)
from wundr_tui.actions.capabilities import NodePoolScaler, Reader
from wundr_tui.actions.router import Router
from wundr_tui.backends.base import OperationError
from wundr_tui.model import Cluster, Kind, NodePool

CLOUD_MAX_NODES = {"aws": 450, "gcp": 1000}
"""Largest pool size each cloud accepts: EKS managed node groups (450 nodes per group), GKE
(1000 nodes per pool per zone)."""

DEFAULT_MAX_NODES = 1000
"""The limit on a cluster whose cloud is not known."""


def node_limit(cloud: str) -> int:
    """Most nodes one pool may have on ``cloud`` (``aws`` / ``gcp`` / other)."""
    return CLOUD_MAX_NODES.get(cloud, DEFAULT_MAX_NODES)


def parse_node_pool(
    min_text: str, max_text: str, desired_text: str, cloud: str
) -> tuple[int, int, int]:
    """The min, max and desired fields on ``cloud``: (min, max, desired) or InputError."""
    limit = node_limit(cloud)
    low = parse_count(min_text, "min", high=limit)
    high = parse_count(max_text, "max", low=1, high=limit)
    want = parse_count(desired_text, "desired", high=limit)
    if not low <= want <= high:
        raise InputError(f"need min ≤ desired ≤ max, got {low} ≤ {want} ≤ {high}")
    return low, high, want


def plan_node_pool(
    ops: Router,
    cluster: Cluster,
    pool: NodePool,
    min_size: int,
    max_size: int,
    desired: int,
) -> Plan:
    """Check and describe changing a node pool's min/max/desired (``pool`` as last seen)."""
    kind = {"aws": "EKS node group", "gcp": "GKE node pool"}.get(cluster.cloud, "node pool")
    plan = Plan(
        "node-pool",
        f"Resize {kind} {pool.name}",
        cluster,
        "",
        (
            Change("min", str(pool.min_size), str(min_size)),
            Change("max", str(pool.max_size), str(max_size)),
            Change("desired", str(pool.desired), str(desired)),
        ),
        subject=pool.name,
        details=[f"{pool.machine_type or 'machine type unknown'} · status {pool.status}"],
    )
    checks = plan.checks
    limit = node_limit(cluster.cloud)
    valid = 0 <= min_size <= desired <= max_size <= limit and max_size >= 1
    checks.append(
        Check(
            f"0 ≤ min ({min_size}) ≤ desired ({desired}) ≤ max ({max_size}) ≤ {limit}",
            valid,
        )
    )
    if not valid:
        return plan
    if (min_size, max_size, desired) == (pool.min_size, pool.max_size, pool.desired):
        checks.append(Check("the pool is already this size: nothing to change", False))
        return plan
    checks.append(permission_check(ops.writable(cluster.name), "changes are allowed"))
    if not checks[-1].ok:
        return plan
    try:
        answered = ops.backend(cluster.name, NodePoolScaler).scale_node_pool(
            cluster.name, pool.name, min_size, max_size, desired, dry_run=True
        )
    except OperationError as exc:
        checks.append(Check(f"the cloud refused the dry run: {exc}", False))
        return plan
    checks.append(Check(f"{kind} exists and accepts the change (dry run)", True))
    # The pane lags the cloud by a poll: "before" is what the cloud answered just now.
    now = answered if answered is not None else pool
    plan.changes = (
        Change("min", str(now.min_size), str(min_size)),
        Change("max", str(now.max_size), str(max_size)),
        Change("desired", str(now.desired), str(desired)),
    )
    plan.warnings.append(delta_words(now.desired, desired, "nodes"))
    if now.at_max:
        plan.warnings.append(f"node pool at its max ({now.max_size}) now")
    if desired == max_size:
        plan.warnings.append("node pool at its max after this: the autoscaler cannot grow it")

    def execute(progress: Progress) -> str:
        progress(f"resizing {pool.name} on {cluster.short} (the cloud takes a while)…")
        after = ops.backend(cluster.name, NodePoolScaler).scale_node_pool(
            cluster.name, pool.name, min_size, max_size, desired
        )
        reader = ops.find(Reader)
        if after is None and reader is not None:
            fresh = reader.get(cluster.name, Kind.NODE_POOL, "", pool.name)
            after = fresh if isinstance(fresh, NodePool) else None
        if after is not None:
            got = (after.min_size, after.max_size, after.desired)
            if got != (min_size, max_size, desired):
                raise Unverified(f"the cloud reports min/max/desired {got}")
        return f"{pool.name} on {cluster.short}: min {min_size}, max {max_size}, desired {desired}"

    plan.execute = execute
    return plan
