"""``make test`` and CI say why each test skipped: the project's pytest options (``-ra`` in
pyproject's addopts) print every skip's reason in the summary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_skipped_test_prints_its_reason(tmp_path: Path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "import pytest\n\n"
        "def test_skipped() -> None:\n"
        "    pytest.skip('prometheus not installed (apt-get install prometheus)')\n"
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            str(probe),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    summary = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED [1] ")]
    assert summary, run.stdout
    assert summary[0].endswith(
        "test_probe.py:4: prometheus not installed (apt-get install prometheus)"
    )
