"""Change an HPA's min/max replicas.

``parse_hpa_bounds`` is the form's rule (whole numbers, 1 ≤ min ≤ max ≤ ``MAX_REPLICAS``);
preflight says how many pods move right away and warns when an HPA at its max is let grow.
"""

from __future__ import annotations

from wundr_tui.actions.base import (
    MAX_REPLICAS,
    Change,
    Check,
    InputError,
    Plan,
    Progress,
    Unverified,
    delta_words,
    parse_count,
    permission_check,
    require,
    wait_until,
)
from wundr_tui.actions.capabilities import HpaBoundsPatcher
from wundr_tui.actions.router import Router
from wundr_tui.backends.base import OperationError
from wundr_tui.format import plural
from wundr_tui.model import Cluster, Hpa, Kind

VERIFY_SECONDS = 20.0


def parse_hpa_bounds(min_text: str, max_text: str) -> tuple[int, int]:
    """The min and max fields: whole numbers from 1, min not above max."""
    low = parse_count(min_text, "min", low=1)
    high = parse_count(max_text, "max", low=1)
    if low > high:
        raise InputError(f"min ({low}) must not be more than max ({high})")
    return low, high


def plan_hpa_bounds(
    ops: Router,
    cluster: Cluster,
    namespace: str,
    name: str,
    min_replicas: int,
    max_replicas: int,
) -> Plan:
    """Check and describe changing an HPA's min/max."""
    what = f"{namespace}/{name}"
    reader = ops.reader()
    hpa = reader.get(cluster.name, Kind.HPA, namespace, name)
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
            f"target {hpa.target}: {plural(hpa.current_replicas, 'replica')} now, "
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
    resource = "horizontalpodautoscalers"
    checks.append(
        permission_check(
            ops.can(cluster.name, "patch", resource, namespace), f"you may patch {resource} here"
        )
    )
    if not checks[-1].ok:
        return plan
    rv = hpa.resource_version or None
    try:
        ops.backend(cluster.name, HpaBoundsPatcher).patch_hpa_bounds(
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
        ops.backend(cluster.name, HpaBoundsPatcher).patch_hpa_bounds(
            cluster.name, namespace, name, min_replicas, max_replicas, resource_version=rv
        )

        def verified() -> str | None:
            now = require(reader.get(cluster.name, Kind.HPA, namespace, name), Hpa, f"HPA {what}")
            got = (now.min_replicas, now.max_replicas)
            return None if got == (min_replicas, max_replicas) else f"bounds read back as {got}"

        failure = wait_until(verified, VERIFY_SECONDS)
        if failure is not None:
            raise Unverified(failure)
        return f"HPA {name} on {cluster.short} now scales between {min_replicas} and {max_replicas}"

    plan.execute = execute
    return plan
