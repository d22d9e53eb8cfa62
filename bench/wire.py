"""The pod list on the wire, one Python client (urllib + orjson, parse included), against the
fake apiserver in each profile: what the real kube-apiserver's figures in docs/performance.md
were measured with (``bench/real_apiserver.py`` uses the same client functions).

    .venv/bin/python bench/wire.py                        # 50,000 pods, both profiles
    .venv/bin/python bench/wire.py --pods 5000 --profile calibrated

Requests (each timed from the first request to its first parsed answer, and to the last pod):
Table ``includeObject=Metadata`` in pages of 500 (what the cockpit's paged path and kubectl do)
and of 5,000, and as one list; watch-list (``sendInitialEvents=true``, up to the bookmark
annotated ``k8s.io/initial-events-end``); Table ``includeObject=None`` in pages of 500 and as one
list. Lists ask for gzip (the server compresses answers over 128 KiB); watch streams are never
compressed. The server runs in its own process (``bench/_world.py``), one context.

Prints the fake's figures beside the real server's recorded ones and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import ssl
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

import orjson  # noqa: E402
from _cockpit import fmt, machine  # noqa: E402

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


@dataclass(frozen=True)
class Target:
    """Where the client goes: a base URL, a bearer token, and TLS trust (None: plain http)."""

    url: str
    token: str
    ssl_context: ssl.SSLContext | None = None


@dataclass(frozen=True)
class Wire:
    """One request's figures."""

    first: float
    """Seconds from the first request to the first parsed answer (page or event)."""
    total: float
    """Seconds to the last pod (the last page parsed, or the end bookmark)."""
    pods: int
    note: str
    """Content-Encoding of the first list page, or how the watch-list ended."""


def _get(target: Target, path: str, accept: str, gzip_ok: bool = False) -> object:
    headers = {"Authorization": f"Bearer {target.token}", "Accept": accept}
    if gzip_ok:
        headers["Accept-Encoding"] = "gzip"
    return urllib.request.urlopen(
        urllib.request.Request(target.url + path, headers=headers),
        context=target.ssl_context,
        timeout=120,
    )


def paged(target: Target, limit: int = 500, include: str = "Metadata") -> Wire:
    """A Table list in pages of ``limit`` (0: one list)."""
    t0 = time.perf_counter()
    first = 0.0
    token, pods, encoding = "", 0, ""
    while True:
        q = f"/api/v1/pods?includeObject={include}"
        if limit:
            q += f"&limit={limit}"
        if token:
            q += f"&continue={token}"
        resp = _get(target, q, TABLE, gzip_ok=True)
        encoding = encoding or (resp.headers.get("Content-Encoding") or "identity")  # type: ignore[attr-defined]
        raw = resp.read()  # type: ignore[attr-defined]
        if resp.headers.get("Content-Encoding") == "gzip":  # type: ignore[attr-defined]
            raw = gzip.decompress(raw)
        page = orjson.loads(raw)
        if not first:
            first = time.perf_counter() - t0
        pods += len(page.get("rows") or ())
        token = page["metadata"].get("continue") or ""
        if not token:
            return Wire(first, time.perf_counter() - t0, pods, encoding)


def watch_list(target: Target) -> Wire:
    """Watch-list as Table rows, up to the end bookmark."""
    q = (
        "/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
        "&allowWatchBookmarks=true&includeObject=Metadata&timeoutSeconds=300"
    )
    t0 = time.perf_counter()
    try:
        resp = _get(target, q, TABLE)
    except urllib.error.HTTPError as exc:
        return Wire(0.0, 0.0, 0, f"refused {exc.code}")
    first = 0.0
    pods = 0
    try:
        for line in resp:  # type: ignore[attr-defined]
            event = orjson.loads(line)
            if not first:
                first = time.perf_counter() - t0
            if event["type"] == "ADDED":
                pods += len(event["object"].get("rows") or ()) or 1
            elif event["type"] == "BOOKMARK":
                obj = event["object"]
                meta = obj.get("metadata") or {}
                if obj.get("kind") == "Table" and obj.get("rows"):
                    meta = obj["rows"][0].get("object", {}).get("metadata", meta)
                if (meta.get("annotations") or {}).get("k8s.io/initial-events-end") == "true":
                    return Wire(first, time.perf_counter() - t0, pods, "served")
    finally:
        resp.close()  # type: ignore[attr-defined]
    return Wire(first, time.perf_counter() - t0, pods, "ended without the end bookmark")


