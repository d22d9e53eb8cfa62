"""EKS managed node groups over HTTP against moto server mode: what reaches the Store, and
scaling through the operator the action calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.fakes.cloud_fixtures import (
    AWS_REGION,
    EKS_CONTEXT,
    SourceHarness,
    aws,
    cloud_harness,
    moto_server,
)
from tests.fakes.servers import free_port
from wundr_tui.backends.base import OperationError
from wundr_tui.backends.cloud import CloudNodePoolOperator, Endpoints, cloud_sources
from wundr_tui.backends.eks import EksNodegroupSource
from wundr_tui.config import ClusterConfig, Config
from wundr_tui.model import Cluster, Kind, Node, NodePool

__all__ = ["aws", "cloud_harness", "moto_server"]

CLUSTER = Cluster(EKS_CONTEXT, "aws", AWS_REGION, "wundr-production", production=True)
ROLE = "arn:aws:iam::123456789012:role/eks"


def seed(eks: Any) -> None:
    """An EKS cluster with the seed platform's on-demand and spot node groups."""
    eks.create_cluster(
        name="wundr-production", roleArn=ROLE, resourcesVpcConfig={"subnetIds": ["subnet-1"]}
    )
    eks.create_nodegroup(
        clusterName="wundr-production",
        nodegroupName="general",
        nodeRole=ROLE,
        subnets=["subnet-1"],
        scalingConfig={"minSize": 2, "maxSize": 6, "desiredSize": 3},
        instanceTypes=["m6i.xlarge"],
        capacityType="ON_DEMAND",
        labels={"wundr.io/pool": "general"},
    )
    eks.create_nodegroup(
        clusterName="wundr-production",
        nodegroupName="batch-spot",
        nodeRole=ROLE,
        subnets=["subnet-1"],
        scalingConfig={"minSize": 0, "maxSize": 4, "desiredSize": 4},
        instanceTypes=["c6i.large", "c6a.large"],
        capacityType="SPOT",
    )


def source(url: str, poll: float = 0.3) -> EksNodegroupSource:
    return EksNodegroupSource(CLUSTER, ClusterConfig(context=EKS_CONTEXT), url, poll_seconds=poll)


def test_node_groups_reach_the_store(
    aws: Callable[..., Any], moto_server: Any, cloud_harness: SourceHarness
) -> None:
    seed(aws("eks"))
    cloud_harness.start(source(moto_server.url))
    cloud_harness.wait(
        lambda s: len(s.items(EKS_CONTEXT, Kind.NODE_POOL)) == 2, 10, "two node groups"
    )
    pools = cloud_harness.items(EKS_CONTEXT, Kind.NODE_POOL)
    general, spot = pools["general"], pools["batch-spot"]
    assert isinstance(general, NodePool) and isinstance(spot, NodePool)
    assert (general.min_size, general.max_size, general.desired) == (2, 6, 3)
    assert general.machine_type == "m6i.xlarge"
    assert general.capacity_type == "ON_DEMAND"
    assert general.status == "ACTIVE"
    assert general.version
    assert spot.machine_type == "c6i.large,c6a.large"
    assert spot.capacity_type == "SPOT"
    # A group at its maximum is what the incident pane calls out.
    assert spot.at_max
    assert any(
        i.what == "NODEPOOL" and i.subject == "batch-spot" for i in cloud_harness.store.incidents()
    )
    health = cloud_harness.health(EKS_CONTEXT, "eks/nodegroups")
    assert health is not None and health.state == "live"
    assert health.kinds == (Kind.NODE_POOL,)
    # Joined with Kubernetes nodes for ready counts (the kube source emits those).
    from wundr_tui.events import Replaced

    cloud_harness.store.apply(
        [
            Replaced(
                EKS_CONTEXT,
                Kind.NODE,
                (Node("ip-10-0-1-1", "general", True), Node("ip-10-0-1-2", "general", False)),
            )
        ]
    )
    assert cloud_harness.store.pool_nodes(EKS_CONTEXT, "general") == (1, 2)
    assert cloud_harness.stop() < 2.0


