"""The whole object for the detail and YAML views, over HTTP from the fake apiserver with the
real client: a crash-looping pod's last termination, gone objects, forbidden reads, and no
secret value ever (none requested, none kept)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.k8s_objects import TERMINATION_MESSAGE
from tests.fakes.kube_fixtures import EKS_CONTEXT, KubeWorld
from wundr_tui.backends.base import OperationError
from wundr_tui.backends.kube import KubeOperator, KubeReader
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import Config
from wundr_tui.details import describe
from wundr_tui.model import Kind
from wundr_tui.store import Store

NS = "wundr-platform"
CRASHING = "payments-green-7d9f8c6b5-00001"


@pytest.fixture
def reader(kube_world: KubeWorld) -> Iterator[KubeReader]:
    config = Config()
    op = KubeOperator(config, discover_clusters(config))
    yield KubeReader(op)
    op.close()


def test_fetch_reads_the_whole_pod_with_its_last_termination(
    kube_world: KubeWorld, reader: KubeReader
) -> None:
    obj = reader.fetch(EKS_CONTEXT, Kind.POD, NS, CRASHING)
    assert obj is not None
    last = obj["status"]["containerStatuses"][0]["lastState"]["terminated"]
    assert last["message"] == TERMINATION_MESSAGE
    facts = {
        f.label.strip(): f.value
        for s in describe(Store(), EKS_CONTEXT, Kind.POD, f"{NS}/{CRASHING}", obj, 1.8e9)
        for f in s.facts
    }
    assert facts["last termination"].startswith("Error, exit code 1, ")
    assert facts["message"] == TERMINATION_MESSAGE
    gets = kube_world.eks.requests(lambda r: r.method == "GET" and CRASHING in r.path)
    assert [r.path for r in gets] == [f"/api/v1/namespaces/{NS}/pods/{CRASHING}"]


def test_a_gone_object_is_none_and_a_forbidden_one_says_so(
    kube_world: KubeWorld, reader: KubeReader
) -> None:
    assert reader.fetch(EKS_CONTEXT, Kind.POD, NS, "no-such-pod") is None
    kube_world.eks.faults.forbidden.add(("get", "nodes"))
    with pytest.raises(OperationError, match="403"):
        reader.fetch(EKS_CONTEXT, Kind.NODE, "", "ip-10-0-0-0.ec2.internal")


def test_secret_values_are_dropped_and_never_requested(
    kube_world: KubeWorld, reader: KubeReader
) -> None:
    pod = kube_world.eks.state.get("pods", f"{NS}/{CRASHING}")
    assert pod is not None
    kube_world.eks.state.put(
        "pods", {**pod, "data": {"token": "c2VjcmV0"}, "stringData": {"a": "b"}}
    )
    obj = reader.fetch(EKS_CONTEXT, Kind.POD, NS, CRASHING)
    assert obj is not None and "data" not in obj and "stringData" not in obj
    with pytest.raises(OperationError, match="not a Kubernetes object"):
        reader.fetch(EKS_CONTEXT, Kind.ALERT, "", "x")
    assert not kube_world.eks.requests(lambda r: "secret" in r.path.lower())


def test_yaml_of_a_fetched_pod_hides_managed_fields_and_holds_no_secret_value(
    kube_world: KubeWorld, reader: KubeReader
) -> None:
    from wundr_tui.object_yaml import object_yaml

    pod = kube_world.eks.state.get("pods", f"{NS}/{CRASHING}")
    assert pod is not None and pod["metadata"]["managedFields"]
    kube_world.eks.state.put("pods", {**pod, "data": {"token": "c2VjcmV0"}})
    obj = reader.fetch(EKS_CONTEXT, Kind.POD, NS, CRASHING)
    assert obj is not None
    lines = object_yaml(obj)
    text = "\n".join(lines)
    assert "managedFields" not in text and "c2VjcmV0" not in text
    assert f"  name: {CRASHING}" in lines and "kind: Pod" in lines
    assert "managedFields:" in "\n".join(object_yaml(obj, managed_fields=True))
