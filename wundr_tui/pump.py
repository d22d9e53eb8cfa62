"""The event pump: sources put events from any thread; the app drains them once per frame."""

from __future__ import annotations

import queue
from collections.abc import Callable

from wundr_tui.events import Event


class EventPump:
    """A thread-safe queue between source threads and the UI's frame timer.

    A burst of events between two frames costs one store update and one repaint.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Event] = queue.SimpleQueue()
        self.taps: list[Callable[[list[Event]], None]] = []
        """Called with every drained batch (the recorder tees the stream here)."""

    def emit(self, event: Event) -> None:
        """Queue one event. Safe from any thread."""
        self._queue.put(event)

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
