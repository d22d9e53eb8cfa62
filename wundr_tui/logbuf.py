"""The log view's data: lines, the ring buffer that bounds them, the time-ordered merge of
many streams, search, and the stable colour of each stream. Pure: no Textual, no I/O.

Lines reach here already made safe (``safe_text.safe_log_line``); their colours are plain
style strings, turned into Rich text only for the rows on screen.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter

from wundr_tui.safe_text import Spans

BUFFER_LINES = 100_000
"""Lines the log view keeps by default (``[logs] buffer_lines``); older ones are dropped."""
BUFFER_RANGE = (1_000, 1_000_000)
"""The range ``[logs] buffer_lines`` may take."""

REORDER_WINDOW = 10_000
"""Newest lines among which a late line is put back in time order (see
:meth:`LogRing.extend_in_order`)."""

PALETTE = (
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "bright_red",
    "bright_green",
    "bright_yellow",
    "bright_blue",
    "bright_magenta",
    "bright_cyan",
)
"""Prefix colours: the terminal's own 16 minus black, white and their bright twins (one of
them is always the background)."""


@dataclass(frozen=True, slots=True)
class LogSource:
    """Where lines come from: one container of one pod of one cluster (shared by its lines)."""

    cluster: str
    namespace: str
    pod: str
    container: str
    previous: bool = False
    """The previous (terminated) instance of the container."""

    @property
    def key(self) -> str:
        """``cluster/namespace/pod/container``: what the colour is derived from."""
        return f"{self.cluster}/{self.namespace}/{self.pod}/{self.container}"


@dataclass(frozen=True, slots=True)
class LogLine:
    """One line as the log view keeps it."""

    seq: int
    """Position in arrival order across every stream of the view (1 = first)."""
    ts: float
    """The container runtime's timestamp, seconds since the epoch."""
    source: LogSource
    text: str
    """Made safe (no control character); SGR colours moved to ``spans``."""
    spans: Spans = ()

    @property
    def cluster(self) -> str:
        """The line's cluster."""
        return self.source.cluster

    @property
    def namespace(self) -> str:
        """The line's namespace."""
        return self.source.namespace

    @property
    def pod(self) -> str:
        """The line's pod."""
        return self.source.pod

    @property
    def container(self) -> str:
        """The line's container."""
        return self.source.container

    @property
    def previous(self) -> bool:
        """From the previous instance of the container."""
        return self.source.previous


RawLine = tuple[float, LogSource, str, Spans]
"""A line as a stream hands it over: (timestamp, source, safe text, spans)."""

_TS = attrgetter("ts")


def merge(batch: Iterable[RawLine], first_seq: int) -> list[LogLine]:
    """The lines of one frame from every stream, ordered by timestamp (stern's interleave).

    Each stream's own lines are already in time order, so a stable sort by timestamp is a
    merge. A line older than what is already shown is not moved back into the past: it comes
    in this batch, where it arrived (``seq`` numbers are arrival order, from ``first_seq``).
    """
    ordered = sorted(batch, key=lambda raw: raw[0])
    return [
        LogLine(first_seq + i, ts, source, text, spans)
        for i, (ts, source, text, spans) in enumerate(ordered)
    ]


