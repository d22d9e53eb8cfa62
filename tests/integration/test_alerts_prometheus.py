"""Alerts from a real Prometheus and Alertmanager on loopback: firing and pending alerts reach
the Store de-duplicated, and a silence created through the client shows as silenced."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.cloud_fixtures import SourceHarness, alert_servers, cloud_harness
from tests.fakes.servers import Process, free_port
from wundr_tui.backends.alertmanager import AlertmanagerAlertSource, AlertmanagerClient
from wundr_tui.backends.alerts import AlertFeed, fingerprint
from wundr_tui.backends.base import OperationError
from wundr_tui.backends.cloud import alertmanager_clients, cloud_sources
from wundr_tui.backends.prometheus import GoldenSignalsSource, PrometheusAlertSource
from wundr_tui.config import ClusterConfig, Config
from wundr_tui.model import Alert, Cluster, Kind

__all__ = ["alert_servers", "cloud_harness"]

CLUSTER = "arn:aws:eks:eu-west-1:123456789012:cluster/wundr-production"
DOWN = fingerprint(
    {
        "alertname": "WundrApiGatewayDown",
        "namespace": "wundr-platform",
        "service": "api-gateway",
        "severity": "critical",
    }
)


def alerts(store: Any) -> dict[str, Alert]:
    return {k: v for k, v in store.items(CLUSTER, Kind.ALERT).items() if isinstance(v, Alert)}


def by_name(store: Any, name: str) -> list[Alert]:
    return [a for a in alerts(store).values() if a.name == name]


def test_prometheus_alone_shows_firing_and_pending(
    alert_servers: tuple[Process, Process], cloud_harness: SourceHarness
) -> None:
    prom, _ = alert_servers
    cloud_harness.start(
        AlertFeed(CLUSTER, [PrometheusAlertSource(CLUSTER, prom.url)], poll_seconds=0.3)
    )
    cloud_harness.wait(lambda s: len(alerts(s)) == 2, 15, "a firing and a pending alert")
    down = alerts(cloud_harness.store)[DOWN]
    assert (down.name, down.state, down.severity) == ("WundrApiGatewayDown", "firing", "critical")
    assert (down.namespace, down.service) == ("wundr-platform", "api-gateway")
    assert down.summary == "api-gateway has no ready endpoints"
    assert down.description.startswith("Every api-gateway pod")
    assert down.starts_at > 1e9 and down.source.startswith("prometheus@127.0.0.1:")
    (pending,) = by_name(cloud_harness.store, "WundrReplicaLagHigh")
    assert pending.state == "pending" and pending.severity == "warning"
    health = cloud_harness.health(CLUSTER, "prometheus")
    assert health is not None and health.state == "live" and health.kinds == (Kind.ALERT,)
    incidents = [i for i in cloud_harness.store.incidents() if i.what == "ALERT"]
    assert [i.severity for i in incidents] == ["critical"]
    assert cloud_harness.stop() < 2.0


def test_merged_endpoints_and_silence_round_trip(
    alert_servers: tuple[Process, Process], cloud_harness: SourceHarness
) -> None:
    prom, am = alert_servers
    config = Config(
        clusters=(ClusterConfig(context=CLUSTER, prometheus=prom.url, alertmanager=am.url),)
    )
    cluster = Cluster(CLUSTER, "other", "", "wundr-production")  # alerts only, no node pools
    feed, signals = cloud_sources(config, [cluster], poll_seconds={"alerts": 0.3})
    assert isinstance(feed, AlertFeed)
    assert isinstance(signals, GoldenSignalsSource)  # the Services pane's, not started here
    # A second Prometheus endpoint reporting the same alerts (an HA pair): still one row each.
    feed.endpoints.append(PrometheusAlertSource(CLUSTER, prom.url + "/"))
    cloud_harness.start(feed)

    # Prometheus forwards the firing alert; Alertmanager's copy then wins the merge.
    cloud_harness.wait(
        lambda s: DOWN in alerts(s) and alerts(s)[DOWN].source.startswith("alertmanager@"),
        30,
        "the alert as Alertmanager reports it",
    )
    assert len(by_name(cloud_harness.store, "WundrApiGatewayDown")) == 1
    assert len(by_name(cloud_harness.store, "WundrReplicaLagHigh")) == 1  # pending: Prom only
    assert alerts(cloud_harness.store)[DOWN].group == "alertname=WundrApiGatewayDown"
    assert alerts(cloud_harness.store)[DOWN].silenced_by == ()

    client = alertmanager_clients(config)[CLUSTER]
    assert (
        client.create_silence(
            {"alertname": "WundrApiGatewayDown"}, 600, "deploying fix", "oncall", dry_run=True
        )
        == ""
    )
    assert not [s for s in client.silences() if s["status"]["state"] == "active"]

    silence = client.create_silence(
        {"alertname": "WundrApiGatewayDown", "namespace": "wundr-platform"},
        600,
        "deploying fix",
        "oncall@wundr",
    )
    assert silence
    cloud_harness.wait(lambda s: alerts(s)[DOWN].silenced_by == (silence,), 15, "silenced")
    down = alerts(cloud_harness.store)[DOWN]
    assert down.state == "suppressed"
    assert not [i for i in cloud_harness.store.incidents() if i.what == "ALERT"]

    client.expire_silence(silence)
    cloud_harness.wait(
        lambda s: alerts(s)[DOWN].silenced_by == () and alerts(s)[DOWN].state == "firing",
        15,
        "unsilenced",
    )
    for source in ("alertmanager", f"prometheus@{prom.url.split('//')[1]}"):
        health = cloud_harness.health(CLUSTER, source)
        assert health is not None and health.state == "live", source
    assert cloud_harness.stop() < 2.0


def test_silence_input_is_checked_and_refusals_are_readable(
    alert_servers: tuple[Process, Process],
) -> None:
    _, am = alert_servers
    client = AlertmanagerClient(am.url)
    with pytest.raises(OperationError, match="at least one matcher"):
        client.create_silence({}, 600, "why", "me")
    with pytest.raises(OperationError, match="comment"):
        client.create_silence({"alertname": "X"}, 600, " ", "me")
    with pytest.raises(OperationError, match="duration"):
        client.create_silence({"alertname": "X"}, 0, "why", "me")
    with pytest.raises(OperationError, match="refused") as refused:
        client.expire_silence("00000000-0000-0000-0000-000000000000")
    assert refused.value.status is not None and refused.value.status >= 400
    with pytest.raises(OperationError, match="cannot reach Alertmanager"):
        AlertmanagerClient(f"http://127.0.0.1:{free_port()}").silences()


def test_one_endpoint_down_keeps_the_other(
    alert_servers: tuple[Process, Process], cloud_harness: SourceHarness
) -> None:
    prom, _ = alert_servers
    dead = f"http://127.0.0.1:{free_port()}"
    feed = AlertFeed(
        CLUSTER,
        [PrometheusAlertSource(CLUSTER, prom.url), AlertmanagerAlertSource(CLUSTER, dead)],
        poll_seconds=0.3,
    )
    cloud_harness.start(feed)
    cloud_harness.wait(
        lambda s: (
            DOWN in alerts(s)
            and (h := s.health.get((CLUSTER, "alertmanager"))) is not None
            and h.state == "error"
        ),
        15,
        "alerts from Prometheus and an error badge for Alertmanager",
    )
    health = cloud_harness.health(CLUSTER, "alertmanager")
    assert health is not None and health.reason.startswith("cannot reach 127.0.0.1:")
    assert cloud_harness.stop() < 2.0
