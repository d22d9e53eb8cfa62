"""Pilot tests: every key in the help screen does what the help says."""

from __future__ import annotations

import pytest

from tests.conftest import demo_store
from wundr_tui.app import PANES, WundrApp, pane_key
from wundr_tui.dialogs.help import HelpScreen
from wundr_tui.screens.base import PaneScreen, Prompt

SIZE = (100, 30)


def make_app(seconds: int = 120) -> WundrApp:
    return WundrApp(demo_store(seconds))


def pane(app: WundrApp) -> PaneScreen:
    screen = app.screen
    assert isinstance(screen, PaneScreen)
    return screen


@pytest.mark.parametrize(("key", "name"), [(pane_key(i), n) for i, n in enumerate(PANES, start=1)])
async def test_digit_keys_switch_panes(key: str, name: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2" if key != "2" else "3")
        await pilot.press(key)
        await pilot.pause()
        assert name == pane(app).PANE
        assert pane(app).table.row_count > 0, f"{name} shows demo rows"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("pods", "pods"),
        ("hpa", "hpa"),
        ("np", "nodepools"),
        ("db", "database"),
        ("alerts", "alerts"),
        ("backups", "backups"),
        ("home", "incident"),
    ],
)
async def test_colon_jumps_to_pane_by_name(typed: str, name: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.press("colon", *typed, "enter")
        await pilot.pause()
        assert name == pane(app).PANE


async def test_unknown_command_says_so_and_stays() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"bogus", "enter")
        await pilot.pause()
        assert pane(app).PANE == "incident"
        assert any("unknown command" in str(n.message) for n in app._notifications)


async def test_slash_filters_and_bang_negates_and_escape_clears() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = pane(app).table
        total = table.row_count
        await pilot.press("slash", *"analysis", "enter")
        await pilot.pause()
        shown = table.row_count
        assert 0 < shown < total
        assert all("analysis" in str(table.get_row_at(i)) for i in range(shown))
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"!analysis", "enter")
        await pilot.pause()
        assert table.row_count == total - shown
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert table.row_count == total
        assert not pane(app).query_one(Prompt).display


async def test_c_cycles_cluster_filter_through_each_and_back() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = pane(app).table
        total = table.row_count
        clusters = list(app.store.clusters)
        seen = []
        for expected in clusters:
            await pilot.press("c")
            await pilot.pause()
            assert app.cluster_filter == expected
            seen.append(table.row_count)
        assert sum(seen) == total and all(0 < n < total for n in seen)
        await pilot.press("c")
        await pilot.pause()
        assert app.cluster_filter is None and table.row_count == total


async def test_cluster_filter_follows_to_other_panes() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "4")
        await pilot.pause()
        clusters = {pane(app).table.selected_key()[0]}  # type: ignore[index]
        assert clusters == {app.cluster_filter}


async def test_question_mark_opens_help_built_from_bindings() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from wundr_tui.dialogs.help import help_rows

        rows = help_rows(app.screen.sections)  # what the #keys Static shows
        actions = [row.what for row in rows]
        keys = [k for row in rows for k in row.keys.split(", ")]
        for word in (
            "Pods",
            "Filter rows: text, !text, ~regex, -l app=x, -f fuzzy (Esc clears)",
            "Quit",
        ):
            assert word in actions
        for key in ("1", "2", "7", ":", "/", "c", "?", "q", "^p"):
            assert key in keys
        assert "Pause replay" not in actions, "replay keys only while replaying"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PaneScreen)


async def test_q_quits() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_command_palette_offers_panes() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Go to Alerts")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert pane(app).PANE == "alerts"


async def test_live_events_reach_the_visible_pane_in_the_next_frame() -> None:
    from wundr_tui.events import Upserted
    from wundr_tui.model import Kind, Pod

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        cluster = next(iter(app.store.clusters))
        new = Pod("wundr-platform", "zz-brand-new-pod", "Pending", 0, 1, 0, 0.0, "", "x")
        app.pump.emit(Upserted(cluster, Kind.POD, (new,)))
        app.frame()
        await pilot.pause()
        table = pane(app).table
        key = table.row_key(cluster, "pod", new.key)
        assert key in table.keys_in_order()


async def test_incident_pane_lists_every_kind_of_problem_during_a_demo_run() -> None:
    """Over a few simulated minutes the home pane shows each kind of incident at least once
    (as a row, or in a story), and stories."""
    from tests.conftest import DEMO_START
    from wundr_tui.backends.demo import DemoFleet
    from wundr_tui.clock import FrozenClock
    from wundr_tui.store import Store

    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(seed=7, clock=clock)
    store = Store(clock)
    app = WundrApp(store)
    seen: set[str] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        for event in fleet.initial_events():
            app.pump.emit(event)
        for second in range(240):
            clock.advance(1.0)
            for event in fleet.tick():
                app.pump.emit(event)
            if second % 5 == 0:
                app.frame()
                await pilot.pause()
                table = pane(app).table
                seen |= {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
                told = pane(app).told()  # type: ignore[attr-defined]
                seen |= {i.what.replace("BLUE/GREEN", "BLUE/GRN") for i in told}
    assert {"ALERT", "POD", "HPA", "NODEPOOL", "DB", "BLUE/GRN", "STORY"} <= seen
