"""The "why" of each row at 80x24 (issue 13, "What to build" 1): read from the lines the table
draws, on the committed demo-120s recording (every kind of incident is on)."""

from __future__ import annotations

import pytest

from tests.conftest import recorded_store
from wundr_tui.app import WundrApp
from wundr_tui.screens.base import DetailLine
from wundr_tui.widgets.resource_table import ResourceTable


def lines(table: ResourceTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


def detail(app: WundrApp) -> str:
    return str(app.screen.query_one(DetailLine).render())


async def test_incident_rows_show_their_reason_at_80_columns() -> None:
    """SUBJECT and DETAIL are columns of their own: the reason of every row is on screen
    (it was cut off behind the subject: "wundr-platform/setup-toolkit-twnrdcrw9z-zk7tb  Cr…");
    a story's rows, opened, say their own reason first and why they belong after it."""
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")  # every story open: each row of a story under it
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        assert table.shown_columns == ["severity", "cluster", "what", "age", "subject", "detail"]
        assert table.table_width <= table.scrollable_content_region.width
        text = "\n".join(lines(table))
        for reason in (
            # Events now join the row about their object (BackOff, NodeNotReady and
            # FailedScheduling follow the words below, in the detail line when cut).
            "CrashLoopBackOff, 3 restart",
            "lag 1m05s (100MiB)",
            "1 of 3 nodes not ready",
            "at max 20/20 (cpu 125%/70%",
            "6 pods Pending",
            "at max 20/20, 6 not ready",
            "live: blue 14/20 ready",
            "setup-toolkit-twnrd",
        ):
            assert reason in text, reason


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("3", ["AT MAX", "cpu 125%/70%"]),
        ("4", ["14/20", "6 not ready", "AT MAX", "1 not ready"]),
        ("6", ["HighErrorRate", "firing", "pending", "api-gateway"]),
        ("7", ["PartiallyFailed", "2 err"]),
    ],
    ids=["hpa", "nodepools", "alerts", "backups"],
)
async def test_panes_read_at_80_columns_without_scrolling_sideways(
    key: str, why: list[str]
) -> None:
    """HPA, node pools, alerts and backups fit 80 columns: low-priority columns are dropped
    (to the detail line), the explaining ones stay."""
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        assert table.table_width <= table.scrollable_content_region.width
        assert not table.show_horizontal_scrollbar
        text = "\n".join(lines(table))
        for word in why:
            assert word in text, (word, text)


async def test_the_detail_line_shows_what_the_cursor_row_hides() -> None:
    """Above the footer: the cursor row's full subject and detail (Incident), its dropped and
    cut cells after their column's name (Pods); it follows the cursor at once."""
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert detail(app).startswith("wundr-platform/api-gateway  rollout v1.4.3 50s before")
        assert detail(app).endswith("→ HighErrorRate, HighLatency (eks)")
        await pilot.press("down")
        await pilot.pause()
        assert detail(app).startswith(
            "wundr-platform/setup-toolkit-twnrdcrw9z-zk7tb  CrashLoopBackOff, 3 restarts"
        )
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        assert "namespace" not in table.shown_columns
        # Worst first: the crash-looping pod is the top row; its dropped cells are shown.
        assert detail(app).startswith("NAMESPACE wundr-platform  NODE ip-10-0-")
        assert detail(app).endswith("OWNER setup-toolkit")


async def test_the_first_column_stays_when_the_table_scrolls_sideways() -> None:
    """At 40 columns the Pods pane's must-show columns do not fit: scrolled right, CLU stays at
    the left edge while NAME slides under it."""
    app = WundrApp(recorded_store("demo-120s.jsonl"))
    async with app.run_test(size=(40, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        assert table.table_width > table.scrollable_content_region.width
        before = lines(table)
        await pilot.press("right")
        await pilot.pause()
        after = lines(table)
        assert after[0].startswith(" CLU ") and after[1].startswith(" eks ")
        assert after[0] != before[0]  # the rest did scroll
        assert before[0][5:].strip().startswith("NAME")
        assert not after[0][5:].strip().startswith("NAME")
