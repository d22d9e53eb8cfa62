"""Acknowledge (``a``): a short Alertmanager silence whose comment says ``ack: ...``, so the
alert stays listed with who acknowledged it and how long ago; ``a`` again extends it.

A story's acknowledgement silences each of its alerts in its own cluster's Alertmanager.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from wundr_tui.actions.base import Change, Check, Plan, Progress, Unverified, permission_check
from wundr_tui.actions.capabilities import Silencer
from wundr_tui.actions.router import Router
from wundr_tui.actions.silence import format_duration, matchers_for
from wundr_tui.backends.base import OperationError
from wundr_tui.model import ACK_PREFIX, Alert, Cluster

MAX_ACK_COMMENT = 200
"""Characters of the ``ack: ...`` comment (the subject comes from outsiders' labels)."""


def ack_comment(alert: Alert) -> str:
    """``ack: HighErrorRate wundr-platform/api-gateway`` (bounded)."""
    return f"{ACK_PREFIX} {alert.name} {alert.subject}".strip()[:MAX_ACK_COMMENT]


def plan_ack(
    ops: Router,
    targets: Sequence[tuple[Cluster, Alert]],
    duration_s: float,
    author: str,
    *,
    what: str = "",
) -> Plan:
    """Check and describe acknowledging ``targets`` (alert, each on its cluster) for
    ``duration_s``: one silence per alert, in that cluster's Alertmanager."""
    todo = [(c, a) for c, a in targets if not a.ack_id]
    first = (todo or list(targets))[0][0]
    names = sorted({a.name for _, a in targets})
    changes = [
        Change(
            f"{c.short} {a.name}",
            a.state,
            f"acked {format_duration(duration_s)}: "
            + ", ".join(f"{k}={v}" for k, v in matchers_for(a).items()),
        )
        for c, a in todo
    ]
    changes += [Change("comment", "-", "ack: <alert> <subject>"), Change("author", "-", author)]
    plan = Plan(
        "ack",
        f"Acknowledge {what or ', '.join(names)} for {format_duration(duration_s)}",
        first,
        (todo or list(targets))[0][1].namespace,
        tuple(changes),
        subject=what or ", ".join(names),
    )
    checks = plan.checks
    if not todo:
        checks.append(Check("already acknowledged: a again extends it", False))
        return plan
    checks.append(Check("an author is set", bool(author.strip())))
    if not checks[-1].ok:
        return plan
    for cluster in dict.fromkeys(c for c, _ in todo):
        checks.append(permission_check(ops.writable(cluster.name), f"{cluster.short}: allowed"))
        if not checks[-1].ok:
            return plan
    try:
        for cluster, alert in todo:
            ops.backend(cluster.name, Silencer).create_silence(
                cluster.name,
                matchers_for(alert),
                duration_s,
                ack_comment(alert),
                author,
                dry_run=True,
            )
    except OperationError as exc:
        checks.append(Check(f"the silence would be refused: {exc}", False))
        return plan
    checks.append(Check("Alertmanager input checks passed", True))

    def execute(progress: Progress) -> str:
        made = []
        for cluster, alert in todo:
            progress(f"acknowledging {alert.name} on {cluster.short}…")
            silencer = ops.backend(cluster.name, Silencer)
            sid = silencer.create_silence(
                cluster.name, matchers_for(alert), duration_s, ack_comment(alert), author
            )
            state = silencer.silence_state(cluster.name, sid)
            if state and state not in ("active", "pending"):
                raise Unverified(f"silence {sid} is {state}")
            made.append(f"{alert.name} on {cluster.short} ({sid})")
        return f"acked by {author} for {format_duration(duration_s)}: " + "; ".join(made)

    plan.execute = execute
    return plan


def plan_extend(ops: Router, cluster: Cluster, alert: Alert, extra_s: float) -> Plan:
    """Check and describe extending the acknowledging silence on ``alert`` by ``extra_s``."""
    plan = Plan(
        "ack-extend",
        f"Extend the ack on {alert.name} by {format_duration(extra_s)}",
        cluster,
        alert.namespace,
        (
            Change(
                "ack",
                f"by {alert.acked_by}, ends {_clock(alert.ack_until)}",
                f"ends {_clock(alert.ack_until + extra_s)} (+{format_duration(extra_s)})",
            ),
            Change("silence", alert.ack_id or "-", "same id (POST /api/v2/silences with it)"),
        ),
        subject=alert.name,
    )
    if not alert.ack_id:
        plan.checks.append(Check(f"{alert.name} is not acknowledged: nothing to extend", False))
        return plan
    plan.checks.append(permission_check(ops.writable(cluster.name), "changes are allowed"))
    if not plan.checks[-1].ok:
        return plan
    try:
        ops.backend(cluster.name, Silencer).extend_silence(
            cluster.name, alert.ack_id, extra_s, dry_run=True
        )
    except OperationError as exc:
        plan.checks.append(Check(f"the extension would be refused: {exc}", False))
        return plan

    def execute(progress: Progress) -> str:
        progress(f"extending the ack on {alert.name} on {cluster.short}…")
        silencer = ops.backend(cluster.name, Silencer)
        sid = silencer.extend_silence(cluster.name, alert.ack_id, extra_s)
        state = silencer.silence_state(cluster.name, sid)
        if state and state not in ("active", "pending"):
            raise Unverified(f"silence {sid} is {state}")
        return f"ack on {alert.name} extended by {format_duration(extra_s)} on {cluster.short}"

    plan.execute = execute
    return plan


def _clock(ts: float) -> str:
    return time.strftime("%H:%M UTC", time.gmtime(ts)) if ts else "?"
