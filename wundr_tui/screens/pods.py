"""The Pods pane: phase, ready, restarts, age, node and owner, per cluster."""

from __future__ import annotations

from wundr_tui.backends.base import LogQuery
from wundr_tui.model import Kind, Pod
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.cells import (
    age_column,
    cluster_cell,
    most_first,
    newest_first,
    pod_rank,
    pod_status,
)
from wundr_tui.widgets.rows import Cell, Column, RowContext


def _restarts(ctx: RowContext, cluster: str, p: Pod) -> Cell:
    return str(p.restarts)


def _worst_first(ctx: RowContext, cluster: str, p: Pod) -> str:
    """The Pods pane's own order: failing, then pending, then most restarts, then newest."""
    return (
        pod_rank(p.status, p.ready, p.containers) + most_first(p.restarts) + newest_first(p.created)
    )


COLUMNS = [
    Column("cluster", "CLU", 3, cluster_cell),
    Column("namespace", "NAMESPACE", 14, lambda c, cl, p: p.namespace, priority=3, min_width=10),
    Column("name", "NAME", 34, lambda c, cl, p: p.name, min_width=24),
    Column("ready", "READY", 5, lambda c, cl, p: f"{p.ready}/{p.containers}", priority=1),
    # STATUS is the why (CrashLoopBackOff, Pending): never dropped, never cut.
    Column(
        "status",
        "STATUS",
        16,
        lambda c, cl, p: pod_status(p.status, p.ready, p.containers),
        sort=_worst_first,
    ),
    Column(
        "restarts",
        "RESTARTS",
        8,
        _restarts,
        priority=1,
        sort=lambda c, cl, p: most_first(p.restarts),
    ),
    age_column(lambda p: p.created),
    Column("node", "NODE", 44, lambda c, cl, p: p.node or "-", priority=4, min_width=16),
    Column("owner", "OWNER", 24, lambda c, cl, p: p.owner or "-", priority=5, min_width=14),
]


class PodsScreen(PaneScreen):
    """Every pod of every cluster."""

    PANE = "pods"
    TITLE_TEXT = "Pods"
    KINDS = (Kind.POD,)
    COLUMNS = COLUMNS
    # Worst first (failing, pending, restarts, age); Shift+N, Shift+A… sort otherwise.
    SORT = ("status", "cluster", "namespace", "name")
    SORT_WORDS = "worst first"
    ACTIONS = ("act_blue_green", "act_scale")

    def scale(self, cluster: str, key: str) -> None:
        """Scale the deployment that owns the selected pod."""
        self.wundr.actions.scale_owner(cluster, key)

    def log_query(self, cluster: str, key: str) -> LogQuery | None:
        """The selected pod's logs (every container)."""
        pod = self.store.get(cluster, Kind.POD, key)
        if not isinstance(pod, Pod):
            return None
        return LogQuery(pod.namespace, pod=pod.name, cluster=cluster)
