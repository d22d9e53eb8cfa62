"""Golden signals from a real Prometheus on loopback: its TSDB is built by ``promtool tsdb
create-blocks-from openmetrics`` from 40 minutes of ``http_requests_total`` and
``http_request_duration_seconds_bucket`` samples of two services, and the source's range
queries (the seed's alert expressions, through prometheus-api-client) reach the Store as
GoldenSignals with the rates, 5xx shares and p95 the samples were made to have. A Prometheus
that is not there turns the signals badge red and keeps what was shown."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator

import pytest

from tests.fakes.cloud_fixtures import SourceHarness, cloud_harness, start_or_skip
from tests.fakes.servers import Process, free_port, start_prometheus
from wundr_tui.backends.prometheus import GoldenSignalsSource
from wundr_tui.model import SIGNAL_WINDOW, GoldenSignals, Kind
from wundr_tui.services import service_rows

__all__ = ["cloud_harness"]

CLUSTER = "arn:aws:eks:eu-west-1:123456789012:cluster/wundr-production"
STEP = 60
NOW = int(time.time()) // STEP * STEP
"""The grid time the test's clock stands at: the samples end here."""

# Per second: (2xx, 5xx) requests and the cumulative bucket counts (le → requests) of each
# service. api-gateway: 10.8 req/s, 0.8 of them 5xx (7.4 %), p95 in the 1-2 s bucket.
SERVICES = {
    "api-gateway": ((10.0, 0.8), {"0.1": 2.0, "0.5": 5.0, "1": 8.0, "2": 10.8, "+Inf": 10.8}),
    "web-client": ((5.0, 0.025), {"0.1": 4.5, "0.5": 5.025, "1": 5.025, "2": 5.025, "+Inf": 5.025}),
}
EXPECTED = {
    # service: (req/s, 5xx share, p95 s) as histogram_quantile interpolates them
    "api-gateway": (10.8, 0.8 / 10.8, 1 + (0.95 * 10.8 - 8.0) / 2.8),
    "web-client": (5.025, 0.025 / 5.025, 0.1 + (0.95 * 5.025 - 4.5) / 0.525 * 0.4),
}


def openmetrics() -> str:
    """40 minutes of counters every 15 s, ending at NOW."""
    start = NOW - 2400
    times = range(start, NOW + 1, 15)
    out = ["# HELP http_requests Requests served.", "# TYPE http_requests counter"]
    for service, ((ok, bad), _) in SERVICES.items():
        for status, rate in (("200", ok), ("500", bad)):
            labels = f'service="{service}",status="{status}"'
            out += [f"http_requests_total{{{labels}}} {rate * (t - start):.3f} {t}" for t in times]
    out += [
        "# HELP http_request_duration_seconds Request latency.",
        "# TYPE http_request_duration_seconds histogram",
    ]
    for service, (_, buckets) in SERVICES.items():
        for t in times:
            n = t - start
            for le, rate in buckets.items():
                labels = f'service="{service}",le="{le}"'
                out.append(f"http_request_duration_seconds_bucket{{{labels}}} {rate * n:.3f} {t}")
            total = buckets["+Inf"] * n
            out.append(
                f'http_request_duration_seconds_count{{service="{service}"}} {total:.3f} {t}'
            )
            out.append(f'http_request_duration_seconds_sum{{service="{service}"}} {total:.3f} {t}')
    out.append("# EOF")
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def prometheus_with_samples() -> Iterator[Process]:
    """A real Prometheus whose TSDB holds the samples above (stopped at the end)."""
    prom = start_or_skip(lambda: start_prometheus(openmetrics=openmetrics()))
    try:
        yield prom
    finally:
        prom.stop()


class Clock:
    """The source's clock, moved by the test."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_range_queries_give_each_services_signals_over_30_minutes(
    prometheus_with_samples: Process,
) -> None:
    clock = Clock(NOW + 5)  # a few seconds past the grid point: the point at NOW is asked
    source = GoldenSignalsSource(CLUSTER, prometheus_with_samples.url, clock=clock)
    got = {s.service: s for s in source.fetch()}
    assert set(got) == set(SERVICES)
    for service, (rate, share, p95) in EXPECTED.items():
        sig = got[service]
        assert sig.step == STEP and sig.start == NOW - SIGNAL_WINDOW
        assert sig.points == SIGNAL_WINDOW // STEP + 1 and sig.end == NOW
        # Every point after the first 5 minutes of samples has the rates they were made with.
        for values, want in ((sig.requests, rate), (sig.errors, share), (sig.p95, p95)):
            last = values[-1]
            assert last is not None and math.isclose(last, want, rel_tol=0.02), (service, want)
            assert all(v is not None for v in values)
    # The next poll asks only what came after: nothing at the same time, one point a step on.
    assert source.fetch() == []
    clock.now += STEP
    (one, _) = source.fetch()
    assert one.points == 1 and one.start == NOW + STEP


def test_the_store_keeps_30_minutes_and_the_pane_draws_over_the_thresholds(
    prometheus_with_samples: Process, cloud_harness: SourceHarness
) -> None:
    source = GoldenSignalsSource(
        CLUSTER, prometheus_with_samples.url, poll_seconds=0.3, clock=lambda: NOW + 5
    )
    cloud_harness.start(source)
    cloud_harness.wait(
        lambda s: len(s.items(CLUSTER, Kind.SIGNALS)) == 2, 20, "both services' signals"
    )
    health = cloud_harness.health(CLUSTER, "prometheus/signals")
    assert health is not None and health.state == "live" and health.kinds == (Kind.SIGNALS,)
    store = cloud_harness.store
    api = store.get(CLUSTER, Kind.SIGNALS, "api-gateway")
    assert isinstance(api, GoldenSignals) and api.end - api.start <= SIGNAL_WINDOW
    rows = {r.service: r for r in service_rows(store, NOW + 5, 8)}
    gateway, web = rows["api-gateway"], rows["web-client"]
    assert gateway.signals == "live" and gateway.last[1] is not None
    assert gateway.last[1] > store.error_threshold > (web.last[1] or 1.0)
    assert (gateway.last[2] or 0) > store.latency_threshold > (web.last[2] or 9.0)
    assert cloud_harness.stop() < 2.0


def test_prometheus_down_is_an_error_badge_not_an_exception(
    cloud_harness: SourceHarness,
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    cloud_harness.start(GoldenSignalsSource(CLUSTER, dead, poll_seconds=0.3))
    cloud_harness.wait(
        lambda s: any(h.state == "error" for h in s.health_for(CLUSTER, Kind.SIGNALS)),
        20,
        "the signals badge in error",
    )
    health = cloud_harness.health(CLUSTER, "prometheus/signals")
    assert health is not None and "cannot reach 127.0.0.1" in health.reason
    assert cloud_harness.store.items(CLUSTER, Kind.SIGNALS) == {}
    assert cloud_harness.stop() < 2.0
