"""The timeline: what changed, across every cluster, in time order (``:timeline``).

Entries are derived from the event stream as the store applies it: ``observe`` is given each
event together with what the store held for that cluster and kind just before it, so every
transition is seen in order, even several of one object inside one frame's batch, and only
the objects an event carries are looked at (a relist of 50,000 pods is one pass, a frame of
ten changed pods is ten lookups). A replay re-derives the same entries from the recorded
events; audited actions travel in the stream as ``Audited`` events, so they are recorded too.

Bounded: entries older than ``max_age`` seconds (24 h) go, and past ``max_entries`` (10,000)
the oldest go. Pure: no I/O, no Textual; the text in entries comes from events that the pump
has already made safe.

The query API (``window``, ``before``) is what the Incident pane's stories use to say which
changes came just before them.
"""

from __future__ import annotations

import bisect
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeAlias

from wundr_tui.events import Audited, Deleted, Event, Replaced, Upserted
from wundr_tui.model import (
    Alert,
    Backup,
    BlueGreenSpec,
    Deployment,
    Hpa,
    Kind,
    KubeEvent,
    NodePool,
    Pod,
    ReplicaLink,
    Resource,
    Restore,
    Service,
    label,
)

MAX_AGE = 24 * 3600.0
"""Seconds an entry is kept (the timeline shows the last 24 hours)."""
MAX_ENTRIES = 10_000
"""Entries kept at most; past it the oldest go."""
COALESCE = 120.0
"""An HPA's or a node pool's size changing again within this many seconds of its last change
updates that entry (``desired 3 → 20, 6 steps``) instead of adding one per step."""
EVENT_COALESCE = 30.0
"""The same Warning (reason and message) about another object within this many seconds is
counted in the first one's entry (``pod/api-gateway-… +6``)."""
FRESH_POD = 60.0
"""A pod first seen with a problem is news only if it was created this recently; an older one
was bad before we looked (its going bad is not a change we saw)."""
STARTING = frozenset(("Pending", "not ready"))
"""What a new pod is on its way to Running: not news until it has been healthy once."""

Tone: TypeAlias = Literal["bad", "good", "info"]
"""How an entry reads: something went wrong, something recovered, or a neutral change."""

_GOOD_PHASES = frozenset(("Completed",))
_BAD_PHASES = frozenset(("Failed", "PartiallyFailed", "FailedValidation"))
_DONE_PHASES = _GOOD_PHASES | _BAD_PHASES
_ACTIVE = frozenset(("firing", "suppressed"))
"""Alert states that are still firing (suppressed: silenced or inhibited, not resolved)."""


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One change: when, where, what kind of thing, which one, and what changed."""

    seq: int
    """Unique and stable for the entry's life (a coalesced entry keeps its number)."""
    time: float
    """When it happened, seconds since the epoch (the object's own time where it has one)."""
    cluster: str
    what: str
    """ROLLOUT, HPA, NODEPOOL, POD, ALERT, DB, BACKUP, RESTORE, BLUE/GREEN, SERVICE, EVENT,
    ACTION."""
    subject: str
    """Which object: ``wundr-platform/api-gateway-blue``, an alert's name and service."""
    change: str
    """What changed, in words: ``image v1.4.2 → v1.4.3 (revision 5)``."""
    tone: Tone = "info"
    namespace: str = ""
    service: str = ""
    """The service or workload it concerns (a deployment's ``app`` label, an alert's
    ``service``, a pod's owner), for the stories' look-ups; blank when none."""
    kind: Kind | None = None
    """The kind of the object Enter opens (None: nothing to open, e.g. an action)."""
    key: str = ""
    """That object's key in the store."""
    first: float = 0.0
    """When a coalesced change began (0: not coalesced)."""
    steps: int = 1
    """How many changes a coalesced entry folds in."""
    start_value: str = ""
    """The value a coalesced change started from (``3`` in ``desired 3 → 20``)."""

    def concerns(self, service: str) -> bool:
        """Whether the entry is about ``service``: the same name, a workload of it
        (``api-gateway-blue`` for ``api-gateway``), or its name in the subject."""
        own = self.service
        return bool(service) and (
            own == service or own.startswith(f"{service}-") or service in self.subject
        )


