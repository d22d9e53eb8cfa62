"""SVG snapshots of the screens ``test_every_pane`` does not cover (a filter, the help, panes
wide enough for every column), driven by the committed recording ``demo-120s.jsonl`` (the
seeded demo fleet, 120 simulated seconds in, on a frozen clock).

At that moment every kind of incident is on: HighErrorRate / HighLatency fire, api-gateway pods
are Pending and one node is NotReady, the api-gateway HPA and compute-pool are at their max,
RDS replica lag is over the threshold. Review a changed
SVG against the docstring of its test before accepting it (``--snapshot-update``).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import recorded_store
from wundr_tui.app import WundrApp

SnapCompare = Any


def app() -> WundrApp:
    return WundrApp(recorded_store("demo-120s.jsonl"))


def test_filtered_pods(snap_compare: SnapCompare) -> None:
    """Pods filtered with /api-gateway: only api-gateway pods, the header says /api-gateway."""
    assert snap_compare(
        app(), press=["2", "slash", *"api-gateway", "enter"], terminal_size=(100, 30)
    )


def test_label_filtered_pods_80x24(snap_compare: SnapCompare) -> None:
    """Pods at 80x24 filtered with the label selector /-l app=api-gateway,environment!=
    production-green: only api-gateway-blue pods (Pending ones first); the header says
    "labels app=api-gateway,environment!=production-green" in cyan after the row count."""
    typed = "-l app=api-gateway,environment!=production-green"
    assert snap_compare(app(), press=["2", "slash", *typed, "enter"], terminal_size=(80, 24))


@pytest.mark.parametrize("mode", ["colour", "xterm", "no_color"])
def test_production_header_80x24(
    snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """Pods at 80x24 after ":ctx eks" in colour, 16 colours and NO_COLOR: the top line red
    (ANSI red in 16 colours, a grey without colour; no DEMO badge, the app is not built as
    the demo), "EKS" and a reversed " PROD " badge (light red; readable as a word without
    colour), GKE dimmed with its own dim PROD; the header "Pods 46/92 · eks · worst first";
    only eks rows; the ":ctx" toast over the bottom rows."""
    from tests.snapshots.test_every_pane import MODES

    monkeypatch.delenv("COLORTERM", raising=False)
    for name, value in MODES[mode].items():
        monkeypatch.setenv(name, value)
    press = ["2", "colon", *"ctx eks", "enter"]
    assert snap_compare(app(), press=press, terminal_size=(80, 24))


def test_help_80x24(snap_compare: SnapCompare) -> None:
    """Help over the incident pane at 80x24: keys 1-9 and 0, :, /, c, ?, q, ^p with descriptions;
    the keys scroll inside the box and its last line, "Ctrl+P opens the command palette. Esc
    closes this.", stays on screen above the footer."""
    assert snap_compare(app(), press=["question_mark"], terminal_size=(80, 24))


@pytest.mark.parametrize(
    "key",
    ["4", "5", "6"],
    ids=["nodepools", "database", "alerts"],
)
def test_wide_pane_160x40(snap_compare: SnapCompare, key: str) -> None:
    """Node pools, Database and Alerts at 160x40, wide enough for every column: node pools end
    with CAPACITY, POLICY (BALANCED on GKE's autoscaled pools) and VERSION; database links show
    SYNC, PRIMARY and REGIONS; alerts end with their Alertmanager GROUP."""
    assert snap_compare(app(), press=[key], terminal_size=(160, 40))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_story_opened(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Enter on the api-gateway STORY (top line, CLU "all"): its eight rows listed under it,
    cause first (GKE's compute-pool "… · pods Pending, pool at max", the Pending
    api-gateway-blue pods, both HPAs at max, both blue/green pairs, the two alerts last), each
    subject marked "↳", its own reason first and "· same service" after it; the other four
    lines (the crash loop, the RDS lag, the system-pool story, EKS's compute-pool) below."""
    assert snap_compare(app(), press=["enter"], terminal_size=size)


def _acked_app() -> WundrApp:
    """The demo 130 s in (frozen clock), HighErrorRate on EKS acknowledged by alice at 60 s,
    for an hour."""
    from tests.conftest import DEMO_START
    from wundr_tui.backends.demo import EKS_CONTEXT, DemoFleet
    from wundr_tui.clock import FrozenClock
    from wundr_tui.store import Store

    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    for second in range(130):
        clock.advance(1.0)
        if second == 60:
            fleet.create_silence(
                EKS_CONTEXT,
                {"alertname": "HighErrorRate", "namespace": "wundr-platform"},
                3600,
                "ack: HighErrorRate wundr-platform/api-gateway",
                "alice",
            )
        store.apply(fleet.tick())
    return WundrApp(store)


@pytest.mark.parametrize("key", ["6", "1"], ids=["alerts", "incident"])
def test_acked_alert_80x24(snap_compare: SnapCompare, key: str) -> None:
    """An acknowledged alert stays listed: on Alerts, HighErrorRate's STATE says "acked" (yellow)
    and its SUMMARY starts "acked by alice 70s ago, 58m left ·"; on the Incident pane the
    api-gateway STORY line's DETAIL starts "1/3 acked by alice 70s ago, 58m left ·" (the
    other two alerts of the story are not acked)."""
    assert snap_compare(_acked_app(), press=[key], terminal_size=(80, 24))
