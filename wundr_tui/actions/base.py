"""What every action shares: the plan (checks → diff → execute → verify → audit) and the router
that sends each operation to the backend that owns it.

An action is built in two steps, both off the UI thread: a *plan* function reads the live state,
runs the preflight checks (permissions, target health, a server-side dry run) and returns a
``Plan`` whose ``changes`` are the exact before → after lines the dialog shows; ``run_plan``
then executes it with preconditions, verifies the result and writes the audit line. A plan
whose checks failed cannot run: ``run_plan`` records it as refused and sends nothing.
No Textual here: the screens show plans, this module makes and runs them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from wundr_tui.audit import AuditLog, AuditResult
from wundr_tui.backends.base import OperationError, Operator, Permission
from wundr_tui.model import Cluster, Kind, NodePool, Resource

Progress = Callable[[str], None]
"""Called (from the worker thread) with a short sentence each time a step starts."""


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the diff: what changes, from what, to what."""

    what: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Check:
    """One preflight check and its answer in plain words."""

    text: str
    ok: bool


@dataclass
class Plan:
    """A checked, not yet executed change, ready for the confirmation dialog."""

    action: str
    """Short name for the audit log: ``blue-green``, ``scale``, ``hpa-bounds``, ``node-pool``,
    ``restore``, ``silence``, ``expire-silence``."""
    title: str
    """One line for the dialog's heading: ``Switch wundr-platform-service to green``."""
    cluster: Cluster
    namespace: str
    changes: tuple[Change, ...]
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    """Extra context lines for the dialog (ready counts of both colours...)."""
    execute: Callable[[Progress], str] | None = None
    """Applies the change with preconditions, verifies it and returns what was verified.
    Raises OperationError (nothing applied) or ``Unverified`` (applied, not confirmed)."""
    revert: Callable[[], Plan] | None = None
    """Builds the plan that undoes this one (blue-green), for the one-key revert."""
    subject: str = ""
    """What the action is about (``wundr-platform/wundr-platform-service``)."""

    @property
    def blocked(self) -> str | None:
        """Why this plan may not run (the first failed check), or None."""
        for check in self.checks:
            if not check.ok:
                return check.text
        if self.execute is None:
            return "nothing to do"
        return None

    @property
    def typed_confirmation(self) -> str | None:
        """The name the user must type to confirm (production clusters), or None."""
        c = self.cluster
        if c.production or "prod" in c.name.lower() or "prod" in c.cluster_name.lower():
            return c.cluster_name or c.name
        return None

    @property
    def cloud_label(self) -> str:
        """``AWS us-east-1`` / ``GCP us-central1``."""
        cloud = {"aws": "AWS", "gcp": "GCP"}.get(self.cluster.cloud, "Kubernetes")
        return f"{cloud} {self.cluster.region}".strip()

    def before(self) -> dict[str, str]:
        """The ``before`` side of the diff, for the audit log."""
        return {c.what: c.before for c in self.changes}

    def after(self) -> dict[str, str]:
        """The ``after`` side of the diff, for the audit log."""
        return {c.what: c.after for c in self.changes}


class Unverified(Exception):
    """The change was applied but verification did not confirm it; ``str()`` says what."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to a plan, for the user and the tests."""

    plan: Plan
    result: AuditResult
    message: str
    """A sentence for the user."""

    @property
    def ok(self) -> bool:
        """Applied and verified."""
        return self.result == "done"


def _audit(audit: AuditLog | None, plan: Plan, result: AuditResult, error: str = "") -> str:
    """Write the line; a failure to write is reported, never hidden."""
    if audit is None:
        return ""
    try:
        audit.record(
            plan.cluster.name, plan.action, plan.before(), plan.after(), result, error=error
        )
    except OSError as exc:
        return f" (audit log not written: {exc.strerror or exc})"
    return ""


