"""Fake apiservers for the cockpit benchmarks, each in its own process, with a byte counter.

Each server holds ``--pods`` pods, ``--hpas`` HPAs and ``--nodes`` nodes built by
``tests.fakes.k8s_objects`` (the same objects the tests use), listens on 127.0.0.1 (a free
port) and answers commands on stdin, one per line:

* ``churn RATE SECONDS SHARE`` — change RATE pods per second for SECONDS; one change in SHARE
  (at random) goes to one of the first ``VISIBLE`` pods in ``kubectl get pods -A`` order (the rows a
  120x40 screen shows), the rest to pods spread over the whole list; SHARE -1 spreads every
  change over every pod alike (what a real cluster's churn looks like). Each change stores the
  send time (milliseconds mod 10^7, seven digits) as the pod's restart count, so a reader of
  the screen can tell how old the value it sees is.
* ``logs RATE SECONDS`` — with ``--log-pods N``: write RATE numbered lines per second into each
  of the N pods of Deployment ``logbench`` (namespace ``bench-logs``, ``app=logbench``) for
  SECONDS (``tests.fakes.pod_logs``: ``seq=00000042 t=<epoch ms> GET …``).
* ``logtotals`` — one JSON line: lines written so far per ``pod/container``.
* ``stats`` — one JSON line: requests answered and bytes written to clients so far.
* ``quit`` — stop.

The servers compress as kube-apiserver does (``APIResponseCompression``, on by default): an
answer over 128 KiB is gzipped for a client that sends ``Accept-Encoding: gzip`` (kubectl always
does; the cockpit does on lists), and the bytes counted are the compressed ones that went on the
socket; watch streams are never compressed. ``WUNDR_BENCH_APISERVER_GZIP=0`` turns that off
(the gate off, or every client with ``--disable-compression``), to compare.

Each server answers in a profile (``tests/fakes/server_profile.py``, ``--profile``):
``calibrated`` holds each list page and paces the watch-list stream to what a real
kube-apiserver v1.36.2 took on this machine kind, and sends bookmarks as its watch cache does;
``fast`` answers as soon as the answer is built (what the tests use). The benches that time a
list against kubectl or the first rows (scale.py, churn.py, kube_bench.py, wire.py) use
``calibrated`` unless told ``--fake-profile fast``, and print which one they used.

Used as a module by the bench scripts (``World``), as a script by ``World`` itself.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.server_profile import PROFILES  # noqa: E402

VISIBLE = 24
"""Pods at the top of the list: on screen in the cockpit's Pods pane and in ``watch``."""

LOG_NS = "bench-logs"
"""Namespace of the ``--log-pods`` pods."""

STAMP_MOD = 9_000_000
"""Stamps are ``1,000,000 + ms % STAMP_MOD``: always seven digits, which fit the RESTARTS
column (width 8) and cannot be mistaken for a pod name's six-digit suffix."""


def stamp_now() -> int:
    """The current stamp."""
    return 1_000_000 + int(time.time() * 1000) % STAMP_MOD


def stamp_age_ms(stamp: int, now_ms: float) -> float:
    """How many ms before wall-clock time ``now_ms`` a stamp was made."""
    return (now_ms % STAMP_MOD - (stamp - 1_000_000)) % STAMP_MOD


