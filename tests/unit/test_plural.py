"""Counts and their nouns agree wherever a count is printed: "1 restart", never "1 restarts"."""

from __future__ import annotations

from wundr_tui.details import container_facts
from wundr_tui.format import plural
from wundr_tui.incidents import pod_incidents
from wundr_tui.model import Pod


def test_plural_agrees_with_the_count() -> None:
    assert plural(1, "restart") == "1 restart"
    assert plural(0, "restart") == "0 restarts"
    assert plural(2, "restart") == "2 restarts"
    assert plural(1, "replica", "replicas") == "1 replica"


def test_a_pod_that_restarted_once_reads_1_restart() -> None:
    pod = Pod("ns", "api-1", "CrashLoopBackOff", 0, 1, 1, 0.0, "", "api")
    (row,) = pod_incidents([("eks", pod)])
    assert row.detail == "CrashLoopBackOff, 1 restart"
    twice = Pod("ns", "api-1", "CrashLoopBackOff", 0, 1, 2, 0.0, "", "api")
    assert pod_incidents([("eks", twice)])[0].detail == "CrashLoopBackOff, 2 restarts"


def test_a_group_of_one_pod_is_never_1_pods() -> None:
    pods = [("eks", Pod("ns", f"api-{i}", "Pending", 0, 1, 0, 0.0, "", "api")) for i in range(2)]
    (row,) = pod_incidents(pods)
    assert row.detail.startswith("2 pods Pending")


def test_the_detail_views_container_line_says_1_restart() -> None:
    status = {"name": "app", "ready": False, "restartCount": 1, "state": {"running": {}}}
    (first, *_) = container_facts(status, None, 0.0)
    assert first.value.endswith("· 1 restart"), first.value
