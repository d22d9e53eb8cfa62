"""The one output patch: partial screen updates that start at the changed cell rather than at
the left edge of the widget, installed only while a cockpit runs and only on the pinned Textual.

Over SSH on hotel Wi-Fi every byte is latency. Textual already repaints only the regions a
widget marks dirty, but it writes each dirty line from the widget's left edge to the end of the
dirty span; for a table whose RESTARTS cell changed that is 90 columns of styled text for 7
digits. The cropped version writes the dirty span only, and sets a colour only when it changes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rich.color import ColorSystem
from rich.console import Console
from rich.control import Control
from textual._compositor import ChopsUpdate
from textual.strip import Strip

PINNED_TEXTUAL = "8.2.8"
"""The Textual version the patch was written against (``pyproject.toml`` pins it exactly; a
test checks both agree). On any other version Textual's own output is used."""

_log = logging.getLogger(__name__)

_STOCK = ChopsUpdate.render_segments
"""Textual's own ``render_segments``, restored when the last cockpit stops."""
_running: set[int] = set()
"""ids of the apps that asked for the patch and have not released it."""

_DEFAULT_COLOURS = frozenset({"39;49", "39", "49"})
"""Style sequences that only select the terminal's default colours: the same as a reset."""


def textual_version() -> str:
    """The installed Textual's version ("" when it cannot be told). The pinned one is told
    by its dist-info directory beside the package (one stat): importlib.metadata costs 13 ms
    of start-up to import, measured."""
    import textual

    site = Path(textual.__file__).resolve().parent.parent
    if (site / f"textual-{PINNED_TEXTUAL}.dist-info").is_dir():
        return PINNED_TEXTUAL
    from importlib import metadata

    try:
        return metadata.version("textual")
    except metadata.PackageNotFoundError:
        return ""


def render_cropped(self: ChopsUpdate, console: Console) -> str:
    """``ChopsUpdate.render_segments`` that crops dirty lines on the left too and writes a
    style only when it differs from the one in effect.

    Textual 8.2 crops a dirty line on the right only, and writes every segment as
    ``ESC[<style>m text ESC[0m``. Here a changed table cell costs its own width in bytes, and
    within one update a style is written as ``ESC[0;<style>m`` (reset and set in one) only when
    it changes, with one reset at the end: five changed restart counts in one frame share one
    colour sequence. ``tests/ui/test_terminal_output.py`` checks the screen it puts up is the
    one Textual's own puts up.
    """
    color_system = getattr(console, "_color_system", None) or ColorSystem.TRUECOLOR
    move_to = Control.move_to
    render_ansi = Strip.render_ansi
    render_style = Strip.render_style
    sequences: list[str] = []
    append = sequences.append
    chops = self.chops
    chop_ends = self.chop_ends
    current = ""  # the style sequence in effect ("": none, the terminal is reset)
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            start = max(x, x1)
            if start != x or end > x2:
                strip = Strip.crop(strip, start - x, min(end, x2) - x)
            append(move_to(start, y).segment.text)
            for text, style, _ in strip._segments:
                if style is not None and style._link:
                    if current:
                        append("\x1b[0m")
                        current = ""
                    append(render_style(style, text, color_system))
                    continue
                ansi = ""
                if style is not None:
                    ansi = style._ansi or render_ansi(style, color_system)
                    if ansi in _DEFAULT_COLOURS:
                        ansi = ""  # the terminal's own colours: what a reset leaves
                if ansi != current:
                    append(f"\x1b[0;{ansi}m" if current and ansi else f"\x1b[{ansi or 0}m")
                    current = ansi
                append(text)
    if current:
        append("\x1b[0m")
    # No newline between lines (Textual writes one): every span starts with a move.
    return "".join(sequences)


def install_cropped_updates(app: Any) -> bool:
    """Use ``render_cropped`` while ``app`` runs (until ``release_cropped_updates(app)``).

    Returns False, leaving Textual's own output, when Textual is not the pinned version: the
    patch reads private fields whose meaning can change between releases.
    """
    version = textual_version()
    if version != PINNED_TEXTUAL:
        _log.warning(
            "Textual %s is not the pinned %s: partial updates use Textual's own output "
            "(more bytes per change)",
            version or "(unknown)",
            PINNED_TEXTUAL,
        )
        return False
    _running.add(id(app))
    ChopsUpdate.render_segments = render_cropped  # type: ignore[method-assign]
    return True


def release_cropped_updates(app: Any) -> None:
    """``app`` stopped: once no cockpit runs, Textual's own output is back (idempotent)."""
    _running.discard(id(app))
    if not _running:
        ChopsUpdate.render_segments = _STOCK  # type: ignore[method-assign]


def stock_render_segments(update: ChopsUpdate, console: Console) -> str:
    """What Textual's own ``render_segments`` writes for ``update`` (tests compare with it)."""
    return _STOCK(update, console)
