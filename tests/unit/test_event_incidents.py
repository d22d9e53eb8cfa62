"""Incident rows from Kubernetes events: which reasons, how recent, about objects still
there, one row per object and reason (a workload's pods grouped), ranked below the rows they
explain."""

from __future__ import annotations

import dataclasses

from wundr_tui.clock import FrozenClock
from wundr_tui.events import ClusterSeen, Replaced, Upserted
from wundr_tui.incidents import EVENT_RECENT, RANK_DEGRADED, RANK_WATCH, event_incidents
from wundr_tui.model import Cluster, Kind, KubeEvent, Node, Pod
from wundr_tui.store import Store

EKS = Cluster("arn:aws:eks:us-east-1:1:cluster/prod", "aws", "us-east-1", "prod")
NOW = 10_000.0
NS = "wundr-platform"


def ev(name: str, reason: str, *, kind: str = "Pod", count: int = 1, ago: float = 5.0) -> KubeEvent:
    ns = "" if kind == "Node" else NS
    return KubeEvent(
        ns or "default", f"{name}.1", "Warning", reason, f"{reason} note", kind, ns, name,
        count, NOW - ago - 60, NOW - ago, "kubelet",
    )  # fmt: skip


def pod(name: str, status: str = "Running", ready: int = 1) -> Pod:
    return Pod(NS, name, status, ready, 1, 0, 1.0, "n1", name.rsplit("-", 2)[0])


def store_with(events: list[KubeEvent], pods: list[Pod] = (), nodes: list[Node] = ()) -> Store:  # type: ignore[assignment]
    store = Store(FrozenClock(NOW))
    store.apply(
        [
            ClusterSeen(EKS),
            Replaced(EKS.name, Kind.POD, tuple(pods)),
            Replaced(EKS.name, Kind.NODE, tuple(nodes)),
            Upserted(EKS.name, Kind.EVENT, tuple(events)),
        ]
    )
    return store


def rows(store: Store) -> list[tuple[int, str, str]]:
    return sorted((i.rank, i.subject, i.detail) for i in event_incidents(store, NOW))


def test_only_the_reasons_that_matter_make_rows() -> None:
    reasons = ["BackOff", "FailedMount", "OOMKilling", "FailedCreate", "Pulled", "Scheduled"]
    names = [f"p{i}-abc12-x{i}" for i in range(len(reasons))]
    store = store_with(
        [ev(n, r) for n, r in zip(names, reasons, strict=True)],
        [pod(n, "CrashLoopBackOff", 0) for n in names],
    )
    assert {d.split(" ")[0] for _, _, d in rows(store)} == {
        "BackOff",
        "FailedMount",
        "OOMKilling",
        "FailedCreate",
    }


def test_rows_name_their_object_and_rank_below_what_they_explain() -> None:
    store = store_with(
        [
            ev("setup-toolkit-5f7d9-q2x7m", "BackOff", count=14),
            ev("node-1", "NodeNotReady", kind="Node"),
            ev("data-0-abcde-fghij", "FailedMount"),
        ],
        [
            pod("setup-toolkit-5f7d9-q2x7m", "CrashLoopBackOff", 0),
            pod("data-0-abcde-fghij", "ContainerCreating", 0),
        ],
        [Node("node-1", "system", False)],
    )
    assert rows(store) == [
        (RANK_DEGRADED, f"{NS}/data-0-abcde-fghij", "FailedMount x1: FailedMount note"),
        (RANK_WATCH, "node/node-1", "NodeNotReady x1: NodeNotReady note"),
        (RANK_WATCH, f"{NS}/setup-toolkit-5f7d9-q2x7m", "BackOff x14: BackOff note"),
    ]
    # In the whole list the crash loop's own POD row comes first.
    whats = [i.what for i in store.incidents()]
    assert whats.index("POD") < whats.index("EVENT")


