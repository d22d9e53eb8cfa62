"""A failing apiserver's badge says when the watch tries again, and counts down to it."""

from __future__ import annotations

from dataclasses import replace

from tests.fakes.kube_fixtures import EKS_CONTEXT, FAST, KubeHarness, KubeWorld
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.clock import FrozenClock
from wundr_tui.config import Config
from wundr_tui.model import Kind
from wundr_tui.store import Store
from wundr_tui.widgets.cluster_bar import health_parts
from wundr_tui.widgets.freshness import badge, health_badge

SLOW = replace(FAST, backoff_base=10.0, backoff_cap=30.0)
"""The first backoff is 10-20 s (backends.retry: the base to twice the base): long enough to
count down on a frozen clock; the test stops the source during that wait, so it makes one
request."""


def _frozen(harness: KubeHarness) -> FrozenClock:
    clock = FrozenClock()
    harness.store = Store(clock=clock)
    return clock


def test_refused_connections_count_down_to_the_next_attempt(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """The apiserver refuses connections: the error names its retry time, within the backoff
    cap, and the badge's "retrying in Ns" goes down as the clock moves."""
    clock = _frozen(kube_harness)
    now = clock.now()
    kube_world.eks.faults.refuse_connections = True
    cluster = discover_clusters(Config(), [EKS_CONTEXT])[0]
    kube_harness.start(cluster, tuning=SLOW, kinds=[Kind.NODE], clock=clock.now)

    def failed(s: Store) -> bool:
        h = kube_harness.health(EKS_CONTEXT, "kube/nodes")
        return h is not None and h.state == "error"

    kube_harness.wait_for(failed)
    health = kube_harness.health(EKS_CONTEXT, "kube/nodes")
    assert health is not None
    assert now < health.retry_at <= now + SLOW.backoff_cap
    left = health.retry_at - now
    assert left >= SLOW.backoff_base  # 10-20 s at the first failure
    first = health_badge(kube_harness.store, [health], short=True).plain
    assert first.endswith(f"; retrying in {int(-(-left // 1))}s"), first
    assert "k8s ✖ " in health_parts(kube_harness.store, cluster).plain
    counts = []
    for _ in range(3):
        text = badge(health, clock.now())
        counts.append(int(text.plain.rsplit("retrying in ", 1)[1].removesuffix("s")))
        clock.advance(3)
    assert counts == [counts[0], counts[0] - 3, counts[0] - 6]
    clock.advance(left)
    assert badge(health, clock.now()).plain.endswith("; retrying")
    assert kube_harness.close() < 3.0  # stop ends the wait at once
    attempts = {r.path for r in kube_world.eks.requests()}
    assert attempts == {"/api/v1/nodes"}  # one list attempt (urllib3 resends it), no retry yet


def test_each_failed_attempt_announces_its_retry_and_live_clears_it(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """Three 500s in a row: three error healths with the same reason, each with its own retry
    time (the de-duplication keeps them), then live with none."""
    clock = _frozen(kube_harness)
    kube_world.eks.faults.add("status", path="/api/v1/nodes", status=500, count=3)
    cluster = discover_clusters(Config(), [EKS_CONTEXT])[0]
    kube_harness.start(cluster, kinds=[Kind.NODE], clock=clock.now)
    kube_harness.wait_for(lambda s: s.count(Kind.NODE, EKS_CONTEXT) == 6)
    seen = kube_harness.health_seen(EKS_CONTEXT, "kube/nodes")
    errors = [h for h in seen if h.state == "error"]
    assert len(errors) == 3, [(h.state, h.reason, h.retry_at) for h in seen]
    assert len({h.reason for h in errors}) == 1
    now = clock.now()
    for h in errors:
        assert now < h.retry_at <= now + FAST.backoff_cap
        assert h.since == errors[0].since  # the same trouble, the same age
    assert seen[-1].state == "live" and seen[-1].retry_at == 0.0
    stored = kube_harness.health(EKS_CONTEXT, "kube/nodes")
    assert stored is not None and stored.state == "live" and not stored.retry_at


def test_forbidden_kind_says_when_it_looks_again(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """A 403 waits ``forbidden_retry``: the badge says so, to the second."""
    clock = _frozen(kube_harness)
    kube_world.eks.faults.forbidden = {("list", "nodes")}
    tuning = replace(FAST, forbidden_retry=120.0)
    cluster = discover_clusters(Config(), [EKS_CONTEXT])[0]
    kube_harness.start(cluster, tuning=tuning, kinds=[Kind.NODE], clock=clock.now)

    def failed(s: Store) -> bool:
        h = kube_harness.health(EKS_CONTEXT, "kube/nodes")
        return h is not None and h.state == "error"

    kube_harness.wait_for(failed)
    health = kube_harness.health(EKS_CONTEXT, "kube/nodes")
    assert health is not None and health.retry_at == clock.now() + 120.0
    assert badge(health, clock.now()).plain.endswith("; retrying in 120s")
    clock.advance(45)
    assert badge(health, clock.now()).plain.endswith("; retrying in 75s")
    assert kube_harness.close() < 3.0  # stop ends the wait at once
