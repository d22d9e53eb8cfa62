"""Pilot tests for the replay keys (space, +, -): they exist only while replaying."""

from __future__ import annotations

from tests.conftest import RECORDINGS
from wundr_tui.app import WundrApp
from wundr_tui.backends.replay import ReplaySource
from wundr_tui.dialogs.help import HelpScreen, help_rows
from wundr_tui.store import Store

SIZE = (100, 30)


def replay_app() -> tuple[WundrApp, ReplaySource]:
    source = ReplaySource(RECORDINGS / "demo-300s.jsonl", speed=1.0)
    app = WundrApp(Store(source.recording_clock), [source], replay=source)
    return app, source


async def test_space_pauses_and_resumes_the_replay() -> None:
    app, source = replay_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert not source.paused
        await pilot.press("space")
        await pilot.pause()
        assert source.paused
        held = source.position
        await pilot.pause(0.4)
        assert source.position == held, "a paused replay does not move"
        await pilot.press("space")
        await pilot.pause(0.3)
        assert not source.paused and source.position > held


async def test_plus_and_minus_change_speed_within_bounds() -> None:
    app, source = replay_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("plus")
        await pilot.pause()
        assert source.speed == 2.0
        for _ in range(10):
            await pilot.press("plus")
        await pilot.pause()
        assert source.speed == 64.0, "capped"
        await pilot.press("minus")
        await pilot.pause()
        assert source.speed == 32.0


async def test_replay_keys_are_listed_in_help_only_while_replaying() -> None:
    app, _ = replay_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        actions = [row.what for row in help_rows(screen.sections)]
        assert {"Pause replay", "Replay faster", "Replay slower"} <= set(actions)


async def test_replay_keys_do_nothing_live() -> None:
    from tests.conftest import demo_store

    app = WundrApp(demo_store(10))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "plus", "minus")
        await pilot.pause()
        assert app.replay is None and app.is_running
