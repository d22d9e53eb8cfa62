"""KubeOperator against the fake apiserver: happy paths, dry runs, conflicts, refusals."""

from __future__ import annotations

import pytest

from tests.fakes.kube_fixtures import EKS_CONTEXT, GKE_CONTEXT, KubeWorld
from wundr_tui.backends.base import OperationError
from wundr_tui.backends.kube import KubeOperator
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import ClusterConfig, Config

NS = "wundr-platform"


@pytest.fixture
def operator(kube_world: KubeWorld) -> KubeOperator:
    config = Config()
    op = KubeOperator(config, discover_clusters(config))
    yield op  # type: ignore[misc]
    op.close()


def _rv(world: KubeWorld, plural: str, key: str, context: str = EKS_CONTEXT) -> str:
    obj = world.servers[context].state.get(plural, key)
    assert obj is not None
    return str(obj["metadata"]["resourceVersion"])


def test_scale_through_the_scale_subresource(kube_world: KubeWorld, operator: KubeOperator) -> None:
    """Dry run first (nothing changes), then for real with the resourceVersion precondition."""
    key = f"{NS}/orders-blue"
    rv = _rv(kube_world, "deployments", key)
    operator.scale_deployment(EKS_CONTEXT, NS, "orders-blue", 6, dry_run=True, resource_version=rv)
    assert kube_world.eks.state.get("deployments", key)["spec"]["replicas"] == 2  # type: ignore[index]
    operator.scale_deployment(EKS_CONTEXT, NS, "orders-blue", 6, resource_version=rv)
    assert kube_world.eks.state.get("deployments", key)["spec"]["replicas"] == 6  # type: ignore[index]
    patches = kube_world.eks.requests(lambda r: r.method == "PATCH")
    assert [p.path for p in patches] == [
        f"/apis/apps/v1/namespaces/{NS}/deployments/orders-blue/scale"
    ] * 2
    assert patches[0].query == {"dryRun": ["All"]} and patches[1].query == {}


def test_stale_resource_version_is_a_conflict(
    kube_world: KubeWorld, operator: KubeOperator
) -> None:
    """The object changed since it was read: 409 → OperationError(conflict=True)."""
    with pytest.raises(OperationError) as err:
        operator.scale_deployment(EKS_CONTEXT, NS, "orders-blue", 6, resource_version="1")
    assert err.value.conflict and err.value.status == 409
    assert "changed since it was read" in str(err.value)
    with pytest.raises(OperationError) as err:
        operator.patch_service_selector(
            EKS_CONTEXT,
            NS,
            "wundr-platform-service",
            {"environment": "production-green"},
            resource_version="1",
        )
    assert err.value.conflict


def test_switch_service_selector(kube_world: KubeWorld, operator: KubeOperator) -> None:
    """Blue → green by merge-patching the selector; other selector keys stay."""
    key = f"{NS}/wundr-platform-service"
    rv = _rv(kube_world, "services", key, GKE_CONTEXT)
    operator.patch_service_selector(
        GKE_CONTEXT,
        NS,
        "wundr-platform-service",
        {"environment": "production-green"},
        dry_run=True,
        resource_version=rv,
    )
    svc = kube_world.gke.state.get("services", key)
    assert svc is not None and svc["spec"]["selector"]["environment"] == "production-blue"
    operator.patch_service_selector(
        GKE_CONTEXT,
        NS,
        "wundr-platform-service",
        {"environment": "production-green"},
        resource_version=rv,
    )
    svc = kube_world.gke.state.get("services", key)
    assert svc is not None
    assert svc["spec"]["selector"] == {"app": "wundr", "environment": "production-green"}


def test_hpa_bounds(kube_world: KubeWorld, operator: KubeOperator) -> None:
    """min/max change; nonsense bounds are refused before any request."""
    operator.patch_hpa_bounds(EKS_CONTEXT, NS, "orders", 3, 12)
    hpa = kube_world.eks.state.get("horizontalpodautoscalers", f"{NS}/orders")
    assert hpa is not None and (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 12)
    before = len(kube_world.eks.requests())
    with pytest.raises(OperationError, match="min"):
        operator.patch_hpa_bounds(EKS_CONTEXT, NS, "orders", 5, 2)
    assert len(kube_world.eks.requests()) == before


