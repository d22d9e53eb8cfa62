"""Pilot tests of the Incident pane's header and rows: what it says must be true."""

from __future__ import annotations

from collections import Counter

from tests.conftest import demo_store
from wundr_tui.app import WundrApp
from wundr_tui.screens.incident import IncidentScreen

SIZE = (100, 30)


def incident_pane(app: WundrApp) -> IncidentScreen:
    screen = app.screen
    assert isinstance(screen, IncidentScreen)
    return screen


async def test_header_counts_follow_the_cluster_filter() -> None:
    """At 120 s the EKS cluster has the critical rows and GKE none: with ``c`` on GKE the
    header must not still say "2 critical"."""
    store = demo_store(120)
    by_cluster = {
        cluster: Counter(i.severity for i in store.incidents() if i.cluster == cluster)
        for cluster in store.clusters
    }
    eks, gke = list(store.clusters)
    assert by_cluster[eks]["critical"] > 0 and by_cluster[gke]["critical"] == 0
    app = WundrApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = incident_pane(app)
        total = sum(by_cluster[c]["critical"] for c in store.clusters)
        assert f"{total} critical" in screen.header_text().plain
        for cluster in (eks, gke):
            await pilot.press("c")
            await pilot.pause()
            assert app.cluster_filter == cluster
            header = screen.header_text().plain
            counts = by_cluster[cluster]
            assert f"{counts['critical']} critical" in header, header
            assert f"{counts['warning']} warning" in header, header
            assert app.cluster_tags[cluster] in header
