"""Safety net for ``wundr_tui.terminal`` (the only code touching Textual's internals) and for
the GC policy: every private name the patches use exists on the pinned Textual; the cropped
partial updates put up the same screen as Textual's own; ASCII borders by CSS draw what the old
box patch drew; a dismissed dialog is collected after a load."""

from __future__ import annotations

import ast
import dataclasses
import gc
import importlib
import re
import tomllib
import weakref
from pathlib import Path
from typing import Any

import pyte
import pytest
from textual._compositor import ChopsUpdate, CompositorUpdate

from tests.conftest import demo_store
from wundr_tui import terminal
from wundr_tui.app import WundrApp
from wundr_tui.config import Config
from wundr_tui.events import Upserted
from wundr_tui.model import Kind, Pod
from wundr_tui.terminal import output

ROOT = Path(__file__).resolve().parents[2]

PRIVATE_NAMES = [
    # (module, attribute path) - everything under ``_`` that terminal/ reads or replaces
    ("textual._compositor", "ChopsUpdate.render_segments"),
    ("textual._compositor", "ChopsUpdate.chops"),
    ("textual._compositor", "ChopsUpdate.chop_ends"),
    ("textual._compositor", "ChopsUpdate.spans"),
    ("textual._xterm_parser", "XTermParser.feed"),
    ("textual._xterm_parser", "XTermParser.tick"),
    ("textual.strip", "Strip._segments"),
    ("rich.style", "Style._link"),
    ("rich.style", "Style._ansi"),
    ("rich.console", "Console._color_system"),
    ("textual.drivers.linux_driver", "LinuxDriver._app"),
    ("textual.drivers.linux_driver", "LinuxDriver._debug"),
    ("textual.drivers.linux_driver", "LinuxDriver._file"),
]
"""Kept by hand: a reviewer sees the whole surface at once. The scan below fails when the code
uses a private name not listed here."""

OURS = {
    *("_log", "_running", "_STOCK", "_DEFAULT_COLOURS", "_drain", "_app_loop", "_ask_exit"),
    *("_restore_now", "_terminal_lost", "_stream", "_on_lost", "_fail", "_restore", "_grace"),
    *("_lock", "_previous", "_force"),
    "_exit",  # os._exit: the standard library's, documented
}
"""Private names that terminal/ defines itself (or takes from the standard library)."""


def _instance_attrs(module: str, path: str) -> bool:
    """True if the attribute exists on the class or is assigned in its ``__init__``s."""
    obj: Any = importlib.import_module(module)
    *owners, name = path.split(".")
    for part in owners:
        obj = getattr(obj, part)
    if hasattr(obj, name) or name in getattr(obj, "__slots__", ()):
        return True
    import inspect

    for klass in getattr(obj, "__mro__", ()):
        init = klass.__dict__.get("__init__")
        if init is not None and f"self.{name} =" in inspect.getsource(init):
            return True
    return False


def test_textual_is_the_pinned_version() -> None:
    """The patches are written against one Textual release: pyproject pins it exactly and
    ``output.PINNED_TEXTUAL`` names the same one."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = [d for d in pyproject["project"]["dependencies"] if d.startswith("textual")]
    assert pins == [f"textual=={output.PINNED_TEXTUAL}"]
    assert output.textual_version() == output.PINNED_TEXTUAL


@pytest.mark.parametrize(("module", "path"), PRIVATE_NAMES, ids=[p for _, p in PRIVATE_NAMES])
def test_each_private_name_the_patches_use_exists(module: str, path: str) -> None:
    assert _instance_attrs(module, path), f"{module}.{path} is gone"


def test_the_list_of_private_names_is_complete() -> None:
    """Every ``_name`` attribute and every ``_module`` import in terminal/ is listed above."""
    names: set[str] = set()
    modules: set[str] = set()
    for path in Path(terminal.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules.add(node.module)
    private = {n for n in names if n.startswith("_") and not n.startswith("__")} - OURS
    assert private <= {p.split(".")[-1] for _, p in PRIVATE_NAMES}, sorted(private)
    private_modules = {m for m in modules if any(p.startswith("_") for p in m.split("."))}
    assert private_modules - {"__future__"} <= {m for m, _ in PRIVATE_NAMES}


async def test_the_patch_is_there_only_while_a_cockpit_runs() -> None:
    """Other Textual apps in the same process (tests) see Textual's own output."""
    stock = ChopsUpdate.render_segments
    assert stock is not output.render_cropped
    app = WundrApp(demo_store())
    async with app.run_test(size=(80, 24)):
        assert ChopsUpdate.render_segments is output.render_cropped
    assert ChopsUpdate.render_segments is stock


