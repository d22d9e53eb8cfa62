"""Record and read event streams as JSON lines: ``--record FILE`` and the replay fixtures.

A recording is a header line ``{"wundr_tui_recording": 1, "started": EPOCH}`` followed by one
line per event: ``{"t": SECONDS_SINCE_START, "type": ..., ...}`` (the fields of
``codec.encode``). No Textual here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

import orjson

from wundr_tui.clock import Clock, FrozenClock, SystemClock
from wundr_tui.codec import CodecError, decode, encode
from wundr_tui.events import Event

FORMAT_VERSION = 1
"""The version written in the header; readers refuse newer ones."""

HEADER_KEY = "wundr_tui_recording"
_EVENT_TYPES = frozenset(("ClusterSeen", "Replaced", "Upserted", "Deleted", "Health"))

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
            self.error = f"{self.path}: recording stopped: {exc.strerror or exc}"
            self.close()

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


def read_recording(path: str | os.PathLike[str]) -> list[tuple[float, Event]]:
    """Every event of a recording with its time in seconds since the recording started."""
    return load_recording(path)[1]


def load_recording(
    path: str | os.PathLike[str],
) -> tuple[dict[str, Any], list[tuple[float, Event]]]:
    """The header (``started`` epoch, format version) and the timed events of a recording."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RecordingError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RecordingError(f"{path}: is a directory, not a recording") from None
    except OSError as exc:
        raise RecordingError(f"{path}: cannot read: {exc.strerror or exc}") from None

    lines = raw.split(b"\n")
    try:
        header = orjson.loads(lines[0])
    except orjson.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or HEADER_KEY not in header:
        raise RecordingError(f"{path}: not a wundr-tui recording (no header on line 1)")
    version = header.get(HEADER_KEY)
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise RecordingError(
            f"{path}: recording format {version!r} is not supported (this version reads "
            f"up to {FORMAT_VERSION})"
        )

    started = header.get("started")
    if isinstance(started, bool) or not isinstance(started, int | float):
        raise RecordingError(f"{path}:1: malformed header: 'started' is not a number")

    events: list[tuple[float, Event]] = []
    last = 0.0
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
            if not isinstance(data, dict):
                raise CodecError("not a JSON object")
            t = data.pop("t")
            if isinstance(t, bool) or not isinstance(t, int | float):
                raise CodecError(f"time {t!r} is not a number")
            if data.get("type") not in _EVENT_TYPES:
                raise CodecError(f"unknown event type {data.get('type')!r}")
            event = decode(data)
        except KeyError:
            raise RecordingError(f"{path}:{number}: malformed line: no time field 't'") from None
        except (orjson.JSONDecodeError, CodecError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise RecordingError(f"{path}:{number}: malformed line: {reason}") from None
        # Wall clocks can step back (NTP); replay needs times that never decrease.
        last = max(last, float(t))
        events.append((last, event))
    return header, events
