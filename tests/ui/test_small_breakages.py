"""Issue 13's small breakages, each seen through what the user gets: the dialogs' text, the
prompt and the footer at 80 columns, the toasts while a dialog is open."""

from __future__ import annotations

from textual.containers import Vertical
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from tests.conftest import DEMO_START, demo_store
from wundr_tui.actions.router import Router
from wundr_tui.actions.silence import plan_expire
from wundr_tui.app import WundrApp
from wundr_tui.backends.demo import GKE_CONTEXT, DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.dialogs.confirm import ConfirmScreen, plan_text
from wundr_tui.dialogs.form import FormScreen
from wundr_tui.model import Alert
from wundr_tui.screens.backups import NAME_WIDTH
from wundr_tui.screens.base import PaneScreen, Prompt
from wundr_tui.screens.cells import keep_end
from wundr_tui.store import Store
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


async def _confirm_dialog_open(pilot: object, app: WundrApp) -> ConfirmScreen:
    for _ in range(400):  # bounded: 20 s on a loaded machine
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        if isinstance(app.screen, ConfirmScreen):
            return app.screen
    raise AssertionError(f"no confirmation dialog; screen is {app.screen}")


def _shown_toasts(app: WundrApp) -> list[str]:
    return [str(t.render()) for t in app.screen.query("Toast") if t.display]


async def test_toasts_do_not_cover_a_dialog_and_show_once_it_closes() -> None:
    """The "checking: blue-green switch…" toast drew over the dialog's checks at 80x24. While
    a dialog is open no toast shows on it; one raised meanwhile shows after it closes."""
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    app = WundrApp(store, operator=fleet)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("b")
        await _confirm_dialog_open(pilot, app)
        await pilot.pause()
        assert app._notifications, "the 'checking…' toast was raised"
        assert _shown_toasts(app) == []
        app.notify("raised while the dialog is open")
        await pilot.pause()
        assert _shown_toasts(app) == []
        await pilot.press("escape")
        for _ in range(400):  # bounded: 20 s on a loaded machine
            await pilot.pause(0.05)
            if any("raised while" in t for t in _shown_toasts(app)):
                break
        assert isinstance(app.screen, PaneScreen)
        assert any("raised while the dialog is open" in t for t in _shown_toasts(app))


def test_restore_names_keep_their_distinguishing_end() -> None:
    """Two restores of one backup differ only in their last part: a cut at the end of the
    NAME column made them look alike."""
    a = "daily-backup-20261128020000-20261130101010"
    b = "daily-backup-20261128020000-20261201093000"
    assert keep_end(a, NAME_WIDTH) != keep_end(b, NAME_WIDTH)
    assert keep_end(a, NAME_WIDTH).endswith("-20261130101010")
    assert len(keep_end(a, NAME_WIDTH)) == NAME_WIDTH
    assert keep_end("daily-backup-20261126020000", NAME_WIDTH) == "daily-backup-20261126020000"


async def test_the_restore_forms_choice_lists_stay_inside_the_dialog_at_80x24() -> None:
    """The backup list (Select's 12 rows) spilled past the dialog's bottom edge, and its
    longest option wrapped: each open list ends inside the dialog, one line per choice."""
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    app = WundrApp(store, operator=fleet)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7")
        await pilot.pause()
        await pilot.press("r")
        for _ in range(400):  # bounded: 20 s on a loaded machine
            await pilot.pause(0.05)
            if isinstance(app.screen, FormScreen):
                break
        form = app.screen
        assert isinstance(form, FormScreen)
        dialog = form.query_one(Vertical).region
        for select in form.query(Select):
            select.focus()
            await pilot.pause()
            select.expanded = True
            await pilot.pause()
            overlay = select.query_one(SelectOverlay)
            assert overlay.display
            r = overlay.region
            assert r.y >= dialog.y and r.bottom <= dialog.bottom - 1, (select.id, r, dialog)
            assert r.x >= dialog.x and r.right <= dialog.right, (select.id, r, dialog)
            heights = [overlay.get_option_at_index(i) for i in range(overlay.option_count)]
            assert overlay.virtual_size.height == len(heights), "one line per choice"
            select.expanded = False
            await pilot.pause()
