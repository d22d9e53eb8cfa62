"""Kubernetes events for the test apiserver: ``events.k8s.io/v1`` Event objects in their
wire shape, and the field selectors kube-apiserver applies to them.

Two shapes reach a client through ``events.k8s.io/v1``: events written with that API
(``eventTime``, ``series``, ``reportingController``: the scheduler and most controllers) and
events written through core/v1 (the kubelet's recorder), which the server converts, so their
``eventTime`` is null and the times, count and source are the ``deprecated*`` fields.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.fakes.k8s_objects import _uid, ts

Obj = dict[str, Any]


def micro(seconds: float) -> str:
    """Seconds since the epoch as a MicroTime (``2025-11-26T00:00:00.000000Z``)."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def kube_event(
    name: str,
    *,
    namespace: str = "wundr-platform",
    reason: str = "BackOff",
    note: str = "Back-off restarting failed container",
    regarding_kind: str = "Pod",
    regarding_name: str = "",
    regarding_namespace: str | None = None,
    type: str = "Warning",
    count: int = 1,
    first: float = 1_764_115_200.0,
    last: float | None = None,
    reporter: str = "kubelet",
    legacy: bool = False,
) -> Obj:
    """One Event as ``GET /apis/events.k8s.io/v1/...`` returns it.

    ``legacy``: written through core/v1 (count, times and source in the ``deprecated*``
    fields, ``eventTime`` null); else a native one (``eventTime`` and, past one occurrence,
    ``series``). ``regarding_namespace`` defaults to the event's own namespace, except for a
    Node, which is cluster-scoped.
    """
    last = first if last is None else last
    if regarding_namespace is None:
        regarding_namespace = "" if regarding_kind == "Node" else namespace
    regarding: Obj = {
        "kind": regarding_kind,
        "name": regarding_name or name.split(".")[0],
        "uid": _uid(regarding_kind, regarding_name or name),
        "apiVersion": "v1" if regarding_kind in ("Pod", "Node", "Service") else "apps/v1",
    }
    if regarding_namespace:
        regarding["namespace"] = regarding_namespace
    obj: Obj = {
        "kind": "Event",
        "apiVersion": "events.k8s.io/v1",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": _uid("event", namespace, name),
            "creationTimestamp": ts(first),
        },
        "regarding": regarding,
        "reason": reason,
        "note": note,
        "type": type,
    }
    if legacy:
        obj |= {
            "eventTime": None,
            "reportingController": "",
            "reportingInstance": "",
            "deprecatedSource": {"component": reporter, "host": "ip-10-0-1-17.ec2.internal"},
            "deprecatedFirstTimestamp": ts(first),
            "deprecatedLastTimestamp": ts(last),
            "deprecatedCount": count,
        }
    else:
        obj |= {
            "eventTime": micro(first),
            "reportingController": reporter,
            "reportingInstance": f"{reporter}-7f9c",
            "action": "Scheduling" if reason == "FailedScheduling" else "Unknown",
        }
        if count > 1:
            obj["series"] = {"count": count, "lastObservedTime": micro(last)}
    return obj


def _field(obj: Obj, path: str) -> str:
    value: Any = obj
    for part in path.split("."):
        if not isinstance(value, dict):
            return ""
        value = value.get(part)
    return "" if value is None else str(value)


def matches_field_selector(obj: Obj, selector: str) -> bool:
    """Whether an object passes a field selector (``type=Warning,reason!=Pulled``): the
    ``=``, ``==`` and ``!=`` terms kube-apiserver accepts, all of which must hold."""
    for term in filter(None, (t.strip() for t in selector.split(","))):
        if "!=" in term:
            path, _, want = term.partition("!=")
            if _field(obj, path) == want:
                return False
            continue
        path, _, want = term.partition("==") if "==" in term else term.partition("=")
        if _field(obj, path) != want:
            return False
    return True
