"""Acknowledge (``a``) over a real Alertmanager on loopback: the ack is a silence with the
alert's matchers, the configured duration, the author and an ``ack:`` comment; the alert then
stays listed as "acked by ..."; extending it POSTs the silence again with its id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.fakes.cloud_fixtures import SourceHarness, alert_servers, cloud_harness
from tests.fakes.servers import Process
from wundr_tui import handoff
from wundr_tui.actions.ack import plan_ack, plan_extend
from wundr_tui.actions.base import run_plan
from wundr_tui.actions.router import Router
from wundr_tui.audit import AuditLog, read_entries
from wundr_tui.backends.alertmanager import (
    AlertmanagerAlertSource,
    AlertmanagerClient,
    AlertmanagerSilences,
)
from wundr_tui.backends.alerts import AlertFeed, parse_rfc3339
from wundr_tui.model import Alert, Cluster, Kind

__all__ = ["alert_servers", "cloud_harness"]

CLUSTER = Cluster("kind-wundr", "other", "", "wundr-staging")


def _down(store: Any) -> Alert | None:
    found = [
        a
        for a in store.items(CLUSTER.name, Kind.ALERT).values()
        if isinstance(a, Alert) and a.name == "WundrApiGatewayDown"
    ]
    return found[0] if found else None


def _row_detail(store: Any) -> str:
    rows = [i for i in store.incidents() if i.what == "ALERT"]
    return rows[0].detail if rows else ""


def test_ack_then_extend_over_real_alertmanager(
    alert_servers: tuple[Process, Process], cloud_harness: SourceHarness, tmp_path: Path
) -> None:
    _, am = alert_servers
    audit = AuditLog(tmp_path / "audit.jsonl")
    client = AlertmanagerClient(am.url)
    router = Router(AlertmanagerSilences({CLUSTER.name: client}), clusters={CLUSTER.name: CLUSTER})
    cloud_harness.start(
        AlertFeed(CLUSTER.name, [AlertmanagerAlertSource(CLUSTER.name, am.url)], poll_seconds=0.3)
    )
    cloud_harness.wait(lambda s: _down(s) is not None, 30, "the firing alert")
    alert = _down(cloud_harness.store)
    assert alert is not None and not alert.acked_by

    plan = plan_ack(router, [(CLUSTER, alert)], 3600, "alice")
    assert plan.blocked is None, plan.checks
    assert not [s for s in client.silences() if s["status"]["state"] == "active"], "dry run"
    assert run_plan(plan, audit).result == "done"
    (made,) = [s for s in client.silences() if s["status"]["state"] == "active"]
    assert {m["name"]: m["value"] for m in made["matchers"]} == {
        "alertname": "WundrApiGatewayDown",
        "namespace": "wundr-platform",
        "service": "api-gateway",
    }
    assert all(m["isEqual"] and not m["isRegex"] for m in made["matchers"])
    assert made["createdBy"] == "alice"
    assert made["comment"] == "ack: WundrApiGatewayDown wundr-platform/api-gateway"
    ends = parse_rfc3339(made["endsAt"])
    assert abs(ends - parse_rfc3339(made["startsAt"]) - 3600) < 5

    # The feed joins the silence: the alert is acked (not hidden) and its incident says so.
    cloud_harness.wait(lambda s: (a := _down(s)) is not None and a.acked_by == "alice", 15, "ack")
    acked = _down(cloud_harness.store)
    assert acked is not None and acked.ack_id == made["id"]
    (row,) = [i for i in cloud_harness.store.incidents() if i.what == "ALERT"]
    assert row.detail.startswith("acked by alice "), row.detail
    assert "59m left" in row.detail or "60m left" in row.detail

    extend = plan_extend(router, CLUSTER, acked, 3600)
    assert extend.blocked is None, extend.checks
    assert run_plan(extend, audit).result == "done"
    active = [s for s in client.silences() if s["status"]["state"] == "active"]
    assert len(active) == 1, active
    assert abs(parse_rfc3339(active[0]["endsAt"]) - ends - 3600) < 2
    assert active[0]["createdBy"] == "alice" and active[0]["comment"] == made["comment"]
    assert [e["action"] for e in read_entries(audit.path)] == ["ack", "ack-extend"]

    # The hand-off notes over the same live store and audit log: the alert is listed as acked
    # (not hidden), the timeline has it firing, the audit section has the ack and its extension.
    cloud_harness.wait(
        lambda s: "120m left" in _row_detail(s) or "119m left" in _row_detail(s),
        15,
        "the extended ack",
    )
    notes = handoff.render(cloud_harness.store, read_entries(audit.path), {CLUSTER.name: "kind"})
    sections = notes.split("\n## ")
    stories, changes, actions = (
        next(s for s in sections if s.startswith(h)) for h in ("Stories", "Timeline", "Recent")
    )
    (row,) = [ln for ln in stories.splitlines() if "WundrApiGatewayDown" in ln]
    assert row.startswith("CRIT kind  ALERT"), row
    assert "acked by alice " in row and "m left" in row, row
    told = [ln.partition("api-gateway  ")[2] for ln in changes.splitlines() if "Down" in ln]
    assert told[-1].startswith("firing (critical)"), changes
    assert any(t.startswith("acked by alice until ") for t in told), changes
    assert not any(t.startswith("resolved") for t in told), "an ack is not a resolution"
    audit_lines = [ln for ln in actions.splitlines() if "alice" in ln or "ack" in ln]
    assert len(audit_lines) == 2 and "ack-extend" in audit_lines[1], actions

    router.read_only = True
    refused = plan_ack(router, [(CLUSTER, alert)], 3600, "alice")
    assert refused.blocked is not None and "read-only" in refused.blocked
    assert cloud_harness.stop() < 2.0
