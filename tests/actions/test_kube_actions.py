"""Actions over HTTP against the fake apiserver: blue-green, scaling, HPA bounds and Velero
restores — each happy path, each refused precondition (nothing changes on the server and the
plan says why in words), conflicts, RBAC, dry-run rejection, read-only, and the audit log."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.kube_fixtures import (
    EKS_CONTEXT,
    GKE_CONTEXT,
    KubeWorld,
    assert_no_mutating_requests,
)
from wundr_tui.actions.base import InputError, cancel_plan, parse_count, run_plan
from wundr_tui.actions.blue_green import plan_switch
from wundr_tui.actions.capabilities import EndpointReader
from wundr_tui.actions.hpa import plan_hpa_bounds
from wundr_tui.actions.router import Router
from wundr_tui.actions.scale import plan_scale_deployment
from wundr_tui.actions.velero import parse_mapping, plan_restore
from wundr_tui.audit import AuditLog, read_entries
from wundr_tui.backends.kube import KubeOperator
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import Config
from wundr_tui.model import Backup, BlueGreenSpec, Cluster
from wundr_tui.wiring import live_router

NS = "wundr-platform"
SVC_KEY = f"{NS}/wundr-platform-service"
SPEC = BlueGreenSpec()


def _router(config: Config) -> tuple[Router, dict[str, Cluster]]:
    clusters = {c.name: c for c in discover_clusters(config)}
    router = live_router(
        KubeOperator(config, list(clusters.values())), None, {}, read_only=config.read_only
    )
    router.clusters = clusters
    return router, clusters


@pytest.fixture
def world(kube_world: KubeWorld) -> KubeWorld:
    """The fake platform with a Service whose selector picks one colour of every service:
    ``environment`` alone (the fixture's ``app: wundr`` matches no pod template)."""
    for server in kube_world.servers.values():
        svc = server.state.get("services", SVC_KEY)
        assert svc is not None
        svc["spec"]["selector"] = {"environment": "production-blue"}
        server.state.put("services", svc)
    return kube_world


@pytest.fixture
def ops(world: KubeWorld) -> Iterator[tuple[Router, dict[str, Cluster]]]:
    router, clusters = _router(Config())
    yield router, clusters
    kube = router.find(KubeOperator)
    assert kube is not None
    kube.close()


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "state" / "wundr-tui" / "audit.jsonl", user="oncall")


def selector(world: KubeWorld, context: str = EKS_CONTEXT) -> dict[str, str]:
    svc = world.servers[context].state.get("services", SVC_KEY)
    assert svc is not None
    return dict(svc["spec"]["selector"])


def replicas(world: KubeWorld, name: str) -> int:
    dep = world.eks.state.get("deployments", f"{NS}/{name}")
    assert dep is not None
    return int(dep["spec"]["replicas"])


def test_blue_green_switch_dry_run_then_patch_with_precondition_then_revert(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]], audit: AuditLog
) -> None:
    """Checks pass; the dialog's diff is blue → green; the patch goes after a dry run with the
    Service's resourceVersion; the revert plan switches back."""
    router, clusters = ops
    plan = plan_switch(router, clusters[EKS_CONTEXT], SPEC)
    assert plan.blocked is None, plan.checks
    assert [(c.before, c.after) for c in plan.changes] == [("production-blue", "production-green")]
    assert plan.details == ["blue (live): 8/8 ready", "green (target): 8/8 ready"]
    assert plan.typed_confirmation == "wundr-production"
    assert selector(world) == {"environment": "production-blue"}, "planning changes nothing"

    outcome = run_plan(plan, audit)
    assert outcome.result == "done", outcome.message
    assert "now sends traffic to green" in outcome.message
    assert selector(world) == {"environment": "production-green"}
    # Verification read the Service's EndpointSlices over HTTP (not the deprecated v1
    # Endpoints): they are green's pods now.
    slice_reads = world.eks.requests(lambda r: r.path.endswith("/endpointslices"))
    assert slice_reads and all(r.status == 200 for r in slice_reads)
    assert not world.eks.requests(lambda r: "/endpoints/" in r.path)
    endpoints = router.find(EndpointReader)  # type: ignore[type-abstract]
    assert endpoints is not None
    pods = endpoints.endpoint_pods(EKS_CONTEXT, NS, "wundr-platform-service")
    # Eight green pods, less the crash-looping payments-green one: not ready, no endpoint.
    assert pods and all("-green-" in p for p in pods) and len(pods) == 7
    patches = world.eks.requests(lambda r: r.method == "PATCH")
    assert [p.query.get("dryRun") for p in patches] == [["All"], ["All"], None]
    assert selector(world, GKE_CONTEXT) == {"environment": "production-blue"}, "one cluster only"

    assert plan.revert is not None
    back = plan.revert()
    assert [(c.before, c.after) for c in back.changes] == [("production-green", "production-blue")]
    assert run_plan(back, audit).result == "done"
    assert selector(world) == {"environment": "production-blue"}
    assert [e["result"] for e in read_entries(audit.path)] == ["done", "done"]


