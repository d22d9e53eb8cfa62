"""Blue-green capacity: the target colour's ready pods against what the live colour serves now
(its ready pods, or what its HPA wants where one scales it). At or above
``[actions] blue_green_min_capacity`` a ✓ check; below it a warning (still allowed); below
50 % the plan is blocked unless the user types the override, with the shortfall on screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from textual.widgets import Static

from tests.conftest import DEMO_START
from wundr_tui.actions.base import run_plan
from wundr_tui.actions.blue_green import plan_switch
from wundr_tui.actions.router import Router
from wundr_tui.app import WundrApp
from wundr_tui.audit import read_entries
from wundr_tui.backends.demo import EKS_CONTEXT, DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.config import Config
from wundr_tui.config_schema import ActionsConfig
from wundr_tui.dialogs.confirm import ConfirmScreen
from wundr_tui.model import BlueGreenSpec, Hpa, Kind, Resource, Service, label
from wundr_tui.store import Store

NS = "wundr-platform"
SIZE = (100, 30)


def fleet_with_green(replicas: int | None) -> DemoFleet:
    """The demo at its start (blue 3/3 ready), green cut to ``replicas`` by the demo's knob."""
    return DemoFleet(clock=FrozenClock(DEMO_START), green_replicas=replicas)


def plan_for(fleet: DemoFleet, min_capacity: float = 1.0, reader: object = None):  # type: ignore[no-untyped-def]
    ops = Router(*(b for b in (reader, fleet) if b is not None))
    ops.clusters = {c.name: c for c in fleet.clusters()}
    return plan_switch(ops, ops.clusters[EKS_CONTEXT], BlueGreenSpec(), min_capacity=min_capacity)


def capacity_lines(plan) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.text for c in plan.checks if "capacity" in c.text] + [
        w for w in plan.warnings if "capacity" in w
    ]


def test_the_demo_can_make_green_short_deterministically() -> None:
    """The demo's knob: green starts with the given replicas, all ready; blue is untouched."""
    fleet = fleet_with_green(1)
    deps = {d.name: d for d in fleet.read(EKS_CONTEXT, Kind.DEPLOYMENT)}
    green, blue = deps["api-gateway-green"], deps["api-gateway-blue"]
    assert (green.desired, green.ready) == (1, 1)  # type: ignore[union-attr]
    assert (blue.desired, blue.ready) == (3, 3)  # type: ignore[union-attr]
    again = {d.name: d for d in fleet_with_green(1).read(EKS_CONTEXT, Kind.DEPLOYMENT)}
    assert again == deps, "same seed, same knob: the same fleet"


def test_equal_capacity_is_a_passed_check() -> None:
    """Green 3 ready for blue's 3: a ✓ line that says both numbers, no warning."""
    plan = plan_for(fleet_with_green(None))
    assert plan.blocked is None
    (check,) = [c for c in plan.checks if "capacity" in c.text]
    assert check.ok
    assert check.text == "capacity: green has 3 ready pods for blue's 3: 100 %"
    assert not plan.warnings


def test_between_the_ratio_and_half_is_a_warning_and_still_allowed() -> None:
    """Green 2 for blue's 3 (66 %) under the default 100 %: a warning, the plan can run."""
    fleet = fleet_with_green(2)
    plan = plan_for(fleet)
    assert plan.blocked is None, plan.checks
    assert not plan.needs_override
    (warning,) = [w for w in plan.warnings if "capacity" in w]
    assert warning.startswith("capacity: green has 2 ready pods for blue's 3: 66 %")
    assert "below the 100 % wanted" in warning
    assert not [c for c in plan.checks if "capacity" in c.text]
    assert run_plan(plan, None).result == "done"


def test_a_lower_configured_ratio_passes_what_the_default_warns_about() -> None:
    """``blue_green_min_capacity = 0.6``: 66 % is enough, a ✓."""
    plan = plan_for(fleet_with_green(2), min_capacity=0.6)
    assert plan.blocked is None and not plan.warnings
    assert any(c.ok and "capacity: green has 2" in c.text for c in plan.checks)


def test_below_half_is_blocked_until_overridden() -> None:
    """Green 1 for blue's 3 (33 %): blocked with the shortfall in words, nothing sent; the
    override lets it run, and the audit line says it was overridden."""
    fleet = fleet_with_green(1)
    plan = plan_for(fleet)
    assert plan.blocked is not None
    assert plan.blocked.startswith("capacity: green has 1 ready pod for blue's 3: 33 %")
    assert "2 short" in plan.blocked
    assert plan.needs_override, "the only failed check is the capacity: it can be overridden"
    assert plan.override_phrase == "override wundr-production"
    assert run_plan(plan, None).result == "refused", "not overridden: refused"
    assert live(fleet) == "production-blue"
    plan.overridden = True
    assert plan.blocked is None
    assert plan.after()["override"].startswith("capacity: green has 1 ready pod")
    assert run_plan(plan, None).result == "done"
    assert live(fleet) == "production-green"


