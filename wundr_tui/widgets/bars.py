"""A one-line text bar of counts against a maximum (no widget: panes put it in a table cell).

Replicas against an HPA's max, nodes against a pool's max, items restored against the total:
how full, whether it is still growing and where the minimum is, read at a glance. The bar is
plain text whose glyphs carry the meaning without colour (NO_COLOR): a pane may add colour for
emphasis (``Glyphs.role`` says which glyph is which).
"""

from __future__ import annotations

from typing import NamedTuple


class Glyphs(NamedTuple):
    """The glyph of each kind of cell."""

    filled: str
    """There and wanted (replicas running, nodes ready, items done)."""
    pending: str
    """Wanted, not there yet (scaling up, a node not ready)."""
    surplus: str
    """There, no longer wanted (scaling down)."""
    empty: str
    """Room up to the maximum."""
    floor: str
    """The minimum: a tick between two cells."""

    def role(self, glyph: str) -> str:
        """The name of a glyph's kind (``filled`` ...), or ``""`` for any other character."""
        for name, g in zip(self._fields, self, strict=True):
            if g == glyph:
                return name
        return ""


GLYPHS = Glyphs("█", "▒", "▓", "·", "│")
ASCII_GLYPHS = Glyphs("#", "+", "x", ".", "|")
UNKNOWN = "?"
"""The whole bar when a count or the maximum is not known (a pool seen only from its nodes)."""


def cells(count: int, top: int, width: int) -> int:
    """How many of ``width`` cells ``count`` of ``top`` fills, rounded, but never empty while
    above zero and never full while below ``top`` (1 of 20 shows; 19 of 20 is not full)."""
    if count <= 0:
        return 0
    if count >= top:
        return width
    n = int(count * width / top + 0.5)
    return min(max(n, 1), width - 1)


def bar(
    have: int,
    want: int,
    top: int,
    width: int = 10,
    *,
    floor: int | None = None,
    ascii_only: bool = False,
) -> str:
    """``have`` and ``want`` out of ``top`` in ``width`` cells (one more with a ``floor`` tick).

    Cells up to both counts are filled; from ``have`` up to a larger ``want`` pending; from
    ``want`` up to a larger ``have`` surplus; the rest empty. Counts over ``top`` fill the bar
    (clamped). When the two counts differ, so do their cells: a one-replica change on a scale
    of 50 still shows one pending cell. The ``floor`` tick sits between the cells at its place
    (at the very start for 0, at the end for ``top``). Any negative number (unknown) gives
    ``UNKNOWN``.
    """
    if min(have, want, top, width) < 0 or (floor is not None and floor < 0):
        return UNKNOWN
    g = ASCII_GLYPHS if ascii_only else GLYPHS
    h, w = cells(have, top, width), cells(want, top, width)
    if h == w and min(have, top) != min(want, top):
        # Different counts, same cells: widen the gap by one so the change shows.
        # Neither may break the rule of ``cells``: full only at ``top``, empty only at 0.
        low, high = sorted((h, w))
        if high < (width if max(have, want) >= top else width - 1):
            high += 1
        elif low > (1 if min(have, want) > 0 else 0):
            low -= 1
        h, w = (low, high) if have < want else (high, low)
    keep = min(h, w)
    text = (
        g.filled * keep
        + (g.pending * (w - h) if w > h else g.surplus * (h - w))
        + g.empty * (width - max(h, w))
    )
    if floor is None:
        return text
    at = cells(floor, top, width)
    return text[:at] + g.floor + text[at:]


def percent(done: int, total: int) -> int:
    """Whole percent done, rounded down: 100 only when every item is done (99.9% says 99)."""
    if total <= 0:
        return 0
    return min(done * 100 // total, 100) if done > 0 else 0


def progress(done: int, total: int, width: int = 8, *, ascii_only: bool = False) -> str:
    """``done`` of ``total`` as a bar and its percent (``████···· 50%``), ``-`` with no total."""
    if total <= 0 or done < 0:
        return "-"
    return f"{bar(done, done, total, width, ascii_only=ascii_only)} {percent(done, total):>3}%"
