"""The mode badge: ``DEMO``, ``REPLAY 00:01:50 \u00d72``, ``READ-ONLY``, first on the cluster bar of
every pane, so what the cockpit is connected to (and whether it can act) is never a guess.

Drawn bold and reversed, so it reads the same in colour, in 16 colours and with ``NO_COLOR``;
the colours are light ones, because ``NO_COLOR`` turns a colour into a grey, and a dark grey
reversed on the bar's dark grey cannot be read (by luminance magenta and red are ~59/255, the
bar 45): light colours stay light whichever way the grey is taken.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text

from wundr_tui.model import Cluster


@dataclass(frozen=True, slots=True)
class Mode:
    """What the cockpit runs on, as the badge shows it."""

    demo: bool = False
    """The built-in simulated fleet: its actions change nothing real."""
    read_only: bool = False
    """``--read-only`` (or ``read_only = true``): no mutating request is sent."""
    replay_at: float | None = None
    """A replay: the recording's clock at the current position (epoch seconds); None: none."""
    speed: float = 1.0
    """The replay's speed (1 is the recorded pace)."""
    paused: bool = False
    """The replay is paused."""
    ended: bool = False
    """The replay has played its last event."""


def clock_text(epoch: float) -> str:
    """``hh:mm:ss`` in UTC, as every time the cockpit shows."""
    return time.strftime("%H:%M:%S", time.gmtime(epoch))


TIMES = "\u00d7"
"""The multiplication sign before a replay's speed (Latin-1: every terminal has it)."""


def speed_text(speed: float) -> str:
    """``\u00d72``, ``\u00d70.25``."""
    return f"{TIMES}{speed:g}"


PROD_STYLE = "bold bright_white on red"
"""The PROD badge: bold white on red, so it stands out on the bar's red (``-production``) in
truecolor, reads on the 16-colour bar's ANSI red and, with ``NO_COLOR``, is white on a grey:
there the word does the work."""


def prod_badge(dim: bool = False) -> Text:
    """`` PROD ``: the cluster beside it (or the object's) is production."""
    return Text(" PROD ", style="dim reverse" if dim else PROD_STYLE)


def any_production(clusters: Iterable[Cluster], chosen: str | None = None) -> bool:
    """Whether a production cluster is among those shown (``chosen``, or every one)."""
    return any(c.production for c in clusters if chosen is None or c.name == chosen)


def mode_badge(mode: Mode) -> Text:
    """The badges of ``mode``, each `` NAME `` reversed, one space apart; empty when live."""
    text = Text(no_wrap=True)
    parts: list[tuple[str, str]] = []
    if mode.demo:
        parts.append(("DEMO", "bold reverse bright_yellow"))
    if mode.replay_at is not None:
        at = clock_text(mode.replay_at)
        if mode.ended:
            label = f"REPLAY ended {at}"
        else:
            label = f"REPLAY {at} {speed_text(mode.speed)}" + (" paused" if mode.paused else "")
        parts.append((label, "bold reverse bright_cyan"))
    if mode.read_only:
        parts.append(("READ-ONLY", "bold reverse green"))
    for i, (label, style) in enumerate(parts):
        if i:
            text.append(" ")
        text.append(f" {label} ", style=style)
    return text
