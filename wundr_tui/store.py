"""The single source of truth: applies event batches, keeps indexes, answers reads.

Pure and fast: no I/O, no Textual. The app applies one batch per frame and asks the store
which keys changed, so only those rows are redrawn. What counts as an incident is decided by
the pure rules in ``wundr_tui.incidents``; ``Store.incidents`` runs them on the current state.
"""

from __future__ import annotations

import heapq
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from wundr_tui.clock import Clock, SystemClock
from wundr_tui.events import (
    Audited,
    ClusterSeen,
    Deleted,
    Event,
    Health,
    Replaced,
    Rewound,
    Upserted,
)
from wundr_tui.incidents import FirstSeen, find_incidents
from wundr_tui.model import (
    REGARDING_KINDS,
    BlueGreen,
    BlueGreenSpec,
    Cluster,
    Deployment,
    GoldenSignals,
    Incident,
    Kind,
    KubeEvent,
    Node,
    NodePool,
    Pod,
    ReplicaLink,
    Resource,
    Service,
    SourceHealth,
    label,
)
from wundr_tui.timeline import Timeline

LAG_HISTORY = 60
"""Lag samples kept per replica link (the Database pane's sparkline)."""

MAX_EVENTS = 5_000
"""Kubernetes events kept per cluster by default (``[kubernetes] max_events``): past it the
oldest by last seen go, so a cluster that emits thousands of warnings cannot fill memory."""

MAX_SIGNAL_SERIES = 200
"""Services whose golden signals are kept per cluster: past it a new service is ignored (a
recording or a Prometheus with thousands of ``service`` values cannot fill memory)."""

Regarding = tuple[str, str, str, str]
"""(cluster, Kubernetes kind, namespace, name) of the object an event is about."""


