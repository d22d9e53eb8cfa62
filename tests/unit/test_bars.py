"""The text bar of counts against a maximum (widgets/bars.py): each kind of cell, the min tick,
clamping, a zero maximum, unknown numbers, ASCII, the progress bar."""

from __future__ import annotations

import pytest

from wundr_tui.widgets.bars import ASCII_GLYPHS, GLYPHS, UNKNOWN, bar, cells, percent, progress


def test_filled_cells_are_the_count_scaled_to_the_max_and_the_rest_is_room() -> None:
    assert bar(4, 4, 10, 10) == "████······"
    assert bar(10, 10, 20, 10) == "█████·····"


def test_wanted_but_not_there_is_pending() -> None:
    """Scaling up 3 → 6 of 10: three filled, three pending, four of room."""
    assert bar(3, 6, 10, 10) == "███▒▒▒····"


def test_there_but_no_longer_wanted_is_surplus() -> None:
    """Scaling down 8 → 5: the five kept filled, the three going surplus."""
    assert bar(8, 5, 10, 10) == "█████▓▓▓··"


def test_the_min_tick_sits_between_the_cells_at_its_place() -> None:
    assert bar(3, 6, 10, 10, floor=2) == "██│█▒▒▒····"
    assert bar(4, 4, 10, 10, floor=0) == "│████······"
    assert bar(10, 10, 10, 10, floor=10) == "██████████│"


def test_every_glyph_is_distinct() -> None:
    """Without colour the glyphs are the meaning: no two kinds may look the same."""
    for glyphs in (GLYPHS, ASCII_GLYPHS):
        assert len(set(glyphs)) == len(glyphs)
        assert all(len(g) == 1 for g in glyphs)


def test_ascii_mode_uses_plain_ascii_glyphs() -> None:
    picture = bar(3, 6, 10, 10, floor=2, ascii_only=True)
    assert picture == "##|#+++...."
    assert bar(8, 5, 10, 10, ascii_only=True) == "#####xxx.."
    assert picture.isascii()


def test_more_than_the_max_fills_the_bar_and_no_more() -> None:
    """An HPA whose max was lowered under its current replicas: full, not longer."""
    assert bar(25, 20, 20, 10, floor=3) == "██│████████"
    assert bar(25, 30, 20, 10) == "█" * 10


def test_full_only_at_the_max_and_empty_only_at_zero() -> None:
    assert bar(19, 19, 20, 10) == "█████████·"
    assert bar(1, 1, 50, 10) == "█·········"
    assert bar(0, 0, 10, 10) == "··········"
    assert [cells(n, 20, 10) for n in (0, 1, 19, 20, 21)] == [0, 1, 9, 10, 10]


def test_a_one_replica_change_shows_on_a_large_scale() -> None:
    """5 and 6 of 50 both round to one cell; the change still shows as a pending cell, and
    near the top the gap opens downwards (48 of 50 is not a full bar)."""
    assert bar(5, 6, 50, 10) == "█▒········"
    assert bar(6, 5, 50, 10) == "█▓········"
    assert bar(47, 48, 50, 10) == "████████▒·"


def test_a_zero_max_draws_room_or_a_clamped_full_bar() -> None:
    assert bar(0, 0, 0, 10, floor=0) == "│··········"
    assert bar(2, 2, 0, 10) == "█" * 10


@pytest.mark.parametrize(
    ("have", "want", "top", "floor"),
    [(3, -1, 10, 1), (-1, 3, 10, 1), (3, 3, -1, 1), (3, 3, 10, -1)],
    ids=["desired", "current", "max", "min"],
)
def test_an_unknown_number_is_a_question_mark(have: int, want: int, top: int, floor: int) -> None:
    """A node pool known only from its nodes has bounds and desired of -1."""
    assert bar(have, want, top, 10, floor=floor) == UNKNOWN == "?"


def test_progress_is_a_bar_and_a_percent_that_says_100_only_when_done() -> None:
    assert progress(206, 412) == "████····  50%"
    assert progress(411, 412) == "███████·  99%"
    assert progress(412, 412) == "████████ 100%"
    assert progress(500, 412) == "████████ 100%"
    assert progress(0, 412) == "········   0%"
    assert progress(206, 412, ascii_only=True) == "####....  50%"


def test_progress_without_a_total_is_a_dash() -> None:
    assert progress(0, 0) == "-"
    assert percent(3, 0) == 0
