"""Verification of a blue-green switch: the Service's endpoints must point at the target
colour's pods (EndpointSlices follow the selector a moment later, so verification waits)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from tests.conftest import DEMO_START
from wundr_tui.actions import blue_green
from wundr_tui.actions.base import run_plan
from wundr_tui.actions.blue_green import plan_switch
from wundr_tui.actions.router import Router
from wundr_tui.backends.demo import EKS_CONTEXT, DemoFleet
from wundr_tui.backends.endpoints import SLICES, ServiceEndpoints
from wundr_tui.clock import FrozenClock
from wundr_tui.model import BlueGreenSpec, Kind, Resource


class LaggingEndpoints:
    """The demo's reads, plus Endpoints that show the old colour for ``lag`` reads."""

    def __init__(self, fleet: DemoFleet, lag: int) -> None:
        self.fleet = fleet
        self.lag = lag
        self.reads = 0

    def get(self, cluster: str, kind: Kind, namespace: str, name: str) -> Resource | None:
        return self.fleet.get(cluster, kind, namespace, name)

    def list(self, cluster: str, kind: Kind, namespace: str) -> Sequence[Resource]:
        return self.fleet.list(cluster, kind, namespace)

    def service_endpoints(
        self,
        cluster: str,
        namespace: str,
        name: str,
        labels: Mapping[str, str] | None = None,
    ) -> ServiceEndpoints:
        self.reads += 1
        colour = "blue" if self.reads <= self.lag else "green"
        pods = tuple(f"api-gateway-{colour}-7d9f8c6b5-x{i}" for i in range(3))
        return ServiceEndpoints(SLICES, pods, pods if colour == "green" else ())


def _switch(lag: int) -> tuple[str, str, LaggingEndpoints]:
    fleet = DemoFleet(clock=FrozenClock(DEMO_START))
    reader = LaggingEndpoints(fleet, lag)
    # First served first: the lagging reads, then the fleet as the operator.
    ops = Router(reader, fleet, clusters={c.name: c for c in fleet.clusters()})
    plan = plan_switch(ops, ops.clusters[EKS_CONTEXT], BlueGreenSpec())
    outcome = run_plan(plan, None)
    return outcome.result, outcome.message, reader


def test_waits_until_the_endpoints_are_the_target_pods() -> None:
    """Two reads still show blue pods; the third shows green: verified."""
    result, message, reader = _switch(lag=2)
    assert result == "done", message
    assert reader.reads == 3


def test_endpoints_that_never_follow_are_reported_unverified(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The selector changed but the endpoints keep the old pods: applied, not verified, and
    the message says so and points at the revert."""
    monkeypatch.setattr(blue_green, "VERIFY_SECONDS", 0.3)
    result, message, _ = _switch(lag=10_000)
    assert result == "unverified"
    assert "endpoints still include 3 pod(s) of the old colour" in message
    assert "revert" in message


def test_the_demo_verifies_with_its_own_endpoint_slices() -> None:
    """The demo fleet is an EndpointReader too: a switch there is verified, not assumed."""
    fleet = DemoFleet(clock=FrozenClock(DEMO_START))
    ops = Router(fleet, clusters={c.name: c for c in fleet.clusters()})
    seen = fleet.service_endpoints(
        EKS_CONTEXT, "wundr-platform", "wundr-platform-service", {"environment": "x"}
    )
    assert seen.source == SLICES and len(seen.ready) == 3 and seen.matching == ()
    outcome = run_plan(plan_switch(ops, ops.clusters[EKS_CONTEXT], BlueGreenSpec()), None)
    assert outcome.result == "done", outcome.message
    assert outcome.message.endswith("3 ready endpoints in its EndpointSlices")
