"""Reducing Kubernetes JSON to model objects, and the fake apiserver's objects being valid."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from tests.fakes import k8s_objects as k8s
from wundr_tui.backends.kube import parse as kp
from wundr_tui.model import Backup, BackupSchedule, Restore


def _pod(**kw: Any) -> dict[str, Any]:
    return k8s.pod("ns", "web-7d9f8c6b5-abcde", owner="web", node="n1", **kw)


def test_pod_fields() -> None:
    p = kp.pod(_pod(restarts=3, containers=2))
    assert (p.namespace, p.name, p.node, p.owner) == ("ns", "web-7d9f8c6b5-abcde", "n1", "web")
    assert (p.status, p.ready, p.containers, p.restarts) == ("Running", 2, 2, 3)
    assert p.created == k8s.EPOCH - 86400
    assert p.key == "ns/web-7d9f8c6b5-abcde"


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"waiting": "CrashLoopBackOff", "ready": False}, "CrashLoopBackOff"),
        ({"waiting": "ImagePullBackOff", "ready": False}, "ImagePullBackOff"),
        ({"phase": "Pending", "ready": False}, "ContainerCreating"),
        ({"deleting": True}, "Terminating"),
    ],
)
def test_pod_status_like_kubectl(kwargs: dict[str, Any], status: str) -> None:
    assert kp.pod(_pod(**kwargs)).status == status


def test_pod_status_edge_cases() -> None:
    unscheduled = {
        "metadata": {"name": "a", "namespace": "n"},
        "spec": {"containers": [{}]},
        "status": {"phase": "Pending"},
    }
    assert kp.pod_status(unscheduled) == ("Pending", 0, 0)
    evicted = {"metadata": {}, "status": {"phase": "Failed", "reason": "Evicted"}}
    assert kp.pod_status(evicted)[0] == "Evicted"
    init = {
        "spec": {"initContainers": [{}, {}]},
        "status": {
            "phase": "Pending",
            "initContainerStatuses": [
                {"restartCount": 0, "state": {"terminated": {"exitCode": 0}}},
                {"restartCount": 2, "state": {"waiting": {"reason": "CrashLoopBackOff"}}},
            ],
        },
    }
    assert kp.pod_status(init) == ("Init:CrashLoopBackOff", 0, 2)
    oom = {
        "status": {
            "phase": "Running",
            "containerStatuses": [
                {
                    "restartCount": 1,
                    "state": {"terminated": {"reason": "OOMKilled", "exitCode": 137}},
                }
            ],
        }
    }
    assert kp.pod_status(oom)[0] == "OOMKilled"
    done = {
        "status": {
            "phase": "Succeeded",
            "containerStatuses": [
                {"state": {"terminated": {"reason": "Completed", "exitCode": 0}}}
            ],
        }
    }
    assert kp.pod_status(done)[0] == "Completed"
    assert kp.pod_status({})[0] == "Unknown"


def test_owner_strips_the_replicaset_hash() -> None:
    assert kp.deployment_of("ReplicaSet", "api-gateway-blue-7d9f8c6b5") == "api-gateway-blue"
    assert kp.deployment_of("StatefulSet", "postgres") == "postgres"
    assert kp.deployment_of("ReplicaSet", "plain") == "plain"
    assert kp.owner_of({}) == ""


def test_strings_are_shared_between_pods() -> None:
    a, b = kp.pod(_pod()), kp.pod(json.loads(json.dumps(_pod())))
    assert a.namespace is b.namespace and a.node is b.node and a.owner is b.owner


def test_other_kinds() -> None:
    d = kp.deployment(k8s.deployment("ns", "web", replicas=4, ready=3, labels={"env": "blue"}))
    assert (d.desired, d.ready, d.available, d.unavailable) == (4, 3, 3, 1)
    assert dict(d.pod_labels) == {"app": "web", "env": "blue"} and d.resource_version == "1"
    s = kp.service(k8s.service("ns", "svc", {"b": "2", "a": "1"}))
    assert s.selector == (("a", "1"), ("b", "2"))
    h = kp.hpa(k8s.hpa("ns", "web", target="web", max_replicas=5, current=5, desired=5))
    assert h.target == "Deployment/web" and h.at_max
    assert (h.metrics[0].name, h.metrics[0].current, h.metrics[0].target) == ("cpu", 55, 70)
    n = kp.node(k8s.node("n1", pool="spot", cloud="gcp", ready=False))
    assert (n.pool, n.ready, n.machine_type) == ("spot", False, "e2-standard-4")
    assert kp.node(k8s.node("n2", pool="system", cloud="aws")).pool == "system"
    sch = kp.schedule(k8s.velero_schedule("daily"))
    assert isinstance(sch, BackupSchedule) and sch.phase == "Enabled" and sch.ttl == "720h0m0s"
    assert sch.last_backup == k8s.EPOCH - 3600
    bk = kp.backup(k8s.velero_backup("daily-1", schedule="daily"))
    assert isinstance(bk, Backup) and (bk.schedule, bk.items_done, bk.warnings) == ("daily", 412, 1)
    rs = kp.restore(k8s.velero_restore("r1", backup="daily-1"))
    assert isinstance(rs, Restore) and rs.backup == "daily-1" and rs.items_total == 412
    assert rs.namespace_mapping == (("wundr-platform", "wundr-restore"),)


def test_hpa_external_metric_and_defaults() -> None:
    obj = {
        "metadata": {"name": "q", "namespace": "n"},
        "spec": {
            "maxReplicas": 4,
            "scaleTargetRef": {"kind": "Deployment", "name": "w"},
            "metrics": [
                {
                    "type": "External",
                    "external": {
                        "metric": {"name": "queue_depth"},
                        "target": {"type": "AverageValue", "averageValue": "30"},
                    },
                }
            ],
        },
        "status": {
            "currentMetrics": [
                {
                    "type": "External",
                    "external": {
                        "metric": {"name": "queue_depth"},
                        "current": {"averageValue": "45500m"},
                    },
                }
            ]
        },
    }
    h = kp.hpa(obj)
    assert h.min_replicas == 1 and h.metrics[0].current == pytest.approx(45.5)
    assert h.metrics[0].target == 30


@pytest.mark.parametrize(
    ("text", "value"),
    [("250m", 0.25), ("1Gi", 2**30), ("3", 3.0), (7, 7.0), ("x", None), ("", None)],
)
def test_quantity(text: object, value: float | None) -> None:
    assert kp.quantity(text) == value


def test_parse_time() -> None:
    assert kp.parse_time("2025-11-26T00:00:00Z") == k8s.EPOCH
    assert kp.parse_time(None) == 0.0 and kp.parse_time("yesterday") == 0.0


def test_fake_objects_are_valid_kubernetes_objects() -> None:
    """The client's own models accept what the fake apiserver serves."""
    from kubernetes.client import ApiClient

    client = ApiClient()
    world = k8s.platform("aws", pods=12)
    types = {
        "pods": "V1Pod",
        "deployments": "V1Deployment",
        "services": "V1Service",
        "horizontalpodautoscalers": "V2HorizontalPodAutoscaler",
        "nodes": "V1Node",
    }
    for plural, klass in types.items():
        for obj in world[plural]:
            model = client.deserialize(json.dumps(obj), klass, "application/json")
            assert model.metadata.name == obj["metadata"]["name"]
            assert client.sanitize_for_serialization(model)["kind"] == obj["kind"]
    pod = client.deserialize(json.dumps(world["pods"][0]), "V1Pod", "application/json")
    assert pod.spec.containers[0].resources.requests == {"cpu": "250m", "memory": "512Mi"}


