"""details.py per kind, without a terminal: the demo fleet's store and whole objects at the
moment the story has every incident on (115 simulated seconds in)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import demo_world
from wundr_tui.backends.base import without_secrets
from wundr_tui.backends.demo import EKS_CONTEXT, HPA_NAME, NAMESPACE, SERVICE, DemoFleet
from wundr_tui.details import Section, describe, env_text, probe_text, text, title
from wundr_tui.model import Alert, Kind, Node, Pod
from wundr_tui.store import Store


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Store, DemoFleet]]:
    yield demo_world(115)


def flat(sections: list[Section]) -> dict[str, str]:
    """Section.label → value; the first of a repeated label (the first container's) wins."""
    out: dict[str, str] = {}
    for s in sections:
        for f in s.facts:
            out.setdefault(f"{s.title}.{f.label.strip()}", f.value)
    return out


def crash_pod(store: Store) -> Pod:
    pods = [
        p
        for _, p in store.problem_pods()
        if p.owner == "setup-toolkit" and p.status == "CrashLoopBackOff"
    ]
    assert pods, "the demo's setup-toolkit pod crash-loops at 115 s"
    return pods[0]


def test_crashing_pod_shows_its_last_termination(world: tuple[Store, DemoFleet]) -> None:
    store, fleet = world
    pod = crash_pod(store)
    full = fleet.fetch(EKS_CONTEXT, Kind.POD, pod.namespace, pod.name)
    facts = flat(describe(store, EKS_CONTEXT, Kind.POD, pod.key, full, store.clock.now()))
    assert facts["Pod.status"].startswith(f"CrashLoopBackOff · 1/2 ready · {pod.restarts} restarts")
    assert facts["Pod.node"] == pod.node
    assert facts["Pod.IPs"].startswith("pod 10.0.")
    assert facts["Containers.setup-toolkit"].startswith("CrashLoopBackOff · not ready · ")
    assert facts["Containers.state"].startswith("back-off 40s restarting failed container")
    assert facts["Containers.last termination"].startswith("Error, exit code 1, ")
    assert "toolkit_templates" in facts["Containers.message"]
    assert facts["Containers.env DATABASE_PASSWORD"] == (
        "secretKeyRef wundr-db-credentials/password"
    )
    assert facts["Containers.requests"] == "cpu 500m, memory 512Mi"
    assert facts["Containers.liveness"].startswith("http GET :8080/healthz")
    assert facts["Owner chain.ReplicaSet"].startswith("setup-toolkit-")
    assert facts["Owner chain.Deployment"].startswith("setup-toolkit (")
    assert facts["Conditions.Ready"].startswith("False")


def test_pod_owner_chain_reaches_hpa_service_and_colour(world: tuple[Store, DemoFleet]) -> None:
    store, fleet = world
    pod = next(
        p
        for _, p in store.all(Kind.POD)
        if isinstance(p, Pod) and p.owner == "api-gateway-blue" and p.node
    )
    full = fleet.fetch(EKS_CONTEXT, Kind.POD, pod.namespace, pod.name)
    facts = flat(describe(store, EKS_CONTEXT, Kind.POD, pod.key, full, store.clock.now()))
    assert facts["Owner chain.HPA"].startswith(HPA_NAME)
    assert facts["Owner chain.Service"] == SERVICE
    assert facts["Owner chain.colour"] == "blue (live)"


def test_without_the_whole_object_the_model_facts_remain(world: tuple[Store, DemoFleet]) -> None:
    store, _ = world
    pod = crash_pod(store)
    facts = flat(describe(store, EKS_CONTEXT, Kind.POD, pod.key, None, store.clock.now()))
    assert facts["Pod.status"].startswith("CrashLoopBackOff · ")
    assert "Containers.last termination" not in facts


def test_hpa_node_pool_node_service_replica(world: tuple[Store, DemoFleet]) -> None:
    store, fleet = world
    now = store.clock.now()
    hpa = flat(describe(store, EKS_CONTEXT, Kind.HPA, f"{NAMESPACE}/{HPA_NAME}", None, now))
    assert hpa["HPA.target"] == "Deployment/api-gateway-blue"
    assert "cpu" in " ".join(hpa)
    pool = flat(describe(store, EKS_CONTEXT, Kind.NODE_POOL, "compute-pool", None, now))
    assert pool["Node pool.machine"] == "c6i.2xlarge"
    assert pool["Node pool.at max"] == "the pool cannot grow any further"
    node = next(n for _, n in store.all(Kind.NODE) if isinstance(n, Node) and not n.ready)
    full = fleet.fetch(EKS_CONTEXT, Kind.NODE, "", node.name)
    nf = flat(describe(store, EKS_CONTEXT, Kind.NODE, node.name, full, now))
    assert nf["Node.ready"] == "NotReady"
    assert nf["Node.taint"] == "node.kubernetes.io/unreachable:NoExecute"
    svc = flat(describe(store, EKS_CONTEXT, Kind.SERVICE, f"{NAMESPACE}/{SERVICE}", None, now))
    assert svc["Service.live colour"].startswith("blue")
    link = next(iter(store.items(EKS_CONTEXT, Kind.REPLICA_LINK)))
    rf = flat(describe(store, EKS_CONTEXT, Kind.REPLICA_LINK, link, None, now))
    assert rf["Replication.primary"] == "wundr-postgres (us-east-1)"


def test_alert_lists_labels_annotations_runbook_and_silences(
    world: tuple[Store, DemoFleet],
) -> None:
    store, _ = world
    alert = next(
        a for _, a in store.all(Kind.ALERT) if isinstance(a, Alert) and a.name == "HighErrorRate"
    )
    sections = describe(store, EKS_CONTEXT, Kind.ALERT, alert.key, None, store.clock.now())
    facts = flat(sections)
    assert facts["Labels.alertname"] == "HighErrorRate"
    assert facts["Labels.service"] == "api-gateway"
    runbook = next(f for s in sections for f in s.facts if f.label == "runbook_url")
    assert runbook.tone == "link" and runbook.value.startswith("https://")
    assert facts["Silences.silences"] == "none"


def test_velero_backup_phase_errors_progress(world: tuple[Store, DemoFleet]) -> None:
    store, _ = world
    failed = next(b for _, b in store.all(Kind.BACKUP) if getattr(b, "errors", 0))
    facts = flat(describe(store, EKS_CONTEXT, Kind.BACKUP, failed.key, None, store.clock.now()))
    assert facts["Velero backup.errors"] == str(failed.errors)
    assert "/" in facts["Velero backup.progress"]


def test_gone_object_says_so(world: tuple[Store, DemoFleet]) -> None:
    store, _ = world
    facts = flat(describe(store, EKS_CONTEXT, Kind.POD, "x/y", None, store.clock.now()))
    assert facts["Gone.state"].startswith("not in the store")


def test_server_text_is_made_safe_and_cut() -> None:
    assert text("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert len(text("x" * 10_000)) == 2_000
    assert env_text({"name": "A", "value": "[b]x[/b]"}) == "[b]x[/b]"  # shown as text
    assert env_text({"valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}) == (
        "secretKeyRef s/k"
    )
    assert probe_text({"tcpSocket": {"port": 5432}, "periodSeconds": 5}) == "tcp :5432, every 5s"


def test_title_names_kind_cluster_and_name() -> None:
    assert title("eks", Kind.POD, "ns/pod-1") == "pod eks/pod-1"
    assert title("gke", Kind.NODE_POOL, "compute-pool") == "node pool gke/compute-pool"


def test_secret_values_never_survive() -> None:
    obj = {
        "kind": "Secret",
        "data": {"password": "aHVudGVyMg=="},
        "stringData": {"password": "hunter2"},
        "metadata": {
            "annotations": {
                "kubectl.kubernetes.io/last-applied-configuration": '{"data":{"p":"x"}}',
                "keep": "me",
            }
        },
        "spec": {
            "containers": [
                {"env": [{"name": "P", "value": "hunter2", "valueFrom": {"secretKeyRef": {}}}]}
            ]
        },
    }
    clean = without_secrets(obj)
    assert "hunter2" not in repr(clean) and "aHVudGVyMg" not in repr(clean)
    assert clean["metadata"]["annotations"] == {"keep": "me"}


HOSTILE = "\x1b[2J\x1b]0;pwned\x07[/on x][bold]\u202e"


def test_hostile_server_text_is_escaped_everywhere_it_is_shown() -> None:
    """Every string of a whole object reaches the facts and the YAML escaped: no control
    character raw, markup kept as plain characters."""
    from wundr_tui.object_yaml import object_yaml

    obj = {
        "kind": "Pod",
        "metadata": {"name": "p", "annotations": {HOSTILE: HOSTILE}, "labels": {"a": HOSTILE}},
        "spec": {"containers": [{"name": HOSTILE, "image": HOSTILE, "env": [{"name": HOSTILE}]}]},
        "status": {
            "phase": HOSTILE,
            "containerStatuses": [
                {
                    "name": HOSTILE,
                    "state": {"waiting": {"reason": HOSTILE, "message": HOSTILE}},
                    "lastState": {"terminated": {"reason": HOSTILE, "message": HOSTILE}},
                }
            ],
        },
    }
    values = [
        part
        for s in describe(Store(), "c", Kind.POD, "ns/p", obj, 1.8e9)
        for f in s.facts
        for part in (f.label, f.value)
    ]
    yaml_lines = object_yaml(obj)
    for shown in (*values, *yaml_lines):
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown, shown
    assert any("\\x1b[2J" in v for v in values)
    assert any("[/on x][bold]" in line for line in yaml_lines)


def test_breadcrumb_keeps_the_newest_step_and_drops_the_oldest_first() -> None:
    from wundr_tui.screens.investigate import breadcrumb

    trail = ("Incident", "pod eks/setup-toolkit-abc", "node eks/ip-10-0-1-2.ec2.internal")
    assert breadcrumb(trail, 200).plain == " \u203a ".join(trail)
    cut = breadcrumb(trail, 50).plain
    assert cut == "… \u203a node eks/ip-10-0-1-2.ec2.internal"
    mid = breadcrumb(trail, 70).plain
    assert mid.startswith("… \u203a pod eks/setup-toolkit-abc \u203a node")
