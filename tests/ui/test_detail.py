"""Pilot tests of the investigation keys on the demo fleet (frozen clock, 115 s into the
story: the setup-toolkit pod crash-loops, HighErrorRate fires, compute-pool is at max):
Enter and d open the detail view, y the YAML, Esc goes back, the breadcrumb names the path,
and the related list leads alert → pods, HPA → deployment → pods, node pool → nodes → pods."""

from __future__ import annotations

import threading
from typing import Any

from tests.conftest import demo_world
from wundr_tui.app import WundrApp
from wundr_tui.backends.demo import EKS_CONTEXT, DemoFleet
from wundr_tui.backends.demo.logs import DemoLogs
from wundr_tui.backends.replay import RecordingInspector
from wundr_tui.model import Kind
from wundr_tui.screens.base import PaneScreen
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.investigate import Crumb
from wundr_tui.screens.yaml import YamlScreen

SIZE = (100, 30)


def demo_app(seconds: int = 115, *, replay: bool = False) -> WundrApp:
    """The demo's store at ``seconds`` on a frozen clock, its fleet as the inspector."""
    store, fleet = demo_world(seconds)
    if replay:
        return WundrApp(store, inspector=RecordingInspector())
    return WundrApp(store, inspector=fleet, logs=DemoLogs(fleet))


def shown(app: WundrApp) -> str:
    """Everything the detail view shows as text: breadcrumb, facts, events, related list."""
    screen = app.screen
    assert isinstance(screen, DetailScreen | YamlScreen)
    # The breadcrumb's separator (U+203A) reads as ">" here.
    parts = [str(screen.query_one(Crumb).render()).replace("\u203a", ">")]
    if isinstance(screen, DetailScreen):
        parts += [
            str(screen.query_one("#body").render()),
            str(screen.query_one("#events").render()),
        ]
        parts += [f"{r.relation} {r.kind} {r.key}" for r in screen.refs]
    else:
        parts += screen.lines
    return "\n".join(parts)


async def select(pilot: Any, app: WundrApp, match: Any) -> None:
    """Put the pane's cursor on the first row whose object ``match`` accepts."""
    screen = app.screen
    assert isinstance(screen, PaneScreen)
    table = screen.table
    for i, _ in enumerate(table.keys_in_order()):
        table.move_cursor(row=i)
        if match(table.selected_key(), table.selected_object()):
            await pilot.pause()
            return
    raise AssertionError("no such row")


async def until_read(pilot: Any, app: WundrApp) -> None:
    """Let the worker's read of the whole object land (bounded)."""
    for _ in range(100):
        screen = app.screen
        if isinstance(screen, DetailScreen | YamlScreen) and screen.fetched:
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("the whole object was never read")


async def open_related(pilot: Any, app: WundrApp, kind: Kind, name_part: str = "") -> None:
    """Move the related list's highlight to the first such object and press Enter."""
    screen = app.screen
    assert isinstance(screen, DetailScreen)
    index = next(i for i, r in enumerate(screen.refs) if r.kind is kind and name_part in r.key)
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, DetailScreen) and app.screen.kind is kind


async def test_enter_on_the_crashing_pod_incident_shows_its_last_termination() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(
            pilot,
            app,
            lambda rk, row: row.incident.what == "POD" and "setup-toolkit" in row.incident.subject,
        )
        await pilot.press("enter")
        await until_read(pilot, app)
        text = shown(app)
        assert "Incident > pod eks/setup-toolkit-" in text
        assert "CrashLoopBackOff" in text
        assert "  last termination  Error, exit code 1, " in text
        assert "toolkit_templates" in text
        assert "secretKeyRef wundr-db-credentials/password" in text
        assert "node eks/ip-10-" in " ".join(f"node eks/{r.name}" for r in app.screen.refs)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PaneScreen) and app.screen.PANE == "incident"


async def test_d_opens_the_detail_and_y_the_yaml_without_managed_fields() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await select(pilot, app, lambda rk, pod: pod.owner == "setup-toolkit")
        await pilot.press("d")
        await until_read(pilot, app)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("y")
        await until_read(pilot, app)
        yaml = shown(app)
        assert "Pods > pod eks/setup-toolkit-" in yaml and "> yaml pod eks/" in yaml
        assert "kind: Pod" in yaml and "managedFields" not in yaml.replace(
            "# managedFields hidden", ""
        )
        assert "secretKeyRef:" in yaml and "key: password" in yaml
        await pilot.press("m")
        await pilot.pause()
        assert "  managedFields:" in shown(app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, PaneScreen) and app.screen.PANE == "pods"