class _CountingWriter:
    """Wraps a handler's wfile and counts what it writes."""

    def __init__(self, inner: Any, counter: list[int]) -> None:
        self._inner = inner
        self._counter = counter

    def write(self, data: bytes) -> int:
        self._counter[0] += len(data)
        return int(self._inner.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def serve(argv: list[str] | None = None) -> int:
    """Run one server until ``quit`` (or stdin closes); print its URL first."""
    import orjson

    from tests.fakes import apiserver
    from tests.fakes.k8s_objects import deployment, hpa, node, platform, pod, stored_bench_pod

    parser = argparse.ArgumentParser()
    parser.add_argument("--pods", type=int, default=25_000)
    parser.add_argument("--hpas", type=int, default=0)
    parser.add_argument("--nodes", type=int, default=0)
    parser.add_argument("--cloud", default="aws")
    parser.add_argument("--bookmark", type=float, default=60.0)
    parser.add_argument("--no-gzip", action="store_true", help="never compress answers")
    parser.add_argument("--log-pods", type=int, default=0, help="pods of Deployment logbench")
    parser.add_argument("--profile", choices=list(PROFILES), default="fast")
    parser.add_argument(
        "--shape",
        choices=("platform", "bench"),
        default="platform",
        help="platform: the test platform's pods; bench: only --pods pods shaped as"
        " bench/real_apiserver.py makes them (two namespaces), to compare with it",
    )
    args = parser.parse_args(argv)

    if args.shape == "bench":
        half = args.pods // 2
        objects = {
            "pods": [
                stored_bench_pod(ns, f"web-7d9f8c6b5-{i:06d}")
                for ns in ("shop", "payments")
                for i in range(half if ns == "shop" else args.pods - half)
            ],
            **{p: [] for p in ("deployments", "horizontalpodautoscalers", "nodes")},
        }
    else:
        objects = platform(args.cloud, pods=args.pods)
    for i in range(max(args.hpas - len(objects["horizontalpodautoscalers"]), 0)):
        ns = f"team-{i % 20:02d}"
        objects["horizontalpodautoscalers"].append(
            hpa(ns, f"worker-{i:04d}", target=f"worker-{i % 500:03d}", current=3, desired=3)
        )
    for i in range(max(args.nodes - len(objects["nodes"]), 0)):
        objects["nodes"].append(node(f"worker-node-{i:04d}", pool="general", cloud=args.cloud))
    log_pods = [f"logbench-{args.cloud}-{i:02d}" for i in range(args.log_pods)]
    if log_pods:
        objects["deployments"].append(deployment(LOG_NS, "logbench", replicas=len(log_pods)))
        objects["pods"].extend(pod(LOG_NS, name, owner="logbench") for name in log_pods)

    counter = [0]
    original_setup = apiserver._Handler.setup

    def setup(handler: Any) -> None:
        original_setup(handler)
        handler.wfile = _CountingWriter(handler.wfile, counter)

    original_handle = apiserver._Handler._handle

    def handle(handler: Any, method: str) -> None:
        # kubectl will not send a bearer token over plain http; the cockpit does. Anonymous
        # requests count as the token's, so both read the same server the same way.
        if "Authorization" not in handler.headers:
            handler.headers["Authorization"] = "Bearer test-token"
        original_handle(handler, method)

    apiserver._Handler.setup = setup  # type: ignore[method-assign]
    apiserver._Handler._handle = handle  # type: ignore[method-assign]
    # Real apiservers send a watch bookmark about once a minute; the test default (1 s)
    # would make an idle cockpit look busier than it is.
    server = apiserver.FakeApiServer(
        objects,
        bookmark_seconds=args.bookmark,
        max_watch_seconds=600,
        compression=not args.no_gzip,
        profile=PROFILES[args.profile],
    ).start()
    state = server.state
    keys = list(state.keys("pods"))
    visible = keys[:VISIBLE]
    spread = keys[VISIBLE:] or keys
    churns: list[threading.Thread] = []

    def churn(rate: float, seconds: float, share: int) -> None:
        # Which change goes on screen is random, not every SHARE-th: a fixed cadence would
        # lock to the cockpit's frame timer and make every latency sample the same.
        rng = random.Random(f"{rate} {seconds} {share}")
        start = time.monotonic()
        n = 0
        while not server.stopping.is_set():
            now = time.monotonic()
            if now - start >= seconds:
                return
            due = start + n / rate
            if due > now:
                time.sleep(min(due - now, 0.05))
                continue
            if share < 0:  # uniform: every pod alike, the ones on screen included
                key = keys[(n * 7919) % len(keys)]
            elif share and rng.random() < 1 / share:
                key = visible[rng.randrange(len(visible))]
            else:
                key = spread[(n * 7919) % len(spread)]
            with state.lock:
                data = state.objects["pods"].get(key)
            if data is not None:
                obj = orjson.loads(data)
                statuses = obj.get("status", {}).get("containerStatuses") or []
                for i, cs in enumerate(statuses):
                    cs["restartCount"] = 0 if i else stamp_now()
                state.put("pods", obj)
            n += 1

    print(server.url, flush=True)
    try:
        for line in sys.stdin:
            words = line.split()
            if not words:
                continue
            if words[0] == "churn":
                t = threading.Thread(
                    target=churn,
                    args=(float(words[1]), float(words[2]), int(words[3])),
                    daemon=True,
                )
                t.start()
                churns.append(t)
                print("ok", flush=True)
            elif words[0] == "logs":
                server.pod_logs.generate(
                    [(LOG_NS, name, "app") for name in log_pods],
                    float(words[1]),
                    float(words[2]),
                    server.stopping,
                )
                print("ok", flush=True)
            elif words[0] == "logtotals":
                totals = {
                    f"{name}/app": log.total
                    for (ns, name, _c, prev), log in list(server.pod_logs.logs.items())
                    if ns == LOG_NS and not prev
                }
                print(json.dumps(totals), flush=True)
            elif words[0] == "stats":
                print(json.dumps({"requests": len(server.log), "bytes": counter[0]}), flush=True)
            elif words[0] == "quit":
                break
    finally:
        server.stopping.set()
        for t in churns:
            t.join(2)
        server.stop()
    return 0


class World:
    """Fake apiservers (one per context) in subprocesses, and a kubeconfig naming them.

    Context names are neither EKS ARNs nor GKE names, so the cockpit starts no cloud source
    (no call leaves the machine); the first one is kubectl's current context.
    """

    def __init__(
        self,
        tmp: Path,
        *,
        pods: int,
        contexts: int = 2,
        hpas: int = 0,
        nodes: int = 0,
        log_pods: int = 0,
        profile: str = "fast",
        shape: str = "platform",
    ) -> None:
        from tests.fakes.apiserver import write_kubeconfig

        self.profile = profile
        """The servers' profile name (``fast`` / ``calibrated``, tests/fakes/server_profile.py)."""

        self.procs: list[subprocess.Popen[str]] = []
        self.names = [f"bench-{c}" for c in ("eks", "gke", "c", "d")[:contexts]]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        gzip_off = os.environ.get("WUNDR_BENCH_APISERVER_GZIP", "1") == "0"

        def start(i: int) -> tuple[subprocess.Popen[str], str]:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    str(Path(__file__)),
                    "--pods",
                    str(pods),
                    "--hpas",
                    str(hpas // max(contexts, 1)),
                    "--nodes",
                    str(nodes // max(contexts, 1)),
                    "--cloud",
                    "aws" if i % 2 == 0 else "gcp",
                    *(["--no-gzip"] if gzip_off else []),
                    *(["--log-pods", str(log_pods)] if log_pods else []),
                    "--profile",
                    profile,
                    "--shape",
                    shape,
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
                env=env,
            )
            assert proc.stdout is not None
            return proc, proc.stdout.readline().strip()

        with ThreadPoolExecutor(contexts) as pool:
            started = list(pool.map(start, range(contexts)))
        self.procs = [p for p, _ in started]
        urls = [u for _, u in started]
        self.urls = urls
        """Each server's base URL, in context order."""
        if not all(u.startswith("http") for u in urls):
            self.close()
            raise SystemExit(f"fake apiserver did not start: {urls!r}")
        tmp.mkdir(parents=True, exist_ok=True)
        self.kubeconfig = write_kubeconfig(
            tmp / "kubeconfig",
            {n: (u, "test-token") for n, u in zip(self.names, urls, strict=True)},
        )
        self.env = {"KUBECONFIG": str(self.kubeconfig)}
        """What a child process needs to reach these servers."""

    def _ask(self, proc: subprocess.Popen[str], line: str) -> str:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        return proc.stdout.readline().strip()

    def churn(self, rate: float, seconds: float, share: int = 10) -> None:
        """``rate`` pod changes per second in total for ``seconds``; the first server sends
        one in ``share`` of its changes to a pod on screen (0: none)."""
        per = rate / len(self.procs)
        for i, proc in enumerate(self.procs):
            self._ask(proc, f"churn {per} {seconds} {share if i == 0 else 0}")

    def logs(self, rate: float, seconds: float) -> None:
        """Every ``--log-pods`` pod of every server writes ``rate`` lines per second."""
        for proc in self.procs:
            self._ask(proc, f"logs {rate} {seconds}")

    def log_totals(self) -> dict[str, dict[str, int]]:
        """Context → ``pod/container`` → lines written so far."""
        return {
            name: json.loads(self._ask(proc, "logtotals"))
            for name, proc in zip(self.names, self.procs, strict=True)
        }

    def cpu_seconds(self, index: int | None = None) -> float:
        """CPU seconds the server processes have used so far (one or all)."""
        from _pty import proc_cpu_seconds

        procs = self.procs if index is None else [self.procs[index]]
        return sum(proc_cpu_seconds(proc.pid) for proc in procs)

    def stats(self, index: int | None = None) -> tuple[int, int]:
        """(requests, bytes) answered so far, by one server or all."""
        procs = self.procs if index is None else [self.procs[index]]
        reqs = sent = 0
        for proc in procs:
            data = json.loads(self._ask(proc, "stats"))
            reqs += data["requests"]
            sent += data["bytes"]
        return reqs, sent

    def close(self) -> None:
        """Stop every server (bounded wait, then kill)."""
        for proc in self.procs:
            try:
                assert proc.stdin is not None
                proc.stdin.write("quit\n")
                proc.stdin.close()
            except (OSError, ValueError):
                pass
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    def __enter__(self) -> World:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def add_profile_flag(parser: argparse.ArgumentParser) -> None:
    """``--fake-profile``: the benches that time lists against kubectl default to calibrated."""
    parser.add_argument(
        "--fake-profile",
        choices=list(PROFILES),
        default="calibrated",
        help="the fake apiservers' profile (tests/fakes/server_profile.py; default calibrated:"
        " paced like a real kube-apiserver v1.36.2; fast: as the tests, no pacing)",
    )


def profile_row(profile: str) -> tuple[str, str, str, str]:
    """The row every such bench prints: which profile its servers answered in."""
    what = {
        "calibrated": "paced like a real kube-apiserver v1.36.2 + etcd 3.6.13",
        "fast": "no pacing (faster than a real server)",
    }.get(profile, "")
    return ("fake apiserver profile", profile, what, "")


if __name__ == "__main__":
    raise SystemExit(serve())
