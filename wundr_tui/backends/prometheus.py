"""Firing and pending alerts from Prometheus (prometheus-api-client): one endpoint of a
cluster's AlertFeed (see alerts.py for how endpoints are merged)."""

from __future__ import annotations

import threading
from typing import Any

from wundr_tui.backends.alerts import (
    CALL_TIMEOUT,
    DEFAULT_POLL_SECONDS,
    AlertFeed,
    SeenAlert,
    alert_from_labels,
    cluster_label,
    endpoint_label,
    parse_rfc3339,
)
from wundr_tui.backends.base import Emit
from wundr_tui.model import Alert


class PrometheusAlertSource:
    """Firing and pending alerts from one Prometheus (``/api/v1/alerts``)."""

    kind = "prometheus"

    def __init__(self, cluster: str, url: str, *, poll_seconds: float = DEFAULT_POLL_SECONDS):
        self.cluster = cluster
        """Context the alerts are shown under."""
        self.url = url.rstrip("/")
        """Prometheus base URL."""
        self.poll_seconds = poll_seconds
        """Seconds between polls when run on its own."""
        self.name = f"prometheus:{cluster}:{self.url}"
        """Unique source name."""
        self._prom: Any = None

    def connection(self) -> Any:
        """prometheus-api-client's PrometheusConnect, created on first use."""
        if self._prom is None:
            import requests
            from prometheus_api_client import PrometheusConnect
            from urllib3.util.retry import Retry

            # One quick retry: the poll loop does the real backoff.
            self._prom = PrometheusConnect(
                self.url,
                session=requests.Session(),
                retry=Retry(total=1, backoff_factor=0.2, status_forcelist=(502, 503, 504)),
                timeout=int(CALL_TIMEOUT),
            )
        return self._prom

    def fetch_seen(self) -> list[SeenAlert]:
        """Active alerts (firing and pending) with their cluster labels."""
        prom = self.connection()
        # prometheus-api-client has no alerts call: use its configured session (retries,
        # auth, TLS settings) for the /api/v1/alerts endpoint.
        answer = prom._session.get(
            f"{self.url}/api/v1/alerts",
            headers=prom.headers,
            auth=prom.auth,
            timeout=CALL_TIMEOUT,
        )
        answer.raise_for_status()
        body = answer.json()
        if body.get("status") != "success":
            raise RuntimeError(f"Prometheus answered {body.get('error', body.get('status'))}")
        source = endpoint_label("prometheus", self.url)
        out = []
        for item in (body.get("data") or {}).get("alerts") or []:
            labels = item.get("labels") or {}
            state = item.get("state", "firing")
            if state not in ("firing", "pending"):
                continue
            alert = alert_from_labels(
                labels,
                item.get("annotations") or {},
                state=state,
                starts_at=parse_rfc3339(item.get("activeAt", "")),
                source=source,
            )
            out.append(SeenAlert(alert, cluster_label(labels)))
        return out

    def fetch(self) -> list[Alert]:
        """Active alerts."""
        return [s.alert for s in self.fetch_seen()]

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Poll this endpoint alone; see AlertFeed."""
        AlertFeed(self.cluster, [self], poll_seconds=self.poll_seconds).run(emit, stop)
