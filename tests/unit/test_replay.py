"""Replaying a recording: errors up front, recorded pace scaled by speed, pause, jump to end."""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path

import pytest

from tests.fakes.pty_run import PtyApp
from wundr_tui.backends.base import Source
from wundr_tui.backends.replay import ReplaySource, parse_seek
from wundr_tui.clock import FrozenClock
from wundr_tui.events import Deleted, Event, Rewound
from wundr_tui.model import Kind
from wundr_tui.recording import DEFAULT_START, Recorder, RecordingError, read_recording
from wundr_tui.store import Store

RECORDINGS = Path(__file__).resolve().parents[1] / "recordings"


def deleted(n: int) -> Deleted:
    return Deleted("c", Kind.POD, (f"ns/pod-{n}",))


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    """Events at t = 0, 0, 10, 20 and 40 seconds."""
    clock = FrozenClock(1000.0)
    path = tmp_path / "r.jsonl"
    with Recorder(path, clock) as recorder:
        recorder([deleted(0), deleted(1)])
        for n, wait in ((2, 10), (3, 10), (4, 20)):
            clock.advance(wait)
            recorder([deleted(n)])
    return path


def test_errors_are_raised_when_the_source_is_made(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="no such file"):
        ReplaySource(tmp_path / "nope.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not a recording\n")
    with pytest.raises(RecordingError, match="not a wundr-tui recording"):
        ReplaySource(bad)


def test_it_is_a_source_with_duration(recording: Path) -> None:
    source = ReplaySource(recording)
    assert isinstance(source, Source) and source.name == "replay"
    # Streamed: the duration comes from the file's last line before the rest is read.
    assert source.duration == 40.0 and source.emitted == 0
    assert source.started == 1000.0
    assert source.position == 0.0 and not source.paused


@pytest.mark.parametrize("kwargs", [{"speed": 0}, {"jump_to_end": True}])
def test_jump_to_end_emits_everything_at_once(recording: Path, kwargs: dict[str, object]) -> None:
    source = ReplaySource(recording, **kwargs)  # type: ignore[arg-type]
    events: list[Event] = []
    assert source.emit_due(events.append) == 5
    assert events == [deleted(n) for n in range(5)]
    assert source.finished and source.position == 40.0
    assert source.events == source.emitted == 5
    assert source.recording_clock.now() == 1040.0


def test_events_come_at_their_recorded_times_scaled_by_speed(recording: Path) -> None:
    clock = FrozenClock(0.0)
    source = ReplaySource(recording, speed=2.0, clock=clock)
    events: list[Event] = []
    source.start()
    assert source.emit_due(events.append) == 2
    clock.advance(4.9)  # 9.8 recorded seconds
    assert source.emit_due(events.append) == 0
    clock.advance(0.1)
    assert source.emit_due(events.append) == 1
    assert source.position == pytest.approx(10.0)
    source.set_speed(1.0)
    clock.advance(10)
    assert source.emit_due(events.append) == 1
    assert source.position == pytest.approx(20.0)
    clock.advance(100)
    assert source.emit_due(events.append) == 1
    assert source.position == 40.0 and source.finished
    assert events == [deleted(n) for n in range(5)]


def test_pause_holds_the_position(recording: Path) -> None:
    clock = FrozenClock(0.0)
    source = ReplaySource(recording, clock=clock)
    events: list[Event] = []
    source.start()
    clock.advance(5)
    source.pause()
    assert source.paused
    clock.advance(100)
    assert source.position == pytest.approx(5.0)
    assert source.emit_due(events.append) == 2
    assert source.toggle_pause() is False
    clock.advance(5)
    assert source.position == pytest.approx(10.0)
    assert source.emit_due(events.append) == 1
    assert source.toggle_pause() is True
    source.resume()
    assert not source.paused
    assert source.recording_clock.now() == pytest.approx(1010.0)