async def test_another_textual_version_gets_stock_output_and_a_log_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(output, "textual_version", lambda: "9.0.0")
    app = WundrApp(demo_store())
    async with app.run_test(size=(80, 24)):
        assert ChopsUpdate.render_segments is not output.render_cropped
    assert "Textual 9.0.0 is not the pinned" in caplog.text


class _Terminal:
    """A pyte screen fed raw output bytes."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.screen = pyte.Screen(*size)
        self.stream = pyte.Stream(self.screen)

    def feed(self, data: str) -> None:
        self.stream.feed(data)

    def cells(self) -> list[list[tuple[str, str, str, bool, bool, bool, bool]]]:
        """Every cell: character, colours and attributes."""
        buf = self.screen.buffer
        width, height = self.screen.columns, self.screen.lines
        return [
            [
                (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.reverse)
                for c in (buf[y][x] for x in range(width))
            ]
            for y in range(height)
        ]


@pytest.mark.parametrize("low_bandwidth", [False, True], ids=["normal", "low-bandwidth"])
async def test_cropped_updates_put_up_the_same_screen_as_textuals_own(
    low_bandwidth: bool,
) -> None:
    """One run, every update rendered twice, by the crop and by stock Textual, each into its
    own pyte terminal: after every update both terminals show the same characters in the same
    colours. The run switches panes, changes pods on screen, filters, opens and closes help."""
    size = (120, 30)
    store = demo_store()
    app = WundrApp(store, config=Config(low_bandwidth=low_bandwidth))
    cropped, stock = _Terminal(size), _Terminal(size)
    updates = {"chops": 0, "diffs": 0}

    def capture(screen: object, renderable: object) -> None:
        if isinstance(renderable, ChopsUpdate):
            updates["chops"] += 1
            mine = output.render_cropped(renderable, app.console)
            theirs = output.stock_render_segments(renderable, app.console)
            updates["diffs"] += mine != theirs
        elif isinstance(renderable, CompositorUpdate):
            mine = theirs = renderable.render_segments(app.console)
        else:
            return
        cropped.feed(mine)
        stock.feed(theirs)
        assert cropped.cells() == stock.cells()

    app._display = capture  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        pods = [(c, p) for c, p in store.all(Kind.POD) if isinstance(p, Pod)]
        for step in range(1, 6):
            for cluster, pod in pods[step : step * 7 : 3]:
                bumped = dataclasses.replace(pod, restarts=pod.restarts + 17 * step)
                app.pump.emit(Upserted(cluster, Kind.POD, (bumped,)))
            app.frame()
            await pilot.pause()
        await pilot.press("slash", *"api", "enter")
        await pilot.pause()
        await pilot.press("slash", "escape")
        await pilot.pause()
        await pilot.press("3", "question_mark")
        await pilot.pause()
        await pilot.press("escape", "1")
        await pilot.pause()
    assert updates["chops"] >= 5, updates
    assert updates["diffs"] >= 5, "the crop wrote different bytes (else the test proves nothing)"
    assert re.search(r"\S", "".join(cropped.screen.display))


def _borders(app: WundrApp) -> dict[tuple[str, str], tuple[str, object]]:
    """(widget, edge) -> (border type, colour) for every node of every screen shown."""
    out: dict[tuple[str, str], tuple[str, object]] = {}
    for screen in app.screen_stack:
        for node in screen.walk_children(with_self=True):
            border = node.styles.border
            for edge, (kind, colour) in zip("trbl", border, strict=True):
                out[(f"{node!r}@{id(node)}", edge)] = (kind, colour)
    return out


async def test_ascii_borders_by_css_draw_what_the_box_patch_drew() -> None:
    """In low-bandwidth mode each bordered thing the cockpit shows (dialog boxes, the form's
    fields, toasts, the footer's palette key, the command palette) has the same edges in the
    same colours as without the mode, drawn in ASCII: what replacing every box but none /
    hidden / blank with ``ascii`` at draw time did."""
    from tests.conftest import DEMO_START
    from wundr_tui.backends.demo import DemoFleet
    from wundr_tui.clock import FrozenClock
    from wundr_tui.store import Store

    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    app = WundrApp(store, operator=fleet)
    app.low_bandwidth = app.ascii_borders = True
    app.add_class("ascii-borders")
    states = 0
    async with app.run_test(size=(100, 30)) as pilot:

        async def check(what: str) -> None:
            nonlocal states
            await pilot.pause()
            app.remove_class("ascii-borders")
            await pilot.pause()
            boxes = _borders(app)
            app.add_class("ascii-borders")
            await pilot.pause()
            ascii = _borders(app)
            expected = {
                key: ("ascii" if kind not in ("", "none", "hidden", "blank") else kind, colour)
                for key, (kind, colour) in boxes.items()
            }
            assert ascii == expected, what
            states += any(kind == "ascii" for kind, _ in ascii.values())

        app.notify("information")
        app.notify("warning", severity="warning")
        app.notify("error", severity="error")
        await check("incident pane, footer, toasts")
        await pilot.press("question_mark")
        await check("help")
        await pilot.press("escape", "b")
        await check("blue-green confirmation")
        await pilot.press("escape", "3", "s")
        await check("scale form")
        await pilot.press("escape", "ctrl+p")
        await check("command palette")
    assert states >= 4


async def test_a_dismissed_dialog_is_collected_after_a_load() -> None:
    """Help is open while a load freezes the heap; once dismissed, the next load collects it
    (unfreeze, collect, freeze): a frozen cycle would otherwise live forever."""
    app = WundrApp(demo_store())
    app.FREEZE_AFTER = 20  # a load: a frame applying 20 objects ...
    app.FREEZE_SETTLE = 0.0  # ... over at the next frame: no clock in the test
    cluster = next(iter(app.store.clusters))
    pods = tuple(p for c, p in app.store.all(Kind.POD) if c == cluster)
    assert len(pods) >= 20

    def load() -> None:
        app.pump.emit(Upserted(cluster, Kind.POD, pods))
        app.frame()
        app.frame()

    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            help_screen = weakref.ref(app.screen)
            assert type(help_screen()).__name__ == "HelpScreen"
            load()  # frozen while open
            await pilot.press("escape")
            await pilot.pause()
            await pilot.pause()
            assert type(app.screen).__name__ != "HelpScreen"
            load()
            assert help_screen() is None, gc.get_referrers(help_screen())[:3]
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(("env", "delay"), [(None, 0.025), ("40", 0.04)], ids=["unset", "set"])
def test_escdelay_is_25_ms_unless_the_environment_says(env: str | None, delay: float) -> None:
    """``cli.main`` sets ``$ESCDELAY`` before Textual loads (Textual reads it once)."""
    import os
    import subprocess
    import sys

    code = (
        "from wundr_tui.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "from textual import constants\nprint(constants.ESCAPE_DELAY)"
    )
    environ = {k: v for k, v in os.environ.items() if k != "ESCDELAY"}
    if env is not None:
        environ["ESCDELAY"] = env
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=environ
    )
    assert float(result.stdout.split()[-1]) == delay, result.stderr
