"""Clocks: the system's, and a frozen one that tests move by hand."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the time in seconds since the epoch."""

    def now(self) -> float:
        """The current time."""
        ...


class SystemClock:
    """Wall-clock time."""

    def now(self) -> float:
        """The current time."""
        return time.time()


class FrozenClock:
    """A clock that only moves when told to: deterministic demos and snapshots."""

    def __init__(self, start: float = 1_764_115_200.0) -> None:
        self._t = start

    def now(self) -> float:
        """The current (frozen) time."""
        return self._t

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self._t += seconds


class RewoundClock:
    """Wall-clock time ``behind`` seconds ago: a demo fleet built on it starts its story that
    long ago. ``catch_up`` keeps the story where it is when the source starts (``behind`` in,
    however long start-up took), and from then on the clock runs at wall-clock speed
    (``wundr-tui --demo --at``)."""

    def __init__(self, behind: float) -> None:
        self.behind = behind
        self._made = time.time()

    def now(self) -> float:
        """The current time, less what is still behind."""
        return time.time() - self.behind

    def catch_up(self) -> None:
        """From now on, run on from the moment the clock was made at (start-up time is not
        story time)."""
        self.behind = time.time() - self._made
