"""The endpoints behind a Service, read the way kube-proxy reads them: ``discovery.k8s.io/v1``
EndpointSlices labelled ``kubernetes.io/service-name=NAME``; v1 Endpoints (deprecated since
1.33) only where the server has no EndpointSlices (404 on the collection). Which ready pods
carry a set of labels is asked with one pod list by ``labelSelector``.

Every answer is bounded: pages of 100 slices, at most 10 pages, at most ``MAX_NAMES`` names
of at most 253 characters (a pod name's limit). Names and reasons are server text: made safe
here, before anything shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from wundr_tui.backends.endpoints import ENDPOINTS, MAX_NAMES, SLICES, ServiceEndpoints
from wundr_tui.backends.kube.http import ApiStatusError
from wundr_tui.backends.kube.kinds import resource
from wundr_tui.safe_text import safe

Get = Callable[[str, list[tuple[str, Any]]], Any]
"""GET a path with query parameters; the parsed answer. Raises ApiStatusError or anything the
client raises."""

PAGE = 100
"""Slices (or pods) asked for per page."""
MAX_PAGES = 10
"""Pages followed at most (a Service's slices: 1,000, i.e. up to 100,000 endpoints)."""


class Unreadable(Exception):
    """Neither API could be read; ``str()`` says why, ``lasting`` whether waiting could help."""

    def __init__(self, reason: str, *, lasting: bool = False) -> None:
        super().__init__(reason)
        self.lasting = lasting


def _failure(what: str, exc: BaseException) -> Unreadable:
    if isinstance(exc, ApiStatusError):
        message = exc.message or exc.reason
        return Unreadable(
            f"{what}: {exc.status} {safe(message[:300])}", lasting=exc.status in (401, 403, 404)
        )
    return Unreadable(f"{what}: {type(exc).__name__}: {safe(str(exc)[:300])}")


def _pages(get: Get, path: str, query: list[tuple[str, Any]], what: str) -> list[Any]:
    """Every item of a paged list (at most MAX_PAGES pages); ApiStatusError passes through."""
    items: list[Any] = []
    token = ""
    for _ in range(MAX_PAGES):
        page = get(path, [*query, ("limit", PAGE), *([("continue", token)] if token else [])])
        if not isinstance(page, dict):
            raise Unreadable(f"{what}: the answer is not a list")
        items.extend(page.get("items") or [])
        token = str((page.get("metadata") or {}).get("continue") or "")
        if not token:
            return items
    raise Unreadable(f"{what}: more than {MAX_PAGES * PAGE} objects")


NAME_LIMIT = 253
"""A pod name is a DNS subdomain: longer is not a pod, and is cut."""


def _name(value: object) -> str:
    return safe(str(value)[:NAME_LIMIT])


def _add(names: dict[str, None], name: str) -> None:
    if name and len(names) < MAX_NAMES:
        names[_name(name)] = None


def slice_ready(slices: list[Any]) -> tuple[str, ...]:
    """The ready endpoints of a Service's slices: ``conditions.ready`` true or unset (the API
    says to read unset as ready), each as its pod's name (else its first address), once."""
    names: dict[str, None] = {}
    for item in slices:
        for ep in (item.get("endpoints") if isinstance(item, dict) else None) or []:
            if not isinstance(ep, dict) or (ep.get("conditions") or {}).get("ready") is False:
                continue
            ref = ep.get("targetRef") or {}
            addresses = ep.get("addresses") or [""]
            name = ref.get("name") if ref.get("kind", "Pod") == "Pod" else None
            _add(names, str(name or addresses[0]))
    return tuple(names)


def endpoints_ready(obj: Any) -> tuple[str, ...]:
    """The ready addresses of a v1 Endpoints object, as pod names (else addresses), once."""
    names: dict[str, None] = {}
    for subset in (obj.get("subsets") if isinstance(obj, dict) else None) or []:
        for address in subset.get("addresses") or []:
            _add(
                names, str((address.get("targetRef") or {}).get("name") or address.get("ip") or "")
            )
    return tuple(names)


def read_ready(get: Get, namespace: str, name: str) -> tuple[str, tuple[str, ...]]:
    """(source, ready endpoints) of Service ``namespace/name``; Unreadable when neither API
    answers."""
    slices_path = resource("endpointslices").object_path(namespace)
    selector = [("labelSelector", f"kubernetes.io/service-name={name}")]
    try:
        return SLICES, slice_ready(_pages(get, slices_path, selector, "EndpointSlices"))
    except ApiStatusError as exc:
        if exc.status != 404:  # slices exist but cannot be read: Endpoints are no substitute
            raise _failure("cannot list EndpointSlices (discovery.k8s.io/v1)", exc) from None
    except Unreadable:
        raise
    except Exception as exc:
        raise _failure("cannot list EndpointSlices (discovery.k8s.io/v1)", exc) from None
    # No EndpointSlices API here (a server older than 1.21 or without the group): v1 Endpoints.
    try:
        obj = get(resource("endpoints").object_path(namespace, name), [])
    except ApiStatusError as exc:
        if exc.status == 404:
            raise Unreadable(
                "no EndpointSlices API (404) and no Endpoints for the service (404)",
                lasting=True,
            ) from None
        raise _failure("no EndpointSlices API (404); cannot read Endpoints", exc) from None
    except Exception as exc:
        raise _failure("no EndpointSlices API (404); cannot read Endpoints", exc) from None
    return ENDPOINTS, endpoints_ready(obj)


def labelled_pods(get: Get, namespace: str, labels: Mapping[str, str]) -> set[str]:
    """Names of the pods in ``namespace`` that carry every label in ``labels``."""
    query = [("labelSelector", ",".join(f"{k}={v}" for k, v in sorted(labels.items())))]
    try:
        items = _pages(get, resource("pods").object_path(namespace), query, "pods")
    except Unreadable:
        raise
    except Exception as exc:
        raise _failure("cannot list the service's pods", exc) from None
    return {
        _name((p.get("metadata") or {}).get("name") or "") for p in items if isinstance(p, dict)
    }


def service_endpoints(
    get: Get, namespace: str, name: str, labels: Mapping[str, str] | None
) -> ServiceEndpoints:
    """The Service's ready endpoints and, with ``labels``, which of them are pods carrying
    them; never raises: what could not be read is in ``reason``."""
    try:
        source, ready = read_ready(get, namespace, name)
        if not labels:
            return ServiceEndpoints(source, ready)
        carrying = labelled_pods(get, namespace, labels) if ready else set()
    except Unreadable as exc:
        return ServiceEndpoints("", reason=str(exc), lasting=exc.lasting)
    return ServiceEndpoints(source, ready, tuple(n for n in ready if n in carrying))
