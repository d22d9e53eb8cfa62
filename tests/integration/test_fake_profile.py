"""The fake apiserver's calibrated profile (tests/fakes/server_profile.py), what is not about
time: every list answer and every watch-list stretch is held through the injectable sleep by
the modelled amount, gzip is as kube-apiserver's (over 128 KiB only, never a watch), the
watch-list ends at the annotated bookmark (or is refused, for the fallback), and bookmarks come
as the real watch cache sends them. No test here waits for the modelled times: the sleep is a
recorder."""

from __future__ import annotations

import dataclasses
import http.client
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest

from tests.fakes.apiserver import GZIP_THRESHOLD, FakeApiServer
from tests.fakes.k8s_objects import platform, pod
from tests.fakes.server_profile import CALIBRATED, FAST, ServerProfile

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
PODS = 1200
"""The platform's 16 pods and filler: a page of 500 Table rows is well over 128 KiB."""
WATCH_LIST = (
    "/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
    "&allowWatchBookmarks=true&includeObject=Metadata&timeoutSeconds=10"
)

SLOW = dataclasses.replace(
    CALIBRATED, list_seconds=100.0, watch_list_first_seconds=100.0, pace_every=200
)
"""CALIBRATED with a fixed cost no fake can beat: every pacing point must sleep."""


class Recorder:
    """A sleep that returns at once and remembers what it was asked for."""

    def __init__(self) -> None:
        self.calls: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.calls.append(seconds)

    def taken(self) -> list[float]:
        with self._lock:
            calls, self.calls = self.calls, []
        return calls


@pytest.fixture(scope="module")
def objects() -> dict[str, list[Any]]:
    return platform("aws", pods=PODS)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def serve(objects: dict[str, list[Any]], profile: ServerProfile, sleep: Recorder, **kw: Any) -> Any:
    return FakeApiServer(objects, profile=profile, sleep=sleep, **kw)


def get(server: FakeApiServer, target: str, gzip_ok: bool = True) -> tuple[int, str, bytes]:
    """One GET: (status, Content-Encoding, body as it came off the socket)."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    headers = {"Authorization": "Bearer test-token", "Accept": TABLE}
    if gzip_ok:
        headers["Accept-Encoding"] = "gzip"
    conn.request("GET", target, headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, resp.getheader("Content-Encoding") or "", body


def watch_events(server: FakeApiServer, target: str, until: int = 10_000) -> Iterator[Any]:
    """The events of a watch, parsed, until the stream ends (at most ``until``)."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    conn.request(
        "GET",
        target,
        headers={"Authorization": "Bearer test-token", "Accept": TABLE, "Accept-Encoding": "gzip"},
    )
    resp = conn.getresponse()
    assert resp.status == 200
    assert not resp.getheader("Content-Encoding"), "watch streams are never compressed"
    try:
        for n, line in enumerate(resp):
            if n >= until:
                return
            yield orjson.loads(line)
    finally:
        conn.close()


def is_end(event: Any) -> bool:
    meta = event["object"].get("metadata") or {}
    return bool(
        event["type"] == "BOOKMARK"
        and (meta.get("annotations") or {}).get("k8s.io/initial-events-end") == "true"
    )


def test_the_model_is_the_derivation() -> None:
    # 500 Metadata rows: 4 ms + 500 x 28 µs = 18 ms, so 100 pages of 500 hold the server
    # 1.8 s (plus the client's 10-15 ms a page: 2.8-3.3 s, the real 2.81-3.09 s).
    assert CALIBRATED.list_due(500, "Metadata") == pytest.approx(0.018)
    assert CALIBRATED.list_due(500, "None") == pytest.approx(0.0054)
    assert CALIBRATED.answer_factor(500) == 1.0
    assert 1.0 < CALIBRATED.answer_factor(1500) < CALIBRATED.answer_factor(4000) < 1.5
    assert CALIBRATED.answer_factor(5000) == CALIBRATED.answer_factor(50_000) == 1.5
    assert CALIBRATED.list_due(50_000, "Metadata") == pytest.approx(0.004 + 50_000 * 42e-6)
    assert CALIBRATED.list_due(50_000, "None") == pytest.approx(0.004 + 50_000 * 2.8e-6)
    assert CALIBRATED.watch_list_due(50_000) == pytest.approx(0.025 + 50_000 * 27e-6)
    assert not FAST.paced and CALIBRATED.paced


def test_every_list_page_is_held_by_its_model(
    objects: dict[str, list[Any]], recorder: Recorder
) -> None:
    with serve(objects, SLOW, recorder) as server:
        pods = len(server.state.keys("pods"))
        token, pages, sizes = "", 0, []
        while True:
            status, _, body = get(server, f"/api/v1/pods?limit=500&continue={token}", False)
            assert status == 200
            page = orjson.loads(body)
            sizes.append(len(page["rows"]))
            pages += 1
            token = page["metadata"].get("continue", "")
            if not token:
                break
        held = recorder.taken()
        assert len(held) == pages == 3  # one pacing point a page, none for anything else
        for seconds, size in zip(held, sizes, strict=True):
            due = SLOW.list_due(size, "Metadata")
            assert due - 5.0 < seconds <= due  # less only by what the fake itself took
        assert sum(sizes) == pods
        # includeObject=None rows are modelled much cheaper than Metadata rows.
        get(server, "/api/v1/pods?limit=500&includeObject=None")
        (none,) = recorder.taken()
        assert none <= SLOW.list_due(500, "None") < SLOW.list_due(500, "Metadata") - 0.01
        # A plain JSON list is held too; discovery and gets are not.
        get(server, "/api/v1/nodes")
        get(server, "/api")
        get(server, "/version")
        assert len(recorder.taken()) == 1


