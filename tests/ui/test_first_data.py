"""Start-up: the first data is drawn when it arrives, not at the frame timer's next tick (a
quarter of a second at the default 4 Hz; here the timer is set to 10 s, so only the pump's
wake-up can have drawn it)."""

from __future__ import annotations

import threading
import time

from tests.conftest import DEMO_START
from wundr_tui.app import WundrApp
from wundr_tui.backends.demo import DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.config import Config
from wundr_tui.events import Event
from wundr_tui.pump import EventPump
from wundr_tui.screens.base import PaneScreen
from wundr_tui.store import Store


class LateSource:
    """The demo's first list, sent ``delay`` seconds after the app started it, in two parts."""

    name = "late"

    def __init__(self, delay: float) -> None:
        self.delay = delay
        clock = FrozenClock(DEMO_START)
        self.events = DemoFleet(clock=clock).initial_events()

    def run(self, emit: object, stop: threading.Event) -> None:
        if stop.wait(self.delay):
            return
        half = len(self.events) // 2
        for e in self.events[:half]:
            emit(e)  # type: ignore[operator]
        stop.wait(0.3)  # a second page, later: drawn too, not held for the tick
        for e in self.events[half:]:
            emit(e)  # type: ignore[operator]
        stop.wait()


def test_pump_wakes_once_per_arm() -> None:
    pump = EventPump()
    woken: list[int] = []
    pump.wake = lambda: woken.append(pump.pending())
    events: list[Event] = LateSource(0).events[:3]
    pump.emit(events[0])
    assert woken == [], "not armed: the frame timer takes it"
    pump.arm()
    assert woken == [1], "armed with an event waiting: at once"
    pump.emit(events[1])
    assert woken == [1], "once per arm"
    pump.arm()
    assert woken == [1, 2]
    pump.drain()
    pump.arm()
    assert woken == [1, 2], "armed on an empty queue: waits for the next event"
    pump.emit(events[2])
    pump.emit(events[2])
    assert woken == [1, 2, 1]


async def test_first_rows_drawn_as_they_arrive_not_at_the_tick() -> None:
    store = Store(FrozenClock(DEMO_START))
    app = WundrApp(store, sources=[LateSource(0.5)], config=Config(refresh_hz=0.1))
    async with app.run_test(size=(100, 30)) as pilot:
        start = time.monotonic()
        screen = app.screen
        assert isinstance(screen, PaneScreen)
        while time.monotonic() - start < 5 and app.frames < 2:
            await pilot.pause(0.02)
        took = time.monotonic() - start
        assert app.frames >= 2, "both parts drawn"
        assert took < 5, f"first data drawn after {took:.2f}s: waited for the 10 s tick"
        assert screen.table.row_count > 0
