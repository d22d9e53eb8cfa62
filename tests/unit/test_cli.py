"""CLI: bad input exits 2 with one readable line and no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wundr_tui.cli import main


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wundr_tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=env,
    )


def assert_one_line_exit_2(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert needle in lines[0]
    assert lines[0].startswith("wundr-tui: ")


def test_unknown_flag() -> None:
    assert_one_line_exit_2(run_cli("--bogus"), "unrecognized arguments: --bogus")


def test_bad_refresh_value() -> None:
    assert_one_line_exit_2(run_cli("--demo", "--refresh", "fast"), "not a number")


def test_missing_replay_file(tmp_path: Path) -> None:
    assert_one_line_exit_2(run_cli("replay", str(tmp_path / "nope.jsonl")), "nope.jsonl")


def test_malformed_replay_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    assert_one_line_exit_2(run_cli("replay", str(bad)), "bad.jsonl")


def test_bad_config_file(tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text("refresh_hz = [")
    assert_one_line_exit_2(run_cli("--demo", "--config", str(bad)), "invalid TOML")


def test_missing_config_file(tmp_path: Path) -> None:
    assert_one_line_exit_2(run_cli("--demo", "--config", str(tmp_path / "x.toml")), "not found")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("wundr-tui ")


def test_library_logging_goes_to_the_state_file_not_the_terminal(tmp_path: Path) -> None:
    """Warnings from libraries (kubernetes, urllib3) must never reach stderr, Textual's screen."""
    code = (
        "import logging\nfrom wundr_tui.cli import log_to_file\n"
        "print(log_to_file())\nlogging.getLogger('urllib3').warning('retrying connection')\n"
    )
    env = {"XDG_STATE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    log = Path(result.stdout.strip())
    assert log == tmp_path / "wundr-tui" / "wundr-tui.log"
    assert "retrying connection" in log.read_text()


def test_without_a_terminal_it_says_so_instead_of_spinning() -> None:
    assert_one_line_exit_2(run_cli("--demo"), "needs a terminal")
