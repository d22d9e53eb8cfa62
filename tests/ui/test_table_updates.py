"""ResourceTable at work: a changed cell reaches the screen whether its row is on screen or
scrolled into view later; a filter hides and brings back rows from cached cells; rows stay
sorted as pages arrive."""

from __future__ import annotations

import dataclasses
import re

import pytest

from tests.conftest import demo_store
from wundr_tui.app import WundrApp
from wundr_tui.config import Config
from wundr_tui.events import Upserted
from wundr_tui.model import Kind, Pod
from wundr_tui.widgets.resource_table import ResourceTable


def screen_text(table: ResourceTable) -> str:
    lines = [table.render_line(y).text for y in range(table.size.height)]
    return "\n".join(lines)


def by_name(table: ResourceTable) -> None:
    """Rows by cluster, namespace, name: the Pods pane's own order (worst first) moves a pod
    whose restarts change, and these tests are about cells and pages, not that order."""
    table.set_sort(("cluster", "namespace", "name"))
    table.move_cursor(row=0)  # the cursor followed its row; these tests start at the top


def pods_in_order(table: ResourceTable) -> list[str]:
    return ["\x1f".join(map(str, key)) for key in table.keys_in_order()]  # type: ignore[call-overload]


async def test_changes_on_and_off_screen_are_shown() -> None:
    store = demo_store()
    app = WundrApp(store)
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        by_name(table)
        assert table.row_count > 30
        keys = pods_in_order(table)
        top = keys[1].split("\x1f")
        bottom = keys[-1].split("\x1f")
        cluster_top, cluster_bottom = top[0], bottom[0]
        pod_top = store.get(cluster_top, Kind.POD, top[2])
        pod_bottom = store.get(cluster_bottom, Kind.POD, bottom[2])
        assert isinstance(pod_top, Pod) and isinstance(pod_bottom, Pod)
        screen_text(table)  # render once, so the caches hold the old values
        app.pump.emit(
            Upserted(cluster_top, Kind.POD, (dataclasses.replace(pod_top, restarts=4242421),))
        )
        app.pump.emit(
            Upserted(cluster_bottom, Kind.POD, (dataclasses.replace(pod_bottom, restarts=4242422),))
        )
        app.frame()
        await pilot.pause()
        text = screen_text(table)
        assert "4242421" in text
        assert "4242422" not in text  # off screen for now
        table.scroll_end(animate=False)
        await pilot.pause()
        assert "4242422" in screen_text(table)


async def test_filter_hides_and_restores_rows_in_order() -> None:
    app = WundrApp(demo_store())
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        by_name(table)
        before = pods_in_order(table)
        await pilot.press("slash", *"api-gateway")
        await pilot.pause()
        assert 0 < table.row_count < len(before)
        assert all("api-gateway" in k for k in pods_in_order(table))
        await pilot.press("escape")
        await pilot.pause()
        assert pods_in_order(table) == before


async def test_rows_stay_sorted_as_batches_arrive_out_of_order() -> None:
    store = demo_store()
    app = WundrApp(store)
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        by_name(table)
        cluster, pod = next(iter(store.all(Kind.POD)))
        assert isinstance(pod, Pod)
        # A new pod that sorts first, then one that sorts last: both land in place.
        early = dataclasses.replace(pod, namespace="aaa", name="first")
        late = dataclasses.replace(pod, namespace="zzz", name="last")
        app.pump.emit(Upserted(cluster, Kind.POD, (late,)))
        app.frame()
        app.pump.emit(Upserted(cluster, Kind.POD, (early,)))
        app.frame()
        await pilot.pause()
        cells = [table.get_row_at(i) for i in range(table.row_count)]
        order = [(str(c[0]), str(c[1]), str(c[2])) for c in cells]
        assert order == sorted(order)
        assert ("aaa", "first") in [(ns, name) for _, ns, name in order]


@pytest.mark.parametrize("low_bandwidth", [False, True], ids=["normal", "low-bandwidth"])
async def test_a_changed_cell_on_screen_writes_only_its_changed_characters(
    low_bandwidth: bool,
) -> None:
    """What reaches the terminal for one changed restart count: a move and the digits that
    differ, not the row or the table (bytes over SSH; terminal/output.py patches Textual).
    In low-bandwidth mode (the terminal's own colours) not even a colour sequence."""
    from textual._compositor import ChopsUpdate

    store = demo_store()
    app = WundrApp(store, config=Config(low_bandwidth=low_bandwidth))
    written: list[str] = []
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        by_name(table)
        cluster, _kind, key = table.keys_in_order()[3]
        pod = store.get(cluster, Kind.POD, key)
        assert isinstance(pod, Pod)
        app.pump.emit(Upserted(cluster, Kind.POD, (dataclasses.replace(pod, restarts=1234567),)))
        app.frame()
        await pilot.pause()

        def capture(screen: object, renderable: object) -> None:
            if isinstance(renderable, ChopsUpdate):
                written.append(renderable.render_segments(app.console))

        app._display = capture  # type: ignore[method-assign]
        app.pump.emit(Upserted(cluster, Kind.POD, (dataclasses.replace(pod, restarts=1234999),)))
        app.frame()
        await pilot.pause()
    out = "".join(written)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out)
    assert plain == "999", repr(out)
    assert len(out) < 60, repr(out)
    if low_bandwidth:
        assert re.fullmatch(r"\x1b\[\d+;\d+H999", out), repr(out)


async def test_a_row_that_moves_off_screen_writes_nothing() -> None:
    """A pod off screen whose sort key changes (here its restart count breaks a tie) moves in
    the order without a repaint: the screen shows the same rows, so nothing is written. (It
    used to take the row out and put it back, two virtual-size changes and two repaints of
    the whole table per change: 34 KB/s to the terminal under churn, bench/churn.py.) One
    that moves into view is drawn."""
    from textual._compositor import ChopsUpdate

    store = demo_store()
    app = WundrApp(store)
    written: list[str] = []
    async with app.run_test(size=(120, 20)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(ResourceTable)
        table.set_sort(("cluster", "namespace", "name", "restarts"))
        table.move_cursor(row=0)
        app.frame()  # the header says the new order
        await pilot.pause()
        cluster, _kind, key = table.keys_in_order()[-1]
        pod = store.get(cluster, Kind.POD, key)
        assert isinstance(pod, Pod)

        def capture(screen: object, renderable: object) -> None:
            if isinstance(renderable, ChopsUpdate):
                written.append(renderable.render_segments(app.console))

        app._display = capture  # type: ignore[method-assign]
        app.pump.emit(Upserted(cluster, Kind.POD, (dataclasses.replace(pod, restarts=4242423),)))
        app.frame()
        await pilot.pause()
        assert table.keys_in_order()[-1] == (cluster, "pod", key), "it moved in the order"
        assert "".join(written) == "", repr("".join(written)[:200])
        # Sorted worst first again, the same pod's next restart brings it to the top: drawn.
        table.set_sort(("restarts",), reverse=False)
        app.frame()
        await pilot.pause()
        written.clear()
        top = table.keys_in_order()[0]
        app.pump.emit(Upserted(cluster, Kind.POD, (dataclasses.replace(pod, restarts=9999999),)))
        app.frame()
        await pilot.pause()
        assert table.keys_in_order()[0] in {top, (cluster, "pod", key)}
        if table.keys_in_order()[0] == (cluster, "pod", key):
            assert "9999999" in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", "".join(written))
