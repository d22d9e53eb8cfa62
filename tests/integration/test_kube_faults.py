"""Failure is normal: dropped watches, 410, expired credentials, dead contexts, bad JSON, 403."""

from __future__ import annotations

import time
from dataclasses import replace

from tests.fakes.k8s_objects import pod
from tests.fakes.kube_fixtures import (
    EKS_CONTEXT,
    FAST,
    GKE_CONTEXT,
    PLUGIN_EXPIRED,
    KubeHarness,
    KubeWorld,
)
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import ClusterConfig, Config
from wundr_tui.events import Replaced, Upserted
from wundr_tui.model import Kind, Pod
from wundr_tui.store import Store


def _state(h: KubeHarness, context: str, source: str) -> tuple[str, str]:
    health = h.health(context, source)
    return (health.state, health.reason) if health else ("", "")


def _pods_match(world: KubeWorld, context: str) -> object:
    def check(store: Store) -> bool:
        return set(store.items(context, Kind.POD)) == set(world.servers[context].state.keys("pods"))

    return check


def _start(world: KubeWorld, harness: KubeHarness, **configs: ClusterConfig) -> None:
    for cluster in discover_clusters(Config()):
        harness.start(cluster, configs.get(cluster.cloud))
    harness.wait_for(
        lambda s: all(
            _state(harness, c, "kube/pods")[0] == "live"
            and s.count(Kind.POD, c) == len(world.servers[c].state.keys("pods"))
            for c in (EKS_CONTEXT, GKE_CONTEXT)
        )
    )


