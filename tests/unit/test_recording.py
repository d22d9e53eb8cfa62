"""Recording the event stream to JSON lines and reading it back, with readable errors."""

from __future__ import annotations

import importlib.util
import math
import resource
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.pty_run import PtyApp
from wundr_tui.backends.demo import DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.events import ClusterSeen, Deleted, Event, Replaced, Upserted
from wundr_tui.model import Kind, Pod
from wundr_tui.pump import EventPump
from wundr_tui.recording import (
    DEFAULT_START,
    Recorder,
    RecordingError,
    load_recording,
    read_recording,
)

RECORDINGS = Path(__file__).resolve().parents[1] / "recordings"
POD = Pod("wundr-platform", "web-client-5d8f9c7b4-x2k4p", "Running", 2, 2, 0, 1.0, "n1", "web")


def test_recorder_writes_a_header_then_one_timed_line_per_event(tmp_path: Path) -> None:
    clock = FrozenClock(1000.0)
    path = tmp_path / "r.jsonl"
    first: list[Event] = [
        ClusterSeen(DemoFleet(clock=clock).clusters()[0]),
        Replaced("c", Kind.POD, (POD,)),
    ]
    with Recorder(path, clock) as recorder:
        recorder(first)
        clock.advance(1.5)
        recorder([Deleted("c", Kind.POD, (POD.key,))])
        recorder([])
    lines = path.read_bytes().splitlines()
    assert orjson.loads(lines[0]) == {"wundr_tui_recording": 1, "started": 1000.0}
    assert [orjson.loads(line)["t"] for line in lines[1:]] == [0.0, 0.0, 1.5]
    assert recorder.events == 3
    deleted = Deleted("c", Kind.POD, (POD.key,))
    assert read_recording(path) == [(0.0, first[0]), (0.0, first[1]), (1.5, deleted)]
    header, _ = load_recording(path)
    assert header["started"] == 1000.0


def test_recorder_is_a_pump_tap(tmp_path: Path) -> None:
    pump = EventPump()
    recorder = Recorder(tmp_path / "tap.jsonl", FrozenClock())
    pump.taps.append(recorder)
    pump.emit(Upserted("c", Kind.POD, (POD,)))
    pump.drain()
    recorder.close()
    recorder([Upserted("c", Kind.POD, (POD,))])  # after close: ignored, no error
    assert read_recording(tmp_path / "tap.jsonl") == [(0.0, Upserted("c", Kind.POD, (POD,)))]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_failing_disk_stops_the_recording_without_raising() -> None:
    recorder = Recorder("/dev/full", FrozenClock())
    recorder([Upserted("c", Kind.POD, (POD,))])
    assert recorder.error is not None and "/dev/full" in recorder.error


def test_an_unwritable_path_fails_before_recording_starts(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Recorder(tmp_path / "missing-dir" / "r.jsonl")


def one_line(exc: pytest.ExceptionInfo[RecordingError]) -> str:
    text = str(exc.value)
    assert "\n" not in text
    return text


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RecordingError) as exc:
        read_recording(tmp_path / "nope.jsonl")
    assert one_line(exc) == f"{tmp_path / 'nope.jsonl'}: no such file"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(RecordingError) as exc:
        read_recording(tmp_path)
    assert "is a directory" in one_line(exc)


@pytest.mark.parametrize(
    "content",
    [b"", b"hello\n", b'{"type": "ClusterSeen"}\n', b"[1, 2]\n", b"\xff\xfe\n"],
    ids=["empty", "text", "json-without-header", "array", "binary"],
)
def test_not_a_recording(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(content)
    with pytest.raises(RecordingError) as exc:
        read_recording(path)
    assert one_line(exc) == f"{path}: not a wundr-tui recording (no header on line 1)"


def test_newer_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"wundr_tui_recording": 99, "started": 0}\n')
    with pytest.raises(RecordingError) as exc:
        read_recording(path)
    assert "format 99 is not supported" in one_line(exc)


