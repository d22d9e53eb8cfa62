"""Reading a Service's endpoints from EndpointSlices (pure parts): what counts as ready, one
name per pod across slices, server text made safe and bounded, pages followed and capped."""

from __future__ import annotations

from typing import Any

import pytest

from wundr_tui.backends.kube import endpoints as ep
from wundr_tui.backends.kube.http import ApiStatusError


def endpoint(name: str, ready: bool | None = True, kind: str = "Pod", ip: str = "10.0.0.1") -> Any:
    conditions = {} if ready is None else {"ready": ready}
    return {"addresses": [ip], "conditions": conditions, "targetRef": {"kind": kind, "name": name}}


def test_ready_unset_counts_false_does_not_and_a_pod_counts_once() -> None:
    """The API: an unset ready is ready. A dual-stack Service lists a pod in its IPv4 and its
    IPv6 slice: one endpoint. An endpoint without a Pod behind it is named by its address."""
    slices = [
        {"endpoints": [endpoint("a"), endpoint("b", None), endpoint("c", False)]},
        {"endpoints": [endpoint("a", ip="fd00::1"), endpoint("x", kind="Node", ip="10.9.9.9")]},
        {"endpoints": None},
        "not a slice",
    ]
    assert ep.slice_ready(slices) == ("a", "b", "10.9.9.9")


def test_names_are_made_safe_and_cut() -> None:
    (name,) = ep.slice_ready([{"endpoints": [endpoint("evil\x1b[2J" + "x" * 1000)]}])
    assert "\x1b" not in name and name.startswith("evil\\x1b[2J")
    assert len(name) <= ep.NAME_LIMIT + 10


def test_pages_are_followed_and_capped() -> None:
    calls: list[list[tuple[str, Any]]] = []

    def get(path: str, query: list[tuple[str, Any]]) -> Any:
        calls.append(query)
        n = len(calls)
        return {"items": [{"endpoints": [endpoint(f"p{n}")]}], "metadata": {"continue": f"t{n}"}}

    seen = ep.service_endpoints(get, "ns", "svc", None)
    assert not seen.readable and f"more than {ep.MAX_PAGES * ep.PAGE}" in seen.reason
    assert len(calls) == ep.MAX_PAGES
    assert ("continue", "t1") in calls[1] and ("limit", ep.PAGE) in calls[0]


def test_a_404_on_slices_reads_endpoints_and_a_403_does_not() -> None:
    def old_server(path: str, query: list[tuple[str, Any]]) -> Any:
        if "endpointslices" in path:
            raise ApiStatusError(404, "NotFound", "the server could not find the resource")
        return {"subsets": [{"addresses": [{"ip": "1.2.3.4", "targetRef": {"name": "p"}}]}]}

    seen = ep.service_endpoints(old_server, "ns", "svc", None)
    assert (seen.source, seen.ready) == ("Endpoints", ("p",))

    def forbidden(path: str, query: list[tuple[str, Any]]) -> Any:
        if "endpointslices" in path:
            raise ApiStatusError(403, "Forbidden", "cannot list \x1b]0;pwned\x07")
        raise AssertionError("Endpoints must not be read when slices exist")

    seen = ep.service_endpoints(forbidden, "ns", "svc", None)
    assert not seen.readable and seen.lasting
    assert seen.reason.startswith("cannot list EndpointSlices (discovery.k8s.io/v1): 403")
    assert "\x1b" not in seen.reason and "\x07" not in seen.reason


@pytest.mark.parametrize("status", [500, 503])
def test_a_passing_error_is_not_lasting(status: int) -> None:
    def flaky(path: str, query: list[tuple[str, Any]]) -> Any:
        raise ApiStatusError(status, "InternalError", "try again")

    seen = ep.service_endpoints(flaky, "ns", "svc", None)
    assert not seen.readable and not seen.lasting
