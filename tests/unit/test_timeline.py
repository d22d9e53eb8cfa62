"""The timeline's derivation: one entry per kind of change, in time order, bounded; the demo's
rollout shortly before its error-rate alert; audited actions through a recording."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from tests.conftest import DEMO_START, demo_store
from wundr_tui.backends.demo import EKS_CONTEXT, GKE_CONTEXT, DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.codec import decode, encode
from wundr_tui.events import Audited, Deleted, Replaced, Upserted
from wundr_tui.model import (
    Alert,
    Backup,
    Deployment,
    Hpa,
    Kind,
    KubeEvent,
    NodePool,
    Pod,
    ReplicaLink,
    Restore,
    Service,
)
from wundr_tui.recording import Recorder, read_recording
from wundr_tui.store import Store
from wundr_tui.timeline import Timeline

C = "eks"
NOW = DEMO_START


def store() -> tuple[Store, FrozenClock]:
    clock = FrozenClock(NOW)
    return Store(clock), clock


def dep(image: str, revision: int) -> Deployment:
    return Deployment(
        "ns",
        "api-gateway-blue",
        3,
        3,
        3,
        3,
        (("app", "api-gateway"),),
        image=image,
        revision=revision,
    )


def only(s: Store) -> tuple[str, str, str, str]:
    (e,) = s.timeline.entries()
    return e.what, e.subject, e.change, e.tone


def test_a_rollout_names_revision_and_image_tags() -> None:
    s, clock = store()
    s.apply([Replaced(C, Kind.DEPLOYMENT, (dep("reg/wundr/api-gateway:v1.4.2", 4),))])
    assert s.timeline.entries() == []  # first sight is not a change
    clock.advance(5)
    s.apply([Upserted(C, Kind.DEPLOYMENT, (dep("reg/wundr/api-gateway:v1.4.3", 5),))])
    assert only(s) == (
        "ROLLOUT",
        "ns/api-gateway-blue",
        "image v1.4.2 → v1.4.3 (revision 5)",
        "info",
    )
    (e,) = s.timeline.entries()
    assert (e.time, e.kind, e.key, e.service) == (
        NOW + 5,
        Kind.DEPLOYMENT,
        "ns/api-gateway-blue",
        "api-gateway",
    )


def test_hpa_steps_within_two_minutes_are_one_entry() -> None:
    s, clock = store()

    def hpa(desired: int) -> Hpa:
        return Hpa("ns", "gw", "Deployment/api-gateway-blue", 3, 20, desired, desired)

    s.apply([Replaced(C, Kind.HPA, (hpa(3),))])
    for n in (5, 9, 20):
        clock.advance(15)
        s.apply([Upserted(C, Kind.HPA, (hpa(n),))])
    assert only(s) == ("HPA", "ns/gw", "desired 3 → 20 (3 steps in 30s) at max", "bad")
    clock.advance(600)
    s.apply([Upserted(C, Kind.HPA, (hpa(4),))])
    assert next(e.change for e in s.timeline.entries()) == "desired 20 → 4"


def test_node_pool_size_and_bounds() -> None:
    s, clock = store()
    s.apply([Upserted(C, Kind.NODE_POOL, (NodePool("compute", 3, 20, 3, "c6i"),))])
    clock.advance(1)
    s.apply([Upserted(C, Kind.NODE_POOL, (NodePool("compute", 3, 25, 8, "c6i"),))])
    assert sorted(e.change for e in s.timeline.entries()) == ["bounds 3-20 → 3-25", "size 3 → 8"]


def pod(status: str, ready: int = 2, created: float = NOW - 3600) -> Pod:
    return Pod("ns", "p", status, ready, 2, 0, created, "n1", "api-gateway-blue")


def test_pods_going_bad_and_recovering() -> None:
    s, clock = store()
    s.apply([Replaced(C, Kind.POD, (pod("Running"),))])
    for status in ("CrashLoopBackOff", "Error", "Running"):
        clock.advance(1)
        s.apply([Upserted(C, Kind.POD, (pod(status),))])
    assert [(e.change, e.tone) for e in s.timeline.entries()] == [
        ("recovered (Running, was Error)", "good"),
        ("Running → CrashLoopBackOff → Error", "bad"),  # one crash loop, one entry
    ]
    # The same change of several pods at once (a node's pods going not ready): one entry.
    others = [Pod("ns", f"o{i}", "Running", 2, 2, 0, NOW - 3600) for i in range(4)]
    s.apply([Upserted(C, Kind.POD, tuple(others))])
    clock.advance(1)
    s.apply(
        [
            Upserted(
                C,
                Kind.POD,
                tuple(Pod("ns", f"o{i}", "Running", 1, 2, 0, NOW - 3600) for i in range(4)),
            )
        ]
    )
    assert s.timeline.entries()[0].subject == "ns/o0 +3"


def test_a_new_pod_starting_up_is_not_news_but_a_crashing_one_is() -> None:
    s, clock = store()
    s.apply([Upserted(C, Kind.POD, (pod("Pending", 0, created=NOW),))])
    s.apply([Upserted(C, Kind.POD, (pod("Running", 2, created=NOW),))])
    assert s.timeline.entries() == []
    # Bad before we looked (old): no entry, but its recovery is news.
    old = Pod("ns", "q", "CrashLoopBackOff", 1, 2, 9, NOW - 86400)
    s.apply([Upserted(C, Kind.POD, (old,))])
    assert s.timeline.entries() == []
    clock.advance(1)
    s.apply([Deleted(C, Kind.POD, ("ns/q",))])
    assert only(s)[2] == "deleted while CrashLoopBackOff"


def alert(state: str, starts: float = NOW - 30) -> Alert:
    return Alert(
        "HighErrorRate",
        "f1",
        "critical",
        state,
        starts,
        "High error rate",
        service="api-gateway",
        namespace="ns",
    )


def test_alerts_firing_and_resolving() -> None:
    s, clock = store()
    s.apply([Replaced(C, Kind.ALERT, (alert("pending"),))])
    clock.advance(10)
    s.apply([Replaced(C, Kind.ALERT, (alert("firing"),))])
    clock.advance(60)
    s.apply([Replaced(C, Kind.ALERT, ())])
    assert [(e.time - NOW, e.change, e.tone) for e in s.timeline.entries()] == [
        (70, "resolved (critical, fired 2m)", "good"),
        (10, "firing (critical): High error rate", "bad"),
    ]
    # First seen firing: placed at the alert's own start.
    t, _ = store()
    t.apply([Replaced(C, Kind.ALERT, (alert("firing", NOW - 300),))])
    assert t.timeline.entries()[0].time == NOW - 300


def test_an_ack_is_not_a_resolution_nor_its_end_a_new_firing() -> None:
    s, clock = store()
    s.apply([Replaced(C, Kind.ALERT, (alert("firing"),))])
    clock.advance(60)
    acked = replace(alert("suppressed"), acked_by="alice", ack_until=NOW + 60 + 3600)
    s.apply([Replaced(C, Kind.ALERT, (acked,))])
    clock.advance(60)
    s.apply([Replaced(C, Kind.ALERT, (alert("suppressed"),))])  # another silence took over
    clock.advance(60)
    s.apply([Replaced(C, Kind.ALERT, (alert("firing"),))])
    clock.advance(60)
    s.apply([Replaced(C, Kind.ALERT, (alert("suppressed"),))])
    clock.advance(60)
    s.apply([Replaced(C, Kind.ALERT, ())])  # resolved while silenced: still a resolution
    until = time.strftime("%H:%M UTC", time.gmtime(NOW + 3660))
    assert [(e.time - NOW, e.change, e.tone) for e in s.timeline.entries()] == [
        (300, "resolved (critical, fired 6m)", "good"),
        (240, "silenced (still firing)", "info"),
        (180, "firing again: silence ended", "bad"),
        (60, f"acked by alice until {until} (still firing)", "info"),
        (-30, "firing (critical): High error rate", "bad"),
    ]


def link(lag: float) -> ReplicaLink:
    return ReplicaLink("rds", "db", "db-r", "a", "b", "streaming", lag, 0, NOW)


def test_replica_lag_crossing_its_threshold_either_way() -> None:
    s, _ = store()
    for lag in (1.0, 20.0, 31.0, 60.0, 12.0):
        s.apply([Upserted(C, Kind.REPLICA_LINK, (link(lag),))])
    assert [e.change for e in s.timeline.entries()] == [
        "lag 12s back under 30s",
        "lag 31s over 30s",
    ]


def test_backups_restores_and_history_outside_the_window() -> None:
    s, clock = store()
    old = Backup("ancient", "Completed", NOW - 3 * 86400, NOW - 3 * 86400 + 60)
    done = Backup("nightly", "Completed", NOW - 3600, NOW - 3500)
    s.apply([Replaced(C, Kind.BACKUP, (old, done))])
    assert only(s) == ("BACKUP", "nightly", "completed", "good")
    s.apply([Upserted(C, Kind.RESTORE, (Restore("r1", "nightly", "InProgress", NOW),))])
    clock.advance(20)
    s.apply(
        [Upserted(C, Kind.RESTORE, (Restore("r1", "nightly", "Failed", NOW, NOW + 20, errors=2),))]
    )
    assert [e.change for e in s.timeline.entries()][:2] == [
        "Failed, 2 errors from nightly",
        "started from nightly",
    ]


def test_blue_green_switch_and_other_selector_changes() -> None:
    s, _ = store()

    def svc(name: str, colour: str) -> Service:
        return Service("wundr-platform", name, (("app", "api-gateway"), ("environment", colour)))

    s.apply(
        [
            Replaced(
                C,
                Kind.SERVICE,
                (svc("wundr-platform-service", "production-blue"), svc("other", "a")),
            )
        ]
    )
    s.apply(
        [
            Upserted(
                C,
                Kind.SERVICE,
                (svc("wundr-platform-service", "production-green"), svc("other", "b")),
            )
        ]
    )
    assert sorted((e.what, e.change) for e in s.timeline.entries()) == [
        ("BLUE/GREEN", "traffic production-blue → production-green"),
        ("SERVICE", "selector app=api-gateway,environment=a → app=api-gateway,environment=b"),
    ]


def event(
    name: str, reason: str = "FailedScheduling", kind: str = "Pod", type_: str = "Warning"
) -> KubeEvent:
    return KubeEvent("ns", name, type_, reason, "0/3 nodes", kind, "ns", name, 1, NOW, NOW)  # type: ignore[arg-type]


def test_warning_events_once_each_and_a_burst_is_one_entry() -> None:
    s, clock = store()
    s.apply([Upserted(C, Kind.EVENT, tuple(event(f"p{i}") for i in range(7)))])
    s.apply([Upserted(C, Kind.EVENT, (event("n1", "Pulled", type_="Normal"),))])
    assert only(s) == ("EVENT", "pod/p0 +6", "FailedScheduling: 0/3 nodes", "bad")
    clock.advance(1)
    again = KubeEvent(
        "ns", "p0", "Warning", "FailedScheduling", "0/3 nodes", "Pod", "ns", "p0", 9, NOW, NOW + 1
    )
    s.apply([Upserted(C, Kind.EVENT, (again,))])
    assert len(s.timeline) == 1  # a repeat is not a new change


def test_audited_actions_with_who_what_and_result() -> None:
    s, _ = store()
    s.apply([Audited(C, NOW - 5, "alice", "scale", "replicas 3 → 5", "failed", "forbidden")])
    assert only(s) == ("ACTION", "scale", "alice: replicas 3 → 5  FAILED (forbidden)", "bad")


def test_newest_first_and_window_queries() -> None:
    t = Timeline()
    for i, cluster in enumerate(("a", "b", "a")):
        t.observe(Audited(cluster, NOW + i * 10, "u", f"act{i}", "x", "done"), {}, NOW + i * 10)
    assert [e.subject for e in t.entries()] == ["act2", "act1", "act0"]
    assert [e.subject for e in t.window(NOW, NOW + 15)] == ["act1", "act0"]
    assert [e.subject for e in t.window(NOW, NOW + 30, cluster="a")] == ["act2", "act0"]
    assert [e.subject for e in t.before(NOW + 20, 15)] == ["act2", "act1"]


def test_bounded_by_count_and_by_age() -> None:
    t = Timeline(max_entries=5, max_age=100)
    for i in range(8):
        t.observe(Audited("a", NOW + i, "u", f"act{i}", "x", "done"), {}, NOW + i)
    assert [e.subject for e in t.entries()] == [f"act{i}" for i in range(7, 2, -1)]
    t.prune(NOW + 104)
    assert [e.subject for e in t.entries()] == ["act7", "act6", "act5", "act4"]
    gone = t.touched_since(0)
    assert gone is None or {1, 2, 3} <= gone


def test_touched_since_names_the_changed_entries() -> None:
    t = Timeline()
    t.observe(Audited("a", NOW, "u", "one", "x", "done"), {}, NOW)
    rev = t.revision
    t.observe(Audited("a", NOW + 1, "u", "two", "x", "done"), {}, NOW + 1)
    touched = t.touched_since(rev)
    assert touched is not None and [t.get(s).subject for s in touched] == ["two"]  # type: ignore[union-attr]
    assert t.touched_since(t.revision) == set()


def test_the_demo_rolls_out_api_gateway_before_its_error_rate_fires_on_eks_only() -> None:
    s = demo_store(115)
    rollouts = [e for e in s.timeline.entries() if e.what == "ROLLOUT"]
    assert [(e.cluster, e.subject, e.change) for e in rollouts] == [
        (EKS_CONTEXT, "wundr-platform/api-gateway-blue", "image v1.4.2 → v1.4.3 (revision 5)")
    ]
    firing = [
        e
        for e in s.timeline.entries()
        if e.what == "ALERT" and e.subject.startswith("HighErrorRate") and e.cluster == EKS_CONTEXT
    ]
    assert firing and 0 < firing[0].time - rollouts[0].time <= 60
    # What a story asks: the changes just before the alert, for its service.
    before = s.timeline.before(firing[0].time, 300, cluster=EKS_CONTEXT, service="api-gateway")
    assert rollouts[0] in before
    assert not [e for e in s.timeline.entries() if e.what == "ROLLOUT" and e.cluster == GKE_CONTEXT]
    # The whole day of history stays in order.
    times = [e.time for e in s.timeline.entries()]
    assert times == sorted(times, reverse=True)


def test_audited_round_trips_through_a_recording_and_a_replayed_store_derives_the_same(
    tmp_path: Path,
) -> None:
    clock = FrozenClock(DEMO_START)
    fleet = DemoFleet(seed=7, clock=clock)
    live = Store(clock)
    path = tmp_path / "r.jsonl"
    with Recorder(path, clock) as rec:
        batch = fleet.initial_events()
        for i in range(120):
            if i == 100:
                batch.append(
                    Audited(EKS_CONTEXT, clock.now(), "alice", "scale", "replicas 3 → 5", "done")
                )
            rec(batch)
            live.apply(batch)
            clock.advance(1.0)
            batch = fleet.tick()
    audited = Audited(EKS_CONTEXT, 1.5, "bob\x1b", "x", "y", "done")
    assert decode(encode(audited)) == audited
    replay_clock = FrozenClock(DEMO_START)
    replayed = Store(replay_clock)
    events = read_recording(path)
    at = 0.0
    group: list = []
    for t, e in events:
        if t != at:
            replayed.apply(group)
            group = []
            replay_clock.advance(t - at)
            at = t
        group.append(e)
    replayed.apply(group)

    def shown(s: Store) -> list[tuple[float, str, str, str, str]]:
        return [(e.time, e.cluster, e.what, e.subject, e.change) for e in s.timeline.entries()]

    assert shown(replayed) == shown(live)
    assert any(e.what == "ACTION" and e.subject == "scale" for e in replayed.timeline.entries())


def test_a_recording_made_before_the_timeline_still_loads(tmp_path: Path) -> None:
    """Deployments without image or revision, no Audited lines: read as before, blank."""
    path = tmp_path / "old.jsonl"
    path.write_text(
        '{"wundr_tui_recording": 1, "started": 1000.0}\n'
        '{"t": 0, "type": "Upserted", "cluster": "eks", "kind": "deployment", "items": '
        '[{"namespace": "ns", "name": "d", "desired": 1, "ready": 1, "available": 1, '
        '"updated": 1}]}\n'
    )
    ((_, event),) = read_recording(path)
    assert isinstance(event, Upserted)
    assert event.items == (Deployment("ns", "d", 1, 1, 1, 1),)
    assert (event.items[0].image, event.items[0].revision) == ("", 0)  # type: ignore[union-attr]


def test_history_told_at_its_own_time_and_through_the_codec() -> None:
    """A source catching up on history stamps its changes: the timeline tells them then (never
    after the store's now), and the stamp survives a recording; a live change has none."""
    s, clock = store()
    s.apply([Replaced(C, Kind.DEPLOYMENT, (dep("gw:v1.4.2", 4),))])
    clock.advance(300)
    late = Upserted(C, Kind.DEPLOYMENT, (dep("gw:v1.4.3", 5),), at=NOW + 60)
    (back,) = [decode(encode(late))]
    assert back == late
    s.apply([back, Upserted(C, Kind.DEPLOYMENT, (dep("gw:v1.4.4", 6),), at=NOW + 900)])
    assert [e.time - NOW for e in s.timeline.entries()] == [300, 60]
    assert "at" not in encode(Upserted(C, Kind.DEPLOYMENT, ()))
    assert "at" not in encode(Deleted(C, Kind.POD, ("a",)))
    assert decode(encode(Deleted(C, Kind.POD, ("a",), at=NOW))).at == NOW  # type: ignore[union-attr]
