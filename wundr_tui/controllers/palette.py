"""The command palette's action entries: the audit log, blue-green per cluster and on every
cluster, the revert, and the action keys of the pane on screen."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from textual.app import SystemCommand
from textual.screen import Screen

from wundr_tui.controllers.action_flow import ActionFlow


def action_commands(flow: ActionFlow, screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Blue-green per cluster and for all, the revert, and the pane's own action keys."""
    yield SystemCommand(
        "Audit log", "Recent actions: who, where, what, result (:audit)", flow.show_audit
    )
    available = flow.availability()
    if available is False:
        return
    off = "" if available else " (disabled: read-only mode)"
    if available:
        for name, c in flow.app.store.clusters.items():
            denied = flow.denied.get((name, "act_blue_green"))
            yield SystemCommand(
                f"Blue-green switch on {c.short}" + (" (not allowed)" if denied else ""),
                denied or "Switch the blue-green Service to the other colour (key b)",
                functools.partial(flow.blue_green, name),
            )
        if len(flow.app.store.clusters) > 1:
            yield SystemCommand(
                "Blue-green switch on every cluster",
                "One confirmation per cluster",
                flow.blue_green_all,
            )
        if flow.can_revert:
            yield SystemCommand("Revert the last switch", "Key u", flow.revert)
    else:
        yield SystemCommand(
            "Actions are disabled", f"Blue-green, scale, restore, silence{off}", lambda: None
        )
    check = getattr(screen, "check_action", None)
    for binding in getattr(screen, "BINDINGS", []):
        action = getattr(binding, "action", "")
        if not str(getattr(binding, "id", "")).startswith("act.") or check is None:
            continue
        if check(action, ()) is not True or action == "act_blue_green":
            continue
        yield SystemCommand(
            binding.description,
            f"On the row under the cursor (key {binding.key_display or binding.key})",
            functools.partial(flow.app.call_later, screen.run_action, action),
        )
