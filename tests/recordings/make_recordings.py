"""Regenerate the committed recordings: ``python tests/recordings/make_recordings.py``.

Deterministic: the demo fleet on a frozen clock with a fixed seed, so running this twice
writes identical bytes (tests/unit/test_recording.py checks the committed files are current).
"""

from __future__ import annotations

import sys
from pathlib import Path

from wundr_tui.recording import record_demo

HERE = Path(__file__).resolve().parent

RECORDINGS: dict[str, int] = {
    "demo-start.jsonl": 0,
    "demo-120s.jsonl": 120,
    "demo-300s.jsonl": 300,
}
"""File name → simulated seconds of the demo (seed 7) it holds. 0: the initial events only;
120: ends while every kind of incident shows at once (both clusters together); 300: a cycle."""


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
