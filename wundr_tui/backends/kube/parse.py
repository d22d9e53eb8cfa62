"""Reduce raw Kubernetes JSON (as parsed by orjson) to the model's small dataclasses.

The apiserver sends about 7 KB of JSON per pod; the Pods pane needs a dozen fields. These
functions read only those fields from plain dicts (never the client's model objects) and intern
the strings that repeat across thousands of objects (namespaces, nodes, owners, statuses), so a
pod costs a few hundred bytes in the store.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

from wundr_tui.model import (
    Backup,
    BackupSchedule,
    Deployment,
    Hpa,
    HpaMetric,
    Node,
    Pod,
    Restore,
    Service,
    intern_labels,
    labels_of,
)

Obj = dict[str, Any]
"""One Kubernetes object as plain JSON."""

_intern = sys.intern

NODE_POOL_LABELS = (
    "eks.amazonaws.com/nodegroup",
    "cloud.google.com/gke-nodepool",
    "karpenter.sh/nodepool",
)
"""Node labels that name the node's pool, in order of preference."""

MACHINE_TYPE_LABELS = ("node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type")


def parse_time(value: Any) -> float:
    """RFC 3339 timestamp (``2025-11-20T10:00:00Z``) to seconds since the epoch; 0.0 if absent."""
    if not value or not isinstance(value, str):
        return 0.0
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        return 0.0


def _opt_time(value: Any) -> float | None:
    t = parse_time(value)
    return t if t else None


