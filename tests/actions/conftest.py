"""Fixtures for the action tests: the fake apiservers, moto, the GKE fake, real Alertmanager."""

from tests.fakes.cloud_fixtures import (
    alert_servers,
    aws,
    cloud_harness,
    gcp_credentials,
    gcp_fake,
    moto_server,
)
from tests.fakes.kube_fixtures import kube_world

__all__ = [
    "alert_servers",
    "aws",
    "cloud_harness",
    "gcp_credentials",
    "gcp_fake",
    "kube_world",
    "moto_server",
]
