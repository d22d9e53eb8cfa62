"""RDS primary + read replica and CloudWatch ReplicaLag over HTTP against moto server mode."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.fakes.cloud_fixtures import (
    AWS_REGION,
    EKS_CONTEXT,
    SourceHarness,
    aws,
    cloud_harness,
    moto_server,
)
from wundr_tui.backends.cloud import Endpoints, cloud_sources
from wundr_tui.backends.rds import RdsReplicationSource
from wundr_tui.config import Config, DatabaseConfig
from wundr_tui.model import Kind, ReplicaLink

__all__ = ["aws", "cloud_harness", "moto_server"]

LINK = "rds:orders>orders-replica"


def seed(rds: Any) -> None:
    rds.create_db_instance(
        DBInstanceIdentifier="orders",
        Engine="postgres",
        DBInstanceClass="db.r6g.large",
        MasterUsername="wundr",
        MasterUserPassword="not-a-secret-1",
        AllocatedStorage=100,
        AvailabilityZone=f"{AWS_REGION}a",
    )
    rds.create_db_instance_read_replica(
        DBInstanceIdentifier="orders-replica", SourceDBInstanceIdentifier="orders"
    )


def put_lag(cw: Any, seconds: float) -> None:
    cw.put_metric_data(
        Namespace="AWS/RDS",
        MetricData=[
            {
                "MetricName": "ReplicaLag",
                "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "orders-replica"}],
                "Value": seconds,
                "Unit": "Seconds",
            }
        ],
    )


def db(instance: str = "orders") -> DatabaseConfig:
    return DatabaseConfig(
        engine="rds",
        cluster=EKS_CONTEXT,
        name="orders",
        region=AWS_REGION,
        instance=instance,
        poll_seconds=0.3,
    )


def lag_of(store: Any) -> float | None:
    link = store.get(EKS_CONTEXT, Kind.REPLICA_LINK, LINK)
    return link.lag_seconds if isinstance(link, ReplicaLink) else None


def test_topology_and_lag_reach_the_store(
    aws: Callable[..., Any], moto_server: Any, cloud_harness: SourceHarness
) -> None:
    seed(aws("rds"))
    cw = aws("cloudwatch")
    cloud_harness.start(RdsReplicationSource(db(), moto_server.url))
    # No datapoint yet: the lag is unknown, not zero.
    cloud_harness.wait(
        lambda s: s.get(EKS_CONTEXT, Kind.REPLICA_LINK, LINK) is not None, 10, "the link"
    )
    link = cloud_harness.store.get(EKS_CONTEXT, Kind.REPLICA_LINK, LINK)
    assert isinstance(link, ReplicaLink)
    assert (link.primary, link.replica) == ("orders", "orders-replica")
    assert link.primary_region == link.replica_region == AWS_REGION
    assert link.state == "available"
    assert link.lag_seconds is None

    put_lag(cw, 4.0)
    cloud_harness.wait(lambda s: lag_of(s) == 4.0, 10, "lag 4s")
    assert not [i for i in cloud_harness.store.incidents() if i.what == "DB"]

    put_lag(cw, 95.0)
    cloud_harness.wait(lambda s: lag_of(s) == 95.0, 10, "lag 95s")
    incidents = [i for i in cloud_harness.store.incidents() if i.what == "DB"]
    assert incidents and "orders-replica" in incidents[0].subject + incidents[0].detail
    assert list(cloud_harness.store.lag_history[(EKS_CONTEXT, LINK)])[-1] == 95.0
    health = cloud_harness.health(EKS_CONTEXT, "rds/orders")
    assert health is not None and health.state == "live"
    assert cloud_harness.stop() < 2.0


def test_configured_replica_shows_its_source(
    aws: Callable[..., Any], moto_server: Any, cloud_harness: SourceHarness
) -> None:
    seed(aws("rds"))
    cloud_harness.start(RdsReplicationSource(db("orders-replica"), moto_server.url))
    cloud_harness.wait(
        lambda s: s.get(EKS_CONTEXT, Kind.REPLICA_LINK, LINK) is not None,
        10,
        "the link seen from the replica",
    )
    cloud_harness.stop()


def test_deleted_replica_leaves_and_missing_primary_is_an_error(
    aws: Callable[..., Any], moto_server: Any, cloud_harness: SourceHarness
) -> None:
    rds = aws("rds")
    seed(rds)
    sources = cloud_sources(Config(databases=(db(),)), [], endpoints=Endpoints(aws=moto_server.url))
    assert [type(s).__name__ for s in sources] == ["RdsReplicationSource"]
    cloud_harness.start(*sources)
    cloud_harness.wait(
        lambda s: s.get(EKS_CONTEXT, Kind.REPLICA_LINK, LINK) is not None, 10, "the link"
    )
    rds.delete_db_instance(DBInstanceIdentifier="orders-replica", SkipFinalSnapshot=True)
    cloud_harness.wait(lambda s: not s.items(EKS_CONTEXT, Kind.REPLICA_LINK), 10, "link gone")
    rds.delete_db_instance(DBInstanceIdentifier="orders", SkipFinalSnapshot=True)
    cloud_harness.wait(
        lambda s: s.health[(EKS_CONTEXT, "rds/orders")].state == "error", 10, "error badge"
    )
    health = cloud_harness.health(EKS_CONTEXT, "rds/orders")
    assert health is not None and "orders not found in eu-west-1" in health.reason
    cloud_harness.stop()


def test_cross_region_replica_is_described_and_measured_in_its_region(
    aws: Callable[..., Any], moto_server: Any, cloud_harness: SourceHarness
) -> None:
    rds = aws("rds")
    seed(rds)
    arn = rds.describe_db_instances(DBInstanceIdentifier="orders")["DBInstances"][0][
        "DBInstanceArn"
    ]
    aws("rds", "us-west-2").create_db_instance_read_replica(
        DBInstanceIdentifier="orders-dr", SourceDBInstanceIdentifier=arn, SourceRegion=AWS_REGION
    )
    aws("cloudwatch", "us-west-2").put_metric_data(
        Namespace="AWS/RDS",
        MetricData=[
            {
                "MetricName": "ReplicaLag",
                "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "orders-dr"}],
                "Value": 7.0,
            }
        ],
    )
    cloud_harness.start(RdsReplicationSource(db(), moto_server.url))

    def dr_link(store: Any) -> ReplicaLink | None:
        obj = store.get(EKS_CONTEXT, Kind.REPLICA_LINK, "rds:orders>orders-dr")
        return obj if isinstance(obj, ReplicaLink) else None

    cloud_harness.wait(
        lambda s: (ln := dr_link(s)) is not None and ln.lag_seconds == 7.0,
        10,
        "the cross-region link with its lag",
    )
    link = dr_link(cloud_harness.store)
    assert link is not None
    assert (link.primary_region, link.replica_region) == (AWS_REGION, "us-west-2")
    assert LINK in cloud_harness.items(EKS_CONTEXT, Kind.REPLICA_LINK)
    cloud_harness.stop()
