"""What the alert backends (Prometheus and Alertmanager) share: Alertmanager's fingerprint,
alerts built from label sets, and the feed that merges every endpoint of a cluster into one
de-duplicated list.

De-duplication: each alert is keyed by Alertmanager's fingerprint of its label set
(FNV-1a over sorted names and values). The fingerprint is computed for Prometheus alerts
too, so one alert reported by Prometheus and by Alertmanager (or by both Prometheus servers of
an HA pair) is one row. Alertmanager's copy wins, since only it knows silences and
inhibitions; Prometheus adds what Alertmanager never sees (pending alerts). When several
clusters share an endpoint, an alert whose ``cluster`` label names another configured cluster
is left to that cluster's row.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import urlparse

from wundr_tui.backends.base import Emit
from wundr_tui.backends.polling import HealthReporter, poll_loop
from wundr_tui.events import Replaced
from wundr_tui.model import Alert, Kind, labels_of

DEFAULT_POLL_SECONDS = 10.0
"""Rules evaluate every 15-60 s; a 10 s poll sees a new alert within one evaluation."""

CALL_TIMEOUT = 10.0

CLUSTER_LABELS = ("cluster", "k8s_cluster", "cluster_name")
"""Labels that tie an alert to a cluster, in the order they are trusted."""

_FNV_OFFSET = 14695981039346656037
_FNV_PRIME = 1099511628211
_MASK = (1 << 64) - 1


def fingerprint(labels: Mapping[str, str]) -> str:
    """Alertmanager's fingerprint of a label set (``model.LabelSet.Fingerprint``), in hex."""
    h = _FNV_OFFSET
    for name in sorted(labels):
        for part in (name, labels[name]):
            for byte in part.encode() + b"\xff":
                h = ((h ^ byte) * _FNV_PRIME) & _MASK
    return f"{h:016x}"


