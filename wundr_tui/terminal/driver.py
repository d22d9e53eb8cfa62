"""The cockpit's terminal driver: Textual's ``LinuxDriver`` with lean cursor writes and an input
thread that delivers a lone Escape quickly.

A subclass passed as ``App(driver_class=...)`` is Textual's supported place for both: nothing
here replaces a module or another object's method.
"""

from __future__ import annotations

import os
import selectors
import time
from codecs import getincrementaldecoder
from typing import Any

from rich.control import Control
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.widgets import Input

IDLE_POLL = 0.1
"""Seconds the input thread sleeps in ``select`` when nothing was typed lately (Textual's)."""
BUSY_POLL = 0.01
"""Seconds between looks while keys are arriving: a pending Escape is delivered this soon
after its delay ends, instead of after up to ``IDLE_POLL``."""
BUSY_FOR = 0.5
"""Seconds after any input during which the thread looks every ``BUSY_POLL``."""


class WundrDriver(LinuxDriver):
    """``LinuxDriver`` that writes fewer bytes and hands a lone Escape over in about 30 ms."""

    def write(self, data: str) -> None:
        """Write ``data``, without the trailing cursor move while no text field has focus.

        After each screen update Textual moves the terminal's cursor back to the last text
        field's cursor (for input methods). The cursor is hidden, and with the table focused
        that move is 6 bytes of every change sent (about a sixth of a changed restart count).
        While an ``Input`` has focus nothing is dropped.
        """
        app = self._app
        try:
            typing = isinstance(app.focused, Input)
            where = None if typing else app.screen.outer_size.clamp_offset(app.cursor_position)
        except Exception:  # no screen yet / closing: write as is
            where = None
        if where is not None:
            move = Control.move_to(*where).segment.text
            if data.endswith(move) and len(data) > len(move):
                data = data[: -len(move)]
        super().write(data)

    def run_input_thread(self) -> None:
        """Read the terminal, parse keys and mouse events, hand them to the app.

        A terminal sends Escape as one byte, and also as the first byte of arrow keys and other
        sequences, so the parser waits ``$ESCDELAY`` (``cli.main``: 25 ms unless set) to see
        whether more follows. Textual's own loop only looks again when its ``select`` times
        out (100 ms); this one looks every
        10 ms for half a second after any input, so a lone Escape (close the prompt, clear the
        filter) lands about 30 ms after the key. Idle, it sleeps as Textual's does.
        """
        fileno = self.fileno
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        busy_until = 0.0
        with selectors.SelectSelector() as selector:
            selector.register(fileno, selectors.EVENT_READ)
            try:
                while not self.exit_event.is_set():
                    timeout = BUSY_POLL if time.monotonic() < busy_until else IDLE_POLL
                    if selector.select(timeout):
                        busy_until = time.monotonic() + BUSY_FOR
                        text = decode(os.read(fileno, 4096))
                        if text:  # "" is end of input; feeding it would end the parser
                            for event in parser.feed(text):
                                self.process_message(event)
                    for event in parser.tick():
                        self.process_message(event)
            finally:
                for _event in _drain(parser):
                    pass


def _drain(parser: XTermParser) -> list[Any]:
    """What the parser still holds at the end (a half sequence is dropped, as Textual does)."""
    try:
        return list(parser.feed(""))
    except Exception:
        return []