def test_create_restore(kube_world: KubeWorld, operator: KubeOperator) -> None:
    """A Velero Restore is created (dry run creates nothing)."""
    name = operator.create_restore(
        EKS_CONTEXT, "wundr-daily-20251125", [NS], {NS: "wundr-restore"}, dry_run=True
    )
    assert kube_world.eks.state.get("restores", f"velero/{name}") is None
    name = operator.create_restore(EKS_CONTEXT, "wundr-daily-20251125", [NS], {NS: "wundr-restore"})
    restore = kube_world.eks.state.get("restores", f"velero/{name}")
    assert restore is not None
    assert restore["spec"]["backupName"] == "wundr-daily-20251125"
    assert restore["spec"]["namespaceMapping"] == {NS: "wundr-restore"}


def test_forbidden_and_missing(kube_world: KubeWorld, operator: KubeOperator) -> None:
    """403 and 404 become sentences with their status."""
    kube_world.eks.faults.forbidden = {("patch", "deployments/scale")}
    with pytest.raises(OperationError) as err:
        operator.scale_deployment(EKS_CONTEXT, NS, "orders-blue", 1)
    assert err.value.status == 403 and str(err.value).startswith("forbidden:")
    with pytest.raises(OperationError) as err:
        operator.patch_hpa_bounds(EKS_CONTEXT, NS, "nope", 1, 2)
    assert err.value.status == 404 and "not found" in str(err.value)


def test_can_asks_the_apiserver(kube_world: KubeWorld, operator: KubeOperator) -> None:
    """SelfSubjectAccessReview: allowed, and denied with a reason."""
    kube_world.gke.faults.forbidden = {("create", "restores")}
    assert operator.can(EKS_CONTEXT, "patch", "deployments/scale", NS).allowed
    denied = operator.can(GKE_CONTEXT, "create", "restores.velero.io", "velero")
    assert not denied.allowed and "forbidden" in denied.reason, denied
    assert operator.can(GKE_CONTEXT, "create", "restores.velero.io", "velero") == denied
    reviews = kube_world.gke.requests(lambda r: r.path.endswith("selfsubjectaccessreviews"))
    assert len(reviews) == 1, (denied, kube_world.gke.requests())


def test_unreachable_cluster_is_a_sentence(kube_world: KubeWorld, operator: KubeOperator) -> None:
    """A dead apiserver: no traceback, a sentence naming the cluster."""
    kube_world.gke.stop()
    with pytest.raises(
        OperationError, match="cannot reach gke/wundr-production: connection refused"
    ):
        operator.patch_hpa_bounds(GKE_CONTEXT, NS, "orders", 2, 4)


def test_read_only_sends_nothing(kube_world: KubeWorld) -> None:
    """--read-only (and read_only per cluster) refuse before any request, dry runs included."""
    config = Config(read_only=True)
    op = KubeOperator(config, discover_clusters(config))
    with pytest.raises(OperationError, match="read-only"):
        op.scale_deployment(EKS_CONTEXT, NS, "orders-blue", 1, dry_run=True)
    with pytest.raises(OperationError, match="read-only"):
        op.create_restore(GKE_CONTEXT, "b", [], {})
    config = Config(clusters=(ClusterConfig(context=GKE_CONTEXT, read_only=True),))
    op = KubeOperator(config, discover_clusters(config))
    with pytest.raises(OperationError, match="read-only"):
        op.patch_service_selector(GKE_CONTEXT, NS, "wundr-platform-service", {"a": "b"})
    assert not op.can(GKE_CONTEXT, "patch", "services", NS).allowed
    assert not kube_world.eks.requests() and not kube_world.gke.requests()
