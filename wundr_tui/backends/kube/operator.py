"""Kubernetes actions: scale, switch a Service selector, change HPA bounds, create a Velero
Restore, and the access reviews that say whether the user may."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from wundr_tui.backends.base import OperationError, Permission
from wundr_tui.backends.kube.credentials import EXEC_TIMEOUT, ExecPluginError
from wundr_tui.backends.kube.http import (
    ApiClientLoader,
    ApiStatusError,
    KubeHttp,
    describe_error,
    is_config_error,
    load_api_client,
)
from wundr_tui.backends.kube.kinds import BadPathSegment, group_of, resource
from wundr_tui.config import Config
from wundr_tui.model import Cluster


class KubeOperator:
    """Kubernetes actions for every watched context: scale, switch a Service selector, change
    HPA bounds, create a Velero Restore; each can run as a server-side dry run first."""

    def __init__(
        self,
        config: Config,
        clusters: Iterable[Cluster],
        kube_config_loader: ApiClientLoader | None = None,
        *,
        velero_namespace: str = "velero",
        exec_timeout: float = EXEC_TIMEOUT,
        timeout: tuple[float, float] = (10.0, 30.0),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.clusters: dict[str, Cluster] = {c.name: c for c in clusters}
        """Known clusters by context name."""
        self.read_only = config.read_only
        """Refuse every change on every cluster."""
        self.read_only_contexts = {c.context for c in config.clusters if c.read_only}
        """Contexts the config marks read-only."""
        self.velero_namespace = velero_namespace
        """Where Velero's Restores are created."""
        self._loader = kube_config_loader or partial(load_api_client, exec_timeout=exec_timeout)
        self._timeout = timeout
        self._clock = clock
        self._http: dict[str, KubeHttp] = {}
        self._lock = threading.Lock()
        self.can_ttl = 60.0
        """Seconds an access review answer is reused (the UI asks often; RBAC rarely changes)."""
        self._can_cache: dict[tuple[str, str, str, str], tuple[float, Permission]] = {}

    def http(self, cluster: str) -> KubeHttp:
        """The client of one context (created on first use)."""
        if cluster not in self.clusters:
            raise OperationError(f"unknown cluster {cluster!r}")
        with self._lock:
            http = self._http.get(cluster)
            if http is None:
                http = self._http[cluster] = KubeHttp(cluster, self._loader)
            return http

    def close(self) -> None:
        """Close every client."""
        with self._lock:
            https, self._http = list(self._http.values()), {}
        for http in https:
            http.close()

    def _locked(self, cluster: Cluster) -> bool:
        # The backend's own last guard, behind the router's decision (actions/router.py):
        # whatever it is asked, a read-only operator sends nothing that is not a read.
        return self.read_only or cluster.read_only or cluster.name in self.read_only_contexts

    def _writable(self, cluster: str) -> None:
        c = self.clusters.get(cluster)
        if c is None:
            raise OperationError(f"unknown cluster {cluster!r}")
        if self._locked(c):
            raise OperationError(f"{c.short} is read-only: nothing was changed")

    def _send(
        self,
        cluster: str,
        method: str,
        path: str,
        what: str,
        *,
        body: Any = None,
        content_type: str = "",
        dry_run: bool = False,
    ) -> Any:
        query: list[tuple[str, Any]] = [("dryRun", "All")] if dry_run else []
        if method == "POST" and not content_type:
            content_type = "application/json"
        try:
            return self.http(cluster).json(
                method,
                path,
                query,
                body=body,
                content_type=content_type,
                timeout=self._timeout,
            )
        except OperationError:
            raise
        except ApiStatusError as exc:
            raise _operation_error(exc, self.clusters[cluster], method, what) from None
        except Exception as exc:
            if is_config_error(exc) or isinstance(exc, ExecPluginError):
                raise OperationError(
                    f"cannot load credentials for {self.clusters[cluster].short}: {exc}"
                ) from None
            reason = describe_error(exc, self.clusters[cluster], method.lower(), what)
            raise OperationError(f"cannot reach {self.clusters[cluster].short}: {reason}") from None

    def can(self, cluster: str, verb: str, resource: str, namespace: str = "") -> Permission:
        """Ask the apiserver (SelfSubjectAccessReview) whether this user may ``verb`` the
        ``resource`` (``deployments/scale``, ``services``, ``restores.velero.io``)."""
        c = self.clusters.get(cluster)
        if c is None:
            return Permission(False, f"unknown cluster {cluster!r}")
        if self._locked(c) and verb not in ("get", "list", "watch"):
            return Permission(False, f"{c.short} is read-only in wundr-tui")
        key = (cluster, verb, resource, namespace)
        cached = self._can_cache.get(key)
        if cached is not None and self._clock() - cached[0] < self.can_ttl:
            return cached[1]
        name, _, subresource = resource.partition("/")
        plural, _, group = name.partition(".")
        if not group:
            group = group_of(plural)
        attributes: dict[str, str] = {"verb": verb, "resource": plural, "group": group}
        if subresource:
            attributes["subresource"] = subresource
        if namespace:
            attributes["namespace"] = namespace
        body = {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": {"resourceAttributes": attributes},
        }
        try:
            answer = self._send(
                cluster,
                "POST",
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                "access reviews",
                body=body,
            )
        except OperationError as exc:
            return Permission(False, str(exc))
        status = (answer or {}).get("status") or {}
        if status.get("allowed"):
            permission = Permission(True)
        else:
            where = f" in {namespace}" if namespace else ""
            why = status.get("reason") or ""
            reason = f"forbidden: you may not {verb} {resource}{where}"
            permission = Permission(False, f"{reason} ({why})" if why else reason)
        self._can_cache[key] = (self._clock(), permission)
        return permission

    def scale_deployment(
        self,
        cluster: str,
        namespace: str,
        name: str,
        replicas: int,
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Set a deployment's replicas through the scale subresource."""
        self._writable(cluster)
        if replicas < 0:
            raise OperationError(f"replicas must be 0 or more, not {replicas}")
        patch: dict[str, Any] = {"spec": {"replicas": replicas}}
        if resource_version:
            patch["metadata"] = {"resourceVersion": resource_version}
        self._send(
            cluster,
            "PATCH",
            _object_path("deployments", namespace, name, "scale"),
            f"deployment {namespace}/{name}",
            body=patch,
            content_type="application/merge-patch+json",
            dry_run=dry_run,
        )

    def patch_service_selector(
        self,
        cluster: str,
        namespace: str,
        name: str,
        selector: Mapping[str, str],
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Merge-patch a Service's selector (keys given are set; others are kept)."""
        self._writable(cluster)
        if not selector:
            raise OperationError("refusing to patch an empty selector (it would match nothing)")
        patch: dict[str, Any] = {"spec": {"selector": dict(selector)}}
        if resource_version:
            patch["metadata"] = {"resourceVersion": resource_version}
        self._send(
            cluster,
            "PATCH",
            _object_path("services", namespace, name),
            f"service {namespace}/{name}",
            body=patch,
            content_type="application/merge-patch+json",
            dry_run=dry_run,
        )

    def patch_hpa_bounds(
        self,
        cluster: str,
        namespace: str,
        name: str,
        min_replicas: int,
        max_replicas: int,
        *,
        dry_run: bool = False,
        resource_version: str | None = None,
    ) -> None:
        """Change an HPA's minReplicas / maxReplicas."""
        self._writable(cluster)
        if min_replicas < 1 or max_replicas < min_replicas:
            raise OperationError(
                f"need 1 ≤ min ≤ max, got min {min_replicas} and max {max_replicas}"
            )
        patch: dict[str, Any] = {"spec": {"minReplicas": min_replicas, "maxReplicas": max_replicas}}
        if resource_version:
            patch["metadata"] = {"resourceVersion": resource_version}
        self._send(
            cluster,
            "PATCH",
            _object_path("horizontalpodautoscalers", namespace, name),
            f"HPA {namespace}/{name}",
            body=patch,
            content_type="application/merge-patch+json",
            dry_run=dry_run,
        )

    def scale_node_pool(
        self,
        cluster: str,
        pool: str,
        min_size: int,
        max_size: int,
        desired: int,
        *,
        dry_run: bool = False,
    ) -> None:
        """Node pools belong to the cloud (EKS / GKE backends), not to Kubernetes."""
        raise OperationError(f"node pool {pool} is scaled through the cloud's API, not Kubernetes")

    def create_restore(
        self,
        cluster: str,
        backup: str,
        included_namespaces: Sequence[str],
        namespace_mapping: Mapping[str, str],
        existing_resource_policy: str = "none",
        *,
        dry_run: bool = False,
    ) -> str:
        """Create a Velero Restore from a backup; return the Restore's name."""
        self._writable(cluster)
        if existing_resource_policy not in ("none", "update"):
            raise OperationError(
                f"existing resource policy must be none or update, not {existing_resource_policy!r}"
            )
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(self._clock()))
        name = f"{backup}-{stamp}"[:253]
        spec: dict[str, Any] = {
            "backupName": backup,
            "existingResourcePolicy": existing_resource_policy,
        }
        if included_namespaces:
            spec["includedNamespaces"] = list(included_namespaces)
        if namespace_mapping:
            spec["namespaceMapping"] = dict(namespace_mapping)
        body = {
            "apiVersion": "velero.io/v1",
            "kind": "Restore",
            "metadata": {"name": name, "namespace": self.velero_namespace},
            "spec": spec,
        }
        answer = self._send(
            cluster,
            "POST",
            _object_path("restores", self.velero_namespace),
            f"restore {name}",
            body=body,
            dry_run=dry_run,
        )
        return str(((answer or {}).get("metadata") or {}).get("name") or name)


def _object_path(plural: str, namespace: str, name: str = "", subresource: str = "") -> str:
    """An object's URL with every segment quoted; a name that cannot be a segment is refused
    before anything is sent."""
    try:
        return resource(plural).object_path(namespace, name, subresource)
    except BadPathSegment as exc:
        raise OperationError(f"refused: {exc}") from None


def _operation_error(
    exc: ApiStatusError, cluster: Cluster, method: str, what: str
) -> OperationError:
    verb = {"PATCH": "change", "POST": "create", "PUT": "replace", "DELETE": "delete"}.get(
        method, method.lower()
    )
    if exc.status == 409:
        return OperationError(
            f"{what} changed since it was read; look again and retry",
            status=409,
            conflict=True,
        )
    if exc.unauthenticated:
        return OperationError(describe_error(exc, cluster, verb, what), status=exc.status)
    if exc.status == 403:
        return OperationError(
            f"forbidden: you may not {verb} {what} on {cluster.short}", status=403
        )
    if exc.status == 404:
        return OperationError(f"{what} not found on {cluster.short}", status=404)
    if exc.status == 422:
        return OperationError(
            f"the apiserver rejected the change to {what}: {exc.message}", status=422
        )
    detail = f": {exc.message}" if exc.message else ""
    return OperationError(
        f"could not {verb} {what} on {cluster.short} ({exc.status} {exc.reason}{detail})",
        status=exc.status,
    )
