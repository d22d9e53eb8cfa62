"""When the cyclic garbage collector runs: paused during bursts of acyclic allocations, and once
per load: unfreeze, collect, freeze. No Textual here."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable


class GcPause:
    """Pause the cyclic garbage collector while a large list page is parsed (or a frame
    applies one to the store and the table).

    Parsing a 500-pod page creates ~150,000 containers in one go; each of them counts towards
    the collector's thresholds, so it runs dozens of collections that walk the whole store
    (tens of thousands of tracked objects) and find nothing: the parsed JSON is acyclic and
    freed by reference counting. Measured, pausing the collector for the parse makes it 2-3x
    faster. A counter lets several threads pause at once; the last one restores the state.
    """

    _lock = threading.Lock()
    _depth = 0
    _was_enabled = False

    def __enter__(self) -> None:
        with GcPause._lock:
            if GcPause._depth == 0:
                GcPause._was_enabled = gc.isenabled()
                gc.disable()
            GcPause._depth += 1

    def __exit__(self, *exc: object) -> None:
        with GcPause._lock:
            GcPause._depth -= 1
            if GcPause._depth == 0 and GcPause._was_enabled:
                gc.enable()


class LoadFreezer:
    """Freeze the heap once per load, after the load settles, with nothing stale frozen.

    Pods, their rows and strings live long and hold no cycles; full collections walking 50,000
    of them took tens of milliseconds at random moments (a keypress). ``gc.freeze()`` moves
    everything alive into the permanent generation, out of the collector's scans (frozen
    objects are still freed by reference counting). But it freezes cyclic objects too, dialogs
    and toasts among them: those would never be collected once dropped. So each load first
    unfreezes what the last one froze, collects once (what died since, cycles included), and
    only then freezes what is alive now.
    """

    def __init__(
        self,
        after: int,
        settle: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.after = after
        """Objects in one frame's batch that make a load (a list, a relist)."""
        self.settle = settle
        """Seconds without such a frame after which the load is over."""
        self._clock = clock
        self._loaded_at: float | None = None

    def frame_applied(self, objects: int) -> bool:
        """A frame applied ``objects`` objects; True when it ended a load and froze the heap."""
        now = self._clock()
        if objects >= self.after:
            self._loaded_at = now
            return False
        if self._loaded_at is None or now - self._loaded_at < self.settle:
            return False
        self._loaded_at = None
        self.refreeze()
        return True

    def refreeze(self) -> None:
        """Unfreeze what the last freeze froze, collect once, freeze what is alive now.

        Also asked for by a screen that makes garbage at a high rate while it is open (the
        Logs screen following 10,000 lines/s repaints every row ten times a second, and every
        strip Textual paints is a cycle): it keeps full collections frequent, and each one
        walks whatever is not frozen. With the heap frozen when such a screen opens, they
        walk only what came since (2-14 ms instead of 80-150 ms on a loaded machine); when it
        closes, it asks again, so the screen itself, frozen while open, is collected."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def refreeze_without(self, gone: Callable[[], object | None]) -> bool:
        """:meth:`refreeze`, once the object ``gone`` (a weak reference) names has been
        collected: frozen with the heap while it was in use, it can only be collected
        unfrozen. While it is still reachable the heap is left unfrozen (nothing is kept
        that should go) and False says to ask again later."""
        gc.unfreeze()
        gc.collect()
        if gone() is not None:
            return False
        gc.freeze()
        return True
