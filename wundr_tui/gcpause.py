"""Pausing the cyclic garbage collector around bursts of acyclic allocations."""

from __future__ import annotations

import gc
import threading


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
