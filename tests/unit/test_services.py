"""The Services pane's pure parts: GoldenSignals merged and bounded in the store, the rows
(one per service per cluster, side by side), the marks where clusters disagree, the buckets
and scales of the sparklines, the signals' badge, the config table and the demo's story."""

from __future__ import annotations

import pytest

from tests.conftest import demo_store
from wundr_tui import config as cfg
from wundr_tui.backends.demo import CYCLE, EKS, GKE
from wundr_tui.backends.demo.signals import SERVICES, signal_point
from wundr_tui.backends.prometheus import SignalQueries, _point
from wundr_tui.clock import FrozenClock
from wundr_tui.config_schema import ERRORS_QUERY, LATENCY_QUERY, REQUESTS_QUERY
from wundr_tui.events import ClusterSeen, Health, Rewound, Upserted
from wundr_tui.model import (
    SIGNAL_POINTS,
    SIGNAL_WINDOW,
    Alert,
    Cluster,
    Deployment,
    GoldenSignals,
    Hpa,
    Kind,
    Service,
    SourceHealth,
)
from wundr_tui.services import buckets, service_rows, version_of
from wundr_tui.store import MAX_SIGNAL_SERIES, Store

A = Cluster("arn:aws:eks:us-east-1:1:cluster/prod", "aws", "us-east-1", "prod")
B = Cluster("gke_p_us-central1_prod", "gcp", "us-central1", "prod")
NOW = 1_800_000_000.0
NS = "wundr-platform"


def sig(service: str, start: float, *errors: float | None, step: float = 60.0) -> GoldenSignals:
    n = len(errors)
    return GoldenSignals(service, start, step, (100.0,) * n, tuple(errors), (0.2,) * n)


# -- GoldenSignals: merged and bounded -------------------------------------------------------


def test_newer_points_join_the_held_ones_and_win_where_both_have_one() -> None:
    held = sig("api", NOW - 120, 0.01, 0.02, 0.03)
    merged = held.merged(sig("api", NOW - 60, 0.09, 0.04, 0.05))
    assert (merged.start, merged.end) == (NOW - 120, NOW + 60)
    assert merged.errors == (0.01, 0.09, 0.04, 0.05)
    # None in the newer points keeps what was held (Prometheus had no value there then).
    assert held.merged(sig("api", NOW - 60, None)).errors == (0.01, 0.02, 0.03)


def test_thirty_minutes_are_kept_and_a_grid_that_does_not_line_up_replaces() -> None:
    held = sig("api", NOW - 3600, *[0.01] * 61)  # an hour at 60 s
    trimmed = held.trimmed()
    assert trimmed.points == SIGNAL_WINDOW // 60 + 1 and trimmed.end == held.end
    assert trimmed.start == held.end - SIGNAL_WINDOW
    other = sig("api", NOW + 7, 0.5, step=30.0)
    assert held.merged(other) == other
    fine = sig("api", NOW, *[0.0] * 1000, step=1.0).trimmed()
    assert fine.points == SIGNAL_POINTS  # a 1 s step: the point bound, not 1,801 points


def test_the_store_merges_points_bounds_the_services_and_forgets_on_rewind() -> None:
    store = Store(FrozenClock(NOW))
    store.apply([ClusterSeen(A), Upserted(A.name, Kind.SIGNALS, (sig("api", NOW - 60, 0.01),))])
    store.apply([Upserted(A.name, Kind.SIGNALS, (sig("api", NOW, 0.2),))])
    got = store.get(A.name, Kind.SIGNALS, "api")
    assert isinstance(got, GoldenSignals) and got.errors == (0.01, 0.2)
    many = tuple(sig(f"svc-{i}", NOW, 0.0) for i in range(MAX_SIGNAL_SERIES + 50))
    store.apply([Upserted(A.name, Kind.SIGNALS, many)])
    assert store.count(Kind.SIGNALS, A.name) == MAX_SIGNAL_SERIES
    store.apply([Rewound()])
    assert store.count(Kind.SIGNALS) == 0


# -- rows ------------------------------------------------------------------------------------


def deployment(name: str, tag: str, app: str, colour: str = "", ready: int = 3) -> Deployment:
    labels = (("app", app), *((("environment", colour),) if colour else ()))
    return Deployment(
        NS, name, 3, ready, ready, 3, tuple(sorted(labels)), image=f"r/{app}:{tag}, sidecar:1"
    )


