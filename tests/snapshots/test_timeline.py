"""SVG snapshots of ``:timeline`` on the seeded demo fleet 115 s into its story, on a frozen
clock (tick by tick, so every change has its own time)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import demo_store
from wundr_tui.app import WundrApp

SnapCompare = Any


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_timeline(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """The timeline, newest first: AGE and UTC time, the cluster tag, WHAT, SUBJECT, CHANGE.
    Near the top the GKE HPA and the crash-looping setup-toolkit pod on EKS; the FailedScheduling
    warnings folded into one row per burst (``+6``); the EKS alerts firing (red) and the lag
    over 30 s; EKS's compute-pool and HPA ``3 → 20 ... at max``; and 45 s ago the EKS ROLLOUT of
    wundr-platform/api-gateway-blue, ``image v1.4.2 → v1.4.3 (revision 5)``. At 120x40 the
    yesterday's daily backups (completed, green) are the last rows; the header reads
    ``Timeline  N/N · last 24 h · newest first``."""
    app = WundrApp(demo_store(115))
    assert snap_compare(app, press=["colon", *"timeline", "enter"], terminal_size=size)
