"""A small modal form for an action's input (scale, restore, silence), validated as you type.

Each field is a text input or a choice list. ``validate`` gets every value and returns the
first problem in words, shown in red under the fields; Enter submits only valid input, and the
form's answer goes on to the plan and its confirmation dialog. Escape cancels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from wundr_tui.dialogs.text import block, one_line

Values = dict[str, str]
"""Field id → value as text."""


@dataclass(frozen=True, slots=True)
class Field:
    """One input of the form."""

    id: str
    label: str
    value: str = ""
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)
    """(shown, value) pairs: a choice list instead of a text input (shown as text as is)."""
    placeholder: str = ""


class FormScreen(ModalScreen[Values | None]):
    """Asks for an action's input; dismisses the values, or None when cancelled."""

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    FormScreen #title { text-style: bold; }
    FormScreen #intro { color: $text-muted; }
    FormScreen #intro-scroll { height: auto; max-height: 4; }
    FormScreen Horizontal { height: auto; }
    FormScreen Label { width: 12; padding: 0 1 0 0; }
    FormScreen Input, FormScreen Select { width: 1fr; }
    FormScreen #error { color: $error; height: auto; }
    /* A choice list opens over the fields below it and stays inside the dialog at 80x24
       (Select's own 12 rows spilled past its bottom edge); it scrolls, and each choice is
       one line, cut with … rather than wrapped. */
    FormScreen Select > SelectOverlay { max-height: 5; }
    FormScreen SelectOverlay { text-wrap: nowrap; text-overflow: ellipsis; }
    FormScreen #keys { color: $text-muted; }
    FormScreen #title, FormScreen #error, FormScreen Label {
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        validate: Callable[[Values], str | None],
        intro: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        """The heading."""
        self.fields = list(fields)
        """The inputs, in order."""
        self.validate = validate
        """Values → the first problem in words, or None."""
        self.intro = intro

    def compose(self) -> ComposeResult:
        """Heading, one row per field, the inline error line, the keys."""
        with Vertical():
            # Title and error are one line and the intro scrolls within four: whatever an
            # alert or a backup holds, the fields and the keys stay on screen.
            yield Static(one_line(self.title_text), id="title")
            if self.intro:
                with VerticalScroll(id="intro-scroll", can_focus=False):
                    yield Static(block(self.intro), id="intro")
            for f in self.fields:
                with Horizontal():
                    yield Label(one_line(f.label))
                    if f.choices:
                        yield Select(
                            [(one_line(shown), value) for shown, value in f.choices],
                            value=f.value or f.choices[0][1],
                            allow_blank=False,
                            id=f"f-{f.id}",
                            compact=True,
                        )
                    else:
                        yield Input(
                            f.value, placeholder=f.placeholder, id=f"f-{f.id}", compact=True
                        )
            yield Static("", id="error")
            yield Static("Enter next/submit · Tab move · Esc cancel", id="keys")

    def on_mount(self) -> None:
        """Focus the first field and show whether the defaults are valid."""
        first = self.query(f"#f-{self.fields[0].id}").first() if self.fields else None
        if first is not None:
            first.focus()
        self._show_error()

    def values(self) -> Values:
        """Every field's current value as text."""
        out: Values = {}
        for f in self.fields:
            widget = self.query_one(f"#f-{f.id}")
            if isinstance(widget, Select):
                value = widget.value
                out[f.id] = "" if value is Select.BLANK else str(value)
            elif isinstance(widget, Input):
                out[f.id] = widget.value
        return out

    def _show_error(self) -> str | None:
        problem = self.validate(self.values())
        # The problem quotes what was typed: shown as text, never parsed as markup.
        self.query_one("#error", Static).update(one_line(problem or ""))
        return problem

    def on_input_changed(self, event: Input.Changed) -> None:
        """Validate as the user types."""
        self._show_error()

    def on_select_changed(self, event: Select.Changed) -> None:
        """Validate when a choice changes."""
        self._show_error()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: on to the next field, or submit from the last one when valid."""
        event.stop()
        inputs = [w for w in self.query(Input) if w.id and w.id.startswith("f-")]
        if inputs and event.input is not inputs[-1]:
            self.focus_next()
            return
        if self._show_error() is None:
            self.dismiss(self.values())

    def action_cancel(self) -> None:
        """Close without acting."""
        self.dismiss(None)
