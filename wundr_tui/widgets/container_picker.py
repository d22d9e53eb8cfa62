"""The Logs screen's container picker (``c``): "all containers" and each container name seen,
the current one highlighted; Enter picks, Esc closes. Names come from the cluster: shown as
plain text, never markup, cut to one line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wundr_tui.safe_text import safe

ALL = ""
"""The value that means every container."""
MAX_NAME = 80
"""Characters of a name shown (a container name is at most 63; anything longer is cut)."""
MAX_NAMES = 200
"""Names listed at most (a group of pods with many distinct sidecars stays one short list)."""


class ContainerPicker(OptionList):
    """A list over the bottom of the Logs screen, hidden until ``c``."""

    DEFAULT_CSS = """
    ContainerPicker, ContainerPicker:focus {
        dock: bottom; display: none; width: 60; max-width: 100%; height: auto;
        max-height: 14; border: round $accent; background: $surface;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", show=False, id="picker.close")
    ]

    class Picked(Message):
        """A container was chosen (``ALL`` for every container)."""

        def __init__(self, container: str) -> None:
            super().__init__()
            self.container = container
            """The container name, or ``ALL``."""

    class Closed(Message):
        """The picker closed without a choice."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "container"
        self.values: list[str] = []
        """What each option picks, in list order."""

    def open(self, names: Iterable[str], current: str) -> None:
        """Fill the list, highlight ``current``, show it and take the focus."""
        values = [ALL, *sorted(set(names) - {ALL})[:MAX_NAMES]]
        self.values = values
        self.clear_options()
        self.add_options(
            Option(
                Text(
                    "all containers" if v == ALL else safe(v)[:MAX_NAME],
                    no_wrap=True,
                    overflow="ellipsis",
                    style="italic" if v == ALL else "",
                )
            )
            for v in values
        )
        self.highlighted = values.index(current) if current in values else 0
        self.display = True
        self.focus()

    def close(self) -> None:
        """Hide the list."""
        self.display = False

    def action_close(self) -> None:
        """Esc: close without choosing."""
        self.close()
        self.post_message(self.Closed())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click): pick the highlighted container."""
        event.stop()
        self.close()
        if 0 <= event.option_index < len(self.values):
            self.post_message(self.Picked(self.values[event.option_index]))
