"""The Node pools pane: EKS managed nodegroups and GKE node pools with their nodes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.text import Text

from wundr_tui.model import Kind, NodePool
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.cells import BAD, WARN, bar_cell, cluster_cell, most_first, phase
from wundr_tui.store import Changes
from wundr_tui.widgets.bars import UNKNOWN, bar
from wundr_tui.widgets.rows import Cell, Column, RowContext

BAR_WIDTH = 10
"""Cells of the nodes bar (0..max), plus one for the min tick."""


def _ready(ctx: RowContext, cluster: str, p: NodePool) -> Cell:
    ready, total = ctx.store.pool_nodes(cluster, p.name)
    return Text(f"{ready}/{total}", style=WARN if ready < total else "")


def _bounds(ctx: RowContext, cluster: str, p: NodePool) -> Cell:
    if p.min_size < 0:
        return "?"
    return f"{p.min_size}-{p.max_size}" if p.autoscaling else "fixed"


def _desired(ctx: RowContext, cluster: str, p: NodePool) -> Cell:
    return "?" if p.desired < 0 else str(p.desired)


def _nodes(ctx: RowContext, cluster: str, p: NodePool) -> Cell:
    ready, _ = ctx.store.pool_nodes(cluster, p.name)
    top = max(p.max_size, p.desired)  # a fixed pool's size is its desired count
    picture = bar(ready, p.desired, top, BAR_WIDTH, floor=p.min_size, ascii_only=ctx.ascii)
    if picture == UNKNOWN:
        return picture
    return bar_cell(picture, ascii_only=ctx.ascii, filled=BAD if p.at_max else "")


def _nodes_sort(ctx: RowContext, cluster: str, p: NodePool) -> str:
    """Fullest first (at max first, like the panes that open worst first): ready nodes as a
    share of the max; unknown bounds last."""
    ready, _ = ctx.store.pool_nodes(cluster, p.name)
    if p.max_size <= 0:
        return "~"
    return most_first(int(ready * 10_000 / p.max_size))


def _note(ctx: RowContext, cluster: str, p: NodePool) -> Cell:
    if p.health:
        return Text(p.health, style=BAD)
    ready, total = ctx.store.pool_nodes(cluster, p.name)
    words = ["AT MAX"] if p.at_max else []
    if ready < total:
        words.append(f"{total - ready} not ready")
    return Text(", ".join(words), style=BAD if p.at_max else WARN) if words else ""


COLUMNS = [
    Column("cluster", "CLU", 3, cluster_cell),
    Column("name", "POOL", 16, lambda c, cl, p: p.name, min_width=12),
    Column("type", "MACHINE", 16, lambda c, cl, p: p.machine_type, priority=3, min_width=12),
    Column("bounds", "MIN-MAX", 7, _bounds, priority=2),
    Column("desired", "WANT", 4, _desired, priority=2),
    Column("ready", "READY", 6, _ready),
    # Ready nodes filled (red at max), desired ones not ready ▒, ones going ▓, min │.
    Column("nodes", "NODES", BAR_WIDTH + 1, _nodes, sort=_nodes_sort, priority=1),
    Column("status", "STATUS", 9, lambda c, cl, p: phase(p.status), priority=1),
    # The why (AT MAX, 6 not ready, a health issue): never dropped.
    Column("note", "NOTE", 22, _note, min_width=20, grow=True),
    Column("capacity", "CAPACITY", 9, lambda c, cl, p: p.capacity_type or "-", priority=5),
    Column("policy", "POLICY", 9, lambda c, cl, p: p.location_policy or "-", priority=5),
    Column("version", "VERSION", 20, lambda c, cl, p: p.version or "-", priority=6),
]


class NodePoolsScreen(PaneScreen):
    """Node pools of every cluster; READY joins Kubernetes Node objects by pool label."""

    PANE = "nodepools"
    TITLE_TEXT = "Node pools"
    KINDS = (Kind.NODE_POOL,)
    COLUMNS = COLUMNS
    SORT = ("cluster", "name")
    ACTIONS = ("act_scale",)

    def scale(self, cluster: str, key: str) -> None:
        """Change the selected node pool's min/max/desired."""
        self.wundr.actions.node_pool(cluster, key)

    def rows(self) -> Iterator[tuple[str, Any]]:
        """Cloud node pools, plus pools known only from node labels."""
        return self.store.all_node_pools()

    def total_rows(self) -> int:
        """Every pool the pane lists, those known only from node labels too (without cloud
        credentials the header read ``6/0``)."""
        return sum(1 for _ in self.store.all_node_pools())

    def refresh_pane(self, changes: Changes | None, *, full: bool = False) -> None:
        """A batch of Node changes re-renders the pools (few rows: cheap)."""
        if changes is not None and changes.touched.get(Kind.NODE):
            full = True
        super().refresh_pane(changes, full=full)