def _int(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def deployment_of(owner_kind: str, owner_name: str) -> str:
    """The workload behind an owner reference: a ReplicaSet's name without its pod-template hash."""
    if owner_kind == "ReplicaSet":
        base, sep, suffix = owner_name.rpartition("-")
        if sep and base and suffix.isalnum():
            return base
    return owner_name


def pod_status(pod: Obj) -> tuple[str, int, int]:
    """(status, ready containers, restarts) as ``kubectl get pods`` computes them."""
    status: Obj = pod.get("status") or {}
    reason: str = status.get("reason") or status.get("phase") or "Unknown"
    restarts = 0
    ready = 0
    initializing = False
    init_statuses = status.get("initContainerStatuses") or ()
    init_count = len((pod.get("spec") or {}).get("initContainers") or ())
    for i, cs in enumerate(init_statuses):
        restarts += _int(cs.get("restartCount"))
        state: Obj = cs.get("state") or {}
        term = state.get("terminated")
        if term and _int(term.get("exitCode")) == 0:
            continue
        if term:
            if term.get("reason"):
                reason = "Init:" + term["reason"]
            elif term.get("signal"):
                reason = f"Init:Signal:{term['signal']}"
            else:
                reason = f"Init:ExitCode:{_int(term.get('exitCode'))}"
        else:
            waiting = state.get("waiting")
            if waiting and waiting.get("reason") and waiting["reason"] != "PodInitializing":
                reason = "Init:" + waiting["reason"]
            else:
                reason = f"Init:{i}/{init_count or len(init_statuses)}"
        initializing = True
        break
    if not initializing:
        has_running = False
        for cs in reversed(status.get("containerStatuses") or ()):
            restarts += _int(cs.get("restartCount"))
            state = cs.get("state") or {}
            waiting = state.get("waiting")
            term = state.get("terminated")
            if waiting and waiting.get("reason"):
                reason = waiting["reason"]
            elif term and term.get("reason"):
                reason = term["reason"]
            elif term:
                if term.get("signal"):
                    reason = f"Signal:{term['signal']}"
                else:
                    reason = f"ExitCode:{_int(term.get('exitCode'))}"
            elif cs.get("ready") and "running" in state:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running"
    if (pod.get("metadata") or {}).get("deletionTimestamp"):
        reason = "Unknown" if status.get("reason") == "NodeLost" else "Terminating"
    return reason, ready, restarts


def not_true_since(conditions: Any, kind: str) -> float:
    """When a condition (``Ready``) stopped being True: its ``lastTransitionTime`` while its
    status is anything else; 0.0 while True, absent or undated."""
    for c in conditions if isinstance(conditions, list) else ():
        if isinstance(c, dict) and c.get("type") == kind:
            return 0.0 if c.get("status") == "True" else parse_time(c.get("lastTransitionTime"))
    return 0.0


def _limited_since(conditions: Any) -> float:
    """Since when an HPA has wanted more than its maximum: the ``ScalingLimited`` condition
    while True for ``TooManyReplicas`` (at the minimum is not trouble)."""
    for c in conditions if isinstance(conditions, list) else ():
        if (
            isinstance(c, dict)
            and c.get("type") == "ScalingLimited"
            and c.get("status") == "True"
            and c.get("reason") == "TooManyReplicas"
        ):
            return parse_time(c.get("lastTransitionTime"))
    return 0.0


def owner_of(meta: Obj) -> str:
    """The owning workload's name (controller reference first)."""
    refs = meta.get("ownerReferences") or ()
    chosen = None
    for ref in refs:
        if ref.get("controller"):
            chosen = ref
            break
    if chosen is None and refs:
        chosen = refs[0]
    if not chosen:
        return ""
    return deployment_of(chosen.get("kind", ""), chosen.get("name", ""))


def pod(obj: Obj) -> Pod:
    """A Pod from its JSON."""
    meta: Obj = obj.get("metadata") or {}
    spec: Obj = obj.get("spec") or {}
    status, ready, restarts = pod_status(obj)
    return Pod(
        namespace=_intern(meta.get("namespace", "")),
        name=meta.get("name", ""),
        status=_intern(status),
        ready=ready,
        containers=len(spec.get("containers") or ()),
        restarts=restarts,
        created=parse_time(meta.get("creationTimestamp")),
        node=_intern(spec.get("nodeName") or ""),
        owner=_intern(owner_of(meta)),
        since=not_true_since((obj.get("status") or {}).get("conditions"), "Ready"),
        labels=intern_labels(meta.get("labels")),
    )


def deployment(obj: Obj) -> Deployment:
    """A Deployment from its JSON."""
    meta: Obj = obj.get("metadata") or {}
    spec: Obj = obj.get("spec") or {}
    status: Obj = obj.get("status") or {}
    template = spec.get("template") or {}
    template_meta = template.get("metadata") or {}
    containers = (template.get("spec") or {}).get("containers") or ()
    images = ", ".join(str(c.get("image") or "") for c in containers if isinstance(c, dict))
    revision = (meta.get("annotations") or {}).get("deployment.kubernetes.io/revision")
    replicas = spec.get("replicas")
    return Deployment(
        namespace=_intern(meta.get("namespace", "")),
        name=meta.get("name", ""),
        desired=_int(replicas, 1) if replicas is not None else 1,
        ready=_int(status.get("readyReplicas")),
        available=_int(status.get("availableReplicas")),
        updated=_int(status.get("updatedReplicas")),
        pod_labels=labels_of(template_meta.get("labels")),
        resource_version=meta.get("resourceVersion", ""),
        image=_intern(images),
        revision=int(revision) if isinstance(revision, str) and revision.isdigit() else 0,
    )


def service(obj: Obj) -> Service:
    """A Service from its JSON."""
    meta: Obj = obj.get("metadata") or {}
    return Service(
        namespace=_intern(meta.get("namespace", "")),
        name=meta.get("name", ""),
        selector=labels_of((obj.get("spec") or {}).get("selector")),
        resource_version=meta.get("resourceVersion", ""),
    )


_SUFFIXES = {
    "n": 1e-9,
    "u": 1e-6,
    "m": 1e-3,
    "": 1.0,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "Ki": 2.0**10,
    "Mi": 2.0**20,
    "Gi": 2.0**30,
    "Ti": 2.0**40,
}


def quantity(value: Any) -> float | None:
    """A Kubernetes quantity (``250m``, ``1Gi``, ``3``) as a float; None if unreadable."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str) or not value:
        return None
    for suffix in ("Ki", "Mi", "Gi", "Ti", "n", "u", "m", "k", "M", "G", "T"):
        if value.endswith(suffix):
            number, scale = value[: -len(suffix)], _SUFFIXES[suffix]
            break
    else:
        number, scale = value, 1.0
    try:
        return float(number) * scale
    except ValueError:
        return None


def _metric_name_and_target(spec: Obj) -> tuple[str, float | None, str]:
    """(name, target, which current field) of one autoscaling/v2 metric spec."""
    mtype = spec.get("type", "")
    body: Obj = spec.get(mtype[:1].lower() + mtype[1:], {}) if mtype else {}
    if mtype in ("Resource", "ContainerResource"):
        name = body.get("name", "")
    else:
        name = (body.get("metric") or {}).get("name", "")
    target: Obj = body.get("target") or {}
    if target.get("type") == "Utilization":
        return name, quantity(target.get("averageUtilization")), "averageUtilization"
    if target.get("type") == "AverageValue":
        return name, quantity(target.get("averageValue")), "averageValue"
    return name, quantity(target.get("value")), "value"


def hpa(obj: Obj) -> Hpa:
    """An autoscaling/v2 HorizontalPodAutoscaler from its JSON."""
    meta: Obj = obj.get("metadata") or {}
    spec: Obj = obj.get("spec") or {}
    status: Obj = obj.get("status") or {}
    ref: Obj = spec.get("scaleTargetRef") or {}
    currents: dict[tuple[str, str], Obj] = {}
    for cur in status.get("currentMetrics") or ():
        ctype = cur.get("type", "")
        body = cur.get(ctype[:1].lower() + ctype[1:], {}) if ctype else {}
        cname = body.get("name") or (body.get("metric") or {}).get("name", "")
        currents[(ctype, cname)] = body.get("current") or {}
    metrics = []
    for mspec in spec.get("metrics") or ():
        name, target, field = _metric_name_and_target(mspec)
        current = currents.get((mspec.get("type", ""), name), {}).get(field)
        metrics.append(HpaMetric(name=name, current=quantity(current), target=target or 0.0))
    min_replicas = spec.get("minReplicas")
    return Hpa(
        namespace=_intern(meta.get("namespace", "")),
        name=meta.get("name", ""),
        target=f"{ref.get('kind', '')}/{ref.get('name', '')}",
        min_replicas=_int(min_replicas, 1) if min_replicas is not None else 1,
        max_replicas=_int(spec.get("maxReplicas")),
        current_replicas=_int(status.get("currentReplicas")),
        desired_replicas=_int(status.get("desiredReplicas")),
        metrics=tuple(metrics),
        resource_version=meta.get("resourceVersion", ""),
        limited_since=_limited_since(status.get("conditions")),
    )


def node(obj: Obj) -> Node:
    """A Node from its JSON; its pool from the EKS / GKE / Karpenter label."""
    meta: Obj = obj.get("metadata") or {}
    labels: dict[str, str] = meta.get("labels") or {}
    pool = next((labels[k] for k in NODE_POOL_LABELS if labels.get(k)), "")
    machine = next((labels[k] for k in MACHINE_TYPE_LABELS if labels.get(k)), "")
    conditions = (obj.get("status") or {}).get("conditions") or ()
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
    return Node(
        name=meta.get("name", ""),
        pool=_intern(pool),
        ready=ready,
        machine_type=_intern(machine),
        created=parse_time(meta.get("creationTimestamp")),
        since=0.0 if ready else not_true_since(conditions, "Ready"),
    )


def schedule(obj: Obj) -> BackupSchedule:
    """A Velero Schedule from its JSON."""
    meta: Obj = obj.get("metadata") or {}
    spec: Obj = obj.get("spec") or {}
    status: Obj = obj.get("status") or {}
    template: Obj = spec.get("template") or {}
    return BackupSchedule(
        name=meta.get("name", ""),
        schedule=spec.get("schedule", ""),
        phase=status.get("phase", ""),
        last_backup=_opt_time(status.get("lastBackup")),
        ttl=template.get("ttl", ""),
        included_namespaces=tuple(template.get("includedNamespaces") or ()),
        paused=bool(spec.get("paused", False)),
    )


def backup(obj: Obj) -> Backup:
    """A Velero Backup from its JSON."""
    meta: Obj = obj.get("metadata") or {}
    spec: Obj = obj.get("spec") or {}
    status: Obj = obj.get("status") or {}
    progress: Obj = status.get("progress") or {}
    return Backup(
        name=meta.get("name", ""),
        phase=status.get("phase", "New"),
        started=_opt_time(status.get("startTimestamp")),
        completed=_opt_time(status.get("completionTimestamp")),
        expires=_opt_time(status.get("expiration")),
        schedule=(meta.get("labels") or {}).get("velero.io/schedule-name", ""),
        errors=_int(status.get("errors")),
        warnings=_int(status.get("warnings")),
        items_done=_int(progress.get("itemsBackedUp")),
        items_total=_int(progress.get("totalItems")),
        included_namespaces=tuple(spec.get("includedNamespaces") or ()),
    )


def restore(obj: Obj) -> Restore:
    """A Velero Restore from its JSON."""
    meta: Obj = obj.get("metadata") or {}
    spec: Obj = obj.get("spec") or {}
    status: Obj = obj.get("status") or {}
    progress: Obj = status.get("progress") or {}
    return Restore(
        name=meta.get("name", ""),
        backup=spec.get("backupName", ""),
        phase=status.get("phase", "New"),
        started=_opt_time(status.get("startTimestamp")),
        completed=_opt_time(status.get("completionTimestamp")),
        errors=_int(status.get("errors")),
        warnings=_int(status.get("warnings")),
        items_done=_int(progress.get("itemsRestored")),
        items_total=_int(progress.get("totalItems")),
        namespace_mapping=labels_of(spec.get("namespaceMapping")),
    )


# -- server-side Table format (``Accept: application/json;as=Table;v=v1;g=meta.k8s.io``) ---------

TABLE_POD_COLUMNS = ("Name", "Ready", "Status", "Restarts", "Node")
"""The Table columns the Pods pane reads (kubectl's own); the rest comes from the metadata."""


def table_columns(definitions: Any) -> dict[str, int]:
    """Column name → cell index, from a Table's ``columnDefinitions``."""
    if not isinstance(definitions, list):
        return {}
    return {d.get("name", ""): i for i, d in enumerate(definitions) if isinstance(d, dict)}


def _leading_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value or "")
    digits = ""
    for ch in text:
        if not ch.isdigit():
            break
        digits += ch
    return int(digits) if digits else 0


def pod_from_row(row: Obj, columns: dict[str, int]) -> Pod:
    """A Pod from one Table row with ``includeObject=Metadata``.

    The cells carry what kubectl prints (the server computes the status reason, the ready
    count and restarts); the row's PartialObjectMetadata carries namespace, creation time and
    owner references.
    """
    cells: list[Any] = row.get("cells") or []
    meta: Obj = (row.get("object") or {}).get("metadata") or {}

    def cell(name: str) -> Any:
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    ready_text = str(cell("Ready") or "0/0")
    ready_s, _, total_s = ready_text.partition("/")
    node = str(cell("Node") or "")
    return Pod(
        namespace=_intern(meta.get("namespace", "")),
        name=meta.get("name") or str(cell("Name") or ""),
        status=_intern(str(cell("Status") or "Unknown")),
        ready=_leading_int(ready_s),
        containers=_leading_int(total_s),
        restarts=_leading_int(cell("Restarts")),
        created=parse_time(meta.get("creationTimestamp")),
        node=_intern("" if node == "<none>" else node),
        owner=_intern(owner_of(meta)),
        labels=intern_labels(meta.get("labels")),
    )
