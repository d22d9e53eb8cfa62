"""Kubernetes events (``events.k8s.io/v1``): JSON → :class:`~wundr_tui.model.KubeEvent`, and
the merger that turns event objects into one row per (object, reason).

The apiserver keeps one Event object per series, but a long-lasting condition makes new ones
(a new series after a quiet spell, another reporter, the scheduler retrying): the panes want
one row per object and reason, with the highest count and the latest time. The list+watch is
the generic one (``watch._KindWatcher``, with ``fieldSelector=type=Warning`` from the kinds
registry); :class:`EventMerger` sits between it and ``emit``, so the store only ever sees
merged rows, and it keeps the event names so a watch's DELETED (the event expired) takes away
just that object's share.
"""

from __future__ import annotations

import heapq
import sys
import threading
from collections.abc import Iterable
from typing import Any

from wundr_tui.backends.base import Emit
from wundr_tui.backends.kube.parse import Obj, parse_time
from wundr_tui.events import Deleted, Event, Replaced, Upserted
from wundr_tui.model import EventType, Kind, KubeEvent, Resource

FIELD_SELECTOR = "type=Warning"
"""What is watched: Normal events (Scheduled, Pulled, Started...) are most of the volume and
say nothing is wrong."""

FORBIDDEN = "events: forbidden (RBAC: events list/watch)"
"""The badge when RBAC refuses events; the other kinds carry on (see docs/kubernetes.md)."""

MAX_EVENT_OBJECTS = 20_000
"""Event objects one merger remembers; past it the oldest by last seen are forgotten (the
store keeps fewer rows still: ``[kubernetes] max_events``)."""

_intern = sys.intern


def _str(value: Any) -> str:
    """A string field of the answer; anything else (a hostile or broken server) is blank."""
    return value if isinstance(value, str) else ""


def _count(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return 0


def event(obj: Obj) -> KubeEvent:
    """A KubeEvent from an ``events.k8s.io/v1`` Event's JSON.

    Count: ``series.count``, else ``deprecatedCount``, else 1. Last seen: the first present of
    ``series.lastObservedTime``, ``deprecatedLastTimestamp``, ``eventTime``,
    ``metadata.creationTimestamp``; first seen: ``deprecatedFirstTimestamp``, ``eventTime`` or
    the creation time. Reporter: ``reportingController`` or ``deprecatedSource.component``.
    """
    meta: Obj = obj.get("metadata") or {}
    regarding: Obj = obj.get("regarding") or {}
    series: Obj = obj.get("series") or {}
    source: Obj = obj.get("deprecatedSource") or {}
    if not all(isinstance(x, dict) for x in (meta, regarding, series, source)):
        raise TypeError("an event's metadata, regarding, series and source are objects")
    created = parse_time(meta.get("creationTimestamp"))
    event_time = parse_time(obj.get("eventTime"))
    last = (
        parse_time(series.get("lastObservedTime"))
        or parse_time(obj.get("deprecatedLastTimestamp"))
        or event_time
        or created
    )
    first = parse_time(obj.get("deprecatedFirstTimestamp")) or event_time or created or last
    count = _count(series.get("count")) or _count(obj.get("deprecatedCount")) or 1
    kind: EventType = "Normal" if obj.get("type") == "Normal" else "Warning"
    return KubeEvent(
        namespace=_intern(_str(meta.get("namespace"))),
        name=_str(meta.get("name")),
        type=kind,
        reason=_intern(_str(obj.get("reason"))),
        note=_str(obj.get("note")),
        regarding_kind=_intern(_str(regarding.get("kind"))),
        regarding_namespace=_intern(_str(regarding.get("namespace"))),
        regarding_name=_str(regarding.get("name")),
        count=count,
        first_seen=min(first, last),
        last_seen=last,
        reporter=_intern(_str(obj.get("reportingController")) or _str(source.get("component"))),
    )


def wire_key(e: Resource) -> str:
    """The event object's own identity on the apiserver (``namespace/name``), which a watch's
    DELETED names; the store's key is the (object, reason) one."""
    if not isinstance(e, KubeEvent):
        return e.key
    return f"{e.namespace}/{e.name}"


class EventMerger:
    """Between the events watchers of one context and ``emit``: event objects in, one merged
    row per (object, reason) out. Thread-safe (one context may watch several namespaces)."""

    def __init__(self, emit: Emit, limit: int = MAX_EVENT_OBJECTS) -> None:
        self._emit = emit
        self.limit = limit
        """Event objects remembered at most."""
        self._lock = threading.Lock()
        self._objects: dict[str, KubeEvent] = {}
        """wire key → the event object as last seen."""
        self._rows: dict[str, dict[str, KubeEvent]] = {}
        """row key (object, reason) → its event objects by wire key."""

    def __call__(self, event: Event) -> None:
        """An ``Emit``: events of other kinds and health pass through unchanged."""
        if not isinstance(event, Upserted | Deleted | Replaced) or event.kind is not Kind.EVENT:
            self._emit(event)
            return
        with self._lock:
            out = self._apply(event)
        if out is not None:
            self._emit(out)

    def _apply(self, event: Upserted | Deleted | Replaced) -> Event | None:
        cluster = event.cluster
        if isinstance(event, Replaced):
            self._objects.clear()
            self._rows.clear()
            self._add(_events(event.items))
            self._trim()
            return Replaced(cluster, Kind.EVENT, tuple(self._merged(k) for k in self._rows))
        if isinstance(event, Upserted):
            if not event.items:
                return event  # a heartbeat: the watch is alive
            touched = self._add(_events(event.items)) | self._trim()
        else:
            touched = self._forget(event.keys)
        gone = tuple(k for k in touched if k not in self._rows)
        kept = tuple(self._merged(k) for k in touched if k in self._rows)
        if gone and kept:
            # Two kinds of change in one answer: the deletions go first (they are older news).
            self._emit(Deleted(cluster, Kind.EVENT, gone))
            return Upserted(cluster, Kind.EVENT, kept)
        if gone:
            return Deleted(cluster, Kind.EVENT, gone)
        return Upserted(cluster, Kind.EVENT, kept) if kept else None

    def _add(self, events: Iterable[KubeEvent]) -> set[str]:
        touched: set[str] = set()
        for e in events:
            wk = wire_key(e)
            old = self._objects.get(wk)
            if old is not None and old.key != e.key:
                touched |= self._forget((wk,))
            self._objects[wk] = e
            self._rows.setdefault(e.key, {})[wk] = e
            touched.add(e.key)
        return touched

    def _forget(self, wire_keys: Iterable[str]) -> set[str]:
        touched: set[str] = set()
        for wk in wire_keys:
            old = self._objects.pop(wk, None)
            if old is None:
                continue
            row = self._rows.get(old.key)
            if row is not None:
                row.pop(wk, None)
                if not row:
                    del self._rows[old.key]
            touched.add(old.key)
        return touched

    def _trim(self) -> set[str]:
        excess = len(self._objects) - self.limit
        if excess <= 0:
            return set()
        oldest = heapq.nsmallest(excess, self._objects.items(), key=lambda kv: kv[1].last_seen)
        return self._forget(wk for wk, _ in oldest)

    def _merged(self, row_key: str) -> KubeEvent:
        parts = iter(self._rows[row_key].values())
        merged = next(parts)
        for e in parts:
            merged = merged.merged(e)
        return merged

    def rows(self) -> int:
        """Merged rows now known (for tests)."""
        with self._lock:
            return len(self._rows)


def _events(items: Iterable[Resource]) -> Iterable[KubeEvent]:
    return (e for e in items if isinstance(e, KubeEvent))
