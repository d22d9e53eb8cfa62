"""Blue-green switch: point a Service's selector at the other colour.

Preflight: the target colour's deployments are fully rolled out and available (ready =
desired, none unavailable) and have ready pods, the Service's selector is now the other colour,
the target colour can carry the live colour's load (capacity, below), the user may patch
Services there, and a server-side dry run of the patch is accepted. Execute:
dry run again, then the merge patch with the Service's resourceVersion as precondition. Verify:
the Service selects the target colour and its EndpointSlices (v1 Endpoints only on a server
without slices) list ready endpoints, every one a pod the new selector selects; where neither
can be read the result is "not verified", never done. The plan carries its own
revert (the switch back), which the app offers for a while.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

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
from wundr_tui.actions.router import MISSING, Router
from wundr_tui.backends.base import OperationError
from wundr_tui.backends.endpoints import ServiceEndpoints
from wundr_tui.model import BlueGreenSpec, Cluster, Deployment, Hpa, Kind, Service, label

VERIFY_SECONDS = 20.0
"""How long verification waits for the endpoints to follow the new selector."""

OVERRIDE_BELOW = 0.5
"""Below this share of the live colour's capacity (or below the configured ratio, if that is
lower) a switch is blocked unless the user types the override."""


def _pods(n: int) -> str:
    return f"{n} ready pod" if n == 1 else f"{n} ready pods"


def capacity_check(
    t_name: str,
    l_name: str,
    t_ready: int,
    l_ready: int,
    hpa_wants: int,
    min_ratio: float,
) -> tuple[Check | None, str | None]:
    """Compare the target colour's ready pods with what the live colour serves now: its ready
    pods, or what its HPA wants if that is more (the load is there even where the pods are
    not yet). At or above ``min_ratio`` a passed check; below it a warning; below
    ``OVERRIDE_BELOW`` (or ``min_ratio``, if lower) an overridable failed check. A ratio of
    0 turns the comparison off: (None, None)."""
    if min_ratio <= 0:
        return None, None
    need = max(l_ready, hpa_wants)
    if need <= 0:
        return Check(
            f"capacity: {l_name} serves no ready pods now; {t_name} has {t_ready}", True
        ), None
    against = (
        f"{need} wanted by {l_name}'s HPA ({l_ready} ready)"
        if hpa_wants > l_ready
        else f"{l_name}'s {need}"
    )
    # Rounded down, so a shortfall never reads as 100 %.
    pct = math.floor(100 * t_ready / need)
    head = f"capacity: {t_name} has {_pods(t_ready)} for {against}: {pct} %"
    short = need - t_ready
    ratio = t_ready / need
    if ratio >= min_ratio:
        return Check(head, True), None
    if ratio < min(OVERRIDE_BELOW, min_ratio):
        floor = math.floor(100 * min(OVERRIDE_BELOW, min_ratio))
        text = f"{head}, {short} short: below {floor} % the switch needs the override"
        return Check(text, False, overridable=True), None
    wanted = math.floor(100 * min_ratio)
    return None, f"{head}, below the {wanted} % wanted ({short} short): each pod takes more load"


def hpa_demand(hpas: Sequence[object], deployments: Sequence[Deployment]) -> int:
    """Replicas the HPAs scaling these deployments want now (0 when none scales them)."""
    targets = {f"Deployment/{d.name}" for d in deployments}
    return sum(h.desired_replicas for h in hpas if isinstance(h, Hpa) and h.target in targets)


def read_endpoints(
    ops: Router, cluster: str, spec: BlueGreenSpec, selector: dict[str, str]
) -> ServiceEndpoints:
    """The Service's ready endpoints, and which are pods the new ``selector`` selects."""
    endpoints = ops.find(EndpointReader)
    if endpoints is None:
        return ServiceEndpoints("", reason=MISSING[EndpointReader], lasting=True)
    return endpoints.service_endpoints(cluster, spec.namespace, spec.service, selector)


def _some(names: Sequence[str], most: int = 3) -> str:
    shown = ", ".join(names[:most])
    return shown + (", …" if len(names) > most else "")