def parse_rfc3339(text: str) -> float:
    """Prometheus / Alertmanager timestamps (nanosecond fractions, Z or offset) → epoch."""
    if not text:
        return 0.0
    text = text.replace("Z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:
        digits = "".join(c for c in rest if c.isdigit())
        zone = rest[len(digits) :]
        text = f"{head}.{digits[:6].ljust(6, '0')}{zone}"
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return 0.0


def endpoint_label(kind: str, url: str) -> str:
    """``prometheus@host:port``: which endpoint reported an alert, short enough for a cell."""
    return f"{kind}@{urlparse(url).netloc or url}"


def alert_from_labels(
    labels: Mapping[str, str],
    annotations: Mapping[str, str],
    *,
    state: str,
    starts_at: float,
    source: str,
    fp: str = "",
    silenced_by: Sequence[str] = (),
    inhibited: bool = False,
    group: str = "",
) -> Alert:
    """Build an Alert from the labels and annotations both APIs share."""
    return Alert(
        name=labels.get("alertname", ""),
        fingerprint=fp or fingerprint(labels),
        severity=labels.get("severity", "none"),
        state=state,
        starts_at=starts_at,
        summary=annotations.get("summary", "") or annotations.get("message", ""),
        description=annotations.get("description", ""),
        namespace=labels.get("namespace", "") or labels.get("exported_namespace", ""),
        service=labels.get("service", "") or labels.get("deployment", "") or labels.get("job", ""),
        pod=labels.get("pod", ""),
        silenced_by=tuple(silenced_by),
        inhibited=inhibited,
        source=source,
        group=group,
        labels=labels_of(dict(labels)),
        annotations=labels_of(dict(annotations)),
    )


@dataclass(frozen=True, slots=True)
class SeenAlert:
    """An alert and the cluster its labels name (blank when they name none)."""

    alert: Alert
    cluster_label: str = ""


def cluster_label(labels: Mapping[str, str]) -> str:
    """The first cluster-naming label's value."""
    for key in CLUSTER_LABELS:
        if labels.get(key):
            return labels[key]
    return ""


class AlertEndpoint(Protocol):
    """One Prometheus or Alertmanager endpoint an AlertFeed polls."""

    kind: str
    """``prometheus`` or ``alertmanager``: the health badge's source name."""
    url: str

    def fetch_seen(self) -> list[SeenAlert]:
        """Every current alert with the cluster its labels name."""
        ...


def merge_alerts(batches: Iterable[Sequence[Alert]]) -> list[Alert]:
    """De-duplicate by fingerprint: Alertmanager's copy wins, else the earliest start."""
    merged: dict[str, Alert] = {}
    for batch in batches:
        for alert in batch:
            old = merged.get(alert.fingerprint)
            if old is None or _better(alert, old):
                merged[alert.fingerprint] = alert
    return sorted(merged.values(), key=lambda a: (a.name, a.fingerprint))


def _better(new: Alert, old: Alert) -> bool:
    new_am = new.source.startswith("alertmanager")
    old_am = old.source.startswith("alertmanager")
    if new_am != old_am:
        return new_am
    if (new.state == "firing") != (old.state == "firing"):
        return new.state == "firing"
    return new.starts_at < old.starts_at


class AlertFeed:
    """Polls every alert endpoint of one cluster and emits their merged alerts.

    Each endpoint has its own health badge. An endpoint that fails keeps its last good
    alerts in the merge (marked by its red badge) rather than making them vanish.
    """

    def __init__(
        self,
        cluster: str,
        endpoints: Sequence[AlertEndpoint],
        *,
        other_clusters: Iterable[str] = (),
        poll_seconds: float = DEFAULT_POLL_SECONDS,
    ) -> None:
        self.cluster = cluster
        """Context the alerts are shown under."""
        self.endpoints = list(endpoints)
        """Prometheus and Alertmanager endpoints of this cluster."""
        self.other_clusters = frozenset(other_clusters)
        """Names (context and cluster names) of the other configured clusters."""
        self.poll_seconds = poll_seconds
        """Seconds between polls."""
        self.name = f"alerts:{cluster}"
        """Unique source name."""

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Poll all endpoints every ``poll_seconds`` until ``stop``; never raises."""
        healths = [
            HealthReporter(emit, self.cluster, _badge(e, self.endpoints), (Kind.ALERT,))
            for e in self.endpoints
        ]
        last: list[list[Alert]] = [[] for _ in self.endpoints]
        errors: dict[int, BaseException] = {}
        for h in healths:
            h.report("connecting")

        def poll() -> None:
            errors.clear()
            for i, endpoint in enumerate(self.endpoints):
                try:
                    seen = endpoint.fetch_seen()
                except Exception as exc:
                    errors[i] = exc
                    healths[i].report("error", f"{_error_text(exc, endpoint.url)}; retrying")
                    continue
                last[i] = [
                    s.alert
                    for s in seen
                    if not s.cluster_label or s.cluster_label not in self.other_clusters
                ]
                firing = sum(a.state == "firing" for a in last[i])
                healths[i].report("live", f"{firing} firing, {len(last[i]) - firing} other")
            emit(Replaced(self.cluster, Kind.ALERT, tuple(merge_alerts(last))))
            if len(errors) == len(self.endpoints):
                raise next(iter(errors.values()))  # every endpoint down: back off

        def failed(exc: BaseException, delay: float) -> None:
            for i, err in errors.items():
                url = self.endpoints[i].url
                healths[i].report("error", _error_text(err, url), retry_in=delay)

        poll_loop(stop, self.poll_seconds, poll, failed)


def _badge(endpoint: AlertEndpoint, endpoints: Sequence[AlertEndpoint]) -> str:
    """``prometheus``, or ``prometheus@host:port`` when a cluster has several of a kind."""
    if sum(e.kind == endpoint.kind for e in endpoints) > 1:
        return endpoint_label(endpoint.kind, endpoint.url)
    return endpoint.kind


def _error_text(exc: BaseException, url: str) -> str:
    name = type(exc).__name__
    host = urlparse(url).netloc or url
    if name in ("ConnectionError", "ConnectTimeout", "NewConnectionError"):
        return f"cannot reach {host}"
    if name in ("ReadTimeout", "Timeout"):
        return f"{host} did not answer within {CALL_TIMEOUT:.0f}s"
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if status is not None:
        return f"{host} answered HTTP {status}"
    return f"{host}: {exc}"
