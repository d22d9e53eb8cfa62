"""Scale: the cockpit on 2 contexts x 25,000 pods (1,000 HPAs, 100 nodes) against
``kubectl get pods -A`` on the same fake apiservers, in the same run.

The cockpit runs in a real 120x40 pty and is switched to the Pods pane at once (key ``2``);
the clock stops when the first pod row is on screen, and when the header says every pod is
loaded and shown. RSS comes from /proc; memory per pod is the cockpit's RSS with every pod
loaded minus the RSS of the same cockpit on a platform with no filler pods, divided by the
pods. kubectl runs once per context, all contexts at once (what an engineer waits for to
see every pod), and against the first context alone.

    .venv/bin/python bench/scale.py                       # the issue's size
    .venv/bin/python bench/scale.py --pods 200 --hpas 10 --nodes 10
    .venv/bin/python bench/scale.py --fake-profile fast   # the fake unpaced, as the tests

The fake apiservers answer in the calibrated profile by default (paced like a real
kube-apiserver v1.36.2, tests/fakes/server_profile.py); the table says which.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _cockpit import cockpit, fmt, print_table, ratio, wait_pods_complete
from _world import World, add_profile_flag, profile_row

PLATFORM_PODS = 16
"""Pods every fake platform has before filler (four services, blue and green, two each)."""


def kubectl_get_pods(world: World, contexts: list[str]) -> tuple[float, float, int]:
    """``kubectl get pods -A`` for each context at once: (wall s, peak RSS MB of the largest
    run, lines printed)."""
    t0 = time.perf_counter()
    procs = [
        subprocess.Popen(
            ["kubectl", "--context", ctx, "get", "pods", "-A"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **world.env},
        )
        for ctx in contexts
    ]
    lines = 0
    peak = 0.0
    for proc in procs:
        assert proc.stdout is not None
        lines += sum(1 for _ in proc.stdout)
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
        peak = max(peak, usage.ru_maxrss / 1024)
    return time.perf_counter() - t0, peak, lines - len(contexts)


def settle_rss(session: object, seconds: float) -> float:
    """RSS (MB) after ``seconds`` of letting the cockpit settle."""
    time.sleep(seconds)
    return session.rss_mb()[0]  # type: ignore[attr-defined,no-any-return]


def main(argv: list[str] | None = None) -> int:
    """Run the scenario and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pods", type=int, default=25_000, help="pods per context")
    parser.add_argument("--contexts", type=int, default=2)
    parser.add_argument("--hpas", type=int, default=1000, help="HPAs in total")
    parser.add_argument("--nodes", type=int, default=100, help="nodes in total")
    parser.add_argument("--timeout", type=float, default=120.0)
    add_profile_flag(parser)
    args = parser.parse_args(argv)
    expected = args.contexts * max(args.pods, PLATFORM_PODS)

    with tempfile.TemporaryDirectory() as tmp:
        # Baseline: the same cockpit on the bare platform (16 pods a context).
        with World(
            Path(tmp) / "base", pods=0, contexts=args.contexts, profile=args.fake_profile
        ) as base:
            session = cockpit(base)
            session.send(b"2")
            wait_pods_complete(session, args.contexts * PLATFORM_PODS, args.timeout)
            base_rss = settle_rss(session, 2.0)
            session.close(b"q")
        with World(
            Path(tmp) / "big",
            pods=args.pods,
            contexts=args.contexts,
            hpas=args.hpas,
            nodes=args.nodes,
            profile=args.fake_profile,
        ) as world:
            # kubectl first, once per context: its discovery cache is warm for the timed runs,
            # and so is each fake's cache of Table rows (built on first use; a real apiserver
            # has no such cost), so neither program pays it in the timed runs.
            kubectl_get_pods(world, world.names)
            req0, sent0 = world.stats()
            session = cockpit(world)
            session.send(b"2")
            first, complete, last = wait_pods_complete(session, expected, args.timeout)
            cpu = session.cpu_seconds()
            _, rss_peak = session.rss_mb()
            rss_loaded = settle_rss(session, 2.0)
            rss_peak = max(rss_peak, session.rss_mb()[1])
            session.close(b"q")
            req1, sent1 = world.stats()
            k_wall, k_rss, k_lines = kubectl_get_pods(world, world.names)
            k1_wall, _, _ = kubectl_get_pods(world, world.names[:1])
            req2, sent2 = world.stats()
            if last < expected:
                print(f"! the cockpit showed {last} of {expected} pods", file=sys.stderr)

    runs = args.contexts + 1  # kubectl runs timed: every context at once, then the first
    per_pod = (rss_loaded - base_rss) * 2**20 / max(expected, 1)
    rows = [
        profile_row(args.fake_profile),
        (
            "pods / contexts / HPAs / nodes",
            f"{expected} / {args.contexts} / {args.hpas} / {args.nodes}",
            f"{k_lines} pods listed",
            "",
        ),
        ("first pod rows on screen", fmt(first, " s"), "", "goal < 1.0 s"),
        (
            "start → complete Pods pane",
            fmt(complete, " s"),
            f"{fmt(k_wall, ' s')} (all contexts at once)",
            f"{ratio(complete, k_wall)} (goal ≤ 0.25x)",
        ),
        ("kubectl get pods -A, first context alone", "", fmt(k1_wall, " s"), ""),
        ("CPU until complete", fmt(cpu, " s"), "", ""),
        ("RSS, bare platform (baseline)", fmt(base_rss, " MB", 0), "", ""),
        (
            "RSS with every pod / peak",
            f"{fmt(rss_loaded, ' MB', 0)} / {fmt(rss_peak, ' MB', 0)}",
            f"peak {fmt(k_rss, ' MB', 0)} (largest run)",
            f"{ratio(rss_peak, k_rss)} (goal: peak < 300 MB)",
        ),
        ("memory per pod over the baseline", fmt(per_pod, " B", 0), "", "goal < 2048 B"),
        (
            "apiserver: requests / MB served for the list",
            f"{req1 - req0} / {fmt((sent1 - sent0) / 2**20, ' MB', 1)}",
            f"{(req2 - req1) // runs} / {fmt((sent2 - sent1) / runs / 2**20, ' MB', 1)} per run",
            "",
        ),
    ]
    print_table("scale: start to a complete Pods pane", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
