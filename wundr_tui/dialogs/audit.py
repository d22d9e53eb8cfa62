"""The audit log viewer (``:audit`` or the command palette): the most recent attempts, newest
last, the same lines ``wundr-tui audit`` prints."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from wundr_tui.audit import AuditLog, format_entry, read_entries
from wundr_tui.dialogs.text import cut, one_line

_RESULT_STYLE = {
    "DONE": "green",
    "FAILED": "bold red",
    "REFUSED": "yellow",
    "UNVERIFIED": "yellow",
    "CANCELLED": "dim",
}


def audit_text(log: AuditLog, limit: int = 50) -> Text:
    """Recent entries, one per line, the result coloured."""
    text = Text()
    try:
        entries = read_entries(log.path, limit)
    except OSError as exc:
        return Text(f"cannot read {log.path}: {exc.strerror or exc}", style="red")
    if not entries:
        return Text(f"no actions recorded yet ({log.path})", style="dim")
    for item in entries:
        line = format_entry(item)
        result = str(item.get("result", "")).upper()
        text.append(cut(line) + "\n", style=_RESULT_STYLE.get(result, ""))
    text.rstrip()
    return text


class AuditScreen(ModalScreen[None]):
    """Recent audit entries over the pane; Escape or q closes it."""

    DEFAULT_CSS = """
    AuditScreen { align: center middle; }
    AuditScreen > Vertical {
        width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    AuditScreen VerticalScroll { height: auto; max-height: 80vh; }
    AuditScreen #title { text-style: bold; }
    AuditScreen #title, AuditScreen #keys {
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="audit.close"),
    ]

    def __init__(self, log: AuditLog) -> None:
        super().__init__()
        self.audit = log
        """The audit log shown."""

    def compose(self) -> ComposeResult:
        """Title, the entries (scrollable), where the file is."""
        with Vertical():
            yield Static(one_line("Audit log — recent actions, newest last"), id="title")
            with VerticalScroll():
                yield Static(audit_text(self.audit), id="entries")
            # Outside the scroll, one line: the way out stays on screen whatever the entries.
            yield Static(one_line(f"{self.audit.path} · Esc close"), id="keys", classes="dim")

    def on_mount(self) -> None:
        """Show the newest entries."""
        self.query_one(VerticalScroll).scroll_end(animate=False)

    def action_close(self) -> None:
        """Back to the pane."""
        self.dismiss(None)
