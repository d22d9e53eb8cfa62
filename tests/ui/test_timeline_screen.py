"""Pilot tests of ``:timeline`` on the demo fleet at 115 s on the frozen clock: the rollout of
api-gateway on EKS is listed with its age, UTC time, cluster tag and image change, newest first;
``c`` narrows to one cluster, ``/`` filters, Enter opens the deployment's detail view; an
audited action appears; the replayed recording shows the same entries."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from tests.conftest import DEMO_START
from tests.ui.test_detail import demo_app, shown
from wundr_tui.app import WundrApp
from wundr_tui.backends.demo import EKS_CONTEXT, GKE_CONTEXT, DemoFleet
from wundr_tui.backends.replay import ReplaySource
from wundr_tui.clock import FrozenClock
from wundr_tui.events import Event
from wundr_tui.model import Kind
from wundr_tui.recording import Recorder
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.timeline import EntryRow, TimelineScreen
from wundr_tui.store import Store

SIZE = (100, 30)


def rows(app: WundrApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, TimelineScreen)
    table = screen.table
    out = []
    for i in range(table.row_count):
        cells = table.get_row_at(i)
        out.append("  ".join(c.plain if isinstance(c, Text) else c for c in cells))
    return out


async def test_timeline_lists_the_rollout_newest_first_and_opens_it() -> None:
    app = demo_app(115)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"timeline", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        lines = rows(app)
        rollout = [line for line in lines if "ROLLOUT" in line]
        assert len(rollout) == 1
        # 70 s into the story, 45 s before now; its UTC time; EKS's tag; tags from and to.
        assert rollout[0].split()[:4] == ["45s", "00:01:10", "eks", "ROLLOUT"]
        assert "wundr-platform/api-gateway-blue" in rollout[0]
        assert "image v1.4.2 → v1.4.3 (revision 5)" in rollout[0]
        times = [e.time for e in app.store.timeline.entries()]
        assert times == sorted(times, reverse=True)
        assert lines[0].startswith("0s")  # newest first
        header = str(screen.query_one("#header").render())
        assert "Timeline" in header and "last 24 h" in header

        # c: one cluster (EKS first), then the other.
        await pilot.press("c")
        await pilot.pause()
        assert rows(app) and all(" eks " in line for line in rows(app))
        await pilot.press("c")
        await pilot.pause()
        assert rows(app) and all(" gke " in line for line in rows(app))
        assert not [line for line in rows(app) if "ROLLOUT" in line]
        await pilot.press("c")
        await pilot.pause()

        # /: a text filter, Enter keeps it; then Enter on the row opens the deployment.
        await pilot.press("slash", *"rollout", "enter")
        await pilot.pause()
        assert [line.split()[3] for line in rows(app)] == ["ROLLOUT"]
        assert isinstance(screen.table.selected_object(), EntryRow)
        await pilot.press("enter")
        for _ in range(100):
            if isinstance(app.screen, DetailScreen):
                break
            await pilot.pause(0.02)
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        assert (detail.cluster, detail.kind, detail.key) == (
            EKS_CONTEXT,
            Kind.DEPLOYMENT,
            "wundr-platform/api-gateway-blue",
        )
        assert "Timeline" in shown(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)


async def test_an_audited_action_reaches_the_timeline_through_the_pump() -> None:
    app = demo_app(115)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"timeline", "enter")
        await pilot.pause()
        audit = app.actions.audit
        for listener in audit.listeners:
            from wundr_tui.audit import AuditEntry

            listener(
                AuditEntry(
                    "2025-11-26T00:01:50Z",
                    "alice",
                    "h",
                    GKE_CONTEXT,
                    "scale",
                    {"replicas": "3"},
                    {"replicas": "5"},
                    "done",
                    mode="demo",
                )
            )
        for _ in range(100):
            if any("ACTION" in line for line in rows(app)):
                break
            await pilot.pause(0.02)
        (line,) = [line for line in rows(app) if "ACTION" in line]
        assert line.split()[:4] == ["5s", "00:01:50", "gke", "ACTION"]
        assert "alice: replicas 3 → 5  DONE" in line


def test_a_replay_shows_the_timeline_the_live_run_saw(tmp_path: Path) -> None:
    """Recorded live tick by tick, played back by ReplaySource at its pace on a stepped
    clock: the same entries at the same times."""
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(seed=7, clock=clock)
    live = Store(clock)
    path = tmp_path / "live.jsonl"
    with Recorder(path, clock) as record:
        batch: list[Event] = fleet.initial_events()
        for _ in range(130):
            record(batch)
            live.apply(batch)
            clock.advance(1.0)
            batch = fleet.tick()
    wall = FrozenClock(5_000.0)
    replay = ReplaySource(path, clock=wall)
    replayed = Store(replay.recording_clock)
    replay.start()
    for _ in range(131):
        out: list[Event] = []
        replay.emit_due(out.append)
        replayed.apply(out)
        wall.advance(1.0)

    def seen(store: Store) -> list[tuple[float, str, str, str, str]]:
        return [(e.time, e.cluster, e.what, e.subject, e.change) for e in store.timeline.entries()]

    assert seen(replayed) == seen(live)
    assert any(what == "ROLLOUT" for _, _, what, _, _ in seen(replayed))
