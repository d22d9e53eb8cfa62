"""The protocols every backend implements: Source (emits events) and Operator (changes things)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from wundr_tui.events import Event

Emit = Callable[[Event], None]
"""Thread-safe: a source calls it from its own thread for each event."""


@runtime_checkable
class Source(Protocol):
    """Something that watches one system and emits events until told to stop."""

    name: str
    """Unique among sources: ``kube:CONTEXT``, ``eks:CLUSTER``, ``demo``."""

    def run(self, emit: Emit, stop: threading.Event) -> None:
        """Block, emitting events, until ``stop`` is set. Must not raise for I/O failures:
        report them as ``Health`` events and retry."""
        ...


class OperationError(Exception):
    """An operation was refused or failed; ``str()`` is a sentence for the user."""

    def __init__(self, message: str, *, status: int | None = None, conflict: bool = False):
        super().__init__(message)
        self.status = status
        """HTTP-like status where there was one (403, 404, 409, 422, 500...)."""
        self.conflict = conflict
        """The object changed since it was read (resourceVersion precondition failed)."""


@dataclass(frozen=True, slots=True)
class Permission:
    """Whether the user may take an action, and why not."""

    allowed: bool
    reason: str = ""


class Operator(Protocol):
    """Changes a cluster or cloud. Every call with ``dry_run=True`` must change nothing.

    Implementations raise OperationError with a readable message on refusal or failure.
    """

    def can(self, cluster: str, verb: str, resource: str, namespace: str = "") -> Permission:
        """Whether the user may ``verb`` the ``resource`` (SelfSubjectAccessReview or the like)."""
        ...

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
        ...

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
        """Merge-patch a Service's selector."""
        ...

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
        ...

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
        """Change a node pool's bounds and desired size."""
        ...

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
        ...
