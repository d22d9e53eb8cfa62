"""The log view's data: lines, the ring buffer that bounds them, the time-ordered merge of
many streams, search, and the stable colour of each stream. Pure: no Textual, no I/O.

Lines reach here already made safe (``safe_text.safe_log_line``); their colours are plain
style strings, turned into Rich text only for the rows on screen.
"""

from __future__ import annotations

import time
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from operator import attrgetter

from wundr_tui.safe_text import Spans

BUFFER_LINES = 100_000
"""Lines the log view keeps by default (``[logs] buffer_lines``); older ones are dropped."""
BUFFER_RANGE = (1_000, 1_000_000)
"""The range ``[logs] buffer_lines`` may take."""

REORDER_WINDOW = 10_000
"""Newest lines among which a late line is put back in time order (see
:meth:`LogRing.extend_in_order`)."""
SEARCH_BLOCK = 2_048
"""Lines per block of the search index (see :class:`FoldedBlock`)."""
DENSE = 16
"""A needle found more than once per ``DENSE`` lines of a block is checked line by line."""

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
    added); ``first`` is the oldest index still kept. A full ring overwrites in place.

    The lines are kept in columns (numbers in arrays; texts, sources and spans in lists), not
    as one :class:`LogLine` object each: the cyclic garbage collector then has a handful of
    objects to walk instead of one per line. 100,000 line objects living ten seconds each at
    10,000 lines/s made a full collection every three seconds that walked all of them and held
    the interpreter 120-240 ms: a key pressed meanwhile waited that long. ``ring[i]`` and
    iteration build the :class:`LogLine` of the lines asked for.
    """

    __slots__ = (
        "_folded",
        "_indexed_to",
        "_seq",
        "_source",
        "_spans",
        "_text",
        "_ts",
        "capacity",
        "total",
    )

    def __init__(self, capacity: int = BUFFER_LINES) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        """Most lines kept."""
        self.total = 0
        """Lines ever added (the next line's absolute index)."""
        self._seq = array("q")
        self._ts = array("d")
        self._source: list[LogSource] = []
        """Shared objects (one per stream): a reference each, nothing per line to collect."""
        self._text: list[str] = []
        self._spans: list[Spans] = []
        """Mostly the one empty tuple; tuples of numbers and strings are untracked by the
        collector once it has seen them."""
        self._folded: dict[int, FoldedBlock | None] = {}
        """Block number → the search index of its lines (None: search it line by line)."""
        self._indexed_to = 0
        """Absolute index up to which complete blocks have been considered for the index."""

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
        cap = self.capacity
        seqs, tss, sources, texts, spans = (
            self._seq,
            self._ts,
            self._source,
            self._text,
            self._spans,
        )
        total = self.total
        for line in lines:
            if len(texts) < cap:
                seqs.append(line.seq)
                tss.append(line.ts)
                sources.append(line.source)
                texts.append(line.text)
                spans.append(line.spans)
            else:
                slot = total % cap
                seqs[slot] = line.seq
                tss[slot] = line.ts
                sources[slot] = line.source
                texts[slot] = line.text
                spans[slot] = line.spans
            total += 1
        added = total - self.total
        self.total = total
        if added:
            self._index()
        return added

    def _index(self) -> None:
        """Fold each block that no late line can rewrite any more (older than the reorder
        window): about 1 ms per 2,048 lines, once, so every search finds it ready."""
        stable = self.total - REORDER_WINDOW
        while self._indexed_to + SEARCH_BLOCK <= stable:
            start = self._indexed_to
            block = start // SEARCH_BLOCK
            if start >= self.first:
                texts = [self._text[i % self.capacity] for i in range(start, start + SEARCH_BLOCK)]
                self._folded[block] = FoldedBlock.build(texts)
            self._indexed_to += SEARCH_BLOCK
        gone = self.first // SEARCH_BLOCK  # blocks wholly pushed out of the ring
        while self._folded and (oldest := next(iter(self._folded))) < gone:
            del self._folded[oldest]

    def extend_in_order(self, lines: list[LogLine], window: int = REORDER_WINDOW) -> int:
        """Append a frame's lines (already in time order), moving those older than the newest
        lines shown back among them, in time order, within the last ``window`` lines (the
        first tails of fifty pods arrive over a few frames). A line older than that whole
        window is not moved: it shows where it arrived. Return how many were added."""
        if not lines or not self.total:
            return self.extend(lines)
        oldest = lines[0].ts
        kept = len(self)
        tss, cap, last = self._ts, self.capacity, self.total - 1
        k = 0
        while k < kept and k < window and tss[(last - k) % cap] > oldest:
            k += 1
        if k == 0 or k >= window:
            return self.extend(lines)
        tail = [self[i] for i in range(self.total - k, self.total)]
        if self.total <= self.capacity:
            for column in (self._seq, self._ts, self._source, self._text, self._spans):
                del column[-k:]
        self.total -= k  # a full ring: the same k slots are written again just below
        self._unindex_from(self.total)
        merged = sorted(tail + lines, key=_TS)  # stable: shown lines first on equal time
        self.extend(merged)
        return len(lines)

    def _line(self, slot: int) -> LogLine:
        return LogLine(
            self._seq[slot],
            self._ts[slot],
            self._source[slot],
            self._text[slot],
            self._spans[slot],
        )

    def __getitem__(self, index: int) -> LogLine:
        if not self.first <= index < self.total:
            raise IndexError(index)
        return self._line(index % self.capacity)

    def window(self, start: int, count: int) -> list[LogLine]:
        """Up to ``count`` lines from absolute index ``start`` (clamped to what is kept)."""
        start = max(start, self.first)
        end = min(start + max(count, 0), self.total)
        return [self._line(i % self.capacity) for i in range(start, end)]

    def __iter__(self) -> Iterator[LogLine]:
        cap, line = self.capacity, self._line
        return (line(i % cap) for i in range(self.first, self.total))

    def sources(self) -> set[LogSource]:
        """The streams of the lines kept (one pass over references, no line built)."""
        return set(self._source)

    def clear(self) -> None:
        """Forget every line (indices go on from ``total``)."""
        self._seq = array("q")
        self._ts = array("d")
        self._source = []
        self._text = []
        self._spans = []
        self.total = 0
        self._folded.clear()
        self._indexed_to = 0

    def _unindex_from(self, index: int) -> None:
        """Lines from absolute ``index`` on are written again: forget their blocks."""
        if index >= self._indexed_to:
            return
        block = index // SEARCH_BLOCK
        for b in [b for b in self._folded if b >= block]:
            del self._folded[b]
        self._indexed_to = block * SEARCH_BLOCK

    def search(self, needle: str, *, ignore_case: bool | None = None) -> list[int]:
        """Absolute indices of the lines whose text holds ``needle``, oldest first.

        ``ignore_case`` None is smart case (as vim and less): a needle without a capital
        letter matches any case; one without any cased letter ("503") takes the exact path,
        where folding would change nothing. Blocks older than the reorder window are searched
        in their folded index (``str.find`` over one string, in C), the newest lines one by
        one: 100,000 lines in a few ms either way.
        """
        if not needle:
            return []
        if ignore_case is None:
            ignore_case = needle == needle.lower()
        if ignore_case and needle.lower() == needle.upper():
            ignore_case = False
        folded = needle.lower()
        # The index can only narrow down an exact search for a needle that folds char by
        # char (ASCII); anything else (final sigma, ligatures) is checked line by line.
        use_index = ignore_case or needle.isascii()
        out: list[int] = []
        first, total, cap = self.first, self.total, self.capacity
        start = first
        while start < total:
            block = start // SEARCH_BLOCK
            end = min((block + 1) * SEARCH_BLOCK, total)
            index = self._folded.get(block) if use_index else None
            hits = index.count(folded) if index is not None else 0
            if index is not None and not hits:
                pass  # one C pass over the block: nothing in it
            elif index is None or (not ignore_case and hits * DENSE > SEARCH_BLOCK):
                # No index, or an exact needle on most lines: checking each line is cheaper.
                lines = [self._text[i % cap] for i in range(start, end)]
                if ignore_case:
                    out.extend(start + i for i, ln in enumerate(lines) if folded in ln.lower())
                else:
                    out.extend(start + i for i, ln in enumerate(lines) if needle in ln)
            else:
                base = block * SEARCH_BLOCK
                skip = start - base  # the block's oldest lines may be pushed out already
                for i in index.find(folded, dense=hits * DENSE > SEARCH_BLOCK):
                    if i >= skip and (ignore_case or needle in self._text[(base + i) % cap]):
                        out.append(base + i)
            start = end
        return out


_SEP = "\n"
"""Between two lines of a folded block: safe text never holds it (a control character)."""


@dataclass(frozen=True, slots=True)
class FoldedBlock:
    """The lower-cased texts of one block of lines joined into one string, and where each
    line ends in it: a search is one ``str.find`` per matching line instead of a
    ``lower()`` per line. Memory: one more copy of the block's text, and 8 bytes a line."""

    hay: str
    ends: array[int]
    """``ends[i]``: the offset just past line i's separator (where line i + 1 starts)."""

    @classmethod
    def build(cls, texts: list[str]) -> FoldedBlock | None:
        """The block's index, or None where folding changes a length ("İ"): line by line."""
        joined = _SEP.join(texts)
        hay = joined.lower()
        if len(hay) != len(joined):
            return None
        return cls(hay, array("q", accumulate(map((1).__add__, map(len, texts)))))

    def count(self, folded: str) -> int:
        """How many times ``folded`` occurs in the block (one C pass; 0 skips the block)."""
        return 0 if _SEP in folded else self.hay.count(folded)

    def find(self, folded: str, *, dense: bool = False) -> list[int]:
        """Positions in the block of the lines whose folded text holds ``folded``; ``dense``
        (on most lines) splits the block and checks each line instead of a find per hit."""
        if _SEP in folded:
            return []
        if dense:
            return [i for i, text in enumerate(self.hay.split(_SEP)) if folded in text]
        out: list[int] = []
        ends, find = self.ends, self.hay.find
        last = len(ends) - 1
        at = find(folded)
        while at >= 0:
            i = bisect_right(ends, at)
            out.append(i)
            if i >= last:
                break
            at = find(folded, ends[i])
        return out


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
