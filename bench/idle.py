"""Idle: no events for 60 s — the cockpit's CPU and the bytes it writes to a 120x40 terminal,
on the Pods pane with 2 x 25,000 pods, in normal and in low-bandwidth mode; and what its open
watches cost the apiservers meanwhile (bookmarks about once a minute, as real apiservers do).

    .venv/bin/python bench/idle.py
    .venv/bin/python bench/idle.py --pods 200 --seconds 3
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _cockpit import cockpit, fmt, print_table, ratio, wait_pods_complete
from _world import World

PLATFORM_PODS = 16


def idle(
    world: World, expected: int, args: argparse.Namespace, seconds: float, *flags: str
) -> tuple[float, ...]:
    """(CPU share, bytes/s, apiserver requests/s, apiserver bytes/s) over one idle window."""
    session = cockpit(world, *flags)
    try:
        session.send(b"2")
        _, complete, last = wait_pods_complete(session, expected, args.timeout)
        if complete != complete:
            print(f"! cockpit {flags} showed {last} of {expected} pods", file=sys.stderr)
        time.sleep(args.settle)
        req0, sent0 = world.stats()
        cpu0, t0 = session.cpu_seconds(), time.perf_counter()
        time.sleep(seconds)
        cpu1, t1 = session.cpu_seconds(), time.perf_counter()
        req1, sent1 = world.stats()
        wall = t1 - t0
        return (
            (cpu1 - cpu0) / wall,
            session.bytes_between(t0, t1) / wall,
            (req1 - req0) / wall,
            (sent1 - sent0) / wall,
        )
    finally:
        session.close(b"q")


def main(argv: list[str] | None = None) -> int:
    """Run the scenario and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pods", type=int, default=25_000, help="pods per context")
    parser.add_argument("--contexts", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--low-seconds", type=float, default=30.0, help="window of the low-bandwidth run"
    )
    parser.add_argument("--settle", type=float, default=3.0)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    expected = args.contexts * max(args.pods, PLATFORM_PODS)
    with (
        tempfile.TemporaryDirectory() as tmp,
        World(Path(tmp), pods=args.pods, contexts=args.contexts) as world,
    ):
        cpu, out, reqs, served = idle(world, expected, args, args.seconds)
        lcpu, lout, _, _ = idle(world, expected, args, args.low_seconds, "--low-bandwidth")
    rows = [
        ("pods / contexts / seconds", f"{expected} / {args.contexts} / {args.seconds:g}", "", ""),
        ("CPU, share of one core", fmt(cpu * 100, " %", 2), "", "goal < 1 %"),
        ("bytes/s to the terminal (120x40)", fmt(out, " B/s", 1), "", "goal < 200 B/s"),
        ("apiserver requests/s, all contexts", fmt(reqs, "", 3), "", ""),
        ("apiserver bytes/s served, all contexts", fmt(served, " B/s", 0), "", ""),
        ("low-bandwidth mode: CPU", fmt(lcpu * 100, " %", 2), "", ""),
        (
            f"low-bandwidth mode: bytes/s ({args.low_seconds:g} s)",
            fmt(lout, " B/s", 1),
            f"normal {fmt(out, ' B/s', 1)}",
            f"{ratio(lout, out)} of normal",
        ),
    ]
    print_table("idle: no events", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