def run_plan(plan: Plan, audit: AuditLog | None, progress: Progress = lambda _: None) -> Outcome:
    """Execute a confirmed plan, verify it and write one audit line. Never raises."""
    trouble = audit.problem() if audit is not None else None
    if trouble is not None:  # an action that could not be recorded is not made
        return Outcome(plan, "refused", f"not done: {trouble}")
    why = plan.blocked
    if why is not None or plan.execute is None:
        note = _audit(audit, plan, "refused", why or "")
        return Outcome(plan, "refused", f"not done: {why}{note}")
    try:
        verified = plan.execute(progress)
    except OperationError as exc:
        note = _audit(audit, plan, "failed", str(exc))
        return Outcome(plan, "failed", f"{plan.title} failed, nothing was changed: {exc}{note}")
    except Unverified as exc:
        note = _audit(audit, plan, "unverified", str(exc))
        return Outcome(plan, "unverified", f"{plan.title}: applied but not verified: {exc}{note}")
    except Exception as exc:  # a bug or an unexpected answer: say so, never crash the UI
        note = _audit(audit, plan, "failed", f"{type(exc).__name__}: {exc}")
        return Outcome(plan, "failed", f"{plan.title} failed: {type(exc).__name__}: {exc}{note}")
    note = _audit(audit, plan, "done")
    return Outcome(plan, "done", f"{verified}{note}")


def cancel_plan(plan: Plan, audit: AuditLog | None) -> Outcome:
    """The user said no (or the plan was refused and dismissed): record it, send nothing."""
    why = plan.blocked
    if why is not None:
        note = _audit(audit, plan, "refused", why)
        return Outcome(plan, "refused", f"not done: {why}{note}")
    note = _audit(audit, plan, "cancelled")
    return Outcome(plan, "cancelled", f"cancelled: nothing was changed{note}")


def wait_until(
    check: Callable[[], str | None], timeout: float, interval: float = 0.25
) -> str | None:
    """Call ``check`` until it returns None (verified) or ``timeout``; return the last failure."""
    deadline = time.monotonic() + timeout
    while True:
        failure = check()
        if failure is None or time.monotonic() >= deadline:
            return failure
        time.sleep(interval)


# -- reading and routing ------------------------------------------------------------------


class Reader(Protocol):
    """Reads current objects straight from the cluster (not the store): preflight and verify
    must see the state the change will meet, not what the last frame showed."""

    def get(self, cluster: str, kind: Kind, namespace: str, name: str) -> Resource | None:
        """One object, or None when it does not exist."""
        ...

    def list(self, cluster: str, kind: Kind, namespace: str) -> Sequence[Resource]:
        """Every object of a kind in a namespace."""
        ...


class NodePoolScaler(Protocol):
    """What scales node pools (CloudNodePoolOperator, the demo fleet)."""

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


class Silencer(Protocol):
    """What creates and expires Alertmanager silences, by cluster."""

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

    def expire_silence(self, cluster: str, silence_id: str) -> None:
        """End a silence now."""
        ...

    def silence_state(self, cluster: str, silence_id: str) -> str:
        """``active`` / ``expired`` / ``pending``, or blank when unknown."""
        ...


