"""Cloud SQL topology (sqladmin v1) and replica lag (Cloud Monitoring v3) over HTTP against
the local REST fake, through google-auth's AuthorizedSession."""

from __future__ import annotations

import time
from typing import Any

from tests.fakes.cloud_fixtures import (
    GKE_CONTEXT,
    SourceHarness,
    cloud_harness,
    gcp_credentials,
    gcp_fake,
)
from tests.fakes.gcp import FakeGcp
from wundr_tui.backends.cloud import Endpoints, cloud_sources
from wundr_tui.backends.cloudsql import CloudSqlReplicationSource, rfc3339
from wundr_tui.config import Config, DatabaseConfig
from wundr_tui.model import Kind, ReplicaLink

__all__ = ["cloud_harness", "gcp_credentials", "gcp_fake"]

PROJECT = "wundr-prod"


def seed(fake: FakeGcp) -> None:
    """orders-db in europe-west1 with a same-region replica and a cross-region DR replica."""
    fake.add_sql_instance(
        PROJECT,
        {
            "name": "orders-db",
            "project": PROJECT,
            "region": "europe-west1",
            "state": "RUNNABLE",
            "databaseVersion": "POSTGRES_16",
            "instanceType": "CLOUD_SQL_INSTANCE",
            "replicaNames": ["orders-db-replica", "orders-db-dr"],
        },
    )
    fake.add_sql_instance(
        PROJECT,
        {
            "name": "orders-db-replica",
            "project": PROJECT,
            "region": "europe-west1",
            "state": "RUNNABLE",
            "instanceType": "READ_REPLICA_INSTANCE",
            "masterInstanceName": f"{PROJECT}:orders-db",
        },
    )
    fake.add_sql_instance(
        PROJECT,
        {
            "name": "orders-db-dr",
            "project": PROJECT,
            "region": "us-east1",
            "state": "SUSPENDED",
            "instanceType": "READ_REPLICA_INSTANCE",
            "masterInstanceName": f"{PROJECT}:orders-db",
        },
    )
    fake.add_sql_instance(
        PROJECT, {"name": "unrelated", "region": "europe-west1", "state": "RUNNABLE"}
    )


def db(instance: str = "orders-db") -> DatabaseConfig:
    return DatabaseConfig(
        engine="cloudsql",
        cluster=GKE_CONTEXT,
        name="orders",
        project=PROJECT,
        region="europe-west1",
        instance=instance,
        poll_seconds=0.3,
    )


def test_topology_and_lag_reach_the_store(
    gcp_fake: FakeGcp, gcp_credentials: Any, cloud_harness: SourceHarness
) -> None:
    seed(gcp_fake)
    gcp_fake.set_replica_lag(PROJECT, f"{PROJECT}:orders-db-replica", 2.5, rfc3339(time.time()))
    cloud_harness.start(CloudSqlReplicationSource(db(), gcp_fake.url, credentials=gcp_credentials))
    cloud_harness.wait(lambda s: len(s.items(GKE_CONTEXT, Kind.REPLICA_LINK)) == 2, 10, "links")
    links = cloud_harness.items(GKE_CONTEXT, Kind.REPLICA_LINK)
    near = links["cloudsql:orders-db>orders-db-replica"]
    dr = links["cloudsql:orders-db>orders-db-dr"]
    assert isinstance(near, ReplicaLink) and isinstance(dr, ReplicaLink)
    assert (near.state, near.lag_seconds) == ("RUNNABLE", 2.5)
    assert near.primary_region == near.replica_region == "europe-west1"
    assert abs(near.sampled - time.time()) < 60
    # Cross-region replica with no datapoint: unknown lag, and its state is an incident.
    assert (dr.replica_region, dr.state, dr.lag_seconds) == ("us-east1", "SUSPENDED", None)
    assert any(
        i.what == "DB" and "orders-db-dr" in i.subject + i.detail
        for i in cloud_harness.store.incidents()
    )

    gcp_fake.set_replica_lag(PROJECT, f"{PROJECT}:orders-db-replica", 140.0, rfc3339(time.time()))

    def lagging(store: Any) -> bool:
        link = store.get(GKE_CONTEXT, Kind.REPLICA_LINK, "cloudsql:orders-db>orders-db-replica")
        return isinstance(link, ReplicaLink) and link.lag_seconds == 140.0

    cloud_harness.wait(lagging, 10, "lag 140s")
    health = cloud_harness.health(GKE_CONTEXT, "cloudsql/orders")
    assert health is not None and health.state == "live"
    assert any(p.startswith(f"/v3/projects/{PROJECT}/timeSeries") for _, p in gcp_fake.requests)
    assert cloud_harness.stop() < 2.0


def test_configured_replica_and_factory(
    gcp_fake: FakeGcp, gcp_credentials: Any, cloud_harness: SourceHarness
) -> None:
    seed(gcp_fake)
    sources = cloud_sources(
        Config(databases=(db("orders-db-replica"),)),
        [],
        endpoints=Endpoints(gcp=gcp_fake.url, gcp_credentials=gcp_credentials),
    )
    assert [type(s).__name__ for s in sources] == ["CloudSqlReplicationSource"]
    cloud_harness.start(*sources)
    cloud_harness.wait(
        lambda s: (
            set(s.items(GKE_CONTEXT, Kind.REPLICA_LINK)) == {"cloudsql:orders-db>orders-db-replica"}
        ),
        10,
        "the replica's own link",
    )
    cloud_harness.stop()


def test_missing_instance_and_denied_calls_are_error_badges(
    gcp_fake: FakeGcp, gcp_credentials: Any, cloud_harness: SourceHarness
) -> None:
    seed(gcp_fake)
    cloud_harness.start(
        CloudSqlReplicationSource(db("nope"), gcp_fake.url, credentials=gcp_credentials)
    )
    cloud_harness.wait(
        lambda s: (
            (h := s.health.get((GKE_CONTEXT, "cloudsql/orders"))) is not None and h.state == "error"
        ),
        10,
        "an error badge",
    )
    health = cloud_harness.health(GKE_CONTEXT, "cloudsql/orders")
    assert health is not None and "instance nope not found" in health.reason
    cloud_harness.stop()
