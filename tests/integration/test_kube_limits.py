"""Bounded buffers and honest failures (issue 10, classes 6 and 10): a watch line that never
ends, an internal error that is not the network, and many sources starting at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from tests.fakes.apiserver import FakeApiServer, write_kubeconfig
from tests.fakes.k8s_objects import platform
from tests.fakes.kube_fixtures import EKS_CONTEXT, FAST, KubeHarness, KubeWorld
from wundr_tui.backends.kube import KubeSource
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import Config
from wundr_tui.model import Cluster, Kind

ROOT = Path(__file__).resolve().parents[2]
MIB = 1 << 20


def test_a_watch_line_that_never_ends_errors_that_kind_and_it_reconnects(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """The server sends one line of up to 64 MiB: the pods watch gives up at 16 MiB (the
    default cap) with a reason, relists, and watches again; the other kinds never notice."""
    rule = kube_world.eks.faults.add("endless", path="/api/v1/pods", watch=True, limit=64 * MIB)
    eks = next(c for c in discover_clusters(Config()) if c.name == EKS_CONTEXT)
    kube_harness.start(eks)
    reason = "watch line over 16 MiB from eks/wundr-production pods; reconnecting"
    kube_harness.wait_for(
        lambda s: any(
            h.state == "error" and h.reason == reason
            for h in kube_harness.health_seen(EKS_CONTEXT, "kube/pods")
        ),
        timeout=30.0,
    )
    kube_harness.wait_for(
        lambda s: (
            (h := kube_harness.health(EKS_CONTEXT, "kube/pods")) is not None
            and h.state == "live"
            and kube_world.eks.open_watches("/api/v1/pods") > 0
            and s.count(Kind.POD, EKS_CONTEXT) == 40
        ),
        timeout=30.0,
    )
    # The client stopped reading soon after the cap (socket buffers hold a few MiB more).
    assert 16 * MIB <= rule.sent < 40 * MIB, rule.sent
    states = [h.state for h in kube_harness.health_seen(EKS_CONTEXT, "kube/deployments")]
    assert "error" not in states


def test_a_list_page_over_its_cap_errors_that_kind_with_the_reason(
    kube_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """Answers read whole are bounded too (64 MiB by default; 4 KiB here, so a page of
    pods is over it): the kind says why and keeps retrying, memory never grows past it.
    Paged lists only: a watch-list reads line by line, bounded by ``max_line_bytes``."""
    eks = next(c for c in discover_clusters(Config()) if c.name == EKS_CONTEXT)
    kube_harness.start(eks, tuning=replace(FAST, max_answer_bytes=4096, watch_list=False))
    kube_harness.wait_for(
        lambda s: (
            (h := kube_harness.health(EKS_CONTEXT, "kube/pods")) is not None
            and h.reason == "answer over 4 KiB from eks/wundr-production pods; reconnecting"
        )
    )
    assert kube_harness.store.count(Kind.POD, EKS_CONTEXT) == 0


def test_an_internal_error_says_so_and_is_not_retried_like_the_network(
    kube_harness: KubeHarness,
) -> None:
    """A programming error (here: what a half-imported module raised in the field) reads as
    one in the badge, and the source does not hammer as if the network were down."""
    calls: list[str] = []
    lock = threading.Lock()

    def broken_loader(context: str) -> Any:
        with lock:
            calls.append(context)
        raise AttributeError("module 'requests' has no attribute 'exceptions'")

    cluster = Cluster("broken", "other", "", "broken")
    source = KubeSource(cluster, None, broken_loader, tuning=FAST, kinds=[Kind.POD, Kind.NODE])
    thread = threading.Thread(
        target=source.run, args=(kube_harness.pump.emit, kube_harness.stop), daemon=True
    )
    thread.start()
    kube_harness.threads.append(thread)
    reason = (
        "internal error: AttributeError: module 'requests' has no attribute 'exceptions', see log"
    )
    kube_harness.wait_for(
        lambda s: all(
            (h := kube_harness.health("broken", name)) is not None and h.reason == reason
            for name in ("kube/pods", "kube/nodes")
        )
    )
    # FAST backs off 0.05-0.3 s: a network-style retry would have called it dozens of times.
    kube_harness.stop.wait(2.0)
    assert len(calls) <= 2, f"{len(calls)} attempts in 2 s"


def test_many_sources_starting_at_once_never_stick_in_error(tmp_path: Path) -> None:
    """20 fresh processes (the import race needs a cold start), each starting 6 contexts at
    once (54 kind threads) against one fake apiserver: every kind of every context goes live."""
    server = FakeApiServer(platform("aws", pods=10), bookmark_seconds=0.3).start()
    try:
        names = [f"ctx{i}" for i in range(6)]
        kubeconfig = write_kubeconfig(
            tmp_path / "kubeconfig", {n: (server.url, "test-token") for n in names}
        )
        (tmp_path / "config.toml").write_text("")
        env = {
            **os.environ,
            "KUBECONFIG": str(kubeconfig),
            "WUNDR_TUI_CONFIG": str(tmp_path / "config.toml"),
            "XDG_STATE_HOME": str(tmp_path / "state"),
        }
        args = [sys.executable, "-m", "wundr_tui", "snapshot", "--format", "json"]
        args += ["--timeout", "20"]
        for name in names:
            args += ["--context", name]
        stuck: list[str] = []
        for start in range(20):
            result = subprocess.run(
                args,
                capture_output=True,
                text=True,
                timeout=60,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=ROOT,
                check=False,
            )
            doc = json.loads(result.stdout)
            stuck += [
                f"start {start}: {s['cluster']} {s['source']} {s['state']} {s['reason']}"
                for s in doc["sources"]
                if s["state"] != "live"
            ]
            assert len(doc["sources"]) == 6 * 9, result.stdout[-500:]
        assert not stuck, "\n".join(stuck)
    finally:
        server.stop()
