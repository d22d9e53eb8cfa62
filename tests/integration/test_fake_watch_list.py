"""The test apiserver serves watch-list (streaming lists, KEP-3157) as kube-apiserver 1.36
does, and refuses it like a server without the feature when told to."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import orjson
import pytest

from tests.fakes.apiserver import FakeApiServer
from tests.fakes.k8s_objects import platform, pod

WATCH_LIST = (
    "/api/v1/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
    "&allowWatchBookmarks=true&timeoutSeconds=5"
)


def _open(server: FakeApiServer, path: str, accept: str = "application/json") -> object:
    req = urllib.request.Request(
        server.url + path, headers={"Authorization": "Bearer test-token", "Accept": accept}
    )
    return urllib.request.urlopen(req, timeout=5)


def test_the_state_then_the_end_bookmark_then_the_watch() -> None:
    with FakeApiServer(platform("aws", pods=40), bookmark_seconds=0.2) as server:
        keys = set(server.state.keys("pods"))
        resp = _open(server, WATCH_LIST)
        events = []
        added_after = False
        for raw in resp:  # type: ignore[attr-defined]
            event = orjson.loads(raw)
            events.append(event)
            meta = event["object"].get("metadata", {})
            if event["type"] == "BOOKMARK" and meta.get("annotations"):
                # The state is complete: a change made now arrives on the same stream.
                threading.Thread(
                    target=server.state.put,
                    args=("pods", pod("wundr-platform", "late-1", owner="late")),
                ).start()
            if event["type"] == "ADDED" and event["object"]["metadata"]["name"] == "late-1":
                added_after = True
                break
            assert len(events) < 200, "bounded"
        resp.close()  # type: ignore[attr-defined]
    types = [e["type"] for e in events]
    end = next(
        i
        for i, e in enumerate(events)
        if e["type"] == "BOOKMARK"
        and e["object"]["metadata"].get("annotations", {}).get("k8s.io/initial-events-end")
        == "true"
    )
    initial = events[:end]
    assert types[:end] == ["ADDED"] * len(keys)
    got = {
        f"{e['object']['metadata']['namespace']}/{e['object']['metadata']['name']}" for e in initial
    }
    assert got == keys
    assert added_after
    plain = [e for e in events[end + 1 :] if e["type"] == "BOOKMARK"]
    assert all("annotations" not in e["object"]["metadata"] for e in plain), (
        "only the bookmark that ends the initial state is annotated"
    )


def test_refused_like_a_server_without_watch_list() -> None:
    with FakeApiServer(platform("aws", pods=5), watch_list=False) as server:
        with pytest.raises(urllib.error.HTTPError) as err:
            _open(server, WATCH_LIST)
        assert err.value.code == 422
        body = orjson.loads(err.value.read())
        assert body["reason"] == "Invalid" and "WatchList" in body["message"]
        # A plain watch and a paged list still work.
        _open(server, "/api/v1/pods?limit=2").close()  # type: ignore[attr-defined]