def fleet(*, b_tag: str = "v1.4.2", b_live: str = "production-blue") -> Store:
    """Two clusters with api-gateway (blue/green) and web-client; B's tag and colour vary."""
    store = Store(FrozenClock(NOW))
    events: list[object] = [ClusterSeen(A), ClusterSeen(B)]
    for cluster, tag, live in ((A, "v1.4.3", "production-blue"), (B, b_tag, b_live)):
        deps = (
            deployment("api-gateway-blue", tag, "api-gateway", "production-blue"),
            deployment("api-gateway-green", "v1.5.0", "api-gateway", "production-green"),
            deployment("web-client", "v2", "web-client"),
            Deployment("kube-system", "coredns", 2, 2, 2, 2, (("k8s-app", "dns"),)),
        )
        svc = Service(NS, "wundr-platform-service", (("app", "api-gateway"), ("environment", live)))
        hpa = Hpa(NS, "hpa", "Deployment/api-gateway-blue", 3, 20, 20, 20)
        events += [
            Upserted(cluster.name, Kind.DEPLOYMENT, deps),
            Upserted(cluster.name, Kind.SERVICE, (svc,)),
            Upserted(cluster.name, Kind.HPA, (hpa,)),
        ]
    events.append(
        Upserted(
            A.name,
            Kind.ALERT,
            (
                Alert("HighLatency", "f1", "warning", "firing", NOW, service="api-gateway"),
                Alert("HighErrorRate", "f2", "critical", "firing", NOW, service="api-gateway"),
                Alert("Soon", "f3", "warning", "pending", NOW, service="api-gateway"),
            ),
        )
    )
    store.apply(events)  # type: ignore[arg-type]
    return store


def test_one_row_per_service_per_cluster_side_by_side() -> None:
    rows = service_rows(fleet(), NOW, 8)
    assert [(r.service, r.cluster) for r in rows] == [
        ("api-gateway", A.name),
        ("api-gateway", B.name),
        ("web-client", A.name),
        ("web-client", B.name),
    ]  # coredns (kube-system, no signals) is not a service of the platform
    gateway = rows[0]
    assert gateway.version == "v1.4.3"  # the live colour's deployment, not green's v1.5.0
    assert (gateway.ready, gateway.desired, gateway.live) == (3, 3, "blue")
    assert gateway.deployment == f"{NS}/api-gateway-blue"
    assert gateway.hpa is not None and gateway.hpa.at_max and gateway.hpa.max == 20
    # Firing only, worst first; the pending one is not listed.
    assert gateway.alerts == (("HighErrorRate", "critical"), ("HighLatency", "warning"))
    assert rows[1].alerts == () and rows[2].hpa is None and rows[2].live == ""


def test_a_cell_is_marked_where_the_clusters_disagree() -> None:
    rows = service_rows(fleet(), NOW, 8)
    assert [r.version_differs for r in rows] == [True, True, False, False]
    assert not any(r.live_differs for r in rows)
    rows = service_rows(fleet(b_tag="v1.4.3"), NOW, 8)
    assert not any(r.version_differs or r.live_differs for r in rows)
    rows = service_rows(fleet(b_tag="v1.4.3", b_live="production-green"), NOW, 8)
    assert [(r.live, r.live_differs) for r in rows[:2]] == [("blue", True), ("green", True)]
    # Green serves there: green's tag, so the versions differ too.
    assert [(r.version, r.version_differs) for r in rows[:2]] == [
        ("v1.4.3", True),
        ("v1.5.0", True),
    ]


def test_versions_are_tags_whatever_the_registry() -> None:
    assert version_of("111.dkr.ecr.us-east-1.amazonaws.com/wundr/api:v1.4.3, fluent:2") == "v1.4.3"
    assert version_of("localhost:5000/api") == "latest"
    assert version_of("api@sha256:0123456789abcdef0123") == "0123456789ab"
    assert version_of("") == ""


def test_buckets_hold_the_worst_point_of_each_slice_of_30_minutes() -> None:
    s = GoldenSignals(
        "api",
        NOW - SIGNAL_WINDOW - 60,  # the first point is older than 30 minutes: left out
        60.0,
        tuple(float(i) for i in range(32)),
        (None,) * 32,
        (0.1,) * 31 + (2.0,),
    )
    req, err, p95 = buckets(s, NOW, 4)
    assert req == (8.0, 15.0, 23.0, 31.0)  # the largest in each 7.5 minutes
    assert err == (None,) * 4
    assert p95 == (0.1, 0.1, 0.1, 2.0)
    assert buckets(None, NOW, 3) == ((None,) * 3,) * 3


def test_scales_are_shared_and_never_below_twice_the_threshold() -> None:
    store = fleet()
    store.apply(
        [
            Upserted(A.name, Kind.SIGNALS, (sig("api-gateway", NOW - 60, 0.01, 0.30),)),
            Upserted(B.name, Kind.SIGNALS, (sig("api-gateway", NOW - 60, 0.01, 0.02),)),
            Upserted(A.name, Kind.SIGNALS, (sig("web-client", NOW - 60, 0.001),)),
        ]
    )
    rows = {(r.service, r.cluster): r for r in service_rows(store, NOW, 8)}
    tops = {r.errors_top for r in rows.values()}
    assert tops == {0.30}  # one scale for every row's 5xx sparkline: bars compare
    assert {r.p95_top for r in rows.values()} == {2 * store.latency_threshold}
    assert rows[("api-gateway", A.name)].last == (100.0, 0.30, 0.2)
    assert rows[("web-client", B.name)].last == (None, None, None)