def endpoints_failure(seen: ServiceEndpoints, t_name: str) -> str | None:
    """Why the endpoints do not (yet) show the switch, or None when every ready endpoint is a
    pod of the target colour and there is at least one. Neither API readable for good (404 on
    both, forbidden): Unverified at once, waiting cannot help."""
    if not seen.readable:
        why = f"neither EndpointSlices nor Endpoints could be read: {seen.reason}"
        if seen.lasting:
            raise Unverified(f"{why} (press the revert key to switch back)")
        return why
    stray = seen.stray
    if stray:
        # Endpoints follow the selector a moment later: the caller waits and asks again.
        return (
            f"{seen.source}: endpoints still include {len(stray)} pod(s) of the old colour "
            f"({_some(stray)}) and {len(seen.matching)} of {t_name}"
        )
    if not seen.matching:
        return f"{seen.source}: the service has no ready endpoints of {t_name}"
    return None


def colour_of(spec: BlueGreenSpec, value: str) -> str:
    """``blue`` / ``green`` for a selector value, else the value itself."""
    return {spec.blue: "blue", spec.green: "green"}.get(value, value or "none")


def _selected(
    deployments: list[Deployment], spec: BlueGreenSpec, base: dict[str, str], value: str
) -> list[Deployment]:
    """The deployments whose pods the selector ``base + {key: value}`` would select."""
    out = []
    for d in deployments:
        labels = dict(d.pod_labels)
        if labels.get(spec.key) == value and all(labels.get(k) == v for k, v in base.items()):
            out.append(d)
    return out


def colour_readiness(
    deployments: list[Deployment], spec: BlueGreenSpec, base: dict[str, str], value: str
) -> tuple[int, int, int]:
    """(ready, desired, unavailable) summed over the deployments whose pods the selector
    ``base + {key: value}`` would select."""
    chosen = _selected(deployments, spec, base, value)
    return (
        sum(d.ready for d in chosen),
        sum(d.desired for d in chosen),
        sum(d.unavailable for d in chosen),
    )


def plan_switch(
    ops: Router,
    cluster: Cluster,
    spec: BlueGreenSpec,
    target: str | None = None,
    *,
    min_capacity: float = 1.0,
) -> Plan:
    """Check and describe a switch of ``spec``'s Service to ``target`` (default: the other
    colour); ``min_capacity`` is ``[actions] blue_green_min_capacity``. Reads the cluster;
    sends only an access review and a dry run."""
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
    l_ready, l_desired, _ = colour_readiness(deployments, spec, base, live)
    t_name, l_name = colour_of(spec, target), colour_of(spec, live)
    notes: list[str] = []
    try:
        hpas: Sequence[object] = reader.list(cluster.name, Kind.HPA, spec.namespace)
    except OperationError as exc:  # the ready counts still compare; say what is missing
        hpas = ()
        notes.append(f"HPAs not read ({exc}): capacity compares ready pods only")
    hpa_wants = hpa_demand(hpas, _selected(deployments, spec, base, live))
    capacity, shortfall = capacity_check(t_name, l_name, t_ready, l_ready, hpa_wants, min_capacity)
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
            f"{t_name} has ready endpoints ({t_ready} pod{'' if t_ready == 1 else 's'})"
            if t_ready > 0
            else f"{t_name} has no ready pods to serve traffic",
            t_ready > 0,
        ),
    ]
    if capacity is not None:
        checks.append(capacity)
    selector = {spec.key: target}
    plan = Plan(
        "blue-green",
        f"Switch {spec.service} to {t_name}",
        cluster,
        spec.namespace,
        (Change(f"selector {spec.key}", live or "-", target),),
        checks,
        warnings=[shortfall] if shortfall else [],
        details=[
            f"{l_name} (live): {l_ready}/{l_desired} ready",
            f"{t_name} (target): {t_ready}/{t_desired} ready",
            *notes,
        ],
        subject=what,
    )
    # A capacity shortfall can be overridden: the access review and the dry run still run,
    # so the dialog shows whether the switch would go through once the user types it.
    if any(not c.ok and not c.overridable for c in checks):
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
            answer = read_endpoints(ops, cluster.name, spec, dict(now.selector))
            seen[:] = [answer]
            return endpoints_failure(answer, t_name)

        seen: list[ServiceEndpoints] = []
        failure = wait_until(verified, VERIFY_SECONDS)
        if failure is not None:
            raise Unverified(f"{failure} (press the revert key to switch back)")
        last = seen[-1]
        return (
            f"{spec.service} on {cluster.short} now sends traffic to {t_name} ({target}): "
            f"{len(last.matching)} ready endpoint{'' if len(last.matching) == 1 else 's'} "
            f"in its {last.source}"
        )

    plan.execute = execute
    plan.revert = lambda: plan_switch(ops, cluster, spec, live, min_capacity=min_capacity)
    return plan
