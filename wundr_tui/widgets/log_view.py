"""The log view's body: only the rows on screen are built, whatever the buffer holds.

A window onto a :class:`~wundr_tui.logbuf.LogRing`: following, the window ends at the newest
line; scrolled, it starts at ``top``. Each visible line becomes one row (cut at the width, or
wrapped over several with ``wrap``): its ``cluster pod/container`` prefix in the stream's
stable colour, its text with the colours its SGR sequences asked for and the search matches
highlighted. 100,000 lines cost nothing to draw: a repaint builds at most ``height`` rows.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual.strip import Strip
from textual.widget import Widget

from wundr_tui.logbuf import LogLine, LogRing, find_all, rfc3339, source_style

MATCH = Style(reverse=True, bold=True)
"""How a search match is highlighted."""
CURRENT = Style(bgcolor="yellow", color="black", bold=True)
"""The match ``n`` / ``N`` moved to."""


WIDE = 120
"""Below this width a prefix names a pod by its own suffix (``…-jfwln``): at 80 columns a
full ``api-gateway-blue-d7rplc6qjg-jfwln/api-gateway`` prefix left 30 columns for the line."""


def short_pod(name: str) -> str:
    """A pod's name without its owner's part: ``api-gateway-blue-d7rplc6qjg-jfwln`` →
    ``…-jfwln`` (the group is in the header; the suffix tells its pods apart). Names with
    fewer than three parts are kept whole."""
    head, sep, tail = name.rpartition("-")
    if not sep or head.count("-") < 1 or not tail:
        return name
    return "…-" + tail


class LogView(Widget, can_focus=True):
    """The visible window of a log ring, rendered line by line."""

    DEFAULT_CSS = """
    LogView { height: 1fr; background: $surface; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = set()

    def __init__(self, ring: LogRing, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ring = ring
        """The lines."""
        self.follow = True
        """The window ends at the newest line."""
        self.top = 0
        """Absolute index of the first line shown when not following."""
        self.wrap = False
        """Long lines continue on the next rows instead of being cut."""
        self.timestamps = False
        """Each line starts with its timestamp."""
        self.no_color = False
        """Prefixes bold or plain instead of coloured (``NO_COLOR``)."""
        self.tags: dict[str, str] = {}
        """Cluster name → short tag for the prefix (``eks`` / ``gke``)."""
        self.needle = ""
        """The search being highlighted."""
        self.ignore_case = True
        self.current = -1
        """Absolute index of the current match (-1: none)."""
        self._rows: list[Strip] = []
        self._built_for: tuple[int, int] | None = None
        self._renderer = Console(width=1000, color_system="truecolor", no_color=False)

    def redraw(self) -> None:
        """Something shown changed (lines, scroll, a toggle): rebuild the rows on the next
        repaint."""
        self._built_for = None
        self.refresh()

    # -- the window --------------------------------------------------------------------------

    @property
    def page(self) -> int:
        """Rows on screen."""
        return max(self.size.height, 1)

    def first_shown(self) -> int:
        """Absolute index of the first line in the window."""
        if self.follow:
            return max(self.ring.total - self.page, self.ring.first)
        return max(min(self.top, self.ring.total - 1), self.ring.first)

    def scroll_lines(self, delta: int) -> None:
        """Move the window by ``delta`` lines (up stops following; reaching the end of the
        buffer does not resume it: End does)."""
        start = self.first_shown()
        self.follow = False
        last_top = max(self.ring.total - self.page, self.ring.first)
        self.top = max(self.ring.first, min(start + delta, last_top))
        self.redraw()

    def show_line(self, index: int) -> None:
        """Bring a line into the window (a search match), a third down from the top."""
        self.follow = False
        self.top = max(self.ring.first, index - self.page // 3)
        self.redraw()

    def to_end(self) -> None:
        """Follow the newest line again."""
        self.follow = True
        self.redraw()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """Wheel up: three lines back."""
        self.scroll_lines(-3)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        """Wheel down: three lines on."""
        self.scroll_lines(3)

    # -- rendering ---------------------------------------------------------------------------

    def prefix(self, line: LogLine) -> Text:
        """``eks pod/container `` in the stream's colour (plus the timestamp if asked)."""
        text = Text(no_wrap=True)
        if self.timestamps:
            text.append(rfc3339(line.ts) + " ", style="dim")
        tag = self.tags.get(line.cluster, line.cluster)
        pod = short_pod(line.pod) if self.size.width < WIDE else line.pod
        label = f"{tag} {pod}/{line.container}"  # "previous" is in the header
        text.append(label, style=source_style(line.source, no_color=self.no_color))
        text.append(" ")
        return text

    def line_text(self, index: int, line: LogLine) -> Text:
        """One line as shown: prefix, text, its colours, the search highlight."""
        text = self.prefix(line)
        base = len(text)
        text.append(line.text)
        if line.spans:
            text.spans.extend(Span(base + s, base + e, style) for s, e, style in line.spans)
        if self.needle:
            style = CURRENT if index == self.current else MATCH
            for s, e in find_all(line.text, self.needle, self.ignore_case):
                text.stylize(style, base + s, base + e)
        return text

    def _build(self) -> list[Strip]:
        width = max(self.size.width, 1)
        height = self.page
        ring = self.ring
        if not ring.total or not len(ring):
            return []
        if not self.wrap:
            start = self.first_shown()
            return [
                self._cut(self.line_text(i, line), width)
                for i, line in zip(
                    range(start, start + height), ring.window(start, height), strict=False
                )
            ]
        options = self._renderer.options.update(width=width, no_wrap=False, overflow="fold")
        if self.follow:
            rows: list[Strip] = []
            index = ring.total - 1
            while index >= ring.first and len(rows) < height:
                lines = self._renderer.render_lines(self.line_text(index, ring[index]), options)
                rows[:0] = [Strip(segments) for segments in lines]
                index -= 1
            return rows[-height:]
        rows = []
        index = self.first_shown()
        while index < ring.total and len(rows) < height:
            lines = self._renderer.render_lines(self.line_text(index, ring[index]), options)
            rows.extend(Strip(segments) for segments in lines)
            index += 1
        return rows[:height]

    def _cut(self, text: Text, width: int) -> Strip:
        text.truncate(width, overflow="ellipsis")
        return Strip(list(text.render(self._renderer)))

    def render_line(self, y: int) -> Strip:
        """Row ``y`` of the window (built once per repaint, for every row at once)."""
        key = (self.size.width, self.size.height)
        if self._built_for != key:
            self._rows = self._build()
            self._built_for = key
        rows = self._rows
        if y < len(rows):
            return rows[y].crop_extend(0, self.size.width, self.rich_style)
        return Strip([Segment(" " * self.size.width, self.rich_style)])
