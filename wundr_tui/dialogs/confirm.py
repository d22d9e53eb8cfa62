"""The confirmation dialog every action goes through: the exact change (before → after), where
(cluster, cloud, namespace), the checks and the warnings.

``y`` / Enter confirm, ``n`` / Escape cancel. On a production cluster the user types the
cluster's name instead (a reflexive ``y`` must not switch production traffic). A plan whose
checks failed shows why and can only be closed, unless every failed check is overridable (a
blue-green capacity shortfall): then the shortfall stays in view above the field and the user
types the override phrase (``override``, ``override CLUSTER`` on production) to go ahead.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from wundr_tui.actions.base import Plan
from wundr_tui.dialogs.text import block, cut, one_line


def plan_text(plan: Plan) -> Text:
    """The dialog's body: where, the diff, details, checks and warnings."""
    text = Text()
    c = plan.cluster
    rows = [("cluster", f"{c.short} ({plan.cloud_label})")]
    if plan.namespace:
        rows.append(("namespace", plan.namespace))
    subject = plan.subject.removeprefix(f"{plan.namespace}/") if plan.namespace else plan.subject
    if subject and subject != plan.namespace:
        rows.append(("object", subject))
    for key, value in rows:
        text.append(f"{key:<10}", style="dim")
        text.append(f"{cut(value)}\n", style="bold" if key == "cluster" else "")
    if plan.changes:
        text.append("\n")
        width = min(max(len(ch.what) for ch in plan.changes), 24)
        for ch in plan.changes:
            text.append(f"{cut(ch.what, 200):<{width}}  ", style="dim")
            if ch.before == ch.after:
                text.append(f"{cut(ch.after)} (unchanged)\n", style="dim")
                continue
            if ch.before != "-":
                text.append(cut(ch.before), style="red")
                text.append(" → ")
            text.append(f"{cut(ch.after)}\n", style="bold green")
    if plan.details:
        text.append(cut(" · ".join(plan.details)) + "\n", style="dim")
    if plan.checks or plan.warnings:
        text.append("\n")
    for check in plan.checks:
        text.append("✓ " if check.ok else "✗ ", style="green" if check.ok else "bold red")
        text.append(f"{cut(check.text)}\n", style="" if check.ok else "red")
    for warning in plan.warnings:
        text.append("! ", style="bold yellow")
        text.append(f"{cut(warning)}\n", style="yellow")
    text.rstrip()
    return text


class ConfirmScreen(ModalScreen[bool]):
    """Shows a plan; dismisses True to go ahead, False to cancel."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    ConfirmScreen.blocked > Vertical, ConfirmScreen.override > Vertical {
        border: thick $error;
    }
    ConfirmScreen VerticalScroll { height: auto; max-height: 16; }
    ConfirmScreen #title { text-style: bold; }
    ConfirmScreen #keys { color: $text-muted; }
    ConfirmScreen #typed { margin: 0; }
    ConfirmScreen #typed-label { color: $warning; text-style: bold; }
    ConfirmScreen #mismatch { color: $error; height: auto; }
    ConfirmScreen #override-why { color: $error; text-style: bold; height: auto; }
    ConfirmScreen #title, ConfirmScreen #typed-label,
    ConfirmScreen #mismatch, ConfirmScreen #keys {
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "confirm", "Confirm", id="confirm.yes"),
        Binding("enter", "confirm", "Confirm", show=False, id="confirm.enter"),
        Binding("n", "cancel", "Cancel", id="confirm.no"),
        Binding("escape", "cancel", "Cancel", show=False, id="confirm.escape"),
    ]

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
        """What would be done."""
        self.override = plan.needs_override
        """Only overridable checks failed: typing the override phrase lets the plan run."""
        self.expected = (
            plan.override_phrase
            if self.override
            else plan.typed_confirmation
            if plan.blocked is None
            else None
        )
        """What the user must type: the override phrase, the cluster name (production), or
        None."""

    def compose(self) -> ComposeResult:
        """Heading, body, the typed confirmation when needed, the keys."""
        blocked = None if self.override else self.plan.blocked
        if blocked is not None:
            self.add_class("blocked")
        if self.override:
            self.add_class("override")
        with Vertical():
            title = f"Cannot proceed: {self.plan.title}" if blocked else self.plan.title
            # One line whatever the title holds (an alert's name): the keys stay on screen.
            yield Static(one_line(title), id="title")
            # While a name must be typed, the name field is the first thing focused: focus
            # moving scroll → field after mount would let the first keys typed miss the field.
            with VerticalScroll(can_focus=self.expected is None):
                yield Static(plan_text(self.plan), id="body")
            if self.override:
                # The shortfall beside the field, whatever the body's scroll shows; wrapped,
                # not cut: the numbers are the point (bounded like every dialog text).
                why = "; ".join(c.text for c in self.plan.checks if not c.ok)
                yield Static(block(f"✗ {why}", limit=600), id="override-why")
                yield Static(
                    one_line(f"To go ahead anyway, type {self.expected} and press Enter"),
                    id="typed-label",
                )
            elif self.expected is not None:
                yield Static(
                    one_line(f"Production cluster: type {self.expected} and press Enter"),
                    id="typed-label",
                )
            if self.expected is not None:
                yield Input(placeholder=self.expected, id="typed", compact=True)
                yield Static("", id="mismatch")
            if blocked is not None:
                keys = "n/Esc close — nothing was sent"
            elif self.override:
                keys = "Enter go ahead (after typing the override) · Esc cancel"
            elif self.expected is not None:
                keys = "Enter confirm (after typing the name) · Esc cancel"
            else:
                keys = "y/Enter confirm · n/Esc cancel"
            yield Static(one_line(keys), id="keys")

    def on_mount(self) -> None:
        """Focus the name field when there is one."""
        if self.expected is not None:
            self.query_one("#typed", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``y`` / Enter do nothing on a blocked plan or while a name must be typed."""
        typing_or_blocked = self.plan.blocked is not None or self.expected is not None
        return not (action == "confirm" and typing_or_blocked)

    def action_confirm(self) -> None:
        """Go ahead."""
        self.dismiss(True)

    def action_cancel(self) -> None:
        """Change nothing."""
        self.dismiss(False)

    def on_input_changed(self, event: Input.Changed) -> None:
        """An edit makes the last mismatch message stale: clear it (what is on screen always
        describes what is in the field)."""
        event.stop()
        self.query_one("#mismatch", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the name field confirms only when the name matches exactly."""
        event.stop()
        if event.value.strip() == self.expected:
            if self.override:
                self.plan.overridden = True
            self.dismiss(True)
        else:
            self.query_one("#mismatch", Static).update(
                one_line(f"that is not {self.expected}: type it exactly, or Esc to cancel")
            )
