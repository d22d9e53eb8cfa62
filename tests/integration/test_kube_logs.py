"""Container logs over HTTP with the real client path (KubeOperator's clients → KubeLogs →
LogSession) against the fake apiserver: follow, previous, since, tail, container, errors,
pods joining and leaving a group, two clusters interleaved, a dropped stream resumed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from tests.fakes.k8s_objects import pod
from tests.fakes.kube_fixtures import EKS_CONTEXT, GKE_CONTEXT, KubeWorld
from wundr_tui.backends.base import LogQuery, LogTarget
from wundr_tui.backends.kube import KubeOperator
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.backends.kube.logs import KubeLogs, split_timestamp
from wundr_tui.config import Config
from wundr_tui.logbuf import LogRing, merge
from wundr_tui.logsession import LogSession, StreamNote

NS = "wundr-platform"
POD = "orders-blue-7d9f8c6b5-00000"


@pytest.fixture
def streamer(kube_world: KubeWorld) -> Iterator[KubeLogs]:
    config = Config()
    clusters = discover_clusters(config)
    op = KubeOperator(config, clusters)
    yield KubeLogs(op, {c.name: c for c in clusters}, backoff=(0.05, 0.2))
    op.close()


class Collector:
    """Drains a session the way the view does, into a ring."""

    def __init__(self, session: LogSession) -> None:
        self.session = session
        self.ring = LogRing(10_000)

    def frame(self) -> None:
        batch = self.session.drain()
        self.ring.extend(merge(batch, self.ring.total + 1))

    def texts(self) -> list[str]:
        return [line.text for line in self.ring]

    def wait(self, predicate: Callable[[Collector], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self.frame()
            if predicate(self):
                return
            if time.monotonic() > deadline:
                notes = self.session.notes()
                raise AssertionError(f"not met in {timeout}s: {self.texts()[-5:]} {notes}")
            time.sleep(0.02)

    def notes(self) -> list[StreamNote]:
        return self.session.notes()


def _session(streamer: KubeLogs, query: LogQuery, *targets: LogTarget) -> Collector:
    session = LogSession(streamer, query)
    session.set_targets(targets or [LogTarget(query.cluster or EKS_CONTEXT, NS, query.pod)])
    return Collector(session)


def _write(world: KubeWorld, lines: list[str], *, context: str = EKS_CONTEXT, **kw: object) -> None:
    world.servers[context].pod_logs.write(
        NS, kw.pop("pod", POD), kw.pop("container", "app"), lines, **kw
    )  # type: ignore[arg-type]


def test_tail_then_follow(kube_world: KubeWorld, streamer: KubeLogs) -> None:
    """tailLines gives the newest lines first; new lines arrive while following; the request
    asked for timestamps, follow and the container by name."""
    _write(kube_world, [f"old line {i}" for i in range(10)], ts=time.time() - 60)
    c = _session(streamer, LogQuery(NS, pod=POD, cluster=EKS_CONTEXT, tail_lines=3))
    c.wait(lambda c: len(c.texts()) == 3)
    assert c.texts() == ["old line 7", "old line 8", "old line 9"]
    _write(kube_world, ["fresh \x1b[31mred\x1b[0m \x1b[2J"])
    c.wait(lambda c: len(c.texts()) == 4)
    last = c.ring[c.ring.total - 1]
    assert last.text == "fresh red \\x1b[2J"
    assert last.spans == ((6, 9, "red"),)
    assert abs(last.ts - time.time()) < 30
    c.session.close()
    req = kube_world.eks.requests(lambda r: r.path.endswith("/log"))[0]
    assert req.path == f"/api/v1/namespaces/{NS}/pods/{POD}/log"
    assert req.query["follow"] == ["true"] and req.query["timestamps"] == ["true"]
    assert req.query["container"] == ["app"] and req.query["tailLines"] == ["3"]


def test_since_seconds(kube_world: KubeWorld, streamer: KubeLogs) -> None:
    """sinceSeconds drops older lines (on the server) and is sent as asked."""
    _write(kube_world, ["an hour ago"], ts=time.time() - 3600)
    _write(kube_world, ["a minute ago"], ts=time.time() - 60)
    q = LogQuery(NS, pod=POD, cluster=EKS_CONTEXT, since_seconds=300, tail_lines=None)
    c = _session(streamer, q)
    c.wait(lambda c: c.texts() == ["a minute ago"])
    c.session.close()
    req = kube_world.eks.requests(lambda r: r.path.endswith("/log"))[0]
    assert req.query["sinceSeconds"] == ["300"] and "tailLines" not in req.query


def test_previous_logs_and_their_absence(kube_world: KubeWorld, streamer: KubeLogs) -> None:
    """previous=true reads the terminated instance (not followed); without one, the view is
    told so in words, from the real 400 body."""
    _write(
        kube_world,
        ["booting", "Traceback (most recent call last):", "KeyError: 'x'"],
        previous=True,
        ts=time.time() - 30,
    )
    c = _session(streamer, LogQuery(NS, pod=POD, cluster=EKS_CONTEXT, previous=True))
    c.wait(lambda c: len(c.texts()) == 3)
    assert c.texts()[-1] == "KeyError: 'x'"
    assert all(line.previous for line in c.ring)
    req = kube_world.eks.requests(lambda r: r.path.endswith("/log"))[-1]
    assert req.query["previous"] == ["true"] and "follow" not in req.query
    other = "orders-blue-7d9f8c6b5-00001"
    c2 = _session(streamer, LogQuery(NS, pod=other, cluster=EKS_CONTEXT, previous=True))
    c2.wait(lambda c: any(n.error for n in c.notes()))
    assert [n.message for n in c2.notes()] == [
        "no previous terminated container 'app' (it has not restarted)"
    ]


def test_forbidden_says_rbac(kube_world: KubeWorld, streamer: KubeLogs) -> None:
    """A 403 on pods/log reads as RBAC, and the stream does not hammer the server."""
    kube_world.eks.faults.forbidden.add(("get", "pods/log", NS))
    c = _session(streamer, LogQuery(NS, pod=POD, cluster=EKS_CONTEXT))
    c.wait(lambda c: bool(c.notes()))
    assert c.notes()[0].message == "forbidden: pods/log (RBAC)" and c.notes()[0].error
    time.sleep(0.3)
    assert len(kube_world.eks.requests(lambda r: r.path.endswith("/log"))) == 1


def test_container_choice_and_unknown_pod(kube_world: KubeWorld, streamer: KubeLogs) -> None:
    """Every container of a two-container pod streams (each asked by name); one container
    only when asked; a pod that is not there says so."""
    kube_world.eks.state.put("pods", pod(NS, "duo", owner="duo", containers=2))
    kube_world.eks.pod_logs.write(NS, "duo", "app", ["from app"])
    kube_world.eks.pod_logs.write(NS, "duo", "sidecar-1", ["from sidecar"])
    c = _session(streamer, LogQuery(NS, pod="duo", cluster=EKS_CONTEXT))
    c.wait(lambda c: len(c.texts()) == 2)
    assert {(line.container, line.text) for line in c.ring} == {
        ("app", "from app"),
        ("sidecar-1", "from sidecar"),
    }
    one = _session(streamer, LogQuery(NS, pod="duo", cluster=EKS_CONTEXT, container="sidecar-1"))
    one.wait(lambda c: len(c.texts()) == 1)
    assert one.texts() == ["from sidecar"]
    gone = _session(streamer, LogQuery(NS, pod="nope", cluster=EKS_CONTEXT))
    gone.wait(lambda c: bool(c.notes()))
    assert gone.notes()[0].message == "pod gone (not found)"
    for s in (c, one, gone):
        s.session.close()


def test_waiting_container_is_retried(kube_world: KubeWorld, streamer: KubeLogs) -> None:
    """A container still creating is said so, then streamed once it starts."""
    kube_world.eks.pod_logs.waiting[(NS, POD, "app")] = "ContainerCreating"
    c = _session(streamer, LogQuery(NS, pod=POD, cluster=EKS_CONTEXT))
    c.wait(lambda c: bool(c.notes()))
    assert "not started yet (ContainerCreating)" in c.notes()[0].message
    del kube_world.eks.pod_logs.waiting[(NS, POD, "app")]
    _write(kube_world, ["started"])
    c.wait(lambda c: c.texts() == ["started"], timeout=15)
    assert not c.notes()
    c.session.close()


def test_dropped_stream_resumes_without_loss_or_duplicates(
    kube_world: KubeWorld, streamer: KubeLogs
) -> None:
    """The connection is cut mid-stream: the stream reconnects with sinceTime and every line
    arrives exactly once (lines sharing the last timestamp included)."""
    start = time.time() - 10
    _write(kube_world, [f"n={i}" for i in range(5)], ts=start, step=0.0)
    c = _session(streamer, LogQuery(NS, pod=POD, cluster=EKS_CONTEXT, tail_lines=None))
    c.wait(lambda c: len(c.texts()) == 5)
    assert kube_world.eks.drop_watches("/log") == 1
    _write(kube_world, [f"n={i}" for i in range(5, 8)], ts=start, step=0.0)
    _write(kube_world, [f"n={i}" for i in range(8, 10)], ts=start + 1)
    c.wait(lambda c: len(c.texts()) >= 10)
    time.sleep(0.2)
    c.frame()
    assert c.texts() == [f"n={i}" for i in range(10)]
    since = [r for r in kube_world.eks.requests(lambda r: r.path.endswith("/log"))][1:]
    assert since and "sinceTime" in since[0].query and "tailLines" not in since[0].query
    c.session.close()


def test_group_across_two_clusters_with_members_joining_and_leaving(
    kube_world: KubeWorld, streamer: KubeLogs
) -> None:
    """A group's pods on both clusters stream into one view, ordered by time; a pod that
    joins streams, one that leaves stops being read."""
    now = time.time() - 5
    kube_world.eks.pod_logs.write(NS, POD, "app", ["eks first", "eks third"], ts=now, step=2)
    gke_pod = "orders-blue-7d9f8c6b5-00000"
    kube_world.gke.pod_logs.write(NS, gke_pod, "app", ["gke second"], ts=now + 1)
    q = LogQuery(NS, owner="orders-blue")
    targets = [LogTarget(EKS_CONTEXT, NS, POD), LogTarget(GKE_CONTEXT, NS, gke_pod)]
    c = _session(streamer, q, *targets)
    deadline = time.monotonic() + 10
    while c.session.pending() < 3 and time.monotonic() < deadline:
        time.sleep(0.02)  # one frame takes both clusters' lines: merged by time
    c.frame()
    assert c.texts() == ["eks first", "gke second", "eks third"]
    assert [line.cluster for line in c.ring] == [EKS_CONTEXT, GKE_CONTEXT, EKS_CONTEXT]
    joined = LogTarget(EKS_CONTEXT, NS, "orders-blue-7d9f8c6b5-00001")
    kube_world.eks.pod_logs.write(NS, joined.pod, "app", ["new member"])
    c.session.set_targets([*targets, joined])
    c.wait(lambda c: "new member" in c.texts())
    c.session.set_targets([targets[1], joined])
    deadline = time.monotonic() + 5
    while c.session.streaming() != 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert c.session.streaming() == 2
    kube_world.eks.pod_logs.write(NS, POD, "app", ["after leaving"])
    time.sleep(0.3)
    c.frame()
    assert "after leaving" not in c.texts()
    c.session.close()


def test_stream_bound_holds_extra_streams(kube_world: KubeWorld, streamer: KubeLogs) -> None:
    """Past max_streams, the extra streams wait (said in the view) instead of opening."""
    session = LogSession(streamer, LogQuery(NS, owner="orders-blue"), max_streams=1)
    session.set_targets(
        [LogTarget(EKS_CONTEXT, NS, POD), LogTarget(EKS_CONTEXT, NS, "orders-blue-7d9f8c6b5-00001")]
    )
    c = Collector(session)
    c.wait(lambda c: any("waiting" in n.message for n in c.notes()))
    assert session.streaming() == 1
    session.close()


def test_the_stream_bound_is_per_cluster(kube_world: KubeWorld, streamer: KubeLogs) -> None:
    """max_streams bounds each cluster, as kubectl's --max-log-requests bounds each context:
    a group on two clouds streams from both, and only the extra pod on one cluster waits."""
    session = LogSession(streamer, LogQuery(NS, owner="orders-blue"), max_streams=1)
    session.set_targets(
        [
            LogTarget(EKS_CONTEXT, NS, POD),
            LogTarget(EKS_CONTEXT, NS, "orders-blue-7d9f8c6b5-00001"),
            LogTarget(GKE_CONTEXT, NS, "orders-blue-7d9f8c6b5-00000"),
        ]
    )
    c = Collector(session)
    c.wait(lambda c: any("waiting" in n.message for n in c.notes()) and session.streaming() == 2)
    (note,) = [n for n in c.notes() if "waiting" in n.message]
    assert EKS_CONTEXT in note.message
    session.close()


def test_a_huge_line_is_cut_not_buffered(kube_world: KubeWorld, streamer: KubeLogs) -> None:
    """A 1 MiB line shows cut at 16 KiB with a mark; the next line is intact."""
    _write(kube_world, [b"x" * (1 << 20), b"next"])
    c = _session(streamer, LogQuery(NS, pod=POD, cluster=EKS_CONTEXT))
    c.wait(lambda c: len(c.texts()) == 2)
    first, second = c.texts()
    assert first.endswith("…[line cut at 16 KiB]") and len(first) < 17_000
    assert second == "next"
    c.session.close()


def test_split_timestamp() -> None:
    """RFC 3339 with nanoseconds, Z or an offset; anything else is not a timestamp."""
    ts, text = split_timestamp("2025-11-25T14:03:07.500000000Z hello world")
    assert text == "hello world" and ts == pytest.approx(1764079387.5)
    ts2, _ = split_timestamp("2025-11-25T15:03:07+01:00 x")
    assert ts2 == pytest.approx(1764079387.0)
    assert split_timestamp("not a stamp at all here, no") == (None, "not a stamp at all here, no")
    assert split_timestamp("2025-11-25T14:03:07.5xZ x")[0] is None


def test_stop_ends_a_blocked_follow_promptly(kube_world: KubeWorld, streamer: KubeLogs) -> None:
    """Closing the view ends an idle followed stream at once (its read is shut down)."""
    c = _session(streamer, LogQuery(NS, pod=POD, cluster=EKS_CONTEXT))
    deadline = time.monotonic() + 5
    while kube_world.eks.open_watches("/log") == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    threads = [t for t in threading.enumerate() if t.name.startswith("log:")]
    c.session.close()
    for t in threads:
        t.join(15)  # an idle follow without the shutdown never ends; 15 s covers a loaded machine
    assert not any(t.is_alive() for t in threads)


class CountingSink:
    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def lines(self, batch: list[tuple[float, str, object]]) -> None:
        self.batches.append([text for _, text, _ in batch])

    def status(self, message: str, *, error: bool = False) -> None:
        pass

    def cancel_with(self, close: object) -> None:
        pass


def test_a_busy_stream_is_read_in_bursts_not_line_by_line(
    kube_world: KubeWorld, streamer: KubeLogs
) -> None:
    """About 400 lines over a second, flushed every 5 ms (about 200 chunks): with a 0.25 s
    wait after each read that emptied the socket, the stream hands them over in a handful of batches
    (each a wake-up of its thread), all of them, in order. Read chunk by chunk, as urllib3's
    own ``stream`` does, it took one batch per chunk."""
    streamer.coalesce = 0.25
    stopping = threading.Event()
    logs = kube_world.servers[EKS_CONTEXT].pod_logs
    _write(kube_world, ["start"])
    sink = CountingSink()
    stop = threading.Event()
    target = LogTarget(EKS_CONTEXT, NS, POD)
    reader = threading.Thread(
        target=streamer.stream, args=(target, "app", LogQuery(NS, pod=POD), sink, stop)
    )
    reader.start()
    try:
        deadline = time.monotonic() + 10
        while not sink.batches and time.monotonic() < deadline:
            time.sleep(0.01)
        logs.generate([(NS, POD, "app")], 400, 1.0, stopping, tick=0.005).join(10)
        written = logs.get((NS, POD, "app", False))
        assert written is not None and written.total > 300
        want = ["start"] + [f"seq={n:08d}" for n in range(1, written.total)]
        while time.monotonic() < deadline + 10:
            got = [text for batch in sink.batches for text in batch]
            if len(got) >= len(want):
                break
            time.sleep(0.02)
        assert [text.split(" t=")[0] for text in got] == want
        assert len(sink.batches) <= 15, len(sink.batches)  # ~1.3 s / 0.25 s, and the first
    finally:
        stop.set()
        stopping.set()
        kube_world.eks.drop_watches("/log")
        reader.join(15)
    assert not reader.is_alive()