async def test_y_on_a_row_opens_the_yaml_directly() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "y")
        await until_read(pilot, app)
        assert isinstance(app.screen, YamlScreen)
        assert "kind: HorizontalPodAutoscaler" in shown(app)


async def test_alert_leads_to_its_pods() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await select(pilot, app, lambda rk, a: a.name == "HighErrorRate" and rk[0] == EKS_CONTEXT)
        await pilot.press("enter")
        await pilot.pause()
        text = shown(app)
        assert (
            "runbook_url" in text and "https://runbooks.wundr.example/alerts/HighErrorRate" in text
        )
        assert "Alerts > alert eks/HighErrorRate" in text  # its name, not its fingerprint
        await open_related(pilot, app, Kind.POD, "api-gateway-")
        text = shown(app)
        assert "Alerts > alert eks/HighErrorRate > pod eks/api-gateway-" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.kind is Kind.ALERT


async def test_a_second_enter_while_the_view_opens_opens_nothing_more() -> None:
    """Enter three times before the pod's view is up (it waits up to OPEN_WAIT for its read,
    held back here as a slow server would): one view, and one Esc is back on the pane (it
    stacked three views of the same pod)."""
    store, fleet = demo_world(115)
    gate = threading.Event()

    class SlowServer:
        def fetch(self, *args: Any) -> Any:
            gate.wait(10)
            return fleet.fetch(*args)

    app = WundrApp(store, inspector=SlowServer())  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await select(
            pilot,
            app,
            lambda rk, row: row.incident.what == "POD" and "setup-toolkit" in row.incident.subject,
        )
        pane = app.screen
        DetailScreen.OPEN_WAIT = 30.0  # pushed when the read answers, however loaded the machine
        try:
            await pilot.press("enter", "enter", "enter")
            gate.set()
            for _ in range(500):
                if isinstance(app.screen, DetailScreen) and app.screen.fetched:
                    break
                await pilot.pause(0.02)
            await pilot.pause()
        finally:
            DetailScreen.OPEN_WAIT = 0.15
        assert sum(isinstance(s, DetailScreen) for s in app.screen_stack) == 1, [
            (type(s).__name__, getattr(s, "key", ""), getattr(s, "trail", ""))
            for s in app.screen_stack
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is pane


async def test_hpa_to_deployment_to_pods_and_back() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await select(pilot, app, lambda rk, h: rk[0] == EKS_CONTEXT)
        await pilot.press("enter")
        await pilot.pause()
        await open_related(pilot, app, Kind.DEPLOYMENT)
        await open_related(pilot, app, Kind.POD)
        assert app.screen.trail == (
            "HPA",
            "hpa eks/api-gateway-hpa",
            "deployment eks/api-gateway-blue",
        )
        # 100 columns: the oldest steps give way to "…", the newest stays whole.
        crumb = shown(app).removeprefix(" PROD  ")  # the demo's clusters are production
        assert crumb.startswith("… > deployment eks/api-gateway-blue > pod eks/api-gateway-")
        for _ in range(3):
            await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PaneScreen) and app.screen.PANE == "hpa"


async def test_node_pool_to_nodes_to_the_pods_on_a_node() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await select(pilot, app, lambda rk, p: rk[0] == EKS_CONTEXT and p.name == "system-pool")
        await pilot.press("enter")
        await pilot.pause()
        assert "NotReady" in shown(app) or "not ready" in shown(app)
        await open_related(pilot, app, Kind.NODE)
        await until_read(pilot, app)
        assert "Kubelet stopped posting node status." in shown(app)
        await open_related(pilot, app, Kind.POD)
        assert app.screen.trail[:2] == ("Node pools", "node pool eks/system-pool")
        assert app.screen.trail[2].startswith("node eks/ip-10-")


