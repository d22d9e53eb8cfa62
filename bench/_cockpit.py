"""What the cockpit benchmarks share: starting the cockpit and ``watch kubectl`` in a pty,
reading stamps off the screen, percentiles, the machine line and the printed table."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _pty import PtySession
from _world import World, stamp_age_ms

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 40)
"""Terminal size of every pty (columns, rows)."""

POD_HEADER = re.compile(rb"Pods  (\d+/\d+)")
"""The Pods pane's header: shown / loaded so far."""
POD_ROW = re.compile(rb"7d9f8c6b5-")
"""Any pod row (every fake pod's name has this ReplicaSet hash)."""
STAMP = re.compile(r"(?<![\w\-/.])(\d{7})(?![\w/])")
"""A seven-digit restart count on screen: a churn stamp (pod names have six-digit suffixes)."""


def cockpit(
    world: World, *args: str, env: dict[str, str] | None = None, keep_raw: bool = False
) -> PtySession:
    """``wundr-tui --context A --context B ... ARGS`` in a pty of SIZE."""
    argv = [sys.executable, "-m", "wundr_tui"]
    for name in world.names:
        argv += ["--context", name]
    # No user config, no SSH auto-detection: each run says which mode it measures.
    base = {**world.env, "WUNDR_TUI_CONFIG": os.devnull, "SSH_CONNECTION": ""}
    return PtySession(
        [*argv, *args], size=SIZE, env={**base, **(env or {})}, track=STAMP, keep_raw=keep_raw
    )


def watch_kubectl(world: World, interval: float = 2.0) -> PtySession:
    """``watch -n2 kubectl get pods -A`` (kubectl's current context: the first server)."""
    return PtySession(
        ["watch", "-n", f"{interval:g}", "kubectl", "get", "pods", "-A"],
        size=SIZE,
        env=world.env,
        track=STAMP,
    )


def wait_pods_complete(
    session: PtySession, expected: int, timeout: float
) -> tuple[float, float, int]:
    """Seconds from spawn until the first pod row is on screen, and until the header says
    every pod is loaded and shown; and the last count the header showed."""
    first = complete = float("nan")
    last = 0
    scanned = 0
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and complete != complete:
        if first != first:  # nan: not yet
            m, when = session.wait_for(POD_ROW, timeout=0.0)
            if m is not None:
                first = when - session.start
        end = session.offset()
        for counts, when in session.matches_since(POD_HEADER, max(scanned - 64, 0)):
            shown, total = (int(x) for x in counts.split(b"/"))
            last = total
            if shown >= expected and total >= expected and first == first:
                complete = when - session.start
                break
        scanned = end
        time.sleep(0.02)
    return first, complete, last


def stamp_latencies(session: PtySession, t0: float) -> list[float]:
    """Milliseconds from each churn stamp's change to its first appearance on the emulated
    screen, for changes made after perf_counter ``t0``."""
    offset = wall_offset()
    out = []
    for value, when in list(session.first_seen.items()):
        shown_ms = (when + offset) * 1000
        age = stamp_age_ms(int(value), shown_ms)
        if age < 60_000 and shown_ms - age >= (t0 + offset) * 1000 - 50:
            out.append(age)
    return sorted(out)


def wall_offset() -> float:
    """time.time() - perf_counter(): converts pty arrival times to wall-clock times."""
    return time.time() - time.perf_counter()


def pct(values: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values (nan when empty)."""
    if not values:
        return float("nan")
    return values[min(int(q * len(values)), len(values) - 1)]


def median(values: Sequence[float]) -> float:
    """Median (nan when empty)."""
    return statistics.median(values) if values else float("nan")


def kubectl_version() -> str:
    """kubectl's client version, one word."""
    try:
        out = subprocess.run(
            ["kubectl", "version", "--client", "-o", "json"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
        return str(__import__("json").loads(out)["clientVersion"]["gitVersion"])
    except Exception:
        return "unknown"


def machine() -> str:
    """One line: CPU, cores, memory, Python, kubectl."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f" {int(f.readline().split()[1]) / 2**20:.0f} GB RAM,"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} vCPU,{mem} {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, kubectl {kubectl_version()}"
    )


def print_table(title: str, rows: Sequence[tuple[str, str, str, str]]) -> None:
    """A Markdown table: measure | wundr-tui | comparison | ratio / goal."""
    print(f"\n### {title}\n")
    print(f"machine: {machine()}\n")
    head = ("measure", "wundr-tui", "kubectl", "ratio / goal")
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(4)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    sys.stdout.flush()


def fmt(value: float, unit: str = "", digits: int = 2) -> str:
    """A number with its unit, or n/a."""
    if value != value:  # nan
        return "n/a"
    return f"{value:.{digits}f}{unit}"


def ratio(a: float, b: float) -> str:
    """a / b as ``0.23x`` (n/a when either is missing)."""
    if a != a or b != b or b == 0:
        return "n/a"
    return f"{a / b:.3g}x"
