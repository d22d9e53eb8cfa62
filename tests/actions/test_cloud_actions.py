"""Node pool resizing over HTTP (EKS on moto, GKE on the REST fake) and silences against a real
Alertmanager: happy paths, refusals that leave the cloud unchanged, read-only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.cloud_fixtures import SourceHarness
from tests.fakes.gcp import FakeGcp
from tests.fakes.servers import Process
from tests.integration import test_cloud_eks as eks_case
from tests.integration import test_cloud_gke as gke_case
from wundr_tui.actions.base import run_plan
from wundr_tui.actions.capabilities import Silencer
from wundr_tui.actions.node_pool import plan_node_pool
from wundr_tui.actions.router import Router
from wundr_tui.actions.silence import plan_expire, plan_silence
from wundr_tui.audit import AuditLog, read_entries
from wundr_tui.backends.alertmanager import AlertmanagerClient, AlertmanagerSilences
from wundr_tui.backends.cloud import CloudNodePoolOperator
from wundr_tui.model import Alert, Cluster, NodePool


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl", user="oncall")


def _router(sources: list[Any], cluster: Cluster, *, read_only: bool = False) -> Router:
    return Router(
        CloudNodePoolOperator(sources),
        read_only=read_only,
        clusters={cluster.name: cluster},
    )


def _scaling(eks: Any) -> tuple[int, int, int]:
    cfg = eks.describe_nodegroup(clusterName="wundr-production", nodegroupName="general")
    s = cfg["nodegroup"]["scalingConfig"]
    return s["minSize"], s["maxSize"], s["desiredSize"]


def test_eks_node_group_resize(aws: Callable[..., Any], moto_server: Any, audit: AuditLog) -> None:
    """general 2/6/3 → 3/10/5: warnings give the node delta and cost direction; the dry run
    changes nothing; the result is read back from EKS."""
    eks = aws("eks")
    eks_case.seed(eks)
    router = _router([eks_case.source(moto_server.url)], eks_case.CLUSTER)
    pool = NodePool("general", 2, 6, 3, "m6i.xlarge")
    plan = plan_node_pool(router, eks_case.CLUSTER, pool, 3, 10, 5)
    assert plan.blocked is None, plan.checks
    assert plan.warnings == ["+2 nodes (cost up)"]
    assert [c.text for c in plan.checks][
        -1
    ] == "EKS node group exists and accepts the change (dry run)"
    assert _scaling(eks) == (2, 6, 3)
    outcome = run_plan(plan, audit)
    assert outcome.result == "done", outcome.message
    assert _scaling(eks) == (3, 10, 5)
    assert read_entries(audit.path)[-1]["after"] == {"min": "3", "max": "10", "desired": "5"}


def test_eks_refusals_leave_the_group_unchanged(
    aws: Callable[..., Any], moto_server: Any, audit: AuditLog
) -> None:
    """Bad bounds, over the EKS limit, a missing group, read-only: blocked, nothing sent."""
    eks = aws("eks")
    eks_case.seed(eks)
    src = eks_case.source(moto_server.url)
    router = _router([src], eks_case.CLUSTER)
    pool = NodePool("general", 2, 6, 3, "m6i.xlarge")
    bad = plan_node_pool(router, eks_case.CLUSTER, pool, 4, 6, 3)
    assert bad.blocked == "0 ≤ min (4) ≤ desired (3) ≤ max (6) ≤ 450"
    huge = plan_node_pool(router, eks_case.CLUSTER, pool, 2, 600, 3)
    assert huge.blocked is not None and "≤ 450" in huge.blocked
    missing = plan_node_pool(router, eks_case.CLUSTER, NodePool("gone", 1, 3, 2, ""), 1, 4, 2)
    assert missing.blocked is not None and "not found" in missing.blocked
    at_max = plan_node_pool(router, eks_case.CLUSTER, NodePool("batch-spot", 0, 4, 4, ""), 0, 4, 3)
    assert at_max.blocked is None, at_max.checks
    assert at_max.warnings == ["-1 nodes (cost down)", "node pool at its max (4) now"]
    stale = plan_node_pool(router, eks_case.CLUSTER, NodePool("general", 2, 6, 6, ""), 2, 6, 5)
    assert [(c.what, c.before) for c in stale.changes][2] == ("desired", "3"), "the cloud's"
    assert stale.warnings == ["+2 nodes (cost up)"]
    read_only = _router([src], eks_case.CLUSTER, read_only=True)
    ro = plan_node_pool(read_only, eks_case.CLUSTER, pool, 3, 10, 5)
    assert ro.blocked is not None and "read-only" in ro.blocked
    for plan in (bad, huge, missing, ro):
        assert run_plan(plan, audit).result == "refused"
    assert _scaling(eks) == (2, 6, 3)
    assert len(read_entries(audit.path)) == 4


def test_gke_node_pool_resize_and_a_rejected_dry_run(
    gcp_fake: FakeGcp, gcp_credentials: Any, audit: AuditLog
) -> None:
    """A size that is not a multiple of the pool's zones is refused by the dry run; a good one
    is applied through setAutoscaling + setSize and followed to the end."""
    gke_case.seed(gcp_fake)
    router = _router([gke_case.source(gcp_fake, gcp_credentials)], gke_case.CLUSTER)
    pool = NodePool("general", 1, 3, 3, "e2-standard-4")
    rejected = plan_node_pool(router, gke_case.CLUSTER, pool, 3, 12, 4)
    assert rejected.blocked is not None
    assert "the cloud refused the dry run" in rejected.blocked
    assert "multiple of 3" in rejected.blocked
    assert not [r for r in gcp_fake.requests if r[0] == "POST"]
    plan = plan_node_pool(router, gke_case.CLUSTER, pool, 3, 12, 6)
    assert plan.blocked is None, plan.checks
    assert run_plan(plan, audit).result == "done"
    posts = [p for m, p in gcp_fake.requests if m == "POST"]
    assert posts == [
        f"/v1/{gke_case.PARENT}/nodePools/general:setAutoscaling",
        f"/v1/{gke_case.PARENT}/nodePools/general:setSize",
    ]


AM_CLUSTER = Cluster("kind-wundr", "other", "", "wundr-staging")


def _alert(silenced_by: tuple[str, ...] = ()) -> Alert:
    return Alert(
        "WundrApiGatewayDown",
        "f1",
        "critical",
        "firing",
        0.0,
        summary="api-gateway has no ready endpoints",
        namespace="wundr-platform",
        service="api-gateway",
        silenced_by=silenced_by,
    )


def test_silence_and_expire_against_real_alertmanager(
    alert_servers: tuple[Process, Process], cloud_harness: SourceHarness, audit: AuditLog
) -> None:
    """A silence with equality matchers on name, namespace and service, created through API v2
    and verified active; then expired and verified expired."""
    _, am = alert_servers
    client = AlertmanagerClient(am.url)
    router = Router(
        AlertmanagerSilences({AM_CLUSTER.name: client}),
        clusters={AM_CLUSTER.name: AM_CLUSTER},
    )
    before = len(client.silences())
    plan = plan_silence(router, AM_CLUSTER, _alert(), 7200, "deploying the fix", "oncall")
    assert plan.blocked is None, plan.checks
    assert plan.typed_confirmation is None, "not a production cluster"
    assert len(client.silences()) == before, "the dry run creates nothing"
    outcome = run_plan(plan, audit)
    assert outcome.result == "done", outcome.message
    (created,) = [s for s in client.silences() if s["status"]["state"] == "active"]
    assert {m["name"]: m["value"] for m in created["matchers"]} == {
        "alertname": "WundrApiGatewayDown",
        "namespace": "wundr-platform",
        "service": "api-gateway",
    }
    assert created["createdBy"] == "oncall" and created["comment"] == "deploying the fix"
    expire = plan_expire(router, AM_CLUSTER, _alert((created["id"],)))
    assert run_plan(expire, audit).result == "done"
    silencer = router.find(Silencer)  # type: ignore[type-abstract]
    assert silencer is not None
    assert silencer.silence_state(AM_CLUSTER.name, created["id"]) == "expired"
    assert [e["action"] for e in read_entries(audit.path)] == ["silence", "expire-silence"]


def test_silence_input_refused_before_sending(
    alert_servers: tuple[Process, Process], audit: AuditLog
) -> None:
    """No comment, no author, not silenced, read-only: each blocked; Alertmanager unchanged."""
    _, am = alert_servers
    client = AlertmanagerClient(am.url)
    router = Router(
        AlertmanagerSilences({AM_CLUSTER.name: client}),
        clusters={AM_CLUSTER.name: AM_CLUSTER},
    )
    before = client.silences()
    assert plan_silence(router, AM_CLUSTER, _alert(), 600, " ", "me").blocked == (
        "a comment says why"
    )
    assert plan_silence(router, AM_CLUSTER, _alert(), 600, "why", "").blocked == (
        "an author is set"
    )
    assert plan_expire(router, AM_CLUSTER, _alert()).blocked == (
        "WundrApiGatewayDown is not silenced: nothing to expire"
    )
    router.read_only = True
    ro = plan_silence(router, AM_CLUSTER, _alert(), 600, "why", "me")
    assert ro.blocked is not None and "read-only" in ro.blocked
    assert run_plan(ro, audit).result == "refused"
    assert client.silences() == before


def test_gke_permission_denied_is_a_plain_refusal(
    gcp_fake: FakeGcp, gcp_credentials: Any, audit: AuditLog
) -> None:
    """IAM says no (403 PERMISSION_DENIED): the dry run's answer blocks the plan in words and
    nothing is posted."""
    gke_case.seed(gcp_fake)
    router = _router([gke_case.source(gcp_fake, gcp_credentials)], gke_case.CLUSTER)
    gcp_fake.fail_with = 403
    plan = plan_node_pool(
        router, gke_case.CLUSTER, NodePool("general", 1, 3, 3, "e2-standard-4"), 3, 12, 6
    )
    gcp_fake.fail_with = None
    assert plan.blocked is not None and plan.blocked.startswith("the cloud refused the dry run")
    assert "permission" in plan.blocked.lower() or "403" in plan.blocked, plan.blocked
    assert run_plan(plan, audit).result == "refused"
    assert not [r for r in gcp_fake.requests if r[0] == "POST"]


def test_velero_missing_reads_the_store_health() -> None:
    """The Backups source reporting ``absent`` makes the restore unavailable, with why."""
    from wundr_tui.actions.velero import velero_missing
    from wundr_tui.model import Kind, SourceHealth

    absent = SourceHealth(
        "ctx",
        "kube/velero",
        "absent",
        0.0,
        "velero.io CRDs not installed",
        (Kind.SCHEDULE, Kind.BACKUP, Kind.RESTORE),
    )
    live = SourceHealth("ctx", "kube/velero", "live", 0.0, "", (Kind.BACKUP,))
    assert velero_missing([live]) is None
    why = velero_missing([absent])
    assert why == "restores are unavailable: Velero is not installed on this cluster"
