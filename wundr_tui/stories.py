"""Stories: the incident rows that belong to one causal chain, told as one line, cause first.

A pure module over what the store knows (``StoryView``; ``Store`` satisfies it), like
``incidents``: no Textual, no I/O, no clock of its own. The links are facts, each with the
reason it is a link (``Link.why``):

- **the same service**: an alert's ``service`` label, a workload's ``app`` label (its pods'
  owner, an HPA's target, a blue/green Service's selector) name one service, in a namespace;
  rows about it on every cluster are one story, and a story on both clouds says so;
- **pods Pending on a pool at max**: a workload's Pending pods and a node pool of the same
  cluster at its maximum size (the scheduler has nowhere to put them);
- **pods on a node not ready**: a pod row whose node is not ready joins its pool's row;
- **a change just before**: the rollout, blue/green switch or audited action on the story's
  service in the quarter hour before its first trouble (from the timeline).

A story needs two troubles at least (critical or warning rows; healthy context joins one but
never makes one); every other row stays a row. Its headline names the cause
first and the symptom the users feel last: capacity (node pools), then pods, then the HPA, the
blue/green pair and the alerts ("compute-pool at max 20/20 (gke) → 6 api-gateway-blue pods
Pending (gke) → HPA at max 20/20 (eks, gke) → HighErrorRate, HighLatency (eks)").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from wundr_tui.format import format_age
from wundr_tui.model import (
    NAME_LABELS,
    Alert,
    Deployment,
    Hpa,
    Incident,
    Kind,
    Node,
    NodePool,
    Pod,
    Resource,
    Service,
    Severity,
    label,
)
from wundr_tui.store import Store
from wundr_tui.timeline import TimelineEntry

STORY = "STORY"
"""The WHAT of a story's row."""

BEFORE_SECONDS = 900.0
"""How long before a story's first trouble a change counts as "just before" it."""

CHANGES = ("ROLLOUT", "BLUE/GREEN", "SERVICE", "ACTION")
"""Timeline entries that are changes someone made (not symptoms): what a story names first."""

LAYER: Mapping[str, int] = {
    "NODEPOOL": 0,
    "POD": 1,
    "EVENT": 1,
    "HPA": 2,
    "DB": 3,
    "BLUE/GREEN": 3,
    "ALERT": 4,
}
"""Where a row sits in a story's chain: capacity first, what the users feel last."""

_SEVERITY_ORDER: Mapping[Severity, int] = {
    "critical": 0,
    "warning": 1,
    "info": 2,
    "none": 3,
}


class StoryView(Protocol):
    """What the stories read from the store."""

    def get(self, cluster: str, kind: Kind, key: str) -> Resource | None:
        """One object by its key."""
        ...  # pragma: no cover

    def all_node_pools(self) -> Iterable[tuple[str, NodePool]]:
        """Every node pool, with its cluster."""
        ...  # pragma: no cover


Before = Callable[[float, str, str, str], Sequence[TimelineEntry]]
"""(when, cluster, namespace, service) → the changes just before ``when``, newest first."""


@dataclass(frozen=True, slots=True)
class Link:
    """One row of a story and why it belongs to it."""

    incident: Incident
    why: str


