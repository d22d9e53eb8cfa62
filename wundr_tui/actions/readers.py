"""Fresh reads for preflight and verification, and adapters that give every backend the
router's shapes: the Kubernetes apiserver, the demo fleet, and Alertmanager clients."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from wundr_tui.actions.base import OperatorRouter
from wundr_tui.backends import kube_parse
from wundr_tui.backends.alertmanager import AlertmanagerClient
from wundr_tui.backends.base import OperationError
from wundr_tui.backends.demo import DemoFleet
from wundr_tui.model import Kind, Resource, Service

_PATHS: dict[Kind, tuple[str, str, Callable[[Any], Resource]]] = {
    Kind.SERVICE: ("/api/v1", "services", kube_parse.service),
    Kind.DEPLOYMENT: ("/apis/apps/v1", "deployments", kube_parse.deployment),
    Kind.HPA: ("/apis/autoscaling/v2", "horizontalpodautoscalers", kube_parse.hpa),
    Kind.BACKUP: ("/apis/velero.io/v1", "backups", kube_parse.backup),
    Kind.RESTORE: ("/apis/velero.io/v1", "restores", kube_parse.restore),
}


class KubeReader:
    """Reads objects with GETs through a KubeOperator's clients (same credentials)."""

    def __init__(self, operator: Any) -> None:
        self.operator = operator
        """A ``KubeOperator`` (its ``http(cluster)`` gives the context's client)."""

    def _get(self, cluster: str, path: str) -> Any:
        from wundr_tui.backends.kube import ApiStatusError

        try:
            return self.operator.http(cluster).json("GET", path)
        except ApiStatusError as exc:
            if exc.status == 404:
                return None
            raise OperationError(
                f"cannot read {path} on {cluster}: {exc.status} {exc.message}", status=exc.status
            ) from None
        except OperationError:
            raise
        except Exception as exc:
            raise OperationError(f"cannot read from {cluster}: {exc}") from None

    def _path(self, kind: Kind, namespace: str, name: str = "") -> tuple[str, Any]:
        spec = _PATHS.get(kind)
        if spec is None:
            raise OperationError(f"cannot read {kind} from Kubernetes")
        prefix, plural, parse = spec
        path = f"{prefix}/namespaces/{quote(namespace, safe='')}/{plural}"
        if name:
            path += "/" + quote(name, safe="")
        return path, parse

    def get(self, cluster: str, kind: Kind, namespace: str, name: str) -> Resource | None:
        """One object (a Service also gets its ready endpoint count)."""
        path, parse = self._path(kind, namespace, name)
        obj = self._get(cluster, path)
        if obj is None:
            return None
        resource: Resource = parse(obj)
        if isinstance(resource, Service):
            endpoints = self._ready_endpoints(cluster, namespace, name)
            resource = Service(
                resource.namespace,
                resource.name,
                resource.selector,
                resource.resource_version,
                endpoints,
            )
        return resource

    def _ready_endpoints(self, cluster: str, namespace: str, name: str) -> int:
        """Ready addresses of a Service's Endpoints; -1 when they cannot be read."""
        pods = self.endpoint_pods(cluster, namespace, name)
        return -1 if pods is None else len(pods)

    def endpoint_pods(self, cluster: str, namespace: str, name: str) -> list[str] | None:
        """Names of the pods behind a Service's ready endpoint addresses; None when the
        Endpoints cannot be read (not served, forbidden, unreachable)."""
        ns, svc = quote(namespace, safe=""), quote(name, safe="")
        try:
            obj = self._get(cluster, f"/api/v1/namespaces/{ns}/endpoints/{svc}")
        except OperationError:
            return None
        if obj is None:
            return None
        return [
            str((address.get("targetRef") or {}).get("name") or address.get("ip") or "")
            for subset in obj.get("subsets") or []
            for address in subset.get("addresses") or []
        ]

    def list(self, cluster: str, kind: Kind, namespace: str) -> Sequence[Resource]:
        """Every object of a kind in a namespace."""
        path, parse = self._path(kind, namespace)
        obj = self._get(cluster, path) or {}
        return [parse(item) for item in obj.get("items") or []]


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
