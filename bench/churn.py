"""Churn: 200 pod events/s for 60 s — event-to-screen latency, CPU and bytes written to a
120x40 terminal, for the cockpit (normal and ``--low-bandwidth``) and for
``watch -n2 kubectl get pods -A`` on the same fake apiservers, in the same run.

Every change stamps the pod's restart count with the time it was made (ms mod 10^7); one
change in ten goes to a pod at the top of the list, on screen in both the cockpit's Pods pane
and watch's output. Latency is the stamp's age when its digits first arrive at the pty.
CPU is process CPU time over wall time (watch's includes the kubectl runs it reaped). The
apiserver's load is what the fake served during the window (requests and bytes, counted on
its sockets) on the first context's server, the one both read: for the cockpit that is its
open watches; for watch, a full list every run.

    .venv/bin/python bench/churn.py                       # 2 x 25,000 pods, 200/s, 60 s
    .venv/bin/python bench/churn.py --pods 200 --seconds 3
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _cockpit import (
    POD_ROW,
    cockpit,
    fmt,
    pct,
    print_table,
    ratio,
    stamp_latencies,
    wait_pods_complete,
    watch_kubectl,
)
from _pty import PtySession
from _world import World

PLATFORM_PODS = 16


@dataclass
class Window:
    """What one program did during one churn window."""

    cpu: float
    """Share of one core."""
    bytes_per_s: float
    p50: float
    p95: float
    seen: int
    """Stamps seen on screen."""
    requests_per_s: float
    served_per_s: float
    """Bytes per second the apiservers sent."""


def measure(world: World, session: PtySession, rate: float, seconds: float, share: int) -> Window:
    """Churn for ``seconds`` and measure ``session`` meanwhile."""
    req0, sent0 = world.stats(0)
    cpu0, t0 = session.cpu_seconds(), time.perf_counter()
    world.churn(rate, seconds, share)
    time.sleep(seconds)
    cpu1, t1 = session.cpu_seconds(), time.perf_counter()
    req1, sent1 = world.stats(0)
    time.sleep(1.0)  # the last changes reach the screen (not counted in CPU or bytes)
    wall = t1 - t0
    lat = stamp_latencies(session, t0)
    return Window(
        cpu=(cpu1 - cpu0) / wall,
        bytes_per_s=session.bytes_between(t0, t1) / wall,
        p50=pct(lat, 0.5),
        p95=pct(lat, 0.95),
        seen=len(lat),
        requests_per_s=(req1 - req0) / wall,
        served_per_s=(sent1 - sent0) / wall,
    )


def run_cockpit(
    world: World, expected: int, args: argparse.Namespace, seconds: float, *flags: str
) -> Window | None:
    """The cockpit on the Pods pane, loaded, then one churn window."""
    session = cockpit(world, *flags)
    try:
        session.send(b"2")
        _, complete, last = wait_pods_complete(session, expected, args.timeout)
        if complete != complete:
            print(f"! cockpit {flags} showed {last} of {expected} pods", file=sys.stderr)
            return None
        time.sleep(args.settle)
        return measure(world, session, args.rate, seconds, args.share)
    finally:
        session.close(b"q")


def run_watch(world: World, args: argparse.Namespace) -> Window | None:
    """``watch -n2 kubectl get pods -A`` showing pods, then one churn window."""
    session = watch_kubectl(world)
    try:
        m, _ = session.wait_for(POD_ROW, timeout=args.timeout)
        if m is None:
            print("! watch kubectl showed no pods", file=sys.stderr)
            return None
        time.sleep(args.settle)
        return measure(world, session, args.rate, args.seconds, args.share)
    finally:
        session.close()


def main(argv: list[str] | None = None) -> int:
    """Run the scenario and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pods", type=int, default=25_000, help="pods per context")
    parser.add_argument("--contexts", type=int, default=2)
    parser.add_argument("--rate", type=float, default=200.0, help="pod events/s in total")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--low-seconds", type=float, default=30.0, help="window of the low-bandwidth run"
    )
    parser.add_argument("--share", type=int, default=100, help="1 in N changes is on screen")
    parser.add_argument("--settle", type=float, default=3.0)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    expected = args.contexts * max(args.pods, PLATFORM_PODS)

    with (
        tempfile.TemporaryDirectory() as tmp,
        World(Path(tmp), pods=args.pods, contexts=args.contexts) as world,
    ):
        ours = run_cockpit(world, expected, args, args.seconds)
        low = run_cockpit(world, expected, args, args.low_seconds, "--low-bandwidth")
        watch = run_watch(world, args)

    nan = float("nan")
    empty = Window(nan, nan, nan, nan, 0, nan, nan)
    o, lo, w = ours or empty, low or empty, watch or empty
    rows = [
        (
            "pods / contexts / events per s / seconds",
            f"{expected} / {args.contexts} / {args.rate:g} / {args.seconds:g}",
            "watch -n2 kubectl get pods -A (1st context)",
            "",
        ),
        (
            "event → screen p50 / p95",
            f"{fmt(o.p50, ' ms', 0)} / {fmt(o.p95, ' ms', 0)} ({o.seen} seen)",
            f"{fmt(w.p50, ' ms', 0)} / {fmt(w.p95, ' ms', 0)} ({w.seen} seen)",
            f"{ratio(o.p95, w.p95)} (goal p95 < 300 ms)",
        ),
        (
            "CPU, share of one core",
            fmt(o.cpu * 100, " %", 1),
            fmt(w.cpu * 100, " %", 1),
            f"{ratio(o.cpu, w.cpu)} (goal < 50 %)",
        ),
        (
            "bytes/s to the terminal (120x40)",
            fmt(o.bytes_per_s, " B/s", 0),
            fmt(w.bytes_per_s, " B/s", 0),
            f"{ratio(o.bytes_per_s, w.bytes_per_s)} (goal ≤ 1x)",
        ),
        (
            "apiserver requests/s while watching (1st context)",
            fmt(o.requests_per_s, "", 2),
            fmt(w.requests_per_s, "", 2),
            ratio(o.requests_per_s, w.requests_per_s),
        ),
        (
            "apiserver bytes/s served while watching (1st context)",
            fmt(o.served_per_s / 1024, " KB/s", 1),
            fmt(w.served_per_s / 1024, " KB/s", 1),
            f"{ratio(o.served_per_s, w.served_per_s)} (goal < 0.05x)",
        ),
        (
            f"low-bandwidth mode: bytes/s ({args.low_seconds:g} s)",
            fmt(lo.bytes_per_s, " B/s", 0),
            f"normal {fmt(o.bytes_per_s, ' B/s', 0)}",
            f"{ratio(lo.bytes_per_s, o.bytes_per_s)} of normal",
        ),
        (
            "low-bandwidth mode: event → screen p50 / p95, CPU",
            f"{fmt(lo.p50, ' ms', 0)} / {fmt(lo.p95, ' ms', 0)}, {fmt(lo.cpu * 100, ' %', 1)}",
            "",
            "",
        ),
    ]
    print_table("churn: 200 pod events/s", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
