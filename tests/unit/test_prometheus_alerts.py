"""Alert parsing and merging: Alertmanager-compatible fingerprints, de-duplication rules and
the cluster-label filter for endpoints that several clusters share."""

from __future__ import annotations

import threading

from wundr_tui.backends.alerts import (
    AlertFeed,
    SeenAlert,
    alert_from_labels,
    fingerprint,
    merge_alerts,
    parse_rfc3339,
)
from wundr_tui.events import Event, Replaced
from wundr_tui.model import Alert


def test_fingerprint_matches_alertmanager() -> None:
    # Value taken from a real Alertmanager 0.25 for these labels.
    labels = {
        "alertname": "WundrApiGatewayDown",
        "namespace": "wundr-platform",
        "service": "api-gateway",
        "severity": "critical",
    }
    assert fingerprint(labels) == "814489620239b35b"
    assert fingerprint(dict(reversed(labels.items()))) == "814489620239b35b"
    assert fingerprint({}) == "cbf29ce484222325"


def test_parse_rfc3339_nanoseconds_and_offsets() -> None:
    assert parse_rfc3339("2026-11-26T02:02:38.821203624Z") == parse_rfc3339(
        "2026-11-26T02:02:38.821203Z"
    )
    assert parse_rfc3339("2026-11-26T03:02:38+01:00") == parse_rfc3339("2026-11-26T02:02:38Z")
    assert parse_rfc3339("") == 0.0 and parse_rfc3339("garbage") == 0.0


def alert(source: str, state: str = "firing", starts: float = 10.0, **kw: str) -> Alert:
    labels = {"alertname": "Down", "severity": "critical", **kw}
    return alert_from_labels(labels, {"summary": "s"}, state=state, starts_at=starts, source=source)


def test_merge_prefers_alertmanager_then_firing_then_earliest() -> None:
    prom = alert("prometheus@a:9090", starts=5.0)
    am = alert("alertmanager@a:9093", state="suppressed", starts=6.0)
    assert merge_alerts([[prom], [am]]) == [am]
    assert merge_alerts([[am], [prom]]) == [am]
    early, late = alert("prometheus@a", starts=1.0), alert("prometheus@b", starts=2.0)
    assert merge_alerts([[late], [early]]) == [early]
    pending = alert("prometheus@a", state="pending", starts=0.0)
    assert merge_alerts([[pending], [late]]) == [late]
    other = alert("prometheus@a", pod="api-7f9")
    assert len(merge_alerts([[prom, other]])) == 2


def test_labels_map_to_what_the_alert_concerns() -> None:
    a = alert("prometheus@x", namespace="wundr-platform", service="api-gateway", pod="api-1")
    assert (a.namespace, a.service, a.pod) == ("wundr-platform", "api-gateway", "api-1")
    assert a.subject == "wundr-platform/api-gateway"
    job = alert("prometheus@x", job="node-exporter")
    assert job.service == "node-exporter"


class StaticEndpoint:
    kind = "alertmanager"
    url = "http://shared:9093"

    def __init__(self, seen: list[SeenAlert]) -> None:
        self.seen = seen

    def fetch_seen(self) -> list[SeenAlert]:
        return self.seen


def test_shared_endpoint_leaves_other_clusters_alerts_to_them() -> None:
    mine = SeenAlert(alert("alertmanager@shared", cluster="wundr-production"), "wundr-production")
    theirs = SeenAlert(alert("alertmanager@shared", cluster="wundr-gke"), "wundr-gke")
    unlabeled = SeenAlert(alert("alertmanager@shared", pod="x"), "")
    events: list[Event] = []
    stop = threading.Event()
    feed = AlertFeed(
        "eks-ctx",
        [StaticEndpoint([mine, theirs, unlabeled])],
        other_clusters={"gke-ctx", "wundr-gke"},
        poll_seconds=60,
    )

    def emit(event: Event) -> None:
        events.append(event)
        if isinstance(event, Replaced):
            stop.set()

    feed.run(emit, stop)
    (replaced,) = [e for e in events if isinstance(e, Replaced)]
    assert {a.fingerprint for a in replaced.items} == {
        mine.alert.fingerprint,
        unlabeled.alert.fingerprint,
    }
