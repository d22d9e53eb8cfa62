"""Pilot tests of the action keys on the demo fleet: the blue-green switch and its one-key
revert, typed confirmation, forms that validate as you type, and read-only mode."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from textual.app import App
from textual.widgets import Static

from tests.conftest import DEMO_START
from wundr_tui.actions.base import Change, Check, Plan
from wundr_tui.app import WundrApp
from wundr_tui.audit import read_entries
from wundr_tui.backends.demo import EKS_CONTEXT, DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.dialogs.confirm import ConfirmScreen
from wundr_tui.dialogs.form import FormScreen
from wundr_tui.model import Cluster, Kind, Service, label
from wundr_tui.screens.base import PaneScreen
from wundr_tui.store import Store

SIZE = (100, 30)


def demo_app(read_only: bool = False) -> tuple[WundrApp, DemoFleet]:
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    return WundrApp(store, operator=fleet, read_only=read_only), fleet


def live(fleet: DemoFleet, cluster: str = EKS_CONTEXT) -> str:
    (svc,) = [s for s in fleet.read(cluster, Kind.SERVICE) if isinstance(s, Service)]
    return label(svc.selector, "environment")


def pane(app: WundrApp) -> PaneScreen:
    screen = app.screen
    assert isinstance(screen, PaneScreen)
    return screen


async def wait_for(pilot: object, check: Callable[[], bool], tries: int = 400) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("condition never held")


async def test_blue_green_switch_typed_confirmation_and_revert() -> None:
    """b → the dialog; y does nothing on production; a wrong name is refused; the right name
    switches; u (shown in the footer while the window is open) reverts through a dialog."""
    app, fleet = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.plan.typed_confirmation == "wundr-production"  # type: ignore[attr-defined]
        await pilot.press("y")
        await pilot.press(*"wundr-staging", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), "a wrong name does not confirm"
        assert live(fleet) == "production-blue"
        mismatch = app.screen.query_one("#mismatch", Static)
        assert "that is not wundr-production" in str(mismatch.render())
        typed = app.screen.query_one("#typed")
        typed.value = ""  # type: ignore[attr-defined]
        await pilot.pause()
        assert str(mismatch.render()) == "", "an edit clears the stale mismatch line"
        await pilot.press(*"wundr-production", "enter")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
        assert app.actions.outcomes[-1].result == "done"
        assert live(fleet) == "production-green"
        assert app.actions.can_revert
        assert pane(app).check_action("act_revert", ()) is True
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press(*"wundr-production", "enter")
        await wait_for(pilot, lambda: len(app.actions.outcomes) == 2)
        assert live(fleet) == "production-blue"
        assert pane(app).check_action("act_revert", ()) is False
    assert [e["result"] for e in read_entries()] == ["done", "done"]


async def test_escape_cancels_and_is_audited() -> None:
    """Escape at the dialog: nothing changes; the attempt is in the audit log as cancelled."""
    app, fleet = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
        assert app.actions.outcomes[-1].result == "cancelled"
    assert live(fleet) == "production-blue"
    (entry,) = read_entries()
    assert entry["result"] == "cancelled" and entry["action"] == "blue-green"


async def test_hpa_form_validates_inline_then_plans() -> None:
    """s on the HPA pane: the form shows a bad max in words and will not submit it."""
    app, _ = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("tab", "ctrl+u", *"x", "enter")
        await pilot.pause()
        error = str(form.query_one("#error").render())
        assert "max: 'x' is not a whole number" in error
        assert app.screen is form
        await pilot.press("backspace", *"2", "enter")
        await pilot.pause()
        assert "min (3) must not be more than max (2)" in str(form.query_one("#error").render())
        await pilot.press("backspace", *"30", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        plan = app.screen.plan  # type: ignore[attr-defined]
        assert [(c.what, c.before, c.after) for c in plan.changes][1] == ("maxReplicas", "20", "30")
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))


async def test_scale_on_pods_refuses_an_hpa_managed_deployment() -> None:
    """s on an api-gateway pod: the dialog says an HPA manages it; Escape closes; audited."""
    app, _ = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.press("slash", *"api-gateway-blue", "enter")
        await pilot.pause()
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen))
        await pilot.press("ctrl+u", *"9", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "an HPA (api-gateway-hpa) manages this deployment" in (
            app.screen.plan.blocked or ""  # type: ignore[attr-defined]
        )
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen), "Enter cannot confirm a blocked plan"
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
    assert read_entries()[-1]["result"] == "refused"


async def test_read_only_hides_every_action_key_and_sends_nothing() -> None:
    """--read-only: the action keys are not offered (the refusals that answer them instead
    are tested in tests/ui/test_read_only.py); pressing them opens nothing and sends
    nothing."""
    app, fleet = demo_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        for key, actions in (
            ("1", ["act_blue_green"]),
            ("3", ["act_scale"]),
            ("6", ["act_silence", "act_expire"]),
        ):
            await pilot.press(key)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PaneScreen)
            for action in actions:
                assert screen.check_action(action, ()) is False, (key, action)
            await pilot.press("b", "s", "r", "S", "x")
            await pilot.pause()
            assert isinstance(app.screen, PaneScreen), "no form or dialog opens"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Actions are disabled" in titles
        assert not any(t.startswith("Blue-green switch") for t in titles)
    assert live(fleet) == "production-blue"
    assert read_entries() == []


async def test_without_an_operator_action_keys_are_hidden() -> None:
    """A replay (no operator) shows no action keys at all."""
    clock = FrozenClock(DEMO_START)
    store = Store(clock)
    store.apply(DemoFleet(clock=clock).initial_events())
    app = WundrApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PaneScreen)
        assert screen.check_action("act_blue_green", ()) is False


class SlowFleet(DemoFleet):
    """A demo fleet whose real selector patch waits until the test lets it go (a slow
    apiserver, without depending on timing)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.release = threading.Event()
        self.waiting = threading.Event()

    def patch_service_selector(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        if not kwargs.get("dry_run"):
            self.waiting.set()
            self.release.wait(10)
        super().patch_service_selector(*args, **kwargs)  # type: ignore[arg-type]


async def test_the_app_stays_responsive_while_an_action_runs() -> None:
    """While a switch is stuck in its worker, pane keys still work; the result arrives once
    the server answers."""
    clock = FrozenClock(DEMO_START)
    fleet = SlowFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    app = WundrApp(store, operator=fleet)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press(*"wundr-production", "enter")
        await wait_for(pilot, fleet.waiting.is_set)
        await pilot.press("2")
        await pilot.pause()
        assert pane(app).PANE == "pods"
        await pilot.press("3")
        await pilot.pause()
        assert pane(app).PANE == "hpa"
        assert not app.actions.outcomes, "the switch is still running"
        fleet.release.set()
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
        assert app.actions.outcomes[-1].result == "done"
    assert live(fleet) == "production-green"


STAGING_PLAN = Plan(
    "scale",
    "Scale deployment web-client",
    Cluster("kind-staging", "other", "", "staging"),
    "wundr-platform",
    (Change("replicas", "3", "5"),),
    [Check("server-side dry run accepted the change", True)],
    execute=lambda progress: "ok",
)


class DialogHost(App[None]):
    """Shows one ConfirmScreen and keeps its answer."""

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
        self.answers: list[bool | None] = []

    def on_mount(self) -> None:
        self.push_screen(ConfirmScreen(self.plan), callback=self.answers.append)


@pytest.mark.parametrize(
    ("key", "answer"), [("y", True), ("enter", True), ("n", False), ("escape", False)]
)
async def test_confirm_keys_off_production(key: str, answer: bool) -> None:
    """Off production: y / Enter confirm, n / Escape cancel."""
    app = DialogHost(STAGING_PLAN)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
    assert app.answers == [answer]


async def test_blocked_plan_cannot_be_confirmed() -> None:
    """A failed check: y and Enter do nothing; Escape closes with False."""
    blocked = Plan(
        "scale", "Scale", STAGING_PLAN.cluster, "ns", (), [Check("forbidden: no", False)]
    )
    app = DialogHost(blocked)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("y", "enter")
        await pilot.pause()
        assert app.answers == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.answers == [False]


async def test_read_only_cluster_refuses_before_any_form() -> None:
    """``read_only = true`` on one cluster: its keys say why and open nothing; the other
    cluster still works."""
    from dataclasses import replace

    app, fleet = demo_app()
    eks = app.store.clusters[EKS_CONTEXT]
    app.store.clusters[EKS_CONTEXT] = replace(eks, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        app.actions.scale_owner(EKS_CONTEXT, "wundr-platform/x")
        assert app.actions.blue_green(EKS_CONTEXT) is False
        await pilot.pause()
        assert isinstance(app.screen, PaneScreen)
        await pilot.press("3")
        await pilot.pause()
        hpa_key = next(k for k in app.store.items(EKS_CONTEXT, Kind.HPA))
        app.actions.hpa_bounds(EKS_CONTEXT, hpa_key)
        await pilot.pause()
        assert isinstance(app.screen, PaneScreen), "no form on a read-only cluster"
        assert app.actions.blue_green(next(c for c in app.store.clusters if c != EKS_CONTEXT))
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
    assert live(fleet) == "production-blue"


async def test_revert_window_comes_from_the_config_and_closes() -> None:
    """``[actions] revert_seconds`` sets the window; after it, u is gone. The window's clock
    is stepped by the test: a loaded machine cannot close it early."""
    from wundr_tui.config import parse

    config = parse({"actions": {"revert_seconds": 0.5}})
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    app = WundrApp(store, operator=fleet, config=config)
    assert app.actions.revert_seconds == 0.5
    now = [1000.0]
    app.actions.monotonic = lambda: now[0]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press(*"wundr-production", "enter")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
        now[0] += 0.4
        assert pane(app).check_action("act_revert", ()) is True
        now[0] += 0.2
        assert pane(app).check_action("act_revert", ()) is False
        await pilot.pause(0.7)  # the window's timer tidies up and refreshes the footer
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, PaneScreen), "no revert after the window"
    assert live(fleet) == "production-green"
