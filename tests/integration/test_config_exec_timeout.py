"""``[kubernetes] exec_timeout`` in the config is the timeout a credentials plugin gets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.apiserver import FakeApiServer
from tests.fakes.k8s_objects import platform
from tests.integration.test_kube_exec_plugins import HANG, _kubeconfig, _wait_gone

ROOT = Path(__file__).resolve().parents[2]
ARGS = ("--context", "hanging", "--format", "json", "--timeout", "4")


@pytest.fixture
def server() -> Iterator[FakeApiServer]:
    srv = FakeApiServer(platform("aws", pods=5), bookmark_seconds=0.3).start()
    yield srv
    srv.stop()


def test_the_configured_plugin_timeout_is_the_one_snapshot_reports(
    tmp_path: Path, server: FakeApiServer
) -> None:
    pids_file = tmp_path / "pids"
    hang = tmp_path / "hang.py"
    hang.write_text(HANG)
    kubeconfig = _kubeconfig(
        tmp_path / "kubeconfig",
        {"hanging": (server.url, [sys.executable, str(hang), str(pids_file)])},
    )
    config = tmp_path / "config.toml"
    config.write_text("[kubernetes]\nexec_timeout = 1\n")
    env = {
        **os.environ,
        "KUBECONFIG": str(kubeconfig),
        "WUNDR_TUI_CONFIG": str(config),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "wundr_tui", "snapshot", *ARGS],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if pids_file.exists():
        assert _wait_gone([int(p) for p in pids_file.read_text().split()], 2.0) == []
    doc = json.loads(result.stdout)
    kube = [s for s in doc["sources"] if s["source"].startswith("kube/")]
    assert kube, doc["sources"]
    assert all(s["reason"] == "credentials plugin timed out after 1 s" for s in kube), kube
