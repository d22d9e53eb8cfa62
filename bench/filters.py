"""The ``/`` filters over a table's rows: one ``RowFilter.select`` pass over 50,000 pods for
each kind of filter, as a ratio to the plain substring pass (the filter that was there before).

The rows are what the table caches (each row's lowercased text and its object, the pods'
labels interned as the sources intern them). Usage: python bench/filters.py [--pods 50000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_apply import make_pods

from wundr_tui.widgets.rows import RowFilter, RowKey

FILTERS = [
    ("substring (baseline)", "service-123"),
    ("negated substring", "!service-123"),
    ("regex", "~service-12[0-9]-7d9f"),
    ("label selector, 2 terms", "-l app=service-123,tier!=db"),
    ("label selector, in (...)", "-l app in (service-001,service-123),!canary"),
    ("fuzzy", "-f srv123"),
]


def best_of(n: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pods", type=int, default=50_000)
    args = parser.parse_args()
    pods = make_pods(args.pods, labelling="interned")
    keys: list[RowKey] = []
    hay: dict[RowKey, str] = {}
    objs: dict[RowKey, object] = {}
    for p in pods:
        rk = ("c", "pod", p.key)
        keys.append(rk)
        objs[rk] = p
        hay[rk] = f"c {p.namespace} {p.name} {p.ready}/1 {p.status} {p.restarts} {p.node}".lower()
    base = 0.0
    print(f"{'filter':<28} {'rows kept':>10} {'ms':>8} {'ratio':>7}")
    for name, text in FILTERS:
        flt = RowFilter(text)
        kept = len(flt.select(keys, hay, objs))
        took = best_of(5, lambda flt=flt: flt.select(keys, hay, objs))
        base = base or took
        print(f"{name:<28} {kept:>10,} {took * 1000:>8.1f} {took / base:>6.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
