"""The Events pane: Kubernetes Warning events of every cluster, one row per object and reason,
newest first."""

from __future__ import annotations

from rich.text import Text

from wundr_tui.model import Kind, KubeEvent
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.cells import WARN, age_column, cluster_cell, most_first
from wundr_tui.widgets.rows import Cell, Column, RowContext

SHORT_KINDS = {
    "Pod": "pod",
    "Node": "node",
    "Deployment": "deploy",
    "ReplicaSet": "rs",
    "StatefulSet": "sts",
    "DaemonSet": "ds",
    "Job": "job",
    "HorizontalPodAutoscaler": "hpa",
    "Service": "svc",
    "PersistentVolumeClaim": "pvc",
}
"""kubectl's short names, so ``pod/name`` fits the column; other kinds in lower case."""


def _type(ctx: RowContext, cluster: str, e: KubeEvent) -> Cell:
    return Text("Warn", style=WARN) if e.type == "Warning" else Text("Norm", style="dim")


def object_name(e: KubeEvent) -> str:
    """``pod/api-gateway-blue-7ddmlbb8p-75gnw``: what the event is about, as kubectl names it."""
    kind = SHORT_KINDS.get(e.regarding_kind) or e.regarding_kind.lower() or "?"
    return f"{kind}/{e.regarding_name}"


COLUMNS = [
    Column("cluster", "CLU", 3, cluster_cell),
    Column("type", "TYPE", 4, _type, priority=2),
    Column("reason", "REASON", 16, lambda c, cl, e: Text(e.reason, style="bold"), min_width=12),
    Column("object", "OBJECT", 38, lambda c, cl, e: object_name(e), min_width=20),
    Column("namespace", "NS", 14, lambda c, cl, e: e.regarding_namespace or "-", priority=4),
    Column(
        "count",
        "COUNT",
        5,
        lambda c, cl, e: str(e.count),
        priority=3,
        sort=lambda c, cl, e: most_first(e.count),
    ),
    age_column(lambda e: e.last_seen, key="last", label="LAST SEEN", width=9),
    Column("message", "MESSAGE", 80, lambda c, cl, e: e.note or "-", min_width=20, grow=True),
]


class EventsScreen(PaneScreen):
    """Warning events of every cluster: what the kubelet, the scheduler and the controllers
    complain about, newest first."""

    PANE = "events"
    TITLE_TEXT = "Events"
    KINDS = (Kind.EVENT,)
    COLUMNS = COLUMNS
    SORT = ("last", "cluster", "object", "reason")
    SORT_WORDS = "newest first"
