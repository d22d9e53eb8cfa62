"""Low-bandwidth mode (``--low-bandwidth``, automatic over SSH): the same screens in the
terminal's own 16 colours (Textual's ``ansi-dark`` theme: the shortest colour sequences, none
at all for default text), with plain ASCII borders."""

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
    with plain ASCII (``+``, ``-``, ``|``) instead of rounded box-drawing lines, in the
    terminal's 16 colours (no dimmed backdrop); its "Esc closes this." line on screen."""
    app = low_bandwidth_app()
    assert app.low_bandwidth and app.animation_level == "none"
    assert snap_compare(app, press=["question_mark"], terminal_size=(80, 24))


def test_low_bandwidth_incident_80x24(snap_compare: SnapCompare) -> None:
    """Low-bandwidth mode, the incident pane at 80x24: the same rows as normal mode, in the
    terminal's own colours: default text on the default background, the header row on bright
    blue, the cursor row reversed, CRIT red, WARN yellow."""
    assert snap_compare(low_bandwidth_app(), terminal_size=(80, 24))


def test_low_bandwidth_frame_rate_and_age_ticks() -> None:
    """Fewer frames and rarer age redraws than normal mode."""
    from wundr_tui.bandwidth import LOW_BANDWIDTH_AGE_REFRESH, LOW_BANDWIDTH_HZ

    assert Config().refresh_hz > LOW_BANDWIDTH_HZ
    assert LOW_BANDWIDTH_AGE_REFRESH >= 10
