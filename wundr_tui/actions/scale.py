"""Scaling: a deployment's replicas (scale subresource), an HPA's min/max, and an EKS node
group's or GKE node pool's min/max/desired.

Input is validated before anything is read or sent (``parse_*`` return the error in words for
the form to show inline). Preflight adds what matters on call: an HPA that manages the
deployment (a manual scale would be undone within seconds: change the HPA's bounds instead), a
pool at its max, the delta in pods or nodes and which way the bill moves.
"""

from __future__ import annotations

from collections.abc import Sequence

from wundr_tui.actions.base import (
    Change,
    Check,
    OperatorRouter,
    Plan,
    Progress,
    Unverified,
    require,
    wait_until,
)
from wundr_tui.backends.base import OperationError
from wundr_tui.model import Cluster, Deployment, Hpa, Kind, NodePool

MAX_REPLICAS = 1000
"""Most replicas a deployment may be scaled to from the cockpit (a typo guard)."""

CLOUD_MAX_NODES = {"aws": 450, "gcp": 1000}
"""Largest pool size each cloud accepts: EKS managed node groups (450 nodes per group), GKE
(1000 nodes per pool per zone)."""

VERIFY_SECONDS = 20.0


class InputError(ValueError):
    """A form field is invalid; ``str()`` says which and why."""


def parse_count(text: str, what: str, *, low: int = 0, high: int = MAX_REPLICAS) -> int:
    """A whole number between ``low`` and ``high``, or InputError in words."""
    text = text.strip()
    if not text:
        raise InputError(f"{what}: enter a number")
    try:
        value = int(text)
    except ValueError:
        raise InputError(f"{what}: {text!r} is not a whole number") from None
    if not low <= value <= high:
        raise InputError(f"{what}: must be between {low} and {high}, not {value}")
    return value


def delta_words(before: int, after: int, unit: str) -> str:
    """``+3 pods (cost up)`` / ``-2 nodes (cost down)`` / ``no change in pods``."""
    d = after - before
    if d == 0:
        return f"no change in {unit}"
    return f"{d:+d} {unit} (cost {'up' if d > 0 else 'down'})"


def hpa_for(hpas: Sequence[Hpa], deployment: Deployment) -> Hpa | None:
    """The HPA whose scale target is this deployment, if any."""
    for h in hpas:
        if h.namespace == deployment.namespace and h.target == f"Deployment/{deployment.name}":
            return h
    return None


def _permission(ops: OperatorRouter, cluster: Cluster, resource: str, namespace: str) -> Check:
    p = ops.can(cluster.name, "patch", resource, namespace)
    return Check(f"you may patch {resource} here" if p.allowed else p.reason, p.allowed)


def plan_scale_deployment(
    ops: OperatorRouter, cluster: Cluster, namespace: str, name: str, replicas: int
) -> Plan:
    """Check and describe setting a deployment's replicas."""
    what = f"{namespace}/{name}"
    dep = ops.get(cluster.name, Kind.DEPLOYMENT, namespace, name)
    if not isinstance(dep, Deployment):
        return Plan(
            "scale",
            f"Scale {name}",
            cluster,
            namespace,
            (),
            [Check(f"deployment {what} not found on {cluster.short}", False)],
            subject=what,
        )
    plan = Plan(
        "scale",
        f"Scale deployment {name}",
        cluster,
        namespace,
        (Change("replicas", str(dep.desired), str(replicas)),),
        subject=what,
        details=[f"now {dep.ready}/{dep.desired} ready"],
    )
    checks = plan.checks
    hpas = [h for h in ops.list(cluster.name, Kind.HPA, namespace) if isinstance(h, Hpa)]
    hpa = hpa_for(hpas, dep)
    if hpa is not None:
        checks.append(
            Check(
                f"an HPA ({hpa.name}) manages this deployment: it will undo a manual scale — "
                f"change the HPA bounds instead (now {hpa.min_replicas}-{hpa.max_replicas})",
                False,
            )
        )
        return plan
    checks.append(Check("no HPA manages this deployment", True))
    if replicas == dep.desired:
        checks.append(Check(f"already at {replicas} replicas: nothing to change", False))
        return plan
    plan.warnings.append(delta_words(dep.desired, replicas, "pods"))
    if replicas == 0:
        plan.warnings.append("0 replicas: the deployment stops serving entirely")
    checks.append(_permission(ops, cluster, "deployments/scale", namespace))
    if not checks[-1].ok:
        return plan
    rv = dep.resource_version or None
    try:
        ops.scale_deployment(
            cluster.name, namespace, name, replicas, dry_run=True, resource_version=rv
        )
    except OperationError as exc:
        checks.append(Check(f"server-side dry run rejected the change: {exc}", False))
        return plan
    checks.append(Check("server-side dry run accepted the change", True))

    def execute(progress: Progress) -> str:
        progress(f"scaling {name} to {replicas} on {cluster.short}…")
        ops.scale_deployment(cluster.name, namespace, name, replicas, resource_version=rv)

        def verified() -> str | None:
            now = require(
                ops.get(cluster.name, Kind.DEPLOYMENT, namespace, name),
                Deployment,
                f"deployment {what}",
            )
            return None if now.desired == replicas else f"replicas read back as {now.desired}"

        failure = wait_until(verified, VERIFY_SECONDS)
        if failure is not None:
            raise Unverified(failure)
        return f"{name} on {cluster.short} now wants {replicas} replicas (pods follow)"

    plan.execute = execute
    return plan


