"""Firing and pending alerts from Prometheus (prometheus-api-client): one endpoint of a
cluster's AlertFeed (see alerts.py for how endpoints are merged)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wundr_tui import USER_AGENT
from wundr_tui.backends.alerts import (
    CALL_TIMEOUT,
    DEFAULT_POLL_SECONDS,
    AlertFeed,
    SeenAlert,
    _error_text,
    alert_from_labels,
    cluster_label,
    endpoint_label,
    parse_rfc3339,
)
from wundr_tui.backends.base import Emit
from wundr_tui.backends.polling import HealthReporter, poll_loop
from wundr_tui.config_schema import ERRORS_QUERY, LATENCY_QUERY, REQUESTS_QUERY
from wundr_tui.events import Upserted
from wundr_tui.model import SIGNAL_WINDOW, Alert, GoldenSignals, Kind


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

            session = requests.Session()
            session.headers["User-Agent"] = USER_AGENT  # not python-requests/VERSION
            # One quick retry: the poll loop does the real backoff.
            self._prom = PrometheusConnect(
                self.url,
                session=session,
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


SIGNAL_POLL_SECONDS = 30.0
"""Seconds between golden-signal range queries (``[poll_seconds] signals``)."""


@dataclass(frozen=True, slots=True)
class SignalQueries:
    """What the golden-signal source asks Prometheus (``[golden_signals]``)."""

    requests: str = REQUESTS_QUERY
    errors: str = ERRORS_QUERY
    latency_p95: str = LATENCY_QUERY
    step: int = 60
    """Seconds between points."""
    max_series: int = 50
    """Services kept per cluster."""


class GoldenSignalsSource:
    """Request rate, error ratio and p95 latency of every service of one cluster, from
    Prometheus range queries (``custom_query_range``) on a grid of whole steps: first the last
    30 minutes, then only the points after the last one held (the store merges them). Runs in
    its own thread (a query never blocks a frame); a failure keeps what was shown and turns
    the ``prometheus/signals`` badge red (``signals`` on the Services pane)."""

    kind = "prometheus"

    def __init__(
        self,
        cluster: str,
        url: str,
        queries: SignalQueries | None = None,
        *,
        poll_seconds: float = SIGNAL_POLL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.cluster = cluster
        """Context the signals are shown under."""
        self.url = url.rstrip("/")
        """Prometheus base URL."""
        self.queries = queries or SignalQueries()
        """The three queries, the step and the series bound."""
        self.poll_seconds = poll_seconds
        """Seconds between polls."""
        self.name = f"signals:{cluster}:{self.url}"
        """Unique source name."""
        self._clock = clock
        self._alerts = PrometheusAlertSource(cluster, url)
        self._next: float | None = None
        self.left_out = 0
        """Services the last poll left out (past ``max_series``)."""

    def fetch(self, now: float | None = None) -> list[GoldenSignals]:
        """The points due since the last fetch (the last 30 minutes the first time), one
        GoldenSignals per service (``max_series`` at most, by name)."""
        step = max(int(self.queries.step), 1)
        end = math.floor((self._clock() if now is None else now) / step) * step
        start = self._next if self._next is not None else end - SIGNAL_WINDOW
        start = max(start, end - SIGNAL_WINDOW)
        if start > end:
            return []
        prom = self._alerts.connection()
        n = int((end - start) // step) + 1
        found: dict[str, list[list[float | None]]] = {}
        queries = (self.queries.requests, self.queries.errors, self.queries.latency_p95)
        for i, query in enumerate(queries):
            result = prom.custom_query_range(
                query,
                start_time=datetime.fromtimestamp(start, UTC),
                end_time=datetime.fromtimestamp(end, UTC),
                step=str(step),
            )
            for item in (result or [])[:MAX_RESULT_SERIES]:
                service = str((item.get("metric") or {}).get("service", ""))
                if not service:
                    continue
                series = found.setdefault(service, [[None] * n for _ in queries])[i]
                for pair in (item.get("values") or [])[: n + 1]:
                    at, value = _point(pair)
                    slot = round((at - start) / step) if at is not None else -1
                    if 0 <= slot < n:
                        series[slot] = value
        names = sorted(found)
        self.left_out = max(len(names) - self.queries.max_series, 0)
        self._next = end + step
        return [
            GoldenSignals(name, float(start), float(step), *(tuple(s) for s in found[name]))
            for name in names[: self.queries.max_series]
        ]

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Poll every ``poll_seconds`` until ``stop``; never raises."""
        health = HealthReporter(emit, self.cluster, "prometheus/signals", (Kind.SIGNALS,))
        health.report("connecting")

        def poll() -> None:
            signals = self.fetch()
            if signals:
                emit(Upserted(self.cluster, Kind.SIGNALS, tuple(signals)))
            extra = f", {self.left_out} more left out" if self.left_out else ""
            health.report("live", f"{len(signals)} services{extra}")

        def failed(exc: BaseException, delay: float) -> None:
            health.report("error", signal_error_text(exc, self.url), retry_in=delay)

        poll_loop(stop, self.poll_seconds, poll, failed)


MAX_RESULT_SERIES = 1_000
"""Series read from one range query's answer (the rest are not looked at)."""


def _point(pair: Any) -> tuple[float | None, float | None]:
    """``[timestamp, "value"]`` → (time, value); NaN, infinities and junk are None."""
    try:
        at = float(pair[0])
        value = float(pair[1])
    except (TypeError, ValueError, IndexError, KeyError):
        return None, None
    if not math.isfinite(at):
        return None, None
    return at, (value if math.isfinite(value) else None)


def signal_error_text(exc: BaseException, url: str) -> str:
    """Why a range query failed, in the badge's words (the alert sources' words)."""
    return _error_text(exc, url)
