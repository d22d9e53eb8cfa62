"""Watch-list (KEP-3157): the initial list streamed as a watch, with fallback to paged lists.

Against the fake apiserver, which serves ``sendInitialEvents=true`` as kube-apiserver 1.32+
does (ADDED events, then the BOOKMARK annotated ``k8s.io/initial-events-end``, then the watch)
and, with ``watch_list = False``, refuses it with 422 as a server without the feature does.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.fakes.k8s_objects import pod
from tests.fakes.kube_fixtures import EKS_CONTEXT, KubeHarness, KubeWorld
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import Config
from wundr_tui.events import Replaced, Upserted
from wundr_tui.model import Cluster, Kind, Pod
from wundr_tui.store import Store

PODS = "/api/v1/pods"


def _eks() -> Cluster:
    return next(c for c in discover_clusters(Config()) if c.name == EKS_CONTEXT)


def _complete(world: KubeWorld, harness: KubeHarness) -> None:
    want = set(world.eks.state.keys("pods"))
    harness.wait_for(
        lambda s: (
            set(s.items(EKS_CONTEXT, Kind.POD)) == want
            and (h := s.health.get((EKS_CONTEXT, "kube/pods"))) is not None
            and h.state == "live"
        )
    )


def _streamed(world: KubeWorld) -> list[dict[str, list[str]]]:
    return [
        r.query
        for r in world.eks.requests(lambda r: r.path == PODS)
        if r.query.get("sendInitialEvents") == ["true"]
    ]


def _paged(world: KubeWorld) -> list[dict[str, list[str]]]:
    return [
        r.query
        for r in world.eks.requests(lambda r: r.path == PODS)
        if r.query.get("watch") is None
    ]


def _has(name: str) -> Callable[[Store], bool]:
    def check(s: Store) -> bool:
        return isinstance(s.get(EKS_CONTEXT, Kind.POD, name), Pod)

    return check


def test_the_initial_list_streams_as_one_watch(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """One request lists and watches: no paged list at all, rows arrive before the end
    bookmark, the list ends with Replaced, and the same stream carries the next change."""
    kube_harness.start(_eks(), kinds=[Kind.POD])
    _complete(kube_world, kube_harness)
    streamed = _streamed(kube_world)
    assert len(streamed) == 1
    assert streamed[0]["resourceVersionMatch"] == ["NotOlderThan"]
    assert streamed[0]["allowWatchBookmarks"] == ["true"]
    assert streamed[0]["includeObject"] == ["Metadata"]  # Table rows, as the paged list uses
    assert not _paged(kube_world), "a paged list was sent although the server streams lists"
    kinds = [
        type(e).__name__
        for e in kube_harness.events
        if isinstance(e, (Upserted, Replaced)) and e.kind is Kind.POD
    ]
    assert kinds.index("Upserted") < kinds.index("Replaced")
    kube_world.eks.state.put("pods", pod("wundr-platform", "orders-blue-7d9f8c6b5-new01"))
    kube_harness.wait_for(_has("wundr-platform/orders-blue-7d9f8c6b5-new01"), timeout=5)
    assert len(kube_world.eks.requests(lambda r: r.path == PODS)) == 1


def test_a_server_that_refuses_watch_list_gets_paged_lists(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """422 to sendInitialEvents (the WatchList feature off): list in pages, then watch, and do
    not ask again on the next relist."""
    kube_world.eks.watch_list = False
    kube_harness.start(_eks(), kinds=[Kind.POD])
    _complete(kube_world, kube_harness)
    assert len(_streamed(kube_world)) == 1
    assert _paged(kube_world)
    kube_world.eks.state.load({"pods": [pod("wundr-platform", "orders-blue-7d9f8c6b5-new02")]})
    kube_world.eks.drop_watches()  # resumes from an rv older than the log: 410, relist
    kube_harness.wait_for(_has("wundr-platform/orders-blue-7d9f8c6b5-new02"), timeout=10)
    assert len(_streamed(kube_world)) == 1
    assert len({q["continue"][0] if "continue" in q else "" for q in _paged(kube_world)}) >= 1


def test_a_dropped_stream_resumes_and_410_streams_the_list_again(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """After the initial list a drop resumes from the resourceVersion (no new list); a resume
    answered 410 streams the whole list again, and what the watch missed shows up."""
    kube_harness.start(_eks(), kinds=[Kind.POD])
    _complete(kube_world, kube_harness)
    state = kube_world.eks.state
    kube_world.eks.drop_watches()
    state.put("pods", pod("wundr-platform", "orders-blue-7d9f8c6b5-new03"))
    kube_harness.wait_for(_has("wundr-platform/orders-blue-7d9f8c6b5-new03"), timeout=10)
    assert len(_streamed(kube_world)) == 1
    resumed = [
        r.query
        for r in kube_world.eks.requests(lambda r: r.path == PODS)
        if "sendInitialEvents" not in r.query
    ]
    assert resumed and all(q.get("resourceVersion") for q in resumed)
    state.load({"pods": [pod("wundr-platform", "orders-blue-7d9f8c6b5-new04")]})  # no event
    kube_world.eks.drop_watches()
    kube_harness.wait_for(_has("wundr-platform/orders-blue-7d9f8c6b5-new04"), timeout=10)
    assert len(_streamed(kube_world)) == 2
    assert not _paged(kube_world)
    _complete(kube_world, kube_harness)
