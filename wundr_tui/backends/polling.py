"""The poll loop every cloud, database and alert source shares.

One thread per source calls ``poll()`` again and again: a poll never overlaps the previous one
(missed ticks merge into the next fetch), failures back off exponentially with full jitter
(``backends.retry``: the interval doubling to 5 minutes) so a throttled API is not hammered,
and every state change becomes a ``Health`` event. Setting ``stop`` ends the loop within one
wait; a poll in flight is bounded by the SDK's own timeouts.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable, Sequence

from wundr_tui.backends.base import Emit
from wundr_tui.backends.retry import backoff
from wundr_tui.events import Deleted, Health, Upserted
from wundr_tui.model import HealthState, Kind, Resource, SourceHealth

log = logging.getLogger(__name__)

MAX_BACKOFF = 300.0
"""Longest wait between retries after repeated failures, in seconds."""


class HealthReporter:
    """Emits one source's health for one cluster, keeping ``since`` across repeats."""

    def __init__(
        self,
        emit: Emit,
        cluster: str,
        source: str,
        kinds: tuple[Kind, ...],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._emit = emit
        self.cluster = cluster
        """Context name the badge belongs to."""
        self.source = source
        """``eks/nodegroups``, ``postgres``, ``alertmanager``..."""
        self.kinds = kinds
        """Kinds whose panes show this badge."""
        self._clock = clock
        self._last: tuple[HealthState, str] | None = None
        self._since = 0.0

    @property
    def state(self) -> HealthState | None:
        """The last state reported, None before the first."""
        return self._last[0] if self._last else None

    def report(self, state: HealthState, reason: str = "", retry_in: float = 0.0) -> None:
        """Emit a health event; ``since`` moves only when the state changes. ``retry_in``: the
        seconds until the next attempt (the badge counts down to it)."""
        now = self._clock()
        if self._last is None or self._last[0] != state:
            self._since = now
        retry_at = now + retry_in if retry_in > 0 else 0.0
        if self._last == (state, reason) and not retry_at:
            return
        self._last = (state, reason)
        self._emit(
            Health(
                SourceHealth(
                    self.cluster, self.source, state, self._since, reason, self.kinds, retry_at
                )
            )
        )


class OwnedItems:
    """Emits one source's share of a kind that several sources feed in the same cluster.

    ``Replaced`` would wipe the other sources' items (an RDS and a PostgreSQL database shown
    under one cluster both feed ``REPLICA_LINK``), so this sends ``Upserted`` for the current
    list and ``Deleted`` for the keys this source sent last time and no longer sees.
    """

    def __init__(self, emit: Emit, cluster: str, kind: Kind) -> None:
        self._emit = emit
        self.cluster = cluster
        """Cluster the items are shown under."""
        self.kind = kind
        """Kind of the items."""
        self._keys: set[str] = set()

    def publish(self, items: Sequence[Resource]) -> None:
        """Make the store hold exactly ``items`` as this source's share."""
        keys = {obj.key for obj in items}
        gone = self._keys - keys
        if gone:
            self._emit(Deleted(self.cluster, self.kind, tuple(sorted(gone))))
        self._emit(Upserted(self.cluster, self.kind, tuple(items)))
        self._keys = keys


def poll_loop(
    stop: threading.Event,
    interval: float,
    poll: Callable[[], None],
    on_error: Callable[[BaseException, float], None],
    *,
    max_backoff: float = MAX_BACKOFF,
    rng: random.Random | None = None,
) -> None:
    """Call ``poll`` every ``interval`` seconds until ``stop`` is set; never raises.

    The next poll is scheduled from the end of the previous one's start, so a slow poll
    delays the next instead of stacking up behind it. ``on_error(exc, retry_in)`` is told
    about each failure before the backoff wait.
    """
    failures = 0
    while not stop.is_set():
        started = time.monotonic()
        try:
            poll()
        except Exception as exc:  # a source must outlive any SDK failure
            failures += 1
            delay = backoff(failures, base=interval, cap=max_backoff, rng=rng)
            try:
                on_error(exc, delay)
            except Exception:  # reporting must not kill the loop either
                log.exception("error handler failed")
            stop.wait(delay)
            continue
        failures = 0
        stop.wait(max(0.0, interval - (time.monotonic() - started)))


def retry_text(delay: float) -> str:
    """``retrying in 30s`` for health reasons (a badge counting down says this each second)."""
    return f"retrying in {math.ceil(delay)}s" if delay >= 1 else "retrying"