async def test_replay_says_the_object_is_not_in_the_recording() -> None:
    app = demo_app(replay=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await select(pilot, app, lambda rk, pod: pod.owner == "setup-toolkit")
        await pilot.press("enter")
        await until_read(pilot, app)
        text = shown(app)
        assert "whole object: not in the recording" in text
        assert "status              " in text  # the model's facts are still there
        await pilot.press("y")
        await until_read(pilot, app)
        assert "# whole object: not in the recording" in shown(app)
        assert "owner: setup-toolkit" in shown(app)


async def test_the_objects_events_show_newest_first_with_count_and_last_seen() -> None:
    from wundr_tui.events import Upserted
    from wundr_tui.model import KubeEvent, Pod

    app = demo_app()
    store = app.store
    now = store.clock.now()
    pod = next(
        p
        for _, p in store.problem_pods()
        if isinstance(p, Pod) and p.owner == "setup-toolkit" and p.status == "CrashLoopBackOff"
    )

    def event(reason: str, note: str, count: int, ago: float) -> KubeEvent:
        return KubeEvent(
            pod.namespace, f"{pod.name}.{reason}", "Warning", reason, note, "Pod",
            pod.namespace, pod.name, count, now - 3600, now - ago, "kubelet",
        )  # fmt: skip

    store.apply(
        [
            Upserted(
                EKS_CONTEXT,
                Kind.EVENT,
                (
                    event("Unhealthy", "Readiness probe failed: HTTP 503", 4, 600),
                    event("BackOff", "Back-off restarting failed container", 31, 5),
                ),
            )
        ]
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await select(pilot, app, lambda rk, p: p.key == pod.key)
        await pilot.press("enter")
        await until_read(pilot, app)
        events = str(app.screen.query_one("#events").render())
        backoff, unhealthy = events.index("BackOff"), events.index("Unhealthy")
        assert backoff < unhealthy  # newest first
        assert "5s ago  \u00d731   BackOff  Back-off restarting failed container" in events
        assert "10m ago  \u00d74    Unhealthy  Readiness probe failed: HTTP 503" in events


async def test_slash_searches_the_yaml_and_n_moves_between_matches() -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await select(pilot, app, lambda rk, pod: pod.owner == "setup-toolkit")
        await pilot.press("y")
        await until_read(pilot, app)
        screen = app.screen
        assert isinstance(screen, YamlScreen)
        await pilot.press("slash", *"containerid", "enter")
        await pilot.pause()
        assert len(screen.matches) >= 2 and screen.current == 0
        assert "containerID" in screen.lines[screen.matches[0]]
        await pilot.press("n")
        assert screen.current == 1
        await pilot.press("N", "N")
        assert screen.current == len(screen.matches) - 1  # wraps around
        assert isinstance(app.screen, YamlScreen)  # "/" searched, it did not leave the view


async def test_l_in_the_detail_view_opens_the_logs_of_the_pod_or_the_alerts_group() -> None:
    from wundr_tui.screens.logs import LogsScreen

    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await select(pilot, app, lambda rk, pod: pod.owner == "setup-toolkit")
        pod_key = app.screen.table.selected_key()
        await pilot.press("enter")
        await until_read(pilot, app)
        await pilot.press("l")
        await pilot.pause()
        logs = app.screen
        assert isinstance(logs, LogsScreen)
        assert (logs.logs_query.cluster, logs.logs_query.pod) == (
            pod_key[0],
            pod_key[2].partition("/")[2],
        )
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await select(pilot, app, lambda rk, a: a.name == "HighErrorRate" and rk[0] == EKS_CONTEXT)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        logs = app.screen
        assert isinstance(logs, LogsScreen)
        query = logs.logs_query
        # The group its labels name, on every cluster: both clouds' api-gateway pods.
        assert (query.cluster, query.selector) == ("", (("app", "api-gateway"),))


async def test_a_read_that_answers_after_esc_changes_nothing() -> None:
    """Esc before the whole object arrives: the late answer is dropped quietly (no error,
    no crash), and the pane is back."""
    import threading

    app = demo_app()
    fleet = app.inspector
    assert isinstance(fleet, DemoFleet)
    release = threading.Event()
    real = fleet.fetch

    def slow(*args: Any) -> Any:
        release.wait(5)
        return real(*args)

    fleet.fetch = slow  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await select(pilot, app, lambda rk, pod: pod.owner == "setup-toolkit")
        await pilot.press("enter")
        for _ in range(100):  # pushed after OPEN_WAIT with the store's facts, still reading
            if isinstance(app.screen, DetailScreen) and "reading" in shown(app):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, DetailScreen) and not app.screen.fetched
        assert "reading the whole object" in shown(app)
        await pilot.press("escape")
        await pilot.pause()
        release.set()
        await pilot.pause(0.3)
        assert isinstance(app.screen, PaneScreen) and app.screen.PANE == "pods"
        assert app.is_running