@dataclass(frozen=True, slots=True)
class Story:
    """Rows of one causal chain, cause first."""

    key: str
    """``service:NAMESPACE/NAME`` or ``pool:CLUSTER/NAME``: the same story from frame to frame."""
    subject: str
    """What the story is about (the service, or the node pool)."""
    links: tuple[Link, ...]
    """Cause first, symptom last."""
    headline: str
    before: tuple[TimelineEntry, ...] = field(default=())
    """The changes just before its first trouble, newest first."""

    @property
    def clusters(self) -> list[str]:
        """The clusters it spans, in the order its rows name them."""
        return list(dict.fromkeys(link.incident.cluster for link in self.links))

    @property
    def rank(self) -> int:
        """The rank of its worst row."""
        return min(link.incident.rank for link in self.links)

    @property
    def severity(self) -> Severity:
        """The severity of its worst row."""
        return min(
            (link.incident.severity for link in self.links),
            key=lambda s: _SEVERITY_ORDER.get(s, 9),
        )

    @property
    def since(self) -> float:
        """When its first trouble started."""
        return min((link.incident.since for link in self.links if link.incident.since), default=0)

    def row(self, tags: Mapping[str, str], cluster: str = "") -> Incident:
        """The story as one Incident row (``STORY``): SUBJECT what it is about, DETAIL the
        headline; its cluster the one it is on, or ``cluster`` ("": several, their tags joined
        by ``+`` in ``key``, as the CLU column shows them)."""
        clusters = self.clusters
        one = clusters[0] if len(clusters) == 1 else cluster
        order = {c: n for n, c in enumerate(tags)}
        ordered = sorted(clusters, key=lambda c: order.get(c, len(order)))
        spans = "" if one else "+".join(tags.get(c, c) for c in ordered)
        return Incident(
            self.rank,
            self.severity,
            one,
            STORY,
            self.subject,
            self.headline,
            self.since,
            None,
            spans,
            cause=self.key,
        )


def service_of(view: StoryView, row: Incident) -> tuple[str, str] | None:
    """(namespace, service) the row is about, from the store's facts; None when it names
    none (a node pool, a replica link, a source)."""
    kind, cluster, key = row.kind, row.cluster, row.key
    if kind is None or not key:
        return None
    obj = view.get(cluster, kind, key)
    if isinstance(obj, Alert):
        if obj.service:
            return obj.namespace, obj.service
        if obj.pod and obj.namespace:
            pod = view.get(cluster, Kind.POD, f"{obj.namespace}/{obj.pod}")
            return _owner_service(view, cluster, pod) if isinstance(pod, Pod) else None
        return None
    if isinstance(obj, Pod):
        return _owner_service(view, cluster, obj)
    if isinstance(obj, Deployment):
        return obj.namespace, _app(obj.pod_labels) or obj.name
    if isinstance(obj, Hpa):
        target_kind, _, name = obj.target.partition("/")
        dep = view.get(cluster, Kind.DEPLOYMENT, f"{obj.namespace}/{name}")
        if isinstance(dep, Deployment):
            return dep.namespace, _app(dep.pod_labels) or dep.name
        return (obj.namespace, name) if target_kind == "Deployment" and name else None
    if isinstance(obj, Service):
        return obj.namespace, _app(obj.selector) or obj.name
    return None


def _app(labels: tuple[tuple[str, str], ...]) -> str:
    return next((v for k in NAME_LABELS if (v := label(labels, k))), "")


def _owner_service(view: StoryView, cluster: str, pod: Resource | None) -> tuple[str, str] | None:
    if not isinstance(pod, Pod) or not pod.owner:
        return None
    dep = view.get(cluster, Kind.DEPLOYMENT, f"{pod.namespace}/{pod.owner}")
    if isinstance(dep, Deployment):
        return dep.namespace, _app(dep.pod_labels) or dep.name
    return pod.namespace, pod.owner


