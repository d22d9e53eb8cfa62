"""Blue-green verification over HTTP with the real client path (KubeOperator + KubeReader)
against the fake apiserver: the switch is DONE only when the Service's EndpointSlices
(``discovery.k8s.io/v1``) list ready pods of the new colour and no other; v1 Endpoints are read
only where the server has no slices (404); when neither can be read the result is "not
verified", never DONE."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.kube_fixtures import EKS_CONTEXT, KubeWorld
from wundr_tui.actions import blue_green
from wundr_tui.actions.base import run_plan
from wundr_tui.actions.blue_green import plan_switch
from wundr_tui.actions.router import Router
from wundr_tui.backends.endpoints import ENDPOINTS, SLICES
from wundr_tui.backends.kube import KubeOperator, KubeReader
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import Config
from wundr_tui.model import BlueGreenSpec, Cluster
from wundr_tui.wiring import live_router

NS = "wundr-platform"
SVC = "wundr-platform-service"
SPEC = BlueGreenSpec()
SLICE_PATH = f"/apis/discovery.k8s.io/v1/namespaces/{NS}/endpointslices"


@pytest.fixture
def world(kube_world: KubeWorld) -> KubeWorld:
    """The fake platform with the Service selecting the blue colour of every service."""
    server = kube_world.eks
    svc = server.state.get("services", f"{NS}/{SVC}")
    assert svc is not None
    svc["spec"]["selector"] = {"environment": "production-blue"}
    server.state.put("services", svc)
    return kube_world


@pytest.fixture
def ops(world: KubeWorld) -> Iterator[tuple[Router, dict[str, Cluster]]]:
    clusters = {c.name: c for c in discover_clusters(Config())}
    router = live_router(KubeOperator(Config(), list(clusters.values())), None, {}, read_only=False)
    router.clusters = clusters
    yield router, clusters
    kube = router.find(KubeOperator)
    assert kube is not None
    kube.close()


def switch(ops: tuple[Router, dict[str, Cluster]]) -> tuple[str, str]:
    router, clusters = ops
    plan = plan_switch(router, clusters[EKS_CONTEXT], SPEC)
    assert plan.blocked is None, plan.checks
    outcome = run_plan(plan, None)
    return outcome.result, outcome.message


def reads(world: KubeWorld, path: str) -> list[int]:
    return [r.status for r in world.eks.requests(lambda r: r.path.startswith(path))]


def test_the_fake_serves_slices_like_the_controller(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]]
) -> None:
    """The slices of the Service are its selector's ready pods (payments-blue is fine, so 8
    ready blue pods), found by labelSelector, and the reader reads them, not Endpoints."""
    router, _ = ops
    reader = router.find(KubeReader)
    assert reader is not None
    seen = reader.service_endpoints(EKS_CONTEXT, NS, SVC, {"environment": "production-blue"})
    assert seen.source == SLICES and seen.reason == ""
    assert len(seen.ready) == 8 and all("-blue-" in p for p in seen.ready)
    assert seen.matching == seen.ready and not seen.stray
    (listed,) = world.eks.requests(lambda r: r.path == SLICE_PATH)
    assert listed.query["labelSelector"] == [f"kubernetes.io/service-name={SVC}"]
    assert not reads(world, "/api/v1/namespaces/wundr-platform/endpoints/")


def test_slices_that_show_green_are_done(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]]
) -> None:
    """The slices catch up after a second: DONE, and the message says what it saw."""
    world.eks.slices.lag_seconds = 1.0
    result, message = switch(ops)
    assert result == "done", message
    # Eight green pods, less the crash-looping payments-green one: not ready, not an endpoint.
    assert "now sends traffic to green" in message
    assert "7 ready endpoints in its EndpointSlices" in message
    statuses = reads(world, SLICE_PATH)
    assert len(statuses) >= 2 and set(statuses) == {200}, "read until the slices caught up"
    assert not reads(world, "/api/v1/namespaces/wundr-platform/endpoints/")


def test_slices_still_blue_after_the_window_are_not_done(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Endpoints object would already show green (the fake's follows at once), but the
    slices still list blue after the verify window: applied, not verified, and it says what
    it saw in the slices."""
    monkeypatch.setattr(blue_green, "VERIFY_SECONDS", 1.0)
    world.eks.slices.lag_seconds = 60.0
    result, message = switch(ops)
    assert result == "unverified", message
    assert "EndpointSlices: endpoints still include 8 pod(s) of the old colour" in message
    assert "api-gateway-blue-7d9f8c6b5-00000" in message
    assert "and 0 of green" in message
    assert "revert" in message


def test_no_slices_api_falls_back_to_endpoints(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]]
) -> None:
    """An old server (404 on discovery.k8s.io/v1): the v1 Endpoints show green, DONE."""
    world.eks.slices.served = False
    router, _ = ops
    reader = router.find(KubeReader)
    assert reader is not None
    assert reader.service_endpoints(EKS_CONTEXT, NS, SVC).source == ENDPOINTS
    result, message = switch(ops)
    assert result == "done", message
    assert "7 ready endpoints in its Endpoints" in message
    assert set(reads(world, SLICE_PATH)) == {404}
    assert set(reads(world, f"/api/v1/namespaces/{NS}/endpoints/{SVC}")) == {200}


def test_neither_api_readable_is_not_verified_and_not_done(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]]
) -> None:
    """No slices API and no Endpoints either (404 on both): "not verified", at once (waiting
    cannot bring an API), never DONE; the selector was changed, so the revert is offered."""
    world.eks.slices.served = False
    world.eks.faults.add("status", path=f"/endpoints/{SVC}", status=404, count=-1)
    result, message = switch(ops)
    assert result == "unverified", message
    assert "not verified: neither EndpointSlices nor Endpoints could be read" in message
    assert "no EndpointSlices API (404) and no Endpoints for the service (404)" in message
    assert "now sends traffic" not in message
    assert len(reads(world, SLICE_PATH)) <= 3, "a lasting answer is not polled for 20 s"


def test_slices_forbidden_are_not_replaced_by_endpoints(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]]
) -> None:
    """RBAC without endpointslices list: the slices exist, so the Endpoints are no stand-in;
    "not verified", naming the API and the 403."""
    world.eks.faults.forbidden = {("list", "endpointslices")}
    result, message = switch(ops)
    assert result == "unverified", message
    assert "cannot list EndpointSlices (discovery.k8s.io/v1): 403" in message
    assert not reads(world, "/api/v1/namespaces/wundr-platform/endpoints/")
