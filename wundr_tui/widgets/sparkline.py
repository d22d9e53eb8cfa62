"""A one-line text sparkline (no widget: panes put it in a table cell)."""

from __future__ import annotations

from collections.abc import Sequence

BARS = "▁▂▃▄▅▆▇█"
ASCII_BARS = "_.-~=+*#"
HALF = len(BARS) // 2
"""With a threshold, the lower half of the bars is below it and the upper half at or above it:
the threshold is the line through the middle of the cell, the same for every row."""


def sparkline(
    values: Sequence[float],
    width: int = 12,
    *,
    ascii_only: bool = False,
    top: float | None = None,
    threshold: float | None = None,
) -> str:
    """The last ``width`` values as bars from zero to ``top`` (default: their own maximum).

    A pane passes one ``top`` to every row, so bars compare across rows (a 0.4 s lag beside a
    65 s one draws a low bar, not a full one). With a ``threshold``, values below it take the
    lower half of the bars (scaled zero to threshold) and values at or above it the upper half
    (threshold to ``top``): a bar that crosses the middle is over the threshold.
    """
    bars = ASCII_BARS if ascii_only else BARS
    tail = list(values)[-width:]
    if not tail:
        return ""
    high = max(tail) if top is None else max(top, max(tail))
    if threshold is not None and threshold > 0:
        return "".join(bars[_split_level(v, threshold, max(high, threshold))] for v in tail)
    if high <= 0:
        return bars[0] * len(tail)
    last = len(bars) - 1
    return "".join(bars[min(max(int(v / high * last + 0.5), 0), last)] for v in tail)


def _split_level(value: float, threshold: float, top: float) -> int:
    """The bar of one value on a scale split at the threshold (see ``sparkline``)."""
    if value < threshold:
        return min(max(int(value / threshold * HALF), 0), HALF - 1)
    if top <= threshold:
        return HALF
    upper = len(BARS) - 1 - HALF
    return min(HALF + int((value - threshold) / (top - threshold) * upper + 0.5), len(BARS) - 1)


def over_threshold(values: Sequence[float], width: int, threshold: float) -> list[bool]:
    """For each bar ``sparkline`` draws, whether its value is at or over the threshold."""
    return [v >= threshold for v in list(values)[-width:]]
