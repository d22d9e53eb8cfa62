"""The Kubernetes benchmark runs end to end at a tiny size and prints its table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_kube_bench_runs_and_prints_the_table() -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "kube_bench.py"),
            "--pods",
            "200",
            "--seconds",
            "2",
            "--contexts",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    for row in (
        "fake apiserver profile",
        "CPU ratio models / wundr-tui",
        "memory per pod in the store",
        "watch CPU at 200 events/s",
        "latency p50 / p95",
    ):
        assert row in out.stdout, out.stdout