@pytest.mark.parametrize("speed", [0.1, 65, -1, math.nan, math.inf])
def test_speed_outside_the_range_is_refused(recording: Path, speed: float) -> None:
    source = ReplaySource(recording)
    with pytest.raises(ValueError, match=r"between 0\.25 and 64"):
        source.set_speed(speed)
    with pytest.raises(ValueError):
        ReplaySource(recording, speed=speed)
    source.set_speed(0.25)
    source.set_speed(64)
    assert source.speed == 64


def test_run_plays_at_speed_and_stops_promptly(recording: Path) -> None:
    source = ReplaySource(recording, speed=64)  # 40 recorded seconds in about 0.6 s
    events: list[Event] = []
    stop = threading.Event()
    thread = threading.Thread(target=source.run, args=(events.append, stop))
    started = time.monotonic()
    thread.start()
    try:
        deadline = started + 5
        while len(events) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join(timeout=2)
    assert not thread.is_alive()
    assert events == [deleted(n) for n in range(5)]
    assert 0.5 < elapsed < 3


def test_stop_ends_a_paused_run(recording: Path) -> None:
    source = ReplaySource(recording)
    source.pause()
    events: list[Event] = []
    stop = threading.Event()
    thread = threading.Thread(target=source.run, args=(events.append, stop))
    thread.start()
    time.sleep(0.05)
    stop.set()
    thread.join(timeout=2)
    assert not thread.is_alive()
    # Paused at 0 s: the first frame (events at t=0) shows, nothing later.
    assert events == [deleted(0), deleted(1)]


def test_replaying_the_busy_recording_rebuilds_every_incident() -> None:
    path = RECORDINGS / "demo-120s.jsonl"
    source = ReplaySource(path, jump_to_end=True)
    store = Store(FrozenClock(DEFAULT_START + 120))
    batch: list[Event] = []
    source.emit_due(batch.append)
    store.apply(batch)
    assert len(batch) == len(read_recording(path))
    kinds = {i.what for i in store.incidents()}
    assert kinds >= {"ALERT", "POD", "HPA", "NODEPOOL", "DB", "BLUE/GREEN"}
    assert "SOURCE" not in kinds


# -- a large recording, replayed for real (a pty and a subprocess) ----------------------------

BIG = 200 * 1024 * 1024
"""Size of the generated recording: far above any bound asserted on memory growth."""


