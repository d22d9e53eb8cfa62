"""Exec credential plugins as real programs (issue 10, class 5): missing, failing, hanging,
and recovering. Each plugin is a small script the test writes; the apiservers are the fakes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.fakes.apiserver import FakeApiServer
from tests.fakes.k8s_objects import platform
from tests.fakes.kube_fixtures import (
    EKS_CONTEXT,
    FAST,
    GKE_CONTEXT,
    KubeHarness,
    KubeWorld,
)
from wundr_tui.backends.kube.contexts import discover_clusters
from wundr_tui.config import Config

ROOT = Path(__file__).resolve().parents[2]

KINDS = (
    "kube/pods",
    "kube/deployments",
    "kube/services",
    "kube/horizontalpodautoscalers",
    "kube/nodes",
    "kube/schedules",
    "kube/backups",
    "kube/restores",
)

HANG = """\
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
with open(sys.argv[1], "w") as f:
    f.write(f"{os.getpid()} {child.pid}")
time.sleep(300)
"""
"""Writes its pid and its child's, then never answers."""

FAIL = """\
import sys
sys.stderr.write("\\x1b[2J\\x1b]0;pwned\\x07token for wundr expired\\nsecond line\\n")
sys.stderr.write("x" * 3_000_000)
sys.exit(3)
"""
"""Fails with terminal escapes in its first stderr line, and far too much stderr after."""

SNAPSHOT_ARGS = ("--context", "hanging", "--context", "failing", "--format", "json")
SNAPSHOT_ARGS += ("--timeout", "3")

FAILED_REASON = "plugin failed (exit 3): \\x1b[2J\\x1b]0;pwned\\x07token for wundr expired"


def _exec(command: list[str]) -> dict[str, object]:
    return {
        "apiVersion": "client.authentication.k8s.io/v1beta1",
        "command": command[0],
        "args": command[1:],
        "interactiveMode": "IfAvailable",
    }


def _kubeconfig(path: Path, contexts: dict[str, tuple[str, list[str]]]) -> Path:
    """One context per ``name: (server, exec command)``."""
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {"name": f"c{i}", "cluster": {"server": s}}
            for i, (s, _) in enumerate(contexts.values())
        ],
        "users": [
            {"name": f"u{i}", "user": {"exec": _exec(c)}}
            for i, (_, c) in enumerate(contexts.values())
        ],
        "contexts": [
            {"name": n, "context": {"cluster": f"c{i}", "user": f"u{i}"}}
            for i, n in enumerate(contexts)
        ],
        "current-context": next(iter(contexts)),
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _wait_gone(pids: list[int], seconds: float = 3.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [p for p in pids if _alive(p)]
        if not alive:
            return []
        time.sleep(0.05)
    return [p for p in pids if _alive(p)]


@pytest.fixture
def server() -> FakeApiServer:
    srv = FakeApiServer(platform("aws", pods=5), bookmark_seconds=0.3).start()
    yield srv  # type: ignore[misc]
    srv.stop()


def _reason(harness: KubeHarness, context: str, source: str = "kube/pods") -> str:
    health = harness.health(context, source)
    return f"{health.state}: {health.reason}" if health else ""


def test_missing_plugins_are_named_with_how_to_install_them(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    server: FakeApiServer,
    kube_harness: KubeHarness,
) -> None:
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    kubeconfig = _kubeconfig(
        tmp_path / "kubeconfig",
        {
            EKS_CONTEXT: (server.url, ["aws", "eks", "get-token", "--cluster-name", "x"]),
            GKE_CONTEXT: (server.url, ["gke-gcloud-auth-plugin"]),
        },
    )
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    for cluster in discover_clusters(Config()):
        kube_harness.start(cluster)
    kube_harness.wait_for(
        lambda s: (
            _reason(kube_harness, EKS_CONTEXT)
            == "error: plugin not found: aws (is the AWS CLI installed?)"
            and _reason(kube_harness, GKE_CONTEXT)
            == "error: plugin not found: gke-gcloud-auth-plugin "
            "(install it with `gcloud components install gke-gcloud-auth-plugin`)"
        )
    )
    assert not server.requests(), "no request goes out without credentials"


def test_failing_plugin_shows_its_first_stderr_line_made_safe(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    server: FakeApiServer,
    kube_harness: KubeHarness,
) -> None:
    plugin = tmp_path / "fail.py"
    plugin.write_text(FAIL)
    kubeconfig = _kubeconfig(
        tmp_path / "kubeconfig", {EKS_CONTEXT: (server.url, [sys.executable, str(plugin)])}
    )
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    (cluster,) = discover_clusters(Config())
    kube_harness.start(cluster)
    kube_harness.wait_for(
        lambda s: all(
            _reason(kube_harness, EKS_CONTEXT, kind) == f"error: {FAILED_REASON}" for kind in KINDS
        )
    )


def test_hanging_plugin_times_out_and_its_process_group_is_killed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    server: FakeApiServer,
    kube_harness: KubeHarness,
) -> None:
    pids_file = tmp_path / "pids"
    plugin = tmp_path / "hang.py"
    plugin.write_text(HANG)
    kubeconfig = _kubeconfig(
        tmp_path / "kubeconfig",
        {EKS_CONTEXT: (server.url, [sys.executable, str(plugin), str(pids_file)])},
    )
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    (cluster,) = discover_clusters(Config())
    kube_harness.start(
        cluster, tuning=replace(FAST, exec_timeout=1.0, backoff_base=5.0, backoff_cap=10.0)
    )
    kube_harness.wait_for(lambda s: pids_file.exists() and " " in pids_file.read_text())
    pids = [int(p) for p in pids_file.read_text().split()]
    kube_harness.wait_for(
        lambda s: all(
            _reason(kube_harness, EKS_CONTEXT, kind)
            == "error: credentials plugin timed out after 1 s"
            for kind in KINDS
        )
    )
    assert _wait_gone(pids) == [], "the plugin and its child outlived the timeout"
    # One run for every kind of the context, not one per kind.
    assert len(kube_harness.health_seen(EKS_CONTEXT, "kube/pods")) == 2  # connecting, error


