"""Pilot tests of the cluster bar and the pane headers: counts that add up, a countdown that
counts."""

from __future__ import annotations

from tests.conftest import demo_store
from wundr_tui.app import WundrApp
from wundr_tui.clock import FrozenClock
from wundr_tui.events import Health, Replaced
from wundr_tui.model import Kind, SourceHealth
from wundr_tui.screens.base import PaneScreen
from wundr_tui.widgets.cluster_bar import ClusterBar

SIZE = (120, 30)


def _bar(app: WundrApp) -> str:
    shown = app.screen.query_one(ClusterBar)._shown
    return shown.plain if shown is not None else ""


async def test_node_pools_header_counts_pools_known_from_nodes_only() -> None:
    """No cloud credentials: the pools come from node labels alone. The header read 6/0."""
    store = demo_store()
    store.apply([Replaced(c, Kind.NODE_POOL, ()) for c in store.clusters])
    app = WundrApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PaneScreen) and screen.PANE == "nodepools"
        shown = screen.table.row_count
        assert shown > 0
        assert f"{shown}/{shown}" in screen.header_text().plain


async def test_the_retry_countdown_on_the_bar_counts_down_each_second() -> None:
    """A cloud API retrying in 32 s: the bar says 32s, then 31s a second (and frames) later;
    Kubernetes stays its own live part beside it."""
    store = demo_store()
    clock = store.clock
    assert isinstance(clock, FrozenClock)
    eks = next(iter(store.clusters))
    now = clock.now()
    failing = SourceHealth(
        eks, "eks/nodegroups", "error", now, "no AWS credentials found", (), now + 32
    )
    app = WundrApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.pump.emit(Health(failing))
        app.frame()
        await pilot.pause()
        assert "aws ✖ no AWS credentials found; retrying in 32s" in _bar(app), _bar(app)
        # The demo's clusters are production: with their PROD badges the bar is compact.
        assert "k8s● · aws ✖" in _bar(app)
        clock.advance(1.0)
        app.frame()
        await pilot.pause()
        assert "retrying in 31s" in _bar(app), _bar(app)
