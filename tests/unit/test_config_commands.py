"""Every command (cockpit, snapshot, audit, replay) stops on a bad config the same way:
exit 2, exactly one line on stderr naming the key, no traceback, nothing else done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wundr_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
RECORDING = str(ROOT / "tests" / "recordings" / "demo-start.jsonl")
COMMANDS = {
    "cockpit": ["--demo"],
    "snapshot": ["snapshot", "--demo"],
    "audit": ["audit"],
    "replay": ["replay", RECORDING],
}
BAD = [
    ("read_onyl = true\n", "unknown key 'read_onyl' (did you mean 'read_only'?)"),
    ('refresh_hz = "fast"\n', "refresh_hz: expected a number, got 'fast'"),
    ("refresh_hz = nan\n", "refresh_hz = nan is out of range"),
    ("stale_after = inf\n", "stale_after = inf is out of range"),
    ("[poll_seconds]\nnodepools = -5\n", "poll_seconds.nodepools = -5 is out of range"),
    ('[poll_seconds]\nalerts = "x"\n', "poll_seconds.alerts: expected a number"),
    ("[actions]\nrevert_seconds = -1\n", "actions.revert_seconds = -1 is out of range"),
    (
        '[[clusters]]\ncontext = "kind-dev"\nnamespaces = ["../../../api/v1/secrets"]\n',
        "clusters[0].namespaces[0] = '../../../api/v1/secrets' is not a DNS-1123 label",
    ),
]


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No real config, audit log or terminal state of the developer is read or written."""
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS)
def test_a_bad_config_stops_every_command_with_one_line_and_exit_2(
    command: str, isolated: Path
) -> None:
    config = isolated / "config.toml"
    config.write_text("read_onyl = true\n")
    env = {**os.environ, "WUNDR_TUI_CONFIG": str(config)}
    result = subprocess.run(
        [sys.executable, "-m", "wundr_tui", *COMMANDS[command]],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"wundr-tui: {config}: unknown key 'read_onyl' (did you mean 'read_only'?)\n"
    )
    assert result.stdout == "", "nothing else was done"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("text", "needle"), BAD, ids=[b[1].split(" ")[0] for b in BAD])
def test_every_kind_of_config_error_is_one_line_from_every_command(
    command: str,
    text: str,
    needle: str,
    isolated: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = isolated / "c.toml"
    config.write_text(text)
    assert main([*COMMANDS[command], "--config", str(config)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"wundr-tui: {config}: ")
    assert needle in err


def test_a_context_flag_that_would_reach_an_api_path_is_refused(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["snapshot", "--context", "gke_wundr-platform_us-central1_../../x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wundr-tui: --context 'gke_wundr-platform_us-central1_../../x' is not")
    assert err.count("\n") == 1
