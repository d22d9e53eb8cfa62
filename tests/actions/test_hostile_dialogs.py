"""Dialogs hold any text (issue 10, class 9 and the dialog side of class 2): at 80x24 every
dialog keeps its title, fields and confirm line on screen whatever an alert, a backup or the
audit log holds (a 1 MB annotation, 500 label lines, a 10,000-character name), and nothing a
cluster sends or a user types is parsed as markup.

These go through the app (``app.actions`` opens the forms as the keys do), so they run
against the old layout too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Input

from tests.conftest import DEMO_START
from wundr_tui.app import WundrApp
from wundr_tui.audit import AuditLog
from wundr_tui.backends.demo import EKS_CONTEXT, GKE_CONTEXT, DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.events import Upserted
from wundr_tui.model import Alert, Hpa, Kind, NodePool, Pod
from wundr_tui.store import Store

SIZE = (80, 24)
NS = "wundr-platform"
MEGABYTE = ("the service is degraded because " * 40_000)[:1_000_000]
LABEL_LINES = "\n".join(f"label_{i}=value_{i}" for i in range(500))
LONG_NAME = "WundrApiGateway" + "X" * 10_000
MARKUP = ("[/]", "[/on x]", "[bold]open[/bold", "[link=x]")


def huge_alert(name: str = LONG_NAME, key: str = "huge-1") -> Alert:
    """An alert as an attacker (or a careless rule author) writes it."""
    return Alert(
        name,
        key,
        "critical",
        "firing",
        DEMO_START - 60,
        summary=LABEL_LINES,
        description=MEGABYTE,
        namespace=NS,
        service="api-gateway",
    )


def cockpit(*alerts: Alert) -> WundrApp:
    """The cockpit over the demo fleet on a frozen clock, with these alerts on EKS."""
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    if alerts:
        store.apply([Upserted(EKS_CONTEXT, Kind.ALERT, alerts)])
    return WundrApp(store, operator=fleet)


async def wait_for(pilot: Any, check: Callable[[], bool], tries: int = 400) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never held")


def screen_name(app: WundrApp) -> str:
    return type(app.screen).__name__


def assert_on_screen(app: WundrApp, *selectors: str) -> None:
    """Each widget is inside the 80x24 screen, at least one row tall."""
    screen = app.screen
    for selector in selectors:
        widgets = list(screen.query(selector))
        assert widgets, f"{selector} is not in {screen_name(app)}"
        for widget in widgets:
            region = widget.region
            assert region.height >= 1 and screen.region.contains_region(region), (
                f"{selector} is off screen: {region} in {screen.region}"
            )


def assert_line_on_screen(app: WundrApp, text: str) -> None:
    """The line of the dialog that says ``text`` is inside the 80x24 screen (found by what it
    says, so the check holds for any layout of the dialog)."""
    from textual.widgets import Static

    screen = app.screen
    found = [w for w in screen.query(Static) if text in str(w.render())]
    assert found, f"no line says {text!r} in {screen_name(app)}"
    region = found[-1].region
    assert region.height >= 1 and screen.region.contains_region(region), (
        f"{text!r} is off screen: {region} in {screen.region}"
    )


async def test_silence_form_and_dialog_keep_fields_and_keys_on_screen() -> None:
    """A 10,000-character alert name, 500 label lines and a 1 MB annotation: the silence
    form's title, three fields, error line and keys stay on the 80x24 screen; so do the
    confirmation dialog's title, name field and keys once the form is sent."""
    app = cockpit(huge_alert())
    async with app.run_test(size=SIZE) as pilot:
        app.actions.silence(EKS_CONTEXT, "huge-1")
        await wait_for(pilot, lambda: screen_name(app) == "FormScreen")
        await pilot.pause()
        assert_on_screen(app, "#title", "#f-duration", "#f-comment", "#f-author")
        assert_on_screen(app, "#error", "#keys")
        await pilot.press("tab", *"deploying the fix", "tab", "enter")
        await wait_for(pilot, lambda: screen_name(app) == "ConfirmScreen")
        await pilot.pause()
        assert_on_screen(app, "#title", "#typed-label", "#typed", "#keys")
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_name(app).endswith("Screen") and app.pane is not None)


