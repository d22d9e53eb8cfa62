"""Regenerate the committed recordings: ``python tests/recordings/make_recordings.py``.

Deterministic: the demo fleet on a frozen clock with a fixed seed, so running this twice
writes identical bytes (tests/unit/test_recording.py checks the committed files are current).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from wundr_tui.backends.demo import DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.recording import DEFAULT_START, Recorder, RecordingError

HERE = Path(__file__).resolve().parent

RECORDINGS: dict[str, int] = {
    "demo-start.jsonl": 0,
    "demo-120s.jsonl": 120,
    "demo-300s.jsonl": 300,
}
"""File name → simulated seconds of the demo (seed 7) it holds. 0: the initial events only;
120: ends while every kind of incident shows at once (both clusters together); 300: a cycle."""


def record_demo(
    path: str | os.PathLike[str], seconds: int, seed: int = 7, start: float = DEFAULT_START
) -> int:
    """Record a DemoFleet on a frozen clock for ``seconds`` simulated seconds; return events."""
    clock = FrozenClock(start)
    fleet = DemoFleet(seed, clock)
    with Recorder(path, clock) as recorder:
        recorder(fleet.initial_events())
        for _ in range(seconds):
            clock.advance(1)
            recorder(fleet.tick())
        if recorder.error:
            raise RecordingError(recorder.error)
        return recorder.events


def make(directory: Path = HERE) -> list[Path]:
    """Write every recording into ``directory``; return their paths."""
    paths = []
    for name, seconds in RECORDINGS.items():
        path = directory / name
        record_demo(path, seconds, seed=7)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for path in make(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"{path}: {path.stat().st_size // 1024} KiB")
