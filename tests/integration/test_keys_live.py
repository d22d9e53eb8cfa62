"""Keys and copy against the fake apiservers (issue 15 items 3 and 4): the k9s profile's keys
on live rows, and the copied kubectl command naming the kubeconfig's real context; nothing
mutating is sent."""

from __future__ import annotations

import shlex

from tests.fakes.kube_fixtures import EKS_CONTEXT, KubeWorld, assert_no_mutating_requests
from tests.integration.test_cockpit_live import SIZE, kube_sources, rows, until
from wundr_tui.app import WundrApp
from wundr_tui.config import Config
from wundr_tui.screens.base import PaneScreen
from wundr_tui.store import Store


async def test_k9s_keys_copy_live_rows_with_the_real_context(kube_world: KubeWorld) -> None:
    app = WundrApp(Store(), kube_sources(), config=Config(refresh_hz=20.0, keys_profile="k9s"))
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    namespace, _, name = sorted(kube_world.eks.state.keys("pods"))[0].partition("/")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")  # the k9s profile's digits pick namespaces
        await until(pilot, lambda: len(rows(app)) > 0, 15, "pods")
        screen = app.screen
        assert isinstance(screen, PaneScreen)
        screen.set_filter(name)
        await until(pilot, lambda: ["eks", namespace, name] in [r[:3] for r in rows(app)], 10, name)
        screen.table.move_cursor(row=[r[:3] for r in rows(app)].index(["eks", namespace, name]))
        await pilot.press("c", "K")
        await pilot.pause()
        assert copied == [
            name,
            shlex.join(
                ["kubectl", "--context", EKS_CONTEXT, "-n", namespace, "describe", "pod", name]
            ),
        ]
        assert app.cluster_filter is None
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.cluster_filter in app.store.clusters
        await pilot.press("q")
    assert_no_mutating_requests(kube_world.eks, kube_world.gke)
