"""While the Logs screen is open the heap is frozen, so the full collections its repaints
bring walk only what came since; once it is closed it is unfrozen and collected."""

from __future__ import annotations

import gc
import weakref

import pytest

from tests.ui.test_logs_screen import SIZE, demo_app, settle
from wundr_tui.screens import logs
from wundr_tui.screens.logs import LogsScreen


async def test_the_heap_is_frozen_while_logs_show_and_the_screen_is_collected_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Following 10,000 lines/s repaints every row ten times a second; every strip Textual
    paints is a cycle, so full collections came every ~3 s and each walked the whole heap
    (80-150 ms on a loaded machine: keys waited that long, bench/logs.py). Frozen when the
    screen opens, they walk only what is new; the screen, frozen with the rest, must still be
    collected once it is closed (a frozen cycle would live forever)."""
    monkeypatch.setattr(logs, "FREEZE_AFTER_OPEN", 0.05, raising=False)
    monkeypatch.setattr(logs, "COLLECT_AFTER_CLOSE", 0.1, raising=False)  # tries again
    gc.unfreeze()
    app, _ = demo_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("3")
            await pilot.pause()
            assert gc.get_freeze_count() == 0
            await pilot.press("l")
            screen = app.screen
            assert isinstance(screen, LogsScreen)
            await settle(pilot, screen)
            for _ in range(100):  # bounded: 5 s
                if gc.get_freeze_count():
                    break
                await pilot.pause(0.05)
            assert gc.get_freeze_count() > 0, "not frozen while the Logs screen is open"
            shown = weakref.ref(screen)
            del screen
            await pilot.press("escape")
            for _ in range(200):  # bounded: 10 s
                await pilot.pause(0.05)
                if shown() is None:
                    break
            assert not isinstance(app.screen, LogsScreen)
            assert shown() is None, "the closed Logs screen is still alive (frozen?)"
            assert gc.get_freeze_count() > 0  # what is alive is frozen again
    finally:
        gc.unfreeze()
