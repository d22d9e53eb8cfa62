"""The one registry of Kubernetes kinds: every path, group and parser the backend uses."""

from __future__ import annotations

import pytest

from wundr_tui.backends.kube import kinds
from wundr_tui.model import Kind


@pytest.mark.parametrize(
    ("kind", "cluster_path", "namespaced_path"),
    [
        (Kind.POD, "/api/v1/pods", "/api/v1/namespaces/shop/pods"),
        (Kind.DEPLOYMENT, "/apis/apps/v1/deployments", "/apis/apps/v1/namespaces/shop/deployments"),
        (Kind.SERVICE, "/api/v1/services", "/api/v1/namespaces/shop/services"),
        (
            Kind.HPA,
            "/apis/autoscaling/v2/horizontalpodautoscalers",
            "/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers",
        ),
        (Kind.NODE, "/api/v1/nodes", "/api/v1/nodes"),
        (
            Kind.SCHEDULE,
            "/apis/velero.io/v1/schedules",
            "/apis/velero.io/v1/namespaces/shop/schedules",
        ),
        (Kind.BACKUP, "/apis/velero.io/v1/backups", "/apis/velero.io/v1/namespaces/shop/backups"),
        (
            Kind.RESTORE,
            "/apis/velero.io/v1/restores",
            "/apis/velero.io/v1/namespaces/shop/restores",
        ),
        (
            Kind.EVENT,
            "/apis/events.k8s.io/v1/events",
            "/apis/events.k8s.io/v1/namespaces/shop/events",
        ),
    ],
)
def test_each_watched_kind_has_its_apiserver_path(
    kind: Kind, cluster_path: str, namespaced_path: str
) -> None:
    spec = kinds.spec_for(kind)
    assert spec is not None and spec.watched
    assert spec.path() == cluster_path
    assert spec.path("shop") == namespaced_path
    assert spec.model_kind is kind and callable(spec.parser)


def test_watched_kinds_start_in_the_order_panes_fill() -> None:
    assert [s.plural for s in kinds.WATCHED] == [
        "pods",
        "deployments",
        "services",
        "horizontalpodautoscalers",
        "nodes",
        "schedules",
        "backups",
        "restores",
        "events",
    ]
    assert [s.plural for s in kinds.WATCHED if s.velero] == ["schedules", "backups", "restores"]


@pytest.mark.parametrize(
    ("plural", "group"),
    [
        ("pods", ""),
        ("namespaces", ""),
        ("deployments", "apps"),
        ("replicasets", "apps"),
        ("statefulsets", "apps"),
        ("horizontalpodautoscalers", "autoscaling"),
        ("restores", "velero.io"),
        ("configmaps", ""),
    ],
)
def test_access_reviews_name_the_resource_group(plural: str, group: str) -> None:
    assert kinds.group_of(plural) == group


def test_kinds_without_a_pane_have_no_parser() -> None:
    spec = kinds.by_plural("replicasets")
    assert spec is not None and not spec.watched
    with pytest.raises(LookupError):
        _ = spec.parser
    assert kinds.spec_for(Kind.ALERT) is None
