"""Kubernetes events from JSON (both wire shapes) and the merger that makes one row per
(object, reason) out of event objects."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.k8s_events import kube_event, matches_field_selector
from wundr_tui.backends.kube.events import EventMerger, event, wire_key
from wundr_tui.backends.kube.http import MalformedAnswer, answer_shape
from wundr_tui.events import Deleted, Event, Health, Replaced, Upserted
from wundr_tui.model import Kind, KubeEvent, SourceHealth

T0 = 1_764_115_200.0
POD = "setup-toolkit-5f7d9c8b4-q2x7m"


def test_a_native_series_reads_count_and_last_observed_time() -> None:
    e = event(kube_event(f"{POD}.1", regarding_name=POD, count=14, first=T0, last=T0 + 95.5))
    assert (e.count, e.first_seen, e.last_seen) == (14, T0, T0 + 95.5)
    assert (e.regarding_kind, e.regarding_namespace, e.regarding_name) == (
        "Pod",
        "wundr-platform",
        POD,
    )
    assert (e.type, e.reason, e.reporter) == ("Warning", "BackOff", "kubelet")
    assert e.key == f"Pod/wundr-platform/{POD}:BackOff"
    assert wire_key(e) == f"wundr-platform/{POD}.1"


def test_a_converted_core_v1_event_reads_the_deprecated_fields() -> None:
    raw = kube_event(
        f"{POD}.2",
        regarding_name=POD,
        count=6,
        first=T0,
        last=T0 + 60,
        legacy=True,
        reporter="kubelet",
    )
    assert raw["eventTime"] is None and "series" not in raw
    e = event(raw)
    assert (e.count, e.first_seen, e.last_seen, e.reporter) == (6, T0, T0 + 60, "kubelet")


def test_a_single_event_counts_one_and_falls_back_to_its_creation_time() -> None:
    raw = kube_event("n.1", regarding_kind="Node", regarding_name="node-1", reason="NodeNotReady")
    del raw["eventTime"]
    e = event(raw)
    assert (e.count, e.first_seen, e.last_seen) == (1, T0, T0)
    assert e.regarding_namespace == ""


@pytest.mark.parametrize(
    ("field", "value"),
    [("reason", 7), ("note", ["x"]), ("type", None), ("reportingController", {})],
)
def test_a_wrong_type_in_a_text_field_reads_as_blank(field: str, value: Any) -> None:
    raw = kube_event("x.1", regarding_name="x")
    raw[field] = value
    e = event(raw)
    assert all(isinstance(getattr(e, f), str) for f in ("reason", "note", "type", "reporter"))


def test_a_wrong_shape_is_a_malformed_answer_not_a_crash() -> None:
    raw = kube_event("x.1", regarding_name="x")
    raw["regarding"] = "Pod/x"
    with pytest.raises(MalformedAnswer), answer_shape():
        event(raw)


def test_field_selectors_of_the_fake_behave_as_the_apiservers() -> None:
    warning = kube_event("w.1")
    normal = kube_event("n.1", type="Normal")
    assert matches_field_selector(warning, "type=Warning")
    assert not matches_field_selector(normal, "type==Warning")
    assert matches_field_selector(normal, "type!=Warning,regarding.kind=Pod")
    assert not matches_field_selector(warning, "type=Warning,reason=Pulled")


# -- the merger --------------------------------------------------------------------------


def ev(name: str, count: int, last: float, reason: str = "BackOff", pod: str = POD) -> KubeEvent:
    return event(kube_event(name, regarding_name=pod, reason=reason, count=count, last=last))


class Out(list[Event]):
    """What the merger emitted."""

    def rows(self) -> list[tuple[str, int, float]]:
        """(key, count, last_seen) of every upserted or replaced row, in order."""
        return [
            (e.key, e.count, e.last_seen)
            for x in self
            if isinstance(x, Upserted | Replaced)
            for e in x.items
            if isinstance(e, KubeEvent)
        ]


def test_repeats_of_one_object_and_reason_are_one_row_with_the_highest_count() -> None:
    out = Out()
    merge = EventMerger(out.append)
    merge(Upserted("c", Kind.EVENT, (ev("a.1", 9, T0 + 10), ev("a.2", 2, T0 + 50))))
    key = ev("a.1", 1, T0).key
    assert out.rows() == [(key, 9, T0 + 50)]
    (row,) = out[0].items  # type: ignore[attr-defined]
    assert row.name == "a.2"  # the latest object's name and note


def test_a_deleted_event_object_takes_only_its_share_of_the_row() -> None:
    out = Out()
    merge = EventMerger(out.append)
    merge(Upserted("c", Kind.EVENT, (ev("a.1", 9, T0 + 10), ev("a.2", 2, T0 + 50))))
    out.clear()
    merge(Deleted("c", Kind.EVENT, ("wundr-platform/a.2",)))
    assert out.rows() == [(ev("a.1", 1, T0).key, 9, T0 + 10)]
    out.clear()
    merge(Deleted("c", Kind.EVENT, ("wundr-platform/a.1", "wundr-platform/unknown")))
    assert out == [Deleted("c", Kind.EVENT, (ev("a.1", 1, T0).key,))]
    assert merge.rows() == 0


def test_a_relist_replaces_everything_the_merger_knew() -> None:
    out = Out()
    merge = EventMerger(out.append)
    merge(Upserted("c", Kind.EVENT, (ev("a.1", 9, T0), ev("b.1", 1, T0, reason="Unhealthy"))))
    out.clear()
    merge(Replaced("c", Kind.EVENT, (ev("b.1", 3, T0 + 5, reason="Unhealthy"),)))
    assert len(out) == 1 and isinstance(out[0], Replaced)
    assert [(k.split(":")[-1], n) for k, n, _ in out.rows()] == [("Unhealthy", 3)]
    assert merge.rows() == 1


def test_other_kinds_health_and_heartbeats_pass_through() -> None:
    out = Out()
    merge = EventMerger(out.append)
    health = Health(SourceHealth("c", "kube/events", "live", T0, "", (Kind.EVENT,)))
    beat = Upserted("c", Kind.EVENT, ())
    pods = Upserted("c", Kind.POD, ())
    for e in (health, beat, pods):
        merge(e)
    assert out == [health, beat, pods]


def test_the_merger_forgets_the_oldest_event_objects_past_its_bound() -> None:
    out = Out()
    merge = EventMerger(out.append, limit=10)
    merge(
        Upserted("c", Kind.EVENT, tuple(ev(f"p{i}.1", 1, T0 + i, pod=f"p{i}") for i in range(10)))
    )
    out.clear()
    merge(Upserted("c", Kind.EVENT, (ev("new.1", 1, T0 + 100, pod="new"),)))
    assert merge.rows() == 10
    gone = [e for e in out if isinstance(e, Deleted)]
    assert gone == [Deleted("c", Kind.EVENT, (ev("p0.1", 1, T0, pod="p0").key,))]
