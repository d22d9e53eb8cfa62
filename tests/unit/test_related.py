"""related.py over the demo fleet's store: alert → pods, HPA → deployment → pods, node pool →
nodes → pods, pod → node, blue/green Service → each colour's pods."""

from __future__ import annotations

import pytest

from tests.conftest import demo_store
from wundr_tui.backends.demo import EKS_CONTEXT, HPA_NAME, NAMESPACE, SERVICE
from wundr_tui.model import Alert, Incident, Kind, Node, Pod
from wundr_tui.related import incident_target, related
from wundr_tui.store import Store


@pytest.fixture(scope="module")
def store() -> Store:
    return demo_store(115)


def test_alert_leads_to_its_workloads_and_pods(store: Store) -> None:
    alert = next(
        a for _, a in store.all(Kind.ALERT) if isinstance(a, Alert) and a.name == "HighErrorRate"
    )
    cluster = next(c for c, a in store.all(Kind.ALERT) if a is alert)
    refs = related(store, cluster, Kind.ALERT, alert.key)
    deps = {r.name for r in refs if r.kind is Kind.DEPLOYMENT}
    assert deps == {"api-gateway-blue", "api-gateway-green"}
    pods = {r.key for r in refs if r.kind is Kind.POD}
    want = {
        p.key
        for c, p in store.all(Kind.POD)
        if c == cluster and isinstance(p, Pod) and p.owner.startswith("api-gateway-")
    }
    assert pods == want and pods
    assert any(r.kind is Kind.SERVICE and r.name == SERVICE for r in refs)


def test_hpa_to_deployment_to_pods(store: Store) -> None:
    refs = related(store, EKS_CONTEXT, Kind.HPA, f"{NAMESPACE}/{HPA_NAME}")
    assert refs[0].kind is Kind.DEPLOYMENT and refs[0].name == "api-gateway-blue"
    dep_refs = related(store, EKS_CONTEXT, Kind.DEPLOYMENT, refs[0].key)
    assert any(r.kind is Kind.HPA for r in dep_refs)
    pods = [r for r in dep_refs if r.kind is Kind.POD]
    assert pods and all(r.name.startswith("api-gateway-blue-") for r in pods)


def test_node_pool_to_nodes_to_pods_and_back(store: Store) -> None:
    nodes = related(store, EKS_CONTEXT, Kind.NODE_POOL, "system-pool")
    assert nodes and all(r.kind is Kind.NODE for r in nodes)
    assert nodes[0].relation == "node (NotReady)"  # the broken one first
    node_refs = related(store, EKS_CONTEXT, Kind.NODE, nodes[0].key)
    assert node_refs[0].kind is Kind.NODE_POOL
    pods = [r for r in node_refs if r.kind is Kind.POD]
    for ref in pods:
        pod = store.get(EKS_CONTEXT, Kind.POD, ref.key)
        assert isinstance(pod, Pod) and pod.node == nodes[0].key
        assert related(store, EKS_CONTEXT, Kind.POD, ref.key)[0].key == nodes[0].key


def test_blue_green_service_lists_each_colour_live_first(store: Store) -> None:
    refs = related(store, EKS_CONTEXT, Kind.SERVICE, f"{NAMESPACE}/{SERVICE}")
    relations = [r.relation for r in refs]
    assert relations[0] == "deployment (blue, live)"
    assert "deployment (green)" in relations
    assert any(r == "pod (green)" for r in relations)
    assert relations.index("deployment (green)") > relations.index("pod (blue, live)")


def test_pod_to_owner_and_autoscaler(store: Store) -> None:
    pod = next(
        p
        for c, p in store.all(Kind.POD)
        if c == EKS_CONTEXT and isinstance(p, Pod) and p.owner == "api-gateway-blue" and p.node
    )
    refs = related(store, EKS_CONTEXT, Kind.POD, pod.key)
    assert [(r.kind, r.relation) for r in refs[:3]] == [
        (Kind.NODE, "node"),
        (Kind.DEPLOYMENT, "owner"),
        (Kind.HPA, "autoscaler"),
    ]
    node = store.get(EKS_CONTEXT, Kind.NODE, refs[0].key)
    assert isinstance(node, Node)


def test_incident_rows_name_their_object(store: Store) -> None:
    kinds = {i.what: i.kind for i in store.incidents()}
    assert kinds["ALERT"] is Kind.ALERT
    assert kinds["POD"] in (Kind.POD, Kind.DEPLOYMENT)
    assert kinds["HPA"] is Kind.HPA and kinds["NODEPOOL"] is Kind.NODE_POOL
    assert kinds["BLUE/GREEN"] is Kind.SERVICE
    for incident in store.incidents():
        target = incident_target(incident)
        if target is not None and target[1] is not Kind.NODE_POOL:
            assert store.get(*target) is not None, incident
    assert incident_target(Incident(0, "critical", "c", "SOURCE", "kube/pods", "x", 0.0)) is None
