"""``NO_COLOR`` without losing severity: the line filter that takes colour away.

Textual's own ``Monochrome`` filter turns each colour into the grey of its luminance, so red
text (the worst news) comes out dark grey (SGR 90) while yellow (a warning) is light grey:
without colour, warnings looked worse than criticals. Here a foreground becomes the grey of its
brightest channel, so no coloured word is dimmer than plain text and the order is carried by
what survives without colour (bold, reverse, the words); backgrounds keep Textual's luminance
grey, so panels and the cursor row still stand apart. Public Textual API only (``LineFilter``).
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter


@lru_cache(1024)
def bright_monochrome_style(style: Style) -> Style:
    """``style`` in greys: the foreground by its brightest channel, the background by its
    luminance (as Textual's ``Monochrome``)."""
    fg = style.color
    bg = style.bgcolor
    color = None
    if fg is not None:
        r, g, b = fg.get_truecolor()
        grey = max(r, g, b)
        color = RichColor.from_rgb(grey, grey, grey)
    background = None if bg is None else Color.from_rich_color(bg).monochrome.rich_color
    return style + Style.from_color(color, background)


class BrightMonochrome(LineFilter):
    """Every colour to grey, foregrounds never darker than their brightest channel."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """The segments in greys (links and text unchanged)."""
        return [
            Segment(text, None if style is None else bright_monochrome_style(style), None)
            for text, style, _ in segments
        ]
