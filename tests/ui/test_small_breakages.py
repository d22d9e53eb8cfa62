"""Issue 13's small breakages, each seen through what the user gets: the dialogs' text, the
prompt and the footer at 80 columns, the toasts while a dialog is open."""

from __future__ import annotations

from tests.conftest import DEMO_START, demo_store
from wundr_tui.actions.router import Router
from wundr_tui.actions.silence import plan_expire
from wundr_tui.app import WundrApp
from wundr_tui.backends.demo import GKE_CONTEXT, DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.dialogs.confirm import plan_text
from wundr_tui.model import Alert
from wundr_tui.screens.base import PaneScreen, Prompt
from wundr_tui.widgets.footer import LeanFooter


def test_expire_on_an_unsilenced_alert_offers_no_change() -> None:
    """The dialog said "silence - → expired" beside "✗ not silenced": an alert no silence
    covers has nothing to expire, and the dialog says only that."""
    fleet = DemoFleet(clock=FrozenClock(DEMO_START))
    cluster = {c.name: c for c in fleet.clusters()}[GKE_CONTEXT]
    alert = Alert("HighErrorRate", "fp1", "critical", "firing", DEMO_START - 300)
    plan = plan_expire(Router(fleet), cluster, alert)
    assert plan.changes == ()
    assert plan.blocked == "HighErrorRate is not silenced: nothing to expire"
    body = plan_text(plan).plain
    assert "expired" not in body and "→" not in body
    assert "✗ HighErrorRate is not silenced: nothing to expire" in body


def _app() -> WundrApp:
    return WundrApp(demo_store())


def _pane(app: WundrApp) -> PaneScreen:
    assert isinstance(app.screen, PaneScreen)
    return app.screen


async def test_tab_in_the_command_prompt_completes_and_keeps_the_prompt() -> None:
    """``:`` + text + Tab left the prompt open, unfocused, with the footer hidden and no key
    to close it. Tab completes the command instead; Enter runs it; the footer is back."""
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("colon", "p", "o", "tab")
        await pilot.pause()
        pane = _pane(app)
        prompt = pane.query_one(Prompt)
        assert app.focused is prompt and prompt.display
        assert prompt.value == "pods"
        await pilot.press("enter")
        await pilot.pause()
        pane = _pane(app)
        assert pane.PANE == "pods"
        assert not pane.query_one(Prompt).display
        assert pane.query_one(LeanFooter).display


async def test_tab_on_an_ambiguous_word_or_a_filter_changes_nothing() -> None:
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("colon", "a", "tab")  # alerts, al, alert, audit
        await pilot.pause()
        prompt = _pane(app).query_one(Prompt)
        assert app.focused is prompt and prompt.value == "a"
        await pilot.press("escape", "slash", *"api", "tab")
        await pilot.pause()
        assert app.focused is prompt and prompt.value == "api"


async def test_the_prompt_closes_when_focus_leaves_it_another_way() -> None:
    """A click on the table (focus moved, no key): the prompt closes, the footer is back."""
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("colon", "p", "o")
        await pilot.pause()
        pane = _pane(app)
        pane.table.focus()
        await pilot.pause()
        assert not pane.query_one(Prompt).display
        assert pane.query_one(LeanFooter).display
        assert pane.PANE == "incident", "a half-typed command is not run"


async def test_escape_clears_a_kept_filter() -> None:
    """README: ``/`` filters, Esc clears. After Enter kept it, Esc on the table did nothing."""
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = _pane(app).table
        total = table.row_count
        await pilot.press("slash", *"analysis", "enter")
        await pilot.pause()
        assert 0 < table.row_count < total
        assert app.focused is table
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_filter.text == ""
        assert table.row_count == total
        assert "/analysis" not in _pane(app).header_text().plain
