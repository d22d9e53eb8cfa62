"""Blue-green switch: point a Service's selector at the other colour.

Preflight: the target colour's deployments are fully rolled out and available (ready =
desired, none unavailable) and have ready pods, the Service's selector is now the other colour,
the user may patch Services there, and a server-side dry run of the patch is accepted. Execute:
dry run again, then the merge patch with the Service's resourceVersion as precondition. Verify:
the Service selects the target colour and its endpoints are ready. The plan carries its own
revert (the switch back), which the app offers for a while.
"""

from __future__ import annotations

from wundr_tui.actions.base import (
    Change,
    Check,
    Plan,
    Progress,
    Unverified,
    permission_check,
    require,
    wait_until,
)
from wundr_tui.actions.capabilities import EndpointReader, SelectorPatcher
from wundr_tui.actions.router import Router
from wundr_tui.backends.base import OperationError
from wundr_tui.model import BlueGreenSpec, Cluster, Deployment, Kind, Service, label

VERIFY_SECONDS = 20.0
"""How long verification waits for the endpoints to follow the new selector."""


def colour_of(spec: BlueGreenSpec, value: str) -> str:
    """``blue`` / ``green`` for a selector value, else the value itself."""
    return {spec.blue: "blue", spec.green: "green"}.get(value, value or "none")


def colour_readiness(
    deployments: list[Deployment], spec: BlueGreenSpec, base: dict[str, str], value: str
) -> tuple[int, int, int]:
    """(ready, desired, unavailable) summed over the deployments whose pods the selector
    ``base + {key: value}`` would select."""
    ready = desired = unavailable = 0
    for d in deployments:
        labels = dict(d.pod_labels)
        if labels.get(spec.key) == value and all(labels.get(k) == v for k, v in base.items()):
            ready += d.ready
            desired += d.desired
            unavailable += d.unavailable
    return ready, desired, unavailable


def plan_switch(
    ops: Router,
    cluster: Cluster,
    spec: BlueGreenSpec,
    target: str | None = None,
) -> Plan:
    """Check and describe a switch of ``spec``'s Service to ``target`` (default: the other
    colour). Reads the cluster; sends only an access review and a dry run."""
    what = f"{spec.namespace}/{spec.service}"
    reader = ops.reader()
    svc = reader.get(cluster.name, Kind.SERVICE, spec.namespace, spec.service)
    if not isinstance(svc, Service):
        return Plan(
            "blue-green",
            f"Switch {spec.service}",
            cluster,
            spec.namespace,
            (),
            [Check(f"service {what} not found on {cluster.short}", False)],
            subject=what,
        )
    live = label(svc.selector, spec.key)
    if target is None:
        target = spec.green if live == spec.blue else spec.blue
    base = {k: v for k, v in svc.selector if k != spec.key}
    deployments = [
        d
        for d in reader.list(cluster.name, Kind.DEPLOYMENT, spec.namespace)
        if isinstance(d, Deployment)
    ]
    t_ready, t_desired, t_unavailable = colour_readiness(deployments, spec, base, target)
    target_prefixes = tuple(
        f"{d.name}-"
        for d in deployments
        if dict(d.pod_labels).get(spec.key) == target
        and all(dict(d.pod_labels).get(k) == v for k, v in base.items())
    )
    l_ready, l_desired, _ = colour_readiness(deployments, spec, base, live)
    t_name, l_name = colour_of(spec, target), colour_of(spec, live)
    checks = [
        Check(
            f"service selects {l_name} now ({spec.key}={live or '-'})"
            if live != target and live in (spec.blue, spec.green)
            else f"service selector {spec.key}={live or '-'} is not the other colour of "
            f"{t_name}: nothing to switch",
            live != target and live in (spec.blue, spec.green),
        ),
        Check(
            f"{t_name} is fully rolled out: {t_ready}/{t_desired} ready, "
            f"{t_unavailable} unavailable"
            if t_desired > 0 and t_ready >= t_desired and t_unavailable == 0
            else f"{t_name} is not ready: {t_ready}/{t_desired} ready, "
            f"{t_unavailable} unavailable — switching would send traffic to missing pods",
            t_desired > 0 and t_ready >= t_desired and t_unavailable == 0,
        ),
        Check(
            f"{t_name} has ready endpoints ({t_ready} pods)"
            if t_ready > 0
            else f"{t_name} has no ready pods to serve traffic",
            t_ready > 0,
        ),
    ]
    selector = {spec.key: target}
    plan = Plan(
        "blue-green",
        f"Switch {spec.service} to {t_name}",
        cluster,
        spec.namespace,
        (Change(f"selector {spec.key}", live or "-", target),),
        checks,
        details=[
            f"{l_name} (live): {l_ready}/{l_desired} ready",
            f"{t_name} (target): {t_ready}/{t_desired} ready",
        ],
        subject=what,
    )
    if not all(c.ok for c in checks):
        return plan
    permission = ops.can(cluster.name, "patch", "services", spec.namespace)
    checks.append(permission_check(permission, "you may patch services here"))
    if not permission.allowed:
        return plan
    rv = svc.resource_version or None
    try:
        ops.backend(cluster.name, SelectorPatcher).patch_service_selector(
            cluster.name, spec.namespace, spec.service, selector, dry_run=True, resource_version=rv
        )
    except OperationError as exc:
        checks.append(Check(f"server-side dry run rejected the patch: {exc}", False))
        return plan
    checks.append(Check("server-side dry run accepted the patch", True))

    def execute(progress: Progress) -> str:
        progress(f"switching {spec.service} to {t_name} on {cluster.short}…")
        patcher = ops.backend(cluster.name, SelectorPatcher)
        patcher.patch_service_selector(
            cluster.name, spec.namespace, spec.service, selector, dry_run=True, resource_version=rv
        )
        patcher.patch_service_selector(
            cluster.name, spec.namespace, spec.service, selector, resource_version=rv
        )
        progress(f"verifying {spec.service} on {cluster.short}…")

        def verified() -> str | None:
            now = require(
                reader.get(cluster.name, Kind.SERVICE, spec.namespace, spec.service),
                Service,
                f"service {what}",
            )
            if label(now.selector, spec.key) != target:
                return f"the selector is {spec.key}={label(now.selector, spec.key)}"
            if now.ready_endpoints == 0:
                return "the service has no ready endpoints"
            endpoints = ops.find(EndpointReader)
            pods = (
                endpoints.endpoint_pods(cluster.name, spec.namespace, spec.service)
                if endpoints is not None
                else None
            )
            # Endpoints follow the selector a moment later: wait until every ready address
            # is a pod of the target colour's deployments (pods are named DEPLOYMENT-...).
            stray = [pod for pod in pods or () if not pod.startswith(target_prefixes)]
            if stray:
                return f"endpoints still include {len(stray)} pod(s) of the old colour"
            return None

        failure = wait_until(verified, VERIFY_SECONDS)
        if failure is not None:
            raise Unverified(f"{failure} (press the revert key to switch back)")
        return f"{spec.service} on {cluster.short} now sends traffic to {t_name} ({target})"

    plan.execute = execute
    plan.revert = lambda: plan_switch(ops, cluster, spec, live)
    return plan
