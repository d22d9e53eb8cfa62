"""End to end in a real terminal (tmux, private socket): ``wundr-tui --demo`` at 80x24, the
blue-green switch typed-confirmed on a production cluster, then reverted with one key."""

from __future__ import annotations

import time
from pathlib import Path

from tests.e2e.test_tmux import Terminal, term
from wundr_tui.audit import read_entries

__all__ = ["term"]


def wait_gone(t: Terminal, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = t.screen()
    while time.monotonic() < deadline:
        screen = t.screen()
        if text not in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never went away; screen was:\n{screen}")


def test_blue_green_switch_and_revert_in_the_demo(term, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    t = term("--demo")
    screen = t.wait_for("BLUE/GRN")
    assert "live: green" not in screen
    t.keys("b")
    dialog = t.wait_for("type wundr-production")
    assert "production-blue" in dialog and "production-green" in dialog
    assert "dry run accepted" in dialog
    assert all(len(line) <= 80 for line in dialog.splitlines())
    t.keys("y", "Enter")  # a reflexive y does not switch production traffic
    t.wait_for("that is not wundr-production")
    t.keys("BSpace")
    # The edit clears the mismatch line: wait for it, so the name is typed into an empty
    # field (a loaded machine may still be drawing the mismatch when the keys arrive).
    wait_gone(t, "that is not wundr-production")
    t.keys("-l", "wundr-production")
    t.keys("Enter")
    screen = t.wait_for("live: green")
    assert "Revert switch" in t.wait_for("Revert switch"), "the footer offers u"
    t.keys("u")
    t.wait_for("type wundr-production")
    t.keys("-l", "wundr-production")
    t.keys("Enter")
    wait_gone(t, "type wundr-production")
    # The outcome's toast covers the right of the rows until it expires (its timeout, plus
    # what a loaded machine adds): wait for both rows to be readable again.
    deadline = time.monotonic() + 45
    while t.screen().count("live: blue") < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    screen = t.screen()
    assert screen.count("live: blue") == 2, screen
    assert "Revert switch" not in screen, "a revert offers no revert of its own"
    t.keys("q")
    # Demo actions have their own audit file, marked demo; the real log stays untouched.
    assert not (tmp_path / "wundr-tui" / "audit.jsonl").exists()
    entries = read_entries(tmp_path / "wundr-tui" / "audit-demo.jsonl")
    assert all(e["mode"] == "demo" for e in entries)
    assert [(e["action"], e["result"]) for e in entries] == [
        ("blue-green", "done"),
        ("blue-green", "done"),
    ]
    assert entries[0]["after"] == {"selector environment": "production-green"}
    assert entries[1]["after"] == {"selector environment": "production-blue"}
