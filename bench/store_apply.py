"""Store cost: apply a Replaced of N pods, then watch-sized batches; memory per pod; and
what the pump's safe-text boundary adds in the source thread for the same events.

Baseline in the same run: building a plain dict of the same objects by key (the least any
store can do). Usage: python bench/store_apply.py [--pods 50000]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import random
import time
import tracemalloc
from typing import Literal

from wundr_tui.clock import FrozenClock
from wundr_tui.events import ClusterSeen, Replaced, Upserted
from wundr_tui.model import Cluster, Kind, Labels, Pod, intern_labels
from wundr_tui.safe_text import safe_copy
from wundr_tui.store import Store

STATUSES = ["Running"] * 95 + ["Pending", "CrashLoopBackOff", "Completed", "Error", "Running"]


Labelling = Literal["none", "interned", "copied"]


def pod_labels(owner: str, i: int, labelling: Labelling) -> Labels:
    """A pod's labels as a ReplicaSet's pods carry them (five, equal for one owner):
    ``interned`` shares one tuple per label set (as the sources do), ``copied`` gives each
    pod its own (as a naive parse would), ``none`` has none."""
    if labelling == "none":
        return ()
    mapping = {
        "app": owner,
        "app.kubernetes.io/name": owner,
        "app.kubernetes.io/part-of": f"team-{i % 40:02d}",
        "tier": "web" if i % 3 else "db",
        "pod-template-hash": f"7d9f8c6b{i % 400:03x}",
    }
    if labelling == "interned":
        return intern_labels(mapping)
    return tuple(sorted((k, "".join(v)) for k, v in mapping.items()))  # fresh strings


def make_pods(n: int, seed: int = 1, labelling: Labelling = "none") -> list[Pod]:
    """Realistic-looking pods: names, nodes and owners like a real cluster's."""
    rng = random.Random(seed)
    pods = []
    for i in range(n):
        owner = f"service-{i % 400:03d}"
        status = rng.choice(STATUSES)
        pods.append(
            Pod(
                namespace=f"team-{i % 40:02d}",
                name=f"{owner}-7d9f8c6b5-{i:06x}",
                status=status,
                ready=1 if status == "Running" else 0,
                containers=1,
                restarts=rng.randint(0, 3),
                created=1_764_000_000.0 + i,
                node=f"ip-10-0-{i % 250}-{i % 200}.ec2.internal",
                owner=owner,
                labels=pod_labels(owner, i, labelling),
            )
        )
    return pods


def kept_per_pod(n: int, labelling: Labelling) -> float:
    """Memory the store keeps per pod (objects + dict), measured by tracemalloc; the pods'
    strings are made inside the measure, as a source's parse makes them."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    fresh = make_pods(n, seed=2, labelling=labelling)
    s2 = Store(FrozenClock())
    s2.apply([Replaced("c", Kind.POD, tuple(fresh))])
    del fresh
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    assert s2.count(Kind.POD) == n
    return sum(stat.size_diff for stat in after.compare_to(before, "filename")) / n


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    gc.collect()
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pods", type=int, default=50_000)
    args = parser.parse_args()
    n = args.pods
    cluster = Cluster("c", "aws", "us-east-1", "c")
    pods = make_pods(n)

    baseline = timed(lambda: {p.key: p for p in pods})
    store = Store(FrozenClock())
    store.apply([ClusterSeen(cluster)])
    replace_first = timed(lambda: store.apply([Replaced("c", Kind.POD, tuple(pods))]))
    changed = [
        Pod(p.namespace, p.name, p.status, p.ready, 1, p.restarts + 1, p.created, p.node, p.owner)
        for p in pods
    ]
    replace_again = timed(lambda: store.apply([Replaced("c", Kind.POD, tuple(changed))]))
    batch = [Upserted("c", Kind.POD, (p,)) for p in pods[:200]]
    upsert_200 = timed(lambda: store.apply(batch))
    incidents = timed(store.incidents)

    # The boundary (EventPump.emit): clean text, then 1 % of pods carrying a control character.
    replaced = Replaced("c", Kind.POD, tuple(pods))
    safe_replaced = timed(lambda: safe_copy(replaced))
    safe_upserts = timed(lambda: [safe_copy(e) for e in batch])
    hostile = tuple(
        Pod(p.namespace, p.name + "\x1b[2J", *dataclasses.astuple(p)[2:]) if i % 100 == 0 else p
        for i, p in enumerate(pods)
    )
    safe_hostile = timed(lambda: safe_copy(Replaced("c", Kind.POD, hostile)))
    labelled = Replaced("c", Kind.POD, tuple(make_pods(n, labelling="interned")))
    safe_labelled = timed(lambda: safe_copy(labelled))

    kept = kept_per_pod(n, "none")
    kept_interned = kept_per_pod(n, "interned")
    kept_copied = kept_per_pod(n, "copied")

    print(f"{'measure':<44} {'value':>12}")
    print(f"{'pods':<44} {n:>12,}")
    print(f"{'baseline: dict of pods by key (s)':<44} {baseline:>12.4f}")
    print(f"{'store: first Replaced (s)':<44} {replace_first:>12.4f}")
    print(f"{'store: Replaced with every pod changed (s)':<44} {replace_again:>12.4f}")
    print(f"{'store: 200 single-pod Upserted events (s)':<44} {upsert_200:>12.5f}")
    print(f"{'store: incidents() (s)':<44} {incidents:>12.5f}")
    print(f"{'ratio first Replaced / baseline':<44} {replace_first / baseline:>12.2f}x")
    print(f"{'boundary: safe_copy of the Replaced (s)':<44} {safe_replaced:>12.4f}")
    print(f"{'boundary: ... with 1 % hostile pods (s)':<44} {safe_hostile:>12.4f}")
    print(f"{'boundary: ... pods with 5 labels, interned (s)':<44} {safe_labelled:>12.4f}")
    print(f"{'boundary: 200 single-pod Upserted (s)':<44} {safe_upserts:>12.5f}")
    print(f"{'ratio boundary / first Replaced':<44} {safe_replaced / replace_first:>12.2f}x")
    print(f"{'bytes kept per pod (pod objects + store)':<44} {kept:>12.0f}")
    print(f"{'... with 5 labels a pod, interned (shared)':<44} {kept_interned:>12.0f}")
    print(f"{'... with 5 labels a pod, a copy per pod':<44} {kept_copied:>12.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