def test_a_workloads_pending_pods_are_one_failed_scheduling_row() -> None:
    names = [f"api-gateway-blue-7ddmlbb8p-{s}" for s in ("aaaaa", "bbbbb", "ccccc")]
    names.append("api-gateway-blue-d7rplc6qjg-ddddd")  # another ReplicaSet of the same workload
    store = store_with(
        [ev(n, "FailedScheduling", count=2) for n in names], [pod(n, "Pending", 0) for n in names]
    )
    ((_, subject, detail),) = rows(store)
    assert subject == f"{NS}/api-gateway-blue"
    assert detail == "FailedScheduling on 4 pods x8: FailedScheduling note"


def test_history_and_objects_that_are_gone_or_fine_make_no_row() -> None:
    store = store_with(
        [
            ev("recovered-abcde-fghij", "BackOff"),
            ev("node-up", "NodeNotReady", kind="Node"),
            ev("old-abcde-fghij", "BackOff", ago=EVENT_RECENT + 1),
            ev("gone-abcde-fghij", "BackOff"),
            ev("placed-abcde-fghij", "FailedScheduling"),
            ev("ready-abcde-fghij", "Unhealthy"),
            ev("unready-abcde-fghij", "Unhealthy"),
        ],
        [
            pod("old-abcde-fghij", "CrashLoopBackOff"),
            pod("placed-abcde-fghij", "Running"),
            pod("ready-abcde-fghij", "Running", 1),
            pod("unready-abcde-fghij", "Running", 0),
            pod("recovered-abcde-fghij", "Running", 1),
        ],
        [Node("node-up", "system", True)],
    )
    assert [s for _, s, _ in rows(store)] == [f"{NS}/unready-abcde-fghij"]


def test_without_pods_in_the_store_the_events_still_show() -> None:
    """Pods forbidden (RBAC) but events readable: the events are all there is to go by."""
    store = store_with([ev("setup-toolkit-5f7d9-q2x7m", "BackOff")])
    assert [s for _, s, _ in rows(store)] == [f"{NS}/setup-toolkit-5f7d9-q2x7m"]


def test_a_hostile_reason_or_name_is_just_text() -> None:
    e = dataclasses.replace(ev("x-abcde-fghij", "BackOff"), regarding_name="[/on x]")
    store = store_with([e])
    assert [s for _, s, _ in rows(store)] == [f"{NS}/[/on x]"]


def test_events_fold_into_the_row_about_their_object() -> None:
    """A crash loop's BackOff joins its POD row, a workload's FailedScheduling its Pending
    group's row (before the pod names), a node's NodeNotReady its pool's row; an event about
    nothing else listed keeps a row of its own. Fewer rows: at the demo's worst moment every
    row fits an 80x24 screen."""
    pending = [f"api-gateway-blue-7ddmlbb8p-{s}" for s in ("aaaaa", "bbbbb")]
    store = store_with(
        [
            ev("setup-toolkit-5f7d9-q2x7m", "BackOff", count=14),
            ev("node-1", "NodeNotReady", kind="Node"),
            ev("data-0-abcde-fghij", "FailedMount"),
            *(ev(n, "FailedScheduling", count=3) for n in pending),
        ],
        [
            pod("setup-toolkit-5f7d9-q2x7m", "CrashLoopBackOff", 0),
            pod("data-0-abcde-fghij", "Running", 1),
            *(pod(n, "Pending", 0) for n in pending),
        ],
        [Node("node-1", "system", False), Node("node-2", "system", True)],
    )
    rows = {(i.what, i.subject): i for i in store.incidents()}
    crash = rows[("POD", f"{NS}/setup-toolkit-5f7d9-q2x7m")]
    assert crash.detail == "CrashLoopBackOff · BackOff x14: BackOff note"
    group = rows[("POD", f"{NS}/api-gateway-blue")]
    assert group.detail.startswith("2 pods Pending · FailedScheduling x6: FailedScheduling note · ")
    assert group.detail.endswith(", ".join(pending))
    pool = rows[("NODEPOOL", "system")]
    assert pool.detail == "1 of 2 nodes not ready · NodeNotReady x1: NodeNotReady note"
    assert ("EVENT", f"{NS}/data-0-abcde-fghij") in rows, "nothing else about it: its own row"
    assert sum(1 for what, _ in rows if what == "EVENT") == 1
