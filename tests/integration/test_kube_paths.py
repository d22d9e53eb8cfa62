"""Names that reach request paths never climb out of them (issue 10, class 4).

The config helper validates namespaces when the config is read; these tests hand hostile names
straight to the source and the operator, as a config that skipped validation would, and read
the fake apiserver's request log: every request stays on the path it was meant for.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import unquote

import pytest

from tests.fakes.kube_fixtures import EKS_CONTEXT, KubeHarness, KubeWorld
from wundr_tui.backends.base import OperationError
from wundr_tui.backends.kube import KubeOperator
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import ClusterConfig, Config
from wundr_tui.model import Kind

HOSTILE = ("../../../api/v1/secrets", "a/b?watch=1#x", "%2e%2e", "..", "wundr-platform")
"""Namespaces a config could hold if nothing checked it (the last one is real)."""

PLURALS = {
    "pods": "/api/v1",
    "deployments": "/apis/apps/v1",
    "services": "/api/v1",
    "horizontalpodautoscalers": "/apis/autoscaling/v2",
    "events": "/apis/events.k8s.io/v1",
}


def _unchecked(context: str, namespaces: tuple[str, ...]) -> ClusterConfig:
    """A ClusterConfig holding ``namespaces`` as given, even if ClusterConfig learns to check."""
    try:
        return ClusterConfig(context=context, namespaces=namespaces)
    except Exception:  # validation at construction: bypass it, as a bug elsewhere would
        config = object.__new__(ClusterConfig)
        for f in dataclasses.fields(ClusterConfig):
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
            object.__setattr__(config, f.name, default)
        object.__setattr__(config, "context", context)
        object.__setattr__(config, "namespaces", namespaces)
        return config


def _intended(path: str) -> bool:
    """A namespaced list/watch of a watched kind, or a cluster-wide one (nodes, Velero)."""
    for plural, prefix in PLURALS.items():
        head = f"{prefix}/namespaces/"
        if path.startswith(head) and path.endswith("/" + plural):
            segment = path[len(head) : -len(plural) - 1]
            return "/" not in segment and unquote(segment) in HOSTILE
    return path in (
        "/api/v1/nodes",
        "/apis/velero.io/v1/schedules",
        "/apis/velero.io/v1/backups",
        "/apis/velero.io/v1/restores",
    )


def test_hostile_namespaces_stay_inside_their_segment(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    cluster = next(c for c in discover_clusters(Config()) if c.name == EKS_CONTEXT)
    kube_harness.start(cluster, _unchecked(EKS_CONTEXT, HOSTILE))
    hostile_pods = "/api/v1/namespaces/..%2F..%2F..%2Fapi%2Fv1%2Fsecrets/pods"
    kube_harness.wait_for(
        lambda s: (
            (h := kube_harness.health(EKS_CONTEXT, "kube/pods@wundr-platform")) is not None
            and h.state == "live"
            and s.count(Kind.POD, EKS_CONTEXT) > 0
            # Each namespace's watch starts on its own: wait for the hostile one's request
            # too (a loaded machine sent it after the first namespace went live).
            and hostile_pods in {r.path for r in kube_world.eks.requests()}
        )
    )
    # ".." cannot be a segment at all: refused before any request, with the reason.
    refused = kube_harness.health(EKS_CONTEXT, "kube/pods@..")
    assert refused is not None and refused.state == "error"
    assert refused.reason == "refused: namespace '..' cannot be part of a request path"
    paths = {r.path for r in kube_world.eks.requests()}
    assert paths, "no request reached the apiserver"
    outside = sorted(p for p in paths if not _intended(p))
    assert not outside, f"requests outside their intended paths: {outside}"
    assert hostile_pods in paths
    assert not any("secrets" in p and "%2F" not in p for p in paths)


@pytest.mark.parametrize("namespace", ["..", "."])
def test_operator_refuses_dot_namespaces_before_sending(
    kube_world: KubeWorld, namespace: str
) -> None:
    config = Config()
    operator = KubeOperator(config, discover_clusters(config))
    try:
        with pytest.raises(OperationError, match="cannot be part of a request path"):
            operator.scale_deployment(EKS_CONTEXT, namespace, "orders-blue", 3)
        with pytest.raises(OperationError, match="cannot be part of a request path"):
            operator.patch_hpa_bounds(EKS_CONTEXT, namespace, "orders", 1, 5)
    finally:
        operator.close()
    assert not kube_world.eks.requests(lambda r: r.method == "PATCH")