def test_the_signals_badge_says_error_or_stale_and_the_points_stay() -> None:
    store = fleet()
    clock = store.clock
    assert isinstance(clock, FrozenClock)
    store.apply(
        [
            Upserted(A.name, Kind.SIGNALS, (sig("api-gateway", NOW - 60, 0.01),)),
            Health(SourceHealth(A.name, "prometheus/signals", "live", NOW, "", (Kind.SIGNALS,))),
            Health(
                SourceHealth(
                    B.name, "prometheus/signals", "error", NOW, "cannot reach p", (Kind.SIGNALS,)
                )
            ),
        ]
    )
    rows = {(r.service, r.cluster): r for r in service_rows(store, NOW, 8)}
    assert rows[("api-gateway", A.name)].signals == "live"
    assert (
        rows[("api-gateway", B.name)].signals,
        rows[("api-gateway", B.name)].signals_reason,
    ) == (
        "error",
        "cannot reach p",
    )
    clock.advance(store.stale_after + 1)
    rows = {(r.service, r.cluster): r for r in service_rows(store, clock.now(), 8)}
    gateway = rows[("api-gateway", A.name)]
    assert gateway.signals == "stale" and gateway.last[1] == 0.01  # shown, and said to be old


# -- config and parsing ------------------------------------------------------------------------


def test_the_queries_default_to_the_seed_platforms_alert_expressions() -> None:
    config = cfg.parse({})
    gs = config.golden_signals
    assert (gs.requests, gs.errors, gs.latency_p95) == (REQUESTS_QUERY, ERRORS_QUERY, LATENCY_QUERY)
    assert 'http_requests_total{status=~"5.."}[5m])) by (service)' in gs.errors
    assert gs.latency_p95.startswith("histogram_quantile(0.95, sum(rate(")
    assert (gs.error_threshold, gs.latency_threshold) == (0.05, 1.0)
    assert SignalQueries() == SignalQueries(REQUESTS_QUERY, ERRORS_QUERY, LATENCY_QUERY, 60, 50)
    custom = cfg.parse({"golden_signals": {"errors": "my_errors", "step_seconds": 30}})
    assert custom.golden_signals.errors == "my_errors"
    assert custom.golden_signals.requests == REQUESTS_QUERY


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"error_treshold": 0.1}, "unknown key"),  # the typo is an error, not a default
        ({"error_threshold": 5}, "0 to 1"),
        ({"step_seconds": 1}, "5"),
        ({"max_series": 0}, "1"),
        ({"errors": ""}, "PromQL"),
        ({"requests": "rate(x[5m])\n"}, "PromQL"),
    ],
)
def test_a_bad_golden_signals_table_is_a_config_error(
    table: dict[str, object], message: str
) -> None:
    with pytest.raises(cfg.ConfigError, match="golden_signals") as raised:
        cfg.parse({"golden_signals": table})
    assert message in str(raised.value)


def test_range_query_values_nan_and_junk_are_gaps() -> None:
    assert _point([1.8e9, "0.25"]) == (1.8e9, 0.25)
    assert _point([1.8e9, "NaN"]) == (1.8e9, None)
    assert _point([1.8e9, "+Inf"]) == (1.8e9, None)
    assert _point(["x", "1"]) == (None, None)
    assert _point([]) == (None, None)


# -- the demo's story --------------------------------------------------------------------------


def test_the_demo_signals_follow_the_story() -> None:
    def at(profile: object, phase: int) -> tuple[float, float, float]:
        return signal_point(profile, "api-gateway", phase, NOW)  # type: ignore[arg-type]

    calm = [at(p, 20) for p in (EKS, GKE)]
    assert all(err < 0.05 and p95 < 1.0 for _, err, p95 in calm)
    # EKS: the rollout at 70, the 5xx share over 5 % while HighErrorRate fires (95-175).
    assert all(at(EKS, p)[1] > 0.05 for p in range(95, 165))
    # GKE: compute-pool at max, latency over 1 s while HighLatency fires (90-165).
    assert all(at(GKE, p)[2] > 1.0 for p in range(90, 150))
    assert at(EKS, 110)[0] > 5 * at(EKS, 10)[0]  # the surge
    for service in SERVICES:
        for phase in range(0, CYCLE, 7):
            assert signal_point(EKS, service, phase, NOW) == signal_point(EKS, service, phase, NOW)


def test_the_demo_sends_30_minutes_first_then_only_the_new_points() -> None:
    store = demo_store()
    first = {s.service: s for _, s in store.all(Kind.SIGNALS) if isinstance(s, GoldenSignals)}
    assert set(first) == set(SERVICES)
    assert all(s.end - s.start == SIGNAL_WINDOW for s in first.values())
    from wundr_tui.backends.demo import DemoFleet

    clock = FrozenClock(NOW)
    fleet = DemoFleet(seed=7, clock=clock)
    fleet.initial_events()
    sent: list[GoldenSignals] = []
    for _ in range(130):
        clock.advance(1)
        for event in fleet.tick():
            if isinstance(event, Upserted) and event.kind is Kind.SIGNALS:
                sent += [s for s in event.items if isinstance(s, GoldenSignals)]
    assert sent and all(s.points == 1 for s in sent)  # compact: the store merges them
    assert len(sent) == 2 * len(SERVICES) * 2  # two steps of 60 s, two clusters