def test_silence_form_with_a_huge_annotation(
    snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The silence form at 80x24 for an alert with a 10,000-character name, 500 label lines
    and a 1 MB annotation: the heading is one line ending in "…"; the intro shows the first
    label lines ("critical firing: label_0=value_0", "label_1=value_1" …) in a four-line
    scrolling box; below it the duration (2h), comment (empty, "why (required)") and author
    fields (author "oncall"), the red line "comment: say why (it is shown to everyone)" and
    the keys line "Enter next/submit · Tab move · Esc cancel", all inside the box."""
    monkeypatch.setenv("USER", "oncall")
    app = cockpit(huge_alert())

    async def open_form(pilot: Any) -> None:
        app.actions.silence(EKS_CONTEXT, "huge-1")
        await wait_for(pilot, lambda: screen_name(app) == "FormScreen")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_form)


async def test_confirmation_keeps_its_keys_with_a_huge_plan() -> None:
    """A restore whose backup name is 10,000 characters: the dialog's title is one line and
    the keys line stays on screen (the diff scrolls)."""
    from wundr_tui.model import Backup

    name = "daily-" + "b" * 10_000
    backup = Backup(name, "Completed", DEMO_START - 3600, DEMO_START - 3000, items_total=3)
    app = cockpit()
    app.store.apply([Upserted(EKS_CONTEXT, Kind.BACKUP, (backup,))])
    async with app.run_test(size=SIZE) as pilot:
        app.actions.restore(EKS_CONTEXT, backup.key)
        await wait_for(pilot, lambda: screen_name(app) == "FormScreen")
        await pilot.pause()
        assert_on_screen(app, "#title", "#f-backup", "#f-namespaces", "#f-mapping", "#keys")
        await pilot.press("tab", "tab", "enter", "enter")
        await wait_for(pilot, lambda: screen_name(app) == "ConfirmScreen")
        await pilot.pause()
        assert_on_screen(app, "#title", "#keys")
        assert app.screen.query_one("#title").region.height == 1


async def test_help_keeps_its_close_line_on_screen() -> None:
    """The help at 80x24 is taller than the screen: its keys scroll, the line that says how
    to close it stays."""
    app = cockpit()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: screen_name(app) == "HelpScreen")
        await pilot.pause()
        assert_line_on_screen(app, "Esc closes this")


async def test_audit_viewer_keeps_title_and_keys_on_screen() -> None:
    """500 entries, one with a 10,000-character error: the viewer's title and its
    "Esc close" line stay on the 80x24 screen."""
    log = AuditLog(user="oncall")
    for i in range(499):
        log.record(EKS_CONTEXT, "scale", {"replicas": str(i)}, {"replicas": "9"}, "done")
    log.record(EKS_CONTEXT, "silence", {}, {"x": "y"}, "failed", error="E" * 10_000)
    app = cockpit()
    async with app.run_test(size=SIZE) as pilot:
        app.run_command("audit")
        await wait_for(pilot, lambda: screen_name(app) == "AuditScreen")
        await pilot.pause()
        assert_on_screen(app, "#title")
        assert_line_on_screen(app, "Esc close")


async def test_markup_in_an_alert_name_is_text() -> None:
    """An alert named like markup: the silence form and its dialog open, and show the name
    as written."""
    name = "Wundr[/on x][/]Down"
    app = cockpit(huge_alert(name, "markup-1"))
    async with app.run_test(size=SIZE) as pilot:
        app.actions.silence(EKS_CONTEXT, "markup-1")
        await wait_for(pilot, lambda: screen_name(app) == "FormScreen")
        await pilot.pause()
        assert name in str(app.screen.query_one("#title").render())
        await pilot.press("tab", *"why", "tab", "enter")
        await wait_for(pilot, lambda: screen_name(app) == "ConfirmScreen")
        await pilot.pause()
        assert name in str(app.screen.query_one("#title").render())


def _open(app: WundrApp, form: str) -> None:
    store = app.store
    if form == "scale":
        pod = next(p for _, p in store.all(Kind.POD) if isinstance(p, Pod) and p.owner)
        app.actions.scale_owner(EKS_CONTEXT, pod.key)
    elif form == "hpa":
        hpa = next(h for h in store.items(GKE_CONTEXT, Kind.HPA).values() if isinstance(h, Hpa))
        app.actions.hpa_bounds(GKE_CONTEXT, hpa.key)
    elif form == "node pool":
        pools = store.items(EKS_CONTEXT, Kind.NODE_POOL).values()
        pool = next(p for p in pools if isinstance(p, NodePool))
        app.actions.node_pool(EKS_CONTEXT, pool.key)
    elif form == "restore":
        app.actions.restore(EKS_CONTEXT, None)
    else:
        app.actions.silence(EKS_CONTEXT, "huge-1")


@pytest.mark.parametrize("form", ["scale", "hpa", "node pool", "restore", "silence"])
@pytest.mark.parametrize("text", MARKUP)
async def test_typing_markup_into_every_field_is_text(form: str, text: str) -> None:
    """Markup typed into each field of each form, then Enter: the form says what is wrong
    with the text as typed (never a MarkupError), or goes on to its dialog."""
    app = cockpit(huge_alert("HighErrorRate"))
    async with app.run_test(size=SIZE) as pilot:
        _open(app, form)
        await wait_for(pilot, lambda: screen_name(app) == "FormScreen")
        await pilot.pause()
        fields = [w for w in app.screen.query(Input) if (w.id or "").startswith("f-")]
        assert fields
        for field in fields:
            field.focus()
            field.value = ""
            await pilot.press(*text)
            await pilot.pause()
            assert field.value == text
            error = str(app.screen.query_one("#error").render())
            # Shown as typed: the quoted field keeps its brackets (markup would eat them).
            assert not error or "'[" in error or "between" in error or "comment" in error
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert screen_name(app) in ("FormScreen", "ConfirmScreen")
        await pilot.press("escape")
        await pilot.pause()