def plan_hpa_bounds(
    ops: OperatorRouter,
    cluster: Cluster,
    namespace: str,
    name: str,
    min_replicas: int,
    max_replicas: int,
) -> Plan:
    """Check and describe changing an HPA's min/max."""
    what = f"{namespace}/{name}"
    hpa = ops.get(cluster.name, Kind.HPA, namespace, name)
    if not isinstance(hpa, Hpa):
        return Plan(
            "hpa-bounds",
            f"Change HPA {name}",
            cluster,
            namespace,
            (),
            [Check(f"HPA {what} not found on {cluster.short}", False)],
            subject=what,
        )
    plan = Plan(
        "hpa-bounds",
        f"Change HPA {name} bounds",
        cluster,
        namespace,
        (
            Change("minReplicas", str(hpa.min_replicas), str(min_replicas)),
            Change("maxReplicas", str(hpa.max_replicas), str(max_replicas)),
        ),
        subject=what,
        details=[
            f"target {hpa.target}: {hpa.current_replicas} replicas now, "
            f"HPA wants {hpa.desired_replicas}"
        ],
    )
    checks = plan.checks
    valid = 1 <= min_replicas <= max_replicas <= MAX_REPLICAS
    checks.append(
        Check(
            f"1 ≤ min ({min_replicas}) ≤ max ({max_replicas}) ≤ {MAX_REPLICAS}",
            valid,
        )
    )
    if not valid:
        return plan
    if (min_replicas, max_replicas) == (hpa.min_replicas, hpa.max_replicas):
        checks.append(Check("the bounds are already these: nothing to change", False))
        return plan
    current = hpa.current_replicas
    settled = min(max(current, min_replicas), max_replicas)
    plan.warnings.append(delta_words(current, settled, "pods") + " right away")
    if hpa.at_max and max_replicas > hpa.max_replicas:
        plan.warnings.append("the HPA is at its max now: it will grow past the old max")
    checks.append(_permission(ops, cluster, "horizontalpodautoscalers", namespace))
    if not checks[-1].ok:
        return plan
    rv = hpa.resource_version or None
    try:
        ops.patch_hpa_bounds(
            cluster.name,
            namespace,
            name,
            min_replicas,
            max_replicas,
            dry_run=True,
            resource_version=rv,
        )
    except OperationError as exc:
        checks.append(Check(f"server-side dry run rejected the change: {exc}", False))
        return plan
    checks.append(Check("server-side dry run accepted the change", True))

    def execute(progress: Progress) -> str:
        progress(f"changing {name} to {min_replicas}-{max_replicas} on {cluster.short}…")
        ops.patch_hpa_bounds(
            cluster.name, namespace, name, min_replicas, max_replicas, resource_version=rv
        )

        def verified() -> str | None:
            now = require(ops.get(cluster.name, Kind.HPA, namespace, name), Hpa, f"HPA {what}")
            got = (now.min_replicas, now.max_replicas)
            return None if got == (min_replicas, max_replicas) else f"bounds read back as {got}"

        failure = wait_until(verified, VERIFY_SECONDS)
        if failure is not None:
            raise Unverified(failure)
        return f"HPA {name} on {cluster.short} now scales between {min_replicas} and {max_replicas}"

    plan.execute = execute
    return plan


def plan_node_pool(
    ops: OperatorRouter,
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
    limit = CLOUD_MAX_NODES.get(cluster.cloud, 1000)
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
    writable = ops.writable(cluster.name)
    checks.append(
        Check("changes are allowed" if writable.allowed else writable.reason, writable.allowed)
    )
    if not writable.allowed:
        return plan
    try:
        answered = ops.scale_node_pool(
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
        after = ops.scale_node_pool(cluster.name, pool.name, min_size, max_size, desired)
        if after is None and ops.reader is not None:
            fresh = ops.get(cluster.name, Kind.NODE_POOL, "", pool.name)
            after = fresh if isinstance(fresh, NodePool) else None
        if after is not None:
            got = (after.min_size, after.max_size, after.desired)
            if got != (min_size, max_size, desired):
                raise Unverified(f"the cloud reports min/max/desired {got}")
        return f"{pool.name} on {cluster.short}: min {min_size}, max {max_size}, desired {desired}"

    plan.execute = execute
    return plan
