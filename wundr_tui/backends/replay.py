"""Play a recording back as a Source, at its recorded pace scaled by a speed, with pause.

The recording is read when the source is made, so a missing or malformed file fails before
the app starts (``RecordingError``, one readable line). Controls are safe from any thread.
"""

from __future__ import annotations

import math
import os
import threading
from pathlib import Path

from wundr_tui.backends.base import Emit, Source
from wundr_tui.clock import Clock, SystemClock
from wundr_tui.recording import load_recording

MIN_SPEED = 0.25
"""Slowest playback speed ``set_speed`` accepts."""
MAX_SPEED = 64.0
"""Fastest playback speed ``set_speed`` accepts."""

POLL = 0.1
"""Longest wait between checks, so pause, speed changes and stop take effect quickly."""


class _RecordingClock:
    """The time inside the recording: its start plus the replay's position."""

    def __init__(self, source: ReplaySource) -> None:
        self._source = source

    def now(self) -> float:
        """Recording start plus how far playback has got."""
        return self._source.started + self._source.position


class ReplaySource:
    """A Source that re-emits a recording's events at their recorded times.

    ``speed=0`` or ``jump_to_end=True`` emits everything at once (snapshot tests).
    """

    name: str = "replay"

    def __init__(
        self,
        path: str | os.PathLike[str],
        speed: float = 1.0,
        clock: Clock | None = None,
        *,
        jump_to_end: bool = False,
    ) -> None:
        self.path = Path(path)
        """The recording being played."""
        header, self._events = load_recording(self.path)
        self.started: float = float(header.get("started", 0.0))
        """Epoch seconds at which the recording started."""
        if speed == 0:
            jump_to_end = True
        else:
            self._check_speed(speed)
        self.jump_to_end = jump_to_end
        """Emit everything at once instead of at the recorded pace."""
        self._clock: Clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._speed = speed if speed else 1.0
        self._paused = False
        self._base_position = 0.0
        self._base_time: float | None = None
        self._next = 0
        self.recording_clock: Clock = _RecordingClock(self)
        """A clock that tells the recording's time (give it to the Store so ages match)."""

    @staticmethod
    def _check_speed(speed: float) -> None:
        if not (MIN_SPEED <= speed <= MAX_SPEED) or math.isnan(speed):
            raise ValueError(f"replay speed must be between {MIN_SPEED} and {MAX_SPEED}")

    # -- state -----------------------------------------------------------------------------

    @property
    def duration(self) -> float:
        """Seconds from the start of the recording to its last event."""
        return self._events[-1][0] if self._events else 0.0

    @property
    def events(self) -> int:
        """How many events the recording holds."""
        return len(self._events)

    @property
    def emitted(self) -> int:
        """How many events have been emitted so far."""
        with self._lock:
            return self._next

    @property
    def speed(self) -> float:
        """The current playback speed (1.0 is recorded pace)."""
        return self._speed

    @property
    def paused(self) -> bool:
        """Whether playback is paused."""
        return self._paused

    @property
    def position(self) -> float:
        """Seconds into the recording that playback has reached."""
        with self._lock:
            return self._position()

    @property
    def finished(self) -> bool:
        """Every event has been emitted."""
        with self._lock:
            return self._next >= len(self._events)

    def _position(self) -> float:
        if self.jump_to_end and self._next >= len(self._events):
            return self.duration
        if self._base_time is None or self._paused:
            pos = self._base_position
        else:
            pos = self._base_position + (self._clock.now() - self._base_time) * self._speed
        return min(max(pos, 0.0), self.duration)

    def _rebase(self) -> None:
        """Fold elapsed time into the base position before pace or pause changes."""
        if self._base_time is not None:
            self._base_position = self._position()
            self._base_time = self._clock.now()

    # -- controls (any thread) -------------------------------------------------------------

    def pause(self) -> None:
        """Stop the playback clock; nothing is emitted until ``resume``."""
        with self._lock:
            self._rebase()
            self._paused = True

    def resume(self) -> None:
        """Continue from where playback paused."""
        with self._lock:
            self._rebase()
            self._paused = False

    def toggle_pause(self) -> bool:
        """Pause if playing, play if paused; return whether it is now paused."""
        with self._lock:
            self._rebase()
            self._paused = not self._paused
            return self._paused

    def set_speed(self, speed: float) -> None:
        """Play at ``speed`` times the recorded pace (0.25 to 64)."""
        self._check_speed(speed)
        with self._lock:
            self._rebase()
            self._speed = speed

    # -- playing ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the playback clock now (``run`` does this; tests may call it directly)."""
        with self._lock:
            if self._base_time is None:
                self._base_time = self._clock.now()

    def emit_due(self, emit: Emit) -> int:
        """Emit every event whose time has come; return how many."""
        with self._lock:
            if self.jump_to_end:
                due = len(self._events)
            else:
                position = self._position()
                due = self._next
                while due < len(self._events) and self._events[due][0] <= position:
                    due += 1
            batch = self._events[self._next : due]
            self._next = due
        # Emit outside the lock: a slow consumer must not block the controls.
        for _, event in batch:
            emit(event)
        return len(batch)

    def _wait_time(self) -> float:
        """Seconds of real time until the next event is due, capped at ``POLL``."""
        with self._lock:
            if self._paused or self._next >= len(self._events):
                return POLL
            ahead = self._events[self._next][0] - self._position()
            return min(max(ahead / self._speed, 0.0), POLL)

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit the recording at its pace until it ends, then wait for ``stop``."""
        self.start()
        while not stop.is_set():
            self.emit_due(emit)
            if self.finished:
                stop.wait()
                return
            stop.wait(self._wait_time())


def _protocol(source: ReplaySource) -> Source:
    """Never called: mypy checks here that ReplaySource keeps up with the Source protocol."""
    return source
