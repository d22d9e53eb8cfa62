"""Freshness badges: live, then its age, then stale; errors say why."""

from __future__ import annotations

from wundr_tui.clock import FrozenClock
from wundr_tui.events import Health
from wundr_tui.model import Kind, SourceHealth
from wundr_tui.store import Store
from wundr_tui.widgets.freshness import health_badge


def test_badge_goes_live_then_old_then_stale() -> None:
    clock = FrozenClock(1000.0)
    store = Store(clock, stale_after=90.0)
    store.apply([Health(SourceHealth("c", "rds/orders", "live", clock.now(), kinds=(Kind.POD,)))])
    healths = list(store.health.values())
    assert health_badge(store, healths).plain == "● live"
    clock.advance(50)
    assert health_badge(store, healths).plain == "● 50s old"
    clock.advance(45)
    assert health_badge(store, healths).plain.startswith("● stale")


def test_error_badge_carries_the_reason_and_wins() -> None:
    clock = FrozenClock(1000.0)
    store = Store(clock)
    store.apply(
        [
            Health(SourceHealth("c", "kube/pods", "live", clock.now(), kinds=(Kind.POD,))),
            Health(SourceHealth("c", "kube/nodes", "error", clock.now(), "connection refused")),
        ]
    )
    assert health_badge(store, store.health.values()).plain == "✖ error: connection refused"
    assert health_badge(store, []).plain == "○ no data"
