"""The demo's golden signals: request rate, error ratio and p95 latency of the platform's four
services, following the story. On the cloud that plays the rollout (EKS) the error rate
climbs just after it and falls with the rollback; on the other (GKE) latency climbs while
compute-pool is at its max and pods wait Pending. Both cross the seed's alert thresholds
(5 %, 1 s) while HighErrorRate and HighLatency fire.

Pure functions of the story's phase and the time: no draw from the simulation's RNG, so the
rest of the story (pod names, events) is what it was before the signals existed.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from wundr_tui.backends.demo.profiles import ROLLOUT_CLOUD, Profile, gateway_demand
from wundr_tui.model import SIGNAL_WINDOW, GoldenSignals

SIGNAL_STEP = 60
"""Seconds between the demo's points (the cockpit's default step)."""

SERVICES: dict[str, tuple[float, float, float]] = {
    "api-gateway": (140.0, 0.004, 0.18),
    "analysis-engine": (38.0, 0.002, 0.42),
    "web-client": (95.0, 0.001, 0.09),
    "setup-toolkit": (4.0, 0.003, 0.26),
}
"""Each service's calm request rate (per second), error ratio and p95 latency (seconds)."""


def _ramp(phase: int, up: int, top: int, down: int, gone: int) -> float:
    """0 before ``up``, rising to 1 at ``top``, 1 until ``down``, falling to 0 at ``gone``."""
    if phase < up or phase >= gone:
        return 0.0
    if phase < top:
        return (phase - up) / (top - up)
    if phase < down:
        return 1.0
    return (gone - phase) / (gone - down)


def _wobble(service: str, t: float) -> float:
    """A small deterministic wiggle (±4 %), different per service."""
    seed = sum(map(ord, service)) % 17
    return 1.0 + 0.04 * math.sin(t / 97.0 + seed) * math.cos(t / 331.0 + seed / 3)


def signal_point(
    profile: Profile, service: str, phase: int, t: float
) -> tuple[float, float, float]:
    """(requests/s, error ratio, p95 seconds) of one service at a phase of the story."""
    rate, errors, p95 = SERVICES[service]
    wobble = _wobble(service, t)
    if service == "api-gateway":
        rate *= gateway_demand(phase, profile.demand_peak) / gateway_demand(0, 1.0)
        if profile.cluster.cloud == ROLLOUT_CLOUD:
            # v1.4.3 goes out at 70: 5xx climb from 75 to 7.2 % at 95; rolled back at 160.
            errors += (0.072 - errors) * _ramp(phase, 75, 95, 160, 176)
            p95 += (1.22 - p95) * _ramp(phase, 80, 92, 150, 170)
        else:
            # compute-pool at max, pods Pending: latency first, then timeouts as 5xx.
            p95 += (1.64 - p95) * _ramp(phase, 72, 92, 150, 168)
            errors += (0.058 - errors) * _ramp(phase, 82, 96, 150, 176)
    elif service == "analysis-engine":
        p95 += 0.3 * _ramp(phase, 70, 100, 130, 160)
    return (
        round(rate * wobble, 1),
        round(errors * wobble, 4),
        round(p95 * wobble, 3),
    )


def signals_at(
    profile: Profile, phase_of: Callable[[float], int], start: float, end: float
) -> list[GoldenSignals]:
    """Every service's points on the step grid from ``start`` to ``end`` (both included when
    on the grid); ``phase_of(t)``: the story's phase at a time."""
    first = math.ceil(max(start, end - SIGNAL_WINDOW) / SIGNAL_STEP) * SIGNAL_STEP
    times = [float(t) for t in range(int(first), int(end) + 1, SIGNAL_STEP)]
    if not times:
        return []
    out = []
    for service in SERVICES:
        points = [signal_point(profile, service, phase_of(t), t) for t in times]
        out.append(
            GoldenSignals(
                service,
                times[0],
                float(SIGNAL_STEP),
                tuple(p[0] for p in points),
                tuple(p[1] for p in points),
                tuple(p[2] for p in points),
            )
        )
    return out
