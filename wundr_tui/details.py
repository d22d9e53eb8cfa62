"""What the detail view says about one object: sections of (label, value) facts, in an on-call
engineer's words, per kind.

From the store's small model (always there, live) and, where the backend can read it, the
whole object (``full``: a pod's containers, probes, last termination...). The whole object is
untrusted text from the server: every string taken from it goes through ``safe`` and is cut
to ``MAX_VALUE`` characters here, so the view shows it as it is (never as markup). The
model's strings were made safe at the pump already. Pure: no I/O, no Textual.
"""

from __future__ import annotations

from collections.abc import Mapping

from wundr_tui.facts import (
    Fact,
    Obj,
    Section,
    Tone,
    alert_sections,
    condition_sections,
    dig,
    dig_list,
    metadata_sections,
    node_pool_sections,
    parse_time,
    replica_sections,
    text,
    velero_sections,
    when,
)
from wundr_tui.format import format_age, plural
from wundr_tui.model import (
    Alert,
    Backup,
    BackupSchedule,
    Deployment,
    Hpa,
    Kind,
    Node,
    NodePool,
    Pod,
    ReplicaLink,
    Restore,
    Service,
)
from wundr_tui.related import colour_of, deployment_of, hpas_for, pods_of, services_for
from wundr_tui.store import Store

__all__ = ["Fact", "Section", "Tone", "describe", "env_text", "probe_text", "text", "title", "when"]

SERVER_KINDS = (
    Kind.POD,
    Kind.DEPLOYMENT,
    Kind.SERVICE,
    Kind.HPA,
    Kind.NODE,
    Kind.SCHEDULE,
    Kind.BACKUP,
    Kind.RESTORE,
)
"""Kinds that are Kubernetes objects (a GET can read them whole); node pools, replica links
and alerts live in clouds, databases and Alertmanager: the view shows what the store has."""

KIND_WORDS = {
    Kind.POD: "pod",
    Kind.DEPLOYMENT: "deployment",
    Kind.SERVICE: "service",
    Kind.HPA: "hpa",
    Kind.NODE: "node",
    Kind.NODE_POOL: "node pool",
    Kind.REPLICA_LINK: "replica",
    Kind.ALERT: "alert",
    Kind.SCHEDULE: "schedule",
    Kind.BACKUP: "backup",
    Kind.RESTORE: "restore",
}
"""How the breadcrumb and titles name a kind."""


def title(cluster_tag: str, kind: Kind, key: str, name: str = "") -> str:
    """``pod eks/setup-toolkit-…``: how the breadcrumb names an object (``name`` where its
    key is not one a person reads: an alert's key is its fingerprint)."""
    if not name:
        name = key.rpartition("/")[2] if kind not in (Kind.REPLICA_LINK,) else key
    return f"{KIND_WORDS.get(kind, str(kind))} {cluster_tag}/{name}"


def describe(
    store: Store, cluster: str, kind: Kind, key: str, full: Obj | None, now: float
) -> list[Section]:
    """The facts of one object, from the store's model and (where read) the whole object."""
    obj = store.get(cluster, kind, key)
    if obj is None and kind is Kind.NODE_POOL:
        obj = next((p for p in store.node_pools(cluster) if p.name == key), None)
    if obj is None and full is None:
        return [
            Section("Gone", (Fact("state", "not in the store (deleted, or not seen yet)", "warn"),))
        ]
    sections: list[Section] = []
    if isinstance(obj, Pod) or (obj is None and kind is Kind.POD):
        sections = pod_sections(store, cluster, obj if isinstance(obj, Pod) else None, full, now)
    elif isinstance(obj, Deployment):
        sections = deployment_sections(store, cluster, obj, full)
    elif isinstance(obj, Hpa):
        sections = hpa_sections(obj, full)
    elif isinstance(obj, Node):
        sections = node_sections(store, cluster, obj, full, now)
    elif isinstance(obj, NodePool):
        sections = node_pool_sections(store, cluster, obj)
    elif isinstance(obj, Service):
        sections = service_sections(store, cluster, obj, full)
    elif isinstance(obj, ReplicaLink):
        sections = replica_sections(obj, now)
    elif isinstance(obj, Alert):
        sections = alert_sections(obj, now)
    elif isinstance(obj, Backup | Restore | BackupSchedule):
        sections = velero_sections(obj, full, now)
    if full is not None:
        sections.extend(metadata_sections(full))
    return sections


# -- pods ----------------------------------------------------------------------------------


