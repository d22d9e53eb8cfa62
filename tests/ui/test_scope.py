"""Pilot tests: ``:ns`` and ``:ctx`` typed as a person types them, Tab completion from what
the store knows, the header saying what is chosen, favourites kept in the state dir."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.ui.test_filters import SIZE, header, make_app, pane
from wundr_tui.app import WundrApp
from wundr_tui.model import Kind
from wundr_tui.screens.base import Prompt
from wundr_tui.widgets.cluster_bar import ClusterBar


def shown_namespaces(app: WundrApp) -> set[str]:
    table = pane(app).table
    return {getattr(table._objs[rk], "namespace", "") for rk in table.rows_in_view}


def toasts(app: WundrApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_ns_narrows_every_pane_and_all_brings_everything_back() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "colon", *"ns kube-system", "enter")
        await pilot.pause()
        assert app.namespace_filter == "kube-system"
        assert shown_namespaces(app) == {"kube-system"}
        assert "ns kube-system" in header(app)
        await pilot.press("3")  # HPA: none in kube-system
        await pilot.pause()
        assert pane(app).table.row_count == 0 and "ns kube-system" in header(app)
        await pilot.press("4")  # node pools are not namespaced: every one stays
        await pilot.pause()
        assert pane(app).table.row_count == app.store.count(Kind.NODE_POOL)
        await pilot.press("2", "colon", *"ns all", "enter")
        await pilot.pause()
        assert app.namespace_filter is None
        assert pane(app).table.row_count == app.store.count(Kind.POD)
        assert "ns " not in header(app)


async def test_tab_completes_namespaces_and_contexts_from_the_store() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "colon", *"ns kube", "tab")
        await pilot.pause()
        assert pane(app).query_one(Prompt).value == "ns kube-system"
        await pilot.press("enter")
        await pilot.pause()
        assert shown_namespaces(app) == {"kube-system"}
        await pilot.press("colon", *"ctx g", "tab")
        await pilot.pause()
        assert pane(app).query_one(Prompt).value == "ctx gke"
        await pilot.press("enter")
        await pilot.pause()
        gke = next(n for n in app.store.clusters if n.startswith("gke_"))
        assert app.cluster_filter == gke
        assert {rk[0] for rk in pane(app).table.rows_in_view} == {gke}
        assert "gke" in header(app) and "ns kube-system" in header(app)
        bar = pane(app).query_one(ClusterBar)._shown
        assert bar is not None and any(
            "reverse" in str(span.style) for span in bar.spans
        )  # the chosen cluster's name stands out; the other is dimmed
        await pilot.press("colon", *"ns ", "tab")  # several: listed in a toast
        await pilot.pause()
        assert any("kube-system" in t and "wundr-platform" in t for t in toasts(app))
        await pilot.press("escape", "colon", *"ctx all", "enter")
        await pilot.pause()
        assert app.cluster_filter is None


async def test_unknown_context_says_so_and_changes_nothing() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "colon", *"ctx aks", "enter")
        await pilot.pause()
        assert app.cluster_filter is None
        assert any("no such context" in t and "eks" in t and "gke" in t for t in toasts(app))


async def test_favourites_are_kept_per_context_in_the_state_dir() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for ns in ("kube-system", "monitoring", "kube-system"):
            await pilot.press("colon", *f"ns {ns}", "enter")
            await pilot.pause()
        await pilot.press("colon", *"ctx eks", "enter", "colon", *"ns velero", "enter")
        await pilot.pause()
    path = Path(os.environ["XDG_STATE_HOME"]) / "wundr-tui" / "favourites.json"
    doc = json.loads(path.read_text())
    eks = next(n for n in app.store.clusters if n.startswith("arn:"))
    assert doc["contexts"] == {"*": ["kube-system", "monitoring"], eks: ["velero"]}

    again = make_app()  # a new run offers them first
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("colon", *"ns", "enter")
        await pilot.pause()
        assert any("favourites: kube-system, monitoring" in t for t in toasts(again))
        assert again.scope.namespaces()[:2] == ["kube-system", "monitoring"]
