"""Play a recording back as a Source, at its recorded pace scaled by a speed, with pause.

The recording is streamed: its header and first event are checked when the source is made, so
a missing file or one that is not a recording fails before the app starts (``RecordingError``,
one readable line); later events are read and decoded as they come due, so memory does not
depend on the file's length and the first frame does not wait for the file. A bad line later
on stops the replay with the same kind of one-line message. Controls are safe from any thread.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from wundr_tui.backends.base import Emit, FullObject, OperationError, Source
from wundr_tui.clock import Clock, SystemClock
from wundr_tui.events import Event, Rewound
from wundr_tui.model import Kind
from wundr_tui.recording import RecordingError, RecordingReader, last_time

MIN_SPEED = 0.25
"""Slowest playback speed ``set_speed`` accepts."""
MAX_SPEED = 64.0
"""Fastest playback speed ``set_speed`` accepts."""

POLL = 0.1
"""Longest wait between checks, so pause, speed changes and stop take effect quickly."""

MAX_BATCH = 2_000
"""Most events ``run`` emits before it looks at the consumer's backlog and ``stop`` again."""

MAX_BACKLOG = 10_000
"""While the consumer has this many events waiting, ``run`` reads no further: a recording
that is all due at once (or played fast) cannot pile up in the pump faster than frames drain
it. An event can hold a whole list (a Replaced): at 50,000 a loaded machine's slow frames let
the backlog of the demo's start grow past 100 MB; 10,000 keeps it near 20 MB and still lets
a frame take 40,000 events a second at 4 frames a second."""


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
        self._reader = RecordingReader(self.path)
        self._stream: Iterator[tuple[float, Event]] = iter(self._reader)
        self.started: float = self._reader.started
        """Epoch seconds at which the recording started."""
        self.backlog: Callable[[], int] | None = None
        """How many emitted events the consumer has not taken yet (``EventPump.pending``);
        ``run`` waits while it is over ``MAX_BACKLOG``. None: no back-pressure."""
        self.error: str | None = None
        """Why the replay stopped before the end of the file (a bad line), or None."""
        self._estimate = last_time(self.path)
        self._final: float | None = None
        self._read = 0
        self._pending: tuple[float, Event] | None = None
        self._emitted_until = -math.inf  # the time of the last event emitted
        self._rewind = False  # a seek went back: the playing thread reads the file again
        self._advance()
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
        self._emitted = 0
        self.recording_clock: Clock = _RecordingClock(self)
        """A clock that tells the recording's time (give it to the Store so ages match)."""

    @staticmethod
    def _check_speed(speed: float) -> None:
        if not (MIN_SPEED <= speed <= MAX_SPEED) or math.isnan(speed):
            raise ValueError(f"replay speed must be between {MIN_SPEED} and {MAX_SPEED}")

    # -- state -----------------------------------------------------------------------------

    @property
    def duration(self) -> float:
        """Seconds from the start of the recording to its last event: exact once the end has
        been read, until then the last line's time (read from the file's tail)."""
        if self._final is not None:
            return self._final
        known = self._pending[0] if self._pending is not None else 0.0
        return max(self._estimate or 0.0, known)

    @property
    def events(self) -> int:
        """How many events have been read from the file so far (all of them once finished)."""
        return self._read

    @property
    def emitted(self) -> int:
        """How many events have been emitted so far."""
        with self._lock:
            return self._emitted

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
        """Every event has been emitted (or a bad line ended the replay), and no seek back
        is waiting for the playing thread."""
        return self._final is not None and not self._rewind

    def _position(self) -> float:
        if self.jump_to_end and self._final is not None:
            return self._final
        if self._base_time is None or self._paused:
            pos = self._base_position
        else:
            pos = self._base_position + (self._clock.now() - self._base_time) * self._speed
        # Past the last event the recording's clock stops; before the end is read, playback
        # cannot run past the next event by more than one wait.
        pos = max(pos, 0.0)
        return min(pos, self._final) if self._final is not None else pos

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

    def seek(self, position: float) -> float:
        """Play on from ``position`` seconds into the recording (kept within 0 and the
        duration); return where that is. Forward, the events up to there are emitted at once;
        back, the playing thread emits ``Rewound`` (the store forgets) and reads the file again
        from its start up to there. Paused stays paused."""
        with self._lock:
            target = min(max(position, 0.0), self.duration)
            self._base_position = target
            if self._base_time is not None:
                self._base_time = self._clock.now()
            if target < self._emitted_until:
                self._rewind = True
            return target

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

    def _advance(self) -> None:
        """Read the next event into ``_pending`` (only the playing thread calls this)."""
        last = self._pending[0] if self._pending is not None else 0.0
        try:
            self._pending = next(self._stream, None)
        except RecordingError as exc:
            self._pending = None
            self.error = str(exc)
        if self._pending is None:
            self._reader.close()
            self._final = last
        else:
            self._read += 1

    def _restart(self) -> None:
        """Read the recording again from its start (only the playing thread calls this)."""
        self._reader.close()
        self._pending = None
        self._final = None
        self._read = 0
        self._emitted_until = -math.inf
        try:
            self._reader = RecordingReader(self.path)
        except RecordingError as exc:  # the file went away or changed since the start
            self.error = str(exc)
            self._final = 0.0
            return
        self._stream = iter(self._reader)
        self._advance()

    def emit_due(self, emit: Emit, limit: int | None = None) -> int:
        """Emit every event whose time has come (at most ``limit``); return how many. After a
        seek back, first ``Rewound`` and the recording again from its start."""
        with self._lock:
            rewind, self._rewind = self._rewind, False
            position = math.inf if self.jump_to_end else self._position()
        count = 0
        if rewind:
            self._restart()
            emit(Rewound())
            count += 1
        # Read and emit outside the lock: a slow disk or consumer must not block the controls.
        while self._pending is not None and self._pending[0] <= position:
            if limit is not None and count >= limit:
                break
            emit(self._pending[1])
            self._emitted_until = self._pending[0]
            count += 1
            self._advance()
        with self._lock:
            self._emitted += count
        return count

    def _wait_time(self) -> float:
        """Seconds of real time until the next event is due, capped at ``POLL``."""
        with self._lock:
            if self._paused or self._pending is None:
                return POLL
            ahead = self._pending[0] - self._position()
            return min(max(ahead / self._speed, 0.0), POLL)

    def _backed_up(self) -> bool:
        return self.backlog is not None and self.backlog() > MAX_BACKLOG

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit the recording at its pace until ``stop``; at its end, wait for a seek back.

        A bad line ends the replay: what was emitted stays, and ``RecordingError`` (one line,
        naming the line) is raised for the runner to report.
        """
        self.start()
        try:
            while not stop.is_set():
                if self._backed_up():
                    stop.wait(POLL / 10)
                    continue
                if self.emit_due(emit, MAX_BATCH) >= MAX_BATCH:
                    continue  # more may be due at once: look at the backlog and go on
                if self.finished and self.error is not None:
                    raise RecordingError(self.error)
                stop.wait(self._wait_time())
        finally:
            self._reader.close()


def parse_seek(text: str, *, started: float, position: float, duration: float) -> float:
    """Where a typed seek goes, in seconds from the recording's start: ``hh:mm:ss`` or
    ``hh:mm`` on the recording's clock (UTC, as the badge shows it), ``+90`` / ``-90`` seconds
    (``+2m``, ``-30s``) from the current position, ``start`` or ``end``. Relative seeks stop
    at the ends; a time outside the recording, or anything else, is a ValueError whose text
    says what is accepted."""
    word = text.strip().lower()
    if word in ("start", "begin"):
        return 0.0
    if word == "end":
        return duration
    if len(word) > 1 and word[0] in "+-":
        body, unit = word[1:], 1.0
        if body.endswith("m"):
            body, unit = body[:-1], 60.0
        elif body.endswith("s"):
            body = body[:-1]
        try:
            amount = float(body) * unit
        except ValueError:
            amount = math.nan
        if not math.isfinite(amount):
            raise ValueError(f"cannot read {text.strip()!r}: +SECONDS or -SECONDS (+90, -2m)")
        moved = position + amount if word[0] == "+" else position - amount
        return min(max(moved, 0.0), duration)
    parts = word.split(":")
    if 2 <= len(parts) <= 3 and all(p.isdigit() and len(p) <= 2 for p in parts):
        h, m, s = (int(p) for p in (*parts, "0")[:3])
        if h > 23 or m > 59 or s > 59:
            raise ValueError(f"{text.strip()!r} is not a time of day (hh:mm:ss)")
        offset = h * 3600 + m * 60 + s - started % 86400
        if offset < -1:  # the recording crossed midnight (UTC)
            offset += 86400
        if offset > duration + 1:
            first, last = _clock(started), _clock(started + duration)
            raise ValueError(f"{text.strip()} is outside the recording ({first} to {last})")
        return min(max(offset, 0.0), duration)
    raise ValueError(
        f"cannot read {text.strip()!r}: give hh:mm:ss (the badge's clock), +SECONDS or "
        "-SECONDS, start or end"
    )


def _clock(epoch: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(epoch))


def _protocol(source: ReplaySource) -> Source:
    """Never called: mypy checks here that ReplaySource keeps up with the Source protocol."""
    return source


class RecordingInspector:
    """A replay's Inspector: a recording holds the small models only, never whole objects;
    the detail view says so and shows the model's facts."""

    def fetch(self, cluster: str, kind: Kind, namespace: str, name: str) -> FullObject | None:
        """Always refuses: ``not in the recording``."""
        raise OperationError("not in the recording (a recording keeps what the panes show)")