REQUESTS: list[tuple[str, str]] = [
    ("metadata-500", "Table includeObject=Metadata, pages of 500"),
    ("metadata-5000", "same, pages of 5,000"),
    ("metadata-all", "same, one list"),
    ("watch-list", "watch-list, to the end bookmark"),
    ("none-500", "Table includeObject=None, pages of 500"),
    ("none-all", "Table includeObject=None, one list"),
]
"""What is measured, in order: (key, label)."""

REAL: dict[str, str] = {
    "metadata-500": "0.03 / 3.09 s; 0.03 / 2.81 s",
    "metadata-5000": "(1.19 / 6.9 s)",
    "metadata-all": "(7.1 / 7.1 s)",
    "watch-list": "0.03 / 1.83 s; 0.03 / 0.98 s",
    "none-500": "(0.02 / 1.3 s)",
    "none-all": "(0.28 / 0.28 s)",
}
"""The real kube-apiserver v1.36.2 + etcd 3.6.13, 50,000 pods (docs/performance.md, "A real
kube-apiserver"): first / all. In parentheses: the issue's figures (issue 16, requests +
orjson, a slower day: pages of 500 took 5.7-6.1 s there against 2.81-3.09 s here)."""


def measure(target: Target, key: str) -> Wire:
    """One request of REQUESTS."""
    if key == "watch-list":
        return watch_list(target)
    include, _, size = key.partition("-")
    return paged(
        target, 0 if size == "all" else int(size), "None" if include == "none" else "Metadata"
    )


def main(argv: list[str] | None = None) -> int:
    from _world import PROFILES, World

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pods", type=int, default=50_000)
    parser.add_argument(
        "--profile",
        choices=[*PROFILES, "both"],
        default="both",
        help="the fake's profile (default: both, fast then calibrated)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="every request this many times")
    parser.add_argument(
        "--shape",
        choices=("bench", "platform"),
        default="bench",
        help="bench: pods as bench/real_apiserver.py made them (default, to compare with the"
        " real figures); platform: the test platform's larger pods",
    )
    args = parser.parse_args(argv)
    profiles = list(PROFILES) if args.profile == "both" else [args.profile]
    results: dict[str, dict[str, list[Wire]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for profile in profiles:
            with World(
                Path(tmp) / profile, pods=args.pods, contexts=1, profile=profile, shape=args.shape
            ) as world:
                target = Target(world.urls[0], "test-token")
                # The fake builds each Table row once (then cached; the real server has no
                # such cache, its cost is in the profile): not timed.
                paged(target)
                paged(target, include="None")
                results[profile] = {key: [] for key, _ in REQUESTS}
                for _ in range(args.rounds):
                    for key, _label in REQUESTS:
                        results[profile][key].append(measure(target, key))
    pods = next(iter(next(iter(results.values())).values()))[0].pods
    head = ["measure (first answer / all pods)", *(f"fake {p}" for p in profiles), "real"]
    rows = []
    for key, label in REQUESTS:
        cells = [label]
        for profile in profiles:
            runs = results[profile][key]
            cells.append(
                "; ".join(f"{fmt(w.first, '')} / {fmt(w.total, ' s')}" for w in runs)
                + f" ({runs[0].note})"
            )
        rows.append([*cells, REAL[key]])
    print(f"\n### wire: {pods} pods ({args.shape}), one client (urllib + orjson, parse included)\n")
    print(f"machine: {machine()}\n")
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    for row in (head, ["-" * w for w in widths], *rows):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
