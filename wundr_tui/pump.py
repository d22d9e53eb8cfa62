"""The event pump: sources put events from any thread; the app drains them once per frame.

It is also the boundary for untrusted text: every event is made safe (``safe_text``) as it
is put, in the thread of the source that emits it, before anything can store or show it.
Every source (kube, clouds, databases, alerts, demo, replay) and ``snapshot`` come this way.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable

from wundr_tui.backends.base import Source
from wundr_tui.events import Event
from wundr_tui.safe_text import safe_copy


class EventPump:
    """A thread-safe queue between source threads and the UI's frame timer.

    A burst of events between two frames costs one store update and one repaint. Every
    string in an event is made safe on the way in (``exact=True`` keeps them as sent: only
    for output whose encoder escapes everything itself, ``snapshot --format json``).
    """

    def __init__(self, *, exact: bool = False) -> None:
        self._queue: queue.SimpleQueue[Event] = queue.SimpleQueue()
        self._exact = exact
        self.taps: list[Callable[[list[Event]], None]] = []
        """Called with every drained batch (the recorder tees the stream here)."""
        self.wake: Callable[[], None] | None = None
        """Called (from the emitting thread) by the first event queued once ``arm`` was
        called: the UI draws a frame then instead of at its next tick (start-up)."""
        self._armed = False

    def arm(self) -> None:
        """Call ``wake`` once, when the next event is queued (now, if one waits)."""
        self._armed = True
        if not self._queue.empty():
            self._fire()

    def _fire(self) -> None:
        wake = self.wake
        if self._armed and wake is not None:
            self._armed = False
            wake()

    def emit(self, event: Event) -> None:
        """Make the event's text safe and queue it. Safe from any thread; the escaping runs
        in the caller's (a source's) thread, not in the UI's frame."""
        self._queue.put(event if self._exact else safe_copy(event))
        if self._armed:
            self._fire()

    def pending(self) -> int:
        """Roughly how many events wait (for back-pressure display)."""
        return self._queue.qsize()

    def drain(self, limit: int = 100_000) -> list[Event]:
        """Take up to ``limit`` queued events, oldest first."""
        batch: list[Event] = []
        get = self._queue.get_nowait
        try:
            while len(batch) < limit:
                batch.append(get())
        except queue.Empty:
            pass
        if batch:
            for tap in self.taps:
                tap(batch)
        return batch


class SourceRunner:
    """Runs each source in its own daemon thread, so a hung SDK call never blocks exit.

    Textual's thread workers share asyncio's default executor (min(32, cores + 4) threads),
    which would leave sources unstarted on a small machine watching many systems.
    """

    def __init__(self, pump: EventPump, on_crash: Callable[[str, BaseException], None]) -> None:
        self._pump = pump
        self._on_crash = on_crash
        self.stop_event = threading.Event()
        """Set to ask every source to stop."""
        self.threads: list[threading.Thread] = []
        """One per started source."""

    def start(self, source: Source) -> None:
        """Start one source's loop in a daemon thread named after it."""

        def run() -> None:
            try:
                source.run(self._pump.emit, self.stop_event)
            except BaseException as exc:  # a source bug must not take the app down
                self._on_crash(source.name, exc)

        thread = threading.Thread(target=run, name=f"source:{source.name}", daemon=True)
        self.threads.append(thread)
        thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Ask every source to stop and wait (bounded) for them."""
        self.stop_event.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(deadline - time.monotonic(), 0))
