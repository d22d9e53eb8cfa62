"""What is related to an object, read from the Store: the keys the detail view offers to go on.

alert → the workloads and pods its labels name (namespace, service, deployment, pod); HPA →
its deployment → its pods; node pool → its nodes → the pods on a node; pod → its node, its
owner deployment and HPA, the Services that select it; blue/green Service → each colour's
deployments and pods. Pure (no I/O, no Textual); every answer is bounded.

The store's pods carry no labels, so a Service reaches its pods through the deployments whose
pod template its selector matches, and a deployment through the pods it owns.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from wundr_tui.model import (
    NAME_LABELS,
    REGARDING_KINDS,
    Alert,
    Backup,
    Deployment,
    Hpa,
    Incident,
    Kind,
    KubeEvent,
    Labels,
    Node,
    Pod,
    Restore,
    Service,
    label,
)
from wundr_tui.store import Store

MAX_RELATED = 200
"""Most related objects listed for one object (a node pool of 500 nodes lists the first)."""


@dataclass(frozen=True, slots=True)
class Ref:
    """One object to go to: where it is, and how the list names it."""

    cluster: str
    kind: Kind
    key: str
    relation: str
    """Why it is listed, in an engineer's words: ``node``, ``owner``, ``pod (blue)``."""

    @property
    def name(self) -> str:
        """The object's name without its namespace."""
        return self.key.rpartition("/")[2]


def selects(selector: Labels, labels: Labels) -> bool:
    """A non-empty selector matches when every pair is in the labels."""
    if not selector:
        return False
    have = dict(labels)
    return all(have.get(k) == v for k, v in selector)


def pods_of(store: Store, cluster: str, namespace: str, owner: str) -> list[Pod]:
    """The pods a deployment (or StatefulSet) of that name owns, by name."""
    out = []
    for pod in store.items(cluster, Kind.POD).values():
        if isinstance(pod, Pod) and pod.owner == owner and pod.namespace == namespace:
            out.append(pod)
    out.sort(key=lambda p: p.name)
    return out


def hpas_for(store: Store, cluster: str, namespace: str, deployment: str) -> list[Hpa]:
    """The HPAs whose target is this deployment."""
    want = f"Deployment/{deployment}"
    return [
        h
        for h in store.items(cluster, Kind.HPA).values()
        if isinstance(h, Hpa) and h.namespace == namespace and h.target == want
    ]


def services_for(store: Store, cluster: str, dep: Deployment) -> list[Service]:
    """The Services whose selector matches the deployment's pod template."""
    return [
        s
        for s in store.items(cluster, Kind.SERVICE).values()
        if isinstance(s, Service)
        and s.namespace == dep.namespace
        and selects(s.selector, dep.pod_labels)
    ]


def colour_of(store: Store, labels: Labels) -> str:
    """``blue`` / ``green`` when the labels carry a blue-green key's value, else blank."""
    for spec in store.blue_green_specs:
        value = label(labels, spec.key)
        if value == spec.blue:
            return "blue"
        if value == spec.green:
            return "green"
    return ""


def deployment_of(store: Store, cluster: str, pod: Pod) -> Deployment | None:
    """The deployment that owns a pod, when the store has it."""
    dep = store.get(cluster, Kind.DEPLOYMENT, f"{pod.namespace}/{pod.owner}") if pod.owner else None
    return dep if isinstance(dep, Deployment) else None


def alert_workloads(store: Store, cluster: str, alert: Alert) -> list[Deployment]:
    """The deployments an alert's labels name: ``deployment``, or ``service`` matched against
    deployment names and pod-template name labels, within its namespace when it has one."""
    labels = dict(alert.labels)
    names = {n for n in (labels.get("deployment"), alert.service) if n}
    if not names:
        return []
    ns = alert.namespace
    out = []
    for dep in store.items(cluster, Kind.DEPLOYMENT).values():
        if not isinstance(dep, Deployment) or (ns and dep.namespace != ns):
            continue
        tags = {label(dep.pod_labels, k) for k in NAME_LABELS} - {""}
        if dep.name in names or tags & names:
            out.append(dep)
    out.sort(key=lambda d: d.key)
    return out


