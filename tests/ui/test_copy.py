"""Copy over SSH (issue 15 item 4), driven with the pilot: ``n`` copies the row's name, ``K``
the kubectl command that shows the same thing (describe on a row and in the detail view, get
-o yaml in the YAML view, logs in the Logs view) with the cluster's real context name; what
``App.copy_to_clipboard`` (Textual's OSC 52) got is asserted, and the toast that says so.
Hostile names are quoted; text with a control character is never copied."""

from __future__ import annotations

import shlex

from textual.pilot import Pilot

from tests.ui.test_logs_screen import _crash_pod, demo_app, logs_screen, settle
from wundr_tui.app import WundrApp
from wundr_tui.backends.base import LogQuery
from wundr_tui.events import Upserted
from wundr_tui.model import Kind, Pod
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.yaml import YamlScreen

SIZE = (120, 40)


def recording(app: WundrApp) -> list[str]:
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    return copied


def toasts(app: WundrApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def pane(app: WundrApp) -> PaneScreen:
    assert isinstance(app.screen, PaneScreen)
    return app.screen


async def to_pod(pilot: Pilot[int], app: WundrApp, name: str) -> None:
    """Pods pane, filtered to one pod."""
    await pilot.press("2")
    await pilot.pause()
    pane(app).set_filter(name)
    await pilot.pause()
    assert pane(app).table.row_count == 1


async def test_n_copies_the_name_and_k_the_kubectl_describe() -> None:
    app, _ = demo_app()
    copied = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        target = pane(app).target()
        assert target is not None
        cluster, _, key = target
        namespace, _, name = key.partition("/")
        await pilot.press("n")
        await pilot.pause()
        assert copied == [name]
        assert f"copied name: {name}" in toasts(app)
        await pilot.press("K")
        await pilot.pause()
        assert (
            copied[1]
            == f"kubectl --context {shlex.quote(cluster)} -n {namespace} describe pod {name}"
        )
        assert cluster in app.store.clusters, "the context is the cluster's own name"


async def test_detail_yaml_and_logs_views_copy_their_own_command() -> None:
    app, fleet = demo_app()
    copied = recording(app)
    cluster, pod = _crash_pod(app, fleet)
    ctx = shlex.quote(cluster)
    async with app.run_test(size=SIZE) as pilot:
        await to_pod(pilot, app, pod.name)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("n", "K")
        await pilot.pause()
        assert copied == [
            pod.name,
            f"kubectl --context {ctx} -n {pod.namespace} describe pod {pod.name}",
        ]
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, YamlScreen)
        await pilot.press("K")
        await pilot.pause()
        assert (
            copied[-1] == f"kubectl --context {ctx} -n {pod.namespace} get pod {pod.name} -o yaml"
        )
        app.open_logs(LogQuery(pod.namespace, pod=pod.name, cluster=cluster, previous=True))
        await pilot.pause()
        await settle(pilot, logs_screen(app))
        await pilot.press("K")
        await pilot.pause()
        logs = f"logs {pod.name} --all-containers --previous"
        assert copied[-1] == f"kubectl --context {ctx} -n {pod.namespace} {logs}"


async def test_a_row_that_is_no_kubernetes_object_has_no_command() -> None:
    app, _ = demo_app()
    copied = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")  # node pools: a cloud's, not the apiserver's
        await pilot.pause()
        await pilot.press("K")
        await pilot.pause()
        assert copied == []
        assert any("no kubectl command shows a nodepool" in t for t in toasts(app))
        await pilot.press("n")
        await pilot.pause()
        assert len(copied) == 1 and copied[0], "its name still copies"


def add_pod(app: WundrApp, name: str) -> str:
    cluster = next(iter(app.store.clusters))
    pod = Pod("default", name, "Running", 1, 1, 0, app.store.clock.now())
    app.store.apply([Upserted(cluster, Kind.POD, (pod,))])
    return cluster


async def test_hostile_names_are_quoted_and_control_characters_never_copied() -> None:
    app, _ = demo_app()
    copied = recording(app)
    hostile = "x;rm -rf ~;$(id)"
    cluster = add_pod(app, hostile)
    # Past the safe-text boundary on purpose: the copy key's own guard must hold too.
    add_pod(app, "evil\x1b]52;c;ZWNobyBwd25lZA==\x07")
    async with app.run_test(size=SIZE) as pilot:
        await to_pod(pilot, app, "rm -rf")
        await pilot.press("K")
        await pilot.pause()
        (command,) = copied
        assert shlex.split(command)[-1] == hostile
        assert command.endswith(shlex.quote(hostile))
        assert shlex.split(command)[2] == cluster
        copied.clear()
        await to_pod(pilot, app, "evil")
        await pilot.press("n", "K")
        await pilot.pause()
        assert copied == []
        assert any("not copied: it holds control" in t for t in toasts(app))
