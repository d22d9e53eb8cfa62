"""The mode badge: DEMO, REPLAY hh:mm:ss xSPEED, READ-ONLY first on the cluster bar of every
pane, bold and reversed (it reads without colour), fitting at 80 columns."""

from __future__ import annotations

from rich.text import Text

from tests.conftest import DEMO_START, RECORDINGS, demo_store
from wundr_tui.app import PANES, WundrApp, pane_key
from wundr_tui.backends.replay import ReplaySource
from wundr_tui.clock import FrozenClock
from wundr_tui.config import Config
from wundr_tui.store import Store
from wundr_tui.widgets.cluster_bar import ClusterBar
from wundr_tui.widgets.mode_badge import Mode, mode_badge


def bar_text(app: WundrApp) -> Text:
    shown = app.screen.query_one(ClusterBar)._shown
    assert shown is not None
    return shown


def test_badge_words() -> None:
    """Each mode's words, and nothing at all in a plain live run."""
    assert mode_badge(Mode()).plain == ""
    assert mode_badge(Mode(demo=True)).plain == " DEMO "
    assert mode_badge(Mode(read_only=True)).plain == " READ-ONLY "
    assert mode_badge(Mode(demo=True, read_only=True)).plain == " DEMO   READ-ONLY "
    at = DEMO_START + 3723.4  # 01:02:03 UTC
    assert mode_badge(Mode(replay_at=at, speed=2)).plain == " REPLAY 01:02:03 \u00d72 "
    assert mode_badge(Mode(replay_at=at, speed=0.25)).plain == " REPLAY 01:02:03 \u00d70.25 "
    assert mode_badge(Mode(replay_at=at, paused=True)).plain == " REPLAY 01:02:03 \u00d71 paused "
    assert mode_badge(Mode(replay_at=at, ended=True)).plain == " REPLAY ended 01:02:03 "


def test_badge_is_bold_and_reversed_in_a_light_colour() -> None:
    """Bold + reverse (what NO_COLOR keeps), never a dark colour (NO_COLOR greys it to the
    bar's own dark grey, and reversed text on it vanishes)."""
    badge = mode_badge(Mode(demo=True, read_only=True, replay_at=DEMO_START))
    styles = [str(span.style) for span in badge.spans]
    assert len(styles) == 3
    for style in styles:
        assert "bold" in style and "reverse" in style
        assert not any(dark in style.split() for dark in ("magenta", "red", "blue", "black"))


async def test_demo_and_read_only_badges_lead_the_cluster_bar_on_every_pane() -> None:
    app = WundrApp(demo_store(), demo=True, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for i, name in enumerate(PANES, start=1):
            await pilot.press(pane_key(i))
            await pilot.pause()
            line = bar_text(app)
            assert line.plain.startswith(" DEMO   READ-ONLY  EKS"), (name, line.plain)
            assert line.cell_len <= 78, "fits the 80-column bar (padding 1 each side)"
            assert "GKE" in line.plain, "the clusters' names give way, not the badge"


async def test_read_only_from_the_config_shows_the_badge() -> None:
    app = WundrApp(demo_store(), config=Config(read_only=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert bar_text(app).plain.startswith(" READ-ONLY  EKS")


async def test_a_live_run_has_no_badge() -> None:
    app = WundrApp(demo_store())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert bar_text(app).plain.startswith("EKS")


async def test_replay_badge_shows_the_recordings_clock_and_speed() -> None:
    """The recording's own time at the position (it started at 00:00:00 UTC), then the speed
    the + key set and the pause the space key set."""
    clock = FrozenClock(0.0)
    source = ReplaySource(RECORDINGS / "demo-300s.jsonl", speed=1.0, clock=clock)
    source.start()
    clock.advance(42.0)
    app = WundrApp(Store(source.recording_clock), [source], replay=source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert bar_text(app).plain.startswith(" REPLAY 00:00:42 \u00d71  "), bar_text(app).plain
        await pilot.press("plus")
        await pilot.pause()
        assert bar_text(app).plain.startswith(" REPLAY 00:00:42 \u00d72  ")
        clock.advance(1.0)
        await pilot.press("space")
        await pilot.pause()
        assert bar_text(app).plain.startswith(" REPLAY 00:00:44 \u00d72 paused ")
