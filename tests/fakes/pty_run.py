"""Run ``python -m wundr_tui ...`` in a subprocess on a pseudo-terminal (80x24) and watch it:
what it writes to the screen, its memory (``/proc``), how far it has read a file."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path


class PtyApp:
    """One cockpit process on its own pty; the last MiB of its output is kept in ``screen``."""

    def __init__(
        self,
        args: list[str],
        *,
        env: dict[str, str] | None = None,
        preexec_fn: Callable[[], None] | None = None,
    ) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wundr_tui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**os.environ, "TERM": "xterm-256color", **(env or {})},
            start_new_session=True,
            preexec_fn=preexec_fn,
        )
        os.close(slave)
        self.screen = b""
        """Recent output (escape sequences included), at most 1 MiB."""
        self.peak_kib = 0
        """The highest VmHWM seen while waiting."""

    def _read(self, seconds: float) -> None:
        ready, _, _ = select.select([self.master], [], [], seconds)
        if ready:
            with contextlib.suppress(OSError):  # EIO: the process has gone
                self.screen += os.read(self.master, 1 << 16)
            self.screen = self.screen[-(1 << 20) :]

    def status(self, field: str) -> int:
        """A ``/proc/PID/status`` figure in KiB (VmRSS, VmHWM); 0 once the process is gone."""
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def offset(self, path: Path) -> int | None:
        """How far the process has read ``path``; None when it does not have it open."""
        fds: list[Path] = []
        with contextlib.suppress(OSError):  # the process has just gone
            fds = list(Path(f"/proc/{self.proc.pid}/fd").iterdir())
        for fd in fds:
            try:
                if os.readlink(fd) == str(path):
                    info = Path(f"/proc/{self.proc.pid}/fdinfo/{fd.name}").read_text()
                    return int(info.split("pos:")[1].split()[0])
            except (OSError, IndexError, ValueError):
                continue
        return None

    def wait_for(self, text: bytes, timeout: float) -> bool:
        """Whether ``text`` shows in the output within ``timeout`` seconds (peak RSS noted)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._read(0.1)
            self.peak_kib = max(self.peak_kib, self.status("VmHWM"))
            if text in self.screen:
                return True
            if self.proc.poll() is not None:
                self._read(0)
                return text in self.screen
        return False

    def press(self, keys: bytes) -> None:
        """Type ``keys`` on the terminal."""
        os.write(self.master, keys)

    def wait(self, timeout: float) -> int | None:
        """The exit status within ``timeout`` seconds (output keeps being read), or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return self.proc.returncode
            self._read(0.1)
        return None

    def close(self) -> None:
        """Kill the process (if still running) and close the pty."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self.master)
