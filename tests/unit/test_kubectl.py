"""The kubectl commands the copy key offers: the real context, each part quoted for the shell
(names are hostile text), and nothing with a control character ever reaches the clipboard."""

from __future__ import annotations

import shlex

from wundr_tui import kubectl
from wundr_tui.backends.base import LogQuery
from wundr_tui.model import Kind

EKS = "arn:aws:eks:us-east-1:111122223333:cluster/wundr-production"


def test_describe_a_pod_with_its_context_and_namespace() -> None:
    assert kubectl.describe(EKS, Kind.POD, "wundr-platform/api-7f9-x2") == (
        f"kubectl --context {EKS} -n wundr-platform describe pod api-7f9-x2"
    )


def test_a_node_is_cluster_wide_and_velero_objects_live_in_velero() -> None:
    assert (
        kubectl.describe("ctx", Kind.NODE, "ip-10-0-1-2")
        == "kubectl --context ctx describe node ip-10-0-1-2"
    )
    assert kubectl.get_yaml("ctx", Kind.BACKUP, "daily-1") == (
        "kubectl --context ctx -n velero get backups.velero.io daily-1 -o yaml"
    )


def test_kinds_kubectl_cannot_show_have_no_command() -> None:
    for kind in (Kind.NODE_POOL, Kind.REPLICA_LINK, Kind.ALERT, Kind.SIGNALS):
        assert kubectl.describe("ctx", kind, "x") is None


def test_hostile_names_stay_one_argument_each() -> None:
    name = "x; rm -rf ~ $(id) 'q'"
    command = kubectl.describe("my ctx", Kind.POD, f"ns/{name}")
    assert command is not None
    assert shlex.split(command) == [
        "kubectl",
        "--context",
        "my ctx",
        "-n",
        "ns",
        "describe",
        "pod",
        name,
    ]


def test_logs_of_a_pod_a_container_previous_and_since() -> None:
    query = LogQuery("wundr-platform", pod="api-1", cluster=EKS, container="app", previous=True)
    assert kubectl.logs(query, [EKS]) == (
        f"kubectl --context {EKS} -n wundr-platform logs api-1 -c app --previous"
    )
    every = LogQuery("ns", pod="api-1", since_seconds=300)
    assert (
        kubectl.logs(every, ["a"])
        == "kubectl --context a -n ns logs api-1 --all-containers --since=300s"
    )


def test_logs_of_a_group_by_selector_on_each_cluster() -> None:
    query = LogQuery("ns", selector=(("app", "api-gateway"),))
    assert kubectl.logs(query, ["a", "b"]) == (
        "kubectl --context a -n ns logs -l app=api-gateway --prefix --all-containers; "
        "kubectl --context b -n ns logs -l app=api-gateway --prefix --all-containers"
    )
    assert kubectl.logs(query, []) is None


def test_control_characters_never_reach_the_clipboard() -> None:
    assert kubectl.clipboard_text("api-1") == "api-1"
    for bad in ("a\x1b]52;c;evil\x07", "a\nb", "a\u202eb", ""):
        assert kubectl.clipboard_text(bad) is None
