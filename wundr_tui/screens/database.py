"""The Database pane: primary → replica links with lag in seconds and bytes, and history."""

from __future__ import annotations

from rich.text import Text

from wundr_tui.format import format_bytes, format_seconds
from wundr_tui.model import Kind, ReplicaLink
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.cells import BAD, GOOD, WARN, cluster_cell, phase
from wundr_tui.widgets.rows import Cell, Column, RowContext
from wundr_tui.widgets.sparkline import sparkline


def _lag(ctx: RowContext, cluster: str, link: ReplicaLink) -> Cell:
    if link.lag_seconds is None:
        return Text("unknown", style="dim")
    limit = ctx.store.lag_threshold
    style = BAD if link.lag_seconds > limit else WARN if link.lag_seconds > limit / 2 else GOOD
    return Text(format_seconds(link.lag_seconds), style=style)


def _bytes(ctx: RowContext, cluster: str, link: ReplicaLink) -> Cell:
    return "-" if link.lag_bytes is None else format_bytes(link.lag_bytes)


def _history(ctx: RowContext, cluster: str, link: ReplicaLink) -> Cell:
    hist = ctx.store.lag_history.get((cluster, link.key), ())
    over = bool(hist) and max(hist) > ctx.store.lag_threshold
    return Text(sparkline(list(hist), 16), style=WARN if over else "cyan")


COLUMNS = [
    Column("cluster", "CLU", 3, cluster_cell),
    Column("engine", "ENGINE", 8, lambda c, cl, link: link.engine),
    Column("replica", "REPLICA", 28, lambda c, cl, link: link.replica),
    Column("lag", "LAG", 7, _lag),
    Column("bytes", "BYTES", 8, _bytes),
    Column("history", "LAG HISTORY", 16, _history),
    Column("state", "STATE", 11, lambda c, cl, link: phase(link.state)),
    Column("sync", "SYNC", 9, lambda c, cl, link: link.sync_state or "-"),
    Column("primary", "PRIMARY", 20, lambda c, cl, link: link.primary),
    Column(
        "regions", "REGIONS", 24, lambda c, cl, link: f"{link.primary_region}→{link.replica_region}"
    ),
]


class DatabaseScreen(PaneScreen):
    """Replication links of RDS, Cloud SQL and any PostgreSQL."""

    PANE = "database"
    TITLE_TEXT = "Database replication"
    KINDS = (Kind.REPLICA_LINK,)
    COLUMNS = COLUMNS
    SORT = ("cluster", "engine", "replica")