def _state_of(status: Obj) -> tuple[str, str, Tone]:
    """(word, detail, tone) of a container's ``state``."""
    state = dig(status, "state") or {}
    tones: tuple[tuple[str, Tone], ...] = (
        ("waiting", "bad"),
        ("terminated", "bad"),
        ("running", "good"),
    )
    for word, tone in tones:
        s = dig(state, word)
        if isinstance(s, Mapping):
            reason = text(s.get("reason") or word)
            message = text(s.get("message") or "")
            if word == "running":
                return "Running", f"since {text(s.get('startedAt') or '?')}", "good"
            if word == "waiting" and reason in ("ContainerCreating", "PodInitializing"):
                tone = "warn"
            return reason, message, tone
    return "unknown", "", "warn"


def container_facts(status: Obj, spec: Obj | None, now: float) -> list[Fact]:
    """One container: state, restarts, last termination, image, resources, probes, env."""
    name = text(status.get("name") or dig(spec, "name") or "?")
    word, detail, tone = _state_of(status)
    ready = "ready" if status.get("ready") else "not ready"
    restarts = status.get("restartCount")
    again = f" · {plural(restarts, 'restart')}" if isinstance(restarts, int) and restarts else ""
    facts = [Fact(f"{name}", f"{word} · {ready}{again}", tone)]
    # The last termination first: it is why a crash-looping pod is opened.
    last = dig(status, "lastState", "terminated")
    if isinstance(last, Mapping):
        finished = parse_time(last.get("finishedAt"))
        code = last.get("exitCode")
        facts.append(
            Fact(
                "  last termination",
                f"{text(last.get('reason') or '?')}, exit code "
                f"{text(code if code is not None else '?')}, {when(finished, now)}",
                "bad",
            )
        )
        if last.get("message"):
            facts.append(Fact("  message", text(last["message"]), "bad"))
    if detail:
        facts.append(Fact("  state", detail, "dim" if word == "Running" else tone))
    image = dig(spec, "image") or status.get("image")
    if image:
        facts.append(Fact("  image", text(image)))
    resources = dig(spec, "resources") or {}
    for what in ("requests", "limits"):
        values = dig(resources, what)
        if isinstance(values, Mapping) and values:
            facts.append(
                Fact(f"  {what}", ", ".join(f"{text(k)} {text(v)}" for k, v in values.items()))
            )
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        p = dig(spec, probe)
        if isinstance(p, Mapping):
            facts.append(Fact(f"  {probe.removesuffix('Probe')}", probe_text(p)))
    for env in dig_list(spec, "env"):
        facts.append(Fact(f"  env {text(env.get('name') or '?')}", env_text(env), "dim"))
    return facts


def probe_text(probe: Obj) -> str:
    """``http GET :8080/healthz every 10s, timeout 2s, 3 failures``."""
    if isinstance(h := probe.get("httpGet"), Mapping):
        how = f"http GET :{text(h.get('port', '?'))}{text(h.get('path', '/'))}"
    elif isinstance(t := probe.get("tcpSocket"), Mapping):
        how = f"tcp :{text(t.get('port', '?'))}"
    elif isinstance(e := probe.get("exec"), Mapping):
        how = "exec " + " ".join(text(c) for c in (e.get("command") or []) if isinstance(c, str))
    elif isinstance(g := probe.get("grpc"), Mapping):
        how = f"grpc :{text(g.get('port', '?'))}"
    else:
        how = "?"
    parts = [how]
    for key, word in (
        ("initialDelaySeconds", "delay"),
        ("periodSeconds", "every"),
        ("timeoutSeconds", "timeout"),
    ):
        if isinstance(probe.get(key), int):
            parts.append(f"{word} {probe[key]}s")
    if isinstance(probe.get("failureThreshold"), int):
        parts.append(f"{probe['failureThreshold']} failures")
    return ", ".join(parts)


def env_text(env: Obj) -> str:
    """A literal value, or the reference it comes from; a secret only ever as a reference
    (``secretKeyRef wundr-db-credentials/password``), never a value."""
    source = env.get("valueFrom")
    if isinstance(source, Mapping):
        for ref, word in (
            ("secretKeyRef", "secretKeyRef"),
            ("configMapKeyRef", "configMapKeyRef"),
        ):
            r = source.get(ref)
            if isinstance(r, Mapping):
                return f"{word} {text(r.get('name') or '?')}/{text(r.get('key') or '?')}"
        field = dig(source, "fieldRef", "fieldPath") or dig(source, "resourceFieldRef", "resource")
        return f"from {text(field or '?')}"
    return text(env.get("value", ""))


