"""Churn: 200 pod events/s for 60 s — event-to-screen latency, CPU and bytes written to a
120x40 terminal, for the cockpit (normal and ``--low-bandwidth``) and for
``watch -n2 kubectl get pods -A`` on the same fake apiservers, in the same run.

Every change stamps the pod's restart count with the time it was made (ms mod 10^7); one
change in a hundred (``--share``) goes to a pod at the top of the list, on screen in both the
cockpit's Pods pane and watch's output, so there are enough latency samples; then a window of
uniform churn (every pod alike, as in a real cluster: about one change in 1,300 lands on a
40-line screen) measures the bytes written again. Latency is the stamp's age when its digits
first arrive at the pty.
CPU is process CPU time over wall time (watch's includes the kubectl runs it reaped). The
apiserver's load is what the fake served during the window (requests and bytes, counted on
its sockets) on the first context's server, the one both read: for the cockpit that is its
open watches; for watch, a full list every run (gzipped, as kube-apiserver does for kubectl);
and that server process's CPU.

    .venv/bin/python bench/churn.py                       # 2 x 25,000 pods, 200/s, 60 s
    .venv/bin/python bench/churn.py --pods 200 --seconds 3
    .venv/bin/python bench/churn.py --fake-profile fast   # the fake unpaced, as the tests

The fake apiservers answer in the calibrated profile by default (tests/fakes/server_profile.py:
lists and the watch-list paced like a real kube-apiserver v1.36.2, bookmarks once a minute
however busy the watch); the table says which.
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
from _world import World, add_profile_flag, profile_row

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
    server_cpu: float
    """Share of one core the (first) fake apiserver process used."""


def measure(world: World, session: PtySession, rate: float, seconds: float, share: int) -> Window:
    """Churn for ``seconds`` and measure ``session`` meanwhile."""
    req0, sent0 = world.stats(0)
    server0 = world.cpu_seconds(0)
    cpu0, t0 = session.cpu_seconds(), time.perf_counter()
    world.churn(rate, seconds, share)
    time.sleep(seconds)
    cpu1, t1 = session.cpu_seconds(), time.perf_counter()
    server1 = world.cpu_seconds(0)
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
        server_cpu=(server1 - server0) / wall,
    )


def run_cockpit(
    world: World, expected: int, args: argparse.Namespace, seconds: float, *flags: str
) -> tuple[Window | None, Window | None]:
    """The cockpit on the Pods pane, loaded, then a churn window with one change in
    ``--share`` on screen and (normal mode only) a window of uniform churn."""
    session = cockpit(world, *flags)
    try:
        session.send(b"2")
        _, complete, last = wait_pods_complete(session, expected, args.timeout)
        if complete != complete:
            print(f"! cockpit {flags} showed {last} of {expected} pods", file=sys.stderr)
            return None, None
        time.sleep(args.settle)
        skewed = measure(world, session, args.rate, seconds, args.share)
        uniform = None
        if not flags and args.uniform_seconds > 0:
            uniform = measure(world, session, args.rate, args.uniform_seconds, -1)
        return skewed, uniform
    finally:
        session.close(b"q")


def run_watch(world: World, args: argparse.Namespace) -> tuple[Window | None, Window | None]:
    """``watch -n2 kubectl get pods -A`` showing pods, then the same two churn windows."""
    session = watch_kubectl(world)
    try:
        m, _ = session.wait_for(POD_ROW, timeout=args.timeout)
        if m is None:
            print("! watch kubectl showed no pods", file=sys.stderr)
            return None, None
        time.sleep(args.settle)
        skewed = measure(world, session, args.rate, args.seconds, args.share)
        uniform = None
        if args.uniform_seconds > 0:
            uniform = measure(world, session, args.rate, args.uniform_seconds, -1)
        return skewed, uniform
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
    parser.add_argument(
        "--uniform-seconds",
        type=float,
        default=30.0,
        help="window of uniform churn (every pod alike; 0 skips it)",
    )
    parser.add_argument("--settle", type=float, default=3.0)
    parser.add_argument("--timeout", type=float, default=120.0)
    add_profile_flag(parser)
    args = parser.parse_args(argv)
    expected = args.contexts * max(args.pods, PLATFORM_PODS)

    with (
        tempfile.TemporaryDirectory() as tmp,
        World(
            Path(tmp), pods=args.pods, contexts=args.contexts, profile=args.fake_profile
        ) as world,
    ):
        ours, ours_uniform = run_cockpit(world, expected, args, args.seconds)
        low, _ = run_cockpit(world, expected, args, args.low_seconds, "--low-bandwidth")
        watch, watch_uniform = run_watch(world, args)

    nan = float("nan")
    empty = Window(nan, nan, nan, nan, 0, nan, nan, nan)
    o, lo, w = ours or empty, low or empty, watch or empty
    ou, wu = ours_uniform or empty, watch_uniform or empty
    rows = [
        profile_row(args.fake_profile),
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
            f"bytes/s to the terminal (120x40), 1 change in {args.share} on screen",
            fmt(o.bytes_per_s, " B/s", 0),
            fmt(w.bytes_per_s, " B/s", 0),
            f"{ratio(o.bytes_per_s, w.bytes_per_s)} (goal ≤ 1x)",
        ),
        (
            f"bytes/s to the terminal (120x40), uniform churn ({args.uniform_seconds:g} s)",
            fmt(ou.bytes_per_s, " B/s", 0),
            fmt(wu.bytes_per_s, " B/s", 0),
            f"{ratio(ou.bytes_per_s, wu.bytes_per_s)} (goal ≤ 1x)",
        ),
        (
            "uniform churn: changes seen on screen, p50 / p95",
            f"{ou.seen}: {fmt(ou.p50, ' ms', 0)} / {fmt(ou.p95, ' ms', 0)}",
            f"{wu.seen}: {fmt(wu.p50, ' ms', 0)} / {fmt(wu.p95, ' ms', 0)}",
            "",
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
            "fake apiserver CPU while watching (1st context)",
            fmt(o.server_cpu * 100, " %", 1),
            fmt(w.server_cpu * 100, " %", 1),
            ratio(o.server_cpu, w.server_cpu),
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
