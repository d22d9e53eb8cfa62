"""The baseline: the smallest Textual app that paints one word."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Minimal(App[None]):
    """One Static."""

    def compose(self) -> ComposeResult:
        """Paint a marker."""
        yield Static("minimal-ready")


if __name__ == "__main__":
    Minimal().run()
