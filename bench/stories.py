"""Story cost per frame: telling the Incident pane's rows as stories (``store_stories``) at
scale, against ``store.incidents()`` (what every frame already runs) in the same run.

Two clusters of 25,000 pods each (400 services in 40 namespaces, their Deployments with
``app`` labels), 500 bad pods (Pending, CrashLoopBackOff, not ready on 5 dead nodes), 200
firing alerts naming services. Usage: python bench/stories.py [--pods 50000] [--runs 20]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

from wundr_tui.clock import FrozenClock
from wundr_tui.events import ClusterSeen, Replaced
from wundr_tui.model import Alert, Cluster, Deployment, Kind, Node, Pod
from wundr_tui.store import Store
from wundr_tui.stories import Story, store_stories
from wundr_tui.widgets.cluster_bar import cluster_tags

BAD = ("Pending", "CrashLoopBackOff", "Running")  # Running + not ready: on a dead node


def world(pods: int, bad: int, alerts: int) -> Store:
    store = Store(FrozenClock(1_764_115_200.0))
    clusters = [Cluster("eks", "aws", "us-east-1", "eks"), Cluster("gke", "gcp", "us-c1", "gke")]
    store.apply([ClusterSeen(c) for c in clusters])
    per = pods // len(clusters)
    for n, c in enumerate(clusters):
        nodes = tuple(Node(f"node-{i}", f"pool-{i % 3}", ready=i >= 5) for i in range(250))
        deps = tuple(
            Deployment(
                f"team-{s % 40:02d}", f"service-{s:03d}", 60, 60, 60, 60, (("app", f"svc-{s:03d}"),)
            )
            for s in range(400)
        )
        out = []
        for i in range(per):
            s = i % 400
            sick = i % (per // (bad // len(clusters))) == 0
            status = BAD[i % 3] if sick else "Running"
            node = f"node-{i % 5}" if sick and status == "Running" else f"node-{5 + i % 245}"
            ready = 0 if sick else 1
            out.append(
                Pod(
                    f"team-{s % 40:02d}",
                    f"service-{s:03d}-abc-{i:06x}",
                    status,
                    ready,
                    1,
                    3 if sick else 0,
                    1_764_000_000.0,
                    node,
                    f"service-{s:03d}",
                )
            )
        fired = tuple(
            Alert(
                f"HighErrorRate{a}",
                f"{n}-{a:04x}",
                "warning",
                "firing",
                1_764_115_000.0,
                namespace=f"team-{a % 40:02d}",
                service=f"svc-{a % 400:03d}",
            )
            for a in range(alerts // len(clusters))
        )
        store.apply(
            [
                Replaced(c.name, Kind.NODE, nodes),
                Replaced(c.name, Kind.DEPLOYMENT, deps),
                Replaced(c.name, Kind.POD, tuple(out)),
                Replaced(c.name, Kind.ALERT, fired),
            ]
        )
    return store


def median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pods", type=int, default=50_000)
    parser.add_argument("--bad", type=int, default=500)
    parser.add_argument("--alerts", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    store = world(args.pods, args.bad, args.alerts)
    tags = cluster_tags(list(store.clusters.values()))
    rows = store.incidents()
    told = store_stories(store, rows, tags)
    incidents_ms = median_ms(store.incidents, args.runs)
    stories_ms = median_ms(lambda: store_stories(store, rows, tags), args.runs)
    n_stories = sum(isinstance(t, Story) for t in told)
    print(
        f"pods {args.pods}, incident rows {len(rows)}, told as {len(told)} lines "
        f"({n_stories} stories)"
    )
    print(f"store.incidents():  {incidents_ms:7.2f} ms (median of {args.runs})")
    print(f"store_stories():    {stories_ms:7.2f} ms  ({stories_ms / incidents_ms:.2f}x incidents)")
    print(f"goal: stories < 5 ms per frame: {'yes' if stories_ms < 5 else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
