"""Run a command in a real pseudo-terminal and time until a marker appears on screen."""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import threading
import time
from collections.abc import Sequence
from typing import Any


def time_to_marker(
    argv: Sequence[str],
    marker: bytes,
    *,
    size: tuple[int, int] = (100, 30),
    timeout: float = 30.0,
    env: dict[str, str] | None = None,
) -> tuple[float, int]:
    """Seconds from spawn until ``marker`` is written, and bytes written by then."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(argv[0], list(argv), {**os.environ, "TERM": "xterm-256color", **(env or {})})
    cols, rows = size
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    seen = b""
    total = 0
    elapsed = float("nan")
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            total += len(chunk)
            seen = (seen + chunk)[-65536:]
            if marker in seen:
                elapsed = time.perf_counter() - start
                break
    finally:
        os.kill(pid, signal.SIGTERM)
        deadline = time.time() + 5
        while time.time() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            with contextlib.suppress(OSError):
                os.read(fd, 65536)
            time.sleep(0.02)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    return elapsed, total


ANSI = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
"""CSI, OSC and two-byte escape sequences: what is left is the text written to the screen."""


def clock_ticks() -> int:
    """Kernel clock ticks per second (the unit of /proc/PID/stat times)."""
    return os.sysconf("SC_CLK_TCK")


def proc_cpu_seconds(pid: int) -> float:
    """CPU seconds of a process, its threads and its reaped children (watch's kubectl runs)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    # After the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return (utime + stime + cutime + cstime) / clock_ticks()


def proc_rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident set size of a process in MB."""
    now = peak = float("nan")
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    now = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
    except OSError:
        pass
    return now, peak


class PtySession:
    """A command in a real pseudo-terminal of a fixed size; a thread reads everything it
    writes, counting bytes and keeping the escape-stripped text with arrival times."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        size: tuple[int, int] = (120, 40),
        env: dict[str, str] | None = None,
        keep_text: int = 4_000_000,
        track: re.Pattern[str] | None = None,
        keep_raw: bool = False,
    ) -> None:
        self.start = time.perf_counter()
        """perf_counter at spawn."""
        pid, fd = pty.fork()
        if pid == 0:  # child
            try:
                os.execvpe(
                    argv[0], list(argv), {**os.environ, "TERM": "xterm-256color", **(env or {})}
                )
            finally:
                os._exit(127)
        self.pid = pid
        self.fd = fd
        cols, rows = size
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.bytes = 0
        """Bytes written to the terminal so far."""
        self.chunks: list[tuple[float, int]] = []
        """(perf_counter, bytes) of every read."""
        self.raw: list[tuple[float, bytes]] | None = [] if keep_raw else None
        """With ``keep_raw``: (perf_counter, bytes) of every read, to see what was written."""
        self.text = bytearray()
        """Escape-stripped output, newest ``keep_text`` bytes."""
        self.text_base = 0
        """Offset of ``text[0]`` in the whole stripped stream."""
        self.text_times: list[tuple[int, float]] = []
        """(offset in the stripped stream, perf_counter) at each read."""
        self._keep = keep_text
        self.first_seen: dict[str, float] = {}
        """With ``track``: each match's group(1) → when it was first on the emulated screen."""
        self._track = track
        self._screen: Any = None
        self._stream: Any = None
        if track is not None:
            # An emulated terminal: curses programs (watch) rewrite only changed characters,
            # so only the screen, not the byte stream, shows the whole value.
            import pyte

            self._screen = pyte.Screen(cols, rows)
            self._stream = pyte.ByteStream(self._screen)
        self._carry = b""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True, name="pty-reader")
        self._reader.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.05)
            except (OSError, ValueError):
                return
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            now = time.perf_counter()
            data = self._carry + chunk
            # An escape sequence split across reads waits for its end.
            cut = data.rfind(b"\x1b")
            if cut >= 0 and len(data) - cut < 64 and not ANSI.match(data, cut):
                self._carry, data = data[cut:], data[:cut]
            else:
                self._carry = b""
            plain = ANSI.sub(b"", data)
            if self._track is not None:
                self._stream.feed(chunk)
                first = self.first_seen
                for line in self._screen.display:
                    for m in self._track.finditer(line):
                        first.setdefault(m.group(1), now)
            with self._lock:
                self.bytes += len(chunk)
                self.chunks.append((now, len(chunk)))
                if self.raw is not None:
                    self.raw.append((now, chunk))
                self.text_times.append((self.text_base + len(self.text), now))
                self.text += plain
                if len(self.text) > self._keep:
                    drop = len(self.text) - self._keep // 2
                    del self.text[:drop]
                    self.text_base += drop

    def send(self, keys: bytes) -> float:
        """Type ``keys``; return the perf_counter just before."""
        now = time.perf_counter()
        os.write(self.fd, keys)
        return now

    def offset(self) -> int:
        """Current end of the stripped stream (search from here for what comes next)."""
        with self._lock:
            return self.text_base + len(self.text)

    def wait_for(
        self, pattern: re.Pattern[bytes], *, after: int = 0, timeout: float = 30.0
    ) -> tuple[re.Match[bytes] | None, float]:
        """First match at or after stream offset ``after``, and when the read holding its end
        arrived (nan and None on timeout)."""
        deadline = time.perf_counter() + timeout
        while True:
            with self._lock:
                start = max(after - self.text_base, 0)
                m = pattern.search(self.text, start)
                if m is not None:
                    end = self.text_base + m.end()
                    when = next((t for off, t in reversed(self.text_times) if off < end), 0.0)
                    return m, when
            if time.perf_counter() > deadline or not self._reader.is_alive():
                return None, float("nan")
            time.sleep(0.01)

    def matches_since(self, pattern: re.Pattern[bytes], after: int) -> list[tuple[bytes, float]]:
        """Every match after stream offset ``after`` with the arrival time of its read."""
        with self._lock:
            text = bytes(self.text)
            base = self.text_base
            times = list(self.text_times)
        out = []
        offsets = [off for off, _ in times]
        for m in pattern.finditer(text, max(after - base, 0)):
            end = base + m.end()
            i = bisect.bisect_left(offsets, end) - 1
            out.append((m.group(1), times[max(i, 0)][1]))
        return out

    def bytes_between(self, t0: float, t1: float) -> int:
        """Bytes that arrived in [t0, t1)."""
        with self._lock:
            return sum(n for t, n in self.chunks if t0 <= t < t1)

    def cpu_seconds(self) -> float:
        """CPU seconds used so far (process, threads and reaped children)."""
        return proc_cpu_seconds(self.pid)

    def rss_mb(self) -> tuple[float, float]:
        """(current, peak) RSS in MB."""
        return proc_rss_mb(self.pid)

    def close(self, keys: bytes = b"") -> None:
        """Type ``keys`` (e.g. ``q``), then stop the process: SIGTERM, then SIGKILL."""
        if keys:
            with contextlib.suppress(OSError):
                os.write(self.fd, keys)
            deadline = time.time() + 3
            while time.time() < deadline:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                time.sleep(0.05)
            else:
                done = 0
        else:
            done = 0
        if not done:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            deadline = time.time() + 5
            while time.time() < deadline:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                time.sleep(0.05)
            else:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        self._stop.set()
        self._reader.join(2)
        with contextlib.suppress(OSError):
            os.close(self.fd)

    def __enter__(self) -> PtySession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
