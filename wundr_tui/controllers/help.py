"""What the help screen lists, built from the bindings of the classes themselves (the app, every
pane, the table, the detail, YAML and Logs views, the dialogs) and from the ``:`` command
table: a key added anywhere shows up, and the help reads the same whichever way it is opened
(``?``, ``:help``, the palette) and whatever has focus. Textual's own keys (focus next, copy)
are not the cockpit's and stay out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual.binding import Binding, BindingType
from textual.screen import Screen

from wundr_tui.dialogs.audit import AuditScreen
from wundr_tui.dialogs.confirm import ConfirmScreen
from wundr_tui.dialogs.form import FormScreen
from wundr_tui.dialogs.help import HelpRow, HelpScreen, HelpSection
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.logs import LogsScreen
from wundr_tui.screens.yaml import YamlScreen
from wundr_tui.widgets.resource_table import ResourceTable

Command = tuple[str, tuple[str, ...], str]
"""A ``:`` command: (name, aliases, what it does)."""


def own_bindings(cls: type[Any]) -> list[Binding]:
    """The bindings ``cls`` and its bases in wundr-tui declare, bases first (the order Textual
    merges them), with a description. Textual's own classes' (focus next, copy selected text,
    scroll) are not the cockpit's keys and stay out."""
    out: list[Binding] = []
    seen: set[tuple[str, str]] = set()
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("wundr_tui."):
            continue
        declared: Iterable[BindingType] = klass.__dict__.get("BINDINGS", ())
        for b in declared:
            if not isinstance(b, Binding) or not b.description or b.action in _TEXTUAL_OWN:
                continue
            if (b.key, b.action) not in seen:
                seen.add((b.key, b.action))
                out.append(b)
    return out


_TEXTUAL_OWN = frozenset(b.action for b in Screen.BINDINGS if isinstance(b, Binding))
"""Focus next / previous and copy: listed in some of our BINDINGS, never in the help."""


def _label(cls: type[PaneScreen], key: str) -> str:
    return next((c.label for c in cls.COLUMNS if c.key == key), key)


def _rows(bindings: Iterable[Binding]) -> list[HelpRow]:
    return [HelpRow.of(b) for b in bindings]


def help_sections(
    app_bindings: Sequence[BindingType],
    panes: dict[str, type[PaneScreen]],
    commands: Sequence[Command],
    *,
    replaying: bool,
    actions: bool | None,
) -> list[HelpSection]:
    """Every section of the help. ``actions``: the action flow's availability (False: this
    run has nothing to act on, None: read-only)."""
    everywhere = [
        b
        for b in app_bindings
        if isinstance(b, Binding) and (replaying or not b.action.startswith("replay_"))
    ]
    sections = [
        HelpSection(
            "Everywhere",
            [
                *_rows(everywhere),
                HelpRow("^p", "Command palette: every pane, action and command by name"),
            ],
        )
    ]
    pane_keys = [
        b
        for b in own_bindings(PaneScreen)
        # The read-only refusals answer the action keys; the actions section lists those.
        if not (b.id or "").startswith(("act.", "read_only.")) or b.action == "act_revert"
    ]
    sections.append(
        HelpSection(
            "On every pane",
            [
                *_rows(pane_keys),
                *_rows(own_bindings(ResourceTable)),
                HelpRow("/text", "Keep rows containing text (!text: rows without it)"),
                HelpRow("Enter", "In the / prompt: keep the filter; in the : prompt: run it"),
                HelpRow("Tab", "In the : prompt: complete the command"),
            ],
        )
    )
    note = (
        " — nothing to act on in this run"
        if actions is False
        else " — read-only: shown, never sent"
        if actions is None
        else ""
    )
    by_pane: list[HelpRow] = []
    for cls in panes.values():
        keys = [
            b
            for b in own_bindings(cls)
            if (b.action in cls.ACTIONS or b not in own_bindings(PaneScreen))
            and not (b.id or "").startswith("sort.")
        ]
        for b in keys:
            by_pane.append(HelpRow.of(b, pane=cls.TITLE_TEXT))
    sections.append(HelpSection(f"Actions, by pane{note}", by_pane))
    sections.append(
        HelpSection(
            "Sort, by pane (Shift+letter; the same key again reverses)",
            [
                HelpRow(
                    "Shift+",
                    " · ".join(
                        f"{letter} {_label(cls, key)}" for letter, key in cls.SORT_LETTERS.items()
                    ),
                    cls.TITLE_TEXT,
                )
                for cls in panes.values()
                if cls.SORT_LETTERS
            ],
        )
    )
    sections.append(HelpSection("Detail view (Enter, d)", _rows(own_bindings(DetailScreen))))
    sections.append(HelpSection("YAML view (y)", _rows(own_bindings(YamlScreen))))
    sections.append(HelpSection("Logs view (l)", _rows(own_bindings(LogsScreen))))
    sections.append(
        HelpSection(
            "Commands after :",
            [
                HelpRow(
                    f":{name}",
                    what + (f" ({', '.join(':' + a for a in aliases)})" if aliases else ""),
                )
                for name, aliases, what in commands
            ],
        )
    )
    sections.append(
        HelpSection(
            "In a dialog",
            [
                *(HelpRow.of(b, "Confirmation") for b in own_bindings(ConfirmScreen)),
                *(HelpRow.of(b, "Action form") for b in own_bindings(FormScreen)),
                HelpRow("Tab", "Next field", "Action form"),
                *(HelpRow.of(b, "Audit log") for b in own_bindings(AuditScreen)),
                *(HelpRow.of(b, "This help") for b in own_bindings(HelpScreen)),
            ],
        )
    )
    return sections