def test_green_not_ready_is_refused_and_nothing_is_sent(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]], audit: AuditLog
) -> None:
    """One green deployment with 1/2 ready: the plan says so; no PATCH, not even a dry run."""
    dep = world.eks.state.get("deployments", f"{NS}/payments-green")
    assert dep is not None
    dep["status"]["readyReplicas"] = dep["status"]["availableReplicas"] = 1
    world.eks.state.put("deployments", dep)
    router, clusters = ops
    plan = plan_switch(router, clusters[EKS_CONTEXT], SPEC)
    assert plan.blocked is not None and plan.blocked.startswith("green is not ready: 7/8 ready")
    outcome = run_plan(plan, audit)
    assert outcome.result == "refused" and "green is not ready" in outcome.message
    assert selector(world) == {"environment": "production-blue"}
    assert not world.eks.mutating_requests()
    (entry,) = read_entries(audit.path)
    assert entry["result"] == "refused" and "not ready" in entry["error"]


def test_conflict_when_the_service_changed_after_the_dialog_opened(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]], audit: AuditLog
) -> None:
    """Someone else touched the Service between plan and confirm: 409, nothing applied."""
    router, clusters = ops
    plan = plan_switch(router, clusters[EKS_CONTEXT], SPEC)
    assert plan.blocked is None
    svc = world.eks.state.get("services", SVC_KEY)
    assert svc is not None
    svc["metadata"].setdefault("annotations", {})["touched"] = "by someone else"
    world.eks.state.put("services", svc)
    outcome = run_plan(plan, audit)
    assert outcome.result == "failed"
    assert (
        "nothing was changed" in outcome.message and "changed since it was read" in outcome.message
    )
    assert selector(world) == {"environment": "production-blue"}
    assert read_entries(audit.path)[-1]["result"] == "failed"


def test_forbidden_is_shown_before_anything_is_sent(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]], audit: AuditLog
) -> None:
    """RBAC says no (SelfSubjectAccessReview): the plan is blocked with the reason."""
    world.eks.faults.forbidden = {("patch", "services")}
    router, clusters = ops
    plan = plan_switch(router, clusters[EKS_CONTEXT], SPEC)
    assert plan.blocked is not None and plan.blocked.startswith("forbidden: you may not patch")
    assert run_plan(plan, audit).result == "refused"
    assert not world.eks.mutating_requests()


def test_dry_run_rejected_blocks_the_plan(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]]
) -> None:
    """The apiserver rejects the dry run (an admission webhook, say): the plan says so."""
    world.eks.faults.add(
        "status", path="/services/wundr-platform-service", method="PATCH", status=500
    )
    router, clusters = ops
    plan = plan_switch(router, clusters[EKS_CONTEXT], SPEC)
    assert plan.blocked is not None and "dry run rejected" in plan.blocked
    assert selector(world) == {"environment": "production-blue"}


def test_scale_deployment_happy_path(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]], audit: AuditLog
) -> None:
    """orders-green has no HPA: 2 → 4 through the scale subresource, verified by reading back."""
    router, clusters = ops
    plan = plan_scale_deployment(router, clusters[EKS_CONTEXT], NS, "orders-green", 4)
    assert plan.blocked is None, plan.checks
    assert plan.warnings == ["+2 pods (cost up)"]
    assert replicas(world, "orders-green") == 2
    assert run_plan(plan, audit).result == "done"
    assert replicas(world, "orders-green") == 4
    scale = world.eks.requests(lambda r: r.method == "PATCH")
    assert all(r.path.endswith("/deployments/orders-green/scale") for r in scale)


def test_scale_refused_when_an_hpa_manages_the_deployment(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]], audit: AuditLog
) -> None:
    """orders-blue is the orders HPA's target: a manual scale would be undone."""
    router, clusters = ops
    plan = plan_scale_deployment(router, clusters[EKS_CONTEXT], NS, "orders-blue", 9)
    assert plan.blocked is not None
    assert "an HPA (orders) manages this deployment: it will undo a manual scale" in plan.blocked
    assert "change the HPA bounds instead" in plan.blocked
    assert run_plan(plan, audit).result == "refused"
    assert replicas(world, "orders-blue") == 2
    assert not world.eks.mutating_requests()


def test_validation_errors_in_words_and_nothing_sent(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]]
) -> None:
    """Form input is checked before any request; an HPA plan with min > max is blocked."""
    with pytest.raises(InputError, match="'three' is not a whole number"):
        parse_count("three", "replicas")
    with pytest.raises(InputError, match="between 0 and 1000"):
        parse_count("5000", "replicas")
    with pytest.raises(InputError, match="write old=new"):
        parse_mapping("wundr-platform")
    with pytest.raises(InputError, match="not a valid namespace name"):
        parse_mapping("wundr-platform=Bad_Name")
    router, clusters = ops
    plan = plan_hpa_bounds(router, clusters[EKS_CONTEXT], NS, "orders", 8, 3)
    assert plan.blocked == "1 ≤ min (8) ≤ max (3) ≤ 1000"
    assert not world.eks.mutating_requests()


