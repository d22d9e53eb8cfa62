"""cloud_sources builds what the config asks for, without importing any cloud SDK."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wundr_tui.backends.alertmanager import AlertmanagerClient
from wundr_tui.backends.alerts import AlertFeed
from wundr_tui.backends.base import Source
from wundr_tui.backends.cloud import (
    CloudNodePoolOperator,
    alertmanager_clients,
    cloud_sources,
)
from wundr_tui.backends.prometheus import GoldenSignalsSource, SignalQueries
from wundr_tui.config import ConfigError, load, parse
from wundr_tui.model import Cluster

EKS = "arn:aws:eks:us-east-1:123456789012:cluster/wundr-production"
GKE = "gke_wundr-prod_europe-west1_wundr-production"


def config_and_clusters() -> tuple[object, list[Cluster]]:
    config = parse(
        {
            "clusters": [
                {
                    "context": EKS,
                    "aws_profile": "wundr-prod",
                    "prometheus": "http://p1:9090",
                    "alertmanager": "http://am:9093",
                },
                {"context": GKE, "alertmanager": "http://am:9093"},
            ],
            "databases": [
                {"engine": "rds", "cluster": EKS, "region": "us-east-1", "instance": "orders"},
                {
                    "engine": "cloudsql",
                    "cluster": GKE,
                    "project": "wundr-prod",
                    "instance": "orders-db",
                },
                {"engine": "postgres", "cluster": GKE, "dsn": "service=orders", "poll_seconds": 2},
            ],
        }
    )
    clusters = [
        Cluster(EKS, "aws", "us-east-1", "wundr-production"),
        Cluster(GKE, "gcp", "europe-west1", "wundr-production"),
        Cluster("kind-dev", "other", "", "dev"),
    ]
    return config, clusters


def test_every_configured_thing_gets_a_source() -> None:
    config, clusters = config_and_clusters()
    sources = cloud_sources(config, clusters)  # type: ignore[arg-type]
    names = [type(s).__name__ for s in sources]
    assert names == [
        "EksNodegroupSource",
        "AlertFeed",
        "GoldenSignalsSource",  # EKS has a Prometheus: the Services pane's signals
        "GkeNodePoolSource",
        "AlertFeed",
        "RdsReplicationSource",
        "CloudSqlReplicationSource",
        "PostgresReplicationSource",
    ]
    assert all(isinstance(s, Source) for s in sources)
    assert len({s.name for s in sources}) == len(sources)
    eks_feed = sources[1]
    assert isinstance(eks_feed, AlertFeed) and [e.kind for e in eks_feed.endpoints] == [
        "prometheus",
        "alertmanager",
    ]
    assert GKE in eks_feed.other_clusters
    signals = sources[2]
    assert isinstance(signals, GoldenSignalsSource) and signals.url == "http://p1:9090"
    assert signals.queries == SignalQueries()  # the seed's alert expressions by default
    rds = sources[5]
    assert rds.aws_profile == "wundr-prod"  # type: ignore[attr-defined]
    assert sources[7].poll_seconds == 2  # type: ignore[attr-defined]
    assert sources[6].poll_seconds == 60  # type: ignore[attr-defined]
    operator = CloudNodePoolOperator(sources)
    assert set(operator.pools) == {EKS, GKE}
    clients = alertmanager_clients(config)  # type: ignore[arg-type]
    assert set(clients) == {EKS, GKE} and isinstance(clients[EKS], AlertmanagerClient)


def test_building_sources_imports_no_sdk() -> None:
    code = (
        "import sys\n"
        "from wundr_tui.backends.cloud import cloud_sources\n"
        "from wundr_tui.config import Config\n"
        "cloud_sources(Config(), [])\n"
        "heavy = ['boto3', 'botocore', 'google.cloud.container_v1', 'google.auth', 'psycopg',"
        " 'prometheus_api_client', 'requests', 'textual']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.stdout.strip() == "[]"


def test_documented_example_config_builds_every_source() -> None:
    path = Path(__file__).resolve().parents[2] / "docs" / "example-config.toml"
    config = load(path)
    clusters = [
        Cluster(config.clusters[0].context, "aws", "us-east-1", "wundr-production"),
        Cluster(config.clusters[1].context, "gcp", "us-central1", "wundr-production"),
    ]
    sources = cloud_sources(config, clusters)
    assert [type(s).__name__ for s in sources] == [
        "EksNodegroupSource",
        "AlertFeed",
        "GoldenSignalsSource",
        "GkeNodePoolSource",
        "AlertFeed",
        "GoldenSignalsSource",
        "RdsReplicationSource",
        "CloudSqlReplicationSource",
        "PostgresReplicationSource",
    ]
    assert sources[0].poll_seconds == 30  # type: ignore[attr-defined]
    assert sources[1].poll_seconds == 10  # type: ignore[attr-defined]
    assert sources[2].poll_seconds == 30  # type: ignore[attr-defined]


def test_bad_poll_table_is_a_config_error() -> None:
    for table, message in (
        ({"nodepools": 0}, "at least 1"),
        ({"pods": 5}, "unknown key"),
        (5, "expected a table"),
    ):
        with pytest.raises(ConfigError, match=message):
            cloud_sources(parse({"poll_seconds": table}), [])
