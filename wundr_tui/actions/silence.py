"""Silence an alert through Alertmanager API v2, and expire a silence.

The silence matches the alert's name and, where the alert has them, its namespace and service
(equality matchers: never a regex that could hide more than meant). Duration, comment and author
are checked before anything is sent; the author defaults to the config's ``author`` or ``$USER``.
"""

from __future__ import annotations

import re
import time

from wundr_tui.actions.base import (
    Change,
    Check,
    InputError,
    Plan,
    Progress,
    Unverified,
    permission_check,
)
from wundr_tui.actions.capabilities import Silencer
from wundr_tui.actions.router import Router
from wundr_tui.backends.base import OperationError
from wundr_tui.model import Alert, Cluster

MAX_SILENCE = 14 * 86400
"""Longest silence the cockpit creates: two weeks."""

_DURATION = re.compile(r"^(\d+)\s*([smhd]?)$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "": 60}


def parse_duration(text: str) -> float:
    """``90m``, ``2h``, ``1d``, ``45`` (minutes) → seconds; InputError in words."""
    m = _DURATION.match(text.strip().lower())
    if not m:
        raise InputError(f"duration: write 30m, 2h or 1d, not {text.strip()!r}")
    seconds = int(m.group(1)) * _UNITS[m.group(2)]
    if not 60 <= seconds <= MAX_SILENCE:
        raise InputError("duration: between 1 minute and 14 days")
    return float(seconds)


def parse_silence(duration: str, comment: str, author: str) -> tuple[float, str, str]:
    """The silence form: (seconds, comment, author), each required; InputError in words."""
    seconds = parse_duration(duration)
    if not comment.strip():
        raise InputError("comment: say why (it is shown to everyone)")
    if not author.strip():
        raise InputError("author: who is silencing")
    return seconds, comment.strip(), author.strip()


def format_duration(seconds: float) -> str:
    """``2h``, ``90m``, ``1d``."""
    s = int(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if s % size == 0:
            return f"{s // size}{unit}"
    return f"{s}s"


def matchers_for(alert: Alert) -> dict[str, str]:
    """Equality matchers that select this alert (name, and namespace/service when known)."""
    out = {"alertname": alert.name}
    if alert.namespace:
        out["namespace"] = alert.namespace
    if alert.service:
        out["service"] = alert.service
    return out


def plan_silence(
    ops: Router,
    cluster: Cluster,
    alert: Alert,
    duration_s: float,
    comment: str,
    author: str,
    *,
    now: float | None = None,
) -> Plan:
    """Check and describe silencing ``alert`` for ``duration_s`` (``now``: the clock the
    dialog's "until" is computed from; default the system's)."""
    matchers = matchers_for(alert)
    start = time.time() if now is None else now
    until = time.strftime("%H:%M UTC", time.gmtime(start + duration_s))
    plan = Plan(
        "silence",
        f"Silence {alert.name}",
        cluster,
        alert.namespace,
        (
            Change("alert", alert.state, f"silenced {format_duration(duration_s)} (to {until})"),
            Change("matchers", "-", ", ".join(f"{k}={v}" for k, v in matchers.items())),
            Change("comment", "-", comment.strip()),
            Change("author", "-", author.strip()),
        ),
        subject=alert.name,
        details=[f"{alert.severity} · {alert.summary or alert.description or alert.subject}"],
    )
    checks = plan.checks
    checks.append(Check("a comment says why", bool(comment.strip())))
    checks.append(Check("an author is set", bool(author.strip())))
    if not all(c.ok for c in checks):
        return plan
    checks.append(permission_check(ops.writable(cluster.name), "changes are allowed"))
    if not checks[-1].ok:
        return plan
    try:
        ops.backend(cluster.name, Silencer).create_silence(
            cluster.name, matchers, duration_s, comment, author, dry_run=True
        )
    except OperationError as exc:
        checks.append(Check(f"the silence would be refused: {exc}", False))
        return plan
    checks.append(Check("Alertmanager input checks passed", True))

    def execute(progress: Progress) -> str:
        progress(f"silencing {alert.name} on {cluster.short}…")
        silencer = ops.backend(cluster.name, Silencer)
        sid = silencer.create_silence(cluster.name, matchers, duration_s, comment, author)
        state = silencer.silence_state(cluster.name, sid)
        if state and state not in ("active", "pending"):
            raise Unverified(f"silence {sid} is {state}")
        return f"{alert.name} silenced for {format_duration(duration_s)} on {cluster.short} ({sid})"

    plan.execute = execute
    return plan


def plan_expire(ops: Router, cluster: Cluster, alert: Alert) -> Plan:
    """Check and describe expiring the silence(s) that cover ``alert``."""
    ids = alert.silenced_by
    # An alert no silence covers has nothing to expire: no "silence → expired" change beside
    # the check that says so (the dialog said both), only why nothing can be done.
    plan = Plan(
        "expire-silence",
        f"Expire the silence on {alert.name}",
        cluster,
        alert.namespace,
        (Change("silence", ", ".join(ids), "expired"),) if ids else (),
        subject=alert.name,
    )
    if not ids:
        plan.checks.append(Check(f"{alert.name} is not silenced: nothing to expire", False))
        return plan
    plan.checks.append(permission_check(ops.writable(cluster.name), "changes are allowed"))
    if not plan.checks[-1].ok:
        return plan

    def execute(progress: Progress) -> str:
        silencer = ops.backend(cluster.name, Silencer)
        for sid in ids:
            progress(f"expiring silence {sid} on {cluster.short}…")
            silencer.expire_silence(cluster.name, sid)
        for sid in ids:
            state = silencer.silence_state(cluster.name, sid)
            if state and state != "expired":
                raise Unverified(f"silence {sid} is still {state}")
        return f"silence on {alert.name} expired on {cluster.short}: it alerts again"

    plan.execute = execute
    return plan
