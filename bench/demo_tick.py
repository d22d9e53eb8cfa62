"""What one simulated second of the demo fleet costs (``DemoFleet.tick``), against what the
store's apply of the same events costs, in the same run: the cockpit pays both once per
frame. Moved here from a timed unit test, which a loaded machine failed (1.65 ms per tick at
load average 8.6, against 0.12-0.26 ms idle).

    .venv/bin/python bench/demo_tick.py [--seconds 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from wundr_tui.backends.demo import DemoFleet
from wundr_tui.clock import FrozenClock
from wundr_tui.store import Store


def one_round(seconds: int) -> tuple[float, float]:
    """Mean ms per tick and per apply of that tick's events, over ``seconds`` ticks."""
    clock = FrozenClock()
    fleet = DemoFleet(7, clock)
    store = Store(clock)
    store.apply(fleet.initial_events())
    tick = apply = 0.0
    for _ in range(seconds):
        clock.advance(1)
        start = time.perf_counter()
        batch = fleet.tick()
        middle = time.perf_counter()
        store.apply(batch)
        tick += middle - start
        apply += time.perf_counter() - middle
    return tick / seconds * 1000, apply / seconds * 1000


def main() -> None:
    """Print the table (median of the rounds)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    results = [one_round(args.seconds) for _ in range(args.rounds)]
    tick = statistics.median(r[0] for r in results)
    apply = statistics.median(r[1] for r in results)
    print(f"load average {os.getloadavg()[0]:.2f}; {args.rounds} rounds of {args.seconds} s")
    print("| measure | ms per simulated second |")
    print("| --- | --- |")
    print(f"| DemoFleet.tick | {tick:.3f} |")
    print(f"| Store.apply of its events (baseline) | {apply:.3f} |")
    print(f"| ratio tick / apply | {tick / apply:.2f}x |")


if __name__ == "__main__":
    main()
