"""The HPA pane: current/desired/min/max replicas, metric against target, at max."""

from __future__ import annotations

from rich.text import Text

from wundr_tui.backends.base import LogQuery
from wundr_tui.logsession import hpa_query
from wundr_tui.model import Hpa, Kind
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.cells import BAD, WARN, bar_cell, cluster_cell, most_first
from wundr_tui.widgets.bars import bar
from wundr_tui.widgets.rows import Cell, Column, RowContext

BAR_WIDTH = 10
"""Cells of the replicas bar (0..max), plus one for the min tick."""


def _metrics(ctx: RowContext, cluster: str, h: Hpa) -> Cell:
    text = Text()
    for i, m in enumerate(h.metrics):
        if i:
            text.append(" ")
        cur = "?" if m.current is None else f"{m.current:.0f}"
        over = m.current is not None and m.current > m.target
        text.append(f"{m.name} {cur}%/{m.target:.0f}%", style=WARN if over else "")
    return text


def _replicas(ctx: RowContext, cluster: str, h: Hpa) -> Cell:
    picture = bar(
        h.current_replicas,
        h.desired_replicas,
        h.max_replicas,
        BAR_WIDTH,
        floor=h.min_replicas,
        ascii_only=ctx.ascii,
    )
    return bar_cell(picture, ascii_only=ctx.ascii, filled=BAD if h.at_max else "")


def _replicas_sort(ctx: RowContext, cluster: str, h: Hpa) -> str:
    """Fullest first (at max first, like the panes that open worst first): current replicas
    as a share of the max; an unknown max last."""
    if h.max_replicas <= 0:
        return "~"
    return most_first(int(h.current_replicas * 10_000 / h.max_replicas))


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
    # The numbers give way to their picture first; then they are in the detail line, the
    # replica counts first (they change, the bounds do not).
    Column("current", "CUR", 4, lambda c, cl, h: str(h.current_replicas), priority=2),
    Column("desired", "WANT", 4, lambda c, cl, h: str(h.desired_replicas), priority=2),
    Column("min", "MIN", 4, lambda c, cl, h: str(h.min_replicas), priority=2),
    Column("max", "MAX", 4, lambda c, cl, h: str(h.max_replicas), priority=2),
    # Current replicas filled (red at max), wanted ones to come ▒, ones going ▓, min │.
    Column("replicas", "REPLICAS", BAR_WIDTH + 1, _replicas, sort=_replicas_sort, priority=1),
    Column("status", "STATUS", 7, _status),
    # The why (cpu 125%/70%): never dropped, and it takes what is left. At least the usual
    # two metrics uncut ("cpu 125%/70% memory 100%/80%"): at 80 columns the numbers give way
    # for it, the bar stays.
    Column("metrics", "METRICS (cur/target)", 30, _metrics, min_width=28, grow=True),
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
