"""Keys under load: keypress-to-repaint latency while 200 pod events/s arrive, on the Pods pane
with 2 x 25,000 pods, in a real 120x40 pty.

Each round: ``1`` (Incident), ``2`` (Pods), ``/`` (filter prompt), the filter typed one key at
a time, Enter (keep it), ``/`` and Escape (clear it: every pod again). The clock runs from
writing the key to the pty until the cockpit has written the repaint that shows its effect
(the pane's header; for ``/``, the first repaint; the filter in the header; the footer back
after Enter; the full count again after Escape).

    .venv/bin/python bench/keys.py
    .venv/bin/python bench/keys.py --pods 200 --rounds 1
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
FILTER = "team-01"
"""What is typed into the filter (matches one namespace in twenty)."""


def press(session: PtySession, key: bytes, marker: bytes, timeout: float) -> float:
    """Milliseconds from writing ``key`` until ``marker`` is written (nan on timeout)."""
    after = session.offset()
    sent = session.send(key)
    m, when = session.wait_for(re.compile(marker), after=after, timeout=timeout)
    return (when - sent) * 1000 if m is not None else float("nan")


def main(argv: list[str] | None = None) -> int:
    """Run the scenario and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pods", type=int, default=25_000, help="pods per context")
    parser.add_argument("--contexts", type=int, default=2)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    expected = args.contexts * max(args.pods, PLATFORM_PODS)
    kinds: dict[str, list[float]] = {
        "switch pane (1, 2)": [],
        "open filter (/)": [],
        "type a filter key": [],
        "close filter (Enter)": [],
        "clear filter (Esc)": [],
    }
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
            world.churn(args.rate, 600, 100)
            full = f"Pods  {expected}/{expected}".encode()
            wait = 10.0
            for _ in range(args.rounds):
                kinds["switch pane (1, 2)"].append(press(session, b"1", b"Incident  ", wait))
                time.sleep(0.3)
                kinds["switch pane (1, 2)"].append(press(session, b"2", b"Pods  ", wait))
                time.sleep(0.3)
                kinds["open filter (/)"].append(press(session, b"/", rb"\S", wait))
                for i in range(1, len(FILTER) + 1):
                    marker = re.escape(f"/{FILTER[:i]}".encode()) + rb"(?![\w-])"
                    kinds["type a filter key"].append(
                        press(session, FILTER[i - 1].encode(), rb"\xc2\xb7 " + marker, wait)
                    )
                time.sleep(0.2)
                # Enter hides the prompt: the footer comes back.
                kinds["close filter (Enter)"].append(press(session, b"\r", rb"Quit", wait))
                time.sleep(0.2)
                press(session, b"/", rb"\S", wait)
                kinds["clear filter (Esc)"].append(press(session, b"\x1b", re.escape(full), wait))
                time.sleep(0.3)
        finally:
            session.close(b"q")

    every = sorted(v for values in kinds.values() for v in values if v == v)
    rows: list[tuple[str, str, str, str]] = [
        ("pods / contexts / events per s", f"{expected} / {args.contexts} / {args.rate:g}", "", "")
    ]
    for name, values in kinds.items():
        missed = sum(1 for v in values if v != v)
        values = sorted(v for v in values if v == v)
        note = f" ({missed} missed)" if missed else ""
        rows.append(
            (
                f"{name}: p50 / p95",
                f"{fmt(pct(values, 0.5), ' ms', 0)} / {fmt(pct(values, 0.95), ' ms', 0)}{note}",
                "",
                "",
            )
        )
    rows.append(
        (
            "every key: p50 / p95",
            f"{fmt(pct(every, 0.5), ' ms', 0)} / {fmt(pct(every, 0.95), ' ms', 0)}",
            "",
            "goal p95 < 100 ms",
        )
    )
    print_table("keys under load: keypress to repaint during churn", rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