class OperatorRouter:
    """Sends each operation to its backend: Kubernetes objects to the kube operator, node pools
    to the cloud operator, silences to the cluster's Alertmanager.

    It is also the read-only gate: with ``read_only`` (or a cluster marked read-only) every
    mutating call, dry runs included, raises before any request is made.
    """

    def __init__(
        self,
        *,
        kube: Operator | None = None,
        reader: Reader | None = None,
        node_pools: NodePoolScaler | None = None,
        silences: Silencer | None = None,
        read_only: bool = False,
        clusters: Mapping[str, Cluster] | None = None,
    ) -> None:
        self.kube = kube
        """Kubernetes operations (scale, selector, HPA bounds, Velero restores)."""
        self.reader = reader
        """Fresh reads for preflight and verification."""
        self.node_pools = node_pools
        """EKS / GKE node pool scaling."""
        self.silences = silences
        """Alertmanager silences."""
        self.read_only = read_only
        """Refuse every change."""
        self.clusters: Mapping[str, Cluster] = clusters if clusters is not None else {}
        """Known clusters by context (the app passes the store's live mapping)."""

    # -- gate --------------------------------------------------------------------------------

    def writable(self, cluster: str) -> Permission:
        """Whether anything may be changed on this cluster at all, and why not."""
        c = self.clusters.get(cluster)
        label = c.short if c is not None else cluster
        if self.read_only:
            return Permission(False, "read-only mode (--read-only): actions are disabled")
        if c is not None and c.read_only:
            return Permission(False, f"{label} is read-only in the config")
        return Permission(True)

    def _gate(self, cluster: str) -> None:
        permission = self.writable(cluster)
        if not permission.allowed:
            raise OperationError(f"{permission.reason}; nothing was sent", status=403)

    def _kube(self, cluster: str) -> Operator:
        self._gate(cluster)
        if self.kube is None:
            raise OperationError("no Kubernetes operator is configured")
        return self.kube

    def _reader(self) -> Reader:
        if self.reader is None:
            raise OperationError("cannot read the cluster's current state (no reader)")
        return self.reader

    def get(self, cluster: str, kind: Kind, namespace: str, name: str) -> Resource | None:
        """A fresh read of one object."""
        return self._reader().get(cluster, kind, namespace, name)

    def list(self, cluster: str, kind: Kind, namespace: str) -> Sequence[Resource]:
        """A fresh list of one kind in one namespace."""
        return self._reader().list(cluster, kind, namespace)

    def endpoint_pods(self, cluster: str, namespace: str, service: str) -> Sequence[str] | None:
        """Pods behind a Service's ready endpoints, where the reader can tell (else None)."""
        read = getattr(self.reader, "endpoint_pods", None)
        if read is None:
            return None
        pods: Sequence[str] | None = read(cluster, namespace, service)
        return pods

    # -- Operator ----------------------------------------------------------------------------

    def can(self, cluster: str, verb: str, resource: str, namespace: str = "") -> Permission:
        """Read-only first, then the cluster's own answer (SelfSubjectAccessReview)."""
        permission = self.writable(cluster)
        if not permission.allowed:
            return permission
        if self.kube is None:
            return Permission(False, "no Kubernetes operator is configured")
        return self.kube.can(cluster, verb, resource, namespace)

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
        """Scale subresource, through the kube operator."""
        self._kube(cluster).scale_deployment(
            cluster, namespace, name, replicas, dry_run=dry_run, resource_version=resource_version
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
        """Merge-patch a Service's selector, through the kube operator."""
        self._kube(cluster).patch_service_selector(
            cluster, namespace, name, selector, dry_run=dry_run, resource_version=resource_version
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
        """HPA min/max, through the kube operator."""
        self._kube(cluster).patch_hpa_bounds(
            cluster,
            namespace,
            name,
            min_replicas,
            max_replicas,
            dry_run=dry_run,
            resource_version=resource_version,
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
    ) -> NodePool | None:
        """Node pools belong to the cloud: the cloud operator scales them."""
        self._gate(cluster)
        if self.node_pools is None:
            raise OperationError("node pools cannot be scaled here (no cloud operator)")
        return self.node_pools.scale_node_pool(
            cluster, pool, min_size, max_size, desired, dry_run=dry_run
        )

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
        """A Velero Restore, through the kube operator."""
        return self._kube(cluster).create_restore(
            cluster,
            backup,
            included_namespaces,
            namespace_mapping,
            existing_resource_policy,
            dry_run=dry_run,
        )

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
        """A silence in the cluster's Alertmanager."""
        self._gate(cluster)
        if self.silences is None:
            raise OperationError("no Alertmanager is configured for silences")
        return self.silences.create_silence(
            cluster, matchers, duration_s, comment, author, dry_run=dry_run
        )

    def expire_silence(self, cluster: str, silence_id: str) -> None:
        """Expire a silence in the cluster's Alertmanager."""
        self._gate(cluster)
        if self.silences is None:
            raise OperationError("no Alertmanager is configured for silences")
        self.silences.expire_silence(cluster, silence_id)

    def silence_state(self, cluster: str, silence_id: str) -> str:
        """A silence's state as Alertmanager reports it (blank when unknown)."""
        if self.silences is None:
            return ""
        return self.silences.silence_state(cluster, silence_id)


def as_router(operator: Any, *, read_only: bool, clusters: Mapping[str, Cluster]) -> OperatorRouter:
    """Wrap whatever the app was given (a router, or a bare Operator) into a router."""
    from wundr_tui.actions.readers import demo_router
    from wundr_tui.backends.demo import DemoFleet

    if isinstance(operator, OperatorRouter):
        router = operator
    elif isinstance(operator, DemoFleet):
        router = demo_router(operator)
    else:
        router = OperatorRouter(kube=operator)
    router.read_only = router.read_only or read_only
    router.clusters = clusters
    return router


def require(obj: Any, kind: type[Any], what: str) -> Any:
    """The object if it is of ``kind``, else an OperationError saying it is gone."""
    if not isinstance(obj, kind):
        raise OperationError(f"{what} not found (it may have been deleted)", status=404)
    return obj
