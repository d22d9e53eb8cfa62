"""A one-line text sparkline (no widget: panes put it in a table cell)."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"
ASCII_BARS = "_.-~=+*#"


def sparkline(values: Sequence[float], width: int = 12, *, ascii_only: bool = False) -> str:
    """The last ``width`` values scaled from zero to their maximum."""
    bars = ASCII_BARS if ascii_only else BARS
    tail = list(values)[-width:]
    if not tail:
        return ""
    top = max(tail)
    if top <= 0:
        return bars[0] * len(tail)
    return "".join(bars[min(int(v / top * (len(bars) - 1) + 0.5), len(bars) - 1)] for v in tail)