def pod_sections(
    store: Store, cluster: str, pod: Pod | None, full: Obj | None, now: float
) -> list[Section]:
    """Phase, containers (the last termination is what a crash-looping pod is opened for, so
    they come before the conditions), node, IPs and the owner chain of a pod."""
    status = dig(full, "status") or {}
    summary: list[Fact] = []
    if pod is not None:
        tone: Tone = "good" if pod.problem is None else "bad"
        summary.append(
            Fact(
                "status",
                f"{pod.status} · {pod.ready}/{pod.containers} ready"
                f" · {plural(pod.restarts, 'restart')}"
                f" · age {format_age(now - pod.created)}",
                tone,
            )
        )
    elif status.get("phase"):
        summary.append(Fact("phase", text(status["phase"])))
    node = pod.node if pod is not None else text(dig(full, "spec", "nodeName") or "")
    summary.append(Fact("node", node or "(not scheduled)", "" if node else "warn"))
    if status.get("podIP") or status.get("hostIP"):
        summary.append(
            Fact(
                "IPs",
                f"pod {text(status.get('podIP') or '-')}"
                f" · host {text(status.get('hostIP') or '-')}",
            )
        )
    sections = [Section("Pod", tuple(summary))]
    specs = {text(c.get("name") or ""): c for c in dig_list(full, "spec", "containers")}
    containers: list[Fact] = []
    statuses = dig_list(status, "initContainerStatuses") + dig_list(status, "containerStatuses")
    seen = set()
    for cs in statuses:
        name = text(cs.get("name") or "")
        seen.add(name)
        containers.extend(container_facts(cs, specs.get(name), now))
    for name, spec in specs.items():
        if name not in seen:
            containers.extend(container_facts({"name": name}, spec, now))
    if containers:
        sections.append(Section("Containers", tuple(containers)))
    conditions = [
        Fact(
            text(c.get("type") or "?"),
            text(c.get("status") or "?")
            + (f" · {text(c['reason'])}" if c.get("reason") else "")
            + (f" · {text(c['message'])}" if c.get("message") else ""),
            "good" if c.get("status") == "True" else "warn",
        )
        for c in dig_list(status, "conditions")
    ]
    if conditions:
        sections.append(Section("Conditions", tuple(conditions)))
    sections.append(Section("Owner chain", tuple(owner_chain(store, cluster, pod, full))))
    return sections


def owner_chain(store: Store, cluster: str, pod: Pod | None, full: Obj | None) -> list[Fact]:
    """pod → ReplicaSet → Deployment → HPA, the Services that select it, its colour."""
    facts = []
    for ref in dig_list(full, "metadata", "ownerReferences"):
        facts.append(Fact(text(ref.get("kind") or "owner"), text(ref.get("name") or "?")))
    dep = deployment_of(store, cluster, pod) if pod is not None else None
    if dep is None:
        if pod is not None and pod.owner:
            facts.append(Fact("owner", pod.owner))
        return facts or [Fact("owner", "none (a bare pod)", "dim")]
    if not facts and pod is not None and pod.name.startswith(f"{dep.name}-"):
        facts.append(Fact("ReplicaSet", pod.name.rsplit("-", 1)[0]))
    facts.append(Fact("Deployment", f"{dep.name} ({dep.ready}/{dep.desired} ready)"))
    for hpa in hpas_for(store, cluster, dep.namespace, dep.name):
        facts.append(
            Fact(
                "HPA",
                f"{hpa.name} ({hpa.current_replicas} of {hpa.min_replicas}-{hpa.max_replicas})",
            )
        )
    for svc in services_for(store, cluster, dep):
        facts.append(Fact("Service", svc.name))
    colour = colour_of(store, dep.pod_labels)
    if colour:
        live = any(
            bg.live_colour == colour and bg.spec.namespace == dep.namespace
            for bg in store.blue_green(cluster)
        )
        facts.append(
            Fact("colour", f"{colour} ({'live' if live else 'idle'})", "good" if live else "dim")
        )
    return facts


# -- workloads -----------------------------------------------------------------------------


def deployment_sections(
    store: Store, cluster: str, dep: Deployment, full: Obj | None
) -> list[Section]:
    """Rollout counts, its pods' health, HPA, Services, colour, conditions."""
    pods = pods_of(store, cluster, dep.namespace, dep.name)
    bad = [p for p in pods if p.problem]
    facts = [
        Fact(
            "replicas",
            f"{dep.ready}/{dep.desired} ready · {dep.available} available · {dep.updated} updated",
            "good" if dep.unavailable == 0 else "warn",
        ),
        Fact("pods", f"{len(pods)} ({len(bad)} with a problem)", "bad" if bad else ""),
    ]
    for p in bad[:5]:
        facts.append(Fact(f"  {p.name}", f"{p.problem}, {plural(p.restarts, 'restart')}", "bad"))
    facts.append(Fact("pod labels", ", ".join(f"{k}={v}" for k, v in dep.pod_labels) or "-"))
    for hpa in hpas_for(store, cluster, dep.namespace, dep.name):
        facts.append(Fact("HPA", f"{hpa.name} ({hpa.min_replicas}-{hpa.max_replicas})"))
    for svc in services_for(store, cluster, dep):
        facts.append(Fact("Service", svc.name))
    colour = colour_of(store, dep.pod_labels)
    if colour:
        facts.append(Fact("colour", colour))
    strategy = dig(full, "spec", "strategy", "type")
    if strategy:
        facts.append(Fact("strategy", text(strategy)))
    sections = [Section("Deployment", tuple(facts))]
    sections.extend(condition_sections(full))
    return sections