def test_dropped_watch_resumes_without_duplicates_or_losses(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """A watch cut mid-stream resumes from its resourceVersion: no relist, nothing missed."""
    _start(kube_world, kube_harness)
    eks = kube_world.eks
    lists_before = len(eks.requests(lambda r: r.path == "/api/v1/pods" and "watch" not in r.query))
    kube_harness.wait_for(lambda s: eks.open_watches("/api/v1/pods") == 1)
    assert eks.drop_watches("/api/v1/pods") == 1
    # Changes made while the client is reconnecting are replayed from the event log.
    eks.state.put("pods", pod("wundr-platform", "orders-blue-7d9f8c6b5-late1", owner="orders-blue"))
    eks.state.delete("pods", "wundr-platform/orders-blue-7d9f8c6b5-00000")
    kube_harness.wait_for(
        lambda s: (
            s.get(EKS_CONTEXT, Kind.POD, "wundr-platform/orders-blue-7d9f8c6b5-late1") is not None
            and s.get(EKS_CONTEXT, Kind.POD, "wundr-platform/orders-blue-7d9f8c6b5-00000") is None
        )
    )
    kube_harness.wait_for(lambda s: eks.open_watches("/api/v1/pods") == 1)
    kube_harness.wait_for(_pods_match(kube_world, EKS_CONTEXT))  # type: ignore[arg-type]
    lists_after = len(eks.requests(lambda r: r.path == "/api/v1/pods" and "watch" not in r.query))
    assert lists_after == lists_before, "a dropped watch must resume, not relist"
    added = [
        p.key
        for e in kube_harness.events
        if isinstance(e, Upserted) and e.cluster == EKS_CONTEXT and e.kind is Kind.POD
        for p in e.items
        if p.key.endswith("late1")
    ]
    assert added == ["wundr-platform/orders-blue-7d9f8c6b5-late1"], "no duplicate event"
    assert _state(kube_harness, EKS_CONTEXT, "kube/pods")[0] == "live"


def test_gone_410_relists_and_replaces(kube_world: KubeWorld, kube_harness: KubeHarness) -> None:
    """When the resourceVersion is compacted away, the source relists and emits Replaced."""
    _start(kube_world, kube_harness)
    eks = kube_world.eks
    replaced_before = sum(
        isinstance(e, Replaced) and e.kind is Kind.POD and e.cluster == EKS_CONTEXT
        for e in kube_harness.events
    )
    victim = "wundr-platform/orders-green-7d9f8c6b5-00001"
    with eks.state.lock:  # the DELETED event is lost with the compaction
        eks.state.delete("pods", victim)
        eks.state.compact()
    eks.drop_watches("/api/v1/pods")
    kube_harness.wait_for(lambda s: s.get(EKS_CONTEXT, Kind.POD, victim) is None)
    kube_harness.wait_for(_pods_match(kube_world, EKS_CONTEXT))  # type: ignore[arg-type]
    replaced_after = sum(
        isinstance(e, Replaced) and e.kind is Kind.POD and e.cluster == EKS_CONTEXT
        for e in kube_harness.events
    )
    assert replaced_after == replaced_before + 1
    assert _state(kube_harness, EKS_CONTEXT, "kube/pods")[0] == "live"


def test_expired_credentials_recover_with_a_clear_reason(
    kube_exec_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """401 → "credentials expired — run `aws sso login`", rows kept; a fresh token from the exec
    plugin (re-run on the next attempt) brings the pane back."""
    world = kube_exec_world
    _start(world, kube_harness)
    assert world.token_file is not None
    world.eks.faults.tokens = {"rotated"}
    world.eks.drop_watches()
    kube_harness.wait_for(
        lambda s: (
            _state(kube_harness, EKS_CONTEXT, "kube/pods")
            == ("error", "credentials expired — run `aws sso login`")
        )
    )
    assert kube_harness.store.count(Kind.POD, EKS_CONTEXT) == 40, "last known rows stay"
    # The plugin itself fails for a while (no token file): its own first stderr line, exit
    # status and all, instead of a 401 it never caused (no request goes out without a token).
    world.token_file.unlink()
    kube_harness.wait_for(
        lambda s: _state(kube_harness, EKS_CONTEXT, "kube/pods") == ("error", PLUGIN_EXPIRED)
    )
    world.token_file.write_text("rotated")
    world.gke.faults.tokens = {"test-token", "rotated"}
    kube_harness.wait_for(lambda s: _state(kube_harness, EKS_CONTEXT, "kube/pods")[0] == "live")
    kube_harness.wait_for(_pods_match(world, EKS_CONTEXT))  # type: ignore[arg-type]
    states = [h.state for h in kube_harness.health_seen(EKS_CONTEXT, "kube/pods")]
    assert states[-2:] == ["error", "live"]
    assert _state(kube_harness, GKE_CONTEXT, "kube/pods")[0] == "live"


def test_one_dead_context_never_stops_the_other(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """A context whose apiserver is down shows "connection refused"; the other stays live."""
    kube_world.gke.stop()
    for cluster in discover_clusters(Config()):
        kube_harness.start(cluster)
    kube_harness.wait_for(
        lambda s: (
            s.count(Kind.POD, EKS_CONTEXT) == 40
            and _state(kube_harness, GKE_CONTEXT, "kube/pods") == ("error", "connection refused")
        )
    )
    time.sleep(0.7)  # several retries later: still trying, still alive
    kube_harness.frame()
    assert all(t.is_alive() for t in kube_harness.threads)
    assert _state(kube_harness, EKS_CONTEXT, "kube/pods")[0] == "live"
    assert _state(kube_harness, GKE_CONTEXT, "kube/nodes")[0] == "error"


def test_malformed_json_errors_only_that_source(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """A garbled list answer turns that kind's badge red; everything else carries on, and it
    recovers when the apiserver behaves. (Paged lists: a watch-list is garbled as a watch.)"""
    rule = kube_world.eks.faults.add(
        "malformed", path="/apis/apps/v1/deployments", watch=False, count=-1
    )
    for cluster in discover_clusters(Config()):
        kube_harness.start(cluster, tuning=replace(FAST, watch_list=False))
    kube_harness.wait_for(
        lambda s: (
            _state(kube_harness, EKS_CONTEXT, "kube/deployments")
            == ("error", "malformed answer from the apiserver (not JSON)")
            and s.count(Kind.POD, EKS_CONTEXT) == 40
            and s.count(Kind.DEPLOYMENT, GKE_CONTEXT) == 8
        )
    )
    rule.count = 0
    kube_harness.wait_for(lambda s: s.count(Kind.DEPLOYMENT, EKS_CONTEXT) == 8)
    assert _state(kube_harness, EKS_CONTEXT, "kube/deployments")[0] == "live"


def test_malformed_watch_line_relists(kube_world: KubeWorld, kube_harness: KubeHarness) -> None:
    """A garbled watch event errors that source, which relists and stays exact."""
    _start(kube_world, kube_harness)
    rule = kube_world.eks.faults.add("malformed", path="/api/v1/pods", watch=True, count=1)
    kube_world.eks.drop_watches("/api/v1/pods")
    # Only once the garbling watch is open does the new event go out: put earlier, it could
    # still reach the old stream before the drop lands, and the new watch would be silent.
    kube_harness.wait_for(lambda s: rule.count == 0)
    kube_world.eks.state.put("pods", pod("wundr-platform", "orders-blue-7d9f8c6b5-bad01"))
    kube_harness.wait_for(
        lambda s: any(
            h.state == "error" and "malformed" in h.reason
            for h in kube_harness.health_seen(EKS_CONTEXT, "kube/pods")
        )
    )
    kube_harness.wait_for(
        lambda s: (
            _state(kube_harness, EKS_CONTEXT, "kube/pods")[0] == "live"
            and _pods_match(kube_world, EKS_CONTEXT)(s)
        )  # type: ignore[operator]
    )


def test_forbidden_kind_disables_only_that_pane(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """403 on pods in a namespace: that pane says why; deployments etc. stay live."""
    kube_world.eks.faults.forbidden = {("list", "pods")}
    ns = ClusterConfig(context=EKS_CONTEXT, namespaces=("wundr-platform",))
    for cluster in discover_clusters(Config()):
        kube_harness.start(cluster, ns if cluster.name == EKS_CONTEXT else None)
    kube_harness.wait_for(
        lambda s: (
            _state(kube_harness, EKS_CONTEXT, "kube/pods")
            == ("error", "forbidden: cannot list pods in wundr-platform")
            and _state(kube_harness, EKS_CONTEXT, "kube/deployments")[0] == "live"
            and s.count(Kind.DEPLOYMENT, EKS_CONTEXT) == 8
            and s.count(Kind.POD, GKE_CONTEXT) == 30
        )
    )
    assert kube_harness.store.count(Kind.POD, EKS_CONTEXT) == 0


def test_velero_absent_is_not_an_error(kube_world: KubeWorld, kube_harness: KubeHarness) -> None:
    """No Velero CRDs: schedules/backups/restores are "absent", not red."""
    kube_world.gke.faults.velero_installed = False
    for cluster in discover_clusters(Config()):
        kube_harness.start(cluster)
    kube_harness.wait_for(
        lambda s: (
            all(
                _state(kube_harness, GKE_CONTEXT, f"kube/{k}") == ("absent", "Velero not installed")
                for k in ("schedules", "backups", "restores")
            )
            and s.count(Kind.SCHEDULE, EKS_CONTEXT) == 1
            and s.count(Kind.POD, GKE_CONTEXT) == 30
        )
    )
    assert not any(
        i.what == "SOURCE" and i.cluster == GKE_CONTEXT for i in kube_harness.store.incidents()
    )


def test_server_errors_back_off_and_recover(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """500s are shown with the apiserver's words, retried with backoff, then recovered."""
    kube_world.eks.faults.add("status", path="/api/v1/nodes", status=500, count=3)
    for cluster in discover_clusters(Config()):
        kube_harness.start(cluster)
    kube_harness.wait_for(lambda s: s.count(Kind.NODE, EKS_CONTEXT) == 6)
    seen = kube_harness.health_seen(EKS_CONTEXT, "kube/nodes")
    assert any(h.state == "error" and h.reason.startswith("apiserver answered 500") for h in seen)
    assert seen[-1].state == "live"
    # The pods' own stream never failed; under load it may still be arriving when the nodes
    # have recovered: wait for it rather than race it.
    pod = "wundr-platform/orders-blue-7d9f8c6b5-00000"
    kube_harness.wait_for(lambda s: isinstance(s.get(EKS_CONTEXT, Kind.POD, pod), Pod))


def test_several_namespaces_stay_exact(kube_world: KubeWorld, kube_harness: KubeHarness) -> None:
    """With namespaces configured, each has its own list+watch; a relist in one deletes only
    what vanished there."""
    config = ClusterConfig(context=EKS_CONTEXT, namespaces=("wundr-platform", "team-00"))
    cluster = discover_clusters(Config(), [EKS_CONTEXT])[0]
    kube_harness.start(cluster, config)
    eks = kube_world.eks

    def expected() -> set[str]:
        return {k for k in eks.state.keys("pods") if k.split("/")[0] in config.namespaces}

    kube_harness.wait_for(lambda s: set(s.items(EKS_CONTEXT, Kind.POD)) == expected())
    assert {"kube/pods@wundr-platform", "kube/pods@team-00"} <= {
        src for (c, src) in kube_harness.store.health if c == EKS_CONTEXT
    }
    team_pod = next(k for k in expected() if k.startswith("team-00/"))
    with eks.state.lock:
        eks.state.delete("pods", team_pod)
        eks.state.compact()
    eks.drop_watches("/namespaces/team-00/pods")
    kube_harness.wait_for(lambda s: set(s.items(EKS_CONTEXT, Kind.POD)) == expected())
    assert kube_harness.store.get(EKS_CONTEXT, Kind.POD, team_pod) is None
    assert not any(isinstance(e, Replaced) and e.kind is Kind.POD for e in kube_harness.events)


def test_bookmarks_keep_a_quiet_cluster_fresh(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """Nothing changes, but bookmarks arrive: live. Bookmarks stop: the store calls it stale."""
    kube_harness.store.stale_after = 1.0
    cluster = discover_clusters(Config(), [EKS_CONTEXT])[0]
    kube_harness.start(cluster)
    kube_harness.wait_for(lambda s: s.count(Kind.NODE, EKS_CONTEXT) == 6)
    time.sleep(1.5)
    kube_harness.frame()
    nodes = kube_harness.health(EKS_CONTEXT, "kube/nodes")
    assert nodes is not None and kube_harness.store.effective_health(nodes).state == "live"
    kube_world.eks.bookmark_seconds = 60.0
    time.sleep(0.4)  # let the last bookmark in flight arrive
    kube_harness.frame()

    def stale(s: Store) -> bool:
        h = kube_harness.health(EKS_CONTEXT, "kube/nodes")
        return h is not None and s.effective_health(h).state == "stale"

    kube_harness.wait_for(stale, timeout=3)


def test_velero_readable_only_in_its_namespace(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """Cluster-wide Velero reads forbidden: the source watches the velero namespace instead."""
    kube_world.gke.faults.forbidden = {("list", "schedules", ""), ("list", "backups", "")}
    cluster = discover_clusters(Config(), [GKE_CONTEXT])[0]
    kube_harness.start(cluster)
    kube_harness.wait_for(
        lambda s: (
            s.count(Kind.SCHEDULE, GKE_CONTEXT) == 1 and s.count(Kind.BACKUP, GKE_CONTEXT) == 1
        )
    )
    paths = {r.path for r in kube_world.gke.requests() if r.status == 200}
    assert "/apis/velero.io/v1/namespaces/velero/schedules" in paths
    assert _state(kube_harness, GKE_CONTEXT, "kube/schedules")[0] == "live"


def test_expired_continue_token_relists_quietly(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """A 410 in the middle of a paginated list starts the list again, without an error badge."""
    kube_world.eks.faults.add("status", path="/api/v1/pods", status=410, count=1, watch=False)
    cluster = discover_clusters(Config(), [EKS_CONTEXT])[0]
    kube_harness.start(cluster)
    kube_harness.wait_for(lambda s: s.count(Kind.POD, EKS_CONTEXT) == 40)
    assert [h.state for h in kube_harness.health_seen(EKS_CONTEXT, "kube/pods")] == [
        "connecting",
        "live",
    ]
