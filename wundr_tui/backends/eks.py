"""EKS managed node groups through boto3: the Node pools pane's rows for AWS clusters.

boto3 is imported only when a source first talks to AWS, so ``--help`` and ``--demo`` never
pay for it. Credentials and region are resolved the way boto3 always does (profile from the
cluster's config, env, SSO), one session per cluster.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from wundr_tui.backends.aws import (
    aws_client_config,
    aws_error_code,
    aws_error_text,
    aws_http_status,
    aws_session,
)
from wundr_tui.backends.base import Emit, OperationError
from wundr_tui.backends.bounds import validate_bounds
from wundr_tui.backends.polling import HealthReporter, poll_loop
from wundr_tui.config import ClusterConfig
from wundr_tui.events import Replaced
from wundr_tui.model import Cluster, Kind, NodePool

DEFAULT_POLL_SECONDS = 30.0
"""DescribeNodegroup is one call per group; every 30 s stays far below EKS's rate limits."""

FOLLOW_TIMEOUT = 600.0
"""How long a scaling call waits for the update to settle before giving up following it."""


def nodepool_from_eks(group: dict[str, Any]) -> NodePool:
    """One ``describe_nodegroup()['nodegroup']`` answer as a NodePool row."""
    scaling = group.get("scalingConfig") or {}
    issues = (group.get("health") or {}).get("issues") or []
    health = "; ".join(f"{i.get('code', '')}: {i.get('message', '')}".strip(": ") for i in issues)
    min_size = int(scaling.get("minSize", 0))
    max_size = int(scaling.get("maxSize", 0))
    return NodePool(
        name=group.get("nodegroupName", ""),
        min_size=min_size,
        max_size=max_size,
        desired=int(scaling.get("desiredSize", 0)),
        machine_type=",".join(group.get("instanceTypes") or []),
        status=group.get("status", "UNKNOWN"),
        # EKS itself does not autoscale; a group with room between its bounds is left to
        # cluster-autoscaler / Karpenter, which is what "autoscaling" means on this pane.
        autoscaling=max_size > min_size,
        capacity_type=group.get("capacityType", ""),
        version=group.get("version", "") or group.get("releaseVersion", ""),
        health=health,
    )