def _short_images(old: str, new: str) -> str:
    """``image v1.4.2 → v1.4.3`` when only tags changed, else both references whole."""
    before, after = old.split(", "), new.split(", ")
    if len(before) == len(after):
        parts = []
        for a, b in zip(before, after, strict=True):
            if a == b:
                continue
            repo_a, _, tag_a = a.rpartition(":")
            repo_b, _, tag_b = b.rpartition(":")
            if repo_a and repo_a == repo_b and "/" not in tag_a and "/" not in tag_b:
                parts.append(f"{tag_a} → {tag_b}")
            else:
                parts.append(f"{a or '-'} → {b or '-'}")
        if parts:
            return "image " + ", ".join(parts)
    return f"image {old or '-'} → {new or '-'}"


def _selector(labels: Iterable[tuple[str, str]]) -> str:
    return ",".join(f"{k}={v}" for k, v in labels) or "-"


class Timeline:
    """Entries derived from the events the store applies, newest last, bounded."""

    def __init__(
        self,
        *,
        lag_threshold: float = 30.0,
        blue_green: Sequence[BlueGreenSpec] = (BlueGreenSpec(),),
        max_age: float = MAX_AGE,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        if max_entries < 1 or max_age <= 0:
            raise ValueError("the timeline keeps at least one entry for a positive time")
        self.lag_threshold = lag_threshold
        """Replica lag (seconds) whose crossing, either way, is an entry."""
        self.blue_green = tuple(blue_green)
        """Services whose selector change is a blue/green switch."""
        self.max_age = max_age
        """Seconds an entry is kept."""
        self.max_entries = max_entries
        """Entries kept at most."""
        self.revision = 0
        """Bumped whenever an entry is added, changed or dropped."""
        self._entries: dict[int, TimelineEntry] = {}
        self._order: list[tuple[float, int]] = []
        """(time, seq) of every entry, sorted: window queries bisect it."""
        self._seq = 0
        self._bad_pods: dict[tuple[str, str], str] = {}
        """(cluster, pod key) → the problem an entry reported, until it recovers."""
        self._coalescing: dict[tuple[str, str, str], int] = {}
        """(cluster, what, group) → seq of the entry a repeat updates (a size change again,
        the same warning about another pod)."""
        self._group_of: dict[int, tuple[str, str, str]] = {}
        self._log: deque[tuple[int, int]] = deque(maxlen=4 * max_entries)
        """(revision, seq) of recent changes, for ``touched_since``."""

    # -- reading -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, seq: int) -> TimelineEntry | None:
        """One entry by its number, or None once it is gone."""
        return self._entries.get(seq)

    def entries(self) -> list[TimelineEntry]:
        """Every entry, newest first."""
        get = self._entries.__getitem__
        return [get(seq) for _, seq in reversed(self._order)]

    def window(
        self,
        start: float,
        end: float,
        *,
        cluster: str | None = None,
        namespace: str | None = None,
        service: str | None = None,
    ) -> list[TimelineEntry]:
        """Entries with ``start <= time <= end``, newest first, narrowed to a cluster, a
        namespace and a service (``TimelineEntry.concerns``) where given. A bisect, then the
        entries of the window only."""
        lo = bisect.bisect_left(self._order, (start, -1))
        hi = bisect.bisect_right(self._order, (end, self._seq + 1))
        out = []
        for _, seq in reversed(self._order[lo:hi]):
            e = self._entries[seq]
            if cluster is not None and e.cluster != cluster:
                continue
            if namespace is not None and e.namespace != namespace:
                continue
            if service is not None and not e.concerns(service):
                continue
            out.append(e)
        return out

    def before(
        self,
        when: float,
        seconds: float = 900.0,
        *,
        cluster: str | None = None,
        namespace: str | None = None,
        service: str | None = None,
        what: Iterable[str] = ("ROLLOUT", "BLUE/GREEN", "SERVICE", "ACTION", "HPA", "NODEPOOL"),
    ) -> list[TimelineEntry]:
        """The changes (not the symptoms) in the ``seconds`` before ``when``, newest first:
        what a story names as "the change that came just before"."""
        kinds = frozenset(what)
        return [
            e
            for e in self.window(
                when - seconds, when, cluster=cluster, namespace=namespace, service=service
            )
            if e.what in kinds
        ]

    def touched_since(self, revision: int) -> set[int] | None:
        """Numbers of the entries added, changed or dropped after ``revision`` (look each up
        with ``get``: None means dropped); None when that is too long ago to tell."""
        if revision == self.revision:
            return set()
        log = self._log
        if not log or log[0][0] > revision + 1:
            return None
        return {seq for rev, seq in log if rev > revision}

    # -- writing -----------------------------------------------------------------------------

    def clear(self) -> None:
        """Forget every entry (a replay went back in its recording). Numbers go on from where
        they were and the revision moves, so a view never takes a new entry for an old one."""
        self._entries.clear()
        self._order.clear()
        self._bad_pods.clear()
        self._coalescing.clear()
        self._group_of.clear()
        self._log.clear()
        self.revision += 1

    def observe(self, event: Event, before: Mapping[str, Resource], now: float) -> None:
        """Derive the entries of one event; ``before`` is what the store held for the event's
        cluster and kind just before applying it (not changed here)."""
        if isinstance(event, Audited):
            self._audited(event)
        elif isinstance(event, Upserted):
            for obj in event.items:
                self._changed(event.cluster, event.kind, before.get(obj.key), obj, now)
        elif isinstance(event, Deleted):
            for key in event.keys:
                old = before.get(key)
                if old is not None:
                    self._gone(event.cluster, event.kind, key, old, now)
        elif isinstance(event, Replaced):
            seen = set()
            for obj in event.items:
                seen.add(obj.key)
                self._changed(event.cluster, event.kind, before.get(obj.key), obj, now)
            if len(seen) != len(before) or any(k not in seen for k in before):
                for key, old in before.items():
                    if key not in seen:
                        self._gone(event.cluster, event.kind, key, old, now)

    def prune(self, now: float) -> None:
        """Drop what is older than ``max_age`` and the oldest past ``max_entries``."""
        order = self._order
        cut = 0
        horizon = now - self.max_age
        while cut < len(order) and (order[cut][0] < horizon or len(order) - cut > self.max_entries):
            cut += 1
        if cut:
            for _, seq in order[:cut]:
                self._drop(seq)
            del order[:cut]

    def _drop(self, seq: int) -> None:
        self._entries.pop(seq)
        self.revision += 1
        self._log.append((self.revision, seq))
        co = self._group_of.pop(seq, None)
        if co is not None and self._coalescing.get(co) == seq:
            del self._coalescing[co]

    def _add(self, entry: TimelineEntry, now: float) -> TimelineEntry | None:
        if entry.time < now - self.max_age:
            return None  # history from before the window (a first list's old backups)
        self._seq += 1
        entry = replace(entry, seq=self._seq)
        self._entries[entry.seq] = entry
        bisect.insort(self._order, (entry.time, entry.seq))
        self.revision += 1
        self._log.append((self.revision, entry.seq))
        if len(self._order) > self.max_entries:
            self.prune(now)
        return entry

    def _update(self, old: TimelineEntry, new: TimelineEntry) -> None:
        order = self._order
        at = bisect.bisect_left(order, (old.time, old.seq))
        del order[at]
        bisect.insort(order, (new.time, new.seq))
        self._entries[new.seq] = new
        self.revision += 1
        self._log.append((self.revision, new.seq))

    def _entry(
        self,
        now: float,
        cluster: str,
        what: str,
        subject: str,
        change: str,
        *,
        time: float | None = None,
        tone: Tone = "info",
        namespace: str = "",
        service: str = "",
        kind: Kind | None = None,
        key: str = "",
    ) -> TimelineEntry | None:
        return self._add(
            TimelineEntry(
                0,
                now if time is None or time <= 0 else time,
                cluster,
                what,
                subject,
                change,
                tone,
                namespace,
                service,
                kind,
                key,
            ),
            now,
        )

    def _size(
        self,
        now: float,
        cluster: str,
        what: str,
        obj: Hpa | NodePool,
        field: str,
        old: int,
        new: int,
        service: str = "",
        namespace: str = "",
    ) -> None:
        """A size change (HPA desired, pool desired): a new entry, or the last one for the same
        object updated when it changed again within ``COALESCE`` seconds."""
        key = obj.key
        co = (cluster, what, key)
        last = self._entries.get(self._coalescing.get(co, -1))
        if last is not None and now - last.time <= COALESCE and last.change.startswith(field):
            steps = last.steps + 1
            change = f"{field} {last.start_value} → {new} ({steps} steps"
            change += f" in {now - (last.first or last.time):.0f}s)"
            if _at_max(obj):
                change += " at max"
            self._update(
                last,
                replace(
                    last,
                    time=max(now, last.time),
                    change=change,
                    first=last.first or last.time,
                    steps=steps,
                    tone="bad" if new > old and _at_max(obj) else last.tone,
                ),
            )
            return
        tone: Tone = "bad" if _at_max(obj) and new > old else "info"
        entry = self._entry(
            now,
            cluster,
            what,
            key,
            f"{field} {old} → {new}" + (" (at max)" if _at_max(obj) else ""),
            tone=tone,
            namespace=namespace,
            service=service,
            kind=obj.KIND,
            key=key,
        )
        if entry is not None:
            entry = replace(entry, start_value=str(old))
            self._entries[entry.seq] = entry
            self._group(co, entry.seq)

    def _group(self, co: tuple[str, str, str], seq: int) -> None:
        old = self._coalescing.get(co)
        if old is not None:
            self._group_of.pop(old, None)
        self._coalescing[co] = seq
        self._group_of[seq] = co

    # -- one object ----------------------------------------------------------------------

    def _changed(
        self, cluster: str, kind: Kind, old: Resource | None, new: Resource, now: float
    ) -> None:
        if old == new:
            return
        if isinstance(new, Pod):
            self._pod(cluster, old if isinstance(old, Pod) else None, new, now)
        elif isinstance(new, Deployment):
            if isinstance(old, Deployment):
                self._deployment(cluster, old, new, now)
        elif isinstance(new, Hpa):
            if isinstance(old, Hpa) and old.desired_replicas != new.desired_replicas:
                self._size(
                    now,
                    cluster,
                    "HPA",
                    new,
                    "desired",
                    old.desired_replicas,
                    new.desired_replicas,
                    service=new.target.partition("/")[2],
                    namespace=new.namespace,
                )
        elif isinstance(new, NodePool):
            if isinstance(old, NodePool):
                self._pool(cluster, old, new, now)
        elif isinstance(new, Alert):
            self._alert(cluster, old if isinstance(old, Alert) else None, new, now)
        elif isinstance(new, ReplicaLink):
            if isinstance(old, ReplicaLink):
                self._lag(cluster, old, new, now)
        elif isinstance(new, Service):
            if isinstance(old, Service) and old.selector != new.selector:
                self._service(cluster, old, new, now)
        elif isinstance(new, Backup | Restore):
            self._velero(cluster, old, new, now)
        elif isinstance(new, KubeEvent) and old is None and new.type == "Warning":
            self._kube_event(cluster, new, now)

    def _gone(self, cluster: str, kind: Kind, key: str, old: Resource, now: float) -> None:
        if isinstance(old, Pod):
            problem = self._bad_pods.pop((cluster, key), None)
            if problem is not None:
                self._entry(
                    now,
                    cluster,
                    "POD",
                    key,
                    f"deleted while {problem}",
                    tone="good",
                    namespace=old.namespace,
                    service=old.owner,
                )
        elif isinstance(old, Alert) and old.state in _ACTIVE:
            self._alert_resolved(cluster, old, now)

    def _pod(self, cluster: str, old: Pod | None, new: Pod, now: float) -> None:
        where = (cluster, new.key)
        reported = self._bad_pods.get(where)
        problem = new.problem
        if reported is not None:
            if problem == reported:
                return
            if problem is None:
                del self._bad_pods[where]
                change, tone = f"recovered ({new.status}, was {reported})", "good"
            else:
                self._bad_pods[where] = problem
                change, tone = f"{reported} → {problem}", "bad"
        elif problem is None:
            return
        else:
            was_healthy = old is not None and old.problem is None
            fresh = now - new.created <= FRESH_POD
            if not was_healthy and problem in STARTING:
                return  # on its way up: not news until it has been healthy once
            if not was_healthy and old is None and not fresh:
                # Bad before we looked: remembered, so its recovery is news, but no entry.
                self._bad_pods[where] = problem
                return
            self._bad_pods[where] = problem
            change, tone = problem if was_healthy else f"{problem} (new pod)", "bad"
            if was_healthy:
                change = f"{old.status if old else '?'} → {problem}"
        if tone == "bad" and self._fold_pod(cluster, new, change, now):
            return
        entry = self._entry(
            now,
            cluster,
            "POD",
            new.key,
            change,
            tone="good" if tone == "good" else "bad",
            namespace=new.namespace,
            service=new.owner,
            kind=Kind.POD,
            key=new.key,
        )
        if entry is not None and tone == "bad":
            self._group((cluster, "POD", new.key), entry.seq)
            self._group((cluster, "POD:", change), entry.seq)

    def _fold_pod(self, cluster: str, pod: Pod, change: str, now: float) -> bool:
        """A crash loop's next state within ``EVENT_COALESCE`` seconds extends its entry
        (``Running → Error → CrashLoopBackOff``); the same change of another pod at once (a
        node's pods going not ready) is counted in the first one's (``+3``)."""
        same = self._entries.get(self._coalescing.get((cluster, "POD", pod.key), -1))
        if same is not None and now - same.time <= EVENT_COALESCE and same.steps < 50:
            states = same.change.split(" → ")
            after = change.split(" → ")[-1]
            chain = " → ".join([*states[:1], "…", after] if len(states) > 3 else [*states, after])
            self._update(same, replace(same, time=now, change=chain, steps=same.steps + 1))
            return True
        other = self._entries.get(self._coalescing.get((cluster, "POD:", change), -1))
        if other is not None and now - other.time <= EVENT_COALESCE and other.key != pod.key:
            steps = other.steps + 1
            subject = other.subject.partition(" +")[0]
            self._update(other, replace(other, subject=f"{subject} +{steps - 1}", steps=steps))
            return True
        return False

    def _deployment(self, cluster: str, old: Deployment, new: Deployment, now: float) -> None:
        if old.image == new.image and old.revision == new.revision:
            return
        if old.image != new.image:
            change = _short_images(old.image, new.image)
            if new.revision and new.revision != old.revision:
                change += f" (revision {new.revision})"
        else:
            change = f"revision {old.revision} → {new.revision}"
        self._entry(
            now,
            cluster,
            "ROLLOUT",
            new.key,
            change,
            namespace=new.namespace,
            service=label(new.pod_labels, "app") or new.name,
            kind=Kind.DEPLOYMENT,
            key=new.key,
        )

    def _pool(self, cluster: str, old: NodePool, new: NodePool, now: float) -> None:
        if (old.min_size, old.max_size) != (new.min_size, new.max_size):
            self._entry(
                now,
                cluster,
                "NODEPOOL",
                new.name,
                f"bounds {old.min_size}-{old.max_size} → {new.min_size}-{new.max_size}",
                kind=Kind.NODE_POOL,
                key=new.key,
            )
        if old.desired != new.desired:
            self._size(now, cluster, "NODEPOOL", new, "size", old.desired, new.desired)

    def _alert(self, cluster: str, old: Alert | None, new: Alert, now: float) -> None:
        # A silenced (suppressed) alert still fires: an ack is not a resolution, and the
        # silence ending is not a new firing. Both are told as what they are.
        was = old is not None and old.state in _ACTIVE
        if new.state in _ACTIVE and not was:
            # First seen firing: since its own start (a first list tells history right).
            since = new.starts_at if old is None else now
            text = f"firing ({new.severity})"
            if new.summary:
                text += f": {new.summary}"
            self._entry(
                now,
                cluster,
                "ALERT",
                f"{new.name} {new.subject}".strip(),
                text,
                time=since,
                tone="bad",
                namespace=new.namespace,
                service=new.service,
                kind=Kind.ALERT,
                key=new.key,
            )
        elif was and new.state not in _ACTIVE and old is not None:
            self._alert_resolved(cluster, old, now)
        elif was and old is not None and old.state != new.state:
            tone: Tone
            if new.state == "suppressed":
                who = f"acked by {new.acked_by}" if new.acked_by else "silenced"
                until = f" until {_hhmm(new.ack_until)}" if new.acked_by and new.ack_until else ""
                text, tone = f"{who}{until} (still firing)", "info"
            else:
                text, tone = f"firing again: {'ack' if old.acked_by else 'silence'} ended", "bad"
            self._entry(
                now,
                cluster,
                "ALERT",
                f"{new.name} {new.subject}".strip(),
                text,
                tone=tone,
                namespace=new.namespace,
                service=new.service,
                kind=Kind.ALERT,
                key=new.key,
            )

    def _alert_resolved(self, cluster: str, old: Alert, now: float) -> None:
        self._entry(
            now,
            cluster,
            "ALERT",
            f"{old.name} {old.subject}".strip(),
            f"resolved ({old.severity}, fired {_span(now - old.starts_at)})",
            tone="good",
            namespace=old.namespace,
            service=old.service,
        )

    def _lag(self, cluster: str, old: ReplicaLink, new: ReplicaLink, now: float) -> None:
        if old.lag_seconds is None or new.lag_seconds is None:
            return
        limit = self.lag_threshold
        over_before, over_now = old.lag_seconds >= limit, new.lag_seconds >= limit
        if over_before == over_now:
            return
        if over_now:
            change, tone = f"lag {new.lag_seconds:.0f}s over {limit:.0f}s", "bad"
        else:
            change, tone = f"lag {new.lag_seconds:.0f}s back under {limit:.0f}s", "good"
        self._entry(
            now,
            cluster,
            "DB",
            f"{new.primary} → {new.replica}",
            change,
            time=new.sampled or None,
            tone="bad" if tone == "bad" else "good",
            kind=Kind.REPLICA_LINK,
            key=new.key,
        )

    def _service(self, cluster: str, old: Service, new: Service, now: float) -> None:
        for spec in self.blue_green:
            if (spec.namespace, spec.service) == (new.namespace, new.name):
                before, after = label(old.selector, spec.key), label(new.selector, spec.key)
                if before != after:
                    self._entry(
                        now,
                        cluster,
                        "BLUE/GREEN",
                        new.key,
                        f"traffic {before or '-'} → {after or '-'}",
                        namespace=new.namespace,
                        service=label(new.selector, "app") or new.name,
                        kind=Kind.SERVICE,
                        key=new.key,
                    )
                    return
        self._entry(
            now,
            cluster,
            "SERVICE",
            new.key,
            f"selector {_selector(old.selector)} → {_selector(new.selector)}",
            namespace=new.namespace,
            service=label(new.selector, "app") or new.name,
            kind=Kind.SERVICE,
            key=new.key,
        )

    def _velero(
        self, cluster: str, old: Resource | None, new: Backup | Restore, now: float
    ) -> None:
        before = old.phase if isinstance(old, Backup | Restore) else None
        if before == new.phase:
            return
        done = new.phase in _DONE_PHASES
        if old is None and not done and new.phase in ("", "New"):
            return
        what = "BACKUP" if isinstance(new, Backup) else "RESTORE"
        if done:
            time = new.completed or now
            change = new.phase.lower() if new.phase in _GOOD_PHASES else new.phase
            if new.errors:
                change += f", {new.errors} error" + ("s" if new.errors != 1 else "")
        else:
            time = (new.started or now) if old is None else now
            change = "started" if new.phase == "InProgress" else new.phase or "?"
        if isinstance(new, Restore):
            change += f" from {new.backup}"
        self._entry(
            now,
            cluster,
            what,
            new.name,
            change,
            time=time,
            tone="bad" if new.phase in _BAD_PHASES else "good" if done else "info",
            kind=new.KIND,
            key=new.key,
        )

    def _kube_event(self, cluster: str, e: KubeEvent, now: float) -> None:
        horizon = now - self.max_age
        time = e.first_seen if e.first_seen >= horizon else e.last_seen
        text = f"{e.reason}: {e.note}" if e.note else e.reason
        co = (cluster, "EVENT", f"{e.regarding_kind}:{e.reason}:{e.note}")
        last = self._entries.get(self._coalescing.get(co, -1))
        if last is not None and abs(time - last.time) <= EVENT_COALESCE:
            # The same warning about many objects at once (FailedScheduling for each of the
            # surge's pods): one entry that counts them.
            steps = last.steps + 1
            subject = last.subject.partition(" +")[0]
            self._update(
                last,
                replace(
                    last, time=max(time, last.time), subject=f"{subject} +{steps - 1}", steps=steps
                ),
            )
            return
        entry = self._entry(
            now,
            cluster,
            "EVENT",
            f"{e.regarding_kind.lower()}/{e.regarding_name}",
            text,
            time=time,
            tone="bad",
            namespace=e.regarding_namespace,
            kind=Kind.EVENT,
            key=e.key,
        )
        if entry is not None:
            self._group(co, entry.seq)

    def _audited(self, a: Audited) -> None:
        text = f"{a.user}: {a.summary}  {a.result.upper()}"
        if a.error:
            text += f" ({a.error})"
        tone: Tone = "good" if a.result == "done" else "bad" if a.result == "failed" else "info"
        # The action's own time: the same entry live and in a replay of the recording.
        self._entry(a.time, a.cluster, "ACTION", a.action, text, time=a.time, tone=tone)


def _hhmm(ts: float) -> str:
    return time.strftime("%H:%M UTC", time.gmtime(ts))


def _at_max(obj: Hpa | NodePool) -> bool:
    return obj.at_max


def _span(seconds: float) -> str:
    seconds = max(seconds, 0.0)
    if seconds < 90:
        return f"{seconds:.0f}s"
    if seconds < 5400:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"


def newest_first(entries: Iterable[TimelineEntry]) -> Iterator[TimelineEntry]:
    """Entries sorted newest first (ties: the later entry first)."""
    return iter(sorted(entries, key=lambda e: (e.time, e.seq), reverse=True))
