"""LeanFooter: rebuilt when the keys it shows change (the revert key appearing), not when
focus moves between the table and the prompt with the same keys shown."""

from __future__ import annotations

import time

from tests.conftest import demo_store
from wundr_tui.app import WundrApp
from wundr_tui.widgets.footer import LeanFooter


def footer_text(app: WundrApp) -> str:
    footer = app.screen.query_one(LeanFooter)
    return " ".join(str(key.render()) for key in footer.children)


async def test_footer_rebuilds_only_when_its_keys_change() -> None:
    app = WundrApp(demo_store())
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        footer = app.screen.query_one(LeanFooter)
        first = list(footer.children)
        assert first, "the footer shows keys"
        await pilot.press("slash", "a", "enter", "slash", "escape")
        await pilot.pause()
        assert list(footer.children) == first, "same keys shown: the same key widgets"
        assert "Revert" not in footer_text(app)
        app.actions.revert_plan = lambda: None  # type: ignore[assignment,return-value]
        app.actions.revert_until = time.monotonic() + 60
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert "Revert" in footer_text(app)
        assert list(footer.children) != first
