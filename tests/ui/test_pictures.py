"""Pictures in the panes (issue 13, "Pictures where they beat numbers"): read from the table's
cells and lines, with colour and in low-bandwidth mode."""

from __future__ import annotations

from rich.text import Text

from tests.conftest import recorded_store
from wundr_tui.app import WundrApp
from wundr_tui.config import Config
from wundr_tui.widgets.resource_table import ResourceTable
from wundr_tui.widgets.sparkline import ASCII_BARS, BARS, HALF


def cell(table: ResourceTable, row: int, key: str) -> Text | str:
    at = [c.key for c in table.columns_spec].index(key)
    return table.get_row_at(row)[at]


def plain(c: Text | str) -> str:
    return c.plain if isinstance(c, Text) else c


async def test_lag_sparklines_share_the_panes_scale_and_show_the_threshold() -> None:
    """demo-120s: RDS lags 1m05s, Cloud SQL 15s (threshold 30 s). Each row scaled on its own,
    both reached the top bar; on one scale the 15 s row stays under the middle of the cell and
    the 65 s row reaches the top, its bars over 30 s drawn as bad."""
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        rows = {plain(cell(table, i, "engine")): i for i in range(table.row_count)}
        rds = cell(table, rows["rds"], "history")
        sql = cell(table, rows["cloudsql"], "history")
        assert isinstance(rds, Text) and isinstance(sql, Text)
        assert max(BARS.index(b) for b in sql.plain) < HALF
        assert BARS[-1] in rds.plain
        over = [s for s in rds.spans if "red" in str(s.style)]
        assert over and all(BARS.index(b) >= HALF for s in over for b in rds.plain[s.start : s.end])
        header = str(app.screen.query_one("#header").render())
        assert "lag ≥30s: ▅▆▇█" in header


async def test_lag_sparklines_are_ascii_in_low_bandwidth_mode() -> None:
    app = WundrApp(recorded_store("demo-120s.jsonl"), config=Config(low_bandwidth=True))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        for i in range(table.row_count):
            history = plain(cell(table, i, "history"))
            assert history and history.isascii() and set(history) <= set(ASCII_BARS)
