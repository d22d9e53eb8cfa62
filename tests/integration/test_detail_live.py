"""The detail and YAML views over the wire: the real app (Pilot) with real KubeSources and
the KubeReader as its inspector, against the two fake apiservers; asserting what the user
sees (the detail view's text, the YAML lines) and what was asked of the servers."""

from __future__ import annotations

from tests.fakes.k8s_objects import TERMINATION_MESSAGE
from tests.fakes.kube_fixtures import KubeWorld
from tests.integration.test_cockpit_live import CONFIG, SIZE, kube_sources, rows, until
from tests.ui.test_detail import shown
from wundr_tui.app import WundrApp
from wundr_tui.backends.kube import KubeOperator, KubeReader
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import Config
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.yaml import YamlScreen
from wundr_tui.store import Store

CRASHING = "payments-green-7d9f8c6b5-00001"


async def test_enter_on_a_crashing_pod_shows_its_last_termination_over_http(
    kube_world: KubeWorld,
) -> None:
    operator = KubeOperator(Config(), discover_clusters(Config()))
    app = WundrApp(Store(), kube_sources(), config=CONFIG, inspector=KubeReader(operator))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2")
            await until(pilot, lambda: len(rows(app)) > 10, 15, "pods listed")
            await pilot.press("slash", *CRASHING, "enter")
            await until(pilot, lambda: len(rows(app)) == 2, 10, "the crashing pod of each context")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: isinstance(app.screen, DetailScreen) and "last termination" in shown(app),
                10,
                "the last termination",
            )
            text = shown(app)
            assert "  last termination  Error, exit code 1, " in text
            assert TERMINATION_MESSAGE in text
            assert "CrashLoopBackOff" in text
            await pilot.press("y")
            await until(
                pilot,
                lambda: isinstance(app.screen, YamlScreen) and "kind: Pod" in shown(app),
                10,
                "the YAML",
            )
            yaml = shown(app)
            assert "  managedFields:" not in yaml and "# managedFields hidden" in yaml
            await pilot.press("m")
            await pilot.pause()
            assert "  managedFields:" in shown(app)
    finally:
        operator.close()
    gets = [r.path for s in kube_world.servers.values() for r in s.requests() if CRASHING in r.path]
    assert gets and all(p.endswith(f"/pods/{CRASHING}") for p in gets)
    assert not [r for s in kube_world.servers.values() for r in s.requests() if "secret" in r.path]
