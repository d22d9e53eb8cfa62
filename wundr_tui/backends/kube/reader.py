"""Fresh reads that actions need for preflight and verification (one object, a list in a
namespace, the pods behind a Service's ready endpoints) and the whole object the detail and
YAML views show (``fetch``), through an operator's clients. Secrets are never read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from wundr_tui.backends.base import FullObject, OperationError, is_secret, without_secrets
from wundr_tui.backends.endpoints import ServiceEndpoints
from wundr_tui.backends.kube.endpoints import service_endpoints
from wundr_tui.backends.kube.http import ApiStatusError, KubeHttp
from wundr_tui.backends.kube.kinds import BadPathSegment, KindSpec, spec_for
from wundr_tui.model import Kind, Resource, Service


class HttpProvider(Protocol):
    """What the reader needs of a KubeOperator: the client of one context."""

    def http(self, cluster: str) -> KubeHttp:
        """The client of one context."""
        ...


class KubeReader:
    """Reads objects with GETs through a KubeOperator's clients (same credentials)."""

    def __init__(self, operator: HttpProvider) -> None:
        self.operator = operator
        """A ``KubeOperator`` (its ``http(cluster)`` gives the context's client)."""

    def _get(self, cluster: str, path: str) -> Any:
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

    @staticmethod
    def _spec(kind: Kind) -> KindSpec:
        spec = spec_for(kind)
        if spec is None or spec.reduce is None:
            raise OperationError(f"cannot read {kind} from Kubernetes")
        return spec

    @staticmethod
    def _path(spec: KindSpec, namespace: str, name: str = "") -> str:
        try:
            return spec.object_path(namespace, name)
        except BadPathSegment as exc:
            raise OperationError(f"refused: {exc}") from None

    def fetch(self, cluster: str, kind: Kind, namespace: str, name: str) -> FullObject | None:
        """The whole object as the server has it, for the detail and YAML views (the
        Inspector protocol); None when it is gone. Secrets are refused before any request, and
        a ``data`` / ``stringData`` field is dropped whatever the kind says."""
        spec = spec_for(kind)
        if spec is None:
            raise OperationError(f"{kind} is not a Kubernetes object")
        if is_secret(spec.plural) or is_secret(str(kind)):
            raise OperationError("secrets are never read")
        obj = self._get(cluster, self._path(spec, namespace, name))
        if obj is None:
            return None
        if not isinstance(obj, dict) or is_secret(str(obj.get("kind") or "")):
            raise OperationError(f"refused: {spec.plural}/{name} did not answer with the object")
        return without_secrets(obj)

    def get(self, cluster: str, kind: Kind, namespace: str, name: str) -> Resource | None:
        """One object (a Service also gets its ready endpoint count)."""
        spec = self._spec(kind)
        obj = self._get(cluster, self._path(spec, namespace, name))
        if obj is None:
            return None
        resource = spec.parser(obj)
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
        """Ready endpoints of a Service (its EndpointSlices, else Endpoints); -1 when they
        cannot be read."""
        pods = self.endpoint_pods(cluster, namespace, name)
        return -1 if pods is None else len(pods)

    def endpoint_pods(self, cluster: str, namespace: str, name: str) -> list[str] | None:
        """Names of the pods behind a Service's ready endpoints; None when they cannot be
        read (see ``service_endpoints``)."""
        seen = self.service_endpoints(cluster, namespace, name)
        return list(seen.ready) if seen.readable else None

    def service_endpoints(
        self,
        cluster: str,
        namespace: str,
        name: str,
        labels: Mapping[str, str] | None = None,
    ) -> ServiceEndpoints:
        """A Service's ready endpoints from its EndpointSlices (v1 Endpoints only where the
        server has no slices) and, with ``labels``, which are pods carrying them (the
        EndpointReader protocol). Never raises: what could not be read is in ``reason``."""
        try:
            http = self.operator.http(cluster)
        except Exception as exc:  # an unknown context, a kubeconfig gone bad
            return ServiceEndpoints("", reason=f"cannot reach {cluster}: {exc}")

        def get(path: str, query: list[tuple[str, Any]]) -> Any:
            return http.json("GET", path, query)

        try:
            return service_endpoints(get, namespace, name, labels)
        except BadPathSegment as exc:
            return ServiceEndpoints("", reason=f"refused: {exc}", lasting=True)

    def list(self, cluster: str, kind: Kind, namespace: str) -> Sequence[Resource]:
        """Every object of a kind in a namespace."""
        spec = self._spec(kind)
        obj = self._get(cluster, self._path(spec, namespace)) or {}
        return [spec.parser(item) for item in obj.get("items") or []]
