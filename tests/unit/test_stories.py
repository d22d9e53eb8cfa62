"""The story rules (wundr_tui.stories) on the demo fleet's worst moment and on small cases."""

from __future__ import annotations

from dataclasses import replace

from tests.conftest import demo_store, demo_worst_moment, recorded_store
from wundr_tui.model import Incident
from wundr_tui.store import Store
from wundr_tui.stories import LAYER, Story, headline, store_stories, tell_stories
from wundr_tui.widgets.cluster_bar import cluster_tags


def told(store: Store) -> list[Story | Incident]:
    return store_stories(store, store.incidents(), cluster_tags(list(store.clusters.values())))


def stories(items: list[Story | Incident]) -> dict[str, Story]:
    return {s.subject: s for s in items if isinstance(s, Story)}


def test_the_worst_moment_is_at_most_six_lines_each_naming_its_cause() -> None:
    """Issue 14: at the demo's busiest second (16+ rows), both clouds' situation in at most 6
    lines: the api-gateway story on both clouds, the dead node's story, and the rows that
    belong to none (the crash loop, the replica lag, EKS's pool at max)."""
    store = demo_store(demo_worst_moment())
    rows = store.incidents()
    assert len(rows) >= 15
    items = told(store)
    assert len(items) <= 6, [getattr(i, "headline", getattr(i, "detail", "")) for i in items]
    # Every row is told once: as a line, or in exactly one story.
    inside = [link.incident for s in items if isinstance(s, Story) for link in s.links]
    alone = [i for i in items if isinstance(i, Incident)]
    assert sorted(map(repr, inside + alone)) == sorted(map(repr, rows))
    for item in items:
        words = item.headline if isinstance(item, Story) else item.detail
        assert words.split(" → ")[0].strip(), item


def test_the_api_gateway_story_spans_both_clouds_cause_first_symptom_last() -> None:
    """The recorded worst moment: the rollout just before, then capacity (the GKE pool at max
    with the Pending pods), the pods, the HPAs, the live colour short, the alerts last; each
    segment says its clouds."""
    story = stories(told(recorded_store()))["wundr-platform/api-gateway"]
    assert story.clusters and len(story.clusters) == 2
    assert story.headline.startswith("rollout v1.4.3 ")
    assert story.headline.endswith("→ HighErrorRate, HighLatency (eks)")
    parts = story.headline.split(" → ")
    assert parts[1].startswith("compute-pool at max 20/20, 6 not ready (gke)")
    assert parts[2] == "6 api-gateway-blue pods Pending (gke)"
    assert "HPA at max 20/20 (eks, gke)" in parts
    layers = [LAYER[link.incident.what] for link in story.links]
    assert layers == sorted(layers), "cause first, symptom last"
    whys = {link.incident.what: link.why for link in story.links}
    assert whys["NODEPOOL"] == "pods Pending, pool at max"
    assert whys["ALERT"] == "same service"
    assert story.severity == "critical" and story.row(cluster_tags([])).what == "STORY"


def test_pods_on_a_node_not_ready_are_their_pools_story_not_their_workloads() -> None:
    """Four system pods not ready on EKS's dead node: one story about system-pool, the pods
    counted, not four rows (nor four one-row stories)."""
    story = stories(told(recorded_store()))["system-pool"]
    assert story.headline == "1 of 3 nodes not ready → 4 pods not ready"
    assert [link.incident.what for link in story.links] == ["NODEPOOL"] + ["POD"] * 4
    assert all(link.why.startswith("on ip-") for link in story.links[1:])


def test_rows_of_no_story_stay_rows_in_order_and_one_trouble_is_no_story() -> None:
    """The crash loop (one row of its service), the replica lag and a pool at max with no
    Pending pods stay rows, in their place; healthy context never makes a story alone."""
    items = told(recorded_store())
    alone = [(i.what, i.subject.rsplit("/", 1)[-1][:13]) for i in items if isinstance(i, Incident)]
    assert alone == [
        ("POD", "setup-toolkit"),
        ("DB", "wundr-postgre"),
        ("NODEPOOL", "compute-pool"),
    ]
    store = recorded_store()
    rows = [i for i in store.incidents() if i.what == "BLUE/GREEN"]
    healthy = [replace(i, severity="info") for i in rows]
    assert tell_stories(healthy, store, {}) == healthy


def test_headline_says_each_words_once_with_their_clouds() -> None:
    """The same trouble on both clouds is said once with both tags; on one cloud no tags."""
    a = Incident(3, "warning", "A", "HPA", "ns/h", "at max 5/5 (cpu 90%/70%)", 1.0)
    b = replace(a, cluster="B", detail="at max 5/5 (cpu 99%/70%)")
    links = [type("L", (), {"incident": i, "why": "same service"})() for i in (a, b)]
    tags = {"A": "eks", "B": "gke"}
    assert headline(links, tags) == "HPA at max 5/5 (eks, gke)"  # type: ignore[arg-type]
    assert headline(links[:1], tags) == "HPA at max 5/5"  # type: ignore[arg-type]
