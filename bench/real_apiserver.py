"""The cockpit against a REAL etcd + kube-apiserver (issue 16), opt-in, beside kubectl.

    WUNDR_KUBE_APISERVER=/path/kube-apiserver WUNDR_ETCD=/path/etcd \\
        .venv/bin/python bench/real_apiserver.py                 # 50,000 pods, 3 pairs
    ... bench/real_apiserver.py --pods 2000 --pairs 1            # a quick look

Starts etcd and kube-apiserver on 127.0.0.1 (see tests/integration/real_apiserver.py), loads
``--pods`` pods in two namespaces through the API (concurrent POSTs), then:

* the wire, with one Python client (bench/wire.py's: urllib + orjson, parse included), every
  request bench/wire.py makes of the fake: Table ``includeObject=Metadata`` in pages of 500
  and 5,000 and as one list, a watch-list (``sendInitialEvents=true``, up to the bookmark
  annotated ``k8s.io/initial-events-end``), Table ``includeObject=None`` in pages of 500 and as
  one list: first answer and all pods; whether list pages come gzipped; whether watch-list is
  served (the calibrated fake, tests/fakes/server_profile.py, is derived from these);
* ``--pairs`` interleaved pairs of: ``kubectl get pods -A`` (wall, peak RSS) and the cockpit
  in a 120x40 pty switched to the Pods pane (first pod row on screen, complete Pods pane,
  CPU until complete, peak RSS).

Prints a table and exits 0; exits 2 without the binaries.
"""

from __future__ import annotations

import argparse
import os
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from _cockpit import cockpit, fmt, machine, print_table, ratio, wait_pods_complete  # noqa: E402
from wire import REQUESTS, Target, measure  # noqa: E402

from tests.integration.real_apiserver import TOKEN, RealCluster, binaries  # noqa: E402


@dataclass
class RealWorld:
    """What bench/_cockpit.py's cockpit() needs: context names and the environment."""

    names: list[str]
    env: dict[str, str] = field(default_factory=dict)


def kubectl_get_pods(env: dict[str, str]) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        ["kubectl", "get", "pods", "-A"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    assert proc.stdout is not None
    lines = sum(1 for _ in proc.stdout)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, lines - 1


def version(binary: str) -> str:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
    return (out.stdout or out.stderr).strip().splitlines()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pods", type=int, default=50_000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args(argv)
    found = binaries()
    if found is None:
        print("set WUNDR_KUBE_APISERVER and WUNDR_ETCD to the binaries' paths", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        cluster = RealCluster(Path(tmp), *found)
        try:
            cluster.start()
            namespaces = ("shop", "payments")
            cluster.create_namespaces(namespaces)
            t0 = time.perf_counter()
            half = args.pods // 2
            made = cluster.create_pods(
                (ns, f"web-7d9f8c6b5-{i:06d}")
                for ns in namespaces
                for i in range(half if ns == "shop" else args.pods - half)
            )
            load_s = time.perf_counter() - t0
            world = RealWorld(["real-apiserver"])
            world.env["KUBECONFIG"] = str(cluster.kubeconfig(Path(tmp) / "kubeconfig"))
            kubectl_get_pods(world.env)  # discovery cache warm for the timed runs
            target = Target(
                cluster.url, TOKEN, ssl.create_default_context(cafile=str(cluster.ca_file))
            )
            wires = {key: measure(target, key) for key, _ in REQUESTS}
            pairs = []
            for _ in range(args.pairs):
                k_wall, k_rss, k_lines = kubectl_get_pods(world.env)
                session = cockpit(world)  # type: ignore[arg-type]
                session.send(b"2")
                first, complete, last = wait_pods_complete(session, made, args.timeout)
                cpu = session.cpu_seconds()
                rss_peak = session.rss_mb()[1]
                session.close(b"q")
                pairs.append((first, complete, cpu, rss_peak, k_wall, k_rss, k_lines, last))
        finally:
            cluster.stop()
    slash = " / ".join
    rows = [
        ("machine", machine(), "", ""),
        ("kube-apiserver / etcd", version(found[0]), version(found[1]), ""),
        ("pods loaded (POST, 32 at a time)", f"{made} in {fmt(load_s, ' s')}", "", ""),
        *(
            (
                f"wire: {label}, first / all",
                f"{fmt(wires[key].first, ' s')} / {fmt(wires[key].total, ' s')}",
                f"{wires[key].pods} pods, {wires[key].note}",
                "",
            )
            for key, label in REQUESTS
        ),
        ("first pod rows on screen", slash(fmt(p[0], " s") for p in pairs), "", "goal ≤ 0.3 s"),
        (
            "complete Pods pane",
            slash(fmt(p[1], " s") for p in pairs),
            slash(fmt(p[4], " s") for p in pairs),
            slash(ratio(p[1], p[4]) for p in pairs) + " (goal ≤ 0.15x)",
        ),
        ("CPU until complete", slash(fmt(p[2], " s") for p in pairs), "", "goal ≤ 3 s"),
        (
            "peak RSS",
            slash(fmt(p[3], " MB", 0) for p in pairs),
            slash(fmt(p[5], " MB", 0) for p in pairs),
            "goal ≤ 160 MB",
        ),
        (
            "pods shown / printed",
            slash(str(p[7]) for p in pairs),
            slash(str(p[6]) for p in pairs),
            "",
        ),
    ]
    print_table(f"real kube-apiserver, {made} pods, {args.pairs} interleaved pairs", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
