"""The kubernetes client is imported once, by the code that builds live sources, before any
source thread starts (issue 10, class 10): never lazily by several source threads at once."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys, threading
from wundr_tui.backends import kube
from wundr_tui.config import Config
from wundr_tui.model import Cluster

assert "kubernetes" not in sys.modules, "importing the backend must stay cheap"
before = threading.active_count()
clusters = [Cluster("a", "other", "", "a"), Cluster("b", "gcp", "", "b")]
sources = kube.kube_sources(Config(), clusters)
assert len(sources) == 2
assert threading.active_count() == before, "building sources starts no thread"
wanted = ("kubernetes.client", "kubernetes.config.kube_config", "urllib3", "requests.exceptions")
missing = [m for m in wanted if m not in sys.modules]
assert not missing, f"not imported before the threads start: {missing}"
import requests
assert requests.exceptions.ConnectionError
print("ok")
"""


def test_building_live_sources_imports_the_client_before_any_thread() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-800:]
