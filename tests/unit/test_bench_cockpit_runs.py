"""The cockpit benchmarks (scale, churn, idle, keys under load) run end to end at tiny sizes
and print their tables. No timing is asserted here: bench/ measures, tests only check it runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("script", "args", "rows"),
    [
        (
            "scale.py",
            ["--pods", "60", "--hpas", "4", "--nodes", "8", "--timeout", "40"],
            [
                "fake apiserver profile",
                "first pod rows on screen",
                "start → complete Pods pane",
                "memory per pod",
            ],
        ),
        (
            "churn.py",
            [
                "--pods",
                "60",
                "--seconds",
                "1.5",
                "--low-seconds",
                "1",
                "--settle",
                "0.3",
                "--share",
                "5",
                "--uniform-seconds",
                "1",
            ],
            [
                "fake apiserver profile",
                "event → screen p50 / p95",
                "bytes/s to the terminal",
                "uniform churn",
                "fake apiserver CPU",
                "low-bandwidth mode",
            ],
        ),
        (
            "idle.py",
            ["--pods", "60", "--seconds", "1", "--low-seconds", "1", "--settle", "0.3"],
            ["CPU, share of one core", "low-bandwidth mode: bytes/s"],
        ),
        (
            "keys.py",
            ["--pods", "60", "--rounds", "1"],
            ["switch pane (1, 2)", "type a filter key", "every key: p50 / p95"],
        ),
        (
            "detail.py",
            ["--pods", "60", "--rounds", "1"],
            ["Enter → detail + last termination + events", "baseline: switch pane (1, 2)"],
        ),
        (
            "wire.py",
            ["--pods", "200"],
            ["fake fast", "fake calibrated", "pages of 500", "watch-list", "(served)"],
        ),
    ],
    ids=["scale", "churn", "idle", "keys", "detail", "wire"],
)
def test_bench_script_runs_and_prints_its_table(
    script: str, args: list[str], rows: list[str]
) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "| measure" in out.stdout, out.stdout
    for row in rows:
        assert row in out.stdout, out.stdout
