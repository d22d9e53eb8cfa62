"""ResourceTable's row bookkeeping against brute force: the order after pages arrive from two
clusters in any order, and the rows each filter keeps (typing on narrows from the rows shown;
other changes start again from every row)."""

from __future__ import annotations

import dataclasses
import random

from textual.app import App, ComposeResult

from wundr_tui.clock import FrozenClock
from wundr_tui.model import Kind, Pod
from wundr_tui.screens.pods import COLUMNS
from wundr_tui.store import Store
from wundr_tui.widgets.resource_table import ResourceTable
from wundr_tui.widgets.rows import RowContext, RowFilter

SORT = ("cluster", "namespace", "name")
TAGS = {"eks-prod": "eks", "gke-prod": "gke"}


def pods(n: int, seed: int) -> list[Pod]:
    rng = random.Random(seed)
    return [
        Pod(
            namespace=f"team-{rng.randrange(30):02d}",
            name=f"svc-{rng.randrange(50)}-{i:05x}",
            status=rng.choice(["Running", "Pending", "CrashLoopBackOff"]),
            ready=1,
            containers=1,
            restarts=rng.randrange(5),
            created=1_700_000_000.0,
            node=f"node-{rng.randrange(9)}",
            owner="x",
        )
        for i in range(n)
    ]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResourceTable(COLUMNS, sort_columns=SORT, id="t")


def expected(table: ResourceTable, held: dict[tuple[str, str, str], tuple[str, Pod]]) -> list:
    flt = table.row_filter
    ctx = RowContext(Store(FrozenClock(1_700_000_100.0)), 1_700_000_100.0, TAGS)
    rows = []
    for rk, (cluster, pod) in held.items():
        cells = table.render_row(ctx, cluster, pod)
        if flt.keeps(cluster, cells):
            rows.append(((TAGS[cluster], pod.namespace, pod.name), rk))
    return [rk for _, rk in sorted(rows)]


async def test_order_and_filters_match_brute_force() -> None:
    app = TableApp()
    async with app.run_test(size=(120, 30)):
        table = app.query_one(ResourceTable)
        ctx = RowContext(Store(FrozenClock(1_700_000_100.0)), 1_700_000_100.0, TAGS)
        held: dict[tuple[str, str, str], tuple[str, Pod]] = {}
        rng = random.Random(3)
        # Pages of each cluster in key order, the clusters interleaved (splices), plus
        # stragglers out of order (bisected) and a big shuffled batch (re-sorted).
        streams = {c: sorted(pods(900, i), key=lambda p: p.key) for i, c in enumerate(TAGS)}
        pages = [(c, s[i : i + 100]) for c, s in streams.items() for i in range(0, 900, 100)]
        rng.shuffle(pages)
        pages.sort(key=lambda cp: streams[cp[0]].index(cp[1][0]))  # per-cluster order kept
        for cluster, page in [*pages, ("eks-prod", pods(30, 9)), ("gke-prod", pods(200, 8))]:
            for p in page:
                held[(cluster, "pod", p.key)] = (cluster, p)
            table.sync_keys(
                ctx,
                Kind.POD,
                [(cluster, p.key) for p in page],
                lambda c, k, key: held[(c, k.value, key)][1],
            )
            assert table.keys_in_order() == expected(table, held)
        for text, cluster in [
            ("team-0", None),
            ("team-01", None),  # narrows
            ("team-01 ", None),
            ("crash", "gke-prod"),
            ("!running", None),
            ("", "eks-prod"),
            ("", None),
        ]:
            table.row_filter = RowFilter(text, cluster)
            assert table.keys_in_order() == expected(table, held), (text, cluster)
        # A change that moves a row in and out of the filter, and a deletion.
        table.row_filter = RowFilter("crash")
        (rk, (cluster, pod)) = next((k, v) for k, v in held.items() if v[1].status == "Running")
        held[rk] = (cluster, dataclasses.replace(pod, status="CrashLoopBackOff"))
        gone = next(k for k, v in held.items() if v[1].status == "CrashLoopBackOff" and k != rk)
        del held[gone]
        table.sync_keys(
            ctx,
            Kind.POD,
            [(rk[0], rk[2]), (gone[0], gone[2])],
            lambda c, k, key: held.get((c, k.value, key), (c, None))[1],
        )
        assert table.keys_in_order() == expected(table, held)
        assert rk in table.keys_in_order() and gone not in table.keys_in_order()


