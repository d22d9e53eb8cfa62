"""Text for dialogs, from strings that may come from a cluster, an alert or the user: never
parsed as markup (always a ``Text``), bounded in length, and one line where a dialog needs
the line (titles, labels, the error line) so fields and keys stay on screen."""

from __future__ import annotations

from rich.text import Text

MAX_SHOWN = 2_000
"""Characters of one value a dialog shows; the rest is cut with ``…`` (a 1 MB annotation
would otherwise be wrapped and laid out in full)."""


def cut(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` up to ``limit`` characters, ending in ``…`` when it was longer."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def one_line(text: str, style: str = "", limit: int = 500) -> Text:
    """A single line that ends in ``…`` where it does not fit (line breaks become spaces)."""
    flat = " ".join(cut(text, limit).splitlines())
    return Text(flat, style=style, no_wrap=True, overflow="ellipsis", end="")


def block(text: str, style: str = "", limit: int = MAX_SHOWN) -> Text:
    """Wrapped text for a scrollable part of a dialog, cut at ``limit`` characters."""
    return Text(cut(text, limit), style=style, end="")
