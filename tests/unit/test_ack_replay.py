"""The ack state travels in recordings: a recorded demo whose alerts an ``ack:`` silence
covers replays with "acked by ..." on the alert and its Incident row (old recordings, without
the ack fields, still load: every field has a default)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DEMO_START, RECORDINGS
from wundr_tui.backends.demo import EKS_CONTEXT, DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.model import Alert, Kind
from wundr_tui.recording import Recorder, load_recording
from wundr_tui.store import Store


def test_a_recorded_ack_shows_in_the_replay(tmp_path: Path) -> None:
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    path = tmp_path / "acked.jsonl"
    with Recorder(path, clock) as record:
        record(fleet.initial_events())
        for second in range(150):
            clock.advance(1.0)
            if second == 120:
                fleet.create_silence(
                    EKS_CONTEXT,
                    {"alertname": "HighErrorRate", "namespace": "wundr-platform"},
                    3600,
                    "ack: HighErrorRate wundr-platform/api-gateway",
                    "alice",
                )
            record(fleet.tick())
    _, events = load_recording(path)
    store = Store(FrozenClock(DEMO_START + 150))
    store.apply([e for _, e in events])
    (acked,) = [
        a
        for a in store.items(EKS_CONTEXT, Kind.ALERT).values()
        if isinstance(a, Alert) and a.acked_by
    ]
    assert (acked.name, acked.acked_by, acked.ack_until - acked.acked_at) == (
        "HighErrorRate",
        "alice",
        3600,
    )
    rows = [i for i in store.incidents() if i.what == "ALERT" and i.subject == "HighErrorRate"]
    assert rows and rows[0].cluster == EKS_CONTEXT
    assert rows[0].detail.startswith("acked by alice 30s ago, 59m left · "), rows[0].detail


def test_old_recordings_have_no_acks() -> None:
    _, events = load_recording(RECORDINGS / "demo-120s.jsonl")
    store = Store(FrozenClock(DEMO_START))
    store.apply([e for _, e in events])
    found = [a for c in store.clusters for a in store.items(c, Kind.ALERT).values()]
    assert found and not any(isinstance(a, Alert) and a.acked_by for a in found)