GOOD = orjson.dumps({"t": 0.0, "type": "Deleted", "cluster": "c", "kind": "pod", "keys": ["a"]})


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (b"{not json", "malformed line"),
        (b'{"type": "Deleted", "cluster": "c", "kind": "pod", "keys": []}', "no time field"),
        (b'{"t": "soon", "type": "Deleted", "cluster": "c", "kind": "pod", "keys": []}', "time"),
        (b'{"t": 1, "type": "Exploded"}', "unknown event type"),
        (b'{"t": 1, "type": "Upserted", "cluster": "c", "kind": "spaceship", "items": []}', ""),
        (b'{"t": 1, "type": "Upserted", "cluster": "c", "kind": "pod", "items": [{"x": 1}]}', ""),
        (b"42", "not a JSON object"),
    ],
)
def test_a_malformed_line_is_named_by_number(tmp_path: Path, bad: bytes, reason: str) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"wundr_tui_recording": 1, "started": 0}\n' + GOOD + b"\n" + bad + b"\n")
    with pytest.raises(RecordingError) as exc:
        read_recording(path)
    text = one_line(exc)
    assert text.startswith(f"{path}:3: malformed line")
    assert reason in text


def test_blank_lines_are_skipped_and_times_never_go_back(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    late = GOOD.replace(b'"t":0.0', b'"t":5.0')
    path.write_bytes(b'{"wundr_tui_recording": 1, "started": 0}\n' + late + b"\n\n" + GOOD)
    assert [t for t, _ in read_recording(path)] == [5.0, 5.0]


def test_record_demo_is_deterministic_and_matches_the_fleet(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    record_demo = load_make_recordings().record_demo
    count = record_demo(a, 20)
    record_demo(b, 20)
    assert a.read_bytes() == b.read_bytes()

    clock = FrozenClock(DEFAULT_START)
    fleet = DemoFleet(7, clock)
    expected: list[tuple[float, Event]] = [(0.0, e) for e in fleet.initial_events()]
    for second in range(1, 21):
        clock.advance(1)
        expected.extend((float(second), e) for e in fleet.tick())
    assert read_recording(a) == expected
    assert count == len(expected)


def load_make_recordings() -> ModuleType:
    script = RECORDINGS / "make_recordings.py"
    spec = importlib.util.spec_from_file_location("make_recordings", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_recordings_are_small_readable_and_current(tmp_path: Path) -> None:
    made = load_make_recordings().make(tmp_path)
    assert {p.name for p in made} >= {"demo-start.jsonl", "demo-300s.jsonl"}
    for fresh in made:
        committed = RECORDINGS / fresh.name
        # 340 KiB: the demo's pods carry their labels (for /-l) since issue 15; 318 KiB then.
        assert committed.stat().st_size < 340 * 1024
        # Compared as events, not bytes: a new model field with a default does not date them.
        events = read_recording(committed)
        assert events == read_recording(fresh), (
            f"{committed.name} is out of date: run python tests/recordings/make_recordings.py"
        )
        assert isinstance(events[0][1], ClusterSeen)
    assert read_recording(RECORDINGS / "demo-300s.jsonl")[-1][0] == 300.0
    assert {t for t, _ in read_recording(RECORDINGS / "demo-start.jsonl")} == {0.0}


# -- --record in the cockpit, on a pty ------------------------------------------------------


def demo_recording_to(path: str, tmp_path: Path, **kwargs: Any) -> PtyApp:
    """``wundr-tui --demo --record PATH`` on a pty, its state and config kept in tmp_path."""
    env = {
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    return PtyApp(["--demo", "--record", path], env=env, **kwargs)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_record_to_a_path_that_cannot_take_it_exits_2_before_the_app(tmp_path: Path) -> None:
    """A full disk (/dev/full: not even the header fits) or a missing directory: one line,
    exit 2, and the cockpit never starts."""
    for path, reason in (
        ("/dev/full", "No space left on device"),
        (str(tmp_path / "missing" / "r.jsonl"), "No such file or directory"),
    ):
        app = demo_recording_to(path, tmp_path)
        try:
            status = app.wait(timeout=30)
            out = app.screen.decode(errors="replace")
        finally:
            app.close()
        assert status == 2, out[-2000:]
        assert reason in out and path in out
        assert "Incident" not in out, "the app started"
        assert len(out.strip().splitlines()) == 1


def test_a_recording_that_stops_mid_run_says_so_and_the_exit_is_not_zero(
    tmp_path: Path,
) -> None:
    """The file may grow only a little past the demo's first events (RLIMIT_FSIZE stands in for
    a disk that fills up): the failure shows on screen, and quitting exits non-zero."""
    limit = (RECORDINGS / "demo-start.jsonl").stat().st_size + 2048

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    target = tmp_path / "r.jsonl"
    app = demo_recording_to(str(target), tmp_path, preexec_fn=small_files)
    try:
        assert app.wait_for(b"Recording stopped", timeout=60), app.screen[-3000:]
        assert app.wait_for(b"File too large", timeout=5)
        app.press(b"q")
        status = app.wait(timeout=20)
    finally:
        app.close()
    assert status not in (0, None)
    assert b"recording stopped" in app.screen
    assert target.stat().st_size <= limit


def test_a_line_over_the_cap_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    """17 MiB without a newline after a good line: one line naming it, not a parse of it."""
    path = tmp_path / "x.jsonl"
    with path.open("wb") as f:
        f.write(b'{"wundr_tui_recording": 1, "started": 0}\n' + GOOD + b"\n")
        f.write(b'{"t": 1, "type": "Deleted", "keys": ["' + b"a" * (17 << 20) + b'"]}\n')
    with pytest.raises(RecordingError) as exc:
        read_recording(path)
    assert one_line(exc) == f"{path}:3: line longer than 16,777,216 bytes: not a recording line"


def test_a_message_naming_a_crafted_file_is_made_safe(tmp_path: Path) -> None:
    """A file name holding terminal controls (it came in a chat message): the one-line
    message shows them as escapes, for the terminal it is printed on."""
    path = tmp_path / "x\x1b[2J\u202e.jsonl"
    path.write_bytes(b'{"wundr_tui_recording": 1, "started": 0}\n{broken\n')
    with pytest.raises(RecordingError) as exc:
        read_recording(path)
    text = one_line(exc)
    assert "\x1b" not in text and "\u202e" not in text
    assert text.startswith(f"{tmp_path}/x\\x1b[2J\\u202e.jsonl:2: malformed line")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
POD_FIELDS = {
    "namespace": str,
    "name": str,
    "status": str,
    "ready": int,
    "containers": int,
    "restarts": int,
    "created": float,
    "node": str,
    "owner": str,
}


@given(field=st.sampled_from(sorted(POD_FIELDS)), value=JSON)
def test_any_value_in_any_pod_field_is_checked_or_refused(field: str, value: object) -> None:
    """A recording may put any JSON value in a field: it decodes to the model's type or the
    line is refused in one line, never another exception and never a wrong type let through
    (which a pane would trip on later)."""
    pod = orjson.loads(orjson.dumps(POD))
    pod[field] = value
    try:
        line = orjson.dumps(
            {"t": 1, "type": "Upserted", "cluster": "c", "kind": "pod", "items": [pod]}
        )
    except (TypeError, orjson.JSONEncodeError):  # NaN and friends are not JSON
        return
    body = b'{"wundr_tui_recording": 1, "started": 0}\n' + line + b"\n"
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as f:
        f.write(body)
        f.flush()
        try:
            ((_, event),) = read_recording(f.name)
        except RecordingError as exc:
            assert "\n" not in str(exc)
            return
    assert isinstance(event, Upserted)
    (decoded,) = event.items
    for name, want in POD_FIELDS.items():
        got = getattr(decoded, name)
        if want is float:
            assert isinstance(got, int | float) and not isinstance(got, bool)
            assert math.isfinite(got)
        elif want is int:
            assert isinstance(got, int) and not isinstance(got, bool)
        else:
            assert isinstance(got, want)
