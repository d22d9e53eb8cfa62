"""Fresh reads for preflight and verification, and adapters that give every backend the
router's shapes: the Kubernetes apiserver, the demo fleet, and Alertmanager clients."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wundr_tui.actions.base import OperatorRouter
from wundr_tui.backends.alertmanager import AlertmanagerClient
from wundr_tui.backends.base import OperationError
from wundr_tui.backends.demo import DemoFleet
from wundr_tui.backends.kube.reader import KubeReader
from wundr_tui.model import Kind, Resource


class DemoReader:
    """Reads the demo fleet's current state."""

    def __init__(self, fleet: DemoFleet) -> None:
        self.fleet = fleet
        """The simulated fleet."""

    def get(self, cluster: str, kind: Kind, namespace: str, name: str) -> Resource | None:
        """One object, by namespace and name (namespace ignored for cluster-wide kinds)."""
        for obj in self.fleet.read(cluster, kind):
            if getattr(obj, "name", None) == name and getattr(obj, "namespace", namespace) in (
                namespace,
                "",
            ):
                return obj
        return None

    def list(self, cluster: str, kind: Kind, namespace: str) -> Sequence[Resource]:
        """Every object of a kind in a namespace."""
        return [
            o
            for o in self.fleet.read(cluster, kind)
            if getattr(o, "namespace", "") in (namespace, "")
        ]


def demo_router(fleet: DemoFleet, *, read_only: bool = False) -> OperatorRouter:
    """Every action on the demo fleet: it is the operator, the reader, the cloud and the
    Alertmanager at once."""
    return OperatorRouter(
        kube=fleet,
        reader=DemoReader(fleet),
        node_pools=fleet,
        silences=fleet,
        read_only=read_only,
    )


def live_router(
    kube: Any, node_pools: Any, silence_clients: Mapping[str, AlertmanagerClient], read_only: bool
) -> OperatorRouter:
    """Real clusters: a KubeOperator, the cloud node-pool operator and Alertmanager clients."""
    return OperatorRouter(
        kube=kube,
        reader=KubeReader(kube) if kube is not None else None,
        node_pools=node_pools,
        silences=AlertmanagerSilences(silence_clients),
        read_only=read_only,
    )


class AlertmanagerSilences:
    """The router's Silencer over one AlertmanagerClient per cluster context."""

    def __init__(self, clients: Mapping[str, AlertmanagerClient]) -> None:
        self.clients = dict(clients)
        """Cluster context → client."""

    def _client(self, cluster: str) -> AlertmanagerClient:
        client = self.clients.get(cluster)
        if client is None:
            raise OperationError(f"no Alertmanager is configured for {cluster}", status=404)
        return client

    def create_silence(
        self,
        cluster: str,
        matchers: Mapping[str, str],
        duration_s: float,
        comment: str,
        author: str,
        *,
        dry_run: bool = False,
    ) -> str:
        """Create a silence in the cluster's Alertmanager; return its id."""
        return self._client(cluster).create_silence(
            matchers, duration_s, comment, author, dry_run=dry_run
        )

    def expire_silence(self, cluster: str, silence_id: str) -> None:
        """Expire a silence in the cluster's Alertmanager."""
        self._client(cluster).expire_silence(silence_id)

    def silence_state(self, cluster: str, silence_id: str) -> str:
        """The silence's ``status.state`` as Alertmanager lists it; blank when not listed."""
        for item in self._client(cluster).silences():
            if item.get("id") == silence_id:
                return str((item.get("status") or {}).get("state", ""))
        return ""
