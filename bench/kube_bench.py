"""Benchmark the Kubernetes backend against the test apiserver (run in its own processes).

    .venv/bin/python bench/kube_bench.py                 # 25,000 pods per context, 2 contexts
    .venv/bin/python bench/kube_bench.py --pods 200 --seconds 2

Measures, in one run and against the same servers:

* parse-and-apply of the initial pod list, wundr-tui's path (pages of raw JSON → orjson →
  ``Pod`` → Store; gzipped pages, and without asking for gzip) against the client's default
  (``list_pod_for_all_namespaces()`` models → ``Pod`` → Store): CPU seconds, wall seconds and
  the ratio;
* one full pod list on the wire in each format, with and without ``Accept-Encoding: gzip``:
  bytes as they came off the socket (compressed when the server compressed) and wall seconds;
* peak memory of the initial list (RSS growth of this process, and traced Python peak);
* memory per pod held by the store;
* watching pods at ``--rate`` events/s in total: CPU (process CPU time / wall time) and the
  latency from the server's change to the event applied in the store, p50 / p95.

The apiservers run as subprocesses so their CPU and memory are not counted, in the calibrated
profile (paced like a real kube-apiserver v1.36.2, tests/fakes/server_profile.py) unless
``--fake-profile fast``.
Prints a table and exits 0.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import zlib
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.apiserver import write_kubeconfig  # noqa: E402
from tests.fakes.server_profile import PROFILES  # noqa: E402
from wundr_tui.backends.kube import (  # noqa: E402
    TABLE_ACCEPT,
    KubeHttp,
    KubeSource,
    KubeTuning,
    PodFormat,
    parse_page,
)
from wundr_tui.backends.kube import parse as kube_parse  # noqa: E402
from wundr_tui.backends.kube.contexts import cluster_for  # noqa: E402
from wundr_tui.events import Health, Upserted  # noqa: E402
from wundr_tui.model import Kind, Pod  # noqa: E402
from wundr_tui.pump import EventPump  # noqa: E402
from wundr_tui.store import Store  # noqa: E402

CONTEXTS = (
    ("arn:aws:eks:us-east-1:123456789012:cluster/wundr-production", "aws"),
    ("gke_wundr-prod_europe-west1_wundr-production", "gcp"),
)


def rss_peak_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_now_mb() -> float:
    """Current resident set size."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return rss_peak_mb()


class Servers:
    """Fake apiservers in subprocesses, and a kubeconfig naming them."""

    def __init__(self, pods: int, contexts: int, tmp: Path, profile: str = "calibrated") -> None:
        self.procs: list[subprocess.Popen[str]] = []
        urls = {}
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for name, cloud in (CONTEXTS * contexts)[:contexts]:
            if name in urls:
                name = f"{name}-{len(urls)}"
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.fakes.apiserver",
                    "--pods",
                    str(pods),
                    "--cloud",
                    cloud,
                    "--profile",
                    profile,
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
                env=env,
            )
            self.procs.append(proc)
            assert proc.stdout is not None
            urls[name] = proc.stdout.readline().strip()
            if not urls[name].startswith("http"):
                raise SystemExit(f"fake apiserver did not start: {urls[name]!r}")
        self.contexts = list(urls)
        self.kubeconfig = write_kubeconfig(
            tmp / "kubeconfig", {n: (u, "test-token") for n, u in urls.items()}
        )
        os.environ["KUBECONFIG"] = str(self.kubeconfig)

    def churn(self, rate: float, seconds: float) -> None:
        """Ask every server to change ``rate`` pods per second for ``seconds``."""
        for proc in self.procs:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(f"churn {rate} {seconds}\n")
            proc.stdin.flush()
            proc.stdout.readline()

    def close(self) -> None:
        """Stop the servers."""
        for proc in self.procs:
            try:
                assert proc.stdin is not None
                proc.stdin.write("quit\n")
                proc.stdin.close()
            except OSError:
                pass
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


