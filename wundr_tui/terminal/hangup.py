"""Giving the terminal back and leaving when told to stop or when the terminal goes away.

SIGTERM, SIGHUP, the end of input (EOF or EIO on a terminal whose other side closed: an SSH
connection that dropped, a tmux server killed) and a write that fails (EIO, EPIPE, EBADF) all
end the same way: the app is asked to exit, which restores the terminal (leave the alternate
screen, mouse reporting off, cursor shown, modes reset) where it still exists and stops the
sources; if it has not gone within ``GRACE`` seconds, the process restores what it can, ends
its child processes and exits anyway. Nothing here imports Textual.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TextIO

GRACE = 1.2
"""Seconds an orderly exit gets before the process is ended regardless (the goal: gone 2 s
after a signal or a lost terminal, whatever a source or a worker is blocked in)."""
CHILD_GRACE = 0.2
"""Seconds children get between SIGTERM and SIGKILL."""
RESTORE_WAIT = 0.2
"""Seconds a forced exit waits for its direct write of ``RESTORE`` to the terminal."""
HANGUP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals that end the cockpit the orderly way (SIGINT is a key in raw mode)."""
LOST_EXIT = 128 + signal.SIGHUP
"""Exit status after a lost terminal: what a hang-up would have given."""
RESTORE = (
    "\x1b[<u"  # kitty keyboard protocol off
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l"  # mouse reporting off
    "\x1b[?2004l"  # bracketed paste off
    "\x1b[?1004l"  # focus events off
    "\x1b[?7h"  # line wrap on
    "\x1b[?1049l"  # leave the alternate screen
    "\x1b[?25h"  # cursor shown
)
"""What Textual's ``stop_application_mode`` writes, for when it cannot run."""

_log = logging.getLogger(__name__)


class GuardedStream:
    """The terminal's output stream, for Textual's writer thread: a write that fails means the
    terminal is gone. Later writes are dropped (the writer thread never dies, so the app
    never blocks on its full queue) and ``on_lost`` is told once."""

    def __init__(self, stream: TextIO, on_lost: Callable[[str], None]) -> None:
        self._stream = stream
        self._on_lost = on_lost
        self.lost = False
        """A write or flush failed: nothing more is written."""

    def _fail(self, error: OSError) -> None:
        if not self.lost:
            self.lost = True
            self._on_lost(f"terminal lost (write: {os.strerror(error.errno or 0)})")

    def write(self, text: str) -> int:
        """Write ``text`` unless the terminal is gone."""
        if self.lost:
            return len(text)
        try:
            return self._stream.write(text)
        except (OSError, ValueError) as error:  # ValueError: the stream was closed
            self._fail(error if isinstance(error, OSError) else OSError(0, str(error)))
            return len(text)

    def flush(self) -> None:
        """Flush unless the terminal is gone."""
        if self.lost:
            return
        try:
            self._stream.flush()
        except (OSError, ValueError) as error:
            self._fail(error if isinstance(error, OSError) else OSError(0, str(error)))

    def fileno(self) -> int:
        """The terminal's file descriptor."""
        return self._stream.fileno()

    def isatty(self) -> bool:
        """Whether the stream is a terminal."""
        return self._stream.isatty()


def child_pids(parent: int | None = None) -> list[int]:
    """Process ids whose parent is ``parent`` (default: this process); [] without ``/proc``."""
    parent = os.getpid() if parent is None else parent
    found = []
    with contextlib.suppress(OSError):
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses
            fields = stat[stat.rfind(")") + 2 :].split()
            if len(fields) > 1 and fields[1] == str(parent):
                found.append(int(entry.name))
    return found


def end_children() -> int:
    """SIGTERM every child process (its whole process group when it leads its own, as
    credential plugins do), SIGKILL what is left after ``CHILD_GRACE``; returns how many."""
    children = child_pids()
    own_group = os.getpgrp()

    def send(pid: int, sig: signal.Signals) -> None:
        with contextlib.suppress(OSError):
            group = os.getpgid(pid)
            if group == pid and group != own_group:
                os.killpg(group, sig)
            else:
                os.kill(pid, sig)

    for pid in children:
        send(pid, signal.SIGTERM)
    deadline = time.monotonic() + CHILD_GRACE
    while children and time.monotonic() < deadline:
        time.sleep(0.02)
        children = [pid for pid in children if _running(pid)]
    for pid in children:
        send(pid, signal.SIGKILL)
    return len(children)


def _running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :][:1] not in ("Z", "X", "")


class HangUp:
    """The one way out after a signal or a lost terminal: ask for an orderly exit once, and
    make sure the process is gone ``GRACE`` seconds later whatever happens."""

    def __init__(
        self,
        ask_exit: Callable[[str, int], None],
        # ask_exit: thread-safe and signal-safe (schedule on the event loop, return at once)
        restore: Callable[[], None],
        grace: float = GRACE,
    ) -> None:
        self._ask_exit = ask_exit
        self._restore = restore
        self._grace = grace
        # Re-entrant: a second signal can arrive while the first one's handler holds it.
        self._lock = threading.RLock()
        self._previous: dict[int, Callable[[int, FrameType | None], object] | int | None] = {}
        self.reason = ""
        """Why the cockpit is ending ("" while it is not)."""

    def __call__(self, reason: str, exit_code: int) -> None:
        """End the cockpit (idempotent: the first reason wins)."""
        with self._lock:
            if self.reason:
                return
            self.reason = reason
        threading.Thread(
            target=self._force, args=(reason, exit_code), name="wundr-hangup", daemon=True
        ).start()
        self._ask_exit(reason, exit_code)

    def _force(self, reason: str, exit_code: int) -> None:
        deadline = time.monotonic() + self._grace
        # Logged here, not in the signal handler: a handler that logs can interrupt the main
        # thread halfway through writing the same log file.
        _log.warning("exiting: %s", reason)
        # Children first, at once: no orphaned plugins, and a source blocked waiting for one
        # is free to stop, so the orderly exit is quick.
        with contextlib.suppress(Exception):
            end_children()
        time.sleep(max(deadline - time.monotonic(), 0))
        # Still here: something did not stop. Give the terminal back (in its own thread: a
        # write to a terminal nobody reads can block), then leave regardless.
        _log.warning("exit took over %.1f s: forced", self._grace)
        with contextlib.suppress(Exception):
            end_children()
        restorer = threading.Thread(target=self._restore, name="wundr-restore", daemon=True)
        restorer.start()
        restorer.join(RESTORE_WAIT)
        os._exit(exit_code)

    def install_signals(self) -> None:
        """Handle ``HANGUP_SIGNALS`` (main thread only). The handler runs between two
        bytecodes of the main thread, even while the event loop is busy: the deadline starts
        at the signal, and ``ask_exit`` must only schedule (it runs inside the handler)."""

        def handler(signum: int, frame: FrameType | None) -> None:
            self(f"{signal.Signals(signum).name} received", 128 + signum)

        for sig in HANGUP_SIGNALS:
            self._previous[sig] = signal.signal(sig, handler)

    def restore_signals(self) -> None:
        """Put back the handlers ``install_signals`` replaced."""
        for sig, previous in self._previous.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(sig, previous if previous is not None else signal.SIG_DFL)
        self._previous.clear()