class HpaWantsMore:
    """The demo's reads, with the HPA on blue wanting ``desired`` replicas."""

    def __init__(self, fleet: DemoFleet, desired: int) -> None:
        self.fleet = fleet
        self.desired = desired

    def get(self, cluster: str, kind: Kind, namespace: str, name: str) -> Resource | None:
        return self.fleet.get(cluster, kind, namespace, name)

    def list(self, cluster: str, kind: Kind, namespace: str) -> Sequence[Resource]:
        found = self.fleet.list(cluster, kind, namespace)
        if kind is Kind.HPA:
            return [replace(h, desired_replicas=self.desired) for h in found if isinstance(h, Hpa)]
        return found


def test_the_hpa_desired_count_of_the_live_colour_is_the_bar() -> None:
    """Blue has 3 ready but its HPA wants 7: green's 3 is 42 % of that, blocked."""
    fleet = fleet_with_green(None)
    plan = plan_for(fleet, reader=HpaWantsMore(fleet, 7))
    assert plan.blocked is not None
    assert plan.blocked.startswith(
        "capacity: green has 3 ready pods for 7 wanted by blue's HPA (3 ready): 42 %"
    )


def test_the_hpa_of_the_other_colour_does_not_raise_the_bar() -> None:
    """Reverting from green to blue: the HPA scales blue (the target), not the live colour."""
    fleet = fleet_with_green(None)
    ops = Router(HpaWantsMore(fleet, 7), fleet)
    ops.clusters = {c.name: c for c in fleet.clusters()}
    cluster = ops.clusters[EKS_CONTEXT]
    there = plan_switch(ops, cluster, BlueGreenSpec())
    there.overridden = True  # blue's HPA wants 7: going to green needs the override
    assert run_plan(there, None).result == "done"
    back = plan_switch(ops, cluster, BlueGreenSpec())
    assert back.blocked is None, back.checks
    assert any(
        c.ok and "capacity: blue has 3 ready pods for green's 3" in c.text for c in back.checks
    )


# -- through the dialog (Pilot) -------------------------------------------------------------


def live(fleet: DemoFleet, cluster: str = EKS_CONTEXT) -> str:
    (svc,) = [s for s in fleet.read(cluster, Kind.SERVICE) if isinstance(s, Service)]
    return label(svc.selector, "environment")


def demo_app(green: int | None, min_capacity: float = 1.0) -> tuple[WundrApp, DemoFleet]:
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock, green_replicas=green)
    store = Store(clock)
    store.apply(fleet.initial_events())
    config = Config(actions=ActionsConfig(blue_green_min_capacity=min_capacity))
    return WundrApp(store, config=config, operator=fleet), fleet


async def wait_for(pilot: object, check: Callable[[], bool], tries: int = 400) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("condition never held")


def body(app: WundrApp) -> str:
    return str(app.screen.query_one("#body", Static).render())


async def test_dialog_full_capacity_shows_a_tick() -> None:
    app, fleet = demo_app(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "✓ capacity: green has 3 ready pods for blue's 3: 100 %" in body(app)
        await pilot.press(*"wundr-production", "enter")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
    assert app.actions.outcomes[-1].result == "done"
    assert live(fleet) == "production-green"


async def test_dialog_short_capacity_warns_and_still_switches() -> None:
    app, fleet = demo_app(2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "! capacity: green has 2 ready pods for blue's 3: 66 %" in body(app)
        assert "override" not in str(app.screen.query_one("#typed-label", Static).render())
        await pilot.press(*"wundr-production", "enter")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
    assert app.actions.outcomes[-1].result == "done"
    assert live(fleet) == "production-green"


async def test_dialog_below_half_needs_the_typed_override() -> None:
    """Green 1 for blue's 3: the dialog shows the change and the shortfall, y and the bare
    cluster name do nothing, ``override wundr-production`` switches; audited as overridden."""
    app, fleet = demo_app(1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        screen = app.screen
        text = body(app)
        assert "production-blue → production-green" in text, "the exact change is on screen"
        assert "✗ capacity: green has 1 ready pod for blue's 3: 33 %" in text
        assert "2 short" in text
        prompt = str(screen.query_one("#typed-label", Static).render())
        assert "type override wundr-production" in prompt
        await pilot.press("y")
        await pilot.press(*"wundr-production", "enter")
        await pilot.pause()
        assert app.screen is screen, "the name alone does not override"
        assert live(fleet) == "production-blue"
        assert "that is not override wundr-production" in str(
            screen.query_one("#mismatch", Static).render()
        )
        screen.query_one("#typed").value = ""  # type: ignore[attr-defined]
        await pilot.press(*"override wundr-production", "enter")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
    assert app.actions.outcomes[-1].result == "done"
    assert live(fleet) == "production-green"
    (entry,) = read_entries()
    assert entry["result"] == "done"
    assert entry["after"]["override"].startswith("capacity: green has 1 ready pod")


async def test_dialog_below_half_escape_sends_nothing() -> None:
    app, fleet = demo_app(1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
    assert app.actions.outcomes[-1].result == "refused"
    assert live(fleet) == "production-blue"
