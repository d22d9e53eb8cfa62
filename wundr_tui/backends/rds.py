"""RDS replication: ``describe_db_instances`` for the topology, CloudWatch ``ReplicaLag``.

A primary's read replicas may live in other regions (their identifiers are then ARNs); each
region gets its own RDS and CloudWatch client from the same profile. boto3 is imported on
the first poll only.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from wundr_tui.backends.aws import aws_client_config, aws_error_text, aws_session
from wundr_tui.backends.base import Emit
from wundr_tui.backends.polling import HealthReporter, OwnedItems, poll_loop
from wundr_tui.config import DatabaseConfig
from wundr_tui.format import plural
from wundr_tui.model import Kind, ReplicaLink

DEFAULT_POLL_SECONDS = 60.0
"""ReplicaLag is a one-minute CloudWatch metric; GetMetricData is billed per metric read."""

LAG_WINDOW = timedelta(minutes=10)
"""Look this far back for the newest ReplicaLag datapoint; none means unknown."""


def parse_db_ref(ref: str, default_region: str) -> tuple[str, str]:
    """``arn:aws:rds:REGION:ACCOUNT:db:NAME`` or a bare identifier → (region, identifier)."""
    if ref.startswith("arn:"):
        parts = ref.split(":")
        if len(parts) >= 7:
            return parts[3], parts[6]
    return default_region, ref


def replication_state(instance: dict[str, Any]) -> str:
    """The replica's ``read replication`` status (replicating / error / stopped) if RDS gives
    one, else its instance status (available, modifying, ...)."""
    for info in instance.get("StatusInfos") or []:
        if info.get("StatusType") == "read replication" and info.get("Status"):
            return str(info["Status"])
    return str(instance.get("DBInstanceStatus", "unknown"))


def instance_region(instance: dict[str, Any], default: str) -> str:
    """The region from the instance's ARN, else the AZ minus its letter, else the default."""
    arn = instance.get("DBInstanceArn", "")
    if arn.startswith("arn:"):
        return parse_db_ref(arn, default)[0]
    az = instance.get("AvailabilityZone", "")
    return az[:-1] if az and az[-1].isalpha() else default


