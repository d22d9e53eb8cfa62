"""Fewer bytes to the terminal: when low-bandwidth mode is on and what it changes.

No Textual here (the CLI decides before Textual loads); the patches that make Textual write
fewer bytes live in ``wundr_tui.terminal``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

ANSI_THEME = "ansi-dark"
"""Textual's theme in the terminal's own 16 colours, for low-bandwidth mode and for terminals
that show only 16: a colour change is a few bytes, and text in the default colours needs none
(over the table a changed restart count is a cursor move and its digits, as curses writes it)."""
LOW_BANDWIDTH_HZ = 2.0
"""Frames per second in low-bandwidth mode (normal: the config's ``refresh_hz``, 4)."""
LOW_BANDWIDTH_AGE_REFRESH = 15.0
"""Seconds between redraws of ticking age cells in low-bandwidth mode (normal: 5)."""


@dataclass(frozen=True, slots=True)
class Bandwidth:
    """How the cockpit spends terminal bytes."""

    low: bool = False
    """Low-bandwidth mode: fewer frames, no animation, ASCII borders, rare age ticks.
    (``$NO_COLOR`` turns colour off in either mode: Textual honours it.)"""
    why: str = ""
    """Why the mode is on (``--low-bandwidth``, ``config``, ``SSH_CONNECTION``)."""


def choose(flag: bool, configured: bool | None, env: Mapping[str, str] | None = None) -> Bandwidth:
    """The flag wins; then the config (``low_bandwidth = true/false``); unset config means
    automatic: on when the session came in over SSH."""
    env = os.environ if env is None else env
    if flag:
        return Bandwidth(True, "--low-bandwidth")
    if configured is not None:
        return Bandwidth(configured, "config" if configured else "")
    if env.get("SSH_CONNECTION"):
        return Bandwidth(True, "SSH_CONNECTION")
    return Bandwidth(False, "")