class LogRing:
    """The newest ``capacity`` lines, addressed by absolute index (0 = the first line ever
    added); ``first`` is the oldest index still kept. Appending never allocates per line
    beyond the line itself: a full ring overwrites in place."""

    __slots__ = ("_lines", "capacity", "total")

    def __init__(self, capacity: int = BUFFER_LINES) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        """Most lines kept."""
        self.total = 0
        """Lines ever added (the next line's absolute index)."""
        self._lines: list[LogLine] = []

    def __len__(self) -> int:
        return min(self.total, self.capacity)

    @property
    def first(self) -> int:
        """Absolute index of the oldest line kept."""
        return self.total - len(self)

    @property
    def dropped(self) -> int:
        """Lines pushed out of the ring so far."""
        return self.first

    def extend(self, lines: Iterable[LogLine]) -> int:
        """Append lines (oldest first); return how many were added."""
        store, cap = self._lines, self.capacity
        added = 0
        for line in lines:
            if len(store) < cap:
                store.append(line)
            else:
                store[self.total % cap] = line
            self.total += 1
            added += 1
        return added

    def extend_in_order(self, lines: list[LogLine], window: int = REORDER_WINDOW) -> int:
        """Append a frame's lines (already in time order), moving those older than the newest
        lines shown back among them, in time order, within the last ``window`` lines (the
        first tails of fifty pods arrive over a few frames). A line older than that whole
        window is not moved: it shows where it arrived. Return how many were added."""
        if not lines or not self.total:
            return self.extend(lines)
        oldest = lines[0].ts
        kept = len(self)
        k = 0
        while k < kept and k < window and self[self.total - 1 - k].ts > oldest:
            k += 1
        if k == 0 or k >= window:
            return self.extend(lines)
        tail = [self[i] for i in range(self.total - k, self.total)]
        if self.total <= self.capacity:
            del self._lines[-k:]
        self.total -= k  # a full ring: the same k slots are written again just below
        merged = sorted(tail + lines, key=_TS)  # stable: shown lines first on equal time
        self.extend(merged)
        return len(lines)

    def __getitem__(self, index: int) -> LogLine:
        if not self.first <= index < self.total:
            raise IndexError(index)
        return self._lines[index % self.capacity]

    def window(self, start: int, count: int) -> list[LogLine]:
        """Up to ``count`` lines from absolute index ``start`` (clamped to what is kept)."""
        start = max(start, self.first)
        end = min(start + max(count, 0), self.total)
        return [self._lines[i % self.capacity] for i in range(start, end)]

    def __iter__(self) -> Iterator[LogLine]:
        return iter(self._segments())

    def _segments(self) -> list[LogLine]:
        if self.total <= self.capacity:
            return self._lines
        cut = self.total % self.capacity
        return self._lines[cut:] + self._lines[:cut]

    def clear(self) -> None:
        """Forget every line (indices go on from ``total``)."""
        self._lines = []
        self.total = 0

    def search(self, needle: str, *, ignore_case: bool | None = None) -> list[int]:
        """Absolute indices of the lines whose text holds ``needle``, oldest first.

        ``ignore_case`` None is smart case (as vim and less): a needle without a capital
        letter matches any case. One pass over the texts: 100,000 lines in a few ms.
        """
        if not needle:
            return []
        if ignore_case is None:
            ignore_case = needle == needle.lower()
        base = self.first
        lines = self._segments()
        if ignore_case:
            folded = needle.lower()
            return [base + i for i, line in enumerate(lines) if folded in line.text.lower()]
        return [base + i for i, line in enumerate(lines) if needle in line.text]


def source_style(source: LogSource, *, no_color: bool = False) -> str:
    """The stable style of a stream's prefix: the same stream, the same colour, on every run
    and every machine (crc32, not ``hash``, which is salted per process). Without colour
    (``NO_COLOR``): bold or plain, so neighbouring streams still differ."""
    digest = zlib.crc32(source.key.encode("utf-8", "surrogatepass"))
    if no_color:
        return "bold" if digest & 1 else ""
    return PALETTE[digest % len(PALETTE)]


def find_all(text: str, needle: str, ignore_case: bool) -> list[tuple[int, int]]:
    """Every (start, end) of ``needle`` in ``text``: what the search highlights."""
    if not needle:
        return []
    hay, pin = (text.lower(), needle.lower()) if ignore_case else (text, needle)
    out = []
    at = hay.find(pin)
    while at >= 0:
        out.append((at, at + len(pin)))
        at = hay.find(pin, at + len(pin))
    return out


def plain_line(line: LogLine, *, prefix: bool = True, timestamps: bool = False) -> str:
    """A line as written to a file: ``[cluster] pod/container text`` (optionally with its
    RFC 3339 timestamp), colours dropped."""
    parts = []
    if timestamps:
        parts.append(rfc3339(line.ts))
    if prefix:
        parts.append(f"{line.cluster} {line.pod}/{line.container}")
    parts.append(line.text)
    return " ".join(parts)


def rfc3339(ts: float) -> str:
    """``2025-11-25T14:03:07.123Z`` (UTC, milliseconds)."""
    whole = int(ts)
    millis = round((ts - whole) * 1000)
    if millis == 1000:
        whole, millis = whole + 1, 0
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{millis:03d}Z"