def tell_stories(
    rows: Sequence[Incident],
    view: StoryView,
    tags: Mapping[str, str],
    before: Before | None = None,
    now: float = 0.0,
) -> list[Story | Incident]:
    """``rows`` (worst first) with the rows of each causal chain told as one story, in the
    place of the story's worst row; the rest unchanged and in order."""
    pools: dict[tuple[str, str], NodePool] = {
        (cluster, pool.name): pool for cluster, pool in view.all_node_pools()
    }
    groups: dict[str, list[Link]] = {}
    subjects: dict[str, str] = {}
    where: dict[int, str] = {}
    service_rows: dict[tuple[str, str], list[int]] = {}
    for n, row in enumerate(rows):
        svc = service_of(view, row)
        if svc is None:
            continue
        key = f"service:{svc[0]}/{svc[1]}"
        groups.setdefault(key, []).append(Link(row, "same service"))
        subjects.setdefault(key, f"{svc[0]}/{svc[1]}")
        where[n] = key
        service_rows.setdefault(svc, []).append(n)
    # A pod row on a node that is not ready joins its pool's row (before the services: a
    # system pod on a dead node is the node's story, not its workload's).
    pool_row = {
        (row.cluster, row.subject): n for n, row in enumerate(rows) if row.what == "NODEPOOL"
    }
    for n, row in enumerate(rows):
        if row.what != "POD" or row.kind is not Kind.POD:
            continue
        pod = view.get(row.cluster, Kind.POD, row.key)
        if not isinstance(pod, Pod) or not pod.node:
            continue
        node = view.get(row.cluster, Kind.NODE, pod.node)
        if not isinstance(node, Node) or node.ready or not node.pool:
            continue
        host = pool_row.get((row.cluster, node.pool))
        if host is None:
            continue
        key = f"pool:{row.cluster}/{node.pool}"
        if key not in groups:
            groups[key] = [Link(rows[host], "its nodes not ready")]
            subjects[key] = node.pool
            where[host] = key
        old = where.get(n)
        if old is not None:
            groups[old] = [link for link in groups[old] if link.incident is not row]
        groups[key].append(Link(row, f"on {pod.node}, not ready"))
        where[n] = key
    # Pods Pending while a pool of their cluster is at max: the pool joins their story.
    for n, row in enumerate(rows):
        if row.what != "POD" or "Pending" not in row.cause or n not in where:
            continue
        told_in = where[n]
        for (cluster, name), pool in pools.items():
            host = pool_row.get((cluster, name))
            if cluster != row.cluster or not pool.at_max or host is None or host in where:
                continue
            groups[told_in].append(Link(rows[host], "pods Pending, pool at max"))
            where[host] = told_in
    stories: dict[str, Story] = {}
    for key, links in groups.items():
        # Two troubles at least: healthy context (a blue/green pair all ready) joins a story
        # but never makes one.
        if sum(link.incident.severity in ("critical", "warning") for link in links) < 2:
            continue
        ordered = sorted(links, key=lambda link: LAYER.get(link.incident.what, 3))
        changes: tuple[TimelineEntry, ...] = ()
        if before is not None and key.startswith("service:"):
            namespace, _, name = key.removeprefix("service:").partition("/")
            first = min((link.incident.since for link in ordered if link.incident.since), default=0)
            found: list[TimelineEntry] = []
            for cluster in dict.fromkeys(link.incident.cluster for link in ordered):
                found.extend(before(first, cluster, namespace, name))
            changes = tuple(sorted(found, key=lambda e: -e.time))
        about = subjects[key] if key.startswith("pool:") else ""
        stories[key] = Story(
            key,
            subjects[key],
            tuple(ordered),
            headline(ordered, tags, changes, now, about=about),
            changes,
        )
    out: list[Story | Incident] = []
    told: set[str] = set()
    for n, row in enumerate(rows):
        key = where.get(n, "")
        story = stories.get(key)
        if story is None:
            out.append(row)
        elif key not in told:
            told.add(key)
            out.append(story)
    return out