def _limit(refs: Iterable[Ref]) -> list[Ref]:
    out: list[Ref] = []
    seen: set[tuple[Kind, str]] = set()
    for ref in refs:
        if (ref.kind, ref.key) in seen:
            continue
        seen.add((ref.kind, ref.key))
        out.append(ref)
        if len(out) >= MAX_RELATED:
            break
    return out


def related(store: Store, cluster: str, kind: Kind, key: str) -> list[Ref]:
    """Everything the detail view offers to go to from this object, nearest first."""
    return _limit(_related(store, cluster, kind, key))


def _pod_refs(cluster: str, pods: Iterable[Pod], relation: str = "pod") -> Iterator[Ref]:
    for pod in pods:
        yield Ref(cluster, Kind.POD, pod.key, relation)


def _related(store: Store, cluster: str, kind: Kind, key: str) -> Iterator[Ref]:
    obj = store.get(cluster, kind, key)
    if isinstance(obj, Pod):
        if obj.node:
            yield Ref(cluster, Kind.NODE, obj.node, "node")
        dep = deployment_of(store, cluster, obj)
        if dep is not None:
            yield Ref(cluster, Kind.DEPLOYMENT, dep.key, "owner")
            for hpa in hpas_for(store, cluster, dep.namespace, dep.name):
                yield Ref(cluster, Kind.HPA, hpa.key, "autoscaler")
            for svc in services_for(store, cluster, dep):
                yield Ref(cluster, Kind.SERVICE, svc.key, "service")
    elif isinstance(obj, Deployment):
        for hpa in hpas_for(store, cluster, obj.namespace, obj.name):
            yield Ref(cluster, Kind.HPA, hpa.key, "autoscaler")
        for svc in services_for(store, cluster, obj):
            yield Ref(cluster, Kind.SERVICE, svc.key, "service")
        yield from _pod_refs(cluster, pods_of(store, cluster, obj.namespace, obj.name))
    elif isinstance(obj, Hpa):
        kind_name, _, target = obj.target.partition("/")
        dep_key = f"{obj.namespace}/{target}"
        if kind_name == "Deployment" and store.get(cluster, Kind.DEPLOYMENT, dep_key):
            yield Ref(cluster, Kind.DEPLOYMENT, dep_key, "target")
        yield from _pod_refs(cluster, pods_of(store, cluster, obj.namespace, target))
    elif isinstance(obj, Service):
        yield from _service_refs(store, cluster, obj)
    elif isinstance(obj, Node):
        if store.get(cluster, Kind.NODE_POOL, obj.pool) is not None or obj.pool:
            yield Ref(cluster, Kind.NODE_POOL, obj.pool, "node pool")
        pods = [
            p
            for p in store.items(cluster, Kind.POD).values()
            if isinstance(p, Pod) and p.node == obj.name
        ]
        yield from _pod_refs(cluster, sorted(pods, key=lambda p: p.key))
    elif kind is Kind.NODE_POOL:
        nodes = [
            n
            for n in store.items(cluster, Kind.NODE).values()
            if isinstance(n, Node) and n.pool == key
        ]
        for node in sorted(nodes, key=lambda n: (n.ready, n.name)):
            yield Ref(cluster, Kind.NODE, node.key, "node" if node.ready else "node (NotReady)")
    elif isinstance(obj, Alert):
        yield from _alert_refs(store, cluster, obj)
    elif isinstance(obj, Backup):
        if obj.schedule:
            yield Ref(cluster, Kind.SCHEDULE, obj.schedule, "schedule")
        for r in store.items(cluster, Kind.RESTORE).values():
            if isinstance(r, Restore) and r.backup == obj.name:
                yield Ref(cluster, Kind.RESTORE, r.key, "restore")
    elif isinstance(obj, Restore):
        yield Ref(cluster, Kind.BACKUP, obj.backup, "backup")
    elif kind is Kind.SCHEDULE:
        backups = [
            b
            for b in store.items(cluster, Kind.BACKUP).values()
            if isinstance(b, Backup) and b.schedule == key
        ]
        for b in sorted(backups, key=lambda b: -(b.started or 0)):
            yield Ref(cluster, Kind.BACKUP, b.key, "backup")


