"""The HPA pane: current/desired/min/max replicas, metric against target, at max."""

from __future__ import annotations

from rich.text import Text

from wundr_tui.backends.base import LogQuery
from wundr_tui.logsession import hpa_query
from wundr_tui.model import Hpa, Kind
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.cells import BAD, WARN, cluster_cell
from wundr_tui.widgets.rows import Cell, Column, RowContext


def _metrics(ctx: RowContext, cluster: str, h: Hpa) -> Cell:
    text = Text()
    for i, m in enumerate(h.metrics):
        if i:
            text.append(" ")
        cur = "?" if m.current is None else f"{m.current:.0f}"
        over = m.current is not None and m.current > m.target
        text.append(f"{m.name} {cur}%/{m.target:.0f}%", style=WARN if over else "")
    return text


def _status(ctx: RowContext, cluster: str, h: Hpa) -> Cell:
    if h.at_max:
        return Text("AT MAX", style=BAD)
    if h.desired_replicas != h.current_replicas:
        return Text("scaling", style="cyan")
    return Text("ok", style="green")


COLUMNS = [
    Column("cluster", "CLU", 3, cluster_cell),
    Column("namespace", "NAMESPACE", 14, lambda c, cl, h: h.namespace, priority=3),
    Column("name", "NAME", 20, lambda c, cl, h: h.name, min_width=16),
    Column("target", "TARGET", 26, lambda c, cl, h: h.target, priority=4, min_width=14),
    Column("min", "MIN", 4, lambda c, cl, h: str(h.min_replicas), priority=2),
    Column("max", "MAX", 4, lambda c, cl, h: str(h.max_replicas), priority=2),
    Column("current", "CUR", 4, lambda c, cl, h: str(h.current_replicas), priority=1),
    Column("desired", "WANT", 4, lambda c, cl, h: str(h.desired_replicas), priority=1),
    Column("status", "STATUS", 7, _status),
    # The why (cpu 125%/70%): never dropped, and it takes what is left.
    Column("metrics", "METRICS (cur/target)", 30, _metrics, min_width=20, grow=True),
]


class HpaScreen(PaneScreen):
    """Every HorizontalPodAutoscaler."""

    PANE = "hpa"
    TITLE_TEXT = "HPA"
    KINDS = (Kind.HPA,)
    COLUMNS = COLUMNS
    SORT = ("cluster", "namespace", "name")
    ACTIONS = ("act_scale",)

    def scale(self, cluster: str, key: str) -> None:
        """Change the selected HPA's min/max."""
        self.wundr.actions.hpa_bounds(cluster, key)

    def log_query(self, cluster: str, key: str) -> LogQuery | None:
        """The logs of the pods of the Deployment the HPA scales."""
        hpa = self.store.get(cluster, Kind.HPA, key)
        return hpa_query(cluster, hpa) if isinstance(hpa, Hpa) else None
