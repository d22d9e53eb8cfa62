"""``l`` from the detail view: what logs an object means (one pod, or every pod of its
workload on every cluster that runs it), handed to the Logs screen (``host.open_logs``)."""

from __future__ import annotations

from wundr_tui.backends.base import LogQuery
from wundr_tui.model import Alert, Hpa, Kind
from wundr_tui.screens.investigate import InvestigationScreen


def log_query(screen: InvestigationScreen) -> LogQuery | None:
    """The logs of the object a view shows; None when it has none (a node, a pool...)."""
    kind, cluster = screen.kind, screen.cluster
    namespace, name = screen.namespace, screen.object_name
    if kind is Kind.POD:
        return LogQuery(namespace, pod=name, cluster=cluster)
    if kind is Kind.DEPLOYMENT:
        return LogQuery(namespace, owner=name)  # the group, on every cluster that runs it
    obj = screen.store.get(cluster, kind, screen.key)
    if isinstance(obj, Hpa) and obj.target.startswith("Deployment/"):
        return LogQuery(obj.namespace, owner=obj.target.partition("/")[2])
    if isinstance(obj, Alert) and obj.namespace and obj.pod:
        return LogQuery(obj.namespace, pod=obj.pod, cluster=cluster)
    if isinstance(obj, Alert) and obj.namespace and obj.service:
        # The pods whose deployments carry the service's name label, on every cluster.
        return LogQuery(obj.namespace, selector=(("app", obj.service),))
    return None


def open_logs(screen: InvestigationScreen) -> bool:
    """Open the Logs screen for the view's object; False (and a toast saying why) when there
    are none."""
    query = log_query(screen)
    if query is None:
        screen.notify(f"a {screen.kind} has no logs; open one of its pods", severity="warning")
        return False
    screen.host.open_logs(query)
    return True
