"""The test apiserver speaks enough Kubernetes for the real client: discovery, typed calls,
pagination, JSON patch, watch errors."""

from __future__ import annotations

import orjson

from tests.fakes.kube_fixtures import EKS_CONTEXT, KubeWorld
from wundr_tui.backends.kube import ApiStatusError, KubeHttp, load_api_client

NS = "wundr-platform"


def test_discovery_and_typed_calls_of_the_real_client(kube_world: KubeWorld) -> None:
    from kubernetes import client

    api = load_api_client(EKS_CONTEXT)
    try:
        assert client.VersionApi(api).get_code().git_version == "v1.31.0-fake"
        assert client.CoreApi(api).get_api_versions().versions == ["v1"]
        groups = {g.name for g in client.ApisApi(api).get_api_versions().groups}
        assert {"apps", "autoscaling", "velero.io"} <= groups
        pods = client.CoreV1Api(api).list_namespaced_pod(NS, limit=5)
        assert len(pods.items) == 5 and pods.metadata._continue
        hpa = client.AutoscalingV2Api(api).read_namespaced_horizontal_pod_autoscaler("orders", NS)
        assert hpa.spec.max_replicas == 4
        restores = client.CustomObjectsApi(api).list_cluster_custom_object(
            "velero.io", "v1", "restores"
        )
        assert [r["metadata"]["name"] for r in restores["items"]] == ["wundr-daily-20251125-drill"]
    finally:
        api.close()


def test_pages_cover_the_list_exactly_once(kube_world: KubeWorld) -> None:
    http = KubeHttp(EKS_CONTEXT)
    names: list[str] = []
    token, rvs = "", set()
    while True:
        query: list[tuple[str, object]] = [("limit", 7)]
        if token:
            query.append(("continue", token))
        page = http.json("GET", "/api/v1/pods", query)
        names += [p["metadata"]["name"] for p in page["items"]]
        rvs.add(page["metadata"]["resourceVersion"])
        token = page["metadata"].get("continue", "")
        if not token:
            break
    http.close()
    assert len(names) == len(set(names)) == 40
    assert len(rvs) == 1, "every page is at the list's resourceVersion"


def test_json_patch_and_dry_run(kube_world: KubeWorld) -> None:
    http = KubeHttp(EKS_CONTEXT)
    path = f"/apis/apps/v1/namespaces/{NS}/deployments/orders-blue"
    ops = [
        {"op": "test", "path": "/spec/replicas", "value": 2},
        {"op": "replace", "path": "/spec/replicas", "value": 9},
    ]
    dry = http.json(
        "PATCH", path, [("dryRun", "All")], body=ops, content_type="application/json-patch+json"
    )
    assert dry["spec"]["replicas"] == 9
    assert kube_world.eks.state.get("deployments", f"{NS}/orders-blue")["spec"]["replicas"] == 2  # type: ignore[index]
    http.json("PATCH", path, body=ops, content_type="application/json-patch+json")
    assert kube_world.eks.state.get("deployments", f"{NS}/orders-blue")["spec"]["replicas"] == 9  # type: ignore[index]
    try:
        http.json("PATCH", path, body=ops, content_type="application/json-patch+json")
    except ApiStatusError as exc:
        assert exc.status == 422  # the "test" op fails now
    else:  # pragma: no cover
        raise AssertionError("a failing JSON patch test must be refused")
    http.close()


def test_watch_answers_gone_and_ends_on_timeout(kube_world: KubeWorld) -> None:
    http = KubeHttp(EKS_CONTEXT)
    kube_world.eks.faults.add("gone", path="/api/v1/nodes", watch=True)
    resp = http.request("GET", "/api/v1/nodes", [("watch", "true"), ("resourceVersion", "1")])
    lines = [orjson.loads(line) for line in http.read_all(resp).splitlines() if line]
    assert lines[0]["type"] == "ERROR" and lines[0]["object"]["code"] == 410
    query = [("watch", "true"), ("timeoutSeconds", 1), ("allowWatchBookmarks", "true")]
    resp = http.request("GET", "/api/v1/nodes", query)
    events = [orjson.loads(line) for line in http.read_all(resp).splitlines() if line]
    assert {e["type"] for e in events} <= {"BOOKMARK"}
    http.close()
