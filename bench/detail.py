"""Detail view: Enter on a pod row until its detail view (with the last termination read
from the apiserver) and its events box are on screen, in a real 120x40 pty against the test
apiserver, beside the time to switch panes (1, 2) measured in the same run as the baseline.

Each round: ``2`` (Pods, the crash-looping pod under the cursor by a filter), Enter (the
clock runs until the cockpit has written both "last termination" — the whole object was read
over HTTP — and the events box), Escape (back: the Pods header again), then ``1`` and ``2``.

    .venv/bin/python bench/detail.py
    .venv/bin/python bench/detail.py --pods 200 --rounds 2
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _cockpit import cockpit, fmt, pct, print_table, wait_pods_complete
from _pty import PtySession
from _world import World

PLATFORM_PODS = 16
CRASHING = "payments-green-7d9f8c6b5-00001"
"""The fake platform's crash-looping pod (its last termination is in its status)."""


def press(session: PtySession, key: bytes, markers: list[bytes], timeout: float) -> float:
    """Milliseconds from writing ``key`` until every marker has been written (nan on timeout)."""
    after = session.offset()
    sent = session.send(key)
    last = sent
    for marker in markers:
        m, when = session.wait_for(re.compile(marker), after=after, timeout=timeout)
        if m is None:
            return float("nan")
        last = max(last, when)
    return (last - sent) * 1000


def main(argv: list[str] | None = None) -> int:
    """Run the scenario and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pods", type=int, default=5_000, help="pods per context")
    parser.add_argument("--contexts", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    expected = args.contexts * max(args.pods, PLATFORM_PODS)
    opened: list[float] = []
    back: list[float] = []
    switch: list[float] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        World(Path(tmp), pods=args.pods, contexts=args.contexts) as world,
    ):
        session = cockpit(world)
        try:
            session.send(b"2")
            _, complete, last = wait_pods_complete(session, expected, args.timeout)
            if complete != complete:
                print(f"! the cockpit showed {last} of {expected} pods", file=sys.stderr)
            time.sleep(1.0)
            # The filter puts the crashing pod (one per context) on the first row.
            session.send(b"/" + CRASHING.encode() + b"\r")
            time.sleep(1.0)
            wait = 10.0
            for _ in range(args.rounds):
                opened.append(press(session, b"\r", [rb"last termination", rb"Events"], wait))
                time.sleep(0.5)
                back.append(press(session, b"\x1b", [rb"Pods  "], wait))
                time.sleep(0.3)
                switch.append(press(session, b"1", [rb"Incident  "], wait))
                time.sleep(0.3)
                switch.append(press(session, b"2", [rb"Pods  "], wait))
                time.sleep(0.3)
        finally:
            session.close(b"q")

    def row(name: str, values: list[float], goal: str = "") -> tuple[str, str, str, str]:
        missed = sum(1 for v in values if v != v)
        ok = sorted(v for v in values if v == v)
        note = f" ({missed} missed)" if missed else ""
        p50, p95 = pct(ok, 0.5), pct(ok, 0.95)
        return (
            f"{name}: p50 / p95",
            f"{fmt(p50, ' ms', 0)} / {fmt(p95, ' ms', 0)}{note}",
            "",
            goal,
        )

    open_p95 = pct(sorted(v for v in opened if v == v), 0.95)
    switch_p95 = pct(sorted(v for v in switch if v == v), 0.95)
    rows = [
        ("pods / contexts / rounds", f"{expected} / {args.contexts} / {args.rounds}", "", ""),
        row("Enter → detail + last termination + events", opened, "goal p95 < 300 ms"),
        row("Esc → back to Pods", back),
        row("baseline: switch pane (1, 2)", switch),
        (
            "detail p95 / switch p95",
            f"{open_p95 / switch_p95:.2f}x" if switch_p95 == switch_p95 and switch_p95 else "-",
            "",
            "",
        ),
    ]
    print_table("detail view: Enter to the pod's facts and events on screen", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
