"""Read-only mode on the panes: the footer does not advertise the mutating keys, and pressing
one says in a toast that nothing was sent (it was silently ignored); nothing is sent."""

from __future__ import annotations

from tests.conftest import DEMO_START
from tests.ui.test_footer import footer_text
from wundr_tui.app import WundrApp
from wundr_tui.audit import read_entries
from wundr_tui.backends.demo import DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.config import Config
from wundr_tui.dialogs.help import HelpScreen, help_rows
from wundr_tui.model import Kind, Service, label
from wundr_tui.screens.base import PaneScreen
from wundr_tui.store import Store

# (pane key, the footer labels of its mutating keys, key pressed, what the toast names)
PANES = (
    ("1", ("Blue/green",), "b", "read-only: blue-green switch not sent"),
    ("2", ("Blue/green", "Scale"), "s", "read-only: scale of the owning deployment not sent"),
    ("3", ("Scale",), "s", "read-only: HPA min/max change not sent"),
    ("4", ("Scale",), "s", "read-only: node pool resize not sent"),
    ("6", ("Silence", "Expire"), "S", "read-only: silence not sent"),
    ("6", ("Silence", "Expire"), "x", "read-only: silence expiry not sent"),
    ("7", ("Restore",), "r", "read-only: Velero restore not sent"),
)


def demo_app(**kwargs: object) -> tuple[WundrApp, DemoFleet]:
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    return WundrApp(store, operator=fleet, **kwargs), fleet  # type: ignore[arg-type]


def toasts(app: WundrApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_read_only_footer_offers_no_mutating_key_and_each_key_says_why() -> None:
    app, fleet = demo_app(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for pane, labels, key, said in PANES:
            await pilot.press(pane)
            await pilot.pause()
            footer = footer_text(app)
            assert "Filter" in footer, "the footer is there"
            for word in labels:
                assert word not in footer, (pane, word, footer)
            app.clear_notifications()
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, PaneScreen), "no form or dialog opens"
            (toast,) = toasts(app)
            assert toast.startswith(said), toast
            assert "--read-only" in toast
    for cluster in fleet.clusters():
        (svc,) = fleet.read(cluster.name, Kind.SERVICE)
        assert isinstance(svc, Service) and label(svc.selector, "environment") == (
            "production-blue"
        ), "no switch happened"
    assert read_entries() == [], "nothing attempted, nothing audited"


async def test_keys_a_pane_does_not_have_stay_quiet_in_read_only_mode() -> None:
    """s on the Incident pane (which scales nothing) is not refused: it does nothing, as
    without --read-only."""
    app, _ = demo_app(config=Config(read_only=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s", "r", "S", "x")
        await pilot.pause()
        assert toasts(app) == []


async def test_writable_footer_still_offers_the_keys() -> None:
    """Without read-only the same panes advertise their keys (the test above can fail), and
    help lists the keys, not their refusals."""
    app, _ = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        footer = footer_text(app)
        assert "Blue/green" in footer and "Scale" in footer
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        actions = [row.what for row in help_rows(screen.sections)]
        assert "Scale" in actions
        assert not any("read-only" in a for a in actions), actions
        assert not any("read-only" in section.title for section in screen.sections)


async def test_help_says_the_actions_are_not_sent_in_read_only_mode() -> None:
    """Help lists the action keys by pane under a read-only note, and never the refusals
    that answer them as keys of their own."""
    app, _ = demo_app(read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        actions = [row.what for row in help_rows(screen.sections)]
        assert "Scale" in actions
        assert not any("read-only, not sent" in a for a in actions), actions
        assert any("read-only" in section.title for section in screen.sections)
