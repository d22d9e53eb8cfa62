"""Pictures in the panes (issue 13, "Pictures where they beat numbers"): read from the table's
cells and lines, with colour and in low-bandwidth mode."""

from __future__ import annotations

from rich.text import Text

from tests.conftest import recorded_store
from wundr_tui.app import WundrApp
from wundr_tui.config import Config
from wundr_tui.screens.base import DetailLine
from wundr_tui.screens.nodepools import NodePoolsScreen
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


def lines(table: ResourceTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


def row_of(table: ResourceTable, cluster: str, key: str, name: str) -> int:
    return next(
        i
        for i in range(table.row_count)
        if plain(cell(table, i, "cluster")) == cluster and plain(cell(table, i, key)) == name
    )


async def test_hpa_replicas_bar_reads_at_80_columns_and_the_why_keeps_its_room() -> None:
    """demo-120s: both api-gateway HPAs run 20 of max 20 (min 3). At 80 columns the bar
    replaces the four numbers (CUR/WANT go to the detail line): full, the min tick after 3 of
    20, the filled cells in the BAD style; METRICS is whole (it was cut to "cpu 88%/70%
    memory …")."""
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        assert table.shown_columns == ["cluster", "name", "replicas", "status", "metrics"]
        assert table.table_width <= table.scrollable_content_region.width
        bar = cell(table, row_of(table, "gke", "name", "api-gateway-hpa"), "replicas")
        assert isinstance(bar, Text) and bar.plain == "██│████████"
        assert all("red" in str(s.style) for s in bar.spans if "█" in bar.plain[s.start : s.end])
        text = "\n".join(lines(table))
        assert "██│████████  AT MAX   cpu 125%/70% memory 70%/80%" in text
        assert "CUR 20  WANT 20" in str(app.screen.query_one(DetailLine).render())


async def test_node_pool_bar_shows_ready_pending_and_room_up_to_max() -> None:
    """gke compute-pool: 14 of 20 desired nodes ready (max 20): seven cells ready, three
    pending; eks system-pool (fixed 3, one node NotReady): seven ready, three pending, the
    tick at the end; memory-pool sits at its min of 2 of 10. ASCII in low-bandwidth mode."""
    want = {
        ("gke", "compute-pool"): ("██│█████▒▒▒", "##|#####+++"),
        ("eks", "system-pool"): ("███████▒▒▒│", "#######+++|"),
        ("eks", "memory-pool"): ("██│········", "##|........"),
    }
    for ascii_only in (False, True):
        app = WundrApp(recorded_store("demo-120s.jsonl"), config=Config(low_bandwidth=ascii_only))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("4")
            await pilot.pause()
            table = app.screen.query_one(ResourceTable)
            assert "nodes" in table.shown_columns
            assert table.table_width <= table.scrollable_content_region.width
            for (cluster, pool), pictures in want.items():
                bar = cell(table, row_of(table, cluster, "name", pool), "nodes")
                assert plain(bar) == pictures[ascii_only], (cluster, pool)


async def test_backup_progress_is_a_bar_and_a_percent() -> None:
    """A completed backup is a full bar at 100%; the PartiallyFailed one (2 items failed) is
    not full and says 99%."""
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        assert "progress" in table.shown_columns
        progress = {
            plain(cell(table, i, "phase")): plain(cell(table, i, "progress"))
            for i in range(table.row_count)
        }
        assert progress["Completed"] == "██████ 100%"
        assert progress["PartiallyFailed"] == "█████·  99%"


async def test_the_nodes_bar_sorts_fullest_first_and_its_letter_again_reverses_it() -> None:
    """Sorting by the NODES column orders by the share of the max that is ready, not by the
    glyphs' code points: 20/20 and 3/3 first, 14/20, 2/3, then the 2-of-10 memory pools."""
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NodePoolsScreen)
        letter = {key: letter for letter, key in screen.SORT_LETTERS.items()}["nodes"]
        table = screen.query_one(ResourceTable)

        def shares() -> list[float]:
            out = []
            for i in range(table.row_count):
                ready, total = plain(cell(table, i, "ready")).split("/")
                bound = plain(cell(table, i, "bounds"))
                top = int(bound.split("-")[1]) if "-" in bound else int(total)
                out.append(int(ready) / top)
            return out

        await pilot.press(letter)
        await pilot.pause()
        assert shares() == sorted(shares(), reverse=True)
        assert shares()[0] == 1.0 and shares()[-1] == 0.2
        await pilot.press(letter)
        await pilot.pause()
        assert shares() == sorted(shares())
