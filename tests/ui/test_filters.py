"""Pilot tests: the ``/`` filters as k9s has them (regex, label selector, fuzzy), typed as a
person types them; the filter in use in the header; Esc on the table clears it."""

from __future__ import annotations

from rich.text import Text

from tests.conftest import demo_store
from wundr_tui.app import WundrApp
from wundr_tui.model import Kind, Pod, label
from wundr_tui.screens.base import PaneHeader, PaneScreen, Prompt

SIZE = (100, 30)


def make_app() -> WundrApp:
    return WundrApp(demo_store(120))


def pane(app: WundrApp) -> PaneScreen:
    screen = app.screen
    assert isinstance(screen, PaneScreen)
    return screen


def header(app: WundrApp) -> str:
    shown = pane(app).query_one(PaneHeader)._shown
    return shown.plain if isinstance(shown, Text) else ""


def pods_shown(app: WundrApp) -> list[Pod]:
    table = pane(app).table
    objs = [table._objs[rk] for rk in table.rows_in_view]
    assert all(isinstance(o, Pod) for o in objs)
    return objs


async def test_regex_filter_keeps_matching_rows_and_shows_in_the_header() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"~ api-gateway-(blue|green)-", "enter")
        await pilot.pause()
        pods = pods_shown(app)
        assert pods and all(p.name.startswith("api-gateway-") for p in pods)
        every = [p for _, p in app.store.all(Kind.POD) if p.name.startswith("api-gateway-")]
        assert len(pods) == len(every)
        assert "/~ api-gateway-(blue|green)-" in header(app)
        # Esc on the table (the prompt is closed): the filter goes, every row is back.
        assert not pane(app).query_one(Prompt).display
        await pilot.press("escape")
        await pilot.pause()
        assert pane(app).table.row_count == app.store.count(Kind.POD)
        assert "/~" not in header(app)


async def test_invalid_regex_says_why_and_leaves_the_rows_alone() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"analysis", "enter")
        await pilot.pause()
        kept = pane(app).table.row_count
        assert 0 < kept < app.store.count(Kind.POD)
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"~(a+)+", "enter")
        await pilot.pause()
        # Not applied: the rows of the last filter that could be applied stay.
        assert pane(app).table.row_count == kept
        messages = [str(n.message) for n in app._notifications]
        assert any("filter not applied" in m and "nested repetition" in m for m in messages)
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"~[unclosed")
        await pilot.pause()
        assert "✖ invalid regex" in header(app)  # said while typing, before Enter
        await pilot.press("escape")
        await pilot.pause()
        assert pane(app).table.row_count == app.store.count(Kind.POD)
        assert "✖" not in header(app)


async def test_label_selector_selects_on_the_pods_labels() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"-l app=api-gateway,environment!=production-green")
        await pilot.press("enter")
        await pilot.pause()
        pods = pods_shown(app)
        want = [
            p
            for _, p in app.store.all(Kind.POD)
            if label(p.labels, "app") == "api-gateway"
            and label(p.labels, "environment") != "production-green"
        ]
        assert pods and len(pods) == len(want)
        assert all(label(p.labels, "environment") == "production-blue" for p in pods)
        assert "labels app=api-gateway,environment!=production-green" in header(app)
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"-l !app", "enter")
        await pilot.pause()
        assert all(not label(p.labels, "app") for p in pods_shown(app))
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"-l app in (", "enter")
        await pilot.pause()
        assert any("filter not applied" in str(n.message) for n in app._notifications)


async def test_fuzzy_filter_finds_letters_in_order() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"-f anlyeng", "enter")
        await pilot.pause()
        pods = pods_shown(app)
        assert pods and all(p.owner == "analysis-engine" for p in pods)
        assert "fuzzy anlyeng" in header(app)


async def test_the_filter_follows_the_rows_as_they_change() -> None:
    """A row whose labels change in the store comes and goes with the selector."""
    from dataclasses import replace

    from wundr_tui.events import Upserted

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "slash", *"-l canary", "enter")
        await pilot.pause()
        assert pane(app).table.row_count == 0
        cluster, first = next(iter(app.store.all(Kind.POD)))
        marked = replace(first, labels=(*first.labels, ("canary", "yes")))
        app.pump.emit(Upserted(cluster, Kind.POD, (marked,)))
        await pilot.pause(0.3)
        assert [p.name for p in pods_shown(app)] == [first.name]
