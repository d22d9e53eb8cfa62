"""The router: decides once whether a cluster may be changed, then hands out the backend that
has the capability an action needs.

Writability is decided here and only here (the UI asks it before a form, the plans before a
dry run): the read-only flag, the cluster's ``read_only`` in the config, and the cluster's own
RBAC answer through ``can``. The backend keeps its own last guard (the kube operator refuses in
read-only mode whatever it is asked). Dispatch is by capability: ``backend(cluster, Scalable)``
is the first backend given that implements ``Scalable`` (see ``capabilities``); there is no
pass-through method per operation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from wundr_tui.actions.capabilities import (
    AccessReviewer,
    EndpointReader,
    HpaBoundsPatcher,
    NodePoolScaler,
    Reader,
    Restorer,
    Scalable,
    SelectorPatcher,
    Silencer,
)
from wundr_tui.backends.base import OperationError, Permission
from wundr_tui.model import Cluster

C = TypeVar("C")

_KUBE = "no Kubernetes operator is configured"
MISSING: dict[type, str] = {
    Reader: "cannot read the cluster's current state (no reader)",
    EndpointReader: "cannot read the service's endpoints",
    AccessReviewer: _KUBE,
    Scalable: _KUBE,
    SelectorPatcher: _KUBE,
    HpaBoundsPatcher: _KUBE,
    Restorer: _KUBE,
    NodePoolScaler: "node pools cannot be scaled here (no cloud operator)",
    Silencer: "no Alertmanager is configured for silences",
}
"""What the user reads when no backend has a capability."""


class Router:
    """Backends in priority order (the first with a capability serves it), the read-only
    switch and the known clusters."""

    def __init__(
        self,
        *backends: object,
        read_only: bool = False,
        clusters: Mapping[str, Cluster] | None = None,
    ) -> None:
        self.backends: list[object] = [b for b in backends if b is not None]
        """Everything that can read or change something, first served first."""
        self.read_only = read_only
        """Refuse every change (``--read-only`` or ``read_only = true``)."""
        self.clusters: Mapping[str, Cluster] = clusters if clusters is not None else {}
        """Known clusters by context (the app passes the store's live mapping)."""

    # -- the one decision ----------------------------------------------------------------------

    def writable(self, cluster: str) -> Permission:
        """Whether anything may be changed on this cluster at all, and why not."""
        c = self.clusters.get(cluster)
        label = c.short if c is not None else cluster
        if self.read_only:
            return Permission(False, "read-only mode (--read-only): actions are disabled")
        if c is not None and c.read_only:
            return Permission(False, f"{label} is read-only in the config")
        return Permission(True)

    def can(self, cluster: str, verb: str, resource: str, namespace: str = "") -> Permission:
        """Writability first, then the cluster's own answer (SelfSubjectAccessReview)."""
        permission = self.writable(cluster)
        if not permission.allowed:
            return permission
        reviewer = self.find(AccessReviewer)
        if reviewer is None:
            return Permission(False, MISSING[AccessReviewer])
        return reviewer.can(cluster, verb, resource, namespace)

    # -- dispatch -------------------------------------------------------------------------------

    def find(self, capability: type[C]) -> C | None:
        """The first backend with ``capability``, or None (reads: no writability gate)."""
        for backend in self.backends:
            if isinstance(backend, capability):
                return backend
        return None

    def backend(self, cluster: str, capability: type[C]) -> C:
        """The backend that makes this change on ``cluster``; OperationError (nothing sent)
        when the cluster may not be changed or nothing here can do it."""
        permission = self.writable(cluster)
        if not permission.allowed:
            raise OperationError(f"{permission.reason}; nothing was sent", status=403)
        found = self.find(capability)
        if found is None:
            raise OperationError(MISSING.get(capability, f"nothing here can {capability.__name__}"))
        return found

    def reader(self) -> Reader:
        """Fresh reads for preflight and verification; OperationError when there are none."""
        found = self.find(Reader)
        if found is None:
            raise OperationError(MISSING[Reader])
        return found


def as_router(operator: Any, *, read_only: bool, clusters: Mapping[str, Cluster]) -> Router:
    """What the app was given (a router, or one backend such as the demo fleet that is reader
    and operator at once) as a router over the app's clusters."""
    router = operator if isinstance(operator, Router) else Router(operator)
    router.read_only = router.read_only or read_only
    router.clusters = clusters
    return router
