"""Kubernetes events in the model and the store: the (object, reason) key, merging repeats,
the by-object index behind ``Store.events_for``, the per-cluster bound, recordings and the
text boundary."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from wundr_tui import config as cfg
from wundr_tui.clock import FrozenClock
from wundr_tui.codec import CodecError, decode, encode
from wundr_tui.events import ClusterSeen, Deleted, Replaced, Upserted
from wundr_tui.model import Cluster, Kind, KubeEvent
from wundr_tui.pump import EventPump
from wundr_tui.recording import Recorder, read_recording
from wundr_tui.safe_text import is_safe
from wundr_tui.store import MAX_EVENTS, Store

EKS = Cluster("arn:aws:eks:us-east-1:1:cluster/prod", "aws", "us-east-1", "prod")
GKE = Cluster("gke_p_us-central1_prod", "gcp", "us-central1", "prod")
NS = "wundr-platform"


def event(
    name: str = "setup-toolkit-abc",
    reason: str = "BackOff",
    *,
    kind: str = "Pod",
    ns: str = NS,
    count: int = 1,
    first: float = 1000.0,
    last: float = 1000.0,
    note: str = "Back-off restarting failed container",
) -> KubeEvent:
    return KubeEvent(
        namespace=ns,
        name=f"{name}.{int(last)}",
        type="Warning",
        reason=reason,
        note=note,
        regarding_kind=kind,
        regarding_namespace=ns,
        regarding_name=name,
        count=count,
        first_seen=first,
        last_seen=last,
        reporter="kubelet",
    )


def make_store(max_events: int = MAX_EVENTS) -> Store:
    store = Store(FrozenClock(10_000.0), max_events=max_events)
    store.apply([ClusterSeen(EKS), ClusterSeen(GKE)])
    return store


# -- the model ---------------------------------------------------------------------------


def test_the_key_is_the_object_and_the_reason() -> None:
    a = event(last=1000.0)
    b = event(last=2000.0, count=5)
    assert a.key == b.key == f"Pod/{NS}/setup-toolkit-abc:BackOff"
    assert event(reason="Unhealthy").key != a.key
    assert event(kind="Node", ns="").key == "Node//setup-toolkit-abc:BackOff"


def test_merging_keeps_the_highest_count_the_latest_last_seen_and_its_note() -> None:
    old = event(count=7, first=900.0, last=1000.0, note="old note")
    new = event(count=3, first=1900.0, last=2000.0, note="new note")
    for merged in (old.merged(new), new.merged(old)):
        assert (merged.count, merged.first_seen, merged.last_seen) == (7, 900.0, 2000.0)
        assert merged.note == "new note"
        assert merged.name == new.name


# -- the store ---------------------------------------------------------------------------


def test_events_for_an_object_are_newest_first_and_only_its_own() -> None:
    store = make_store()
    store.apply(
        [
            Upserted(
                EKS.name,
                Kind.EVENT,
                (
                    event(reason="BackOff", last=1500.0),
                    event(reason="Unhealthy", last=2500.0),
                    event(reason="FailedMount", last=500.0),
                    event("other-pod", last=3000.0),
                    event(kind="Node", ns="", name="node-1", reason="NodeNotReady"),
                ),
            ),
            Upserted(GKE.name, Kind.EVENT, (event(reason="Pulled", last=9000.0),)),
        ]
    )
    got = store.events_for(EKS.name, "Pod", NS, "setup-toolkit-abc")
    assert [e.reason for e in got] == ["Unhealthy", "BackOff", "FailedMount"]
    assert store.events_for(EKS.name, Kind.POD, NS, "setup-toolkit-abc") == got
    assert [e.reason for e in store.events_for(EKS.name, Kind.NODE, "", "node-1")] == [
        "NodeNotReady"
    ]
    assert [e.reason for e in store.events_for(GKE.name, Kind.POD, NS, "setup-toolkit-abc")] == [
        "Pulled"
    ]
    assert store.events_for(EKS.name, Kind.POD, NS, "nobody") == []


def test_a_repeat_replaces_its_row_and_the_index_follows() -> None:
    store = make_store()
    store.apply([Upserted(EKS.name, Kind.EVENT, (event(count=1, last=1000.0),))])
    ch = store.apply([Upserted(EKS.name, Kind.EVENT, (event(count=4, last=1300.0),))])
    assert ch.touched[Kind.EVENT] == {(EKS.name, event().key)}
    assert store.count(Kind.EVENT) == 1
    (only,) = store.events_for(EKS.name, Kind.POD, NS, "setup-toolkit-abc")
    assert (only.count, only.last_seen) == (4, 1300.0)


def test_deleted_and_replaced_events_leave_the_index() -> None:
    store = make_store()
    a, b = event(reason="BackOff"), event(reason="Unhealthy")
    store.apply([Upserted(EKS.name, Kind.EVENT, (a, b))])
    store.apply([Deleted(EKS.name, Kind.EVENT, (a.key,))])
    assert store.events_for(EKS.name, Kind.POD, NS, a.regarding_name) == [b]
    store.apply([Replaced(EKS.name, Kind.EVENT, (event("p2"),))])
    assert store.events_for(EKS.name, Kind.POD, NS, a.regarding_name) == []
    assert len(store.events_for(EKS.name, Kind.POD, NS, "p2")) == 1
    assert store._events_by_object.keys() == {(EKS.name, "Pod", NS, "p2")}


@pytest.mark.parametrize("how", ["upserted", "replaced"])
def test_past_the_bound_the_oldest_by_last_seen_are_evicted(how: str) -> None:
    store = make_store(max_events=100)
    first = tuple(event(f"pod-{i}", last=1000.0 + i) for i in range(100))
    store.apply([Upserted(EKS.name, Kind.EVENT, first)])
    assert store.count(Kind.EVENT, EKS.name) == 100
    # 30 newer ones and 5 older than any kept: the 35 oldest by last_seen go.
    more = tuple(event(f"new-{i}", last=5000.0 + i) for i in range(30)) + tuple(
        event(f"ancient-{i}", last=10.0 + i) for i in range(5)
    )
    if how == "upserted":
        ch = store.apply([Upserted(EKS.name, Kind.EVENT, more)])
    else:
        ch = store.apply([Replaced(EKS.name, Kind.EVENT, first + more)])
    kept = store.items(EKS.name, Kind.EVENT)
    assert len(kept) == 100
    names = {e.regarding_name for e in kept.values() if isinstance(e, KubeEvent)}
    assert names == {f"pod-{i}" for i in range(30, 100)} | {f"new-{i}" for i in range(30)}
    assert store.events_for(EKS.name, Kind.POD, NS, "pod-0") == []
    assert store.events_for(EKS.name, Kind.POD, NS, "ancient-0") == []
    assert len(store._events_by_object) == 100
    assert (EKS.name, event("pod-0").key) in ch.touched[Kind.EVENT]
    # The bound is per cluster: the other cluster's events are not counted against it.
    store.apply([Upserted(GKE.name, Kind.EVENT, first[:60])])
    assert store.count(Kind.EVENT, EKS.name) == 100
    assert store.count(Kind.EVENT, GKE.name) == 60


def test_the_default_bound_is_five_thousand_and_the_config_sets_it() -> None:
    assert Store().max_events == MAX_EVENTS == 5_000
    assert cfg.Config().kubernetes.max_events == 5_000
    assert cfg.parse({"kubernetes": {"max_events": 100_000}}).kubernetes.max_events == 100_000


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (99, "kubernetes.max_events = 99 is out of range (events per cluster: at least 100"),
        (100_001, "kubernetes.max_events = 100001 is out of range"),
        (float("nan"), "kubernetes.max_events: expected a whole number, got nan"),
        ("5000", "kubernetes.max_events: expected a whole number, got '5000'"),
    ],
)
def test_max_events_outside_its_range_is_one_line(value: object, message: str) -> None:
    with pytest.raises(cfg.ConfigError) as err:
        cfg.parse({"kubernetes": {"max_events": value}})
    assert message in str(err.value)
    assert "\n" not in str(err.value)


# -- recordings and the text boundary ----------------------------------------------------


def test_events_round_trip_through_a_recording(tmp_path: Path) -> None:
    clock = FrozenClock(1000.0)
    events = [
        Replaced(EKS.name, Kind.EVENT, (event(), event(kind="Node", ns="", name="n1"))),
        Upserted(EKS.name, Kind.EVENT, (event(count=9, last=1200.5),)),
        Deleted(EKS.name, Kind.EVENT, (event().key,)),
    ]
    with Recorder(tmp_path / "r.jsonl", clock) as recorder:
        recorder(events)
    assert [e for _, e in read_recording(tmp_path / "r.jsonl")] == events
    assert [decode(encode(e)) for e in events] == events


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("type", "Fatal"),
        ("count", "3"),
        ("count", 2.5),
        ("last_seen", "yesterday"),
        ("note", 7),
        ("regarding_name", None),
    ],
)
def test_a_recorded_event_of_the_wrong_shape_is_refused(field: str, value: object) -> None:
    body = encode(Upserted(EKS.name, Kind.EVENT, (event(),)))
    item = body["items"][0]
    assert isinstance(item, dict)
    item[field] = value
    with pytest.raises(CodecError, match=f"KubeEvent.{field}"):
        decode(body)


def test_every_string_of_an_event_is_made_safe_by_the_pump() -> None:
    hostile = dataclasses.replace(
        event(),
        note="\x1b[2J\x1b]0;pwned\x07 [/on x] \u202e",
        reason="Back\x1bOff",
        regarding_name="pod\u200b",
        reporter="kube\x9blet",
    )
    pump = EventPump()
    pump.emit(Upserted(EKS.name, Kind.EVENT, (hostile,)))
    (out,) = pump.drain()
    assert isinstance(out, Upserted)
    (clean,) = out.items
    assert isinstance(clean, KubeEvent)
    for f in dataclasses.fields(clean):
        value = getattr(clean, f.name)
        if isinstance(value, str):
            assert is_safe(value), f.name
    assert clean.note == "\\x1b[2J\\x1b]0;pwned\\x07 [/on x] \\u202e"
    assert clean.reason == "Back\\x1bOff"
