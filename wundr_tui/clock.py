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
