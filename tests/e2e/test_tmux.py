"""End to end: ``wundr-tui --demo`` in a real terminal (tmux, private socket), read back with
``capture-pane`` — the way a person at 80x24 over SSH sees it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from wundr_tui.model import Incident

TMUX = shutil.which("tmux")
if TMUX is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("tmux is missing: install the Debian package tmux")
    pytest.skip("tmux not installed (Debian package: tmux)", allow_module_level=True)


class Terminal:
    """One tmux server on a private socket with one window running a command."""

    def __init__(self, command: list[str], size: tuple[int, int], env: dict[str, str]) -> None:
        self.socket = f"wundr-test-{uuid.uuid4().hex[:8]}"
        width, height = size
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        shell = f"env {exports} {' '.join(command)}; sleep 5"
        self.tmux("new-session", "-d", "-x", str(width), "-y", str(height), shell)

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        out = subprocess.run(
            [TMUX, "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return out.stdout

    def screen(self) -> str:
        try:
            return self.tmux("capture-pane", "-p")
        except subprocess.CalledProcessError:
            return ""  # the window has closed

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def close(self) -> None:
        subprocess.run(
            [TMUX or "tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10
        )


@pytest.fixture
def term(tmp_path: Path) -> Iterator[object]:
    made: list[Terminal] = []

    def start(*args: str, size: tuple[int, int] = (80, 24), **env: str) -> Terminal:
        base = {
            "TERM": "xterm-256color",
            # The terminal says what it can through TERM alone (the suite's own environment
            # claims truecolor; tmux would pass that on).
            "COLORTERM": "",
            "XDG_CONFIG_HOME": str(tmp_path),
            "XDG_STATE_HOME": str(tmp_path),
        }
        t = Terminal([sys.executable, "-m", "wundr_tui", *args], size, {**base, **env})
        made.append(t)
        return t

    yield start
    for t in made:
        t.close()


def test_demo_at_80x24_shows_incidents_and_switches_panes(term) -> None:  # type: ignore[no-untyped-def]
    t = term("--demo")
    screen = t.wait_for("BLUE/GRN")
    assert "EKS" in screen and "GKE" in screen
    assert "live" in screen
    assert all(len(line) <= 80 for line in screen.splitlines())
    t.keys("2")
    screen = t.wait_for("NAMESPACE")  # at 80 columns the column is dropped to the detail line
    # Worst first: the failing and unready pods on top, healthy ones below them.
    assert "worst first" in screen and "Running" in screen
    assert "NAMESPACE kube-system" in screen
    t.keys(":", "d", "b", "Enter")
    t.wait_for("REPLICA")
    t.keys("q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "REPLICA" in t.screen():
        time.sleep(0.2)
    assert "REPLICA" not in t.screen(), "q quits"


def test_demo_without_colour_in_16_colour_terminal(term) -> None:  # type: ignore[no-untyped-def]
    t = term("--demo", TERM="xterm", NO_COLOR="1")
    screen = t.wait_for("BLUE/GRN")
    assert "Incident" in screen
    escapes = t.tmux("capture-pane", "-p", "-e")
    assert "38;5;" not in escapes and "38;2;" not in escapes, "no 256/true colour under NO_COLOR"


def test_record_then_replay_shows_same_panes(term, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rec = tmp_path / "x.jsonl"
    t = term("--demo", "--record", str(rec), size=(100, 30))
    t.wait_for("BLUE/GRN")
    t.keys("6")
    live_alerts = t.wait_for("ALERT")
    time.sleep(1.0)
    t.keys("q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and rec.stat().st_size == 0:
        time.sleep(0.2)
    assert rec.stat().st_size > 0
    r = term("replay", str(rec), size=(100, 30))
    r.wait_for("BLUE/GRN")
    for key, header in (("2", "NAMESPACE"), ("4", "POOL"), ("5", "REPLICA"), ("7", "PHASE")):
        r.keys(key)
        r.wait_for(header)
    r.keys("6")
    replayed = r.wait_for("ALERT")
    assert ("wundr-platform" in live_alerts) == ("wundr-platform" in replayed)


CHANGE_WORDS = ("rollout ", "blue/green ", "service ", "action ")
"""How a story's headline names the change that came just before it."""


def reason(i: Incident) -> str:
    """The words that say why a row is there: an alert's name, else the first clause of its
    detail (``CrashLoopBackOff``, ``not ready``, ``at max 20/20``, ``lag 1m05s``,
    ``6 pods Pending``, ``FailedMount x2``…)."""
    if i.what == "ALERT":
        return i.subject
    first = i.detail.split(" · ")[0].split(", ")[0].split(" (")[0]
    return first if i.what == "BLUE/GREEN" else first.split(": ")[0]


def test_every_incident_rows_reason_reads_at_80x24_no_color_at_the_worst_moment(term) -> None:  # type: ignore[no-untyped-def]
    """Issues 13 and 14's bar: at 80x24 with NO_COLOR and TERM=xterm, on the demo's busiest
    second, the whole situation of both clouds is on screen in at most 6 lines (stories, and
    the rows that belong to none), each saying its cause, with no key pressed."""
    from tests.conftest import demo_store, demo_worst_moment
    from wundr_tui.stories import Story, store_stories
    from wundr_tui.widgets.cluster_bar import cluster_tags

    at = demo_worst_moment()
    store = demo_store(at)
    rows = store.incidents()
    assert len(rows) >= 15, "the busiest second has every kind of incident"
    told = store_stories(store, rows, cluster_tags(list(store.clusters.values())))
    assert len(told) <= 6, told
    t = term("--demo", "--at", str(at), NO_COLOR="1", TERM="xterm")
    deadline = time.monotonic() + 30
    screen = ""
    while time.monotonic() < deadline:
        screen = t.screen()
        lines = screen.splitlines()
        table = [line for line in lines if line.startswith((" CRIT", " WARN", " info"))]
        if len(table) == len(told):
            break
        time.sleep(0.1)
    assert len(table) == len(told), f"{len(told)} lines at {at}s; screen:\n{screen}"
    assert "\x1b" not in screen and all(len(line) <= 80 for line in lines)
    # Counts move from second to second (17/20 ready, lag 1m05s): the words must be there.
    shown = [re.sub(r"\d+", "#", line) for line in table]
    for item in told:
        i = item.row({}) if isinstance(item, Story) else item
        # A story's cause comes first: here the change just before it (the cockpit started
        # --at the moment tells the story's history at its own times, as one that watched).
        first = i.detail.split(" → ")[0] if isinstance(item, Story) else reason(i)
        if isinstance(item, Story) and item.before:
            assert first.startswith(CHANGE_WORDS), first
        subject = re.sub(r"\d+", "#", i.subject.rsplit("/", 1)[-1][:12])
        why = re.sub(r"\d+", "#", first)[:20]
        found = [line for line in shown if subject in line and why in line]
        assert found, f"{i.what} {i.subject}: {first!r} not on its line:\n{screen}"