def headline(
    links: Sequence[Link],
    tags: Mapping[str, str],
    before: Sequence[TimelineEntry] = (),
    now: float = 0.0,
    *,
    about: str = "",
) -> str:
    """Cause first, symptom last: each row in a few words, the same words on several clusters
    said once with their tags, the change just before first of all. A row about ``about``
    (the story's subject, shown beside the headline) leaves its name out."""
    order = {cluster: n for n, cluster in enumerate(tags)}

    def in_order(clusters: Iterable[str]) -> list[str]:
        return sorted(dict.fromkeys(clusters), key=lambda c: order.get(c, len(order)))

    clusters = in_order(link.incident.cluster for link in links)
    spans = len(clusters) > 1
    # Single pods with the same trouble read as a count ("4 pods not ready").
    troubles: dict[str, int] = {}
    for link in links:
        if link.incident.what == "POD" and link.incident.kind is Kind.POD:
            trouble = _pod_trouble(link.incident)
            troubles[trouble] = troubles.get(trouble, 0) + 1
    parts: dict[tuple[int, str], list[str]] = {}
    for link in links:
        i = link.incident
        words = _words(i)
        if about and i.subject == about:
            words = words.removeprefix(f"{about} ")
        if i.what == "POD" and i.kind is Kind.POD and troubles.get(_pod_trouble(i), 0) > 1:
            words = f"{troubles[_pod_trouble(i)]} pods {_pod_trouble(i)}"
        if not words:
            continue
        parts.setdefault((LAYER.get(i.what, 3), words), []).append(i.cluster)
    said: list[tuple[int, str, list[str]]] = [
        (layer, words, in_order(where)) for (layer, words), where in parts.items()
    ]
    # Alerts on the same clusters read as one list ("HighErrorRate, HighLatency (eks)").
    merged: list[tuple[int, str, list[str]]] = []
    for layer, words, where in said:
        last = merged[-1] if merged else None
        if last and layer == LAYER["ALERT"] == last[0] and last[2] == where:
            merged[-1] = (layer, f"{last[1]}, {words}", where)
        else:
            merged.append((layer, words, where))
    text = [
        f"{words} ({', '.join(tags.get(c, c) for c in where)})" if spans else words
        for _, words, where in merged
    ]
    if before:
        change = before[0]
        ago = f" {format_age(now - change.time)} before" if now and change.time <= now else ""
        on = f" ({tags.get(change.cluster, change.cluster)})" if spans else ""
        # "image v1.4.2 → v1.4.3 (revision 5)" says "v1.4.3": the headline's own arrows
        # are the chain's; the detail view and the timeline keep the whole change.
        to = change.change.split(" (", 1)[0].rpartition("→ ")[2]
        text.insert(0, f"{change.what.lower()} {to}{ago}{on}")
    return " → ".join(text)


def _words(i: Incident) -> str:
    """One row in a few words (its detail up to the first ``·`` or parenthesis)."""
    detail = i.detail.split(" · ", 1)[0]
    if i.what == "NODEPOOL":
        return f"{i.subject} {detail.removesuffix(' nodes')}"
    if i.what == "HPA":
        return f"HPA {detail.split(' (', 1)[0]}"
    if i.what == "POD":
        name = i.subject.rpartition("/")[2]
        if i.kind is Kind.DEPLOYMENT:  # a workload's pods: "6 pods Pending"
            count, _, rest = detail.partition(" ")
            return f"{count} {name} {rest}" if count.isdigit() else f"{name} {detail}"
        return f"{name} {_pod_trouble(i)}"
    if i.what == "BLUE/GREEN":
        return "" if i.severity == "info" else detail.split(" (", 1)[0]
    if i.what == "ALERT":
        return i.subject
    return f"{i.subject} {detail}"


def _pod_trouble(i: Incident) -> str:
    """A pod row's trouble without its restarts (``CrashLoopBackOff``, ``not ready``)."""
    return i.detail.split(" · ", 1)[0].split(", ", 1)[0]


def store_stories(
    store: Store, rows: Sequence[Incident], tags: Mapping[str, str]
) -> list[Story | Incident]:
    """``tell_stories`` over the store, with the changes just before each story read from its
    timeline, at the store's time."""
    timeline = store.timeline

    def before(when: float, cluster: str, namespace: str, service: str) -> list[TimelineEntry]:
        return timeline.before(
            when,
            BEFORE_SECONDS,
            cluster=cluster,
            namespace=namespace,
            service=service,
            what=CHANGES,
        )

    return tell_stories(rows, store, tags, before, store.clock.now())