def test_snapshot_leaves_no_plugin_behind_and_nothing_on_stderr(
    tmp_path: Path, server: FakeApiServer
) -> None:
    """A hanging plugin (default 30 s timeout) outlasts snapshot's 3 s: snapshot's exit ends
    it and its child; a failing one is reported in the output, never on stderr."""
    pids_file = tmp_path / "pids"
    hang, fail = tmp_path / "hang.py", tmp_path / "fail.py"
    hang.write_text(HANG)
    fail.write_text(FAIL)
    kubeconfig = _kubeconfig(
        tmp_path / "kubeconfig",
        {
            "hanging": (server.url, [sys.executable, str(hang), str(pids_file)]),
            "failing": (server.url, [sys.executable, str(fail)]),
        },
    )
    (tmp_path / "config.toml").write_text("")
    env = {
        **os.environ,
        "KUBECONFIG": str(kubeconfig),
        "WUNDR_TUI_CONFIG": str(tmp_path / "config.toml"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "wundr_tui", "snapshot", *SNAPSHOT_ARGS],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        check=False,
    )
    pids = [int(p) for p in pids_file.read_text().split()]
    assert _wait_gone(pids, 2.0) == [], "the hanging plugin outlived snapshot"
    assert result.stderr == "", "library or plugin output reached stderr"
    doc = json.loads(result.stdout)
    failing = [s for s in doc["sources"] if s["cluster"] == "failing"]
    assert failing and all(s["reason"] == FAILED_REASON for s in failing), failing


def test_every_kind_retries_at_once_when_credentials_work_again(
    kube_exec_world: KubeWorld, kube_harness: KubeHarness
) -> None:
    """Backoff is at least 20 s here: only the shared "credentials work again" signal can
    bring every kind back within the 10 s the test waits (no sleep races it)."""
    world = kube_exec_world
    assert world.token_file is not None
    world.token_file.unlink()
    slow = replace(FAST, backoff_base=20.0, backoff_cap=40.0)
    eks = next(c for c in discover_clusters(Config()) if c.name == EKS_CONTEXT)
    source = kube_harness.start(eks, tuning=slow)
    kube_harness.wait_for(
        lambda s: all(
            (h := kube_harness.health(EKS_CONTEXT, kind)) is not None and h.state == "error"
            for kind in KINDS
        )
    )
    world.token_file.write_text("test-token")
    # What the first kind whose backoff ends does: a request that gets through.
    source.http.json("GET", "/api/v1/pods", [("limit", 1)])
    kube_harness.wait_for(
        lambda s: all(
            (h := kube_harness.health(EKS_CONTEXT, kind)) is not None and h.state == "live"
            for kind in KINDS
        ),
        timeout=10.0,
    )
