"""Builds every cloud, database and alert source the config asks for, and the node-pool
operator the scaling action calls. Nothing heavy is imported here: each source imports its
SDK on its first poll."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from wundr_tui.backends.alertmanager import AlertmanagerAlertSource, AlertmanagerClient
from wundr_tui.backends.alerts import AlertEndpoint, AlertFeed
from wundr_tui.backends.base import OperationError, Source
from wundr_tui.backends.cloudsql import CloudSqlReplicationSource
from wundr_tui.backends.eks import EksNodegroupSource
from wundr_tui.backends.gke import GkeNodePoolSource
from wundr_tui.backends.postgres import PostgresReplicationSource
from wundr_tui.backends.prometheus import (
    SIGNAL_POLL_SECONDS,
    GoldenSignalsSource,
    PrometheusAlertSource,
    SignalQueries,
)
from wundr_tui.backends.rds import RdsReplicationSource
from wundr_tui.config import ClusterConfig, Config
from wundr_tui.model import Cluster, NodePool

NodePoolSource = EksNodegroupSource | GkeNodePoolSource
"""A source that can also scale its cluster's node pools."""


@dataclass(frozen=True, slots=True)
class Endpoints:
    """API endpoint overrides (tests, VPC endpoints, proxies); None means the real ones."""

    aws: str | None = None
    """One endpoint for EKS, RDS and CloudWatch (moto server in tests)."""
    gcp: str | None = None
    """One endpoint for GKE, Cloud SQL Admin and Cloud Monitoring (the REST fake in tests)."""
    gcp_credentials: Any = None
    """google-auth credentials; None: Application Default Credentials."""


def cluster_config_for(config: Config, cluster: Cluster) -> ClusterConfig:
    """The cluster's config entry, or defaults when it was discovered from kubeconfig."""
    for cc in config.clusters:
        if cc.context == cluster.name:
            return cc
    return ClusterConfig(context=cluster.name)


POLL_FAMILIES = ("nodepools", "alerts", "signals")
"""Keys of the optional ``[poll_seconds]`` config table."""


def configured_polls(config: Config) -> dict[str, float]:
    """The ``[poll_seconds]`` intervals the config sets (validated when it was loaded)."""
    given = {key: getattr(config.poll_seconds, key) for key in POLL_FAMILIES}
    return {key: float(value) for key, value in given.items() if value is not None}


def signal_queries(config: Config) -> SignalQueries:
    """The ``[golden_signals]`` queries, step and series bound, as the source takes them."""
    gs = config.golden_signals
    return SignalQueries(
        gs.requests, gs.errors, gs.latency_p95, int(gs.step_seconds), gs.max_series
    )


def cloud_sources(
    config: Config,
    clusters: Sequence[Cluster],
    *,
    endpoints: Endpoints | None = None,
    poll_seconds: dict[str, float] | None = None,
) -> list[Source]:
    """Every node-pool, database and alert source for these clusters and databases.

    ``poll_seconds`` sets the interval per family (``nodepools``, ``alerts``, ``signals``);
    without it the
    config's ``[poll_seconds]`` table is used, else each backend's default. Databases take
    ``poll_seconds`` from their own config entry (the config checked every interval).
    """
    ep = endpoints or Endpoints()
    polls = poll_seconds if poll_seconds is not None else configured_polls(config)
    sources: list[Source] = []
    names = {c.name for c in clusters} | {c.cluster_name for c in clusters}
    for cluster in clusters:
        cc = cluster_config_for(config, cluster)
        pool_kwargs = {"poll_seconds": polls["nodepools"]} if "nodepools" in polls else {}
        if not cc.cloud_api:
            pass  # turned off in the config: nodes alone tell the pools
        elif cluster.cloud == "aws":
            sources.append(EksNodegroupSource(cluster, cc, ep.aws, **pool_kwargs))
        elif cluster.cloud == "gcp":
            sources.append(
                GkeNodePoolSource(
                    cluster, cc, ep.gcp, credentials=ep.gcp_credentials, **pool_kwargs
                )
            )
        alert_poll = polls.get("alerts", 10.0)
        endpoints_: list[AlertEndpoint] = []
        if cc.prometheus:
            endpoints_.append(PrometheusAlertSource(cluster.name, cc.prometheus))
        if cc.alertmanager:
            endpoints_.append(AlertmanagerAlertSource(cluster.name, cc.alertmanager))
        if endpoints_:
            others = names - {cluster.name, cluster.cluster_name}
            sources.append(
                AlertFeed(cluster.name, endpoints_, other_clusters=others, poll_seconds=alert_poll)
            )
        if cc.prometheus:
            # The Services pane's golden signals: range queries, in a thread of their own.
            sources.append(
                GoldenSignalsSource(
                    cluster.name,
                    cc.prometheus,
                    signal_queries(config),
                    poll_seconds=polls.get("signals", SIGNAL_POLL_SECONDS),
                )
            )
    by_context = {cc.context: cc for cc in config.clusters}
    for db in config.databases:
        if db.engine == "rds":
            profile = by_context.get(db.cluster, ClusterConfig(context=db.cluster)).aws_profile
            sources.append(RdsReplicationSource(db, ep.aws, aws_profile=profile))
        elif db.engine == "cloudsql":
            sources.append(CloudSqlReplicationSource(db, ep.gcp, credentials=ep.gcp_credentials))
        elif db.engine == "postgres":
            sources.append(PostgresReplicationSource(db))
    return sources


class CloudNodePoolOperator:
    """Scales EKS node groups and GKE node pools, by cluster context name."""

    def __init__(self, sources: Iterable[object]) -> None:
        self.pools: dict[str, NodePoolSource] = {
            s.cluster.name: s
            for s in sources
            if isinstance(s, EksNodegroupSource | GkeNodePoolSource)
        }
        """Cluster context → the source that owns its node pools."""

    def scale_node_pool(
        self,
        cluster: str,
        pool: str,
        min_size: int,
        max_size: int,
        desired: int,
        *,
        dry_run: bool = False,
    ) -> NodePool:
        """Change a node pool's bounds and desired size and wait until the cloud applied it.

        ``dry_run`` checks (bounds, pool exists and is settled) without changing anything.
        Raises OperationError with a readable message.
        """
        source = self.pools.get(cluster)
        if source is None:
            raise OperationError(
                f"{cluster} is not an EKS or GKE cluster with node pools", status=404
            )
        return source.scale_node_pool(pool, min_size, max_size, desired, dry_run=dry_run)


def alertmanager_clients(config: Config) -> dict[str, AlertmanagerClient]:
    """Cluster context → a silence client for its Alertmanager (clusters that have one)."""
    return {
        cc.context: AlertmanagerClient(cc.alertmanager) for cc in config.clusters if cc.alertmanager
    }
