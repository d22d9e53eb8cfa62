"""``a`` acknowledges: on an alert (Alerts pane) and on a STORY row (Incident pane) the confirm
dialog opens, y creates the ``ack:`` silences in the demo's Alertmanager, the audit log has the
line, and the alert stays listed as "acked by ..."; ``a`` again extends it."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import DEMO_START
from wundr_tui.app import WundrApp
from wundr_tui.audit import read_entries
from wundr_tui.backends.demo import DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.dialogs.confirm import ConfirmScreen
from wundr_tui.model import Alert, Kind
from wundr_tui.screens.base import PaneScreen
from wundr_tui.store import Store

SIZE = (120, 30)


def demo_at(seconds: int) -> tuple[WundrApp, DemoFleet, Store]:
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    for _ in range(seconds):
        clock.advance(1.0)
        store.apply(fleet.tick())
    return WundrApp(store, operator=fleet), fleet, store


def alerts(store: Store) -> list[Alert]:
    return [
        a
        for c in store.clusters
        for a in store.items(c, Kind.ALERT).values()
        if isinstance(a, Alert) and a.state in ("firing", "suppressed")
    ]


async def wait_for(pilot: object, check: Callable[[], bool], tries: int = 400) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("condition never held")


async def confirm(pilot: object, plan: object) -> None:
    """y, or on production the cluster's name typed and Enter."""
    name = plan.typed_confirmation  # type: ignore[attr-defined]
    keys = [*name, "enter"] if name else ["y"]
    await pilot.press(*keys)  # type: ignore[attr-defined]


async def test_a_on_an_alert_acks_then_extends(monkeypatch: object) -> None:
    app, fleet, store = demo_at(120)
    assert alerts(store) and not any(a.acked_by for a in alerts(store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PaneScreen) and screen.check_action("act_ack", ()) is True
        selected = screen.table.selected_key()
        assert selected is not None
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        plan = app.screen.plan  # type: ignore[attr-defined]
        assert plan.action == "ack" and "1h" in plan.title
        await confirm(pilot, plan)
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
        assert app.actions.outcomes[-1].result == "done", app.actions.outcomes[-1].message
        store.apply(fleet.tick())
        acked = store.get(selected[0], Kind.ALERT, selected[2])
        assert isinstance(acked, Alert) and acked.acked_by and acked.ack_id
        assert acked.ack_until - acked.acked_at == 3600
        screen.refresh_pane(None, full=True)
        await pilot.pause()
        row = screen.table.render_row(screen.context(), selected[0], acked)
        text = " ".join(str(c) for c in row)
        assert "acked" in text and f"acked by {acked.acked_by} 0s ago, 60m left" in text

        await pilot.press("a")  # again: extend by the configured hour
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.plan.action == "ack-extend"  # type: ignore[attr-defined]
        await confirm(pilot, app.screen.plan)  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: len(app.actions.outcomes) == 2)
        assert app.actions.outcomes[-1].result == "done"
        store.apply(fleet.tick())
        longer = store.get(selected[0], Kind.ALERT, selected[2])
        assert isinstance(longer, Alert) and longer.ack_until == acked.ack_until + 3600
        assert longer.ack_id == acked.ack_id
    assert [(e["action"], e["result"]) for e in read_entries()] == [
        ("ack", "done"),
        ("ack-extend", "done"),
    ]


async def test_a_on_a_story_acks_each_of_its_alerts() -> None:
    app, fleet, store = demo_at(120)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PaneScreen) and screen.PANE == "incident"
        row = screen.table.selected_object()
        assert row is not None and row.incident.what == "STORY"  # type: ignore[attr-defined]
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        plan = app.screen.plan  # type: ignore[attr-defined]
        assert plan.action == "ack"
        await confirm(pilot, app.screen.plan)  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: bool(app.actions.outcomes))
        assert app.actions.outcomes[-1].result == "done", app.actions.outcomes[-1].message
        store.apply(fleet.tick())
        # Every alert of the story (the pane's alert rows) acked, each on its own cluster.
        acked = [a for a in alerts(store) if a.acked_by]
        assert len(acked) == len(alerts(store)) >= 2, acked
        assert plan.title == "Acknowledge wundr-platform/api-gateway for 1h"
        assert {c.what.split()[-1] for c in plan.changes[:-2]} == {"HighErrorRate", "HighLatency"}
        screen.refresh_pane(None, full=True)
        await pilot.pause()
        head = screen.table.selected_object()
        assert "acked by " in head.incident.detail  # type: ignore[attr-defined]
    (entry,) = read_entries()
    assert entry["action"] == "ack" and entry["result"] == "done"


async def test_read_only_a_sends_nothing() -> None:
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    app = WundrApp(store, operator=fleet, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6", "a")
        await pilot.pause()
        assert isinstance(app.screen, PaneScreen)
        assert app.screen.check_action("act_ack", ()) is False
    assert read_entries() == []


async def test_b_on_a_story_switches_the_service_it_names_on_each_of_its_clusters() -> None:
    """b on the api-gateway STORY row: one dialog per cluster the story shows the blue-green
    Service on, in the story's order, each naming that cluster and the Service; n on each
    changes nothing. b on a story without a blue-green Service says so and opens nothing."""
    app, fleet, store = demo_at(130)
    live = {c: [bg.live for bg in store.blue_green(c)] for c in store.clusters}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PaneScreen) and screen.PANE == "incident"
        head = screen.table.selected_object()
        story = screen._shown[head.key]  # type: ignore[attr-defined,union-attr]
        wanted = [
            link.incident.cluster for link in story.links if link.incident.what == "BLUE/GREEN"
        ]
        assert sorted(wanted) == sorted(store.clusters), "the story names it on both clouds"
        seen = []
        await pilot.press("b")
        for cluster in wanted:
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            plan = app.screen.plan  # type: ignore[attr-defined]
            assert plan.action == "blue-green" and plan.cluster.name == cluster
            assert "wundr-platform-service" in plan.title, plan.title
            seen.append(cluster)
            n = len(app.actions.outcomes)
            await pilot.press("escape")
            await wait_for(pilot, lambda n=n: len(app.actions.outcomes) == n + 1)
        assert seen == wanted
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen), "one dialog per cluster, no more"
        # Green is short at this moment: each dialog shows why it refuses; Escape closes it.
        assert {o.result for o in app.actions.outcomes} <= {"cancelled", "refused"}
        assert len(app.actions.outcomes) == len(wanted)
        # The system-pool story (node down on eks) has no blue-green Service.
        for _ in range(20):
            shown = screen._shown.get(screen.table.selected_object().key)  # type: ignore[attr-defined,union-attr]
            if getattr(shown, "key", "").startswith("pool:"):
                break
            await pilot.press("down")
        else:
            raise AssertionError("the demo's node-pool story")
        await pilot.press("b")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        store.apply(fleet.tick())
        assert {c: [bg.live for bg in store.blue_green(c)] for c in store.clusters} == live
