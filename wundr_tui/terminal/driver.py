"""The cockpit's terminal driver: Textual's ``LinuxDriver`` with lean cursor writes, an input
thread that delivers a lone Escape quickly, and a way out when the terminal goes away or a
signal says stop (``hangup``).

A subclass passed as ``App(driver_class=...)`` is Textual's supported place for both: nothing
here replaces a module or another object's method.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import selectors
import termios
import time
from codecs import getincrementaldecoder
from typing import Any, cast

from rich.control import Control
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message
from textual.widgets import Input

from wundr_tui.terminal.hangup import LOST_EXIT, RESTORE, GuardedStream, HangUp, end_children

IDLE_POLL = 0.1
"""Seconds the input thread sleeps in ``select`` when nothing was typed lately (Textual's)."""
BUSY_POLL = 0.01
"""Seconds between looks while keys are arriving: a pending Escape is delivered this soon
after its delay ends, instead of after up to ``IDLE_POLL``."""
BUSY_FOR = 0.5
"""Seconds after any input during which the thread looks every ``BUSY_POLL``."""


class TerminalGone(Message):
    """Posted to the app: the terminal went away or a signal asked the cockpit to stop. The
    app stops its sources and exits with ``exit_code``; Textual then restores the terminal."""

    def __init__(self, reason: str, exit_code: int) -> None:
        super().__init__()
        self.reason = reason
        """What happened, in words (also in the log)."""
        self.exit_code = exit_code
        """128 + the signal's number (a lost terminal counts as SIGHUP)."""


class WundrDriver(LinuxDriver):
    """``LinuxDriver`` that writes fewer bytes, hands a lone Escape over in about 30 ms, and
    never outlives its terminal: SIGTERM, SIGHUP, the end of input and a failed write end the
    cockpit within 2 s (``hangup.HangUp``)."""

    def __init__(
        self,
        app: App[Any],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self._app_loop: asyncio.AbstractEventLoop | None = None
        self.hang_up = HangUp(self._ask_exit, self._restore_now)
        """Ends the cockpit after a signal or a lost terminal."""
        stream = self._file
        assert stream is not None, "no stderr to draw on"  # the CLI checks for a terminal
        self.output = GuardedStream(stream, self._terminal_lost)
        """The terminal's output: a failed write means the terminal is gone."""
        self._file = cast(Any, self.output)  # what Textual's writer thread writes to

    def _terminal_lost(self, reason: str) -> None:
        self.hang_up(reason, LOST_EXIT)

    def _ask_exit(self, reason: str, exit_code: int) -> None:
        """Schedule ``TerminalGone`` on the app (from any thread, or a signal handler)."""
        loop = self._app_loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._app.post_message, TerminalGone(reason, exit_code))

    def _restore_now(self) -> None:
        """Give the terminal back directly (the app did not manage to): what Textual's
        ``stop_application_mode`` does, without its writer thread."""
        if self.output.lost:
            return
        with contextlib.suppress(OSError):
            os.write(self.output.fileno(), RESTORE.encode())
        if self.attrs_before is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.fileno, termios.TCSANOW, self.attrs_before)

    def start_application_mode(self) -> None:
        """Textual's start, then the signals that end the cockpit."""
        self._app_loop = asyncio.get_running_loop()
        super().start_application_mode()  # type: ignore[no-untyped-call]
        self.hang_up.install_signals()

    def stop_application_mode(self) -> None:
        """Textual's restore (skipped writes where the terminal is gone), then the signals'
        previous handlers."""
        try:
            super().stop_application_mode()
        finally:
            self.hang_up.restore_signals()

    def close(self) -> None:
        """Textual's cleanup; after a hang-up, no child process outlives us either."""
        super().close()
        if self.hang_up.reason:
            end_children()

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
                        try:
                            data = os.read(fileno, 4096)
                        except OSError as error:  # EIO: the other side of the pty closed
                            data, why = b"", os.strerror(error.errno or 0)
                        else:
                            why = "end of input"
                        if not data:
                            # Textual would spin here at full speed, select saying "ready"
                            # to a read that returns nothing, for as long as nobody kills it.
                            self.hang_up(f"terminal lost ({why})", LOST_EXIT)
                            return
                        text = decode(data)
                        if text:  # "" (half a UTF-8 character) would end the parser
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
