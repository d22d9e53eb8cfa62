"""The building blocks of the detail view's facts (a Fact, a Section, server text made safe
and cut, times for people) and the facts of the kinds the store alone knows: node pools,
replica links, alerts, Velero objects. ``details`` builds the Kubernetes kinds' on these.
Pure: no I/O, no Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeAlias

from wundr_tui.format import ack_words, format_age, format_bytes, format_seconds
from wundr_tui.model import Alert, Backup, BackupSchedule, NodePool, ReplicaLink, Restore
from wundr_tui.safe_text import safe
from wundr_tui.store import Store

Tone: TypeAlias = Literal["", "bad", "warn", "good", "dim", "link"]
"""How a value is coloured: the view maps tones to styles."""

MAX_VALUE = 2_000
"""Longest value shown (a 1 MB annotation is cut with … ; the YAML view shows it whole)."""

Obj: TypeAlias = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Fact:
    """One line of the view: a label and its value."""

    label: str
    value: str
    tone: Tone = ""


@dataclass(frozen=True, slots=True)
class Section:
    """A titled group of facts (``Containers``, ``Labels``...)."""

    title: str
    facts: tuple[Fact, ...]


def text(value: Any) -> str:
    """A value from the server, made safe and cut to ``MAX_VALUE`` characters."""
    s = safe(value if isinstance(value, str) else str(value))
    return s if len(s) <= MAX_VALUE else s[: MAX_VALUE - 1] + "…"


def dig(obj: Any, *path: str) -> Any:
    """``obj[a][b]...`` or None, whatever shape the server sent."""
    for part in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(part)
    return obj


def dig_list(obj: Any, *path: str) -> list[Any]:
    value = dig(obj, *path)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def parse_time(value: Any) -> float | None:
    """RFC 3339 from the server → seconds since the epoch (None when absent or malformed)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def when(t: float | None, now: float) -> str:
    """``3m ago (00:01:54Z)``: relative first, the time beside it."""
    if not t:
        return "-"
    stamp = datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    return f"{format_age(now - t)} ago ({stamp})"


def condition_sections(full: Obj | None) -> list[Section]:
    facts = [
        Fact(
            text(c.get("type") or "?"),
            " · ".join(text(c[k]) for k in ("status", "reason", "message") if c.get(k)),
            "good" if c.get("status") == "True" else "warn",
        )
        for c in dig_list(full, "status", "conditions")
    ]
    return [Section("Conditions", tuple(facts))] if facts else []


def node_pool_sections(store: Store, cluster: str, pool: NodePool) -> list[Section]:
    """Bounds, desired, ready nodes, machine, capacity type, version, health."""
    ready, total = store.pool_nodes(cluster, pool.name)
    bounds = (
        "unknown (no cloud credentials)"
        if pool.min_size < 0
        else f"min {pool.min_size} · max {pool.max_size}"
    )
    facts = [
        Fact("status", pool.status, "good" if pool.status in ("ACTIVE", "RUNNING") else "warn"),
        Fact("nodes", f"{ready}/{total} ready", "good" if ready == total else "warn"),
        Fact("bounds", bounds),
        Fact(
            "desired", "-" if pool.desired < 0 else str(pool.desired), "warn" if pool.at_max else ""
        ),
        Fact("autoscaling", "on" if pool.autoscaling else "off"),
        Fact("machine", pool.machine_type or "-"),
    ]
    for label, value in (
        ("capacity", pool.capacity_type),
        ("version", pool.version),
        ("location policy", pool.location_policy),
    ):
        if value:
            facts.append(Fact(label, value))
    if pool.at_max:
        facts.append(Fact("at max", "the pool cannot grow any further", "bad"))
    if pool.health:
        facts.append(Fact("health", pool.health, "bad"))
    return [Section("Node pool", tuple(facts))]


PROVIDER_STATE = {
    "rds": "RDS says",
    "cloudsql": "Cloud SQL says",
    "postgres": "pg_stat_replication",
}
"""Where a link's own state word comes from, as the detail view labels it."""


def replica_sections(link: ReplicaLink, now: float) -> list[Section]:
    """Primary → replica, regions, lag in seconds and bytes, state."""
    lag = "unknown" if link.lag_seconds is None else format_seconds(link.lag_seconds)
    facts = [
        Fact("engine", link.engine),
        Fact("primary", f"{link.primary} ({link.primary_region})"),
        Fact("replica", f"{link.replica} ({link.replica_region})"),
        Fact("state", link.replication, "good" if link.replication == "streaming" else "warn"),
        Fact(PROVIDER_STATE.get(link.engine, "provider state"), link.state),
        Fact("lag", lag, "warn" if link.lag_seconds is None or link.lag_seconds > 30 else "good"),
    ]
    if link.lag_bytes is not None:
        facts.append(Fact("lag bytes", format_bytes(link.lag_bytes)))
    if link.sync_state:
        facts.append(Fact("sync", link.sync_state))
    facts.append(Fact("sampled", when(link.sampled, now)))
    return [Section("Replication", tuple(facts))]


