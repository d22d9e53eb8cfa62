"""AGE on the Incident pane means "how long this has been wrong": from the object's own
condition times where the API has them, else from when the row was first seen, kept from one
frame to the next while the row lasts."""

from __future__ import annotations

from tests.conftest import DEMO_START
from tests.fakes import k8s_objects as k8s
from wundr_tui.backends.demo import DemoFleet
from wundr_tui.backends.kube import parse as kp
from wundr_tui.clock import FrozenClock
from wundr_tui.incidents import FirstSeen, pod_incidents
from wundr_tui.model import Incident, Pod
from wundr_tui.store import Store

DAY = 86400.0


def test_parsers_keep_the_condition_times() -> None:
    """Pod and Node: when Ready stopped being True; HPA: when ScalingLimited (TooManyReplicas)
    became True. Healthy objects carry 0 (nothing to age, no memory spent)."""
    created = k8s.EPOCH - DAY
    crashing = kp.pod(
        k8s.pod("ns", "web-1", waiting="CrashLoopBackOff", ready=False, restarts=3, created=created)
    )
    assert crashing.since == created + 3030
    assert kp.pod(k8s.pod("ns", "web-2", created=created)).since == 0.0
    pending = kp.pod(k8s.pod("ns", "web-3", phase="Pending", ready=False, unready_since=created))
    assert pending.since == created
    down = kp.node(k8s.node("n1", pool="p", cloud="aws", ready=False, changed=k8s.EPOCH - 40))
    assert down.since == k8s.EPOCH - 40
    assert kp.node(k8s.node("n2", pool="p", cloud="aws")).since == 0.0
    pinned = kp.hpa(k8s.hpa("ns", "h", target="web", max_replicas=5, current=5, desired=5))
    assert pinned.at_max and pinned.limited_since == k8s.EPOCH - 600
    assert kp.hpa(k8s.hpa("ns", "h", target="web")).limited_since == 0.0


def test_a_failing_pod_is_aged_from_when_it_went_wrong_not_its_creation() -> None:
    """A three-day-old pod crash-looping for 20 s reads 20 s, not 3d."""
    now = DEMO_START
    pod = Pod("ns", "web-1", "CrashLoopBackOff", 0, 1, 4, now - 3 * DAY, since=now - 20)
    (row,) = pod_incidents([("c", pod)])
    assert row.since == now - 20
    group = [
        ("c", Pod("ns", f"web-{i}", "Pending", 0, 1, 0, now - 3 * DAY, owner="web", since=t))
        for i, t in enumerate((now - 5, now - 50))
    ]
    (grouped,) = pod_incidents(group)
    assert grouped.since == now - 50  # the first of the group to go wrong


def _row(since: float, what: str = "HPA", detail: str = "at max 20/20") -> Incident:
    return Incident(3, "warning", "c", what, "ns/h", detail, since, cause="at max")


def test_first_seen_keeps_a_rows_time_while_it_lasts_and_forgets_it_after() -> None:
    """A rule with no API time says "now" every frame: the row keeps the first frame's time
    (its detail may change), and once the row is gone its time is forgotten."""
    seen = FirstSeen()
    (first,) = seen.stamp([_row(100.0)], 100.0)
    (later,) = seen.stamp([_row(160.0, detail="at max 20/20 (cpu 125%/70%)")], 160.0)
    assert first.since == later.since == 100.0
    # an earlier time from the object itself wins over when the cockpit first saw it
    (told,) = seen.stamp([_row(40.0)], 170.0)
    assert told.since == 40.0
    assert seen.stamp([], 180.0) == [] and len(seen) == 0
    (again,) = seen.stamp([_row(190.0)], 190.0)
    assert again.since == 190.0


def test_demo_rows_without_api_times_age_across_frames() -> None:
    """The demo cockpit's frames: the NODEPOOL, HPA, BLUE/GRN and DB rows seen at 100 s are
    still there at 130 s and read at least 30 s old (they read 0s forever); the crash-looping
    pod reads seconds, not its days of age."""
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(seed=7, clock=clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    seen_at_100: dict[tuple[str, str, str, str], Incident] = {}
    for second in range(1, 131):
        clock.advance(1.0)
        store.apply(fleet.tick())
        rows = store.incidents()  # what the Incident pane does every frame
        if second == 100:
            seen_at_100 = {r.identity: r for r in rows}
    now = clock.now()
    lasting = [r for r in store.incidents() if r.identity in seen_at_100]
    whats = {r.what for r in lasting}
    assert {"NODEPOOL", "HPA", "BLUE/GREEN", "DB"} <= whats, whats
    for row in lasting:
        if row.what in ("NODEPOOL", "HPA", "BLUE/GREEN", "DB"):
            assert now - row.since >= 30, row
    pods = [r for r in store.incidents() if r.what == "POD" and r.cause == "CrashLoopBackOff"]
    assert pods and all(0 < now - r.since < 120 for r in pods), pods
