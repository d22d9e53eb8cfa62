"""SVG snapshots of the Logs screen on the seeded demo fleet, 120 simulated seconds in, on a
frozen clock (the demo's logs are drawn from the same seed and clock: the same lines on every
run)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.ui.test_logs_screen import NS, demo_app
from wundr_tui.backends.base import LogQuery
from wundr_tui.config import Config, LogsConfig
from wundr_tui.model import Kind, Pod
from wundr_tui.screens.logs import LogsScreen

SnapCompare = Any


def _crash_query() -> Any:
    app, fleet = demo_app()
    for cluster, pod in app.store.all(Kind.POD):
        assert isinstance(pod, Pod)
        story = fleet.pod_story(cluster, pod.namespace, pod.name)
        if story is not None and story.crashing and pod.owner == "setup-toolkit":
            return app, LogQuery(NS, pod=pod.name, cluster=cluster, previous=True, follow=False)
    raise AssertionError("no crashing pod")


async def _settle(pilot: Pilot[int]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, LogsScreen)
    total = -1
    for _ in range(200):
        await pilot.pause(0.05)
        if screen.ring.total == total and total > 0 and not screen.session.pending():
            break
        total = screen.ring.total
    await pilot.pause()


def test_logs_previous_crash_80x24(snap_compare: SnapCompare) -> None:
    """The crashing setup-toolkit pod's previous run at 80x24: the header says previous,
    the prefix `eks setup-toolkit-…/setup-toolkit (previous)` in its colour, the run's
    start, the red ERROR level (kept SGR colour), the Python stack trace ending in
    psycopg.errors.UndefinedTable and the FATAL line; the footer lists Esc f p s c / w."""
    app, query = _crash_query()

    async def run_before(pilot: Pilot[int]) -> None:
        app.open_logs(query)
        await _settle(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_logs_gateway_group_120x40(snap_compare: SnapCompare) -> None:
    """Every api-gateway pod on both clusters at 120x40 (the group app=api-gateway), searched
    for 503: access lines interleaved by time, eks and gke prefixes each in a stable colour,
    503 matches highlighted (the newest in yellow), the header counting streams and matches."""
    app, _ = demo_app()
    # Every stream at once (no "waiting" ones chosen by thread timing): the same screen always.
    app.config = Config(logs=LogsConfig(max_streams=500))
    query = LogQuery(
        NS, selector=(("app", "api-gateway"),), container="api-gateway", tail_lines=100
    )

    async def run_before(pilot: Pilot[int]) -> None:
        app.open_logs(query)
        await _settle(pilot)
        await pilot.press("slash", *" 503 ", "enter")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(120, 40))
