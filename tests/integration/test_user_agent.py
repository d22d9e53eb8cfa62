"""Every API hears who is calling: ``wundr-tui/VERSION`` in the User-Agent of each request to
the apiserver (lists, watches, logs, operations), AWS, GCP (GKE and the Cloud SQL REST
session), Prometheus and Alertmanager, asserted on the wire."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.fakes.cloud_fixtures import gcp_credentials, gcp_fake
from tests.fakes.gcp import FakeGcp
from tests.fakes.kube_fixtures import EKS_CONTEXT, KubeHarness, KubeWorld
from tests.fakes.recorder import Recorder
from wundr_tui import USER_AGENT, __version__
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import ClusterConfig, Config, DatabaseConfig
from wundr_tui.model import Cluster, Kind

__all__ = ["gcp_credentials", "gcp_fake"]


def test_the_user_agent_names_the_cockpit_and_its_version() -> None:
    assert f"wundr-tui/{__version__}" == USER_AGENT


def test_every_apiserver_request_says_wundr_tui(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """A source's lists and watches, and the operator's requests (logs, reads), all carry it:
    not the kubernetes client's OpenAPI-Generator/VERSION/python."""
    from wundr_tui.backends.kube import KubeOperator

    cluster = discover_clusters(Config(), [EKS_CONTEXT])[0]
    kube_harness.start(cluster, kinds=[Kind.POD, Kind.NODE])
    kube_harness.wait_for(lambda s: s.count(Kind.POD, EKS_CONTEXT) > 0)
    operator = KubeOperator(Config(), [cluster])
    try:
        http = operator.http(EKS_CONTEXT)
        http.json("GET", "/api/v1/nodes", [("limit", 1)])
        pod = "orders-blue-7d9f8c6b5-00000"
        resp = http.request(
            "GET", f"/api/v1/namespaces/wundr-platform/pods/{pod}/log", [("tailLines", 1)]
        )
        http.read_all(resp)
    finally:
        operator.close()
    seen = kube_world.eks.requests()
    paths = {r.path for r in seen}
    assert {"/api/v1/pods", "/api/v1/nodes"} <= paths, paths
    assert any(r.query.get("watch") for r in seen)  # a watch too
    assert any(r.path.endswith("/log") for r in seen)
    assert {r.user_agent for r in seen} == {USER_AGENT}


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }.items():
        monkeypatch.setenv(key, value)


def test_aws_requests_end_with_wundr_tui(aws_env: None) -> None:
    """boto3's User-Agent keeps its own parts (CloudTrail parses them) and ends with ours."""
    from wundr_tui.backends.eks import EksNodegroupSource

    cluster = Cluster(
        "arn:aws:eks:eu-west-1:123456789012:cluster/wundr-production",
        "aws",
        "eu-west-1",
        "wundr-production",
    )
    with Recorder({"/clusters/wundr-production/node-groups": {"nodegroups": []}}) as server:
        source = EksNodegroupSource(cluster, ClusterConfig(context=cluster.name), server.url)
        assert source.fetch() == []
        agents = server.user_agents()
    assert agents and all(a.startswith("Boto3/") for a in agents), agents
    assert all(f" {USER_AGENT}" in a for a in agents), agents


def test_gke_and_cloud_sql_requests_start_with_wundr_tui(
    gcp_fake: FakeGcp, gcp_credentials: Any
) -> None:
    from wundr_tui.backends.cloudsql import CloudSqlReplicationSource
    from wundr_tui.backends.gke import GkeNodePoolSource

    context = "gke_wundr-prod_europe-west1_wundr-production"
    cluster = Cluster(context, "gcp", "europe-west1", "wundr-production")
    gcp_fake.node_pools["projects/wundr-prod/locations/europe-west1/clusters/wundr-production"] = {}
    gke = GkeNodePoolSource(
        cluster, ClusterConfig(context=context), gcp_fake.url, credentials=gcp_credentials
    )
    assert gke.fetch() == []
    db = DatabaseConfig(
        name="orders", engine="cloudsql", cluster=context, project="wundr-prod", instance="orders"
    )
    sql = CloudSqlReplicationSource(db, gcp_fake.url, credentials=gcp_credentials)
    sql.session().get(f"{gcp_fake.url}/v1/projects/wundr-prod/instances", timeout=5)
    assert [p for _, p in gcp_fake.requests][:2] == [
        "/v1/projects/wundr-prod/locations/europe-west1/clusters/wundr-production/nodePools",
        "/v1/projects/wundr-prod/instances",
    ]
    assert gcp_fake.user_agents[:2] == [USER_AGENT, USER_AGENT]
    gke_metrics = gcp_fake.api_clients[0]
    assert gke_metrics.startswith(f"{USER_AGENT} gl-python/"), gke_metrics


def test_prometheus_and_alertmanager_requests_say_wundr_tui() -> None:
    from wundr_tui.backends.alertmanager import AlertmanagerAlertSource, AlertmanagerClient
    from wundr_tui.backends.prometheus import PrometheusAlertSource

    answers = {
        "/api/v1/alerts": {"status": "success", "data": {"alerts": []}},
        "/api/v2/alerts/groups": [],
        "/api/v2/silences": [],
    }
    with Recorder(answers) as server:
        assert PrometheusAlertSource("eks", server.url).fetch_seen() == []
        assert AlertmanagerAlertSource("eks", server.url).fetch_seen() == []
        AlertmanagerClient(server.url)._call("GET", "/api/v2/silences")
        seen = [(s.path, s.headers.get("User-Agent")) for s in server.seen]
    paths = {path for path, _ in seen}
    assert paths == {"/api/v1/alerts", "/api/v2/alerts/groups", "/api/v2/silences"}
    assert {agent for _, agent in seen} == {USER_AGENT}