async def test_a_row_that_moves_is_drawn_with_its_new_cells() -> None:
    """A row drawn once, hidden by a filter, then changed so the filter keeps it again, is
    drawn from its new cells, not from the line drawn before."""
    app = TableApp()
    async with app.run_test(size=(160, 30)) as pilot:
        table = app.query_one(ResourceTable)
        ctx = RowContext(Store(FrozenClock(1_700_000_100.0)), 1_700_000_100.0, TAGS)
        held = {p.key: p for p in pods(20, 4)}
        table.sync_all(ctx, [("eks-prod", p) for p in held.values()])
        await pilot.pause()
        running = next(p for p in held.values() if p.status == "Running")
        lines = [table.render_line(y).text for y in range(table.size.height)]
        assert any(running.name in line for line in lines), "drawn once"
        table.row_filter = RowFilter("crashloop")
        changed = dataclasses.replace(running, status="CrashLoopBackOff", restarts=4242)
        held[running.key] = changed
        table.sync_keys(ctx, Kind.POD, [("eks-prod", running.key)], lambda c, k, key: held[key])
        await pilot.pause()
        lines = [table.render_line(y).text for y in range(table.size.height)]
        line = next(line for line in lines if running.name in line)
        assert "CrashLoopBackOff" in line and "4242" in line, line


async def test_a_new_sort_orders_every_row_and_keeps_the_cursor_on_its_row() -> None:
    """Shift+letter sorting: by a column (ties by the pane's order), reversed, and back; the
    rows a filter keeps follow; later changes land where the new order puts them; the
    cursor stays on the row it was on."""
    app = TableApp()
    async with app.run_test(size=(160, 30)):
        table = app.query_one(ResourceTable)
        ctx = RowContext(Store(FrozenClock(1_700_000_100.0)), 1_700_000_100.0, TAGS)
        held = {("eks-prod", "pod", p.key): p for p in pods(300, 5)}
        table.sync_all(ctx, [(rk[0], p) for rk, p in held.items()])
        table.move_cursor(row=17)
        on = table.selected_key()

        def by_restarts(reverse: bool) -> list[tuple[str, str, str]]:
            tie = sorted(held, key=lambda rk: (held[rk].namespace, held[rk].name))
            # Most restarts first (the column's own order); reversed: fewest first.
            return sorted(tie, key=lambda rk: -held[rk].restarts * (-1 if reverse else 1))

        table.set_sort(("restarts", *SORT), reverse=False)
        assert table.keys_in_order() == by_restarts(False)
        assert table.selected_key() == on
        table.set_sort(("restarts", *SORT), reverse=True)
        assert table.keys_in_order() == by_restarts(True)
        assert table.selected_key() == on
        table.row_filter = RowFilter("crash")
        kept = [rk for rk in by_restarts(True) if held[rk].status == "CrashLoopBackOff"]
        assert table.keys_in_order() == kept
        # A pod that restarts again moves to where the reversed order wants it.
        rk = kept[0]
        held[rk] = dataclasses.replace(held[rk], restarts=99)
        table.sync_keys(ctx, Kind.POD, [(rk[0], rk[2])], lambda c, k, key: held[(c, "pod", key)])
        assert table.keys_in_order()[-1] == rk
        table.row_filter = RowFilter("")
        table.set_sort(SORT)
        assert table.keys_in_order() == sorted(
            held, key=lambda rk: (held[rk].namespace, held[rk].name)
        )
