"""``wundr-tui snapshot``: text fits 80 columns, the JSON schema, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RECORDINGS
from tests.fakes.apiserver import write_kubeconfig
from wundr_tui import snapshot
from wundr_tui.clock import FrozenClock
from wundr_tui.config import Config
from wundr_tui.recording import load_recording
from wundr_tui.store import Store

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wundr_tui", "snapshot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        check=False,
    )


class RecordedSource:
    """Emits every event of a committed recording at once (a fleet with incidents)."""

    name = "recorded"

    def __init__(self, recording: str = "demo-120s.jsonl") -> None:
        header, events = load_recording(RECORDINGS / recording)
        self.events = [event for _, event in events]
        self.end = float(header["started"]) + (events[-1][0] if events else 0.0)

    def run(self, emit: Any, stop: threading.Event) -> None:
        for event in self.events:
            emit(event)
        stop.wait(30)


def recorded_snapshot(fmt: str) -> tuple[int, str]:
    source = RecordedSource()
    out: list[str] = []
    code = snapshot.run(
        [source],
        Config(),
        fmt=fmt,
        timeout=5,
        store=Store(FrozenClock(source.end)),
        write=out.append,
    )
    return code, "".join(out)


def test_demo_text_fits_80_columns_and_exits_0() -> None:
    result = run_cli("--demo", "--format", "text")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("wundr-tui snapshot ")
    assert "SOURCES" in lines and "INCIDENTS (worst first)" in lines
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)


def test_incidents_in_text_fit_80_columns_and_critical_exits_1() -> None:
    code, text = recorded_snapshot("text")
    assert code == snapshot.EXIT_CRITICAL
    lines = text.splitlines()
    assert "CRITICAL" in lines[0]
    assert any(line.startswith("  CRIT ") for line in lines)
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)


def test_json_schema() -> None:
    code, text = recorded_snapshot("json")
    doc = json.loads(text)
    assert doc["schema"] == "wundr-tui/snapshot/v1"
    assert set(doc) == {
        "schema",
        "taken_at",
        "status",
        "exit_code",
        "complete",
        "waited_seconds",
        "counts",
        "clusters",
        "sources",
        "crashed",
        "incidents",
    }
    assert doc["status"] == "critical" and doc["exit_code"] == code == 1
    assert doc["complete"] is True
    assert set(doc["counts"]) == {"critical", "warning", "info"}
    assert doc["counts"]["critical"] == sum(
        1 for i in doc["incidents"] if i["severity"] == "critical"
    )
    for cluster in doc["clusters"]:
        assert set(cluster) == {"name", "tag", "cloud", "region", "cluster", "production"}
    assert doc["sources"]
    for source in doc["sources"]:
        assert set(source) == {"cluster", "source", "state", "reason", "since"}
        assert source["since"].endswith("Z")
    assert doc["incidents"]
    for incident in doc["incidents"]:
        assert set(incident) == {"severity", "cluster", "what", "subject", "detail", "since"}
        assert incident["severity"] in ("critical", "warning", "info")
    assert doc["taken_at"].endswith("Z")


def test_unreachable_cluster_exits_2(tmp_path: Path) -> None:
    # Port 9 on loopback: nothing listens, the connection is refused at once.
    kubeconfig = write_kubeconfig(
        tmp_path / "kubeconfig", {"bench-dead": ("http://127.0.0.1:9", "test-token")}
    )
    env = {
        **__import__("os").environ,
        "KUBECONFIG": str(kubeconfig),
        "WUNDR_TUI_CONFIG": str(tmp_path / "none.toml"),
    }
    (tmp_path / "none.toml").write_text("")
    result = run_cli("--context", "bench-dead", "--format", "json", "--timeout", "5", env=env)
    assert result.returncode == 2, result.stdout + result.stderr
    doc = json.loads(result.stdout)
    assert doc["status"] == "unreachable"
    assert doc["sources"] and all(s["state"] != "live" for s in doc["sources"])


def test_svg_is_the_tui_screen() -> None:
    result = run_cli("--demo", "--format", "svg")
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("<svg")
    screen = result.stdout.replace("&#160;", " ")
    assert "BLUE/GRN" in screen
    assert "DEMO" in screen and "READ-ONLY" in screen, "the demo's badge (a snapshot cannot act)"


def test_text_and_json_do_not_import_textual() -> None:
    code = (
        "import sys, wundr_tui.snapshot, wundr_tui.cli; "
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=60)


def test_demo_at_a_moment_shows_the_story_there() -> None:
    """``--demo --at 110`` is the story's worst moment: the critical alert and the crash loop
    are on (exit 1); ``--at 0`` is its calm start (exit 0). The CLI end to end, once."""
    result = run_cli("--demo", "--at", "110", "--format", "json")
    assert result.returncode == snapshot.EXIT_CRITICAL, result.stderr
    doc = json.loads(result.stdout)
    assert doc["status"] == "critical" and doc["complete"] is True
    assert all(s["state"] == "live" for s in doc["sources"]), doc["sources"]
    critical = {i["subject"] for i in doc["incidents"] if i["severity"] == "critical"}
    assert "HighErrorRate" in critical
    assert any("CrashLoopBackOff" in i["detail"] for i in doc["incidents"])


def demo_moment_text(at: int) -> tuple[int, str]:
    from tests.conftest import DEMO_START
    from wundr_tui import wiring

    wired = wiring.demo_moment(7, at, start=DEMO_START)
    out: list[str] = []
    code = snapshot.run(wired.sources, Config(), timeout=5, clock=wired.clock, write=out.append)
    return code, "".join(out)


def test_demo_moment_is_that_second_of_the_story() -> None:
    """The store's clock is the story's: at 0 nothing is wrong, at 110 the snapshot is taken
    110 s after the start and the alert has been firing a while."""
    calm_code, calm = demo_moment_text(0)
    assert calm_code == snapshot.EXIT_OK
    assert calm.splitlines()[0] == "wundr-tui snapshot 2025-11-26T00:00:00Z  OK"
    assert "CRIT" not in calm
    code, text = demo_moment_text(110)
    assert code == snapshot.EXIT_CRITICAL
    assert text.splitlines()[0] == "wundr-tui snapshot 2025-11-26T00:01:50Z  CRITICAL"
    assert any(line.startswith("  CRIT eks    ALERT") for line in text.splitlines())


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("-1", "--at must be between 0 and 299 seconds"),
        ("300", "--at must be between 0 and 299 seconds"),
        ("abc", "not a whole number of seconds: 'abc'"),
        ("1.5", "not a whole number of seconds: '1.5'"),
        ("nan", "not a whole number of seconds: 'nan'"),
    ],
)
def test_demo_at_bad_values_exit_2_with_one_line(
    value: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from wundr_tui.cli import main

    assert main(["snapshot", "--demo", f"--at={value}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("wundr-tui: ") and needle in err, err
    assert "Traceback" not in err


def test_at_without_demo_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    from wundr_tui.cli import main

    assert main(["snapshot", "--at", "110"]) == 2
    assert "--at needs --demo" in capsys.readouterr().err
