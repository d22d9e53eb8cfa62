"""Column layout (issue 13, "the why always visible"): which columns a narrow terminal drops
and how the width left is shared."""

from __future__ import annotations

from wundr_tui.widgets.rows import PADDING, Column, cut_path, layout


def col(key: str, width: int, **kw: object) -> Column:
    return Column(key, key.upper(), width, lambda c, cl, o: "", **kw)  # type: ignore[arg-type]


COLUMNS = [
    col("cluster", 3),
    col("namespace", 14, priority=3, min_width=10),
    col("name", 34, min_width=24),
    col("status", 16),
    col("restarts", 8, priority=1),
    col("node", 44, priority=4, min_width=16),
    col("owner", 24, priority=5, min_width=14),
]
WIDTHS = [c.width or 1 for c in COLUMNS]


def used(widths: list[int]) -> int:
    return sum(w + 2 * PADDING for w in widths if w)


def test_wide_enough_every_column_at_its_width() -> None:
    assert layout(COLUMNS, WIDTHS, 300) == WIDTHS


def test_narrow_drops_the_highest_priority_first_and_fits() -> None:
    out = layout(COLUMNS, WIDTHS, 80)
    shown = [c.key for c, w in zip(COLUMNS, out, strict=True) if w]
    assert shown == ["cluster", "namespace", "name", "status", "restarts"]
    assert used(out) == 80
    assert out[1] == 10  # the room left widens NAME (priority 0) before NAMESPACE
    assert layout(COLUMNS, WIDTHS, 60)[1] == 0


def test_a_little_narrower_cuts_to_min_width_before_dropping() -> None:
    out = layout(COLUMNS, WIDTHS, used(WIDTHS) - 10)
    assert all(out)
    assert used(out) <= used(WIDTHS) - 10


def test_priority_zero_columns_are_never_dropped() -> None:
    out = layout(COLUMNS, WIDTHS, 20)
    assert [w > 0 for w in out] == [True, False, True, True, False, False, False]
    assert out[2] == 24  # at its min width: the table scrolls sideways from here


def test_equal_priorities_drop_the_rightmost_first() -> None:
    cols = [col("a", 10), col("b", 10, priority=2), col("c", 10, priority=2)]
    assert layout(cols, [10, 10, 10], 25) == [10, 10, 0]


def test_a_grow_column_takes_what_is_left() -> None:
    cols = [col("what", 5), col("subject", 34, min_width=16), col("detail", 28, grow=True)]
    # 70 cells: DETAIL keeps its 28, SUBJECT gets the rest of the room (cut from 34 to 31).
    assert layout(cols, [5, 34, 28], 70) == [5, 31, 28]
    # 120: SUBJECT at its width, DETAIL takes everything left.
    assert layout(cols, [5, 34, 28], 120) == [5, 34, 120 - 6 - 5 - 34]


def test_cut_path_gives_up_the_namespace_first() -> None:
    name = "wundr-platform/setup-toolkit-twnrdcrw9z-zk7tb"
    assert cut_path(name, 60) == name
    assert cut_path(name, 30) == "setup-toolkit-twnrdcrw9z-zk7tb"
    assert cut_path(name, 20) == "setup-toolkit-twnrd…"