def _service_refs(store: Store, cluster: str, svc: Service) -> Iterator[Ref]:
    """A Service's deployments and pods; for a blue/green Service, each colour's, live first."""
    spec = next(
        (
            s
            for s in store.blue_green_specs
            if s.namespace == svc.namespace and s.service == svc.name
        ),
        None,
    )
    deployments = [
        d for d in store.items(cluster, Kind.DEPLOYMENT).values() if isinstance(d, Deployment)
    ]
    if spec is None:
        for dep in sorted(deployments, key=lambda d: d.key):
            if dep.namespace == svc.namespace and selects(svc.selector, dep.pod_labels):
                yield Ref(cluster, Kind.DEPLOYMENT, dep.key, "selected")
                yield from _pod_refs(cluster, pods_of(store, cluster, dep.namespace, dep.name))
        return
    live = label(svc.selector, spec.key)
    base = tuple((k, v) for k, v in svc.selector if k != spec.key)
    colours = [("blue", spec.blue), ("green", spec.green)]
    colours.sort(key=lambda c: c[1] != live)
    for colour, value in colours:
        tag = f"{colour}, live" if value == live else colour
        for dep in sorted(deployments, key=lambda d: d.key):
            labels = dict(dep.pod_labels)
            if (
                dep.namespace == svc.namespace
                and labels.get(spec.key) == value
                and all(labels.get(k) == v for k, v in base)
            ):
                yield Ref(cluster, Kind.DEPLOYMENT, dep.key, f"deployment ({tag})")
                pods = pods_of(store, cluster, dep.namespace, dep.name)
                yield from _pod_refs(cluster, pods, f"pod ({tag})")


def _alert_refs(store: Store, cluster: str, alert: Alert) -> Iterator[Ref]:
    """The pod its ``pod`` label names, the deployments its labels name and their pods."""
    if alert.pod:
        for pod in store.items(cluster, Kind.POD).values():
            if (
                isinstance(pod, Pod)
                and pod.name == alert.pod
                and (not alert.namespace or pod.namespace == alert.namespace)
            ):
                yield Ref(cluster, Kind.POD, pod.key, "pod")
    workloads = alert_workloads(store, cluster, alert)
    for dep in workloads:
        yield Ref(cluster, Kind.DEPLOYMENT, dep.key, "workload")
    for svc in store.items(cluster, Kind.SERVICE).values():
        if isinstance(svc, Service) and any(selects(svc.selector, d.pod_labels) for d in workloads):
            yield Ref(cluster, Kind.SERVICE, svc.key, "service")
    for dep in workloads:
        yield from _pod_refs(cluster, pods_of(store, cluster, dep.namespace, dep.name))


def incident_target(incident: Incident) -> tuple[str, Kind, str] | None:
    """(cluster, kind, key) of the object an incident row is about; None for a source row."""
    if incident.kind is None or not incident.key:
        return None
    return incident.cluster, incident.kind, incident.key


def regarding_target(cluster: str, event: KubeEvent) -> tuple[str, Kind, str] | None:
    """(cluster, kind, key) of the object an event is about, when it is a kind the store keeps."""
    kind = next((k for k, name in REGARDING_KINDS.items() if name == event.regarding_kind), None)
    if kind is None or not event.regarding_name:
        return None
    ns = event.regarding_namespace
    return cluster, kind, f"{ns}/{event.regarding_name}" if ns else event.regarding_name
