"""RBAC in the cockpit over HTTP: when access reviews say no on every cluster, the action key
is shown disabled and the command palette says why; nothing mutating is sent."""

from __future__ import annotations

from collections.abc import Callable

from tests.fakes.kube_fixtures import KubeWorld, assert_no_mutating_requests
from wundr_tui.app import WundrApp
from wundr_tui.backends.kube import KubeOperator
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import Config
from wundr_tui.events import ClusterSeen
from wundr_tui.screens.base import PaneScreen
from wundr_tui.store import Store
from wundr_tui.wiring import live_router


async def wait_for(pilot: object, check: Callable[[], bool], tries: int = 400) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    raise AssertionError("condition never held")


async def test_forbidden_blue_green_is_disabled_with_the_reason(kube_world: KubeWorld) -> None:
    """Both apiservers refuse patch services: b is disabled, the palette gives the reason."""
    for server in kube_world.servers.values():
        server.faults.forbidden = {("patch", "services")}
    config = Config()
    clusters = discover_clusters(config)
    store = Store()
    store.apply([ClusterSeen(c) for c in clusters])
    operator = live_router(KubeOperator(config, clusters), None, {}, read_only=False)
    app = WundrApp(store, operator=operator, config=config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, PaneScreen)
        await wait_for(pilot, lambda: screen.check_action("act_blue_green", ()) is None)
        commands = {c.title: c.help for c in app.get_system_commands(screen)}
        (title,) = [t for t in commands if t.startswith("Blue-green switch on eks/")]
        assert title.endswith("(not allowed)")
        assert commands[title].startswith("forbidden: you may not patch services")
    assert_no_mutating_requests(kube_world.eks, kube_world.gke)


async def test_read_only_app_sends_no_mutating_request(kube_world: KubeWorld) -> None:
    """--read-only over HTTP: every action key on every pane, and the palette's blue-green
    command, leave both apiservers' logs without a single write (not even an access review:
    read-only refuses before asking)."""
    config = Config(read_only=True)
    clusters = discover_clusters(config)
    store = Store()
    store.apply([ClusterSeen(c) for c in clusters])
    operator = live_router(KubeOperator(config, clusters), None, {}, read_only=True)
    app = WundrApp(store, operator=operator, config=config, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        for pane_key in "1234567":
            await pilot.press(pane_key)
            await pilot.pause()
            await pilot.press("b", "s", "r", "S", "x", "u")
            await pilot.pause()
            assert isinstance(app.screen, PaneScreen), "no form or dialog opened"
        for cluster in store.clusters:
            assert app.actions.blue_green(cluster) is False
        await pilot.pause()
    for server in kube_world.servers.values():
        assert server.mutating_requests() == []
        assert not server.requests(lambda r: r.method != "GET")