def write_big_recording(path: Path, size: int = BIG) -> int:
    """The demo's start (every kind, both clusters) repeated at t=0 until ``size`` bytes: all
    of it is due at once, the hardest case for memory."""
    header, _, body = (RECORDINGS / "demo-start.jsonl").read_bytes().partition(b"\n")
    chunk = body * max(1, (4 << 20) // len(body))
    with path.open("wb") as f:
        f.write(header + b"\n")
        written = len(header) + 1
        while written < size:
            f.write(chunk)
            written += len(chunk)
    return written


def replay(path: Path) -> PtyApp:
    """``wundr-tui replay FILE`` on a pty."""
    return PtyApp(["replay", str(path)])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_a_huge_recording_streams_in_bounded_memory(tmp_path: Path) -> None:
    """A 200 MB recording: the app's first frame shows its data, and its peak memory while it
    reads most of the file stays within 100 MB of a replay of the 31 KB recording."""
    small = replay(RECORDINGS / "demo-start.jsonl")
    try:
        assert small.wait_for(b"live", timeout=60), small.screen[-2000:]
        baseline = small.status("VmHWM")
    finally:
        small.close()

    path = tmp_path / "big.jsonl"
    size = write_big_recording(path)
    big = replay(path)
    try:
        assert big.wait_for(b"live", timeout=60), "no first frame with data"
        # Let it read on through most of the file (or to its end, when it closes it).
        deadline = time.monotonic() + 120
        offset: int | None = 0
        while time.monotonic() < deadline:
            offset = big.offset(path)
            if offset is None or offset > size * 3 // 4:
                break
            big.wait_for(b"\0never", timeout=0.5)
        assert offset is None or offset > size * 3 // 4, f"read only {offset} of {size} bytes"
        assert big.proc.poll() is None, "the replay ended"
        growth_mib = (max(big.peak_kib, big.status("VmHWM")) - baseline) / 1024
        print(f"baseline {baseline // 1024} MiB, growth {growth_mib:.0f} MiB, offset {offset}")
    finally:
        big.close()
    assert growth_mib < 100, f"peak memory grew {growth_mib:.0f} MiB over a small replay"


def test_a_bad_line_later_on_ends_the_replay_after_what_came_before(tmp_path: Path) -> None:
    """The file is streamed: the source starts although line 4 is broken, plays lines 2-3,
    then stops with one line naming line 4."""
    path = tmp_path / "r.jsonl"
    good = b'{"t": 0, "type": "Deleted", "cluster": "c", "kind": "pod", "keys": ["ns/pod-%d"]}'
    path.write_bytes(
        b'{"wundr_tui_recording": 1, "started": 0}\n'
        + (good % 0)
        + b"\n"
        + (good % 1)
        + b"\n{broken\n"
        + (good % 2)
        + b"\n"
    )
    source = ReplaySource(path, speed=64)
    events: list[Event] = []
    with pytest.raises(RecordingError) as exc:
        source.run(events.append, threading.Event())
    assert str(exc.value).startswith(f"{path}:4: malformed line")
    assert "\n" not in str(exc.value)
    assert events == [deleted(0), deleted(1)]
    assert source.finished and source.error == str(exc.value)


def test_run_reads_no_further_while_the_consumer_is_behind(recording: Path) -> None:
    """With a backlog over MAX_BACKLOG nothing is emitted; once it drains, playback goes on."""
    source = ReplaySource(recording, speed=0)
    behind = threading.Event()
    behind.set()
    source.backlog = lambda: 10**9 if behind.is_set() else 0  # far over MAX_BACKLOG
    events: list[Event] = []
    stop = threading.Event()
    thread = threading.Thread(target=source.run, args=(events.append, stop))
    thread.start()
    try:
        time.sleep(0.3)
        held = list(events)
        behind.clear()
        deadline = time.monotonic() + 5
        while len(events) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join(timeout=2)
    assert held == []
    assert events == [deleted(n) for n in range(5)]


async def test_the_app_tells_the_replay_its_backlog() -> None:
    """The app drains the pump, so it is what gives the replay its back-pressure."""
    from wundr_tui.app import WundrApp

    source = ReplaySource(RECORDINGS / "demo-start.jsonl", speed=0)
    app = WundrApp(Store(source.recording_clock), [source], replay=source)
    assert source.backlog is not None
    app.pump.emit(deleted(0))
    assert source.backlog() == app.pump.pending() == 1


# -- seek -----------------------------------------------------------------------------------


def test_seek_forward_emits_up_to_there_and_back_rewinds(recording: Path) -> None:
    """Forward: what is due by the new position comes at once. Back: Rewound, then the
    recording again from its start up to there; the position is where it was sent."""
    clock = FrozenClock(0.0)
    source = ReplaySource(recording, clock=clock)
    source.start()
    events: list[Event] = []
    source.emit_due(events.append)
    assert events == [deleted(0), deleted(1)]
    assert source.seek(25.0) == 25.0
    source.emit_due(events.append)
    assert events[2:] == [deleted(2), deleted(3)]
    events.clear()
    assert source.seek(12.0) == 12.0 and source.position == 12.0
    source.emit_due(events.append)
    assert events == [Rewound(), deleted(0), deleted(1), deleted(2)]
    events.clear()
    assert source.seek(-5) == 0.0, "kept within the recording"
    source.emit_due(events.append)
    assert events == [Rewound(), deleted(0), deleted(1)]


def test_seek_back_after_the_end_plays_again(recording: Path) -> None:
    """At its end a replay used to stop for good; a seek back now plays it again, and the
    end is known again once reached."""
    clock = FrozenClock(0.0)
    source = ReplaySource(recording, clock=clock)
    source.start()
    assert source.seek(1000.0) == 40.0, "the end is the last event"
    events: list[Event] = []
    source.emit_due(events.append)
    assert source.finished and len(events) == 5
    events.clear()
    source.seek(15.0)
    assert source.position == 15.0
    source.emit_due(events.append)
    assert events == [Rewound(), deleted(0), deleted(1), deleted(2)]
    assert not source.finished
    clock.advance(30.0)
    source.emit_due(events.append)
    assert events[-2:] == [deleted(3), deleted(4)] and source.finished


def test_a_seek_back_reaches_a_running_replay(recording: Path) -> None:
    """``run`` no longer returns at the end: it waits for a seek back or ``stop``."""
    source = ReplaySource(recording, speed=64)
    events: list[Event] = []
    stop = threading.Event()
    thread = threading.Thread(target=source.run, args=(events.append, stop))
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not source.finished and time.monotonic() < deadline:
            time.sleep(0.01)
        assert source.finished and len(events) == 5
        source.pause()
        source.seek(0.0)
        while len(events) < 8 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert events[5:] == [Rewound(), deleted(0), deleted(1)]
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


START = 1_764_115_200.0  # 2025-11-26 00:00:00 UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00:01:30", 90.0),
        ("00:01", 60.0),
        ("  00:02:00 ", 120.0),
        ("+30", 90.0),
        ("-30s", 30.0),
        ("+2m", 120.0),
        ("-5m", 0.0),
        ("start", 0.0),
        ("END", 120.0),
    ],
)
def test_parse_seek(text: str, expected: float) -> None:
    assert parse_seek(text, started=START, position=60.0, duration=120.0) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "cannot read 'abc': give hh:mm:ss"),
        ("", "cannot read ''"),
        ("+x", "cannot read '+x': +SECONDS or -SECONDS"),
        ("+nan", "cannot read '+nan'"),
        ("+inf", "cannot read '+inf'"),
        ("25:00:00", "'25:00:00' is not a time of day"),
        ("00:61", "'00:61' is not a time of day"),
        ("05:00:00", "05:00:00 is outside the recording (00:00:00 to 00:02:00)"),
        ("1:2:3:4", "cannot read '1:2:3:4'"),
    ],
)
def test_parse_seek_refuses_with_what_it_accepts(text: str, message: str) -> None:
    with pytest.raises(ValueError) as exc:
        parse_seek(text, started=START, position=60.0, duration=120.0)
    assert str(exc.value).startswith(message), str(exc.value)


def test_rewound_makes_the_store_forget_everything() -> None:
    """After Rewound the store is as new: no cluster, object, health or lag history; every
    object it held is a touched key, so panes drop its row."""
    path = RECORDINGS / "demo-120s.jsonl"
    source = ReplaySource(path, jump_to_end=True)
    store = Store(FrozenClock(DEFAULT_START + 120))
    batch: list[Event] = []
    source.emit_due(batch.append)
    store.apply(batch)
    pods = store.count(Kind.POD)
    assert pods and store.clusters and store.health and store.incidents()
    changes = store.apply([Rewound()])
    assert changes.clusters and changes.health
    assert len(changes.touched[Kind.POD]) == pods
    assert not store.clusters and not store.health and not store.lag_history
    assert store.count(Kind.POD) == 0 and store.incidents() == []
    assert len(store.timeline) == 0, "the timeline forgets too"
    again = Store(FrozenClock(DEFAULT_START + 120))
    again.apply(batch)
    store.apply(batch)
    assert store.incidents() == again.incidents(), "replayed again, the same incidents"
    assert [(e.what, e.subject) for e in store.timeline.entries()] == [
        (e.what, e.subject) for e in again.timeline.entries()
    ]
