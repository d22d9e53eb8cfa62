"""Turning cloud API answers into pane rows, and readable error texts (no network)."""

from __future__ import annotations

import pytest

from wundr_tui.backends.aws import aws_error_text
from wundr_tui.backends.base import OperationError
from wundr_tui.backends.bounds import validate_bounds
from wundr_tui.backends.cloudsql import latest_lags, parse_time, rfc3339
from wundr_tui.backends.eks import nodepool_from_eks
from wundr_tui.backends.gcp import gcp_error_text
from wundr_tui.backends.gke import gke_project
from wundr_tui.backends.rds import instance_region, parse_db_ref, replication_state
from wundr_tui.config import ClusterConfig
from wundr_tui.model import Cluster


def test_eks_nodegroup_with_health_issues() -> None:
    pool = nodepool_from_eks(
        {
            "nodegroupName": "general",
            "scalingConfig": {"minSize": 2, "maxSize": 2, "desiredSize": 2},
            "instanceTypes": ["m6i.large"],
            "status": "DEGRADED",
            "capacityType": "SPOT",
            "version": "1.31",
            "health": {
                "issues": [
                    {
                        "code": "AsgInstanceLaunchFailures",
                        "message": "Could not launch Spot Instances",
                    },
                    {"code": "Ec2SubnetInvalidConfiguration", "message": ""},
                ]
            },
        }
    )
    assert pool.status == "DEGRADED" and not pool.autoscaling
    assert pool.health == (
        "AsgInstanceLaunchFailures: Could not launch Spot Instances; Ec2SubnetInvalidConfiguration"
    )


@pytest.mark.parametrize(("mn", "mx", "want"), [(3, 2, 2), (-1, 3, 1), (0, 0, 0), (1, 3, 5)])
def test_bounds_are_checked_before_any_call(mn: int, mx: int, want: int) -> None:
    with pytest.raises(OperationError) as err:
        validate_bounds("general", mn, mx, want)
    assert err.value.status == 422


def test_aws_errors_read_like_sentences() -> None:
    class ClientError(Exception):
        response = {"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}}

    class NoCredentialsError(Exception):
        pass

    class ProfileNotFound(Exception):
        pass

    assert aws_error_text(ClientError()) == "access denied: not allowed"
    assert (
        aws_error_text(NoCredentialsError(), "prod") == "no AWS credentials found for profile prod"
    )
    assert "not found in ~/.aws/config" in aws_error_text(ProfileNotFound(), "prod")


def test_gcp_project_from_context_or_config() -> None:
    gke = Cluster("gke_wundr-prod_europe-west1_wundr-production", "gcp", "europe-west1", "x")
    assert gke_project(gke, ClusterConfig(context=gke.name)) == "wundr-prod"
    assert gke_project(gke, ClusterConfig(context=gke.name, gcp_project="other")) == "other"
    odd = Cluster("prod-gke", "gcp", "europe-west1", "x")
    with pytest.raises(OperationError, match="gcp_project"):
        gke_project(odd, ClusterConfig(context=odd.name))

    class DefaultCredentialsError(Exception):
        pass

    assert "application-default login" in gcp_error_text(DefaultCredentialsError())


def test_rds_refs_regions_and_states() -> None:
    assert parse_db_ref("arn:aws:rds:us-west-2:123456789012:db:orders-dr", "eu-west-1") == (
        "us-west-2",
        "orders-dr",
    )
    assert parse_db_ref("orders-replica", "eu-west-1") == ("eu-west-1", "orders-replica")
    assert instance_region({"AvailabilityZone": "eu-west-1b"}, "x") == "eu-west-1"
    assert (
        replication_state(
            {
                "DBInstanceStatus": "available",
                "StatusInfos": [
                    {"StatusType": "read replication", "Status": "error", "Normal": False}
                ],
            }
        )
        == "error"
    )
    assert replication_state({"DBInstanceStatus": "modifying"}) == "modifying"


def test_monitoring_points_newest_wins() -> None:
    series = [
        {
            "resource": {"labels": {"database_id": "p:r"}},
            "points": [
                {"interval": {"endTime": "2026-11-26T02:00:00Z"}, "value": {"doubleValue": 3.0}},
                {"interval": {"endTime": "2026-11-26T02:01:00.5Z"}, "value": {"doubleValue": 7.0}},
            ],
        }
    ]
    lags = latest_lags(series)
    assert lags["p:r"][0] == 7.0
    assert lags["p:r"][1] == parse_time("2026-11-26T02:01:00.5Z")
    assert parse_time(rfc3339(1_795_658_460.25)) == pytest.approx(1_795_658_460.25)
    assert parse_time("nonsense") == 0.0
