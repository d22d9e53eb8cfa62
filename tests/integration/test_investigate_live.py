"""Issue 12's walk, over the wire: the real app (Pilot) with real KubeSources, the KubeReader
as its inspector and KubeLogs as its log streamer, against the two fake apiservers; what is
asserted is what the user sees. Enter on the crash-looping pod shows its last termination
and its BackOff events; ``l`` then ``p`` shows the stack trace of the run that crashed."""

from __future__ import annotations

import time

from tests.fakes.cloud_fixtures import alert_servers
from tests.fakes.k8s_events import kube_event
from tests.fakes.k8s_objects import TERMINATION_MESSAGE
from tests.fakes.kube_fixtures import EKS_CONTEXT, KubeWorld
from tests.fakes.servers import Process
from tests.integration.test_cockpit_live import CONFIG, SIZE, kube_sources, rows, until
from tests.ui.test_detail import shown
from wundr_tui.app import WundrApp
from wundr_tui.backends.alertmanager import AlertmanagerAlertSource
from wundr_tui.backends.alerts import AlertFeed
from wundr_tui.backends.kube import KubeOperator, KubeReader
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.backends.kube.logs import KubeLogs
from wundr_tui.config import Config
from wundr_tui.screens.detail import DetailScreen
from wundr_tui.screens.logs import LogsScreen
from wundr_tui.store import Store

__all__ = ["alert_servers"]

NS = "wundr-platform"
CRASHING = "payments-green-7d9f8c6b5-00001"
TRACE = [
    "starting payments-green",
    "Traceback (most recent call last):",
    '  File "/app/ledger.py", line 12, in connect',
    "ConnectionRefusedError: [Errno 111] Connection refused",
    TERMINATION_MESSAGE,
]


def log_texts(app: WundrApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, LogsScreen)
    return [line.text for line in screen.ring]


async def test_crashing_pod_detail_events_then_previous_logs_over_http(
    kube_world: KubeWorld,
) -> None:
    now = time.time()
    eks = kube_world.eks
    eks.state.put(
        "events",
        kube_event(
            f"{CRASHING}.backoff",
            regarding_name=CRASHING,
            count=7,
            first=now - 300,
            last=now - 5,
            note="Back-off restarting failed container payments in pod " + CRASHING,
        ),
    )
    logs = eks.pod_logs
    logs.write(NS, CRASHING, "app", TRACE, ts=now - 60, step=0.1, previous=True)
    logs.write(NS, CRASHING, "app", ["starting payments-green (again)"], ts=now - 2)
    config = Config()
    clusters = discover_clusters(config)
    operator = KubeOperator(config, clusters)
    streamer = KubeLogs(operator, {c.name: c for c in clusters}, backoff=(0.05, 0.2))
    app = WundrApp(
        Store(), kube_sources(), config=CONFIG, inspector=KubeReader(operator), logs=streamer
    )
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2")
            await until(pilot, lambda: len(rows(app)) > 10, 15, "pods listed")
            await pilot.press("slash", *CRASHING, "enter")
            await until(pilot, lambda: len(rows(app)) == 2, 10, "the crashing pod of each context")
            table = app.screen.table  # type: ignore[attr-defined]
            row = next(i for i, k in enumerate(table.keys_in_order()) if k[0] == EKS_CONTEXT)
            table.move_cursor(row=row)
            await pilot.press("enter")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, DetailScreen)
                    and "last termination" in shown(app)
                    and "BackOff" in shown(app)
                ),
                10,
                "the last termination and the BackOff events",
            )
            text = shown(app)
            assert "  last termination  Error, exit code 1, " in text
            assert TERMINATION_MESSAGE in text
            assert "\u00d77" in text  # the count, seven times
            assert "Back-off restarting failed container payments" in text
            await pilot.press("l")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, LogsScreen)
                    and "starting payments-green (again)" in log_texts(app)
                ),
                10,
                "the current run's logs",
            )
            assert "Traceback (most recent call last):" not in log_texts(app)
            await pilot.press("p")
            await until(
                pilot,
                lambda: TERMINATION_MESSAGE in log_texts(app),
                10,
                "the previous run's logs, to the crash",
            )
            assert log_texts(app) == TRACE
    finally:
        operator.close()
    asked = [r.query for r in eks.requests() if r.path.endswith(f"/pods/{CRASHING}/log")]
    assert [q.get("previous") for q in asked] == [None, ["true"]], asked


def post_alert(am_url: str, labels: dict[str, str]) -> None:
    """Fire an alert straight into the real Alertmanager (API v2), as Prometheus would."""
    import json
    import urllib.request

    body = json.dumps(
        [{"labels": labels, "annotations": {"summary": "High error rate detected"}}]
    ).encode()
    request = urllib.request.Request(
        f"{am_url}/api/v2/alerts", body, {"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


async def test_alert_to_its_group_logs_from_both_clusters_over_http(
    kube_world: KubeWorld, alert_servers: tuple[Process, Process]
) -> None:
    """HighErrorRate (a real Alertmanager) → Enter → l: the pods its labels name, on both
    fake apiservers, their 5xx lines interleaved in one view."""
    _, am = alert_servers
    group = "payments-green"
    post_alert(
        am.url,
        {
            "alertname": "HighErrorRate",
            "severity": "critical",
            "namespace": NS,
            "service": group,
        },
    )
    now = time.time() - 30
    for name, server in kube_world.servers.items():
        tag = "eks" if name == EKS_CONTEXT else "gke"
        server.pod_logs.write(
            NS, f"{group}-7d9f8c6b5-00000", "app", [f'{tag} "GET /pay" 503 0'], ts=now
        )
    config = Config()
    clusters = discover_clusters(config)
    operator = KubeOperator(config, clusters)
    streamer = KubeLogs(operator, {c.name: c for c in clusters}, backoff=(0.05, 0.2))
    sources = [
        *kube_sources(),
        AlertFeed(EKS_CONTEXT, [AlertmanagerAlertSource(EKS_CONTEXT, am.url)], poll_seconds=0.3),
    ]
    app = WundrApp(Store(), sources, config=CONFIG, inspector=KubeReader(operator), logs=streamer)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2")
            await until(pilot, lambda: len(rows(app)) > 10, 15, "pods listed")
            await pilot.press("6")
            await until(
                pilot, lambda: any("HighErrorRate" in r for r in rows(app)), 30, "the alert"
            )
            table = app.screen.table  # type: ignore[attr-defined]
            row = next(i for i, r in enumerate(rows(app)) if "HighErrorRate" in r)
            table.move_cursor(row=row)
            await pilot.press("enter")
            await until(
                pilot,
                lambda: isinstance(app.screen, DetailScreen) and group in shown(app),
                10,
                "the alert's detail naming its workload",
            )
            await pilot.press("l")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, LogsScreen)
                    and {"eks", "gke"} <= {t.split()[0] for t in log_texts(app) if " 503 " in t}
                ),
                15,
                "5xx lines from both clusters",
            )
            screen = app.screen
            assert isinstance(screen, LogsScreen)
            assert {line.cluster for line in screen.ring} == set(kube_world.servers)
    finally:
        operator.close()