def hpa_sections(hpa: Hpa, full: Obj | None) -> list[Section]:
    """Replicas against bounds, each metric against its target."""
    facts = [
        Fact("target", hpa.target),
        Fact("replicas", f"{hpa.current_replicas} now, {hpa.desired_replicas} desired"),
        Fact(
            "bounds",
            f"min {hpa.min_replicas} · max {hpa.max_replicas}",
            "warn" if hpa.at_max else "",
        ),
    ]
    if hpa.at_max:
        facts.append(Fact("at max", "wants at least its maximum: it cannot scale further", "bad"))
    for m in hpa.metrics:
        current = "?" if m.current is None else f"{m.current:.0f}%"
        over = m.current is not None and m.current > m.target
        facts.append(
            Fact(f"metric {m.name}", f"{current} of target {m.target:.0f}%", "warn" if over else "")
        )
    return [Section("HPA", tuple(facts)), *condition_sections(full)]


def service_sections(store: Store, cluster: str, svc: Service, full: Obj | None) -> list[Section]:
    """Selector, endpoints and, for a blue/green Service, which colour is live and how ready."""
    facts = [
        Fact("selector", ", ".join(f"{k}={v}" for k, v in svc.selector) or "(none)"),
        Fact("ready endpoints", "?" if svc.ready_endpoints < 0 else str(svc.ready_endpoints)),
    ]
    if (ip := dig(full, "spec", "clusterIP")) is not None:
        facts.append(Fact("cluster IP", text(ip)))
    for port in dig_list(full, "spec", "ports"):
        facts.append(
            Fact("port", f"{text(port.get('port', '?'))} → {text(port.get('targetPort', '?'))}")
        )
    for bg in store.blue_green(cluster):
        if bg.spec.namespace == svc.namespace and bg.spec.service == svc.name:
            facts.append(Fact("live colour", f"{bg.live_colour} ({bg.live or 'no match'})", "good"))
            facts.append(Fact("blue", f"{bg.blue_ready[0]}/{bg.blue_ready[1]} ready"))
            facts.append(Fact("green", f"{bg.green_ready[0]}/{bg.green_ready[1]} ready"))
    return [Section("Service", tuple(facts))]


# -- infrastructure ------------------------------------------------------------------------


def node_sections(
    store: Store, cluster: str, node: Node, full: Obj | None, now: float
) -> list[Section]:
    """Readiness, pool, machine, pods on it, addresses, capacity, taints."""
    pods = [
        p
        for p in store.items(cluster, Kind.POD).values()
        if isinstance(p, Pod) and p.node == node.name
    ]
    facts = [
        Fact("ready", "Ready" if node.ready else "NotReady", "good" if node.ready else "bad"),
        Fact("pool", node.pool or "-"),
        Fact("machine", node.machine_type or "-"),
        Fact("age", format_age(now - node.created) if node.created else "-"),
        Fact("pods", f"{len(pods)} ({sum(1 for p in pods if p.problem)} with a problem)"),
    ]
    for a in dig_list(full, "status", "addresses"):
        facts.append(Fact(text(a.get("type") or "address"), text(a.get("address") or "")))
    for what in ("capacity", "allocatable"):
        values = dig(full, "status", what)
        if isinstance(values, Mapping):
            facts.append(Fact(what, ", ".join(f"{text(k)} {text(v)}" for k, v in values.items())))
    for taint in dig_list(full, "spec", "taints"):
        facts.append(
            Fact(
                "taint",
                f"{text(taint.get('key') or '?')}:{text(taint.get('effect') or '')}",
                "warn",
            )
        )
    if (kubelet := dig(full, "status", "nodeInfo", "kubeletVersion")) is not None:
        facts.append(Fact("kubelet", text(kubelet)))
    return [Section("Node", tuple(facts)), *condition_sections(full)]


# -- every object --------------------------------------------------------------------------
