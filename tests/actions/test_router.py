"""The router: writability decided in one place (read-only flag, cluster config, RBAC), then
the first backend with the capability; nothing is sent to a backend when the answer is no."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from wundr_tui.actions.capabilities import (
    AccessReviewer,
    NodePoolScaler,
    Reader,
    Scalable,
    Silencer,
)
from wundr_tui.actions.router import Router, as_router
from wundr_tui.backends.base import OperationError, Permission
from wundr_tui.backends.demo import EKS_CONTEXT, DemoFleet
from wundr_tui.model import Cluster

PROD = Cluster("prod", "aws", "us-east-1", "wundr-production")
LOCKED = Cluster("locked", "gcp", "us-central1", "wundr-dr", read_only=True)


class Recorder:
    """Scales deployments and answers access reviews, remembering every call."""

    def __init__(self, allowed: bool = True) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.allowed = allowed

    def can(self, cluster: str, verb: str, resource: str, namespace: str = "") -> Permission:
        self.calls.append(("can", cluster, verb, resource, namespace))
        return Permission(self.allowed, "" if self.allowed else "forbidden: no")

    def scale_deployment(
        self,
        cluster: str,
        namespace: str,
        name: str,
        replicas: int,
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        self.calls.append(("scale", cluster, namespace, name, replicas, dry_run))


class Pools:
    """Only scales node pools."""

    def scale_node_pool(
        self,
        cluster: str,
        pool: str,
        min_size: int,
        max_size: int,
        desired: int,
        *,
        dry_run: bool = False,
    ) -> None:
        raise AssertionError("never called here")


def router(*backends: object, read_only: bool = False) -> Router:
    clusters: Mapping[str, Cluster] = {c.name: c for c in (PROD, LOCKED)}
    return Router(*backends, read_only=read_only, clusters=clusters)


def test_writability_is_the_flag_then_the_cluster_config() -> None:
    """--read-only refuses everywhere; a cluster marked read-only refuses there only."""
    assert router().writable("prod") == Permission(True)
    assert router().writable("locked") == Permission(
        False, "gke/wundr-dr is read-only in the config"
    )
    assert router(read_only=True).writable("prod") == Permission(
        False, "read-only mode (--read-only): actions are disabled"
    )


def test_can_asks_rbac_only_where_changes_are_allowed() -> None:
    """The access review is asked after writability, never before (read-only sends nothing)."""
    kube = Recorder(allowed=False)
    assert router(kube).can("prod", "patch", "services", "ns") == Permission(False, "forbidden: no")
    assert kube.calls == [("can", "prod", "patch", "services", "ns")]
    kube.calls.clear()
    assert not router(kube, read_only=True).can("prod", "patch", "services").allowed
    assert not router(kube).can("locked", "patch", "services").allowed
    assert kube.calls == []
    assert router().can("prod", "patch", "services") == Permission(
        False, "no Kubernetes operator is configured"
    )


def test_dispatch_by_capability_and_gate_before_it() -> None:
    """The first backend with the capability serves it; a refused cluster raises before any
    backend is reached; a missing capability says what is missing."""
    kube, pools = Recorder(), Pools()
    r = router(pools, kube)
    assert r.backend("prod", Scalable) is kube
    assert r.backend("prod", NodePoolScaler) is pools
    assert r.find(AccessReviewer) is kube
    assert r.find(Reader) is None
    with pytest.raises(OperationError, match="is read-only in the config; nothing was sent"):
        r.backend("locked", Scalable)
    with pytest.raises(OperationError, match="no Alertmanager is configured for silences"):
        r.backend("prod", Silencer)
    with pytest.raises(OperationError, match="no reader"):
        r.reader()
    assert kube.calls == []


def test_the_demo_fleet_is_every_capability_at_once() -> None:
    """No special case for the demo: the fleet is found as reader, operator, cloud and
    Alertmanager by what it implements."""
    fleet = DemoFleet()
    r = as_router(fleet, read_only=False, clusters={c.name: c for c in fleet.clusters()})
    for capability in (Reader, AccessReviewer, Scalable, NodePoolScaler, Silencer):
        assert r.find(capability) is fleet, capability  # type: ignore[type-abstract]
    assert r.reader().get(EKS_CONTEXT, *_service()) is not None
    same = as_router(r, read_only=True, clusters={})
    assert same is r and r.read_only, "a router is kept; read-only only ever turns on"


def _service() -> tuple[Any, str, str]:
    from wundr_tui.model import Kind

    return Kind.SERVICE, "wundr-platform", "wundr-platform-service"
