"""Help is built from the bindings and the ``:`` commands: every key of the app, of every pane
(its actions under its name), of the table, the detail, YAML and Logs views and the dialogs,
and every command, the same whether opened with ``?``, ``:help`` or the palette; never
Textual's own focus and copy keys. The expected list is derived from the classes here, so a
binding added anywhere and missing from the help fails this test."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from tests.conftest import demo_store
from wundr_tui.app import COMMANDS, PANES, WundrApp, command_list
from wundr_tui.backends.demo import DemoFleet
from wundr_tui.dialogs.audit import AuditScreen
from wundr_tui.dialogs.confirm import ConfirmScreen
from wundr_tui.dialogs.form import FormScreen
from wundr_tui.dialogs.help import HelpRow, HelpScreen, help_rows, keys_label
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.investigate import InvestigationScreen
from wundr_tui.screens.logs import LogsScreen
from wundr_tui.screens.yaml import YamlScreen
from wundr_tui.widgets.resource_table import ResourceTable


def declared(*classes: type[object]) -> list[Binding]:
    """Every described binding these classes declare themselves (not Textual's)."""
    out: list[Binding] = []
    for cls in classes:
        items: list[BindingType] = cls.__dict__.get("BINDINGS", [])
        out += [b for b in items if isinstance(b, Binding) and b.description]
    return out


def expected(app: WundrApp) -> set[tuple[str, str]]:
    """(keys, what) the help must show, from the classes' own bindings and the commands."""
    app_keys = [b for b in declared(WundrApp) if not b.action.startswith("replay_")]
    want = {(keys_label(b), b.tooltip or b.description) for b in app_keys}
    views = (
        PaneScreen,
        ResourceTable,
        InvestigationScreen,
        DetailScreen,
        YamlScreen,
        LogsScreen,
        ConfirmScreen,
        FormScreen,
        AuditScreen,
        HelpScreen,
    )
    want |= {(keys_label(b), b.tooltip or b.description) for b in declared(*views)}
    want |= {(f":{name}", what) for name, _, what in command_list()}
    return want


def shown(rows: list[HelpRow]) -> set[tuple[str, str]]:
    """(each key, what) pairs the help shows (merged rows split again, aliases dropped)."""
    out = set()
    for row in rows:
        what = (
            row.what.split(" (:")[0] if row.keys.startswith(":") and row.keys != ":" else row.what
        )
        out.add((row.keys, what))
        for key in row.keys.split(", "):
            out.add((key, what))
    return out


def covered(want: set[tuple[str, str]], have: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Wanted pairs missing (a binding's keys may be merged with another's in one row)."""
    return {
        (keys, what)
        for keys, what in want
        if (keys, what) not in have and not all((k, what) in have for k in keys.split(", "))
    }


async def open_help(app: WundrApp, how: str) -> list[HelpRow]:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        if how == "?":
            await pilot.press("question_mark")
        elif how == ":help":
            await pilot.press("colon", *"help", "enter")
        else:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"Help")
            await pilot.pause(0.3)
            await pilot.press("enter")
        for _ in range(20):
            await pilot.pause(0.05)
            if isinstance(app.screen, HelpScreen):
                break
        screen = app.screen
        assert isinstance(screen, HelpScreen), how
        return help_rows(screen.sections)


async def test_help_lists_every_binding_and_command_the_same_way_however_opened() -> None:
    fleet = DemoFleet()
    results = {}
    for how in ("?", ":help", "palette"):
        app = WundrApp(demo_store(), operator=fleet)
        results[how] = await open_help(app, how)
    assert results["?"] == results[":help"] == results["palette"]
    rows = results["?"]
    app = WundrApp(demo_store(), operator=fleet)
    missing = covered(expected(app), shown(rows))
    assert not missing, f"bindings or commands missing from help: {sorted(missing)}"
    whats = [row.what for row in rows]
    assert "Focus Next" not in whats and "Copy selected text" not in whats
    assert not any("super+c" in row.keys or row.keys == "tab" for row in rows)
    for name in ("audit", "help", "quit", *PANES):
        assert any(row.keys == f":{name}" for row in rows), name
    assert set(COMMANDS) <= {row.keys[1:] for row in rows if row.keys.startswith(":")}


async def test_each_panes_actions_are_listed_under_the_pane() -> None:
    app = WundrApp(demo_store(), operator=DemoFleet())
    rows = await open_help(app, "?")
    by_pane = {(row.pane, row.what) for row in rows if row.pane}
    for cls in PANES.values():
        for b in declared(PaneScreen):
            if b.action in cls.ACTIONS:
                assert (cls.TITLE_TEXT, b.description) in by_pane, (cls.PANE, b.action)
    assert ("Alerts", "Expire silence") in by_pane
    assert ("Pods", "Expire silence") not in by_pane
