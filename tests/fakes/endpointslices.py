"""EndpointSlices (``discovery.k8s.io/v1``) for the test apiserver, made the way the
endpointslice controller makes them: for every Service with a selector, the pods in its
namespace whose labels match it, at most 100 endpoints a slice, labelled
``kubernetes.io/service-name``. Derived on every read from the Services and pods the server
holds, so a selector patch shows in the next list, unless the controller is told to lag.

``EndpointSliceController`` is the knob a test turns: ``served = False`` is a server from before
the API (every path under the group answers 404, as the real one does for an unknown group);
``lag_seconds`` keeps a Service's slices on its previous selector for that long after a
selector patch (the controller catching up). The fake's pods are made without their
deployment's template labels, so a pod's labels here are its own over its deployment's
template labels (found through its ReplicaSet owner), which is what a real pod carries.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fakes.apiserver import ClusterState

Obj = dict[str, Any]

PREFIX = "/apis/discovery.k8s.io/v1"
"""Where the group lives on the apiserver."""

MAX_PER_SLICE = 100
"""The controller's default ``--max-endpoints-per-slice``."""

MANAGED_BY = "endpointslice-controller.k8s.io"


@dataclass
class EndpointSliceController:
    """What the fake's endpointslice controller does; tests change it while running."""

    served: bool = True
    """False: the server has no ``discovery.k8s.io/v1`` (404 on every path under it)."""
    lag_seconds: float = 0.0
    """After a selector patch, the Service's slices keep the old selector's pods this long."""
    _previous: dict[str, tuple[Obj, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def selector_patched(self, key: str, old: Obj, new: Obj) -> None:
        """A Service's selector changed through the API (the server calls this)."""
        if old == new:
            return
        with self._lock:
            earlier = self._previous.get(key)
            # Still catching up on an earlier change: the slices show what they showed then.
            if earlier is not None and time.monotonic() - earlier[1] < self.lag_seconds:
                old = earlier[0]
            self._previous[key] = (old, time.monotonic())

    def published(self, key: str, current: Obj) -> Obj:
        """The selector the slices of Service ``key`` reflect now."""
        with self._lock:
            earlier = self._previous.get(key)
        if earlier is not None and time.monotonic() - earlier[1] < self.lag_seconds:
            return earlier[0]
        return current


def parse_selector(text: str) -> list[tuple[str, str, str]]:
    """``a=b,c!=d,e`` as (key, op, value) terms: ``=`` (also ``==``), ``!=``, ``exists``."""
    terms = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "!=" in part:
            k, v = part.split("!=", 1)
            terms.append((k.strip(), "!=", v.strip()))
        elif "=" in part:
            k, v = part.replace("==", "=", 1).split("=", 1)
            terms.append((k.strip(), "=", v.strip()))
        else:
            terms.append((part, "exists", ""))
    return terms


def matches(labels: Obj, terms: list[tuple[str, str, str]]) -> bool:
    """Whether labels satisfy every term."""
    for key, op, value in terms:
        have = labels.get(key)
        if (
            (op == "=" and have != value)
            or (op == "!=" and have == value)
            or (op == "exists" and have is None)
        ):
            return False
    return True


def pod_labels(state: ClusterState, pod: Obj) -> Obj:
    """A pod's labels as a real one carries them: its deployment's template labels under its
    own (the fake's pods are made without the template's)."""
    meta = pod["metadata"]
    labels = dict(meta.get("labels") or {})
    for ref in meta.get("ownerReferences") or []:
        if ref.get("kind") != "ReplicaSet":
            continue
        deployment = state.get(
            "deployments", f"{meta['namespace']}/{ref['name'].rsplit('-', 1)[0]}"
        )
        if deployment is not None:
            template = deployment["spec"]["template"]["metadata"].get("labels") or {}
            labels = {**template, **labels}
    return labels


def _namespace_pods(state: ClusterState, namespace: str) -> list[Obj]:
    out = []
    for key in state.keys("pods"):
        if key.startswith(f"{namespace}/"):
            pod = state.get("pods", key)
            if pod is not None:
                pod["metadata"]["labels"] = pod_labels(state, pod)
                out.append(pod)
    return out


def _endpoint(pod: Obj) -> Obj:
    status = pod.get("status") or {}
    ready = any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in status.get("conditions") or []
    )
    terminating = bool(pod["metadata"].get("deletionTimestamp"))
    meta = pod["metadata"]
    return {
        "addresses": [status.get("podIP") or "10.0.0.1"],
        # As the controller: never ready while terminating; serving follows the pod's Ready.
        "conditions": {
            "ready": ready and not terminating,
            "serving": ready,
            "terminating": terminating,
        },
        "targetRef": {
            "kind": "Pod",
            "namespace": meta["namespace"],
            "name": meta["name"],
            "uid": meta.get("uid", ""),
        },
        "nodeName": (pod.get("spec") or {}).get("nodeName", ""),
    }


def slices_of(state: ClusterState, controller: EndpointSliceController, service: Obj) -> list[Obj]:
    """The EndpointSlices the controller keeps for one Service (none without a selector)."""
    meta, spec = service["metadata"], service.get("spec") or {}
    namespace, name = meta["namespace"], meta["name"]
    selector = controller.published(f"{namespace}/{name}", spec.get("selector") or {})
    if not selector:
        return []
    terms = [(k, "=", v) for k, v in selector.items()]
    endpoints = [
        _endpoint(p)
        for p in _namespace_pods(state, namespace)
        if matches(p["metadata"]["labels"], terms)
    ]
    ports = [
        {
            "name": p.get("name", ""),
            "port": p.get("targetPort", p.get("port")),
            "protocol": p.get("protocol", "TCP"),
        }
        for p in spec.get("ports") or []
    ]
    chunks = [endpoints[i : i + MAX_PER_SLICE] for i in range(0, len(endpoints), MAX_PER_SLICE)]
    out = []
    for i, chunk in enumerate(chunks or [[]]):  # an empty Service still gets one slice
        suffix = hashlib.sha1(f"{namespace}/{name}/{i}".encode()).hexdigest()[:5]
        out.append(
            {
                "kind": "EndpointSlice",
                "apiVersion": "discovery.k8s.io/v1",
                "metadata": {
                    "name": f"{name}-{suffix}",
                    "namespace": namespace,
                    "generateName": f"{name}-",
                    "labels": {
                        "kubernetes.io/service-name": name,
                        "endpointslice.kubernetes.io/managed-by": MANAGED_BY,
                    },
                    "ownerReferences": [
                        {
                            "apiVersion": "v1",
                            "kind": "Service",
                            "name": name,
                            "uid": meta.get("uid", ""),
                            "controller": True,
                            "blockOwnerDeletion": True,
                        }
                    ],
                },
                "addressType": "IPv4",
                "endpoints": chunk,
                "ports": ports,
            }
        )
    return out


def serve(handler: Any, method: str, path: str) -> bool:
    """Answer a request under the group (False: not served here, the caller's 404 follows)."""
    fake = handler.fake
    controller: EndpointSliceController = fake.slices
    if not controller.served:
        return False
    segs = path[len(PREFIX) :].strip("/").split("/") if path != PREFIX else []
    if not segs:
        handler._json(
            200,
            {
                "kind": "APIResourceList",
                "groupVersion": "discovery.k8s.io/v1",
                "resources": [
                    {
                        "name": "endpointslices",
                        "namespaced": True,
                        "kind": "EndpointSlice",
                        "verbs": ["get", "list", "watch"],
                    }
                ],
            },
        )
        return True
    namespace = ""
    if len(segs) >= 3 and segs[0] == "namespaces":
        namespace, segs = segs[1], segs[2:]
    if segs != ["endpointslices"]:
        return False
    if method != "GET":
        handler._fail(405, "MethodNotAllowed", "the fake serves endpointslices list only")
        return True
    if fake.faults.refuses("list", "endpointslices", namespace):
        where = f' in the namespace "{namespace}"' if namespace else " at the cluster scope"
        handler._fail(
            403,
            "Forbidden",
            'endpointslices.discovery.k8s.io is forbidden: User "test" cannot list resource '
            f'"endpointslices" in API group "discovery.k8s.io"{where}',
        )
        return True
    state = fake.state
    with state.lock:
        rv = state.rv
        services = [
            svc
            for key in state.keys("services")
            if (not namespace or key.startswith(f"{namespace}/"))
            and (svc := state.get("services", key)) is not None
        ]
        items = [s for svc in services for s in slices_of(state, controller, svc)]
    terms = parse_selector(handler._query.get("labelSelector", [""])[0])
    items = [s for s in items if matches(s["metadata"]["labels"], terms)]
    limit = int(handler._query.get("limit", ["0"])[0] or 0)
    start = int(handler._query.get("continue", ["0"])[0] or 0)
    end = min(start + limit, len(items)) if limit else len(items)
    meta: Obj = {"resourceVersion": str(rv)}
    if end < len(items):
        meta["continue"] = str(end)
        meta["remainingItemCount"] = len(items) - end
    handler._json(
        200,
        {
            "kind": "EndpointSliceList",
            "apiVersion": "discovery.k8s.io/v1",
            "metadata": meta,
            "items": items[start:end],
        },
    )
    return True


def serve_selected_pods(handler: Any, namespace: str) -> None:
    """A pod list with a ``labelSelector`` (the labels a real pod carries, see ``pod_labels``)."""
    state = handler.fake.state
    terms = parse_selector(handler._query.get("labelSelector", [""])[0])
    with state.lock:
        rv = state.rv
        namespaces = (
            [namespace] if namespace else sorted({k.split("/", 1)[0] for k in state.keys("pods")})
        )
        items = [
            p
            for ns in namespaces
            for p in _namespace_pods(state, ns)
            if matches(p["metadata"]["labels"], terms)
        ]
    handler._json(
        200,
        {
            "kind": "PodList",
            "apiVersion": "v1",
            "metadata": {"resourceVersion": str(rv)},
            "items": items,
        },
    )
