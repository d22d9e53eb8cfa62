"""One simulated cluster's objects: its tables, what changed since the last report, and the
parts of the story that need no scheduler (alerts, silences, Velero backups and restores).

``sim.ClusterSim`` builds on this with the workloads, nodes and autoscalers.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from wundr_tui.backends.demo.profiles import (
    ALERTS,
    NAMESPACE,
    SCHEDULE,
    SOURCES,
    Profile,
    Workload,
    velero_stamp,
)
from wundr_tui.events import Deleted, Event, Replaced, Upserted
from wundr_tui.model import (
    ACK_PREFIX,
    Alert,
    Backup,
    BackupSchedule,
    Deployment,
    GoldenSignals,
    Hpa,
    Kind,
    KubeEvent,
    Labels,
    Node,
    NodePool,
    Pod,
    ReplicaLink,
    Resource,
    Restore,
    Service,
)


@dataclass(frozen=True, slots=True)
class DemoSilence:
    """One silence of the simulated Alertmanager."""

    matchers: dict[str, str]
    starts: float
    ends: float
    author: str = ""
    comment: str = ""


HEARTBEAT = 30
"""A source quiet for this many simulated seconds re-sends a small list, as a resync would,
so the store never marks a healthy demo source stale."""

_SOURCE_OF: dict[Kind, str] = {k: s for s, kinds in SOURCES.items() for k in kinds}
_HEARTBEAT_KIND: dict[str, Kind] = {
    "kube": Kind.SERVICE,
    "nodepools": Kind.NODE_POOL,
    "database": Kind.REPLICA_LINK,
    "alerts": Kind.ALERT,
    "velero": Kind.SCHEDULE,
}
# Kubernetes' "safe" alphabet for generated name suffixes (no vowels, no look-alikes).

R = TypeVar(
    "R",
    Pod,
    Deployment,
    Service,
    Hpa,
    Node,
    NodePool,
    ReplicaLink,
    Alert,
    BackupSchedule,
    Backup,
    Restore,
    KubeEvent,
)


class ClusterState:
    """The objects of one simulated cluster and their change tracking (no scheduler here)."""

    def __init__(self, profile: Profile, seed: int, now: float) -> None:
        self.profile = profile
        self.name = profile.cluster.name
        self.rng = random.Random(f"wundr-demo:{seed}:{self.name}")
        self.seed = seed
        self.now = now
        self.n = 0
        self.rv = self.rng.randint(4_000_000, 9_000_000)

        self.pods: dict[str, Pod] = {}
        self.deployments: dict[str, Deployment] = {}
        self.services: dict[str, Service] = {}
        self.hpas: dict[str, Hpa] = {}
        self.nodes: dict[str, Node] = {}
        self.pools: dict[str, NodePool] = {}
        self.links: dict[str, ReplicaLink] = {}
        self.alerts: dict[str, Alert] = {}
        self.schedules: dict[str, BackupSchedule] = {}
        self.backups: dict[str, Backup] = {}
        self.restores: dict[str, Restore] = {}
        self.events: dict[str, KubeEvent] = {}
        self.signals: dict[str, GoldenSignals] = {}
        """Service → its last 30 minutes of golden signals (what a fresh consumer gets)."""
        self.signal_news: dict[str, GoldenSignals] = {}
        """Service → the points added since the last flush (what a flush sends)."""
        self.dirty: dict[Kind, dict[str, None]] = {k: {} for k in Kind}
        self.last_news: dict[str, int] = dict.fromkeys(SOURCES, 0)

        self.workloads: dict[str, Workload] = {}
        """Deployment key → how its pods are made and placed."""
        self.owned: dict[str, dict[str, None]] = {}
        """Workload key → its pods' keys, oldest first."""
        self.template_hash: dict[str, str] = {}
        self.node_pods: dict[str, int] = {}
        self.unschedulable: dict[str, None] = {}
        self.touched_workloads: dict[str, None] = {}
        self.empty_since: dict[str, int] = {}
        self.timers: list[tuple[int, int, str, str]] = []
        self.timer_seq = 0
        self.hpa_recent: list[tuple[int, int]] = []
        self.alert_state: dict[str, tuple[str, float]] = {}
        self.silences: dict[str, DemoSilence] = {}
        self.silence_count = 0
        self.crash_pod = ""
        self.terminated_at: dict[str, tuple[float, str]] = {}
        """Pod key → when its first container last ended and why (``Error``, ``OOMKilled``):
        the detail view's last termination."""
        self.down_node = ""
        self.next_backup = 0.0

    # -- small helpers ---------------------------------------------------------------------

    def _put(self, table: dict[str, R], obj: R) -> None:
        table[obj.key] = obj
        self.dirty[obj.KIND][obj.key] = None

    def _drop(self, table: dict[str, R], kind: Kind, key: str) -> None:
        if table.pop(key, None) is not None:
            self.dirty[kind][key] = None

    def table(self, kind: Kind) -> Mapping[str, Resource]:
        """The current objects of one kind, by key."""
        tables: dict[Kind, Mapping[str, Resource]] = {
            Kind.POD: self.pods,
            Kind.DEPLOYMENT: self.deployments,
            Kind.SERVICE: self.services,
            Kind.HPA: self.hpas,
            Kind.NODE: self.nodes,
            Kind.NODE_POOL: self.pools,
            Kind.REPLICA_LINK: self.links,
            Kind.ALERT: self.alerts,
            Kind.SCHEDULE: self.schedules,
            Kind.BACKUP: self.backups,
            Kind.RESTORE: self.restores,
            Kind.EVENT: self.events,
            Kind.SIGNALS: self.signals,
        }
        return tables[kind]

    def _next_rv(self) -> str:
        self.rv += self.rng.randint(1, 40)
        return str(self.rv)

    def _after(self, seconds: int, action: str, key: str) -> None:
        self.timer_seq += 1
        heapq.heappush(self.timers, (self.n + seconds, self.timer_seq, action, key))

    def _build_velero(self) -> None:
        rng = self.rng
        day = datetime.fromtimestamp(self.now, UTC).replace(
            hour=2, minute=0, second=0, microsecond=0
        )
        if day.timestamp() > self.now:
            day -= timedelta(days=1)
        last = day.timestamp()
        self.next_backup = last + 86400
        ns = (NAMESPACE,)
        self._put(
            self.schedules,
            BackupSchedule(SCHEDULE, "0 2 * * *", "Enabled", last, "168h0m0s", ns),
        )
        for i in range(7):
            start = last - i * 86400
            total = rng.randint(300, 420)
            failed = i == 3
            self._put(
                self.backups,
                Backup(
                    name=f"{SCHEDULE}-{velero_stamp(start)}",
                    phase="PartiallyFailed" if failed else "Completed",
                    started=start,
                    completed=start + rng.uniform(60, 150),
                    expires=start + 7 * 86400,
                    schedule=SCHEDULE,
                    errors=2 if failed else 0,
                    warnings=7 if failed else rng.choice((0, 0, 1)),
                    items_done=total - (2 if failed else 0),
                    items_total=total,
                    included_namespaces=ns,
                ),
            )
        source = f"{SCHEDULE}-{velero_stamp(last - 4 * 86400)}"
        drill = last - 2 * 86400 + 8 * 3600
        self._put(
            self.restores,
            Restore(
                f"{source}-{velero_stamp(drill)}",
                source,
                "Completed",
                drill,
                drill + 94,
                0,
                1,
                341,
                341,
                (("wundr-platform", "wundr-restore-drill"),),
            ),
        )

    # -- alerts and silences ---------------------------------------------------------------

    def _alert_labels(self, name: str) -> dict[str, str]:
        return {
            "alertname": name,
            "severity": ALERTS[name][0],
            "namespace": NAMESPACE,
            "service": "api-gateway",
            "cluster": self.profile.cluster.cluster_name,
        }

    def _publish_alert(self, name: str) -> None:
        labels = self._alert_labels(name)
        digest = hashlib.blake2b(
            (self.name + "".join(f"{k}={v};" for k, v in sorted(labels.items()))).encode(),
            digest_size=8,
        ).hexdigest()
        state = self.alert_state.get(name)
        if state is None:
            self._drop(self.alerts, Kind.ALERT, digest)
            return
        shown, since = state
        silenced = tuple(
            sid
            for sid, found in self.silences.items()
            if all(labels.get(k) == v for k, v in found.matchers.items())
        )
        ack = next((s for s in silenced if self.silences[s].comment.startswith(ACK_PREFIX)), "")
        acked = self.silences[ack] if ack else None
        if silenced and shown == "firing":
            shown = "suppressed"
        severity, summary, description = ALERTS[name]
        self._put(
            self.alerts,
            Alert(
                name,
                digest,
                severity,
                shown,
                since,
                summary,
                description,
                NAMESPACE,
                "api-gateway",
                "",
                silenced,
                False,
                "alertmanager",
                # Alertmanager's default route groups by alertname, per namespace here.
                f'{{}}:{{alertname="{name}", namespace="{NAMESPACE}"}}',
                tuple(sorted(labels.items())),
                (
                    ("description", description),
                    ("runbook_url", f"https://runbooks.wundr.example/alerts/{name}"),
                    ("summary", summary),
                ),
                ack,
                acked.author if acked else "",
                acked.starts if acked else 0.0,
                acked.ends if acked else 0.0,
            ),
        )

    def silence(
        self, matchers: dict[str, str], ends: float, author: str = "", comment: str = ""
    ) -> str:
        """Add a silence and re-evaluate every alert against it; return its id."""
        self.silence_count += 1
        sid = self.silence_id(self.silence_count)
        self.silences[sid] = DemoSilence(matchers, self.now, ends, author, comment)
        for name in list(self.alert_state):
            self._publish_alert(name)
        return sid

    def extend_silence(self, sid: str, ends: float) -> str:
        """Make a silence end at ``ends`` (Alertmanager updates it in place); its id."""
        self.silences[sid] = replace(self.silences[sid], ends=ends)
        for name in list(self.alert_state):
            self._publish_alert(name)
        return sid

    def silence_id(self, count: int) -> str:
        """The id the ``count``-th silence of this cluster gets (UUID-shaped, deterministic)."""
        digest = hashlib.blake2b(f"{self.seed}:{self.name}:{count}".encode(), digest_size=16)
        return str(uuid.UUID(bytes=digest.digest(), version=4))

    def unsilence(self, sid: str) -> None:
        """Expire a silence now."""
        self.silences.pop(sid, None)
        for name in list(self.alert_state):
            self._publish_alert(name)

    def _expire_silences(self) -> None:
        for sid, found in list(self.silences.items()):
            if found.ends <= self.now:
                self.unsilence(sid)

    # -- velero ----------------------------------------------------------------------------

    def _scheduled_backup(self) -> None:
        start = self.next_backup
        self.next_backup += 86400
        name = f"{SCHEDULE}-{velero_stamp(start)}"
        total = self.rng.randint(300, 420)
        self._put(
            self.backups,
            Backup(
                name,
                "InProgress",
                self.now,
                None,
                start + 7 * 86400,
                SCHEDULE,
                0,
                0,
                0,
                total,
                (NAMESPACE,),
            ),
        )
        sched = self.schedules.get(SCHEDULE)
        if sched is not None:
            self._put(self.schedules, replace(sched, last_backup=start))
        for b in list(self.backups.values()):
            if b.expires is not None and b.expires <= self.now:
                self._drop(self.backups, Kind.BACKUP, b.name)
        self._after(90, "backup_done", name)

    def restore(self, backup: Backup, name: str, mapping: Labels) -> None:
        """Create a Restore that runs to completion over about 20 simulated seconds."""
        total = max(backup.items_done, 1)
        self._put(
            self.restores, Restore(name, backup.name, "New", None, None, 0, 0, 0, total, mapping)
        )
        self._after(2, "restore", name)

    def _advance_restore(self, name: str) -> None:
        r = self.restores.get(name)
        if r is None or r.phase == "Completed":
            return
        if r.phase == "New":
            self._put(self.restores, replace(r, phase="InProgress", started=self.now))
            self._after(2, "restore", name)
            return
        done = min(r.items_total, r.items_done + math.ceil(r.items_total / 10))
        if done >= r.items_total:
            self._put(
                self.restores, replace(r, phase="Completed", items_done=done, completed=self.now)
            )
        else:
            self._put(self.restores, replace(r, items_done=done))
            self._after(2, "restore", name)

    # -- output ----------------------------------------------------------------------------

    def flush(self) -> list[Event]:
        """Upserted / Deleted for everything changed since the last flush, plus heartbeats."""
        out: list[Event] = []
        for kind in Kind:
            keys = self.dirty[kind]
            if not keys:
                continue
            # Golden signals go out as their newest points only: the store merges them.
            table = self.signal_news if kind is Kind.SIGNALS else self.table(kind)
            items = tuple(table[k] for k in keys if k in table)
            gone = tuple(k for k in keys if k not in table)
            if items:
                out.append(Upserted(self.name, kind, items))
            if gone:
                out.append(Deleted(self.name, kind, gone))
            keys.clear()
            self.last_news[_SOURCE_OF[kind]] = self.n
        self.signal_news.clear()
        for source, kind in _HEARTBEAT_KIND.items():
            if self.n - self.last_news[source] >= HEARTBEAT:
                out.append(Upserted(self.name, kind, tuple(self.table(kind).values())))
                self.last_news[source] = self.n
        return out

    def snapshot(self) -> list[Event]:
        """Replaced for every kind: the whole current state."""
        for keys in self.dirty.values():
            keys.clear()
        self.last_news = dict.fromkeys(SOURCES, self.n)
        return [Replaced(self.name, kind, tuple(self.table(kind).values())) for kind in Kind]
