"""Sorting a pane (issue 13): the Pods pane opens worst first (failing, then pending, then
restarts, then age); a Shift+letter per column sorts by it, again reverses it; the header
says so; help lists the keys of every pane."""

from __future__ import annotations

import itertools

from tests.conftest import demo_store, recorded_store
from wundr_tui.app import PANES, WundrApp
from wundr_tui.controllers.help import help_sections
from wundr_tui.model import Kind, Pod
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.cells import pod_rank
from wundr_tui.widgets.resource_table import ResourceTable
from wundr_tui.widgets.rows import natural


def pods_shown(app: WundrApp) -> list[Pod]:
    table = app.screen.query_one(ResourceTable)
    out = []
    for cluster, _kind, key in table.keys_in_order():
        pod = app.store.get(cluster, Kind.POD, key)
        assert isinstance(pod, Pod)
        out.append(pod)
    return out


def header(app: WundrApp) -> str:
    assert isinstance(app.screen, PaneScreen)
    return app.screen.header_text().plain


async def test_pods_open_worst_first_and_each_letter_sorts_by_its_column() -> None:
    app = WundrApp(recorded_store())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        pods = pods_shown(app)
        ranks = [pod_rank(p.status, p.ready, p.containers) for p in pods]
        assert ranks == sorted(ranks), "failing, then not ready, then pending, then running"
        assert ranks[0] == "0" and pods[0].status not in ("Running", "Pending")
        for a, b in itertools.pairwise(pods):
            if pod_rank(a.status, a.ready, a.containers) == pod_rank(
                b.status, b.ready, b.containers
            ):
                assert a.restarts >= b.restarts, "then the most restarts"
        assert "· worst first" in header(app)

        await pilot.press("N")
        await pilot.pause()
        names = [p.name for p in pods_shown(app)]
        assert "by NAME" in header(app)
        assert names == sorted(names, key=natural)
        await pilot.press("N")
        await pilot.pause()
        assert "by NAME, reversed" in header(app)
        again = [p.name for p in pods_shown(app)]
        assert again == sorted(names, key=natural, reverse=True)

        await pilot.press("A")
        await pilot.pause()
        created = [p.created for p in pods_shown(app)]
        assert created == sorted(created, reverse=True), "AGE: newest first"
        assert "by AGE" in header(app)

        await pilot.press("T")
        await pilot.pause()
        restarts = [p.restarts for p in pods_shown(app)]
        assert restarts == sorted(restarts, reverse=True), "RESTARTS: most first"
        await pilot.press("S")
        await pilot.pause()
        assert "· worst first" in header(app), "STATUS: the pane's own order again"
        await pilot.press("S")
        await pilot.pause()
        assert "by STATUS, reversed" in header(app)
        ranks = [pod_rank(p.status, p.ready, p.containers) for p in pods_shown(app)]
        assert ranks == sorted(ranks, reverse=True)


async def test_the_cursor_stays_on_its_row_when_the_order_changes() -> None:
    app = WundrApp(demo_store())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("2", "down", "down", "down")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        on = table.selected_key()
        await pilot.press("N")
        await pilot.pause()
        assert table.selected_key() == on
        cursor_y = table.cursor_row - int(table.scroll_y)
        assert 0 <= cursor_y < table.size.height - 1, "scrolled into view"


async def test_silence_keeps_shift_s_on_the_alerts_pane() -> None:
    """``S`` silences on the Alerts pane; there its columns sort by other letters."""
    alerts = PANES["alerts"]
    assert "S" not in alerts.SORT_LETTERS
    assert alerts.SORT_LETTERS["V"] == "severity"
    assert PANES["pods"].SORT_LETTERS["S"] == "status"


def test_help_lists_every_panes_sort_keys() -> None:
    sections = help_sections([], PANES, [], replaying=False, actions=True)
    sort = next(s for s in sections if s.title.startswith("Sort"))
    panes = {row.pane: row.what for row in sort.rows}
    for cls in PANES.values():
        if not cls.SORT:
            continue
        assert cls.TITLE_TEXT in panes
        for letter, key in cls.SORT_LETTERS.items():
            label = next(c.label for c in cls.COLUMNS if c.key == key)
            assert f"{letter} {label}" in panes[cls.TITLE_TEXT]
    assert "N NAME" in panes["Pods"] and "A AGE" in panes["Pods"]