class RdsReplicationSource:
    """Polls one RDS primary's read replicas and their CloudWatch ReplicaLag."""

    def __init__(
        self,
        database: DatabaseConfig,
        endpoint_url: str | None = None,
        *,
        aws_profile: str = "",
        poll_seconds: float = 0.0,
    ) -> None:
        self.database = database
        """region, instance (the primary, or a replica to show with its source), cluster."""
        self.endpoint_url = endpoint_url
        """Override for tests (moto server); None: the real endpoints."""
        self.aws_profile = aws_profile
        """boto3 profile (the cluster's); blank: the default chain."""
        self.poll_seconds = poll_seconds or database.poll_seconds or DEFAULT_POLL_SECONDS
        """Seconds between polls."""
        self.label = database.name or database.instance
        """What the health badge calls this database."""
        self.name = f"rds:{database.region}:{database.instance}"
        """Unique source name."""
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def client(self, service: str, region: str) -> Any:
        """An ``rds`` or ``cloudwatch`` client for one region, cached."""
        with self._lock:
            key = (service, region)
            if key not in self._clients:
                session = aws_session(self.aws_profile, region)
                self._clients[key] = session.client(
                    service, endpoint_url=self.endpoint_url, config=aws_client_config()
                )
            return self._clients[key]

    def describe(self, region: str, identifier: str) -> dict[str, Any] | None:
        """One DB instance, or None when it is gone."""
        try:
            answer = self.client("rds", region).describe_db_instances(
                DBInstanceIdentifier=identifier
            )
        except Exception as exc:
            code = (getattr(exc, "response", None) or {}).get("Error", {}).get("Code")
            if code == "DBInstanceNotFound":
                return None
            raise
        found = answer.get("DBInstances") or []
        return found[0] if found else None

    def lags(self, region: str, identifiers: list[str]) -> dict[str, tuple[float, float]]:
        """identifier → (newest ReplicaLag seconds, its timestamp) from one region."""
        if not identifiers:
            return {}
        now = datetime.now(UTC)
        queries = [
            {
                "Id": f"r{i}",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/RDS",
                        "MetricName": "ReplicaLag",
                        "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": ident}],
                    },
                    "Period": 60,
                    "Stat": "Maximum",
                },
                "ReturnData": True,
            }
            for i, ident in enumerate(identifiers)
        ]
        answer = self.client("cloudwatch", region).get_metric_data(
            MetricDataQueries=queries,
            StartTime=now - LAG_WINDOW,
            EndTime=now + timedelta(minutes=1),  # the current, partial minute counts too
            ScanBy="TimestampDescending",
        )
        out: dict[str, tuple[float, float]] = {}
        for result in answer.get("MetricDataResults") or []:
            idx = int(str(result.get("Id", "r-1"))[1:])
            points = list(
                zip(result.get("Timestamps") or [], result.get("Values") or [], strict=False)
            )
            if points and 0 <= idx < len(identifiers):
                when, value = max(points, key=lambda p: p[0])
                out[identifiers[idx]] = (float(value), when.timestamp())
        return out

    def fetch(self) -> list[ReplicaLink]:
        """Links primary → each replica (or the configured replica's own link)."""
        region = self.database.region
        me = self.describe(region, self.database.instance)
        if me is None:
            raise LookupError(f"DB instance {self.database.instance} not found in {region}")
        pairs: list[tuple[dict[str, Any], str, str, dict[str, Any] | None]] = []
        source = me.get("ReadReplicaSourceDBInstanceIdentifier", "")
        if source:
            src_region, src_id = parse_db_ref(source, region)
            primary = self.describe(src_region, src_id) or {"DBInstanceIdentifier": src_id}
            pairs.append((primary, region, self.database.instance, me))
        for ref in me.get("ReadReplicaDBInstanceIdentifiers") or []:
            rep_region, rep_id = parse_db_ref(ref, region)
            pairs.append((me, rep_region, rep_id, self.describe(rep_region, rep_id)))
        by_region: dict[str, list[str]] = {}
        for _, rep_region, rep_id, _ in pairs:
            by_region.setdefault(rep_region, []).append(rep_id)
        lags: dict[tuple[str, str], tuple[float, float]] = {}
        for rep_region, ids in by_region.items():
            for ident, value in self.lags(rep_region, ids).items():
                lags[(rep_region, ident)] = value
        links = []
        for primary, rep_region, rep_id, replica in pairs:
            lag = lags.get((rep_region, rep_id))
            links.append(
                ReplicaLink(
                    engine="rds",
                    primary=primary.get("DBInstanceIdentifier", ""),
                    replica=rep_id,
                    primary_region=instance_region(primary, region),
                    replica_region=rep_region,
                    state=replication_state(replica) if replica else "missing",
                    lag_seconds=lag[0] if lag else None,
                    lag_bytes=None,
                    sampled=lag[1] if lag else time.time(),
                )
            )
        return links

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit the links every ``poll_seconds`` until ``stop``; never raises."""
        health = HealthReporter(
            emit, self.database.cluster, f"rds/{self.label}", (Kind.REPLICA_LINK,)
        )
        links_out = OwnedItems(emit, self.database.cluster, Kind.REPLICA_LINK)
        health.report("connecting")

        def poll() -> None:
            links = self.fetch()
            links_out.publish(links)
            health.report("live", plural(len(links), "replica"))

        def failed(exc: BaseException, delay: float) -> None:
            text = str(exc) if isinstance(exc, LookupError) else aws_error_text(exc)
            health.report("error", text, retry_in=delay)

        poll_loop(stop, self.poll_seconds, poll, failed)