def test_gzip_over_the_threshold_only_and_never_on_a_watch(
    objects: dict[str, list[Any]], recorder: Recorder
) -> None:
    with serve(objects, CALIBRATED, recorder) as server:
        _, small_encoding, small = get(server, "/api/v1/pods?limit=20")
        _, raw_encoding, raw = get(server, "/api/v1/pods?limit=500", gzip_ok=False)
        _, big_encoding, big = get(server, "/api/v1/pods?limit=500")
        assert len(small) <= GZIP_THRESHOLD and small_encoding == ""
        assert len(raw) > GZIP_THRESHOLD and raw_encoding == ""  # not asked for
        assert big_encoding == "gzip" and len(big) < len(raw) / 4
        for event in watch_events(server, WATCH_LIST):  # asserts no Content-Encoding
            if is_end(event):
                break
        logged = server.requests(lambda r: r.path == "/api/v1/pods")
        assert [r.encoding for r in logged] == ["", "", "gzip", ""]


def test_watch_list_is_paced_then_ends_at_the_annotated_bookmark(
    objects: dict[str, list[Any]], recorder: Recorder
) -> None:
    with serve(objects, SLOW, recorder) as server:
        pods = len(server.state.keys("pods"))
        events = []
        for event in watch_events(server, WATCH_LIST):
            events.append(event)
            if is_end(event):
                break
        held = recorder.taken()
    assert [e["type"] for e in events[:-1]] == ["ADDED"] * pods and is_end(events[-1])
    assert events[0]["object"]["kind"] == "Table" and "columnDefinitions" in events[0]["object"]
    # A pacing point every 200 events (at 0, 200, ...), and one before the end bookmark.
    assert len(held) == len(range(0, pods, 200)) + 1
    wanted = [SLOW.watch_list_due(sent) for sent in (*range(0, pods, 200), pods)]
    for seconds, due in zip(held, wanted, strict=True):
        assert due - 5.0 < seconds <= due


def test_without_watch_list_the_fallback_is_refused_then_paged(
    objects: dict[str, list[Any]], recorder: Recorder
) -> None:
    with serve(objects, SLOW, recorder, watch_list=False) as server:
        status, _, body = get(server, WATCH_LIST)
        assert status == 422 and b"WatchList feature gate" in body
        assert recorder.taken() == []  # refused at once
        status, _, _ = get(server, "/api/v1/pods?limit=500")
        assert status == 200 and len(recorder.taken()) == 1


def test_calibrated_pages_are_as_large_as_asked(recorder: Recorder) -> None:
    assert FakeApiServer(profile=CALIBRATED, sleep=recorder).page_cap == 0
    assert FakeApiServer(profile=FAST).page_cap == 5000
    with FakeApiServer(platform("aws", pods=5200), profile=CALIBRATED, sleep=recorder) as srv:
        _, _, body = get(srv, "/api/v1/pods?limit=5100&includeObject=None", gzip_ok=False)
    assert len(orjson.loads(body)["rows"]) == 5100


def test_bookmarks_come_on_time_while_events_flow_and_before_the_deadline(
    objects: dict[str, list[Any]], recorder: Recorder
) -> None:
    # Bookmarks every 0.5 s (the real one: a minute) and 0.3 s before a 1.5 s deadline.
    profile = dataclasses.replace(CALIBRATED, bookmark_seconds=0.5, bookmark_before_deadline=0.3)
    stop = threading.Event()
    with serve(objects, profile, recorder) as server:

        def churn() -> None:  # an event every 20 ms: the watch is never idle for long
            n = 0
            while not stop.wait(0.02):
                server.state.put("pods", pod("churn", f"churn-{n % 5}", owner="churn"))
                n += 1

        rv = server.state.rv
        thread = threading.Thread(target=churn)
        thread.start()
        t0 = time.monotonic()
        seen: list[tuple[str, float]] = []
        try:
            target = (
                f"/api/v1/pods?watch=1&resourceVersion={rv}&allowWatchBookmarks=true"
                "&timeoutSeconds=1.5"
            )
            for event in watch_events(server, target):
                seen.append((event["type"], time.monotonic() - t0))
        finally:
            stop.set()
            thread.join(5)
    marks = [t for kind, t in seen if kind == "BOOKMARK"]
    assert sum(1 for kind, _ in seen if kind != "BOOKMARK") > 20
    # At ~0.5 and ~1.0 although events never stop (FAST sends none then), and the last call
    # at ~1.2 (deadline - 0.3); on a loaded machine the second may slip onto the last call.
    assert len(marks) in (2, 3), seen
    assert 0.45 <= marks[0] < 0.9 and 1.15 <= marks[-1] < 1.5, marks
