"""Issue 15 against the fake apiservers (an EKS and a GKE context), the real app driven by
keys: /-l selects on the labels the pods' Table rows carry; :ns and :ctx narrow the panes;
contexts whose names say production get their PROD badge."""

from __future__ import annotations

from tests.fakes.k8s_objects import pod
from tests.fakes.kube_fixtures import KubeWorld, assert_no_mutating_requests
from tests.integration.test_cockpit_live import (
    CONFIG,
    SIZE,
    cluster_bar,
    kube_sources,
    rows,
    until,
)
from wundr_tui.app import WundrApp
from wundr_tui.screens.base import PaneScreen
from wundr_tui.store import Store


async def test_label_selector_namespace_and_context_live(kube_world: KubeWorld) -> None:
    kube_world.eks.state.put("pods", pod("payments-team", "worker-7d9f8c6b5-00001", owner="worker"))
    eks_pods = set(kube_world.eks.state.keys("pods"))
    gke_pods = set(kube_world.gke.state.keys("pods"))
    app = WundrApp(Store(), kube_sources(), config=CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        total = len(eks_pods) + len(gke_pods)
        await until(pilot, lambda: len(rows(app)) == total, 15, "every pod of both contexts")
        # Both contexts' names say production (…/wundr-production): a PROD badge each.
        assert cluster_bar(app).count(" PROD ") == 2

        await pilot.press("slash", *"-l app=orders-blue,environment!=production-green", "enter")
        await until(pilot, lambda: len(rows(app)) == 4, 5, "the orders-blue pods")
        assert {r[2].rsplit("-", 2)[0] for r in rows(app)} == {"orders-blue"}
        await pilot.press("escape")
        await until(pilot, lambda: len(rows(app)) == total, 5, "every pod again")

        await pilot.press("colon", *"ns pay", "tab", "enter")
        await until(pilot, lambda: len(rows(app)) == 1, 5, "the one payments-team pod")
        assert rows(app)[0][1:3] == ["payments-team", "worker-7d9f8c6b5-00001"]
        await pilot.press("colon", *"ns all", "enter", "colon", *"ctx gk", "tab", "enter")
        await until(pilot, lambda: len(rows(app)) == len(gke_pods), 5, "the GKE pods")
        assert {r[0] for r in rows(app)} == {"gke"}
        screen = app.screen
        assert isinstance(screen, PaneScreen) and "gke" in screen.header_text().plain
        await pilot.press("q")
    assert_no_mutating_requests(kube_world.eks, kube_world.gke)
