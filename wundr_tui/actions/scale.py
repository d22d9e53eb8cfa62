"""Scale a deployment's replicas (the scale subresource).

Input is validated before anything is read or sent (``parse_replicas`` raises the error in
words for the form to show inline). Preflight adds what matters on call: an HPA that manages
the deployment (a manual scale would be undone within seconds: change the HPA's bounds
instead), the delta in pods and which way the bill moves.
"""

from __future__ import annotations

from collections.abc import Sequence

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
from wundr_tui.actions.capabilities import Scalable
from wundr_tui.actions.router import Router
from wundr_tui.backends.base import OperationError
from wundr_tui.format import plural
from wundr_tui.model import Cluster, Deployment, Hpa, Kind

__all__ = [
    "MAX_REPLICAS",
    "VERIFY_SECONDS",
    "InputError",
    "hpa_for",
    "parse_count",
    "parse_replicas",
    "plan_scale_deployment",
]

VERIFY_SECONDS = 20.0


def parse_replicas(text: str) -> int:
    """The replicas field: a whole number from 0 to ``MAX_REPLICAS``."""
    return parse_count(text, "replicas")


def hpa_for(hpas: Sequence[Hpa], deployment: Deployment) -> Hpa | None:
    """The HPA whose scale target is this deployment, if any."""
    for h in hpas:
        if h.namespace == deployment.namespace and h.target == f"Deployment/{deployment.name}":
            return h
    return None


def plan_scale_deployment(
    ops: Router, cluster: Cluster, namespace: str, name: str, replicas: int
) -> Plan:
    """Check and describe setting a deployment's replicas."""
    what = f"{namespace}/{name}"
    reader = ops.reader()
    dep = reader.get(cluster.name, Kind.DEPLOYMENT, namespace, name)
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
    hpas = [h for h in reader.list(cluster.name, Kind.HPA, namespace) if isinstance(h, Hpa)]
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
        checks.append(Check(f"already at {plural(replicas, 'replica')}: nothing to change", False))
        return plan
    plan.warnings.append(delta_words(dep.desired, replicas, "pods"))
    if replicas == 0:
        plan.warnings.append("0 replicas: the deployment stops serving entirely")
    resource = "deployments/scale"
    checks.append(
        permission_check(
            ops.can(cluster.name, "patch", resource, namespace), f"you may patch {resource} here"
        )
    )
    if not checks[-1].ok:
        return plan
    rv = dep.resource_version or None
    try:
        ops.backend(cluster.name, Scalable).scale_deployment(
            cluster.name, namespace, name, replicas, dry_run=True, resource_version=rv
        )
    except OperationError as exc:
        checks.append(Check(f"server-side dry run rejected the change: {exc}", False))
        return plan
    checks.append(Check("server-side dry run accepted the change", True))

    def execute(progress: Progress) -> str:
        progress(f"scaling {name} to {replicas} on {cluster.short}…")
        ops.backend(cluster.name, Scalable).scale_deployment(
            cluster.name, namespace, name, replicas, resource_version=rv
        )

        def verified() -> str | None:
            now = require(
                reader.get(cluster.name, Kind.DEPLOYMENT, namespace, name),
                Deployment,
                f"deployment {what}",
            )
            return None if now.desired == replicas else f"replicas read back as {now.desired}"

        failure = wait_until(verified, VERIFY_SECONDS)
        if failure is not None:
            raise Unverified(failure)
        return f"{name} on {cluster.short} now wants {plural(replicas, 'replica')} (pods follow)"

    plan.execute = execute
    return plan