@dataclass
class Changes:
    """What one batch changed: enough for a pane to diff its rows by key."""

    touched: dict[Kind, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    """(cluster, key) per kind that were upserted or deleted; look the key up to know which."""
    health: bool = False
    clusters: bool = False

    def __bool__(self) -> bool:
        return any(self.touched.values()) or self.health or self.clusters

    def kinds(self) -> set[Kind]:
        """Kinds with at least one touched key."""
        return {k for k, v in self.touched.items() if v}


class Store:
    """Per-cluster, per-kind dicts of model objects, fed by event batches."""

    def __init__(
        self,
        clock: Clock | None = None,
        *,
        lag_threshold: float = 30.0,
        stale_after: float = 90.0,
        blue_green: Sequence[BlueGreenSpec] = (BlueGreenSpec(),),
        max_events: int = MAX_EVENTS,
        timeline: Timeline | None = None,
        error_threshold: float = 0.05,
        latency_threshold: float = 1.0,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        """Time source for ages and staleness."""
        self.lag_threshold = lag_threshold
        """Replica lag in seconds above which a link is an incident."""
        self.stale_after = stale_after
        """Seconds without news after which a live source shows as stale."""
        self.error_threshold = error_threshold
        """Share of 5xx answers over which a service's error rate alerts (the Services pane
        draws it on the sparkline)."""
        self.latency_threshold = latency_threshold
        """p95 latency in seconds over which a service alerts (drawn likewise)."""
        """Seconds without news after which a live source shows as stale."""
        self.blue_green_specs: tuple[BlueGreenSpec, ...] = tuple(blue_green)
        """The Services that switch between blue and green."""
        self.clusters: dict[str, Cluster] = {}
        """Every cluster announced so far, in order of appearance."""
        self.health: dict[tuple[str, str], SourceHealth] = {}
        """(cluster, source) → latest health."""
        self.lag_history: dict[tuple[str, str], deque[float]] = {}
        """(cluster, link key) → recent lag samples in seconds."""
        self.max_events = max_events
        """Kubernetes events kept per cluster; the oldest by last seen are evicted past it."""
        self.generation = 0
        """Bumped by every batch that changed something."""
        self.timeline = timeline or Timeline(
            lag_threshold=lag_threshold, blue_green=self.blue_green_specs
        )
        """What changed, derived from every event as it is applied (``:timeline``)."""
        self.recorded = False
        """The events come from a recording (a replay): a source that was live then is not
        live now, and the badges say so."""
        self._objects: dict[tuple[str, Kind], dict[str, Resource]] = {}
        self._last_news: dict[tuple[str, Kind], float] = {}
        self._problem_pods: dict[tuple[str, str], Pod] = {}
        self._heard: dict[tuple[str, str], float] = {}
        self._events_by_object: dict[Regarding, dict[str, KubeEvent]] = {}
        self._first_seen = FirstSeen()

    # -- reading ---------------------------------------------------------------------------

    def items(self, cluster: str, kind: Kind) -> dict[str, Resource]:
        """The objects of one kind in one cluster, by key (do not mutate)."""
        return self._objects.get((cluster, kind), {})

    def get(self, cluster: str, kind: Kind, key: str) -> Resource | None:
        """One object, or None."""
        return self._objects.get((cluster, kind), {}).get(key)

    def all(self, kind: Kind) -> Iterator[tuple[str, Resource]]:
        """(cluster, object) for one kind across every cluster, clusters in order."""
        for cluster in self.clusters:
            for obj in self._objects.get((cluster, kind), {}).values():
                yield cluster, obj
        for (cluster, k), objs in self._objects.items():
            if k is kind and cluster not in self.clusters:
                for obj in objs.values():
                    yield cluster, obj

    def count(self, kind: Kind, cluster: str | None = None) -> int:
        """How many objects of a kind (in one cluster, or all)."""
        return sum(
            len(objs)
            for (c, k), objs in self._objects.items()
            if k is kind and (cluster is None or c == cluster)
        )

    def problem_pods(self) -> Iterator[tuple[str, Pod]]:
        """(cluster, pod) for every pod with a problem, kept as an index so no scan is needed."""
        for (cluster, _), pod in self._problem_pods.items():
            yield cluster, pod

    def events_for(
        self, cluster: str, regarding_kind: Kind | str, namespace: str, name: str
    ) -> list[KubeEvent]:
        """The events about one object, newest first (by last seen).

        ``regarding_kind`` is one of our kinds (``Kind.POD``) or a Kubernetes kind as events
        name it (``"Pod"``); ``namespace`` is blank for cluster-scoped objects (nodes). A dict
        lookup, no scan.
        """
        if isinstance(regarding_kind, Kind):
            regarding_kind = REGARDING_KINDS.get(regarding_kind, regarding_kind.value)
        found = self._events_by_object.get((cluster, regarding_kind, namespace, name))
        if not found:
            return []
        return sorted(found.values(), key=lambda e: e.last_seen, reverse=True)

    def last_news(self, cluster: str, kind: Kind) -> float | None:
        """When a batch last touched this cluster and kind."""
        return self._last_news.get((cluster, kind))

    def health_for(self, cluster: str, kind: Kind | None = None) -> list[SourceHealth]:
        """Health of the sources feeding a cluster (and, if given, a kind)."""
        return [
            h
            for (c, _), h in self.health.items()
            if c == cluster and (kind is None or not h.kinds or kind in h.kinds)
        ]

    def pool_nodes(self, cluster: str, pool: str) -> tuple[int, int]:
        """(ready, total) Kubernetes nodes that belong to a node pool."""
        ready = total = 0
        for node in self.items(cluster, Kind.NODE).values():
            assert isinstance(node, Node)
            if node.pool == pool:
                total += 1
                ready += node.ready
        return ready, total

    def pool_unready_since(self, cluster: str, pool: str) -> float:
        """When the longest-unready node of a pool stopped being ready (0: none says)."""
        times = [
            node.since
            for node in self.items(cluster, Kind.NODE).values()
            if isinstance(node, Node) and node.pool == pool and not node.ready and node.since
        ]
        return min(times, default=0.0)

    def node_pools(self, cluster: str) -> list[NodePool]:
        """The cloud's node pools of a cluster, plus pools known only from node labels.

        Without cloud credentials (only kubeconfig) the pane still lists each pool its nodes
        name, with bounds unknown (-1) and status "nodes only".
        """
        pools = self.items(cluster, Kind.NODE_POOL)
        out = [p for p in pools.values() if isinstance(p, NodePool)]
        from_nodes: dict[str, str] = {}
        for node in self.items(cluster, Kind.NODE).values():
            assert isinstance(node, Node)
            if node.pool not in pools:
                from_nodes.setdefault(node.pool, node.machine_type)
        for name in sorted(from_nodes):
            out.append(
                NodePool(name, -1, -1, -1, from_nodes[name], status="nodes only", autoscaling=False)
            )
        return out

    def all_node_pools(self) -> Iterator[tuple[str, NodePool]]:
        """(cluster, pool) for every cluster, as ``node_pools`` sees them."""
        clusters = dict.fromkeys(self.clusters)
        for cluster, kind in self._objects:
            if kind in (Kind.NODE_POOL, Kind.NODE):
                clusters.setdefault(cluster)
        for cluster in clusters:
            for pool in self.node_pools(cluster):
                yield cluster, pool

    def blue_green(self, cluster: str) -> list[BlueGreen]:
        """The blue-green state of every configured Service present in a cluster."""
        result = []
        services = self.items(cluster, Kind.SERVICE)
        deployments = self.items(cluster, Kind.DEPLOYMENT).values()
        for spec in self.blue_green_specs:
            svc = services.get(f"{spec.namespace}/{spec.service}")
            if not isinstance(svc, Service):
                continue
            live = label(svc.selector, spec.key)
            base = tuple((k, v) for k, v in svc.selector if k != spec.key)

            def colour(
                value: str, spec: BlueGreenSpec = spec, base: tuple[tuple[str, str], ...] = base
            ) -> tuple[int, int]:
                ready = desired = 0
                for d in deployments:
                    assert isinstance(d, Deployment)
                    labels = dict(d.pod_labels)
                    if (
                        d.namespace == spec.namespace
                        and labels.get(spec.key) == value
                        and all(labels.get(k) == v for k, v in base)
                    ):
                        ready += d.ready
                        desired += d.desired
                return ready, desired

            result.append(
                BlueGreen(
                    cluster=cluster,
                    spec=spec,
                    live=live,
                    blue_ready=colour(spec.blue),
                    green_ready=colour(spec.green),
                    resource_version=svc.resource_version,
                )
            )
        return result

    # -- writing ---------------------------------------------------------------------------

    def apply(self, events: Iterable[Event]) -> Changes:
        """Apply a batch of events in order; return what changed."""
        changes = Changes()
        now = self.clock.now()
        timeline = self.timeline
        for event in events:
            if isinstance(event, Upserted | Deleted | Replaced):
                # Before the store changes: the timeline compares with what it held. History a
                # source catches up on is told at its own time.
                held = self._objects.get((event.cluster, event.kind), {})
                at = 0.0 if isinstance(event, Replaced) else event.at
                timeline.observe(event, held, min(at, now) if at else now)
            elif isinstance(event, Audited):
                timeline.observe(event, {}, now)
            if isinstance(event, Upserted):
                self._upsert(event.cluster, event.kind, event.items, changes)
                self._last_news[(event.cluster, event.kind)] = now
            elif isinstance(event, Deleted):
                self._delete(event.cluster, event.kind, event.keys, changes)
                self._last_news[(event.cluster, event.kind)] = now
            elif isinstance(event, Replaced):
                self._replace(event.cluster, event.kind, event.items, changes)
                self._last_news[(event.cluster, event.kind)] = now
            elif isinstance(event, Health):
                h = event.health
                self._heard[(h.cluster, h.source)] = now
                prev = self.health.get((h.cluster, h.source))
                if prev is None or (prev.state, prev.reason, prev.retry_at) != (
                    h.state,
                    h.reason,
                    h.retry_at,
                ):
                    self.health[(h.cluster, h.source)] = h
                    changes.health = True
            elif isinstance(event, Rewound):
                self._forget(changes)
            elif (
                isinstance(event, ClusterSeen)
                and self.clusters.get(event.cluster.name) != event.cluster
            ):
                self.clusters[event.cluster.name] = event.cluster
                changes.clusters = True
        timeline.prune(now)
        if changes:
            self.generation += 1
        return changes

    def _forget(self, changes: Changes) -> None:
        """A replay went back: forget everything, each object as a touched key (panes drop
        its row), clusters and health as changed."""
        for (cluster, kind), bucket in self._objects.items():
            changes.touched[kind].update((cluster, key) for key in bucket)
        self._objects.clear()
        self._last_news.clear()
        self._problem_pods.clear()
        self._heard.clear()
        self._events_by_object.clear()
        self.lag_history.clear()
        self.timeline.clear()
        self._first_seen = FirstSeen()
        if self.health:
            self.health.clear()
            changes.health = True
        if self.clusters:
            self.clusters.clear()
            changes.clusters = True

    def _bucket(self, cluster: str, kind: Kind) -> dict[str, Resource]:
        bucket = self._objects.get((cluster, kind))
        if bucket is None:
            bucket = self._objects[(cluster, kind)] = {}
        return bucket

    def _upsert(
        self, cluster: str, kind: Kind, items: Iterable[Resource], changes: Changes
    ) -> None:
        bucket = self._bucket(cluster, kind)
        touched = changes.touched[kind]
        if kind is Kind.SIGNALS:
            items = self._merge_signals(bucket, items)
        for obj in items:
            key = obj.key
            if bucket.get(key) != obj:
                old = bucket.get(key)
                bucket[key] = obj
                touched.add((cluster, key))
                self._index(cluster, kind, key, obj, old)
        if kind is Kind.EVENT:
            self._evict_events(cluster, bucket, changes)

    @staticmethod
    def _merge_signals(bucket: dict[str, Resource], items: Iterable[Resource]) -> list[Resource]:
        """Golden signals come as the newest points: merged into what is held (30 minutes at
        most), and no more than ``MAX_SIGNAL_SERIES`` services per cluster."""
        out: list[Resource] = []
        for obj in items:
            if not isinstance(obj, GoldenSignals):
                continue
            old = bucket.get(obj.key)
            if isinstance(old, GoldenSignals):
                out.append(old.merged(obj))
            elif len(bucket) + len(out) < MAX_SIGNAL_SERIES:
                out.append(obj.trimmed())
        return out

    def _delete(self, cluster: str, kind: Kind, keys: Iterable[str], changes: Changes) -> None:
        bucket = self._bucket(cluster, kind)
        touched = changes.touched[kind]
        for key in keys:
            old = bucket.pop(key, None)
            if old is not None:
                touched.add((cluster, key))
                self._index(cluster, kind, key, None, old)

    def _replace(
        self, cluster: str, kind: Kind, items: Iterable[Resource], changes: Changes
    ) -> None:
        old = self._bucket(cluster, kind)
        if kind is Kind.SIGNALS:
            items = self._merge_signals({}, items)
        new: dict[str, Resource] = {obj.key: obj for obj in items}
        touched = changes.touched[kind]
        for key in old.keys() - new.keys():
            touched.add((cluster, key))
            self._index(cluster, kind, key, None, old[key])
        for key, obj in new.items():
            if old.get(key) != obj:
                touched.add((cluster, key))
                self._index(cluster, kind, key, obj, old.get(key))
        self._objects[(cluster, kind)] = new
        if kind is Kind.EVENT:
            self._evict_events(cluster, new, changes)

    def _evict_events(self, cluster: str, bucket: dict[str, Resource], changes: Changes) -> None:
        """Past ``max_events`` in one cluster, drop the oldest by last seen (once per batch, so
        a full store costs one linear pass per frame, not one per event)."""
        excess = len(bucket) - self.max_events
        if excess <= 0:
            return
        oldest = heapq.nsmallest(
            excess, bucket.values(), key=lambda e: e.last_seen if isinstance(e, KubeEvent) else 0
        )
        touched = changes.touched[Kind.EVENT]
        for obj in oldest:
            key = obj.key
            del bucket[key]
            touched.add((cluster, key))
            self._index(cluster, Kind.EVENT, key, None, obj)

    def _index(
        self, cluster: str, kind: Kind, key: str, obj: Resource | None, old: Resource | None
    ) -> None:
        """Keep the derived indexes (problem pods, lag history, events by object) in step with
        one change: ``old`` was stored under ``key`` before, ``obj`` is now (None: gone)."""
        if kind is Kind.EVENT:
            self._index_event(cluster, key, obj, old)
        elif kind is Kind.POD:
            if isinstance(obj, Pod) and obj.problem:
                self._problem_pods[(cluster, key)] = obj
            else:
                self._problem_pods.pop((cluster, key), None)
        elif kind is Kind.REPLICA_LINK:
            if isinstance(obj, ReplicaLink):
                hist = self.lag_history.get((cluster, key))
                if hist is None:
                    hist = self.lag_history[(cluster, key)] = deque(maxlen=LAG_HISTORY)
                if obj.lag_seconds is not None:
                    hist.append(obj.lag_seconds)
            else:
                self.lag_history.pop((cluster, key), None)

    def _index_event(
        self, cluster: str, key: str, obj: Resource | None, old: Resource | None
    ) -> None:
        if isinstance(old, KubeEvent):
            where = (cluster, *old.regarding)
            found = self._events_by_object.get(where)
            if found is not None:
                found.pop(key, None)
                if not found:
                    del self._events_by_object[where]
        if isinstance(obj, KubeEvent):
            self._events_by_object.setdefault((cluster, *obj.regarding), {})[key] = obj

    # -- derived ---------------------------------------------------------------------------

    def last_heard(self, h: SourceHealth) -> float:
        """When a source last said anything: data for its kinds, or a health heartbeat."""
        news = [self._last_news.get((h.cluster, k)) for k in h.kinds]
        latest = max((n for n in news if n is not None), default=h.since)
        return max(latest, h.since, self._heard.get((h.cluster, h.source), h.since))

    def effective_health(self, h: SourceHealth) -> SourceHealth:
        """A live source with no news for ``stale_after`` seconds is shown as stale."""
        if h.state != "live":
            return h
        latest = self.last_heard(h)
        if self.clock.now() - latest > self.stale_after:
            return SourceHealth(h.cluster, h.source, "stale", latest, h.reason, h.kinds)
        return h

    def incidents(self) -> list[Incident]:
        """Everything wrong right now, across all clusters, worst first (rules: ``incidents``),
        each aged from when it went wrong, kept from one call to the next."""
        return find_incidents(self, self.clock.now(), self._first_seen)
