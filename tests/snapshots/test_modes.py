"""SVG snapshots of the mode badge: what the cockpit runs on, first on the cluster bar of a
pane and on the first line of a view opened from one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import demo_world, recorded_store
from tests.snapshots.test_detail import _open_crashing_pod
from wundr_tui.app import WundrApp
from wundr_tui.backends.demo.logs import DemoLogs

SnapCompare = Any


def test_demo_read_only_badges_80x24(snap_compare: SnapCompare) -> None:
    """The incident pane at 80x24 of a demo run with --read-only: the cluster bar starts with
    DEMO (reversed yellow) and READ-ONLY (reversed green), then EKS us-east-1 and GKE
    us-central1 with their badges, the clusters' names left out to make room; the rest is the
    same screen as test_every_pane[incident-80x24-colour]."""
    app = WundrApp(recorded_store("demo-120s.jsonl"), demo=True, read_only=True)
    assert snap_compare(app, terminal_size=(80, 24))


def test_demo_read_only_badges_no_color_80x24(
    snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same with NO_COLOR: the badges are light grey reversed on the dark grey bar (dark
    text on a light block), as readable as the EKS/GKE tags."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = WundrApp(recorded_store("demo-120s.jsonl"), demo=True, read_only=True)
    assert snap_compare(app, terminal_size=(80, 24))


def test_detail_view_demo_read_only_badges_80x24(snap_compare: SnapCompare) -> None:
    """Enter on the crash-looping setup-toolkit pod of a demo run with --read-only: the detail
    view's first line starts with DEMO and READ-ONLY, as a pane's cluster bar does, then the
    breadcrumb in what is left ("Incident > pod eks/setup-toolkit-…", whole at 80 columns);
    the rest is the same screen as test_detail_of_the_crashing_pod[80x24]."""
    store, fleet = demo_world(115)
    app = WundrApp(store, inspector=fleet, logs=DemoLogs(fleet), demo=True, read_only=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_open_crashing_pod)