# -- alerts and backups --------------------------------------------------------------------


def alert_sections(alert: Alert, now: float) -> list[Section]:
    """State, severity, since; every label and annotation (runbook_url as a link); silences."""
    facts = [
        Fact("state", alert.state, "bad" if alert.state == "firing" else "warn"),
        Fact("severity", alert.severity, "bad" if alert.severity == "critical" else "warn"),
        Fact("since", when(alert.starts_at, now)),
        Fact("source", alert.source or "-"),
    ]
    if alert.summary:
        facts.append(Fact("summary", cut(alert.summary)))
    if alert.description:
        facts.append(Fact("description", cut(alert.description)))
    if alert.group:
        facts.append(Fact("group", cut(alert.group), "dim"))
    if alert.acked_by:
        words = ack_words(alert.acked_by, alert.acked_at, alert.ack_until, now)
        facts.append(Fact("acked", cut(words), "warn"))
    sections = [Section("Alert", tuple(facts))]
    labels = alert.labels or tuple(
        (k, v)
        for k, v in (
            ("alertname", alert.name),
            ("severity", alert.severity),
            ("namespace", alert.namespace),
            ("service", alert.service),
            ("pod", alert.pod),
        )
        if v
    )
    sections.append(Section("Labels", tuple(Fact(k, cut(v)) for k, v in labels)))
    if alert.annotations:
        sections.append(
            Section(
                "Annotations",
                tuple(
                    Fact(k, cut(v), "link" if k in ("runbook_url", "runbook") else "")
                    for k, v in alert.annotations
                ),
            )
        )
    silences = [Fact("silenced by", s, "warn") for s in alert.silenced_by]
    if alert.inhibited:
        silences.append(Fact("inhibited", "yes: another alert inhibits it", "dim"))
    sections.append(Section("Silences", tuple(silences) or (Fact("silences", "none", "dim"),)))
    return sections


def cut(value: str) -> str:
    return value if len(value) <= MAX_VALUE else value[: MAX_VALUE - 1] + "…"


def velero_sections(
    obj: Backup | Restore | BackupSchedule, full: Obj | None, now: float
) -> list[Section]:
    """Phase, errors, warnings, progress, times; the backup a restore reads."""
    if isinstance(obj, BackupSchedule):
        facts = [
            Fact("phase", obj.phase),
            Fact("schedule", obj.schedule),
            Fact("paused", "yes" if obj.paused else "no", "warn" if obj.paused else ""),
            Fact("last backup", when(obj.last_backup, now)),
            Fact("ttl", obj.ttl or "-"),
            Fact("namespaces", ", ".join(obj.included_namespaces) or "all"),
        ]
        return [Section("Schedule", tuple(facts))]
    bad = "fail" in obj.phase.lower()
    facts = [
        Fact(
            "phase", obj.phase, "bad" if bad else ("good" if obj.phase == "Completed" else "warn")
        ),
        Fact("errors", str(obj.errors), "bad" if obj.errors else ""),
        Fact("warnings", str(obj.warnings), "warn" if obj.warnings else ""),
        Fact("progress", f"{obj.items_done}/{obj.items_total} items" if obj.items_total else "-"),
        Fact("started", when(obj.started, now)),
        Fact("completed", when(obj.completed, now)),
    ]
    if isinstance(obj, Backup):
        facts.append(Fact("schedule", obj.schedule or "-"))
        facts.append(
            Fact(
                "expires",
                when(obj.expires, now)
                if obj.expires and obj.expires < now
                else (f"in {format_age(obj.expires - now)}" if obj.expires else "-"),
            )
        )
        facts.append(Fact("namespaces", ", ".join(obj.included_namespaces) or "all"))
    else:
        facts.append(Fact("backup", obj.backup))
        for src, dst in obj.namespace_mapping:
            facts.append(Fact("namespace", f"{src} → {dst}"))
    if (reason := dig(full, "status", "failureReason")) is not None:
        facts.append(Fact("failure", text(reason), "bad"))
    for err in (dig(full, "status", "validationErrors") or [])[:20]:
        facts.append(Fact("validation", text(err), "bad"))
    return [Section("Velero " + ("backup" if isinstance(obj, Backup) else "restore"), tuple(facts))]


# -- every object --------------------------------------------------------------------------


def metadata_sections(full: Obj) -> list[Section]:
    """Labels and annotations of a Kubernetes object (safe, cut)."""
    out = []
    for what in ("labels", "annotations"):
        values = dig(full, "metadata", what)
        if isinstance(values, Mapping) and values:
            out.append(
                Section(what.capitalize(), tuple(Fact(text(k), text(v)) for k, v in _items(values)))
            )
    return out


def _items(values: Mapping[Any, Any]) -> Iterable[tuple[Any, Any]]:
    return sorted(values.items(), key=lambda kv: str(kv[0]))[:200]
