"""The help screen, built from the bindings in force (so it never drifts from the keys)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

COMMANDS = ":pods :hpa :np :db :alerts :backups :events :timeline :incident :audit :help :quit"


def key_label(key: str) -> str:
    """How a key name reads in the help: ``ctrl+p`` → ``^p``, ``question_mark`` → ``?``."""
    names = {
        "question_mark": "?",
        "colon": ":",
        "slash": "/",
        "escape": "Esc",
        "space": "Space",
        "plus": "+",
        "minus": "-",
        "enter": "Enter",
    }
    return names.get(key, key.replace("ctrl+", "^"))


def help_table(bindings: list[Binding]) -> Table:
    """A two-column table of keys and what they do."""
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("KEY", min_width=8)
    table.add_column("ACTION")
    seen: set[str] = set()
    for b in bindings:
        if not b.description or b.description in seen:
            continue
        seen.add(b.description)
        keys = ", ".join(key_label(k.strip()) for k in b.key.split(","))
        table.add_row(Text(keys, style="bold cyan"), b.description)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys of the app and of the pane underneath; any of escape / q / ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen VerticalScroll { height: auto; max-height: 80vh; }
    """
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", "Close help", show=False),
    ]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self._keys = bindings

    def compose(self) -> ComposeResult:
        """The key table and the command list."""
        with Vertical():
            with VerticalScroll():
                yield Static(Text("wundr-tui — keys", style="bold"))
                yield Static(help_table(self._keys), id="keys")
                yield Static(
                    Text(
                        "\nUp/Down PgUp/PgDn Home/End move the highlight; "
                        "Left/Right scroll a wide table",
                        style="dim",
                    )
                )
                yield Static(Text(f"\nCommands after ':'  {COMMANDS}", style="dim"))
            # Outside the scroll: how to close it stays on screen when the keys do not fit.
            yield Static(
                Text("Ctrl+P opens the command palette. Esc closes this.", style="dim"),
                id="close",
            )

    def action_dismiss_help(self) -> None:
        """Close the help."""
        self.dismiss(None)
