"""Logs under load: a group of 50 pods x 2 clusters writing 10,000 numbered lines/s in all,
followed by the cockpit in a real 120x40 pty and by ``kubectl logs -f`` on the same servers.

The cockpit reaches the group as a user does: an Alertmanager (a loopback fake) fires
``LogBenchErrors`` for ``service=logbench``; on the Incident pane, ``/LogBench`` Enter, then
``l``: every pod whose Deployment has ``app=logbench``, on both clusters. Measured, from the
pty only (what reached the screen) and the file ``w`` writes (what reached the buffer):

- first lines: from writing ``l`` to the first numbered line on screen;
- line -> screen: each line's write time (``t=`` epoch ms, stamped by the generator) to the
  first read holding it on screen (every line a frame shows; p50 / p95);
- cockpit CPU (% of one core) over the steady part, RSS when ``l`` is pressed, once the
  100,000-line ring is full, and over the run (flat: the last sample against the first full);
- keys while streaming: space (header says PAUSED) and f (says following), p95; the same keys
  once the generator has stopped (the same screen, nothing streaming) are the baseline;
- search: Enter on ``/503`` (exact path) and on ``/orders/99`` (any case) to the
  header's match count, over a full ring; and ``LogRing.search`` itself in-process;
- loss / duplicates: after the generator stops, ``w`` writes the ring; per stream the ``seq``
  numbers there must run without a gap or a repeat up to the generator's last line.

kubectl gets the same load (one ``kubectl logs -f -l app=logbench --prefix
--max-log-requests 50 --all-containers`` per context, as kubectl follows one context): CPU,
RSS, line latency (read from its stdout pipe), gaps and repeats.

    .venv/bin/python bench/logs.py                 # ~60 s of streaming, then ~30 s of kubectl
    .venv/bin/python bench/logs.py --minutes 5     # memory flat over five minutes
    .venv/bin/python bench/logs.py --seconds 120 --keys 60   # more keys for their p95
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _cockpit import ROOT, SIZE, fmt, pct, print_table, ratio, wall_offset
from _pty import PtySession, proc_cpu_seconds, proc_rss_mb
from _world import LOG_NS, World

sys.path.insert(0, str(ROOT))

PODS = 50
"""Pods of the group per cluster."""
LINE = re.compile(rb"(\S+ logbench-\w+-\d+/app) seq=(\d{8}) t=(\d{13})")
"""A numbered line on screen: its prefix (stream), sequence number and write time."""
KUBECTL_LINE = re.compile(rb"^\[pod/(logbench-\w+-\d+)/app\] seq=(\d{8}) t=(\d{13})")
FILE_LINE = re.compile(r"^\S+ (\S+) (logbench-\w+-\d+/app) seq=(\d{8}) t=\d{13}")


class FakeAlertmanager:
    """``/api/v2/alerts/groups`` on loopback: one firing alert naming the group's service."""

    def __init__(self) -> None:
        body = json.dumps(
            [
                {
                    "labels": {"alertname": "LogBenchErrors"},
                    "alerts": [
                        {
                            "fingerprint": "0000logbench",
                            "labels": {
                                "alertname": "LogBenchErrors",
                                "severity": "critical",
                                "namespace": LOG_NS,
                                "service": "logbench",
                            },
                            "annotations": {"summary": "bench: 5xx from logbench"},
                            "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
                            "startsAt": "2025-11-25T00:00:00Z",
                        }
                    ],
                }
            ]
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                data = body if self.path.startswith("/api/v2/alerts") else b"[]"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


def press(session: PtySession, key: bytes, marker: bytes, timeout: float = 10.0) -> float:
    """Milliseconds from writing ``key`` until ``marker`` is written (nan on timeout)."""
    after = session.offset()
    sent = session.send(key)
    m, when = session.wait_for(re.compile(marker), after=after, timeout=timeout)
    return (when - sent) * 1000 if m is not None else float("nan")


class ScreenLines:
    """Numbered lines read off the pty as they arrive: first sight of each (stream, seq)."""

    def __init__(self, session: PtySession) -> None:
        self.session = session
        self.scanned = session.offset()
        self.first: dict[tuple[bytes, int], float] = {}
        """(stream, seq) → perf_counter when the screen first showed it."""
        self.latency_ms: list[float] = []
        self.counting = True
        """Latencies are kept only while following (a paused view shows old lines)."""

    def scan(self) -> None:
        """Read what arrived since the last scan."""
        end = self.session.offset()
        offset = wall_offset()
        for group, when in self.session.matches_since(
            re.compile(rb"(\S+ logbench-\w+-\d+/app seq=\d{8} t=\d{13})"),
            max(self.scanned - 200, 0),
        ):
            m = LINE.match(group)
            if m is None:
                continue
            key = (m.group(1), int(m.group(2)))
            if key in self.first:
                continue
            self.first[key] = when
            if self.counting:
                self.latency_ms.append((when + offset) * 1000 - int(m.group(3)))
        self.scanned = end


def check_file(path: Path, totals: dict[str, dict[str, int]]) -> tuple[int, int, int, int]:
    """(lines, streams, gaps, repeats) in what ``w`` wrote: per stream the seq numbers must
    run one by one and end at the generator's last line."""
    seqs: dict[tuple[str, str], list[int]] = {}
    lines = 0
    for text in path.read_text(errors="replace").splitlines():
        lines += 1
        m = FILE_LINE.match(text)
        if m:
            seqs.setdefault((m.group(1), m.group(2)), []).append(int(m.group(3)))
    gaps = repeats = 0
    for (cluster, stream), got in seqs.items():
        ordered = sorted(got)
        repeats += len(ordered) - len(set(ordered))
        unique = sorted(set(ordered))
        gaps += (unique[-1] - unique[0] + 1) - len(unique)
        last = totals.get(cluster, {}).get(stream, unique[-1])
        gaps += last - unique[-1]  # lines written after the last one that arrived
    return lines, len(seqs), gaps, repeats


def ring_search_ms(needles: Iterable[str]) -> dict[str, float]:
    """``LogRing.search`` over 100,000 bench-shaped lines, best of 5, in-process."""
    from wundr_tui.logbuf import LogLine, LogRing, LogSource

    ring = LogRing(100_000)
    sources = [LogSource("bench-eks", LOG_NS, f"logbench-aws-{i:02d}", "app") for i in range(50)]
    ring.extend(
        LogLine(
            n,
            n / 10_000,
            sources[n % 50],
            f"seq={n // 50:08d} t={1764080000000 + n // 10} GET /api/v1/orders/{n % 997} 200 12ms",
        )
        for n in range(120_000)
    )
    out = {}
    for needle in needles:
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            ring.search(needle)
            best = min(best, time.perf_counter() - t0)
        out[needle] = best * 1000
    return out


def run_kubectl(world: World, seconds: float, rate: float) -> dict[str, float]:
    """kubectl logs -f per context under the same load: CPU, RSS, latency, gaps, repeats."""
    base = world.log_totals()  # a new generator numbers from 1 again after these
    world.logs(rate, seconds + 5)
    time.sleep(1.0)
    procs = []
    for name in world.names:
        procs.append(
            subprocess.Popen(
                [
                    "kubectl",
                    "--context",
                    name,
                    "logs",
                    "-f",
                    "-n",
                    LOG_NS,
                    "-l",
                    "app=logbench",
                    "--prefix",
                    "--max-log-requests",
                    "50",
                    "--all-containers",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, **world.env},
            )
        )
    latency: list[float] = []
    seqs: dict[tuple[str, bytes], list[int]] = {}
    lock = threading.Lock()

    def read(ctx: str, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            now_ms = time.time() * 1000
            m = KUBECTL_LINE.match(raw)
            if m is None:
                continue
            with lock:
                latency.append(now_ms - int(m.group(3)))
                seqs.setdefault((ctx, m.group(1)), []).append(int(m.group(2)))

    readers = [
        threading.Thread(target=read, args=(n, p), daemon=True)
        for n, p in zip(world.names, procs, strict=True)
    ]
    for t in readers:
        t.start()
    time.sleep(5.0)  # every stream open, tails read
    cpu0 = sum(proc_cpu_seconds(p.pid) for p in procs)
    t0 = time.perf_counter()
    with lock:
        skip = len(latency)
    rss = []
    while time.perf_counter() - t0 < seconds - 5:
        time.sleep(2.0)
        rss.append(sum(proc_rss_mb(p.pid)[0] for p in procs))
    cpu = (sum(proc_cpu_seconds(p.pid) for p in procs) - cpu0) / (time.perf_counter() - t0)
    time.sleep(6.0)  # the generator stops; the last lines drain
    totals = world.log_totals()
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(10)
    gaps = repeats = 0
    for (ctx, pod), got in seqs.items():
        unique = sorted(set(got))
        repeats += len(got) - len(unique)
        gaps += (unique[-1] - unique[0] + 1) - len(unique)
        stream = f"{pod.decode()}/app"
        last = totals[ctx].get(stream, unique[-1]) - base[ctx].get(stream, 0)
        gaps += last - unique[-1]
    with lock:
        steady = sorted(latency[skip:])
    return {
        "cpu": cpu * 100,
        "rss": max(rss) if rss else float("nan"),
        "p50": pct(steady, 0.5),
        "p95": pct(steady, 0.95),
        "gaps": gaps,
        "repeats": repeats,
        "streams": len(seqs),
        "lines": sum(len(v) for v in seqs.values()),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the scenario and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rate", type=float, default=10_000.0, help="lines per second in all")
    parser.add_argument("--seconds", type=float, default=60.0, help="cockpit streaming time")
    parser.add_argument("--minutes", type=float, default=0.0, help="streaming time in minutes")
    parser.add_argument("--kubectl-seconds", type=float, default=30.0)
    parser.add_argument("--pods", type=int, default=PODS, help="pods of the group per cluster")
    parser.add_argument(
        "--keys", type=int, default=20, help="keys pressed while streaming (one pair per 3 s)"
    )
    parser.add_argument(
        "--quiet-keys", type=int, default=20, help="the same keys once nothing streams"
    )
    args = parser.parse_args(argv)
    seconds = args.minutes * 60 if args.minutes else args.seconds
    per_container = args.rate / (2 * args.pods)
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        alerts = FakeAlertmanager()
        world = World(tmp, pods=0, contexts=2, log_pods=args.pods)
        try:
            config = tmp / "config.toml"
            config.write_text(
                f'[[clusters]]\ncontext = "{world.names[0]}"\nalertmanager = "{alerts.url}"\n\n'
                f'[[clusters]]\ncontext = "{world.names[1]}"\n'
            )
            state = tmp / "state"
            # No screen emulation (pyte) in this process: at 10,000 lines/s it would take a
            # core from the machine the cockpit is measured on. The byte stream is enough.
            session = PtySession(
                [sys.executable, "-m", "wundr_tui"],
                size=SIZE,
                env={
                    **world.env,
                    "WUNDR_TUI_CONFIG": str(config),
                    "XDG_STATE_HOME": str(state),
                    "SSH_CONNECTION": "",
                },
            )
            try:
                figures = drive(
                    session, world, seconds, per_container, state, args.keys, args.quiet_keys
                )
            finally:
                session.close(b"\x1b\x1b\x1bq")
            kube = run_kubectl(world, args.kubectl_seconds, per_container)
        finally:
            world.close()
            alerts.close()
    search = ring_search_ms(["503", "get /api/v1/orders/99", "GET /api/v1/orders/99"])
    load1 = os.getloadavg()
    rows: list[tuple[str, str, str, str]] = [
        (
            "pods x clusters / lines per s / streaming",
            f"{args.pods} x 2 / {args.rate:g} / {seconds:g} s",
            f"same / {args.kubectl_seconds:g} s",
            "",
        ),
        ("first lines on screen after l", fmt(figures["first"], " ms", 0), "", "goal < 500 ms"),
        (
            "line -> screen p50 / p95",
            f"{fmt(figures['p50'], ' ms', 0)} / {fmt(figures['p95'], ' ms', 0)}",
            f"{fmt(kube['p50'], ' ms', 0)} / {fmt(kube['p95'], ' ms', 0)} (pipe)",
            f"goal p95 < 300 ms; {ratio(figures['p95'], kube['p95'])}",
        ),
        (
            "CPU, % of one core (from 5 s after l)",
            fmt(figures["cpu"], " %", 1),
            fmt(kube["cpu"], " %", 1),
            f"goal < 50 %; {ratio(figures['cpu'], kube['cpu'])}",
        ),
        (
            "RSS at l / ring full / end (MB)",
            f"{fmt(figures['rss_l'], '', 1)} / {fmt(figures['rss_full'], '', 1)} / "
            f"{fmt(figures['rss_end'], '', 1)}",
            f"max {fmt(kube['rss'], '', 1)}",
            "goal < 60 MB for the ring, flat",
        ),
        (
            "RSS from ring full to end, every 10% of the run (MB)",
            " ".join(fmt(v, "", 0) for v in figures["rss_samples"]),
            "",
            f"flat: {fmt(figures['rss_slope'], ' MB/min', 2)} after full",
        ),
        (
            "ring full: lines / dropped by the view",
            f"{figures['ring']:,} / {figures['dropped']}",
            "",
            "",
        ),
        (
            "written file: lines / streams / gaps / repeats",
            f"{figures['lines']:,} / {figures['streams']} / {figures['gaps']} / "
            f"{figures['repeats']}",
            f"{kube['lines']:,.0f} / {kube['streams']:.0f} / {kube['gaps']:.0f} / "
            f"{kube['repeats']:.0f} (stdout)",
            "goal 0 gaps, 0 repeats",
        ),
        (
            "keys while streaming (space, f): p50 / p95",
            f"{fmt(pct(figures['keys'], 0.5), ' ms', 0)} / "
            f"{fmt(pct(figures['keys'], 0.95), ' ms', 0)} ({len(figures['keys'])} keys)",
            "",
            "goal p95 < 100 ms",
        ),
        (
            "the same keys, nothing streaming: p50 / p95",
            f"{fmt(pct(figures['quiet_keys'], 0.5), ' ms', 0)} / "
            f"{fmt(pct(figures['quiet_keys'], 0.95), ' ms', 0)} "
            f"({len(figures['quiet_keys'])} keys)",
            "",
            "streaming / quiet p95: "
            + ratio(pct(figures["keys"], 0.95), pct(figures["quiet_keys"], 0.95)),
        ),
        (
            "search /503, Enter to match count (100,000 lines)",
            fmt(figures["search_exact"], " ms", 0),
            "",
            "goal < 100 ms",
        ),
        (
            "search /orders/99 (any case)",
            fmt(figures["search_fold"], " ms", 0),
            "",
            "goal < 100 ms",
        ),
        (
            "LogRing.search in-process: 503 / any case / exact",
            " / ".join(fmt(v, " ms", 1) for v in search.values()),
            "",
            "",
        ),
        (
            "load average (1 min) before / after",
            f"{load0[0]:.2f} / {load1[0]:.2f}",
            "",
            "",
        ),
    ]
    print_table("logs: 50 pods x 2 clusters at 10,000 lines/s", rows)
    return 0


def drive(
    session: PtySession,
    world: World,
    seconds: float,
    rate: float,
    state: Path,
    key_count: int = 20,
    quiet_count: int = 20,
) -> dict[str, float | int | list[float]]:
    """The cockpit's part of the run."""
    m, _ = session.wait_for(re.compile(rb"LogBenchErrors"), timeout=60)
    if m is None:
        raise SystemExit("the alert never showed on the Incident pane")
    time.sleep(1.0)
    session.send(b"/")
    time.sleep(0.3)
    session.send(b"LogBench")
    time.sleep(0.3)
    session.send(b"\r")
    time.sleep(1.0)
    world.logs(rate, seconds + 20)
    time.sleep(2.0)  # every container has lines: the tail has something to show
    pid = session.pid
    rss_l = proc_rss_mb(pid)[0]
    after = session.offset()
    sent = session.send(b"l")
    m, when = session.wait_for(re.compile(rb"seq=\d{8} t=\d{13}"), after=after, timeout=10)
    first = (when - sent) * 1000 if m is not None else float("nan")
    lines = ScreenLines(session)
    start = time.perf_counter()
    full_at = float("nan")
    rss_full = rss_end = float("nan")
    cpu0 = wall0 = float("nan")
    keys: list[float] = []
    # No space before the count: the header repaints only the characters that changed, and
    # the space before "100000 lines" had not.
    ring = re.compile(rb"(\d+) lines")
    searched = False
    search_exact = search_fold = float("nan")
    rss_seen: list[tuple[float, float]] = []
    """(seconds since l, RSS MB) every second once the ring is full."""
    while time.perf_counter() - start < seconds:
        time.sleep(0.5)
        lines.scan()
        elapsed = time.perf_counter() - start
        if full_at != full_at:
            shown = [
                int(g) for g, _ in session.matches_since(ring, max(session.offset() - 20_000, 0))
            ]
            if shown and max(shown) >= 100_000:
                full_at = elapsed
                rss_full = proc_rss_mb(pid)[0]
        if full_at == full_at and (not rss_seen or elapsed - rss_seen[-1][0] >= 1.0):
            rss_seen.append((elapsed, proc_rss_mb(pid)[0]))
        if elapsed > 20 and len(keys) < key_count and int(elapsed * 2) % 6 == 0:
            lines.scan()
            lines.counting = False
            keys.append(press(session, b" ", rb"PAUSED"))
            time.sleep(0.3)
            keys.append(press(session, b"f", rb"following"))
            lines.scan()
            lines.counting = True
        if cpu0 != cpu0 and elapsed > 5:
            cpu0, wall0 = proc_cpu_seconds(pid), time.perf_counter()
        if not searched and elapsed > seconds * 0.7:
            searched = True
            lines.counting = False
            search_exact = search(session, "503")
            search_fold = search(session, "orders/99")  # short: the header cuts a long one
            lines.scan()
            lines.counting = True
    cpu = (proc_cpu_seconds(pid) - cpu0) / (time.perf_counter() - wall0) * 100
    rss_end = proc_rss_mb(pid)[0]
    lines.scan()
    time.sleep(22.0)  # the generator ends (seconds + 20 after it began); the last lines land
    totals = world.log_totals()
    quiet: list[float] = []
    while len(quiet) < quiet_count:  # the baseline: the same keys, the same screen, no stream
        quiet.append(press(session, b" ", rb"PAUSED"))
        time.sleep(0.3)
        quiet.append(press(session, b"f", rb"following"))
        time.sleep(0.5)
    notes = session.offset()
    dropped_seen = session.matches_since(
        re.compile(rb"(\d+) lines dropped"), max(notes - 400_000, 0)
    )
    session.send(b"w")
    time.sleep(0.8)
    session.send(b"\r")
    written: list[Path] = []
    for _ in range(100):
        time.sleep(0.2)
        written = sorted((state / "wundr-tui" / "logs").glob("*.log"))
        if written and session.wait_for(re.compile(rb"wrote \d+ lines"), after=notes, timeout=0)[0]:
            break
    if not written:
        raise SystemExit("w wrote no file")
    count, streams, gaps, repeats = check_file(written[-1], totals)
    latency = sorted(lines.latency_ms)
    samples: list[float] = []
    slope = float("nan")
    if rss_seen:
        step = max(len(rss_seen) // 10, 1)
        samples = [rss for _, rss in rss_seen[::step]]
        if rss_seen[-1] is not rss_seen[::step][-1]:
            samples.append(rss_seen[-1][1])
        (t0, r0), (t1, r1) = rss_seen[0], rss_seen[-1]
        slope = (r1 - r0) / (t1 - t0) * 60 if t1 > t0 else float("nan")
    return {
        "first": first,
        "p50": pct(latency, 0.5),
        "p95": pct(latency, 0.95),
        "cpu": cpu,
        "rss_l": rss_l,
        "rss_full": rss_full,
        "rss_end": rss_end,
        "ring": min(count, 100_000),
        "dropped": max((int(g) for g, _ in dropped_seen), default=0),
        "lines": count,
        "streams": streams,
        "gaps": gaps,
        "repeats": repeats,
        "keys": sorted(k for k in keys if k == k),
        "quiet_keys": sorted(k for k in quiet if k == k),
        "rss_samples": samples,
        "rss_slope": slope,
        "search_exact": search_exact,
        "search_fold": search_fold,
    }


def search(session: PtySession, needle: str) -> float:
    """``/needle`` then Enter: ms from Enter to the header's ``/needle i/n``; then Esc and
    End (following again)."""
    session.send(b"/")
    time.sleep(0.4)
    session.send(needle.encode())
    time.sleep(0.4)
    took = press(session, b"\r", re.escape(f"/{needle} ".encode()) + rb"\d+/\d+")
    time.sleep(0.5)
    session.send(b"\x1b")
    time.sleep(0.3)
    session.send(b"G")
    time.sleep(0.5)
    return took


if __name__ == "__main__":
    raise SystemExit(main())