def test_table_rows_reduce_like_objects() -> None:
    """A Table row with object metadata gives the same Pod as the whole object."""
    from tests.fakes.apiserver import POD_COLUMNS, pod_row

    columns = kp.table_columns(POD_COLUMNS)
    for obj in (_pod(restarts=4, containers=2), _pod(waiting="CrashLoopBackOff", ready=False)):
        # A row's metadata has no status conditions: how long the pod has been unready is
        # left to the incident rules' first-seen time.
        whole = dataclasses.replace(kp.pod(obj), since=0.0)
        assert kp.pod_from_row(pod_row(obj, "Metadata"), columns) == whole
    bare = kp.pod_from_row({"cells": ["p", "1/1", "Running", 0, "1d", "ip", "<none>"]}, columns)
    assert (bare.name, bare.node, bare.ready, bare.containers) == ("p", "", 1, 1)


def test_gc_pause_restores_the_collector() -> None:
    import gc
    import threading

    from wundr_tui.backends.kube import parse_page

    assert gc.isenabled()
    assert parse_page(b'{"items": []}') == {"items": []}
    assert gc.isenabled()
    errors: list[BaseException] = []

    def parse() -> None:
        try:
            for _ in range(200):
                parse_page(b'{"items": [1, 2, 3]}')
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=parse) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and gc.isenabled()


def test_error_reasons_read_like_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    from wundr_tui.backends.kube import ApiStatusError, describe_error, http
    from wundr_tui.model import Cluster

    # the kubeconfig users' exec plugins, as loading each context records them
    monkeypatch.setitem(http.AUTH_PLUGINS, "arn", "aws")
    monkeypatch.setitem(http.AUTH_PLUGINS, "gke", "gke-gcloud-auth-plugin")

    eks = Cluster("arn", "aws", "us-east-1", "prod")
    gke = Cluster("gke", "gcp", "europe-west1", "prod")
    other = Cluster("kind", "other", "", "kind")
    anonymous = ApiStatusError(403, "Forbidden", 'User "system:anonymous" cannot list pods')
    assert describe_error(anonymous, gke, "list", "pods") == (
        "credentials expired — run `gcloud auth login`"
    )
    assert describe_error(ApiStatusError(401, "Unauthorized", ""), eks, "list", "pods") == (
        "credentials expired — run `aws sso login`"
    )
    assert "401" in describe_error(ApiStatusError(401, "", ""), other, "list", "pods")
    assert describe_error(ApiStatusError(403, "Forbidden", "x"), eks, "list", "pods in a") == (
        "forbidden: cannot list pods in a"
    )
    assert describe_error(
        ConnectionRefusedError("[Errno 111] Connection refused"), eks, "", ""
    ) == ("connection refused")
    assert describe_error(TimeoutError("Read timed out."), eks, "", "").startswith("the apiserver")


def test_pod_labels_are_read_and_shared_between_pods_of_one_replicaset() -> None:
    """From whole objects and from Table rows with ``includeObject=Metadata`` (what the
    fake apiserver and a real one send): two pods of one ReplicaSet share one labels tuple."""
    from tests.fakes.apiserver import pod_row

    obj = _pod()
    a = kp.pod(obj)
    assert dict(a.labels) == {"app": "web", "pod-template-hash": "7d9f8c6b5"}
    columns = kp.table_columns([{"name": n} for n in ("Name", "Ready", "Status", "Restarts")])
    row = json.loads(json.dumps(pod_row(obj, "Metadata")))
    b = kp.pod_from_row(row, columns)
    assert b.labels == a.labels and b.labels is a.labels
    hostile = _pod()
    hostile["metadata"]["labels"] = {"ok": "x", "n": 3, "many": "y"} | {
        f"k{i}": "v" for i in range(500)
    }
    kept = kp.pod(hostile).labels
    assert len(kept) == 64 and all(isinstance(v, str) for _, v in kept)
