"""OSC 52 end to end: the copy keys in ``wundr-tui --demo`` inside a real tmux with
``set-clipboard on``, read back with ``tmux show-buffer`` — what a person gets over SSH and
tmux when they press the key and paste."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.e2e.test_tmux import Terminal, term  # noqa: F401  (the fixture)


def buffer(t: Terminal, unlike: str = "", timeout: float = 10.0) -> str:
    """tmux's newest paste buffer once one arrives (and differs from ``unlike``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            text = t.tmux("show-buffer")
        except subprocess.CalledProcessError:
            text = ""  # no buffer yet
        if text and text != unlike:
            return text
        time.sleep(0.2)
    raise AssertionError(f"no new tmux buffer; screen was:\n{t.screen()}")


def test_copy_keys_reach_tmux_buffer(term) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    t = term("--demo", size=(120, 30))
    t.tmux("set-option", "-g", "set-clipboard", "on")
    t.wait_for("BLUE/GRN")
    t.keys("2")
    t.wait_for("NAMESPACE")
    t.keys("n")
    name = buffer(t)
    screen = t.wait_for("copied name")
    assert name in screen, "the name of a row on screen"
    assert name.isprintable() and " " not in name
    t.keys("K")
    command = buffer(t, unlike=name)
    assert command.startswith("kubectl --context arn:aws:eks:") or command.startswith(
        "kubectl --context gke_"
    ), command
    assert command.endswith(f"describe pod {name}"), command


def test_k9s_profile_c_copies(term, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    (tmp_path / "wundr-tui").mkdir()
    (tmp_path / "wundr-tui" / "config.toml").write_text('keys = "k9s"\n')
    t = term("--demo", size=(120, 30))
    t.tmux("set-option", "-g", "set-clipboard", "on")
    t.wait_for("BLUE/GRN")
    t.keys("F2")  # k9s's digits pick namespaces: the panes are on F-keys
    t.wait_for("NAMESPACE")
    t.keys("c")
    name = buffer(t)
    assert name in t.wait_for("copied name")