class Run:
    """KubeSources (pods only) feeding a Store through an EventPump, drained like frames."""

    def __init__(
        self,
        contexts: list[str],
        frame: float,
        pod_format: PodFormat = "table",
        gzip: bool = True,
        watch_list: bool = True,
    ) -> None:
        self.store = Store()
        self.pump = EventPump()
        self.stop = threading.Event()
        self.frame = frame
        self.latencies: list[float] = []
        self.threads = []
        tuning = replace(KubeTuning(page_size=500), gzip_lists=gzip, watch_list=watch_list)
        for ctx in contexts:
            source = KubeSource(
                cluster_for(ctx), kinds=(Kind.POD,), tuning=tuning, pod_format=pod_format
            )
            t = threading.Thread(target=source.run, args=(self.pump.emit, self.stop), daemon=True)
            self.threads.append(t)
        self.contexts = contexts

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def drain(self) -> None:
        batch = self.pump.drain()
        now_ms = time.time() * 1000 % 1_000_000_000
        for event in batch:
            if isinstance(event, Upserted) and event.items:
                for p in event.items:
                    if isinstance(p, Pod) and p.restarts > 1_000_000:
                        delta = now_ms - p.restarts
                        if 0 <= delta < 600_000:
                            self.latencies.append(delta)
            elif isinstance(event, Health) and event.health.state == "error":
                print(f"  ! {event.health.cluster}: {event.health.reason}", file=sys.stderr)
        self.store.apply(batch)

    def until_listed(self, expected: int, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self.drain()
            live = [h for h in self.store.health.values() if h.state == "live"]
            if len(live) == len(self.contexts) and self.store.count(Kind.POD) >= expected:
                return
            if time.monotonic() > deadline:
                raise SystemExit("timed out waiting for the initial list")
            time.sleep(0.005)

    def close(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(5)


def ours(
    contexts: list[str],
    pods: int,
    frame: float,
    pod_format: PodFormat = "table",
    gzip: bool = True,
    watch_list: bool = True,
) -> tuple[float, float, Run]:
    """List (and keep watching) with wundr-tui's path; return (cpu s, wall s, run)."""
    run = Run(contexts, frame, pod_format, gzip, watch_list)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    run.start()
    run.until_listed(pods * len(contexts))
    return time.process_time() - cpu0, time.perf_counter() - wall0, run


def pod_from_model(m: Any) -> Pod:
    """The same Pod, from the client's V1Pod model (what the naive path would do)."""
    meta, spec, status = m.metadata, m.spec, m.status
    reason = status.reason or status.phase or "Unknown"
    ready = restarts = 0
    for cs in reversed(status.container_statuses or []):
        restarts += cs.restart_count or 0
        if cs.state and cs.state.waiting and cs.state.waiting.reason:
            reason = cs.state.waiting.reason
        elif cs.ready and cs.state and cs.state.running:
            ready += 1
    owner = ""
    if meta.owner_references:
        ref = meta.owner_references[0]
        owner = kube_parse.deployment_of(ref.kind, ref.name)
    return Pod(
        namespace=meta.namespace,
        name=meta.name,
        status=reason,
        ready=ready,
        containers=len(spec.containers),
        restarts=restarts,
        created=meta.creation_timestamp.timestamp() if meta.creation_timestamp else 0.0,
        node=spec.node_name or "",
        owner=owner,
    )


def models(context: str) -> tuple[float, float, int]:
    """The client's default: ``list_pod_for_all_namespaces()``; return (cpu s, wall s, pods)."""
    from kubernetes import client as kclient
    from kubernetes import config as kconfig

    api = kclient.CoreV1Api(
        kconfig.new_client_from_config(context=context, config_file=os.environ["KUBECONFIG"])
    )
    store = Store()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = api.list_pod_for_all_namespaces(_request_timeout=600)
    from wundr_tui.events import Replaced

    store.apply([Replaced(context, Kind.POD, tuple(pod_from_model(m) for m in result.items))])
    n = store.count(Kind.POD)
    return time.process_time() - cpu0, time.perf_counter() - wall0, n


def wire_bytes(context: str) -> dict[str, tuple[float, float]]:
    """Bytes on the wire (compressed, when the server compressed) and wall seconds of one full
    pod list (pages of 500) in each wire format, with and without asking for gzip."""
    http = KubeHttp(context)
    out = {}
    for label, accept, include, gzip in (
        ("JSON", "application/json", "", False),
        ("JSON, gzip", "application/json", "", True),
        ("Table, includeObject=Metadata", TABLE_ACCEPT, "Metadata", False),
        ("Table, includeObject=Metadata, gzip", TABLE_ACCEPT, "Metadata", True),
        ("Table, includeObject=None", TABLE_ACCEPT, "None", False),
        ("Table, includeObject=None, gzip", TABLE_ACCEPT, "None", True),
    ):
        total, token, t0 = 0, "", time.perf_counter()
        while True:
            query: list[tuple[str, Any]] = [("limit", 500)]
            if include:
                query.append(("includeObject", include))
            if token:
                query.append(("continue", token))
            resp = http.request(
                "GET", "/api/v1/pods", query, accept=accept, timeout=(10, 600), gzip=gzip
            )
            data = resp.read(decode_content=False)
            resp.release_conn()
            total += len(data)
            if resp.headers.get("Content-Encoding") == "gzip":
                data = zlib.decompress(data, 16 + zlib.MAX_WBITS)
            token = (parse_page(data).get("metadata") or {}).get("continue") or ""
            if not token:
                break
        out[label] = (total / 2**20, time.perf_counter() - t0)
    http.close()
    return out


def store_bytes_per_pod(context: str, pods: int) -> tuple[float, float]:
    """(traced peak MB of one context's initial list, bytes per pod the store keeps)."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    run = Run([context], 0.05)
    run.start()
    run.until_listed(pods)
    peak = tracemalloc.get_traced_memory()[1] - base
    run.close()
    run.drain()
    del run.pump
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    count = run.store.count(Kind.POD)
    return peak / 2**20, held / max(count, 1)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description="wundr-tui Kubernetes list/watch benchmark")
    parser.add_argument("--pods", type=int, default=25_000, help="pods per context")
    parser.add_argument("--contexts", type=int, default=2)
    parser.add_argument("--rate", type=float, default=200.0, help="watch events/s in total")
    parser.add_argument("--seconds", type=float, default=10.0, help="watch measurement window")
    parser.add_argument("--frame", type=float, default=0.1, help="seconds between store applies")
    parser.add_argument(
        "--fake-profile",
        choices=list(PROFILES),
        default="calibrated",
        help="the fake apiservers' profile (tests/fakes/server_profile.py; default calibrated:"
        " paced like a real kube-apiserver v1.36.2; fast: as the tests, no pacing)",
    )
    args = parser.parse_args(argv)

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        servers = Servers(args.pods, args.contexts, Path(tmp), args.fake_profile)
        print(
            f"# {args.contexts} fake apiserver(s) with {args.pods} pods each, "
            f"profile {args.fake_profile}, ready in {time.perf_counter() - t0:.1f}s",
            file=sys.stderr,
        )
        try:
            first = servers.contexts[0]
            # 1. our path, one context alone: CPU, wall, RSS growth.
            import kubernetes.client  # noqa: F401 - import cost is not what we measure

            rss0 = rss_now_mb()
            cpu_ours, wall_ours, run = ours([first], args.pods, args.frame)
            rss_growth = rss_peak_mb() - rss0
            run.close()
            del run
            gc.collect()
            # Watch-list against paged list + watch, interleaved pairs after the first run (which
            # warmed the server's Table rows), the median of each.
            pairs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
            for _ in range(3):
                for streamed in (True, False):
                    cpu_w, wall_w, run = ours([first], args.pods, args.frame, watch_list=streamed)
                    run.close()
                    del run
                    gc.collect()
                    pairs[streamed].append((cpu_w, wall_w))
            cpu_ours = statistics.median(c for c, _ in pairs[True])
            wall_ours = statistics.median(w for _, w in pairs[True])
            cpu_paged = statistics.median(c for c, _ in pairs[False])
            wall_paged = statistics.median(w for _, w in pairs[False])
            cpu_plain, wall_plain, run = ours(
                [first], args.pods, args.frame, gzip=False, watch_list=False
            )
            run.close()
            del run
            gc.collect()
            cpu_json, wall_json, run = ours(
                [first], args.pods, args.frame, "json", watch_list=False
            )
            run.close()
            del run
            gc.collect()
            wire = wire_bytes(first)
            # 2. traced memory: peak of the initial list and bytes per pod kept.
            traced_peak, per_pod = store_bytes_per_pod(first, args.pods)
            # 3. every context at once, then watch at --rate events/s.
            cpu_all, wall_all, run = ours(servers.contexts, args.pods, args.frame)
            run.latencies.clear()
            servers.churn(args.rate / len(servers.contexts), args.seconds)
            cpu0, wall0 = time.process_time(), time.perf_counter()
            while time.perf_counter() - wall0 < args.seconds:
                time.sleep(args.frame)
                run.drain()
            watch_cpu = (time.process_time() - cpu0) / (time.perf_counter() - wall0)
            lat = sorted(run.latencies)
            events = len(lat)
            run.close()
            del run
            gc.collect()
            # 4. the client's models, same context (last: it bloats the process).
            cpu_models, wall_models, n_models = models(first)
        finally:
            servers.close()

    def pct(q: float) -> str:
        if not lat:
            return "n/a"
        return f"{lat[min(int(q * len(lat)), len(lat) - 1)]:.0f} ms"

    rows += [
        ("fake apiserver profile", args.fake_profile),
        ("pods per context / contexts", f"{args.pods} / {args.contexts}"),
        *(
            (f"pod list on the wire, {label}", f"{mb:.1f} MB in {secs:.2f} s")
            for label, (mb, secs) in wire.items()
        ),
        (
            "list+apply, Table, watch-list, 1 context (median of 3 pairs)",
            f"{cpu_ours:.2f} s CPU, {wall_ours:.2f} s wall",
        ),
        (
            "list+apply, Table, paged + gzip, 1 context (median of 3 pairs)",
            f"{cpu_paged:.2f} s CPU, {wall_paged:.2f} s wall",
        ),
        (
            "wall ratio watch-list / paged (Table, 1 context)",
            f"{wall_ours / max(wall_paged, 1e-9):.2f}x",
        ),
        (
            "list+apply, wundr-tui path (Table, paged, no gzip, 1 context)",
            f"{cpu_plain:.2f} s CPU, {wall_plain:.2f} s wall",
        ),
        (
            "list+apply, wundr-tui path (JSON, paged, gzip, 1 context)",
            f"{cpu_json:.2f} s CPU, {wall_json:.2f} s wall",
        ),
        (
            "list+apply, client models (1 context)",
            f"{cpu_models:.2f} s CPU, {wall_models:.2f} s wall ({n_models} pods)",
        ),
        ("CPU ratio models / wundr-tui (Table)", f"{cpu_models / max(cpu_ours, 1e-9):.1f}x"),
        ("CPU ratio models / wundr-tui (JSON)", f"{cpu_models / max(cpu_json, 1e-9):.1f}x"),
        ("list+apply, all contexts at once", f"{cpu_all:.2f} s CPU, {wall_all:.2f} s wall"),
        ("peak RSS growth, initial list (1 context)", f"{rss_growth:.0f} MB"),
        ("traced Python peak, initial list (1 context)", f"{traced_peak:.0f} MB"),
        ("memory per pod in the store", f"{per_pod:.0f} B"),
        (f"watch CPU at {args.rate:.0f} events/s", f"{watch_cpu * 100:.1f} % of a core"),
        ("watch events measured", f"{events} in {args.seconds:.0f} s"),
        (
            f"event → store latency p50 / p95 (frame {args.frame * 1000:.0f} ms)",
            f"{pct(0.5)} / {pct(0.95)}",
        ),
    ]
    if lat:
        rows.append(("event → store latency mean", f"{statistics.fmean(lat):.0f} ms"))
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}} | value")
    print(f"{'-' * width}-+-{'-' * 40}")
    for key, value in rows:
        print(f"{key:<{width}} | {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
