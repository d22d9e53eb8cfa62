"""Production looks different (issue 15 item 5): a PROD badge beside every production
cluster and a red top line in every pane, the Logs frame and the investigation views; a
cluster that is not production has neither. The theme comes from ``[ui] theme``."""

from __future__ import annotations

import pytest
from textual.theme import BUILTIN_THEMES

from tests.ui.test_logs_screen import demo_app
from wundr_tui.app import WundrApp
from wundr_tui.config import Config, ConfigError, parse
from wundr_tui.config_schema import Theme, UiConfig
from wundr_tui.events import ClusterSeen
from wundr_tui.model import Cluster, says_production
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.investigate import Crumb
from wundr_tui.store import Store
from wundr_tui.widgets.cluster_bar import ClusterBar

SIZE = (100, 30)


def bar(app: WundrApp) -> ClusterBar:
    return app.screen.query_one(ClusterBar)


def test_names_that_say_production() -> None:
    for name in ("wundr-production", "prod-eu", "arn:aws:eks:x:1:cluster/PROD", "eks-prd-1"):
        assert says_production(name), name
    for name in ("staging", "dev-eu", "bprd", "prdx-1"):
        assert not says_production(name), name


def test_config_marks_production_and_the_name_decides_when_unsaid() -> None:
    config = parse(
        {
            "clusters": [
                {"context": "eks-prd-1"},
                {"context": "prod-but-not", "production": False},
                {"context": "staging", "production": True},
            ]
        }
    )
    assert [c.production for c in config.clusters] == [True, False, True]


def test_theme_choices_are_textuals_own() -> None:
    assert set(Theme.__args__) == set(BUILTIN_THEMES)  # type: ignore[attr-defined]
    assert parse({"ui": {"theme": "nord"}}).ui.theme == "nord"
    with pytest.raises(ConfigError, match=r"ui.theme = 'neon': expected ansi-dark, .* nord"):
        parse({"ui": {"theme": "neon"}})


async def test_demo_clusters_are_production_in_every_frame() -> None:
    app, _ = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        line = bar(app)._shown
        assert line is not None and line.plain.count(" PROD ") == 2
        assert bar(app).has_class("-production")
        # The investigation views: the crumb line says PROD (the object's cluster).
        await pilot.press("y")
        await pilot.pause(0.5)
        crumb = app.screen.query_one(Crumb)
        assert " PROD " in (crumb._shown.plain if crumb._shown else "")
        assert crumb.has_class("-production")
        await pilot.press("escape", "l")
        await pilot.pause(0.5)
        header = app.screen.query_one("#log-header")
        assert " PROD " in str(getattr(header, "_shown", ""))
        assert header.has_class("-production")


async def test_a_cluster_that_is_not_production_has_no_badge() -> None:
    store = Store()
    store.apply(
        [
            ClusterSeen(Cluster("staging-eks", "aws", "us-east-1", "staging")),
            ClusterSeen(Cluster("prod-gke", "gcp", "europe-west1", "prod", production=True)),
        ]
    )
    app = WundrApp(store, config=Config(ui=UiConfig(theme="nord")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert app.theme == "nord"
        line = bar(app)._shown
        assert line is not None and line.plain.count(" PROD ") == 1
        assert line.plain.index("PROD") > line.plain.index("GKE")  # beside the GKE cluster
        assert bar(app).has_class("-production")
        await pilot.press("colon", *"ctx staging", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PaneScreen)
        assert not bar(app).has_class("-production")  # only staging shown: no red line
