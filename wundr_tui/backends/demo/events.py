"""The demo's Kubernetes Warning events, read off the simulation as the scheduler, the kubelet
and the node controller would report them.

Every few simulated seconds :func:`observe` looks at one cluster's state: an unschedulable pod
gets FailedScheduling, the crash-looping pod BackOff, a NotReady node NodeNotReady, a running
pod short of ready containers Unhealthy (its readiness probe). While a condition lasts its
event's count grows and its last seen moves, as an event series does; events not seen for
``EVENT_TTL`` go, as the apiserver's event TTL makes them. Deterministic: state and clock only.
"""

from __future__ import annotations

import hashlib

from wundr_tui.backends.demo.state import ClusterState
from wundr_tui.model import Kind, KubeEvent

OBSERVE_EVERY = 5
"""Simulated seconds between looks (the story's other periodic steps use the same beat)."""

REPEAT = {"FailedScheduling": 10, "BackOff": 10, "NodeNotReady": 10, "Unhealthy": 5}
"""Seconds between two counts of one ongoing condition (a scheduler retry, a kubelet back-off
message, a probe period)."""

EVENT_TTL = 900
"""Seconds after its last occurrence that an event is gone (the apiserver keeps an hour; the
demo's five-minute story keeps a quarter of it, so old rows do not pile up)."""


def _uid(*parts: str) -> str:
    h = hashlib.blake2b("/".join(parts).encode(), digest_size=16).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def observe(state: ClusterState) -> None:
    """Bring the cluster's events in line with what is wrong in it now."""
    now = state.now
    nodes = len(state.nodes)
    seen: list[tuple[str, str, str, str, str, str]] = []
    # (reason, kind, namespace, name, note, reporter)
    for key in state.unschedulable:
        pod = state.pods.get(key)
        if pod is not None and pod.status == "Pending":
            note = f"0/{nodes} nodes are available: {nodes} Insufficient cpu."
            seen.append(
                ("FailedScheduling", "Pod", pod.namespace, pod.name, note, "default-scheduler")
            )
    crash = state.pods.get(state.crash_pod)
    if crash is not None and crash.status == "CrashLoopBackOff":
        uid = _uid(state.name, crash.namespace, crash.name)
        note = (
            f"Back-off restarting failed container {crash.owner} in pod "
            f"{crash.name}_{crash.namespace}({uid})"
        )
        seen.append(("BackOff", "Pod", crash.namespace, crash.name, note, "kubelet"))
    if state.down_node:
        note = f"Node {state.down_node} status is now: NodeNotReady"
        seen.append(("NodeNotReady", "Node", "", state.down_node, note, "node-controller"))
    down = state.down_node
    for pod in state.pods.values():
        if pod.status == "Running" and pod.ready < pod.containers and pod.node != down:
            if pod.key == state.crash_pod:
                continue  # its BackOff says more
            note = "Readiness probe failed: HTTP probe failed with statuscode: 503"
            seen.append(("Unhealthy", "Pod", pod.namespace, pod.name, note, "kubelet"))
    for reason, kind, ns, name, note, reporter in seen:
        _occurred(state, reason, kind, ns, name, note, reporter, now)
    for key, e in list(state.events.items()):
        if now - e.last_seen > EVENT_TTL:
            state._drop(state.events, Kind.EVENT, key)


def _occurred(
    state: ClusterState,
    reason: str,
    kind: str,
    ns: str,
    name: str,
    note: str,
    reporter: str,
    now: float,
) -> None:
    key = f"{kind}/{ns}/{name}:{reason}"
    old = state.events.get(key)
    if old is not None and now - old.last_seen < REPEAT[reason]:
        return
    if old is not None and now - old.last_seen <= EVENT_TTL:
        event = KubeEvent(
            old.namespace, old.name, "Warning", reason, note, kind, ns, name,
            old.count + 1, old.first_seen, now, reporter,
        )  # fmt: skip
    else:
        # Named as the apiserver names them: the object's name and the time in hex.
        event_name = f"{name}.{int(now * 1e9):x}"
        event = KubeEvent(
            ns or "default", event_name, "Warning", reason, note, kind, ns, name,
            1, now, now, reporter,
        )  # fmt: skip
    state._put(state.events, event)
