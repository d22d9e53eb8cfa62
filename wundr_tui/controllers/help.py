"""What the help screen lists, built from the bindings of the classes themselves (the app, every
pane, the table, the detail, YAML and Logs views, the dialogs) and from the ``:`` command
table: a key added anywhere shows up, and the help reads the same whichever way it is opened
(``?``, ``:help``, the palette) and whatever has focus. Textual's own keys (focus next, copy)
are not the cockpit's and stay out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from textual.binding import Binding, BindingType
from textual.screen import Screen

from wundr_tui.controllers.keys import PROFILE_NOTES, ProfileRow
from wundr_tui.dialogs.audit import AuditScreen
from wundr_tui.dialogs.confirm import ConfirmScreen
from wundr_tui.dialogs.form import FormScreen
from wundr_tui.dialogs.help import HelpRow, HelpScreen, HelpSection, key_label
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.logs import LogsScreen
from wundr_tui.screens.yaml import YamlScreen
from wundr_tui.widgets.resource_table import ResourceTable

Command = tuple[str, tuple[str, ...], str]
"""A ``:`` command: (name, aliases, what it does)."""


def declared_bindings(cls: type[Any]) -> list[Binding]:
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


def rebound(bindings: Iterable[Binding], keymap: Mapping[str, str]) -> list[Binding]:
    """The bindings with the keys the keymap gives them (what the keys do in this run)."""
    out = []
    for b in bindings:
        keys = keymap.get(b.id) if b.id else None
        out.append(b if keys is None else b.with_key(keys, key_display=None))
    return out


def _rows(bindings: Iterable[Binding]) -> list[HelpRow]:
    return [HelpRow.of(b) for b in bindings]


def profile_section(rows: Sequence[ProfileRow], profile: str) -> HelpSection:
    """Where the k9s profile differs from ours: our keys, then k9s's (docs/keys.md has it
    all, from the same rows)."""
    return HelpSection(
        f'Key profiles: ours and k9s (keys = "k9s" in the config; this run: {profile})',
        [
            *(
                HelpRow(r.ours, f"{r.what} ({r.where}): k9s profile {r.k9s}")
                for r in rows
                if r.k9s != "same"
            ),
            *(HelpRow("", note) for note in PROFILE_NOTES.values()),
        ],
    )


def help_sections(
    app_bindings: Sequence[BindingType],
    panes: dict[str, type[PaneScreen]],
    commands: Sequence[Command],
    *,
    replaying: bool,
    actions: bool | None,
    keymap: Mapping[str, str] | None = None,
    profile: str = "default",
    profiles: Sequence[ProfileRow] = (),
) -> list[HelpSection]:
    """Every section of the help, with the keys ``keymap`` gives the bindings. ``actions``:
    the action flow's availability (False: this run has nothing to act on, None:
    read-only)."""
    keymap = keymap or {}

    def own_bindings(cls: type[Any]) -> list[Binding]:
        return rebound(declared_bindings(cls), keymap)

    everywhere = rebound(
        (
            b
            for b in app_bindings
            if isinstance(b, Binding) and (replaying or not b.action.startswith("replay_"))
        ),
        keymap,
    )
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
                        f"{key_label(keymap.get(f'sort.{key}', letter))} {_label(cls, key)}"
                        for letter, key in cls.SORT_LETTERS.items()
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
    if profiles:
        sections.append(profile_section(profiles, profile))
    return sections