def test_hpa_bounds_happy_path(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]], audit: AuditLog
) -> None:
    """orders is at its max (4): raising it to 12 says so, and applies."""
    router, clusters = ops
    plan = plan_hpa_bounds(router, clusters[EKS_CONTEXT], NS, "orders", 2, 12)
    assert plan.blocked is None, plan.checks
    assert "the HPA is at its max now: it will grow past the old max" in plan.warnings
    assert run_plan(plan, audit).result == "done"
    hpa = world.eks.state.get("horizontalpodautoscalers", f"{NS}/orders")
    assert hpa is not None and hpa["spec"]["maxReplicas"] == 12


def _backup(phase: str = "Completed") -> Backup:
    return Backup("wundr-daily-20251125", phase, 1.0, 2.0, None, "wundr-daily", 0, 1, 412, 412)


def test_velero_restore_with_namespace_mapping(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]], audit: AuditLog
) -> None:
    """A Restore object is created (after a dry run that creates nothing) with the mapping."""
    router, clusters = ops
    mapping = {NS: "wundr-platform-restore"}
    plan = plan_restore(router, clusters[GKE_CONTEXT], _backup(), (NS,), mapping, "none")
    assert plan.blocked is None, plan.checks
    assert world.gke.state.keys("restores") == ["velero/wundr-daily-20251125-drill"]
    outcome = run_plan(plan, audit)
    assert outcome.result == "done", outcome.message
    created = [k for k in world.gke.state.keys("restores") if not k.endswith("-drill")]
    assert len(created) == 1
    restore = world.gke.state.get("restores", created[0])
    assert restore is not None and restore["spec"]["namespaceMapping"] == mapping
    assert restore["spec"]["includedNamespaces"] == [NS]


def test_velero_restore_refusals(world: KubeWorld, ops: tuple[Router, dict[str, Cluster]]) -> None:
    """Velero missing, an unfinished backup, or no RBAC: each blocked with its reason."""
    router, clusters = ops
    eks = clusters[EKS_CONTEXT]
    missing = plan_restore(
        router, eks, _backup(), (), {}, "none", unavailable="Velero is not installed"
    )
    assert missing.blocked == "Velero is not installed"
    running = plan_restore(router, eks, _backup("InProgress"), (), {}, "none")
    assert running.blocked == "backup is InProgress: only a finished backup can be restored"
    world.eks.faults.forbidden = {("create", "restores")}
    denied = plan_restore(router, eks, _backup(), (), {}, "none")
    assert denied.blocked is not None and denied.blocked.startswith("forbidden")
    assert not world.eks.mutating_requests()


def test_read_only_sends_no_mutating_request(world: KubeWorld, audit: AuditLog) -> None:
    """--read-only: every action's plan is blocked with the reason; the request logs of both
    apiservers hold reads only."""
    router, clusters = _router(Config(read_only=True))
    eks, gke = clusters[EKS_CONTEXT], clusters[GKE_CONTEXT]
    plans = [
        plan_switch(router, eks, SPEC),
        plan_switch(router, gke, SPEC),
        plan_scale_deployment(router, eks, NS, "orders-green", 5),
        plan_hpa_bounds(router, eks, NS, "orders", 2, 12),
        plan_restore(router, gke, _backup(), (), {}, "none"),
    ]
    for plan in plans:
        assert plan.blocked is not None and "read-only" in plan.blocked, plan.checks
        assert run_plan(plan, audit).result == "refused"
    assert_no_mutating_requests(world.eks, world.gke)


def test_audit_log_one_line_per_attempt(
    world: KubeWorld, ops: tuple[Router, dict[str, Cluster]], audit: AuditLog
) -> None:
    """Done, cancelled and refused attempts: one JSON line each, mode 0600, every field."""
    router, clusters = ops
    eks = clusters[EKS_CONTEXT]
    cancel_plan(plan_switch(router, eks, SPEC), audit)
    run_plan(plan_scale_deployment(router, eks, NS, "orders-blue", 9), audit)
    run_plan(plan_scale_deployment(router, eks, NS, "orders-green", 3), audit)
    lines = audit.path.read_text().splitlines()
    assert len(lines) == 3
    entries = [json.loads(line) for line in lines]
    assert [e["result"] for e in entries] == ["cancelled", "refused", "done"]
    assert list(entries[0]) == [
        "time",
        "user",
        "host",
        "cluster",
        "action",
        "before",
        "after",
        "result",
        "error",
    ]
    assert entries[0]["before"] == {"selector environment": "production-blue"}
    assert entries[0]["after"] == {"selector environment": "production-green"}
    assert entries[2]["before"] == {"replicas": "2"} and entries[2]["after"] == {"replicas": "3"}
    assert all(e["user"] == "oncall" and e["cluster"] == EKS_CONTEXT for e in entries)
    assert stat.S_IMODE(os.stat(audit.path).st_mode) == 0o600
    assert "test-token" not in audit.path.read_text()
