"""Pilot tests for the replay keys (space, +, -, the seek keys [ ] { } @ and :seek): they
exist only while replaying; a replay never says live and says when it has ended."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from tests.conftest import RECORDINGS
from wundr_tui.app import WundrApp
from wundr_tui.backends.replay import ReplaySource
from wundr_tui.clock import FrozenClock
from wundr_tui.dialogs.help import HelpScreen, help_rows
from wundr_tui.events import Event
from wundr_tui.model import Kind
from wundr_tui.recording import load_recording
from wundr_tui.store import Store
from wundr_tui.widgets.cluster_bar import ClusterBar
from wundr_tui.widgets.footer import LeanFooter

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
        assert {
            "Pause replay",
            "Replay faster",
            "Replay slower",
            "Back 1 min",
            "Forward 1 min",
            "Replay from the start",
            "Replay to the end",
            "Seek to a time",
        } <= set(actions)


async def test_replay_keys_do_nothing_live() -> None:
    from tests.conftest import demo_store

    app = WundrApp(demo_store(10))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "plus", "minus", "left_square_bracket", "right_curly_bracket")
        await pilot.press("at")
        await pilot.pause()
        assert app.replay is None and app.is_running
        assert isinstance(app.focused, Input) is False, "@ opens no prompt live"
        app.run_command("seek 00:01:00")
        await pilot.pause()
        assert "seek works in a replay only" in str(list(app._notifications)[-1].message)


def frozen_replay(at: float, name: str = "demo-120s.jsonl") -> tuple[WundrApp, ReplaySource]:
    """A replay whose clock only moves when a seek moves it, ``at`` seconds in."""
    source = ReplaySource(RECORDINGS / name, speed=1.0, clock=FrozenClock(0.0))
    source.start()
    source.seek(at)
    app = WundrApp(Store(source.recording_clock), [source], replay=source)
    return app, source


async def wait_for(pilot: object, check: Callable[[], bool], tries: int = 400) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("condition never held")


def bar(app: WundrApp) -> str:
    return str(app.screen.query_one(ClusterBar)._shown)


def toasts(app: WundrApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def problems(store: Store) -> list[tuple[str, str, str, str, str]]:
    """The store's incidents without their ages: a catch-up spread over several frames may
    first see a row earlier than a store fed in one batch (``FirstSeen``), and that is fine."""
    return sorted((i.severity, i.cluster, i.what, i.subject, i.detail) for i in store.incidents())


def store_at(seconds: float) -> Store:
    """What a store holds after the recording's events up to ``seconds``, applied afresh."""
    header, events = load_recording(RECORDINGS / "demo-120s.jsonl")
    store = Store(FrozenClock(float(header["started"]) + seconds))
    batch: list[Event] = [e for t, e in events if t <= seconds]
    store.apply(batch)
    return store


async def test_a_replay_never_says_live_and_says_when_it_ended() -> None:
    """Badges say "recorded" where a live run says "live"; at the last event a toast says
    "replay ended at 00:02:00" and the badge "REPLAY ended 00:02:00" (it froze silently)."""
    app, _ = frozen_replay(10_000)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: any("replay ended" in t for t in toasts(app)))
        (said,) = [t for t in toasts(app) if "replay ended" in t]
        assert said.startswith("replay ended at 00:02:00")
        # The toast comes with the last event; the badge changes at the next frame.
        await wait_for(pilot, lambda: bar(app).startswith(" REPLAY ended 00:02:00 "))
        header = str(app.screen.query_one("#header")._shown)  # type: ignore[attr-defined]
        for line in (bar(app), header):
            assert "recorded" in line and "live" not in line, line
        await pilot.press("2")
        await pilot.pause()
        assert "live" not in bar(app) and "recorded" in bar(app)


async def test_seek_keys_move_the_replay_and_the_store_follows() -> None:
    """[ back 1 min, ] forward 1 min, { start, } end; going back rebuilds the store as it was
    at that moment of the recording (the same incidents as a store fed only that far)."""
    app, source = frozen_replay(120)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: source.finished and app.store.count(Kind.POD) > 0)
        await pilot.press("left_square_bracket")
        assert source.position == 60.0
        assert bar(app).startswith(" REPLAY 00:01:00 \u00d71 "), "the badge moved at once"
        expected = problems(store_at(60.0))
        await wait_for(pilot, lambda: problems(app.store) == expected)
        await pilot.press("right_square_bracket")
        assert source.position == 120.0
        await pilot.press("left_curly_bracket")
        assert source.position == 0.0
        await wait_for(pilot, lambda: problems(app.store) == problems(store_at(0.0)))
        await pilot.press("left_square_bracket")
        assert source.position == 0.0, "stops at the start"
        await pilot.press("right_curly_bracket")
        assert source.position == source.duration == 120.0
        await wait_for(pilot, lambda: problems(app.store) == problems(store_at(120.0)))
    assert all("Traceback" not in t for t in toasts(app))


async def test_at_opens_a_seek_prompt_and_bad_input_says_what_is_accepted() -> None:
    app, source = frozen_replay(30)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("at")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.value == "seek "
        await pilot.press(*"00:01:30", "enter")
        await pilot.pause()
        assert source.position == 90.0
        for typed, said in (
            ("abc", "seek: cannot read 'abc': give hh:mm:ss"),
            ("07:00:00", "seek: 07:00:00 is outside the recording (00:00:00 to 00:02:00)"),
            ("[red]x", "seek: cannot read '[red]x'"),
        ):
            app.clear_notifications()
            await pilot.press("at", *typed, "enter")
            await pilot.pause()
            assert source.position == 90.0, typed
            assert any(t.startswith(said) for t in toasts(app)), (typed, toasts(app))
        await pilot.press("at", *"-1m", "enter")
        await pilot.pause()
        assert source.position == 30.0
        assert app.is_running


async def test_footer_shows_the_seek_keys_where_there_is_room() -> None:
    app, _ = frozen_replay(30)
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(LeanFooter)
        text = " ".join(str(key.render()) for key in footer.children)
        assert "Back 1 min" in text and "Forward 1 min" in text and "Seek to a time" in text
