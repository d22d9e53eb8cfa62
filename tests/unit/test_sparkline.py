"""Sparklines on a scale shared by a pane's rows, split at the threshold (issue 13: a 0.4 s lag
drew full-height bars, and 15 s and 65 s reached the same top)."""

from __future__ import annotations

from wundr_tui.widgets.sparkline import ASCII_BARS, BARS, HALF, over_threshold, sparkline


def test_a_shared_top_keeps_small_lags_low() -> None:
    top = 65.0
    small = sparkline([0.1, 0.2, 0.4], top=top)
    assert set(small) == {BARS[0]}
    fifteen, sixty_five = sparkline([15.0], top=top), sparkline([65.0], top=top)
    assert BARS.index(fifteen) < BARS.index(sixty_five) == len(BARS) - 1


def test_without_a_shared_top_a_row_is_scaled_on_its_own() -> None:
    assert sparkline([0.1, 0.4]) == BARS[2] + BARS[-1]


def test_the_threshold_is_the_middle_of_the_cell() -> None:
    values = [0.4, 15.0, 29.9, 30.0, 40.0, 65.0]
    bars = sparkline(values, top=65.0, threshold=30.0)
    levels = [BARS.index(b) for b in bars]
    assert all(level < HALF for level in levels[:3])
    assert all(level >= HALF for level in levels[3:])
    assert levels[0] == 0 and levels[-1] == len(BARS) - 1
    assert levels == sorted(levels)
    assert over_threshold(values, 12, 30.0) == [False, False, False, True, True, True]


def test_under_the_threshold_nothing_crosses_the_middle_whatever_the_top() -> None:
    bars = sparkline([1.0, 10.0, 20.0, 29.0], top=29.0, threshold=30.0)
    assert all(BARS.index(b) < HALF for b in bars)


def test_ascii_bars_for_low_bandwidth() -> None:
    bars = sparkline([0.4, 15.0, 65.0], top=65.0, threshold=30.0, ascii_only=True)
    assert bars.isascii() and len(bars) == 3
    assert ASCII_BARS.index(bars[0]) < HALF <= ASCII_BARS.index(bars[2])


def test_only_the_last_width_values() -> None:
    assert len(sparkline(list(range(40)), 16, top=39.0)) == 16
    assert sparkline([], top=5.0) == ""
