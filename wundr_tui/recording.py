"""Record and read event streams as JSON lines: ``--record FILE`` and the replay fixtures.

A recording is a header line ``{"wundr_tui_recording": 1, "started": EPOCH}`` followed by one
line per event: ``{"t": SECONDS_SINCE_START, "type": ..., ...}`` (the fields of
``codec.encode``). No Textual here.

Recordings are read as a stream (``RecordingReader``), one line at a time, so memory does not
depend on a file's length; one line may hold at most ``MAX_LINE`` bytes. A recording is a file
someone may send you: every way it can be wrong is a ``RecordingError`` of one line.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from wundr_tui.clock import Clock, FrozenClock, SystemClock
from wundr_tui.codec import CodecError, decode, encode
from wundr_tui.events import Event
from wundr_tui.safe_text import safe

FORMAT_VERSION = 1
"""The version written in the header; readers refuse newer ones."""

MAX_LINE = 16 * 1024 * 1024
"""Longest line (bytes, newline excluded) a recording may hold: a bigger one is refused, never
read whole (a demo recording's longest line is about 30 KiB)."""

MAX_HEADER = 4096
"""Longest first line: the header is a few dozen bytes, so a longer one is not a recording."""

HEADER_KEY = "wundr_tui_recording"
_EVENT_TYPES = frozenset(("ClusterSeen", "Replaced", "Upserted", "Deleted", "Health", "Audited"))
"""What a line's ``type`` may be (``Audited``: an action the timeline lists; recordings made
before it have none and load as they did)."""

DEFAULT_START = FrozenClock().now()
"""Where the committed recordings (tests/recordings/make_recordings.py) start their frozen clock:
the same instant snapshot tests freeze."""


class RecordingError(Exception):
    """A recording cannot be read; ``str()`` is one line naming the file (and line)."""


class Recorder:
    """A pump tap that appends every drained batch to a recording file.

    Opening an unwritable path raises OSError, before anything runs. A later write failure
    (disk full) stops the recording and is kept in ``error`` instead of raising into the UI's
    frame timer.
    """

    def __init__(self, path: str | os.PathLike[str], clock: Clock | None = None) -> None:
        self.path = Path(path)
        """Where the recording goes (truncated if it exists)."""
        self.clock: Clock = clock or SystemClock()
        """Where event times come from."""
        self.started = self.clock.now()
        """Epoch seconds at the start of the recording: ``t`` is measured from here."""
        self.error: str | None = None
        """Why recording stopped early, or None."""
        self.events = 0
        """How many events were written."""
        self.on_error: Callable[[str], None] | None = None
        """Called once, with ``error``, when a write fails (the app shows it on screen)."""
        # An unwritable path raises OSError here, before the app starts (the CLI reports it).
        self._file: IO[bytes] | None = self.path.open("wb")
        self._write([{HEADER_KEY: FORMAT_VERSION, "started": self.started}])

    def __call__(self, batch: list[Event]) -> None:
        """Append one line per event, stamped with the time since the recording started."""
        if self._file is None or not batch:
            return
        t = round(self.clock.now() - self.started, 3)
        self._write([{"t": t, **encode(event)} for event in batch])
        self.events += len(batch)

    def _write(self, lines: list[dict[str, Any]]) -> None:
        if self._file is None:
            return
        try:
            self._file.write(b"".join(orjson.dumps(line) + b"\n" for line in lines))
            self._file.flush()
        except OSError as exc:
            self.error = safe(f"{self.path}: recording stopped: {exc.strerror or exc}")
            self.close()
            if self.on_error is not None:
                self.on_error(self.error)

    def close(self) -> None:
        """Flush and close the file; later batches are ignored."""
        if self._file is not None:
            try:
                self._file.close()
            except OSError as exc:
                self.error = self.error or f"{self.path}: recording stopped: {exc}"
            self._file = None

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RecordingReader:
    """A recording opened for streaming: the header is checked when it is made, events are
    read and decoded one line at a time as they are iterated.

    Making one reads the header and decodes the first event, so a file that is not a recording
    (empty, binary, another format, a bad first event) fails before anything runs. Iterating
    raises ``RecordingError`` at the first bad line, naming it by number.
    """

    def __init__(self, path: str | os.PathLike[str], *, max_line: int = MAX_LINE) -> None:
        self.path = Path(path)
        """The recording."""
        self.max_line = max_line
        """Longest line accepted, in bytes."""
        try:
            self._file: IO[bytes] = self.path.open("rb")
        except FileNotFoundError:
            raise RecordingError(f"{self.path}: no such file") from None
        except IsADirectoryError:
            raise RecordingError(f"{self.path}: is a directory, not a recording") from None
        except OSError as exc:
            raise RecordingError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        self._number = 0
        self._last = 0.0
        try:
            self.header: dict[str, Any] = self._read_header()
            """The header line: format version and ``started``."""
            self.started = float(self.header["started"])
            """Epoch seconds at which the recording started."""
            # Decode the first event now: a file with a header and garbage after it is as
            # much "not a recording" as one without a header, and is told before the app runs.
            self._peeked: tuple[float, Event] | None = self._next_event()
        except BaseException:
            self._file.close()
            raise

    def _error(self, reason: str, line: int | None = None) -> RecordingError:
        where = f"{self.path}:{line}" if line is not None else f"{self.path}"
        # The reason may quote the file's own bytes: made safe here, it is shown as it is.
        return RecordingError(safe(f"{where}: {reason}"))

    def _read_header(self) -> dict[str, Any]:
        line = self._readline(MAX_HEADER)
        try:
            header = orjson.loads(line) if line is not None else None
        except orjson.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or HEADER_KEY not in header:
            raise self._error("not a wundr-tui recording (no header on line 1)")
        version = header.get(HEADER_KEY)
        if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
            raise self._error(
                f"recording format {version!r} is not supported (this version reads "
                f"up to {FORMAT_VERSION})"
            )
        started = header.get("started")
        if isinstance(started, bool) or not isinstance(started, int | float):
            raise self._error("malformed header: 'started' is not a number", 1)
        if not math.isfinite(started):
            raise self._error("malformed header: 'started' is not a finite number", 1)
        return header

    def _readline(self, limit: int) -> bytes | None:
        """The next line without its newline; None at the end. A line over ``limit`` bytes
        is refused after reading at most ``limit + 1`` of them."""
        try:
            line = self._file.readline(limit + 1)
        except OSError as exc:
            raise self._error(f"cannot read: {exc.strerror or exc}") from None
        if not line:
            return None
        self._number += 1
        if line.endswith(b"\n"):
            return line[:-1]
        if len(line) > limit:
            if self._number == 1:
                raise self._error("not a wundr-tui recording (no header on line 1)")
            raise self._error(
                f"line longer than {limit:,} bytes: not a recording line", self._number
            )
        return line  # the last line, without a newline

    def _next_event(self) -> tuple[float, Event] | None:
        while True:
            line = self._readline(self.max_line)
            if line is None:
                return None
            if line.strip():
                return self._decode(line)

    def _decode(self, line: bytes) -> tuple[float, Event]:
        number = self._number
        try:
            data = orjson.loads(line)
            if not isinstance(data, dict):
                raise CodecError("not a JSON object")
            if "t" not in data:
                raise self._error("malformed line: no time field 't'", number)
            t = data.pop("t")
            if isinstance(t, bool) or not isinstance(t, int | float) or not math.isfinite(t):
                raise CodecError(f"time {t!r} is not a number")
            kind = data.get("type")
            if not isinstance(kind, str) or kind not in _EVENT_TYPES:
                raise CodecError(f"unknown event type {kind!r}")
            event = decode(data)
        except RecordingError:
            raise
        except Exception as exc:  # orjson, CodecError, or anything a crafted line provokes
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise self._error(f"malformed line: {reason[:200]}", number) from None
        # Wall clocks can step back (NTP); replay needs times that never decrease.
        self._last = max(self._last, float(t))
        return self._last, event

    def __iter__(self) -> Iterator[tuple[float, Event]]:
        """Each event with its time in seconds since the start, read as it is asked for."""
        while True:
            item = self._peeked
            if item is None:
                item = self._next_event()
                if item is None:
                    return
            self._peeked = None
            yield item

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> RecordingReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def last_time(path: str | os.PathLike[str], tail: int = 1 << 20) -> float | None:
    """The time of a recording's last line, read from its last ``tail`` bytes without reading
    the rest; None when it cannot be told cheaply (a huge or malformed last line)."""
    try:
        with Path(path).open("rb") as f:
            size = f.seek(0, os.SEEK_END)
            f.seek(max(size - tail, 0))
            chunk = f.read(tail)
    except OSError:
        return None
    lines = chunk.split(b"\n")
    if size > tail:
        lines = lines[1:]  # the first piece may be the end of a longer line
    for line in reversed(lines):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError:
            return None
        t = data.get("t") if isinstance(data, dict) else None
        if isinstance(t, bool) or not isinstance(t, int | float) or not math.isfinite(t):
            return None
        return float(t)
    return None


def read_recording(path: str | os.PathLike[str]) -> list[tuple[float, Event]]:
    """Every event of a recording with its time in seconds since the recording started."""
    return load_recording(path)[1]


def load_recording(
    path: str | os.PathLike[str],
) -> tuple[dict[str, Any], list[tuple[float, Event]]]:
    """The header (``started`` epoch, format version) and the timed events of a recording,
    all in memory: for small files (fixtures, tests); replay streams with RecordingReader."""
    with RecordingReader(path) as reader:
        return reader.header, list(reader)
