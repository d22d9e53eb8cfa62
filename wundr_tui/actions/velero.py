"""Velero restore: pick a backup, choose namespaces, an optional namespace mapping and the
existing-resource policy; create a ``velero.io/v1`` Restore; its phase and progress then show
live in the Backups pane.

Preflight: Velero is installed (its CRDs answer), the backup is finished (Completed or
PartiallyFailed), namespace names are valid, the user may create Restores in Velero's namespace,
and a server-side dry run of the create is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from wundr_tui.actions.base import (
    Change,
    Check,
    InputError,
    Plan,
    Progress,
    Unverified,
    permission_check,
)
from wundr_tui.actions.capabilities import Reader, Restorer
from wundr_tui.actions.router import Router
from wundr_tui.backends.base import OperationError
from wundr_tui.format import format_age, plural
from wundr_tui.model import Backup, Cluster, Kind, Restore, SourceHealth

POLICIES = ("none", "update")
"""Velero's existingResourcePolicy values: keep what exists, or update it from the backup."""

VELERO_NAMESPACE = "velero"
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_RESTORABLE = ("Completed", "PartiallyFailed")


def backups_newest_first(backups: Iterable[Backup]) -> list[Backup]:
    """Backups by start time, newest first (unstarted ones last)."""
    return sorted(backups, key=lambda b: -(b.started or 0.0))


def describe_backup(b: Backup, now: float) -> str:
    """``daily-backup-20251125  Completed  3h  0 err 1 warn`` (fits the form's chooser)."""
    age = format_age(now - b.started) if b.started else "-"
    return f"{b.name}  {b.phase}  {age}  {b.errors} err {b.warnings} warn"


def parse_namespaces(text: str) -> tuple[str, ...]:
    """``a, b`` → ``("a", "b")``; every name a DNS label."""
    names = tuple(n for n in (p.strip() for p in text.replace(" ", ",").split(",")) if n)
    for n in names:
        if not _DNS_LABEL.match(n):
            raise InputError(f"namespaces: {n!r} is not a valid namespace name")
    return names


def parse_mapping(text: str) -> dict[str, str]:
    """``old=new, a=b`` → ``{"old": "new", "a": "b"}``; blank means no mapping."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        src, sep, dst = part.partition("=")
        src, dst = src.strip(), dst.strip()
        if not sep or not src or not dst:
            raise InputError(f"mapping: write old=new, not {part!r}")
        for n in (src, dst):
            if not _DNS_LABEL.match(n):
                raise InputError(f"mapping: {n!r} is not a valid namespace name")
        if src in out:
            raise InputError(f"mapping: {src} is mapped twice")
        out[src] = dst
    return out


def parse_restore(
    backup: str, namespaces: str, mapping: str, policy: str, backups: Mapping[str, Backup]
) -> tuple[Backup, tuple[str, ...], dict[str, str], str]:
    """The restore form: the chosen backup (one of ``backups``, by name), the namespaces, the
    mapping and the existing-resource policy; InputError in words."""
    chosen = backups.get(backup)
    if chosen is None:
        raise InputError("pick a backup")
    names = parse_namespaces(namespaces)
    moved = parse_mapping(mapping)
    if policy not in POLICIES:
        raise InputError("existing resources: none or update")
    return chosen, names, moved, policy


def velero_missing(healths: Sequence[SourceHealth]) -> str | None:
    """Why restores are unavailable on a cluster (Velero not installed), or None."""
    for h in healths:
        if Kind.BACKUP in h.kinds and h.state == "absent":
            why = "restores are unavailable: Velero is not installed on this cluster"
            extra = h.reason and "not installed" not in h.reason.lower()
            return f"{why} ({h.reason})" if extra else why
    return None


def plan_restore(
    ops: Router,
    cluster: Cluster,
    backup: Backup,
    namespaces: Sequence[str],
    mapping: Mapping[str, str],
    policy: str,
    *,
    unavailable: str | None = None,
) -> Plan:
    """Check and describe restoring ``backup`` (``unavailable``: why Velero cannot be used)."""
    target = ", ".join(namespaces) or "all namespaces in the backup"
    moved = ", ".join(f"{a}→{b}" for a, b in mapping.items()) or "none"
    plan = Plan(
        "restore",
        f"Restore from {backup.name}",
        cluster,
        VELERO_NAMESPACE,
        (
            Change("restore", "-", f"new Restore from {backup.name}"),
            Change("namespaces", "-", target),
            Change("mapping", "-", moved),
            Change("existing resources", "-", policy),
        ),
        subject=backup.name,
        details=[
            f"backup {backup.phase}: {plural(backup.errors, 'error')}, "
            f"{plural(backup.warnings, 'warning')}, "
            f"{backup.items_done}/{backup.items_total} items"
        ],
    )
    checks = plan.checks
    if unavailable:
        checks.append(Check(unavailable, False))
        return plan
    checks.append(
        Check(
            f"backup is {backup.phase}"
            if backup.phase in _RESTORABLE
            else f"backup is {backup.phase}: only a finished backup can be restored",
            backup.phase in _RESTORABLE,
        )
    )
    checks.append(
        Check(
            f"existing-resource policy {policy!r} is valid"
            if policy in POLICIES
            else f"existing-resource policy must be none or update, not {policy!r}",
            policy in POLICIES,
        )
    )
    if unmapped := [src for src in mapping if namespaces and src not in namespaces]:
        checks.append(Check(f"mapping names namespaces not restored: {', '.join(unmapped)}", False))
    if backup.errors:
        plan.warnings.append(
            f"the backup had {plural(backup.errors, 'error')}: some items may be missing"
        )
    if policy == "update":
        plan.warnings.append("existing resources will be overwritten from the backup")
    if not all(c.ok for c in checks):
        return plan
    p = ops.can(cluster.name, "create", "restores.velero.io", VELERO_NAMESPACE)
    checks.append(permission_check(p, "you may create Velero restores"))
    if not p.allowed:
        return plan
    try:
        ops.backend(cluster.name, Restorer).create_restore(
            cluster.name, backup.name, namespaces, mapping, policy, dry_run=True
        )
    except OperationError as exc:
        checks.append(Check(f"server-side dry run rejected the restore: {exc}", False))
        return plan
    checks.append(Check("server-side dry run accepted the restore", True))

    def execute(progress: Progress) -> str:
        progress(f"creating a restore from {backup.name} on {cluster.short}…")
        name = ops.backend(cluster.name, Restorer).create_restore(
            cluster.name, backup.name, namespaces, mapping, policy
        )
        reader = ops.find(Reader)
        if reader is not None:
            created = reader.get(cluster.name, Kind.RESTORE, VELERO_NAMESPACE, name)
            if not isinstance(created, Restore):
                raise Unverified(f"restore {name} was created but cannot be read back")
        return f"restore {name} created on {cluster.short}: follow it in the Backups pane"

    plan.execute = execute
    return plan
