"""What the cockpit says about a cluster's sources must be true: a dead cluster is one row, a
failing cloud API is not a dead cluster, retry countdowns count, the config can turn the cloud
pollers off, and the 401 advice fits the kubeconfig's exec plugin."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.conftest import DEMO_START
from wundr_tui.backends.cloud import cloud_sources
from wundr_tui.backends.kube import ApiStatusError, describe_error, http
from wundr_tui.backends.kube.credentials import ExecPluginError
from wundr_tui.backends.polling import HealthReporter
from wundr_tui.clock import FrozenClock
from wundr_tui.config import ConfigError, parse
from wundr_tui.events import ClusterSeen, Event, Health
from wundr_tui.model import Cluster, Kind, SourceHealth
from wundr_tui.store import Store
from wundr_tui.widgets.cluster_bar import health_parts
from wundr_tui.widgets.freshness import badge

EKS = Cluster(
    "arn:aws:eks:us-east-1:111122223333:cluster/wundr-production",
    "aws",
    "us-east-1",
    "wundr-production",
)
GKE = Cluster(
    "gke_wundr-platform_us-central1_wundr-production", "gcp", "us-central1", "wundr-production"
)
KUBE_KINDS = ("pods", "deployments", "services", "hpas", "nodes", "events", "schedules")
KUBE_KINDS += ("backups", "restores")


def _store(healths: list[SourceHealth], now: float = DEMO_START) -> Store:
    store = Store(FrozenClock(now))
    events: list[Event] = [ClusterSeen(EKS), ClusterSeen(GKE)]
    events += [Health(h) for h in healths]
    store.apply(events)
    return store


def _kube(cluster: Cluster, state: str, reason: str = "", since: float = DEMO_START) -> list:
    return [
        SourceHealth(cluster.name, f"kube/{k}", state, since, reason, (Kind.POD,))  # type: ignore[arg-type]
        for k in KUBE_KINDS
    ]


def test_a_dead_cluster_is_one_row_with_its_kinds_folded_in() -> None:
    """Nine watches refused for 40 s: one critical CLUSTER row, not nine SOURCE rows."""
    store = _store(
        _kube(EKS, "error", "connection refused", DEMO_START - 40) + _kube(GKE, "live"),
    )
    rows = store.incidents()
    assert len(rows) == 1, rows
    (row,) = rows
    assert (row.severity, row.cluster, row.what) == ("critical", EKS.name, "CLUSTER")
    assert row.detail.startswith("unreachable: connection refused, 40s")
    assert all(kind in row.detail for kind in KUBE_KINDS)
    assert row.since == DEMO_START - 40


def test_one_watch_failing_on_its_own_stays_its_own_row() -> None:
    """A forbidden kind is not a dead cluster: its row names the source."""
    healths = _kube(EKS, "live") + _kube(GKE, "live")
    healths[0] = SourceHealth(EKS.name, "kube/pods", "error", DEMO_START, "forbidden: cannot list")
    (row,) = _store(healths).incidents()
    assert (row.what, row.subject) == ("SOURCE", "kube/pods")


def test_a_failing_cloud_api_beside_live_kubernetes_is_no_critical_row() -> None:
    """No AWS credentials: the EKS node groups and RDS sources fail, every Kubernetes source is
    live. Warnings naming the cloud sources, never a critical row saying the cluster is down."""
    cloud = [
        SourceHealth(EKS.name, "eks/nodegroups", "error", DEMO_START, "no AWS credentials found"),
        SourceHealth(EKS.name, "rds/orders", "error", DEMO_START, "no AWS credentials found"),
    ]
    store = _store(_kube(EKS, "live") + _kube(GKE, "live") + cloud)
    rows = store.incidents()
    assert {r.severity for r in rows} == {"warning"}, rows
    assert {r.subject for r in rows} == {"eks/nodegroups", "rds/orders"}


def test_the_cluster_bar_shows_kubernetes_and_the_cloud_api_apart_counting_down() -> None:
    """``k8s ● live · aws ✖ no AWS credentials found; retrying in 32s`` and a second later
    31s: the retry is a time the badge counts down to, not a frozen sentence."""
    clock = FrozenClock(DEMO_START)
    emitted: list[Event] = []
    reporter = HealthReporter(emitted.append, EKS.name, "eks/nodegroups", (), clock=clock.now)
    reporter.report("error", "no AWS credentials found", retry_in=32)
    store = Store(clock)
    store.apply([ClusterSeen(EKS), *[Health(h) for h in _kube(EKS, "live")], *emitted])
    line = health_parts(store, EKS).plain
    assert line == "k8s ● live · aws ✖ no AWS credentials found; retrying in 32s", line
    clock.advance(1.0)
    assert health_parts(store, EKS).plain.endswith("retrying in 31s")
    clock.advance(40.0)
    assert health_parts(store, EKS).plain.endswith("; retrying")
    (health,) = [h for h in store.health.values() if h.source == "eks/nodegroups"]
    assert badge(health, DEMO_START + 2).plain == (
        "✖ error: no AWS credentials found; retrying in 30s"
    )


def test_every_failure_moves_the_countdown_but_not_since() -> None:
    clock = FrozenClock(DEMO_START)
    emitted: list[Event] = []
    reporter = HealthReporter(emitted.append, EKS.name, "eks/nodegroups", (), clock=clock.now)
    reporter.report("error", "throttled by AWS", retry_in=30)
    clock.advance(30)
    reporter.report("error", "throttled by AWS", retry_in=60)
    first, second = (e.health for e in emitted if isinstance(e, Health))
    assert first.since == second.since == DEMO_START
    assert (first.retry_at, second.retry_at) == (DEMO_START + 30, DEMO_START + 90)


def test_the_config_turns_a_clusters_cloud_pollers_off_and_a_typo_is_an_error() -> None:
    config = parse({"clusters": [{"context": EKS.name, "cloud_api": False}, {"context": GKE.name}]})
    names = [type(s).__name__ for s in cloud_sources(config, [EKS, GKE])]
    assert names == ["GkeNodePoolSource"]
    with pytest.raises(ConfigError, match="cloud_api"):
        parse({"clusters": [{"context": EKS.name, "cloud_apis": False}]})
    with pytest.raises(ConfigError, match="expected true or false"):
        parse({"clusters": [{"context": EKS.name, "cloud_api": "no"}]})


@pytest.mark.parametrize(
    ("plugin", "expected"),
    [
        ("aws", "credentials expired — run `aws sso login`"),
        ("aws-iam-authenticator", "credentials expired — run `aws sso login`"),
        ("", "credentials rejected (401) — refresh the credentials in kubeconfig"),
        ("kubelogin", "credentials rejected (401) — the kubelogin plugin's token was refused"),
    ],
)
def test_the_401_advice_fits_the_kubeconfigs_exec_plugin(
    monkeypatch: pytest.MonkeyPatch, plugin: str, expected: str
) -> None:
    """A rejected static token on an EKS cluster is not fixed by `aws sso login`."""
    monkeypatch.setitem(http.AUTH_PLUGINS, EKS.name, plugin)
    assert describe_error(ApiStatusError(401, "Unauthorized", ""), EKS, "list", "pods") == expected
    monkeypatch.setitem(http.AUTH_PLUGINS, GKE.name, "gke-gcloud-auth-plugin")
    assert describe_error(ApiStatusError(401, "", ""), GKE, "list", "pods").endswith(
        "run `gcloud auth login`"
    )


def test_loading_a_context_records_its_exec_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kubeconfig's user decides: an exec entry's command file name, else none."""
    path = tmp_path / "kubeconfig"
    path.write_text(
        textwrap.dedent(
            """\
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "https://127.0.0.1:1"}
            users:
            - name: static
              user: {token: abc}
            - name: sso
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: /nonexistent/bin/aws
                  args: [eks, get-token, --cluster-name, wundr-production]
            contexts:
            - name: with-token
              context: {cluster: c, user: static}
            - name: with-exec
              context: {cluster: c, user: sso}
            current-context: with-token
            """
        )
    )
    monkeypatch.setenv("KUBECONFIG", str(path))
    for context in ("with-token", "with-exec"):
        monkeypatch.delitem(http.AUTH_PLUGINS, context, raising=False)
    http.load_api_client("with-token")
    assert http.auth_plugin("with-token") == ""
    with pytest.raises(ExecPluginError):
        http.load_api_client("with-exec")
    assert http.auth_plugin("with-exec") == "aws"
