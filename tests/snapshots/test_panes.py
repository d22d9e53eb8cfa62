"""SVG snapshots of every pane, driven by the committed recording ``demo-120s.jsonl`` (the
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


def test_incident_80x24(snap_compare: SnapCompare) -> None:
    """Home at 80x24: critical rows first (HighErrorRate, RDS lag), then warnings (Pending
    api-gateway pods, NotReady nodes, HPA and compute-pool at max, HighLatency), below them the
    EVENT rows that explain them (NodeNotReady, the crash loop's BackOff, FailedScheduling on
    6 api-gateway-blue pods as one row), blue/green info rows last ("live: blue"); the cluster
    bar shows EKS and GKE with regions and green "live" badges; the footer lists : / c ? q."""
    assert snap_compare(app(), terminal_size=(80, 24))


def test_incident_100x30(snap_compare: SnapCompare) -> None:
    """Home at 100x30: the same rows as at 80x24 with more of each detail visible."""
    assert snap_compare(app(), terminal_size=(100, 30))


@pytest.mark.parametrize(
    ("key", "what"),
    [
        ("2", "pods: both clusters' pods sorted by cluster/namespace/name, statuses coloured"),
        ("3", "hpa: api-gateway-hpa per cluster, one AT MAX with cpu over target"),
        ("4", "node pools: three pools per cloud, READY joins Node objects, compute-pool AT MAX"),
        ("5", "database: RDS and Cloud SQL links with lag, bytes and a sparkline history"),
        ("6", "alerts: HighErrorRate critical firing, HighLatency warning"),
        ("7", "backups: daily-backup schedule, a week of backups, restores"),
    ],
    ids=["pods", "hpa", "nodepools", "database", "alerts", "backups"],
)
def test_pane_100x30(snap_compare: SnapCompare, key: str, what: str) -> None:
    """Each pane at 100x30 (see ``what`` for what the SVG must show)."""
    assert snap_compare(app(), press=[key], terminal_size=(100, 30))


def test_filtered_pods(snap_compare: SnapCompare) -> None:
    """Pods filtered with /api-gateway: only api-gateway pods, the header says /api-gateway."""
    assert snap_compare(
        app(), press=["2", "slash", *"api-gateway", "enter"], terminal_size=(100, 30)
    )


def test_help_80x24(snap_compare: SnapCompare) -> None:
    """Help over the incident pane at 80x24: keys 1-8, :, /, c, ?, q, ^p with descriptions;
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
def test_events_pane(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """Events (key 8) on both clusters, newest first: BackOff on the crash-looping
    setup-toolkit pod and NodeNotReady on the EKS node that is down at the top, then
    FailedScheduling "0/N nodes are available: N Insufficient cpu." on the Pending api-gateway
    pods (GKE's newer than EKS's); TYPE Warn in yellow, OBJECT as pod/NAME or node/NAME, NS
    blank ("-") for the node; the header counts the rows and shows the kube sources' badge. At
    80x24 the table starts with CLU, TYPE, REASON and OBJECT; at 120x40 COUNT and LAST SEEN
    and the start of MESSAGE show too."""
    assert snap_compare(app(), press=["8"], terminal_size=size)
