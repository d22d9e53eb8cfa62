"""The help screen: sections of keys and what they do, as the help controller builds them from
the bindings and the ``:`` commands (so it never drifts from the keys)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

_KEY_NAMES = {
    "question_mark": "?",
    "colon": ":",
    "slash": "/",
    "escape": "Esc",
    "space": "Space",
    "plus": "+",
    "minus": "-",
    "equals_sign": "=",
    "enter": "Enter",
    "tab": "Tab",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "at": "@",
    "comma": ",",
    "full_stop": ".",
    "number_sign": "#",
    "dollar_sign": "$",
    "percent_sign": "%",
    "ampersand": "&",
    "asterisk": "*",
    "exclamation_mark": "!",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "semicolon": ";",
    "apostrophe": "'",
    "quotation_mark": '"',
    "vertical_line": "|",
    "tilde": "~",
    "grave_accent": "`",
    "circumflex_accent": "^",
    "underscore": "_",
    "backslash": "\\",
    "delete": "Del",
    "backspace": "Bksp",
    "insert": "Ins",
}


def key_label(key: str) -> str:
    """How a key name reads in the help: ``ctrl+p`` → ``^p``, ``question_mark`` → ``?``."""
    key = key.strip()
    if key.startswith("ctrl+"):
        return "^" + key_label(key.removeprefix("ctrl+"))
    if key.startswith("shift+"):
        return "Shift+" + key_label(key.removeprefix("shift+"))
    return _KEY_NAMES.get(key, key)


def keys_label(binding: Binding) -> str:
    """Every key of a binding: ``enter,d`` → ``Enter, d``."""
    return ", ".join(key_label(k) for k in binding.key.split(","))


@dataclass(frozen=True, slots=True)
class HelpRow:
    """One line of the help: keys, what they do, and the pane they belong to ("" for none)."""

    keys: str
    what: str
    pane: str = ""

    @classmethod
    def of(cls, binding: Binding, pane: str = "") -> HelpRow:
        """A binding's row: its keys and its tooltip (the description in full), else its
        description (what the footer shows)."""
        return cls(keys_label(binding), binding.tooltip or binding.description, pane)


@dataclass(frozen=True, slots=True)
class HelpSection:
    """A titled group of rows."""

    title: str
    rows: Sequence[HelpRow]


def merged(rows: Sequence[HelpRow]) -> list[HelpRow]:
    """Rows that do the same thing in the same place become one: ``y, Enter  Confirm``."""
    out: list[HelpRow] = []
    for row in rows:
        same = next((r for r in out if (r.what, r.pane) == (row.what, row.pane)), None)
        if same is None:
            out.append(row)
        elif row.keys not in same.keys.split(", "):
            out[out.index(same)] = HelpRow(f"{same.keys}, {row.keys}", row.what, row.pane)
    return out


KEY_WIDTH = 12
"""Cells of the key column: the longest keys (``Home, ^Home``) fit."""


def help_table(sections: Sequence[HelpSection]) -> Group:
    """Each section: its title, then its keys and what they do; a pane's rows under the
    pane's name."""
    tables: list[Table | Text] = []
    for section in sections:
        if not section.rows:
            continue
        table = Table(
            box=None,
            show_header=False,
            pad_edge=False,
            title=Text(section.title, style="bold underline"),
            title_justify="left",
            expand=True,
        )
        table.add_column("KEY", width=KEY_WIDTH, no_wrap=True, overflow="fold")
        table.add_column("ACTION", ratio=1)
        pane = ""
        for row in merged(section.rows):
            if row.pane and row.pane != pane:
                pane = row.pane
                table.add_row(Text(pane, style="bold"), "")
            table.add_row(Text(row.keys, style="bold cyan"), row.what)
        if tables:
            tables.append(Text(""))
        tables.append(table)
    return Group(*tables)


def help_rows(sections: Sequence[HelpSection]) -> list[HelpRow]:
    """Every row, in order (what tests compare)."""
    return [row for section in sections for row in section.rows]


class HelpScreen(ModalScreen[None]):
    """Every key of the cockpit, by where it works; any of escape / q / ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen VerticalScroll { height: auto; max-height: 80vh; }
    """
    BINDINGS = [
        Binding(
            "escape,q,question_mark", "dismiss_help", "Close help", show=False, id="help.close"
        ),
    ]

    def __init__(self, sections: Sequence[HelpSection]) -> None:
        super().__init__()
        self.sections = list(sections)
        """What the help shows."""

    def compose(self) -> ComposeResult:
        """The sections (scrollable), and how to close."""
        with Vertical():
            with VerticalScroll():
                yield Static(Text("wundr-tui — keys (Up/Down scroll)", style="bold"))
                yield Static(help_table(self.sections), id="keys")
            # Outside the scroll: how to close it stays on screen when the keys do not fit.
            yield Static(
                Text("Ctrl+P opens the command palette. Esc closes this.", style="dim"),
                id="close",
            )

    def action_dismiss_help(self) -> None:
        """Close the help."""
        self.dismiss(None)