class EksNodegroupSource:
    """Polls one EKS cluster's managed node groups; also scales them."""

    def __init__(
        self,
        cluster: Cluster,
        cluster_config: ClusterConfig,
        endpoint_url: str | None = None,
        *,
        poll_seconds: float = DEFAULT_POLL_SECONDS,
    ) -> None:
        self.cluster = cluster
        """The EKS cluster (``cluster_name`` and ``region`` address the API)."""
        self.cluster_config = cluster_config
        """Where the AWS profile comes from."""
        self.endpoint_url = endpoint_url
        """Override for tests (moto server); None: the real endpoint."""
        self.poll_seconds = poll_seconds
        """Seconds between polls."""
        self.name = f"eks:{cluster.name}"
        """Unique source name."""
        self._client: Any = None
        self._lock = threading.Lock()

    def client(self) -> Any:
        """The boto3 EKS client, created on first use."""
        with self._lock:
            if self._client is None:
                session = aws_session(self.cluster_config.aws_profile, self.cluster.region)
                self._client = session.client(
                    "eks", endpoint_url=self.endpoint_url, config=aws_client_config()
                )
            return self._client

    def fetch(self) -> list[NodePool]:
        """Every managed node group of the cluster, described."""
        eks = self.client()
        names: list[str] = []
        for page in eks.get_paginator("list_nodegroups").paginate(
            clusterName=self.cluster.cluster_name
        ):
            names.extend(page.get("nodegroups", []))
        pools = []
        for group in sorted(names):
            try:
                answer = eks.describe_nodegroup(
                    clusterName=self.cluster.cluster_name, nodegroupName=group
                )
            except Exception as exc:
                # A group deleted between list and describe simply is not there any more.
                if aws_error_code(exc) == "ResourceNotFoundException":
                    continue
                raise
            pools.append(nodepool_from_eks(answer["nodegroup"]))
        return pools

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Emit the node groups every ``poll_seconds`` until ``stop``; never raises."""
        health = HealthReporter(emit, self.cluster.name, "eks/nodegroups", (Kind.NODE_POOL,))
        health.report("connecting")

        def poll() -> None:
            pools = self.fetch()
            emit(Replaced(self.cluster.name, Kind.NODE_POOL, tuple(pools)))
            health.report("live", f"{len(pools)} node groups")

        def failed(exc: BaseException, delay: float) -> None:
            text = aws_error_text(exc, self.cluster_config.aws_profile)
            health.report("error", text, retry_in=delay)

        poll_loop(stop, self.poll_seconds, poll, failed)

    def scale_node_pool(
        self,
        pool: str,
        min_size: int,
        max_size: int,
        desired: int,
        *,
        dry_run: bool = False,
        follow_timeout: float = FOLLOW_TIMEOUT,
    ) -> NodePool:
        """Set a node group's scaling config and wait until EKS has applied it.

        With ``dry_run`` only the checks run (bounds, group exists and is ACTIVE). Returns the
        group as described after the change (or as it is, on a dry run).
        """
        validate_bounds(pool, min_size, max_size, desired)
        eks = self.client()
        current = self._describe(pool)
        if current.status not in ("ACTIVE", "DEGRADED"):
            raise OperationError(
                f"{pool} is {current.status}; wait until it is ACTIVE", status=409, conflict=True
            )
        if dry_run:
            return current
        try:
            answer = eks.update_nodegroup_config(
                clusterName=self.cluster.cluster_name,
                nodegroupName=pool,
                scalingConfig={"minSize": min_size, "maxSize": max_size, "desiredSize": desired},
            )
        except Exception as exc:
            raise OperationError(
                f"scaling {pool} failed: {aws_error_text(exc)}", status=aws_http_status(exc)
            ) from None
        update_id = (answer.get("update") or {}).get("id", "")
        return self._follow(pool, update_id, (min_size, max_size, desired), follow_timeout)

    def _describe(self, pool: str) -> NodePool:
        try:
            answer = self.client().describe_nodegroup(
                clusterName=self.cluster.cluster_name, nodegroupName=pool
            )
        except Exception as exc:
            if aws_error_code(exc) == "ResourceNotFoundException":
                raise OperationError(
                    f"node group {pool} not found in {self.cluster.cluster_name}", status=404
                ) from None
            raise OperationError(aws_error_text(exc), status=aws_http_status(exc)) from None
        return nodepool_from_eks(answer["nodegroup"])

    def _follow(
        self, pool: str, update_id: str, wanted: tuple[int, int, int], timeout: float
    ) -> NodePool:
        """Wait for the update: DescribeUpdate where the API has it, else the group itself."""
        deadline = time.monotonic() + timeout
        use_updates = bool(update_id)
        delay = 0.5
        while True:
            if use_updates:
                try:
                    update = self.client().describe_update(
                        name=self.cluster.cluster_name, nodegroupName=pool, updateId=update_id
                    )["update"]
                except Exception:
                    # Some endpoints (moto, older proxies) lack DescribeUpdate: fall back to
                    # watching the node group's own scaling config and status.
                    use_updates = False
                else:
                    status = update.get("status", "")
                    if status == "Successful":
                        return self._describe(pool)
                    if status in ("Failed", "Cancelled"):
                        errors = "; ".join(
                            e.get("errorMessage", "") for e in update.get("errors") or []
                        )
                        raise OperationError(f"scaling {pool} {status.lower()}: {errors}")
            if not use_updates:
                group = self._describe(pool)
                if (group.min_size, group.max_size, group.desired) == wanted and (
                    group.status == "ACTIVE"
                ):
                    return group
            if time.monotonic() > deadline:
                raise OperationError(
                    f"scaling {pool} did not settle within {timeout:.0f}s; check the console"
                )
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
