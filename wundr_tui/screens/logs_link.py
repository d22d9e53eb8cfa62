"""``l`` from the detail view: what logs an object means (one pod, or every pod of its
workload on every cluster that runs it), handed to the logs view if this build has one."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from wundr_tui.backends import base
from wundr_tui.model import Alert, Hpa, Kind


def log_query_args(
    screen: Screen[Any], cluster: str, kind: Kind, key: str
) -> dict[str, Any] | None:
    """The fields of a ``LogQuery`` for an object; None when it has no logs."""
    namespace, _, name = key.rpartition("/")
    if kind is Kind.POD:
        return {"namespace": namespace, "pod": name, "cluster": cluster}
    if kind is Kind.DEPLOYMENT:
        return {"namespace": namespace, "owner": name}
    store = getattr(screen.app, "store", None)
    obj = store.get(cluster, kind, key) if store is not None else None
    if isinstance(obj, Hpa):
        return {"namespace": obj.namespace, "owner": obj.target.partition("/")[2]}
    if isinstance(obj, Alert) and obj.namespace and (obj.service or obj.pod):
        if obj.pod:
            return {"namespace": obj.namespace, "pod": obj.pod, "cluster": cluster}
        return {"namespace": obj.namespace, "selector": (("app", obj.service),)}
    return None


def open_logs(screen: Screen[Any], cluster: str, kind: Kind, key: str) -> bool:
    """Open the logs view for an object; False (and a toast saying why) when there are none."""
    args = log_query_args(screen, cluster, kind, key)
    if args is None:
        screen.notify(f"a {kind} has no logs; open one of its pods", severity="warning")
        return False
    opener = getattr(screen.app, "open_logs", None)
    query_type = getattr(base, "LogQuery", None)
    if opener is None or query_type is None:
        screen.notify("logs are not available in this build", severity="warning")
        return False
    opener(query_type(**args))
    return True
