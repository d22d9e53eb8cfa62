"""A terminal of 16 colours: draw in the colours it will show.

On ``TERM=xterm`` (no ``COLORTERM``) Rich writes each colour as the nearest of the 16 standard
ones. The cockpit then uses Textual's ANSI theme (``ANSI_THEME``), whose colours are those 16
already, but blends (a panel tinted by an accent, a dimmed backdrop) are still computed as
truecolor. This filter turns every colour into the standard colour Rich would send, before it
is sent: the screen is the same, and a screenshot (``export_screenshot``, the snapshot tests,
``wundr-tui snapshot --format svg``) shows what the terminal shows, not a truecolor picture no
16-colour terminal can draw. Public Textual and Rich API only (``LineFilter``,
``Color.downgrade``).
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter


def _standard(color: RichColor | None) -> RichColor | None:
    return None if color is None else color.downgrade(ColorSystem.STANDARD)


@lru_cache(1024)
def sixteen_colour_style(style: Style) -> Style:
    """``style`` with its colours as the 16-colour terminal gets them."""
    color, bgcolor = _standard(style.color), _standard(style.bgcolor)
    if color is style.color and bgcolor is style.bgcolor:
        return style
    return style + Style.from_color(color, bgcolor)


class SixteenColours(LineFilter):
    """Every colour to the nearest of the terminal's 16 (links and text unchanged)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """The segments in 16 colours."""
        return [
            Segment(text, None if style is None else sixteen_colour_style(style), control)
            for text, style, control in segments
        ]
