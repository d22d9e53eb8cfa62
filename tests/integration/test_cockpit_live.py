"""The cockpit over the wire: the real app (Pilot) with real sources, asserting on what the
user sees — pane rows, the cluster bar's badges — not on the store.

Kubernetes: two fake apiservers named as an EKS and a GKE context (tests/fakes/apiserver.py).
Clouds and databases: moto server, a real PostgreSQL pair, real Prometheus + Alertmanager.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text

from tests.fakes.cloud_fixtures import (
    AWS_REGION,
    alert_servers,
    aws,
    gcp_credentials,
    gcp_fake,
    moto_server,
    postgres_pair,
)
from tests.fakes.k8s_objects import pod
from tests.fakes.kube_fixtures import (
    FAST,
    KubeWorld,
    assert_no_mutating_requests,
)
from tests.fakes.servers import PostgresPair, Process
from wundr_tui.app import WundrApp
from wundr_tui.backends.alertmanager import AlertmanagerClient
from wundr_tui.backends.alerts import AlertFeed
from wundr_tui.backends.base import Source
from wundr_tui.backends.eks import EksNodegroupSource
from wundr_tui.backends.kube import KubeSource
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.backends.postgres import PostgresReplicationSource
from wundr_tui.backends.prometheus import PrometheusAlertSource
from wundr_tui.config import ClusterConfig, Config, DatabaseConfig
from wundr_tui.model import Cluster
from wundr_tui.screens.base import PaneScreen
from wundr_tui.store import Store
from wundr_tui.widgets.cluster_bar import ClusterBar

__all__ = ["alert_servers", "aws", "gcp_credentials", "gcp_fake", "moto_server", "postgres_pair"]

SIZE = (120, 40)
CONFIG = Config(refresh_hz=20.0)


def plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def rows(app: WundrApp) -> list[list[str]]:
    """Every row of the visible pane's table, as text."""
    screen = app.screen
    assert isinstance(screen, PaneScreen)
    table = screen.table
    return [[plain(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def cluster_bar(app: WundrApp) -> str:
    bar = app.screen.query_one(ClusterBar)
    return bar._shown.plain if bar._shown is not None else ""


async def until(pilot: Any, check: Callable[[], bool], timeout: float, what: str) -> None:
    """Let frames run until ``check()`` holds on screen (bounded)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not on screen after {timeout}s: {what}")
        await pilot.pause(0.05)


def kube_sources(contexts: Sequence[str] = ()) -> list[Source]:
    clusters = discover_clusters(Config(), contexts)
    return [KubeSource(c, ClusterConfig(context=c.name), tuning=FAST) for c in clusters]


def pod_names(app: WundrApp, tag: str) -> set[str]:
    return {r[2] for r in rows(app) if r[0] == tag}


async def test_both_contexts_live_side_by_side(kube_world: KubeWorld) -> None:
    """Pods of the EKS and the GKE context in one pane; each named in the cluster bar with its
    cloud and region and a live badge; HPAs, node pools (from node labels) and Velero objects
    fill their panes; a watch event is on screen within a few frames."""
    app = WundrApp(Store(), kube_sources(), config=CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        eks_pods = set(kube_world.eks.state.keys("pods"))
        gke_pods = set(kube_world.gke.state.keys("pods"))
        await until(
            pilot,
            lambda: len(rows(app)) == len(eks_pods) + len(gke_pods),
            15,
            "every pod of both contexts",
        )
        assert {f"{r[1]}/{r[2]}" for r in rows(app) if r[0] == "eks"} == eks_pods
        assert {f"{r[1]}/{r[2]}" for r in rows(app) if r[0] == "gke"} == gke_pods
        await until(pilot, lambda: cluster_bar(app).count("live") == 2, 10, "two live badges")
        bar = cluster_bar(app)
        assert "EKS" in bar and "us-east-1" in bar and "GKE" in bar and "europe-west1" in bar

        # A watch event: the new pod is on screen a few frames later.
        new = pod("wundr-platform", "orders-blue-7d9f8c6b5-new01", owner="orders-blue")
        started = time.monotonic()
        kube_world.eks.state.put("pods", new)
        await until(
            pilot,
            lambda: "orders-blue-7d9f8c6b5-new01" in pod_names(app, "eks"),
            5,
            "the watched pod",
        )
        assert time.monotonic() - started < 2.0

        for key, header_word in (("3", "HPA"), ("4", "Node pools"), ("7", "Backups")):
            await pilot.press(key)
            await until(pilot, lambda: len(rows(app)) > 0, 10, f"rows in {header_word}")
            assert {r[0] for r in rows(app)} == {"eks", "gke"}
        await pilot.press("q")
    assert_no_mutating_requests(kube_world.eks, kube_world.gke)


async def test_dead_context_and_expired_credentials_show_in_the_badges(
    kube_exec_world: KubeWorld,
) -> None:
    """GKE's apiserver is down: its badge says "connection refused" while EKS stays live and
    the app keeps running. EKS credentials expire: the badge says what to run, the rows stay,
    and a fresh token from the exec plugin brings it back to live."""
    world = kube_exec_world
    world.gke.stop()
    app = WundrApp(Store(), kube_sources(), config=CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: "connection refused" in cluster_bar(app), 15, "refused")
        await until(pilot, lambda: len(pod_names(app, "eks")) == 40, 15, "EKS pods")
        # Pods can arrive before EKS's other kinds finish their first lists ("connecting").
        await until(pilot, lambda: "live" in cluster_bar(app).split("│")[0], 15, "EKS live")
        assert "connection refused" in cluster_bar(app).split("│")[1]

        assert world.token_file is not None
        world.eks.faults.tokens = {"rotated"}
        world.eks.drop_watches()
        await until(
            pilot,
            lambda: "credentials expired — run `aws sso login`" in cluster_bar(app),
            15,
            "the expired-credentials reason",
        )
        assert len(pod_names(app, "eks")) == 40, "last known rows stay on screen"
        world.token_file.write_text("rotated")
        await until(pilot, lambda: "live" in cluster_bar(app).split("│")[0], 15, "EKS live again")
        assert app.is_running


async def test_cloud_database_and_alert_sources_fill_their_panes(
    aws: Callable[..., Any],
    moto_server: Any,
    postgres_pair: PostgresPair,
    alert_servers: tuple[Process, Process],
) -> None:
    """EKS node groups (moto) in Node pools, the PostgreSQL primary → replica link with its
    lag in Database, Prometheus/Alertmanager alerts in Alerts; a silence created through
    Alertmanager turns the alert's state to "silenced" on screen."""
    eks = aws("eks")
    role = "arn:aws:iam::123456789012:role/eks"
    eks.create_cluster(
        name="wundr-production", roleArn=role, resourcesVpcConfig={"subnetIds": ["subnet-1"]}
    )
    eks.create_nodegroup(
        clusterName="wundr-production",
        nodegroupName="compute-pool",
        nodeRole=role,
        subnets=["subnet-1"],
        scalingConfig={"minSize": 3, "maxSize": 20, "desiredSize": 20},
        instanceTypes=["c6i.2xlarge"],
    )
    context = f"arn:aws:eks:{AWS_REGION}:123456789012:cluster/wundr-production"
    cluster = Cluster(context, "aws", AWS_REGION, "wundr-production")
    prom, am = alert_servers
    sources: list[Source] = [
        EksNodegroupSource(
            cluster, ClusterConfig(context=context), moto_server.url, poll_seconds=0.3
        ),
        PostgresReplicationSource(
            DatabaseConfig(
                engine="postgres",
                cluster=context,
                name="orders",
                dsn=postgres_pair.primary_dsn,
                region="self-managed",
                poll_seconds=0.3,
            )
        ),
        AlertFeed(
            context,
            [PrometheusAlertSource(context, prom.url)],
            poll_seconds=0.3,
        ),
    ]
    from wundr_tui.backends.alertmanager import AlertmanagerAlertSource

    sources.append(AlertFeed(context, [AlertmanagerAlertSource(context, am.url)], poll_seconds=0.3))
    app = WundrApp(Store(), sources, config=CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: any(r[1] == "compute-pool" for r in rows(app)), 15, "pool")
        pool = next(r for r in rows(app) if r[1] == "compute-pool")
        assert pool[2] == "c6i.2xlarge" and pool[3] == "3-20" and pool[4] == "20"
        assert "AT MAX" in pool

        await pilot.press("5")
        await until(pilot, lambda: any(r[1] == "postgres" for r in rows(app)), 15, "link")
        link = next(r for r in rows(app) if r[1] == "postgres")
        assert link[2] == "replica1"
        assert link[4].endswith("B"), "bytes of lag are shown beside seconds"

        await pilot.press("6")
        await until(
            pilot,
            lambda: any(r[3] == "WundrApiGatewayDown" and r[2] == "firing" for r in rows(app)),
            30,
            "the firing alert",
        )
        silence = AlertmanagerClient(am.url).create_silence(
            {"alertname": "WundrApiGatewayDown"}, 600, "test", "pytest"
        )
        try:
            await until(
                pilot,
                lambda: any(
                    r[3] == "WundrApiGatewayDown" and r[2] == "silenced" for r in rows(app)
                ),
                30,
                "the silenced alert",
            )
        finally:
            AlertmanagerClient(am.url).expire_silence(silence)


async def test_gke_pools_cloud_sql_and_rds_in_the_panes(
    aws: Callable[..., Any], moto_server: Any, gcp_fake: Any, gcp_credentials: Any
) -> None:
    """GKE node pools (the real google-cloud-container client against the GCP fake) in Node
    pools with their autoscaling bounds and location policy; Cloud SQL and RDS replicas with
    their lag in Database; a cross-region lag over threshold is listed on the Incident pane."""
    from tests.integration import test_cloud_gke as gke_case
    from tests.integration import test_db_cloudsql as sql_case
    from tests.integration import test_db_rds as rds_case
    from wundr_tui.backends.cloudsql import CloudSqlReplicationSource, rfc3339
    from wundr_tui.backends.gke import GkeNodePoolSource
    from wundr_tui.backends.rds import RdsReplicationSource

    gke_case.seed(gcp_fake)
    sql_case.seed(gcp_fake)
    gcp_fake.set_replica_lag(
        sql_case.PROJECT, f"{sql_case.PROJECT}:orders-db-replica", 140.0, rfc3339(time.time())
    )
    rds_case.seed(aws("rds"))
    rds_case.put_lag(aws("cloudwatch"), 4.0)
    sources: list[Source] = [
        GkeNodePoolSource(
            gke_case.CLUSTER,
            ClusterConfig(context=gke_case.CLUSTER.name),
            gcp_fake.url,
            credentials=gcp_credentials,
            poll_seconds=0.3,
        ),
        CloudSqlReplicationSource(sql_case.db(), gcp_fake.url, credentials=gcp_credentials),
        RdsReplicationSource(rds_case.db(), moto_server.url),
    ]
    app = WundrApp(Store(), sources, config=CONFIG)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: len(rows(app)) == 2, 15, "two GKE pools")
        general = next(r for r in rows(app) if r[1] == "general")
        # minNodeCount/maxNodeCount are per zone: 1-3 over three zones is 3-9 nodes.
        assert general[2] == "e2-standard-4" and general[3] == "3-9"
        assert "BALANCED" in general
        spot = next(r for r in rows(app) if r[1] == "batch-spot")
        assert "ZONE_RESOURCE_POOL_EXHAUSTED" in " ".join(spot)

        await pilot.press("5")
        await until(pilot, lambda: len(rows(app)) == 3, 15, "three replica links")
        by_replica = {r[2]: r for r in rows(app)}
        assert by_replica["orders-db-replica"][3] == "2m20s"
        assert by_replica["orders-db-dr"][3] == "unknown", "no datapoint is unknown, not zero"
        await until(
            pilot,
            lambda: {r[2]: r for r in rows(app)}["orders-replica"][3] == "4s",
            15,
            "RDS lag from CloudWatch",
        )

        await pilot.press("1")
        await until(
            pilot,
            lambda: any(r[2] == "DB" and "orders-db-replica" in r[4] for r in rows(app)),
            10,
            "the lagging replica on the Incident pane",
        )
