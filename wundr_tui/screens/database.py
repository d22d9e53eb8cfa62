"""The Database pane: primary → replica links with lag in seconds and bytes, and history."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text

from wundr_tui.format import format_bytes, format_seconds
from wundr_tui.model import Kind, ReplicaLink
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.cells import BAD, GOOD, WARN, cluster_cell, most_first
from wundr_tui.store import Changes
from wundr_tui.widgets.rows import Cell, Column, RowContext
from wundr_tui.widgets.sparkline import ASCII_BARS, BARS, HALF, over_threshold, sparkline

HISTORY_WIDTH = 16


def _lag(ctx: RowContext, cluster: str, link: ReplicaLink) -> Cell:
    if link.lag_seconds is None:
        return Text("unknown", style="dim")
    limit = ctx.store.lag_threshold
    style = BAD if link.lag_seconds > limit else WARN if link.lag_seconds > limit / 2 else GOOD
    return Text(format_seconds(link.lag_seconds), style=style)


_STATE_STYLE = {"streaming": GOOD, "catching up": WARN, "stopped": BAD, "unknown": "dim"}


def _state(link: ReplicaLink) -> Cell:
    """One vocabulary whatever the provider says (its own word is in the detail view)."""
    word = link.replication
    return Text(word, style=_STATE_STYLE[word])


def _bytes(ctx: RowContext, cluster: str, link: ReplicaLink) -> Cell:
    return "-" if link.lag_bytes is None else format_bytes(link.lag_bytes)


def _history(ctx: RowContext, cluster: str, link: ReplicaLink) -> Cell:
    """Lag samples on the pane's shared scale, split at the threshold (bars over the middle of
    the cell are over it, and drawn as bad)."""
    hist = list(ctx.store.lag_history.get((cluster, link.key), ()))
    limit = ctx.store.lag_threshold
    bars = sparkline(
        hist, HISTORY_WIDTH, ascii_only=ctx.ascii, top=ctx.scale or None, threshold=limit
    )
    text = Text()
    for bar, over in zip(bars, over_threshold(hist, HISTORY_WIDTH, limit), strict=True):
        text.append(bar, style=BAD if over else "cyan")
    return text


def _most_lag(ctx: RowContext, cluster: str, link: ReplicaLink) -> str:
    """Largest lag first (milliseconds), unknown last."""
    return "~" if link.lag_seconds is None else most_first(int(link.lag_seconds * 1000))


COLUMNS = [
    Column("cluster", "CLU", 3, cluster_cell),
    Column("engine", "ENGINE", 8, lambda c, cl, link: link.engine, priority=2),
    Column("replica", "REPLICA", 28, lambda c, cl, link: link.replica, min_width=20),
    Column("lag", "LAG", 7, _lag, sort=_most_lag),
    Column(
        "bytes",
        "BYTES",
        8,
        _bytes,
        priority=2,
        sort=lambda c, cl, link: most_first(link.lag_bytes or 0),
    ),
    Column("history", "LAG HISTORY", HISTORY_WIDTH, _history, priority=1, sort_letter=""),
    Column("state", "STATE", 11, lambda c, cl, link: _state(link), priority=1),
    Column("sync", "SYNC", 9, lambda c, cl, link: link.sync_state or "-", priority=4),
    Column("primary", "PRIMARY", 20, lambda c, cl, link: link.primary, priority=3),
    Column(
        "regions",
        "REGIONS",
        24,
        lambda c, cl, link: f"{link.primary_region}→{link.replica_region}",
        priority=5,
    ),
]


class DatabaseScreen(PaneScreen):
    """Replication links of RDS, Cloud SQL and any PostgreSQL."""

    PANE = "database"
    TITLE_TEXT = "Database replication"
    KINDS = (Kind.REPLICA_LINK,)
    COLUMNS = COLUMNS
    SORT = ("cluster", "engine", "replica")

    _scale = 0.0
    """The shared sparkline scale the rows on screen were drawn with."""

    def context(self) -> RowContext:
        """Every row's sparkline shares one scale: the largest lag any link has shown."""
        hists = self.store.lag_history.values()
        top = max((max(h) for h in hists if h), default=0.0)
        return replace(super().context(), scale=max(top, self.store.lag_threshold))

    def refresh_pane(self, changes: Changes | None, *, full: bool = False) -> None:
        """A new largest lag rescales every row's sparkline, not only the row that grew."""
        scale = self.context().scale
        if scale != self._scale:
            self._scale = scale
            full = True
        super().refresh_pane(changes, full=full)

    def header_note(self) -> Text:
        """How to read the sparklines: the upper half of the bars is over the threshold."""
        bars = ASCII_BARS if self.wundr.low_bandwidth else BARS
        limit = format_seconds(self.store.lag_threshold)
        return Text(f"lag ≥{limit}: {bars[HALF:]}", style="dim")