def test_scaling_dry_run_then_real(
    aws: Callable[..., Any], moto_server: Any, cloud_harness: SourceHarness
) -> None:
    eks = aws("eks")
    seed(eks)
    src = source(moto_server.url)
    operator = CloudNodePoolOperator([src])
    cloud_harness.start(src)
    cloud_harness.wait(lambda s: "general" in s.items(EKS_CONTEXT, Kind.NODE_POOL), 10, "pools")

    unchanged = operator.scale_node_pool(EKS_CONTEXT, "general", 3, 10, 5, dry_run=True)
    assert (unchanged.min_size, unchanged.max_size, unchanged.desired) == (2, 6, 3)
    scaling = eks.describe_nodegroup(clusterName="wundr-production", nodegroupName="general")
    assert scaling["nodegroup"]["scalingConfig"]["desiredSize"] == 3

    # moto has no DescribeUpdate: the operator falls back to watching the group itself.
    after = operator.scale_node_pool(EKS_CONTEXT, "general", 3, 10, 5)
    assert (after.min_size, after.max_size, after.desired) == (3, 10, 5)

    def scaled(store: Any) -> bool:
        pool = store.get(EKS_CONTEXT, Kind.NODE_POOL, "general")
        return isinstance(pool, NodePool) and (pool.min_size, pool.max_size, pool.desired) == (
            3,
            10,
            5,
        )

    cloud_harness.wait(scaled, 10, "the new scaling config on the pane")
    cloud_harness.stop()


def test_scaling_refuses_bad_input(aws: Callable[..., Any], moto_server: Any) -> None:
    seed(aws("eks"))
    operator = CloudNodePoolOperator([source(moto_server.url)])
    with pytest.raises(OperationError, match="min ≤ desired ≤ max") as bad:
        operator.scale_node_pool(EKS_CONTEXT, "general", 5, 3, 4)
    assert bad.value.status == 422
    with pytest.raises(OperationError, match="not found") as missing:
        operator.scale_node_pool(EKS_CONTEXT, "nope", 1, 3, 2, dry_run=True)
    assert missing.value.status == 404
    with pytest.raises(OperationError, match="not an EKS or GKE cluster"):
        operator.scale_node_pool("kind-local", "general", 1, 3, 2)


def test_deleted_group_leaves_the_pane(
    aws: Callable[..., Any], moto_server: Any, cloud_harness: SourceHarness
) -> None:
    eks = aws("eks")
    seed(eks)
    cloud_harness.start(source(moto_server.url))
    cloud_harness.wait(lambda s: len(s.items(EKS_CONTEXT, Kind.NODE_POOL)) == 2, 10, "pools")
    eks.delete_nodegroup(clusterName="wundr-production", nodegroupName="batch-spot")
    cloud_harness.wait(
        lambda s: set(s.items(EKS_CONTEXT, Kind.NODE_POOL)) == {"general"}, 10, "spot gone"
    )
    cloud_harness.stop()


def test_unreachable_endpoint_is_an_error_badge_not_a_crash(
    moto_server: Any, cloud_harness: SourceHarness
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    cloud_harness.start(source(dead, poll=0.2))
    cloud_harness.wait(
        lambda s: (
            (h := s.health.get((EKS_CONTEXT, "eks/nodegroups"))) is not None and h.state == "error"
        ),
        30,
        "an error badge",
    )
    health = cloud_harness.health(EKS_CONTEXT, "eks/nodegroups")
    assert health is not None
    assert "cannot reach AWS" in health.reason
    # When it tries again is a time the badge counts down to, no longer words in the reason.
    assert health.retry_at is not None and health.retry_at > 0
    assert cloud_harness.stop() < 2.0


def test_factory_builds_eks_source_that_polls(
    aws: Callable[..., Any], moto_server: Any, cloud_harness: SourceHarness
) -> None:
    seed(aws("eks"))
    config = Config(clusters=(ClusterConfig(context=EKS_CONTEXT),))
    sources = cloud_sources(
        config, [CLUSTER], endpoints=Endpoints(aws=moto_server.url), poll_seconds={"nodepools": 0.5}
    )
    assert [type(s).__name__ for s in sources] == ["EksNodegroupSource"]
    cloud_harness.start(*sources)
    cloud_harness.wait(lambda s: len(s.items(EKS_CONTEXT, Kind.NODE_POOL)) == 2, 10, "pools")
    cloud_harness.stop()
