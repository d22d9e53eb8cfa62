"""Terminal output patches for Textual 8.2 (pinned exactly): partial screen updates that start
at the changed cell rather than at the left edge of the widget, and ASCII borders.

Over SSH on hotel Wi-Fi every byte is latency. Textual already repaints only the regions a
widget marks dirty, but it writes each dirty line from the widget's left edge to the end of
the dirty span; for a table whose RESTARTS cell changed that is 90 columns of styled text for
7 digits. ``crop_partial_updates`` makes it write the dirty span only.
"""

from __future__ import annotations

_patched = False
_ascii_patched = False


def ascii_borders() -> None:
    """Draw every border with plain ASCII while the running app has ``ascii_borders`` set
    (idempotent; other apps in the same process, e.g. other tests, are unaffected).

    Box-drawing characters are three bytes each in UTF-8 and some terminals over SSH render
    them badly; ``+--+`` is one byte a cell and always legible.
    """
    global _ascii_patched
    if _ascii_patched:
        return
    from textual import _styles_cache
    from textual._context import active_app

    original = getattr(_styles_cache, "get_box")  # noqa: B009 - not re-exported

    def get_box(name: str, *args: object, **kwargs: object) -> object:
        app = active_app.get(None)
        if name not in ("", "none", "hidden", "blank") and getattr(app, "ascii_borders", False):
            name = "ascii"
        return original(name, *args, **kwargs)

    setattr(_styles_cache, "get_box", get_box)  # noqa: B010 - not re-exported, so no attribute
    _ascii_patched = True


_DEFAULT_COLOURS = frozenset({"39;49", "39", "49"})
"""Style sequences that only select the terminal's default colours: the same as a reset."""


def crop_partial_updates() -> None:
    """Make Textual's partial updates write only the dirty span of each line, and set colours
    only when they change (idempotent).

    Textual 8.2's ``ChopsUpdate.render_segments`` crops a dirty line on the right only, and
    writes every segment as ``ESC[<style>m text ESC[0m``. This crops on the left too, so a
    changed table cell costs its own width in bytes, and within one update writes a style
    only when it differs from the one in effect (``ESC[0;<style>m``: reset and set in one),
    resetting once at the end: five changed restart counts in one frame share one colour
    sequence. Textual is pinned exactly; ``tests/ui/test_table_updates.py`` checks the bytes
    one changed cell writes.
    """
    global _patched
    if _patched:
        return
    from rich.color import ColorSystem
    from textual._compositor import ChopsUpdate
    from textual.strip import Strip

    move_to = __import__("rich.control", fromlist=["Control"]).Control.move_to
    render_ansi = Strip.render_ansi
    render_style = Strip.render_style

    def render_segments(self: ChopsUpdate, console: object) -> str:
        color_system = getattr(console, "_color_system", None) or ColorSystem.TRUECOLOR
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

    ChopsUpdate.render_segments = render_segments  # type: ignore[method-assign]
    _patched = True


def lean_cursor(app: object) -> None:
    """Stop writing a cursor move after every update while no text field has focus.

    After each screen update Textual moves the terminal's cursor back to the last text field's
    cursor (for input methods). The cursor is hidden, and with the table focused that move is
    6 bytes of every change sent (about a sixth of a changed restart count). Wraps the app's
    driver ``write``; while an ``Input`` has focus nothing is dropped.
    """
    from rich.control import Control
    from textual.app import App
    from textual.widgets import Input

    assert isinstance(app, App)
    driver = app._driver
    if driver is None or getattr(driver, "_wundr_lean", False):
        return
    write = driver.write

    def lean_write(data: str) -> None:
        if not isinstance(app.focused, Input):
            try:
                where = app.screen.outer_size.clamp_offset(app.cursor_position)
            except Exception:  # no screen yet / closing: write as is
                where = None
            if where is not None:
                move = Control.move_to(*where).segment.text
                if data.endswith(move) and len(data) > len(move):
                    data = data[: -len(move)]
        write(data)

    driver.write = lean_write  # type: ignore[method-assign]
    driver._wundr_lean = True  # type: ignore[attr-defined]


QUICK_ESCAPE_DELAY = 0.025
"""Seconds a lone Escape waits for the rest of a key sequence (Textual's is 0.1; ``$ESCDELAY``
in milliseconds overrides both, as in curses)."""

_escape_patched = False


def quick_escape() -> None:
    """A lone Escape (close the prompt, clear the filter) delivered in about 30 ms, not 100-200.

    A terminal sends Escape as one byte, and also as the first byte of arrow keys and other
    sequences, so a reader waits to see whether more follows (curses' ESCDELAY, tmux's
    escape-time). Textual waits 100 ms, and its input thread only looks again when its
    ``select`` times out, after up to another 100 ms. This shortens the wait to 25 ms unless
    ``$ESCDELAY`` is set, and for half a second after any input lets the input thread look
    every 10 ms. Sequences arrive in one write from the terminal, so 25 ms is plenty even over
    SSH (tmux 3.5 defaults to 10 ms); idle, the thread sleeps as before. Idempotent.
    """
    global _escape_patched
    if _escape_patched:
        return
    import os
    import selectors
    import time
    import types

    from textual import constants
    from textual.drivers import linux_driver

    if "ESCDELAY" not in os.environ:
        constants.ESCAPE_DELAY = QUICK_ESCAPE_DELAY  # type: ignore[misc]

    class QuickSelector(selectors.SelectSelector):
        _recent_until = 0.0

        def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
            if timeout is not None and time.monotonic() < self._recent_until:
                timeout = min(timeout, 0.01)
            ready = super().select(timeout)
            if ready:
                self._recent_until = time.monotonic() + 0.5
            return ready

    shim = types.SimpleNamespace(
        SelectSelector=QuickSelector,
        EVENT_READ=selectors.EVENT_READ,
        SelectorKey=selectors.SelectorKey,
    )
    setattr(linux_driver, "selectors", shim)  # noqa: B010 - not re-exported
    _escape_patched = True
