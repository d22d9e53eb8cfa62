"""The mode badge on every screen the user can open, not only on the panes: the detail view,
the YAML, the logs, the timeline, and a dialog (help) over a pane or over the detail view show
DEMO, REPLAY hh:mm:ss xSPEED or READ-ONLY on their first line at 80x24, and a replay's badge
ticks there as it does on a pane's cluster bar. Read from the bytes a full repaint writes
(with the screens behind a dialog), fed to pyte: what the terminal shows."""

from __future__ import annotations

import pyte
import pytest
from textual.pilot import Pilot

from tests.conftest import DEMO_START, RECORDINGS, demo_world
from wundr_tui.app import WundrApp
from wundr_tui.backends.demo import DemoFleet
from wundr_tui.backends.demo.logs import DemoLogs
from wundr_tui.backends.replay import RecordingInspector, ReplaySource
from wundr_tui.clock import FrozenClock
from wundr_tui.dialogs.help import HelpScreen
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.logs import LogsScreen
from wundr_tui.screens.timeline import TimelineScreen
from wundr_tui.screens.yaml import YamlScreen
from wundr_tui.store import Store
from wundr_tui.widgets.resource_table import ResourceTable

COLS, ROWS = 80, 24

VIEWS: dict[str, tuple[tuple[str, ...], type]] = {
    "detail": (("2", "enter"), DetailScreen),
    "yaml": (("2", "y"), YamlScreen),
    "logs": (("2", "l"), LogsScreen),
    "timeline": (("9",), TimelineScreen),
    "help over a pane": (("2", "question_mark"), HelpScreen),
    "help over the detail view": (("2", "enter", "question_mark"), HelpScreen),
}
"""Each view the user can open, the keys that open it from the Incident pane, its screen."""


def screen_lines(app: WundrApp) -> list[str]:
    """The terminal's lines after a full repaint of the top screen and those seen behind it."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    screen = pyte.Screen(COLS, ROWS)
    pyte.Stream(screen).feed(update.render_segments(app.console))
    return ["".join(screen.buffer[y][x].data for x in range(COLS)).rstrip() for y in range(ROWS)]


def demo_app(**flags: bool) -> WundrApp:
    """The demo fleet 115 s in on a frozen clock, its logs and whole objects."""
    store, fleet = demo_world(115)
    return WundrApp(store, inspector=fleet, logs=DemoLogs(fleet), **flags)


def replay_app() -> tuple[WundrApp, FrozenClock]:
    """A replay of demo-120s.jsonl 42 s in at x1 (its clock starts at 00:00:00 UTC). A replay
    has no logs; the demo's are lent to it so that the Logs screen can be opened at all."""
    clock = FrozenClock(0.0)
    source = ReplaySource(RECORDINGS / "demo-120s.jsonl", speed=1.0, clock=clock)
    source.start()
    clock.advance(42.0)
    fleet = DemoFleet(seed=7, clock=FrozenClock(DEMO_START))
    app = WundrApp(
        Store(source.recording_clock),
        [source],
        replay=source,
        inspector=RecordingInspector(),
        logs=DemoLogs(fleet),
    )
    return app, clock


async def open_view(pilot: Pilot[int], app: WundrApp, view: str) -> None:
    keys, screen = VIEWS[view]
    for _ in range(100):  # a replay's first events reach the store within a few frames
        await pilot.pause(0.05)
        if app.store.generation > 0 and app.screen.query("#table"):
            break
    for key in keys:
        await pilot.press(key)
        for _ in range(40):  # the detail view is pushed once its first read answers
            await pilot.pause(0.05)
            if isinstance(app.screen, screen):
                break
            # A pane key: on to the next key once the pane has a row to open (a replay under
            # load may not have sent its pods yet: "l" or "y" on an empty table opens nothing).
            tables = app.screen.query(ResourceTable)
            if key != keys[-1] and (not tables or any(t.row_count for t in tables)):
                break
    assert isinstance(app.screen, screen), (view, type(app.screen))
    await pilot.pause(0.3)  # a frame or two


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize(
    ("flags", "badge"),
    [({"demo": True}, " DEMO "), ({"read_only": True}, " READ-ONLY ")],
    ids=["demo", "read-only"],
)
async def test_the_badge_leads_every_view(view: str, flags: dict[str, bool], badge: str) -> None:
    """--demo and --read-only: the badge is on the view's first line, first."""
    app = demo_app(**flags)
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        await open_view(pilot, app, view)
        top = screen_lines(app)[0]
        assert top.lstrip().startswith(badge.strip()), (view, top)
        assert f"{badge}" in f"{top} ", (view, top)


@pytest.mark.parametrize("view", list(VIEWS))
async def test_a_replays_badge_ticks_on_every_view(view: str) -> None:
    """A replay: REPLAY 00:00:42 x1 first on the view's first line; five seconds later it
    says 00:00:47 there, with no key pressed (each frame brings it up to date)."""
    app, clock = replay_app()
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        await open_view(pilot, app, view)
        top = screen_lines(app)[0]
        assert top.lstrip().startswith("REPLAY 00:00:42 \u00d71 "), (view, top)
        clock.advance(5.0)
        for _ in range(40):
            await pilot.pause(0.05)
            if "REPLAY 00:00:47 \u00d71 " in screen_lines(app)[0]:
                break
        top = screen_lines(app)[0]
        assert top.lstrip().startswith("REPLAY 00:00:47 \u00d71 "), (view, top)
