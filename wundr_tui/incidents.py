"""The incident rules: what is wrong right now, how bad, and grouped how.

Pure functions over what the store knows (read through :class:`StoreView`, which ``Store``
satisfies with its public read methods): no Textual, no I/O, no clock of their own. Each rule
turns one kind of object into zero or more :class:`~wundr_tui.model.Incident` rows;
:func:`find_incidents` runs them all and sorts the result worst first.

A rank orders rows across kinds (0 is worst); the severity is the colour the row is drawn in.
Ranks are named tiers below so that a new rule picks a tier, not a number.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Protocol

from wundr_tui.format import ack_words, format_age, format_bytes, format_seconds, plural
from wundr_tui.model import (
    REGARDING_KINDS,
    Alert,
    BlueGreen,
    Cluster,
    Hpa,
    Incident,
    Kind,
    KubeEvent,
    Node,
    NodePool,
    Pod,
    ReplicaLink,
    Resource,
    Severity,
    SourceHealth,
)

RANK_PAGED = 0
"""A firing critical alert: someone already decided this wakes people up."""
RANK_BROKEN = 1
"""Down now: a source in error, pods that cannot start, a replica far behind."""
RANK_FAILING = 2
"""Failing but not down: warning alerts, failed pods, replication lagging or stopped, the live
blue-green colour short of ready pods."""
RANK_DEGRADED = 3
"""Capacity at risk: pending or unready pods, an HPA at max, nodes not ready, a sick pool."""
RANK_WATCH = 4
"""Worth a look: a source gone quiet (stale), a node pool at its maximum size."""
RANK_UNRATED = 5
"""An alert whose severity label the rules do not know."""
RANK_INFO = 8
"""An informational alert."""
RANK_CONTEXT = 9
"""Nothing wrong, listed for context: a healthy blue-green pair, a severity "none" alert."""

ALERT_RANK: Mapping[str, tuple[int, Severity]] = {
    "critical": (RANK_PAGED, "critical"),
    "warning": (RANK_FAILING, "warning"),
    "info": (RANK_INFO, "info"),
    "none": (RANK_CONTEXT, "none"),
}
"""Alert severity label → (rank, severity); any other label is (RANK_UNRATED, "warning")."""

POD_RANK: Mapping[str, tuple[int, Severity]] = {
    "CrashLoopBackOff": (RANK_BROKEN, "critical"),
    "ImagePullBackOff": (RANK_BROKEN, "critical"),
    "ErrImagePull": (RANK_BROKEN, "critical"),
    "OOMKilled": (RANK_BROKEN, "critical"),
    "Error": (RANK_FAILING, "warning"),
    "Failed": (RANK_FAILING, "warning"),
    "Pending": (RANK_DEGRADED, "warning"),
    "not ready": (RANK_DEGRADED, "warning"),
    "Unknown": (RANK_DEGRADED, "warning"),
}
"""Pod problem → (rank, severity); any other problem is (RANK_DEGRADED, "warning")."""

LAG_CRITICAL_FACTOR = 4
"""Replica lag above this many times the threshold is critical, not just a warning."""

POD_NAMES_SHOWN = 3
"""Pod names listed in a grouped pod row before the ellipsis."""

EVENT_RANK: Mapping[str, int] = {
    "FailedScheduling": RANK_WATCH,
    "BackOff": RANK_WATCH,
    "Unhealthy": RANK_WATCH,
    "NodeNotReady": RANK_WATCH,
    "FailedMount": RANK_DEGRADED,
    "OOMKilling": RANK_DEGRADED,
    "FailedCreate": RANK_DEGRADED,
}
"""Event reasons that make an incident row, and its rank. The first four explain rows the pod,
node pool and HPA rules already show (a Pending pod, a crash loop, a node not ready), so they
come below them; the others are often the only sign (a pod stuck creating on a volume, the
kernel's OOM killer, a ReplicaSet refused by a quota)."""

EVENT_RECENT = 600.0
"""Seconds since an event was last seen after which it is history, not an incident."""

_UNLISTED_CLUSTER = 99
"""Sort position of a cluster the store has data for but was never announced."""


class StoreView(Protocol):
    """The read-only part of the store that the rules need (``Store`` satisfies it)."""

    @property
    def clusters(self) -> Mapping[str, Cluster]:
        """Announced clusters, in order of appearance."""
        ...

    @property
    def health(self) -> Mapping[tuple[str, str], SourceHealth]:
        """(cluster, source) → latest reported health."""
        ...

    @property
    def lag_threshold(self) -> float:
        """Replica lag in seconds above which a link is an incident."""
        ...

    def effective_health(self, h: SourceHealth) -> SourceHealth:
        """The health as shown: a live source without news turns stale."""
        ...

    def all(self, kind: Kind) -> Iterator[tuple[str, Resource]]:
        """(cluster, object) for one kind across every cluster."""
        ...

    def problem_pods(self) -> Iterator[tuple[str, Pod]]:
        """(cluster, pod) for every pod with a problem."""
        ...

    def all_node_pools(self) -> Iterator[tuple[str, NodePool]]:
        """(cluster, pool) for every node pool, cloud-known or from node labels."""
        ...

    def get(self, cluster: str, kind: Kind, key: str) -> Resource | None:
        """One object, or None."""
        ...

    def count(self, kind: Kind, cluster: str | None = None) -> int:
        """How many objects of a kind (in one cluster, or all)."""
        ...

    def pool_nodes(self, cluster: str, pool: str) -> tuple[int, int]:
        """(ready, total) nodes of one pool."""
        ...

    def pool_unready_since(self, cluster: str, pool: str) -> float:
        """When the longest-unready node of a pool stopped being ready (0: none says)."""
        ...

    def blue_green(self, cluster: str) -> list[BlueGreen]:
        """Blue-green state of the configured Services in one cluster."""
        ...


class FirstSeen:
    """When each incident was first seen, so its age means "how long this has been wrong"
    from one frame to the next even where the API gives no time (an HPA at max, a pool at its
    size limit, a blue-green pair short of pods).

    A row keeps the earliest of its own time (the object's condition time, an alert's start)
    and the first time a row of the same identity (``Incident.identity``) was seen; a row gone
    from one call is forgotten (the trouble ended; if it comes back, it is new).
    """

    def __init__(self) -> None:
        self._since: dict[tuple[str, str, str, str], float] = {}

    def __len__(self) -> int:
        return len(self._since)

    def stamp(self, rows: Iterable[Incident], now: float) -> list[Incident]:
        """``rows`` with each ``since`` the earliest known for its identity."""
        kept: dict[tuple[str, str, str, str], float] = {}
        out = []
        for row in rows:
            ident = row.identity
            own = row.since if 0 < row.since <= now else now
            since = min(own, kept.get(ident, own), self._since.get(ident, own))
            kept[ident] = since
            out.append(row if since == row.since else replace(row, since=since))
        self._since = kept
        return out


def find_incidents(
    view: StoreView, now: float, first_seen: FirstSeen | None = None
) -> list[Incident]:
    """Everything wrong right now, across all clusters, worst first; with ``first_seen``,
    each row's age runs from when it was first seen if its own time says less."""
    # The sort is stable: rows that tie keep the order the rules run in here.
    out: list[Incident] = source_incidents(
        [view.effective_health(h) for h in view.health.values()], now
    )
    for cluster, obj in view.all(Kind.ALERT):
        assert isinstance(obj, Alert)
        alert = alert_incident(cluster, obj, now)
        if alert is not None:
            out.append(alert)
    out.extend(pod_incidents(view.problem_pods()))
    for cluster, obj in view.all(Kind.HPA):
        assert isinstance(obj, Hpa)
        hpa = hpa_incident(cluster, obj, now)
        if hpa is not None:
            out.append(hpa)
    for cluster, pool in view.all_node_pools():
        ready, total = view.pool_nodes(cluster, pool.name)
        unready = view.pool_unready_since(cluster, pool.name) if total > ready else 0.0
        out.extend(node_pool_incidents(cluster, pool, ready, total, now, unready))
    for cluster, obj in view.all(Kind.REPLICA_LINK):
        assert isinstance(obj, ReplicaLink)
        link = replica_incident(cluster, obj, view.lag_threshold, now)
        if link is not None:
            out.append(link)
    for cluster in view.clusters:
        out.extend(blue_green_incident(cluster, bg, now) for bg in view.blue_green(cluster))
    out = fold_events(out, event_incidents(view, now), view)
    if first_seen is not None:
        out = first_seen.stamp(out, now)
    return worst_first(out, view.clusters)


_GROUPED = re.compile(r"^(\S+) on \d+ \w+ (x\d+:)")


def fold_events(rows: list[Incident], events: list[Incident], view: StoreView) -> list[Incident]:
    """``rows`` and the event rows, each event folded into the row about the same object
    where there is one: a crash loop's BackOff into its POD row, a workload's FailedScheduling
    into its Pending pods' row, a node's NodeNotReady into its pool's row. The event's words
    follow the row's own (``CrashLoopBackOff, 3 restarts · BackOff x2: Back-off restarting…``);
    the row takes the worse rank and the earlier time. Events about nothing else listed stay
    rows of their own; the Events pane still lists every one."""
    host: dict[tuple[str, str], int] = {}
    for n, row in enumerate(rows):
        if row.what == "POD":
            host.setdefault((row.cluster, row.subject), n)
        elif row.what == "NODEPOOL":
            host.setdefault((row.cluster, f"pool/{row.subject}"), n)
    out = list(rows)
    for e in events:
        where = (e.cluster, e.subject)
        if e.subject.startswith("node/"):
            node = view.get(e.cluster, Kind.NODE, e.subject.removeprefix("node/"))
            if isinstance(node, Node) and node.pool:
                where = (e.cluster, f"pool/{node.pool}")
        at = host.get(where)
        if at is None and e.kind is Kind.POD:
            # One pod's event, its workload's pods one row: the event joins that row.
            pod = view.get(e.cluster, Kind.POD, e.key)
            if isinstance(pod, Pod) and pod.owner:
                at = host.get((e.cluster, f"{pod.namespace}/{pod.owner}"))
        if at is None:
            out.append(e)
            continue
        row = out[at]
        words = _GROUPED.sub(r"\1 \2", e.detail, count=1)  # the row already says "6 pods"
        since = min(t for t in (row.since, e.since) if t) if row.since or e.since else 0.0
        out[at] = replace(
            row,
            rank=min(row.rank, e.rank),
            detail=_fold_words(row, words),
            since=since,
        )
    return out


def _fold_words(row: Incident, words: str) -> str:
    """A row's detail with an event's words: after the problem and before a group's pod
    names (``6 pods Pending · FailedScheduling x6: 0/25 nodes… · api-gateway-blue-…``), which
    say least and are cut first."""
    if row.kind is Kind.DEPLOYMENT and ": " in row.detail:
        head, names = row.detail.split(": ", 1)
        return f"{head} · {words} · {names}"
    return f"{row.detail} · {words}"


def worst_first(incidents: Iterable[Incident], clusters: Iterable[str]) -> list[Incident]:
    """Sort by rank, then cluster order, then newest first, then subject (stable for ties)."""
    order = {name: i for i, name in enumerate(clusters)}
    return sorted(
        incidents,
        key=lambda i: (i.rank, order.get(i.cluster, _UNLISTED_CLUSTER), -i.since, i.subject),
    )


UNREACHABLE_REASONS = (
    "connection refused",
    "connection timed out",
    "connection lost",
    "cannot resolve",
    "the apiserver stopped answering",
    "TLS error",
)
"""Reasons (from ``describe_error``) that mean the apiserver cannot be reached at all."""

CLUSTER_SUBJECT = "Kubernetes API"
"""The subject of the one row a cluster whose Kubernetes watches all fail gets."""


def source_incidents(healths: Iterable[SourceHealth], now: float) -> list[Incident]:
    """Sources in error or stale, as few rows as the truth allows.

    Kubernetes watches of one cluster failing for the same reason (a dead apiserver: nine
    kinds, one "connection refused") are one CLUSTER row with the kinds folded in. A cloud,
    alert or database API in error is a warning, never a critical row: the cluster's
    Kubernetes sources say whether the cluster is down, and they may well be live.
    """
    out: list[Incident] = []
    failing: dict[tuple[str, str], list[SourceHealth]] = defaultdict(list)
    for h in healths:
        if h.state == "error" and h.family == "k8s":
            failing[(h.cluster, h.reason)].append(h)
            continue
        row = source_incident(h.cluster, h, now)
        if row is not None:
            out.append(row)
    for (cluster, _), group in failing.items():
        if len(group) == 1:
            row = source_incident(cluster, group[0], now)
            if row is not None:
                out.append(row)
        else:
            out.append(cluster_down_incident(cluster, group, now))
    return out


def source_incident(cluster: str, h: SourceHealth, now: float = 0.0) -> Incident | None:
    """A Kubernetes source in error (critical), another source in error (a warning: its pane
    lacks data, the cluster is not down) or any gone stale (warning); None while it is live.
    The detail counts down to the next attempt."""
    sev: Severity
    if h.state == "error" and h.family == "k8s":
        rank, sev = RANK_BROKEN, "critical"
    elif h.state == "error":
        rank, sev = RANK_FAILING, "warning"
    elif h.state == "stale":
        rank, sev = RANK_WATCH, "warning"
    else:
        return None
    reason = "; ".join(p for p in (h.reason, _retry(h, now)) if p)
    detail = f"{h.state}: {reason}" if reason else h.state
    return Incident(rank, sev, cluster, "SOURCE", h.source, detail, h.since, cause=h.state)


def cluster_down_incident(cluster: str, group: list[SourceHealth], now: float) -> Incident:
    """One critical row for a cluster whose Kubernetes watches fail alike:
    ``unreachable: connection refused, 40s · pods, deployments, …``."""
    reason = group[0].reason or "error"
    since = min(h.since for h in group)
    unreachable = any(reason.startswith(r) for r in UNREACHABLE_REASONS)
    kinds = ", ".join(sorted(h.source.removeprefix("kube/") for h in group))
    head = f"unreachable: {reason}" if unreachable else reason
    detail = f"{head}, {format_age(max(now - since, 0.0))} · {len(group)} kinds: {kinds}"
    return Incident(
        RANK_BROKEN, "critical", cluster, "CLUSTER", CLUSTER_SUBJECT, detail, since, cause=reason
    )


def _retry(h: SourceHealth, now: float) -> str:
    if not h.retry_at or not now:
        return ""
    left = math.ceil(h.retry_at - now)
    return f"retrying in {left}s" if left >= 1 else "retrying"


def alert_incident(cluster: str, alert: Alert, now: float = 0.0) -> Incident | None:
    """A firing alert nobody silenced or inhibited, ranked by its severity label; an
    acknowledged one (``a``: a silence saying ``ack:``) stays, saying who and how long ago."""
    acked = bool(alert.acked_by) and alert.state in ("firing", "suppressed")
    if not acked and (alert.state != "firing" or alert.silenced_by or alert.inhibited):
        return None
    rank, sev = ALERT_RANK.get(alert.severity, (RANK_UNRATED, "warning"))
    where = alert.subject or alert.source
    summary = alert.summary or alert.description or alert.severity
    detail = f"{where}: {summary}" if where else summary
    if acked:
        detail = f"{ack_words(alert.acked_by, alert.acked_at, alert.ack_until, now)} · {detail}"
    return Incident(
        rank,
        sev,
        cluster,
        "ALERT",
        alert.name,
        detail,
        alert.starts_at,
        Kind.ALERT,
        alert.key,
        cause=alert.key,
    )


def pod_incidents(problem_pods: Iterable[tuple[str, Pod]]) -> list[Incident]:
    """Problem pods, grouped by cluster, namespace, owner and problem (one row per group).

    Fifty crash-looping replicas of one Deployment are one row, not fifty: the row names the
    owner, the count and the first few pods.
    """
    groups: dict[tuple[str, str, str, str], list[Pod]] = defaultdict(list)
    for cluster, pod in problem_pods:
        problem = pod.problem or ""
        groups[(cluster, pod.namespace, pod.owner or pod.name, problem)].append(pod)
    out = []
    for (cluster, ns, owner, problem), pods in groups.items():
        rank, sev = POD_RANK.get(problem, (RANK_DEGRADED, "warning"))
        pods.sort(key=lambda p: p.name)
        if len(pods) == 1:
            p = pods[0]
            detail = f"{problem}, {plural(p.restarts, 'restart')}" if p.restarts else problem
            subject = f"{ns}/{p.name}"
            kind, key = Kind.POD, p.key
        else:
            shown = ", ".join(p.name for p in pods[:POD_NAMES_SHOWN])
            detail = f"{plural(len(pods), 'pod')} {problem}: {shown}"
            if len(pods) > POD_NAMES_SHOWN:
                detail += ", …"
            subject = f"{ns}/{owner}"
            kind, key = Kind.DEPLOYMENT, f"{ns}/{owner}"
        # How long the pods have been wrong (their Ready condition), not how old they are.
        since = min(p.since or p.created for p in pods)
        out.append(
            Incident(rank, sev, cluster, "POD", subject, detail, since, kind, key, cause=problem)
        )
    return out


def hpa_incident(cluster: str, hpa: Hpa, now: float) -> Incident | None:
    """An autoscaler pinned at its maximum, with the metrics that keep it there."""
    if not hpa.at_max:
        return None
    metrics = ", ".join(
        f"{m.name} {m.current:.0f}%/{m.target:.0f}%" for m in hpa.metrics if m.current is not None
    )
    detail = f"at max {hpa.current_replicas}/{hpa.max_replicas}" + (
        f" ({metrics})" if metrics else ""
    )
    return Incident(
        RANK_DEGRADED,
        "warning",
        cluster,
        "HPA",
        hpa.key,
        detail,
        hpa.limited_since or now,
        Kind.HPA,
        hpa.key,
        cause="at max",
    )


def node_pool_incidents(
    cluster: str,
    pool: NodePool,
    ready: int,
    total: int,
    now: float,
    unready_since: float = 0.0,
) -> list[Incident]:
    """A node pool's unready nodes (aged from the first to go), its size at max and the
    cloud's health note (each a row)."""

    def row(rank: int, detail: str, since: float, cause: str) -> Incident:
        return Incident(
            rank,
            "warning",
            cluster,
            "NODEPOOL",
            pool.name,
            detail,
            since,
            Kind.NODE_POOL,
            pool.key,
            cause=cause,
        )

    parts: list[tuple[int, str, float]] = []
    # Short words when both apply, so both fit the DETAIL column at 80 columns.
    both = total > ready and pool.at_max
    if pool.at_max:
        size = f"{pool.desired}/{pool.max_size}"
        parts.append((RANK_WATCH, f"at max {size}" if both else f"at max {size} nodes", 0.0))
    if total > ready:
        unready = (
            f"{total - ready} not ready" if both else f"{total - ready} of {total} nodes not ready"
        )
        parts.append((RANK_DEGRADED, unready, unready_since))
    if pool.health:
        parts.append((RANK_DEGRADED, pool.health, 0.0))
    if not parts:
        return []
    # One row per pool, its troubles joined, so a pool at max with unready nodes is one row
    # (at the demo's worst moment two rows of one pool pushed others off an 80x24 screen); one
    # cause while any trouble lasts, so its age runs from the first.
    since = min((t for _, _, t in parts if t), default=now)
    detail = ", ".join(words for _, words, _ in parts)
    return [row(min(rank for rank, _, _ in parts), detail, since, "node pool")]


def replica_incident(
    cluster: str, link: ReplicaLink, lag_threshold: float, now: float
) -> Incident | None:
    """A replica lagging past the threshold (critical far past it), or not replicating."""
    lag = link.lag_seconds

    def row(rank: int, severity: Severity, detail: str, cause: str = "lag") -> Incident:
        # No API says since when a replica lags: the row's age is how long it has been seen.
        return Incident(
            rank,
            severity,
            cluster,
            "DB",
            link.replica,
            detail,
            now,
            Kind.REPLICA_LINK,
            link.key,
            cause=cause,
        )

    if lag is not None and lag > lag_threshold:
        detail = f"lag {format_seconds(lag)}"
        if link.lag_bytes is not None:
            detail += f" ({format_bytes(link.lag_bytes)})"
        detail += f" behind {link.primary} ({link.primary_region}→{link.replica_region})"
        if lag > LAG_CRITICAL_FACTOR * lag_threshold:
            return row(RANK_BROKEN, "critical", detail)
        return row(RANK_FAILING, "warning", detail)
    word = link.replication
    if word != "streaming":
        own = f" ({link.state})" if link.state.lower() != word else ""
        detail = f"replication {word} from {link.primary}{own}"
        return row(RANK_FAILING, "warning", detail, cause=link.state)
    return None


def blue_green_incident(cluster: str, bg: BlueGreen, now: float) -> Incident:
    """Always one row per pair: a warning if the live colour is unknown or short, else info."""
    colour = bg.live_colour
    ready, desired = bg.blue_ready if colour == "blue" else bg.green_ready
    # The count first: at 80 columns the DETAIL column cuts what comes after 28 cells.
    detail = f"live: {colour} {ready}/{desired} ready ({bg.live or 'no match'})"
    kind, key = Kind.SERVICE, f"{bg.spec.namespace}/{bg.spec.service}"
    short = colour == "?" or ready < desired or desired == 0
    # Aged from when the pair was first seen in this state (live colour, short or not).
    cause = f"{colour} {'short' if short else 'ready'}"
    sev: Severity = "warning" if short else "info"
    rank = RANK_FAILING if short else RANK_CONTEXT
    return Incident(
        rank, sev, cluster, "BLUE/GREEN", bg.spec.service, detail, now, kind, key, cause=cause
    )


_STORE_KINDS = {name: kind for kind, name in REGARDING_KINDS.items()}


def _still_wrong(view: StoreView, cluster: str, e: KubeEvent) -> bool:
    """Whether the object an event is about is still there (when the store knows its kind in
    that cluster) and, for the reasons that describe a state (Pending, crash loop, not ready),
    still in it."""
    kind = _STORE_KINDS.get(e.regarding_kind)
    if kind is None or not view.count(kind, cluster):
        return True
    key = (
        f"{e.regarding_namespace}/{e.regarding_name}" if e.regarding_namespace else e.regarding_name
    )
    obj = view.get(cluster, kind, key)
    if obj is None:
        return False
    if e.reason == "FailedScheduling":
        return isinstance(obj, Pod) and obj.status == "Pending"
    if e.reason == "Unhealthy":  # a readiness probe that passes again: nothing left to see
        return isinstance(obj, Pod) and obj.ready < obj.containers
    if e.reason == "BackOff":  # the crash loop is over once the pod is well
        return isinstance(obj, Pod) and obj.problem is not None
    if e.reason == "NodeNotReady":
        return isinstance(obj, Node) and not obj.ready
    return True


def _group(e: KubeEvent) -> str:
    """What repeats of a reason are grouped under: a pod's workload (its name without the
    ReplicaSet hash and pod suffix), else the object itself."""
    if e.regarding_kind == "Pod":
        parts = e.regarding_name.rsplit("-", 2)
        if len(parts) == 3 and parts[0]:
            return parts[0]
    return e.regarding_name


def event_incidents(view: StoreView, now: float) -> list[Incident]:
    """Recent Warning events whose reason matters (``EVENT_RANK``), about objects still there:
    one row per object and reason, and pods of one workload with the same reason in one row
    (thirty Pending replicas' FailedScheduling is one row naming the workload)."""
    groups: dict[tuple[str, str, str, str, str], list[KubeEvent]] = defaultdict(list)
    for cluster, e in view.all(Kind.EVENT):
        if not isinstance(e, KubeEvent) or e.reason not in EVENT_RANK:
            continue
        if now - e.last_seen > EVENT_RECENT or not _still_wrong(view, cluster, e):
            continue
        where = (cluster, e.regarding_kind, e.regarding_namespace, _group(e), e.reason)
        groups[where].append(e)
    out = []
    for (cluster, kind, ns, group, reason), found in groups.items():
        newest = max(found, key=lambda e: e.last_seen)
        total = sum(e.count for e in found)
        if len(found) == 1:
            name = newest.regarding_name
            detail = f"{reason} x{total}: {newest.note}"
        else:
            name = group
            detail = f"{reason} on {len(found)} {kind.lower()}s x{total}: {newest.note}"
        subject = f"{ns}/{name}" if ns else f"{kind.lower()}/{name}"
        since = min(e.first_seen for e in found)
        # Enter opens the object (one), or the workload the pods belong to (a group).
        target = _STORE_KINDS.get(kind)
        if len(found) > 1 and kind == "Pod":
            target = Kind.DEPLOYMENT
        key = f"{ns}/{name}" if ns else name
        out.append(
            Incident(
                EVENT_RANK[reason],
                "warning",
                cluster,
                "EVENT",
                subject,
                detail,
                since,
                target,
                key,
                cause=reason,
            )
        )
    return out
