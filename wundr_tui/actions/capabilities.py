"""What a backend can do, one small protocol per capability (k9s's ``internal/dao/types.go``
is the model: ``Scalable``, ``Nuker`` ...).

A backend implements the methods it has and nothing else; the router finds it by
``isinstance`` on these runtime-checkable protocols, so no layer re-declares every operation
as a pass-through. Every mutating call takes ``dry_run``: with it, nothing may change.
Implementations raise ``OperationError`` with a sentence for the user on refusal or failure.
No Textual and no backend import here: backends match these shapes structurally.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from wundr_tui.backends.base import Permission
from wundr_tui.backends.endpoints import ServiceEndpoints
from wundr_tui.model import Kind, NodePool, Resource


@runtime_checkable
class Reader(Protocol):
    """Reads current objects straight from the cluster (not the store): preflight and verify
    must see the state the change will meet, not what the last frame showed."""

    def get(self, cluster: str, kind: Kind, namespace: str, name: str) -> Resource | None:
        """One object, or None when it does not exist."""
        ...

    def list(self, cluster: str, kind: Kind, namespace: str) -> Sequence[Resource]:
        """Every object of a kind in a namespace."""
        ...


@runtime_checkable
class EndpointReader(Protocol):
    """Tells which pods stand behind a Service's ready endpoints (blue-green verification):
    from its EndpointSlices, or v1 Endpoints where the server has no slices."""

    def service_endpoints(
        self,
        cluster: str,
        namespace: str,
        name: str,
        labels: Mapping[str, str] | None = None,
    ) -> ServiceEndpoints:
        """The ready endpoints and, with ``labels``, which are pods carrying them; what could
        not be read is in the answer's ``reason`` (never raises)."""
        ...


@runtime_checkable
class AccessReviewer(Protocol):
    """Answers whether the user may do something (a SelfSubjectAccessReview or the like)."""

    def can(self, cluster: str, verb: str, resource: str, namespace: str = "") -> Permission:
        """Whether the user may ``verb`` the ``resource`` in ``namespace``."""
        ...


@runtime_checkable
class Scalable(Protocol):
    """Sets a deployment's replicas (the scale subresource)."""

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
        """Set the replicas; ``resource_version`` is the precondition."""
        ...


@runtime_checkable
class SelectorPatcher(Protocol):
    """Merge-patches a Service's selector (the blue-green switch)."""

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
        """Set the given selector keys, keep the others."""
        ...


@runtime_checkable
class HpaBoundsPatcher(Protocol):
    """Changes an HPA's minReplicas / maxReplicas."""

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
        """Set both bounds at once."""
        ...


@runtime_checkable
class NodePoolScaler(Protocol):
    """Scales EKS node groups and GKE node pools (the cloud operator, the demo fleet)."""

    def scale_node_pool(
        self,
        cluster: str,
        pool: str,
        min_size: int,
        max_size: int,
        desired: int,
        *,
        dry_run: bool = False,
    ) -> NodePool | None:
        """Change bounds and size; return the pool as applied where the backend knows it."""
        ...


@runtime_checkable
class Restorer(Protocol):
    """Creates Velero Restores from backups."""

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
        """Create a Restore; return its name."""
        ...


@runtime_checkable
class Silencer(Protocol):
    """Creates and expires Alertmanager silences, by cluster."""

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
        """Create a silence; return its id."""
        ...

    def extend_silence(
        self, cluster: str, silence_id: str, extra_s: float, *, dry_run: bool = False
    ) -> str:
        """Make an active silence end ``extra_s`` later; return its id now."""
        ...

    def expire_silence(self, cluster: str, silence_id: str) -> None:
        """End a silence now."""
        ...

    def silence_state(self, cluster: str, silence_id: str) -> str:
        """``active`` / ``expired`` / ``pending``, or blank when unknown."""
        ...


CAPABILITIES: tuple[type, ...] = (
    Reader,
    EndpointReader,
    AccessReviewer,
    Scalable,
    SelectorPatcher,
    HpaBoundsPatcher,
    NodePoolScaler,
    Restorer,
    Silencer,
)
"""Every capability the router knows, for tests and for describing a backend."""
