"""Low-bandwidth mode (``--low-bandwidth``, automatic over SSH): the same screens, with plain
ASCII borders."""

from __future__ import annotations

from typing import Any

from tests.conftest import recorded_store
from wundr_tui.app import WundrApp
from wundr_tui.config import Config

SnapCompare = Any


def low_bandwidth_app() -> WundrApp:
    return WundrApp(recorded_store("demo-120s.jsonl"), config=Config(low_bandwidth=True))


def test_low_bandwidth_help_80x24(snap_compare: SnapCompare) -> None:
    """Low-bandwidth mode, help open over the incident pane at 80x24: the help box is drawn
    with plain ASCII (``+``, ``-``, ``|``) instead of rounded box-drawing lines; the rows, the
    cluster bar and the footer are as in normal mode."""
    app = low_bandwidth_app()
    assert app.low_bandwidth and app.animation_level == "none"
    assert snap_compare(app, press=["question_mark"], terminal_size=(80, 24))


def test_low_bandwidth_frame_rate_and_age_ticks() -> None:
    """Fewer frames and rarer age redraws than normal mode."""
    from wundr_tui.bandwidth import LOW_BANDWIDTH_AGE_REFRESH, LOW_BANDWIDTH_HZ

    assert Config().refresh_hz > LOW_BANDWIDTH_HZ
    assert LOW_BANDWIDTH_AGE_REFRESH >= 10
