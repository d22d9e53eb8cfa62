"""Stories on the Incident pane: one line each, Enter opens and closes one, o every one, a
story's row opens its object, the cluster filter tells each cluster's own stories."""

from __future__ import annotations

from tests.conftest import recorded_store
from wundr_tui.app import WundrApp
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.incident import IncidentScreen


def whats(app: WundrApp) -> list[str]:
    table = app.screen.table  # type: ignore[attr-defined]
    return [str(table.get_row_at(i)[2]) for i in range(table.row_count)]


async def test_enter_opens_a_story_under_it_and_closes_it() -> None:
    app = WundrApp(recorded_store())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)
        closed = whats(app)
        assert closed[0] == "STORY" and len(closed) == 5
        await pilot.press("enter")
        await pilot.pause()
        opened = whats(app)
        assert opened[0] == "STORY" and len(opened) == 5 + 8
        table = app.screen.table
        second = table.get_row_at(1)
        assert str(second[4]).startswith("↳ ")
        assert str(second[5]).endswith("· pods Pending, pool at max")
        # Enter on one of its rows opens that row's object, not the story.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("up", "enter")
        await pilot.pause()
        assert whats(app) == closed


async def test_o_opens_every_story_then_closes_them() -> None:
    app = WundrApp(recorded_store())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        closed = whats(app)
        await pilot.press("o")
        await pilot.pause()
        assert len(whats(app)) == len(closed) + 8 + 5
        await pilot.press("o")
        await pilot.pause()
        assert whats(app) == closed


async def test_the_cluster_filter_tells_that_clusters_stories() -> None:
    """Filtered to GKE (c): its own rows make its own story; the header counts GKE only."""
    app = WundrApp(recorded_store())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        pane = app.screen
        assert isinstance(pane, IncidentScreen)
        gke = next(name for name, tag in app.cluster_tags.items() if tag == "gke")
        pane.table.row_filter.cluster = gke
        pane.refresh_pane(None, full=True)
        await pilot.pause()
        table = pane.table
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [str(r[2]) for r in rows] == ["STORY"]
        assert str(rows[0][1]) == "gke"
        assert "(eks" not in str(rows[0][5]) and "(gke" not in str(rows[0][5])


async def test_a_filter_finds_the_rows_inside_closed_stories() -> None:
    """/ names a row that only a closed story holds: the story shows with that row under
    it (on main the pane went empty: the filter saw the story lines only)."""
    app = WundrApp(recorded_store())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        pane = app.screen
        assert isinstance(pane, IncidentScreen)
        await pilot.press("o")
        await pilot.pause()
        inner = [
            pane.table.get_row_at(i)
            for i in range(pane.table.row_count)
            if str(pane.table.get_row_at(i)[4]).startswith("↳ ")
        ]
        await pilot.press("o")
        await pilot.pause()
        assert inner
        name = str(inner[-1][4]).removeprefix("↳ ")
        pane.set_filter(name)
        await pilot.pause()
        rows = [pane.table.get_row_at(i) for i in range(pane.table.row_count)]
        assert [str(r[2]) for r in rows][:1] == ["STORY"]
        assert any(str(r[4]) == f"↳ {name}" for r in rows)
        assert all(name in str(r[4]) for r in rows if str(r[2]) != "STORY")
        # Cleared, the story is closed again, as it was.
        pane.set_filter("")
        await pilot.pause()
        assert not any(
            str(pane.table.get_row_at(i)[4]).startswith("↳ ") for i in range(pane.table.row_count)
        )
