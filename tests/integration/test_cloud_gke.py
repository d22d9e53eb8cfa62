"""GKE node pools over HTTP: the real google-cloud-container client (sync, REST transport)
against the local REST fake; what reaches the Store, and scaling that follows operations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.cloud_fixtures import (
    GKE_CONTEXT,
    SourceHarness,
    cloud_harness,
    gcp_credentials,
    gcp_fake,
)
from tests.fakes.gcp import FakeGcp
from wundr_tui.backends.base import OperationError
from wundr_tui.backends.cloud import CloudNodePoolOperator
from wundr_tui.backends.gke import GkeNodePoolSource
from wundr_tui.config import ClusterConfig
from wundr_tui.model import Cluster, Kind, NodePool

__all__ = ["cloud_harness", "gcp_credentials", "gcp_fake"]

CLUSTER = Cluster(GKE_CONTEXT, "gcp", "europe-west1", "wundr-production", production=True)
PARENT = "projects/wundr-prod/locations/europe-west1/clusters/wundr-production"


def seed(fake: FakeGcp) -> None:
    """A regional cluster: an autoscaled pool over three zones and a fixed spot pool."""
    fake.add_node_pool(
        PARENT,
        {
            "name": "general",
            "config": {"machineType": "e2-standard-4"},
            "initialNodeCount": 1,
            "autoscaling": {
                "enabled": True,
                "minNodeCount": 1,
                "maxNodeCount": 3,
                "locationPolicy": "BALANCED",
            },
            "locations": ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
            "status": "RUNNING",
            "version": "1.30.5-gke.1014001",
        },
    )
    fake.add_node_pool(
        PARENT,
        {
            "name": "batch-spot",
            "config": {"machineType": "c3-standard-8", "spot": True},
            "initialNodeCount": 2,
            "locations": ["europe-west1-b"],
            "status": "RUNNING_WITH_ERROR",
            "statusMessage": "ZONE_RESOURCE_POOL_EXHAUSTED in europe-west1-b",
            "version": "1.30.5-gke.1014001",
        },
    )


def source(fake: FakeGcp, creds: Any, poll: float = 0.3) -> GkeNodePoolSource:
    # No gcp_project in the config: it is parsed from the gke_PROJECT_LOCATION_NAME context.
    return GkeNodePoolSource(
        CLUSTER, ClusterConfig(context=GKE_CONTEXT), fake.url, credentials=creds, poll_seconds=poll
    )


def test_node_pools_reach_the_store(
    gcp_fake: FakeGcp, gcp_credentials: Any, cloud_harness: SourceHarness
) -> None:
    seed(gcp_fake)
    cloud_harness.start(source(gcp_fake, gcp_credentials))
    cloud_harness.wait(lambda s: len(s.items(GKE_CONTEXT, Kind.NODE_POOL)) == 2, 10, "pools")
    pools = cloud_harness.items(GKE_CONTEXT, Kind.NODE_POOL)
    general, spot = pools["general"], pools["batch-spot"]
    assert isinstance(general, NodePool) and isinstance(spot, NodePool)
    # Per-zone GKE numbers shown for the whole pool (three zones).
    assert (general.min_size, general.max_size, general.desired) == (3, 9, 3)
    assert general.autoscaling
    assert general.machine_type == "e2-standard-4"
    assert general.location_policy == "BALANCED"
    assert general.status == "RUNNING"
    assert general.version == "1.30.5-gke.1014001"
    assert not spot.autoscaling and spot.capacity_type == "spot"
    assert spot.status == "RUNNING_WITH_ERROR"
    assert "ZONE_RESOURCE_POOL_EXHAUSTED" in spot.health
    health = cloud_harness.health(GKE_CONTEXT, "gke/nodepools")
    assert health is not None and health.state == "live"
    assert any(
        i.what == "NODEPOOL" and "EXHAUSTED" in i.detail for i in cloud_harness.store.incidents()
    )
    assert ("GET", f"/v1/{PARENT}/nodePools") in gcp_fake.requests
    assert cloud_harness.stop() < 2.0


def test_scaling_follows_operations(
    gcp_fake: FakeGcp, gcp_credentials: Any, cloud_harness: SourceHarness
) -> None:
    seed(gcp_fake)
    src = source(gcp_fake, gcp_credentials)
    operator = CloudNodePoolOperator([src])
    cloud_harness.start(src)
    cloud_harness.wait(lambda s: len(s.items(GKE_CONTEXT, Kind.NODE_POOL)) == 2, 10, "pools")

    before = len(gcp_fake.requests)
    operator.scale_node_pool(GKE_CONTEXT, "general", 3, 12, 6, dry_run=True)
    assert not [r for r in gcp_fake.requests[before:] if r[0] == "POST"], "dry run mutated"

    with pytest.raises(OperationError, match="multiple of 3"):
        operator.scale_node_pool(GKE_CONTEXT, "general", 3, 12, 4)

    after = operator.scale_node_pool(GKE_CONTEXT, "general", 3, 12, 6)
    assert (after.min_size, after.max_size, after.desired) == (3, 12, 6)
    posts = [p for m, p in gcp_fake.requests if m == "POST"]
    assert posts == [
        f"/v1/{PARENT}/nodePools/general:setAutoscaling",
        f"/v1/{PARENT}/nodePools/general:setSize",
    ]
    # Each returned operation was RUNNING and was followed until DONE.
    followed = [p for m, p in gcp_fake.requests if "/operations/" in p]
    assert len(followed) == 2
    autoscaling = gcp_fake.node_pools[PARENT]["general"]["autoscaling"]
    assert autoscaling["totalMaxNodeCount"] in (12, "12")
    assert autoscaling["locationPolicy"] in ("BALANCED", 1)

    def scaled(store: Any) -> bool:
        pool = store.get(GKE_CONTEXT, Kind.NODE_POOL, "general")
        return isinstance(pool, NodePool) and (pool.max_size, pool.desired) == (12, 6)

    cloud_harness.wait(scaled, 10, "the new size on the pane")
    cloud_harness.stop()


def test_refused_call_is_an_error_badge_and_recovers(
    gcp_fake: FakeGcp, gcp_credentials: Any, cloud_harness: SourceHarness
) -> None:
    seed(gcp_fake)
    gcp_fake.fail_with = 403
    cloud_harness.start(source(gcp_fake, gcp_credentials, poll=0.1))
    cloud_harness.wait(
        lambda s: (
            (h := s.health.get((GKE_CONTEXT, "gke/nodepools"))) is not None and h.state == "error"
        ),
        10,
        "an error badge",
    )
    health = cloud_harness.health(GKE_CONTEXT, "gke/nodepools")
    assert health is not None and health.reason.startswith("permission denied")
    gcp_fake.fail_with = None
    cloud_harness.wait(
        lambda s: s.health[(GKE_CONTEXT, "gke/nodepools")].state == "live", 10, "recovery"
    )
    cloud_harness.stop()
