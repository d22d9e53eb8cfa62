"""``pods/log`` for the test apiserver: each container's log (and its previous instance's),
served as kube-apiserver serves them: ``follow``, ``previous``, ``sinceSeconds``,
``sinceTime``, ``tailLines``, ``timestamps``, ``container``, chunked, and the real error
bodies (400 BadRequest for a missing container name, an unknown container, a container still
waiting to start, no previous terminated container; 404 for a pod that is not there; 403 comes
from the server's RBAC faults on ``pods/log``).

A generator writes numbered lines at a set rate (``seq=00000042 t=<epoch ms>``) for the bench
and the loss / duplicate checks.
"""

from __future__ import annotations

import calendar
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fakes.apiserver import _Handler

LogKey = tuple[str, str, str, bool]
"""(namespace, pod, container, previous)."""


def rfc3339_nano(ts: float) -> str:
    """How the kubelet stamps a line (``timestamps=true``)."""
    whole = int(ts)
    nanos = int((ts - whole) * 1e9)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{nanos:09d}Z"


def parse_time(text: str) -> float:
    """``sinceTime``: RFC 3339, fractional seconds allowed (Go's time.Parse accepts them)."""
    base, _, rest = text.partition(".")
    secs = float(calendar.timegm(time.strptime(base.rstrip("Z"), "%Y-%m-%dT%H:%M:%S")))
    frac = rest.rstrip("Z")
    return secs + (float("0." + frac) if frac else 0.0)


@dataclass
class ContainerLog:
    """One container's lines (the newest ``keep``), with an absolute count for followers."""

    keep: int
    lines: list[tuple[float, bytes]] = field(default_factory=list)
    total: int = 0
    """Lines ever written (the next line's absolute index)."""

    def append(self, ts: float, text: bytes) -> None:
        self.lines.append((ts, text))
        self.total += 1
        if len(self.lines) > self.keep * 2:
            del self.lines[: len(self.lines) - self.keep]

    def since(self, index: int) -> list[tuple[float, bytes]]:
        """Lines from absolute ``index`` on (as many as are still kept)."""
        first = self.total - len(self.lines)
        return self.lines[max(index - first, 0) :]


class PodLogs:
    """Every container log one fake apiserver serves. Thread-safe."""

    def __init__(self, keep: int = 20_000) -> None:
        self.keep = keep
        """Lines kept per container."""
        self.cond = threading.Condition()
        self.logs: dict[LogKey, ContainerLog] = {}
        self.waiting: dict[tuple[str, str, str], str] = {}
        """(namespace, pod, container) → the waiting reason (``ContainerCreating``)."""
        self._generators: list[threading.Thread] = []

    def write(
        self,
        namespace: str,
        pod: str,
        container: str,
        lines: Iterable[str | bytes],
        *,
        ts: float | None = None,
        previous: bool = False,
        step: float = 0.001,
    ) -> None:
        """Append lines (stamped ``ts``, ``ts + step``… or now) and wake followers."""
        at = time.time() if ts is None else ts
        with self.cond:
            log = self.logs.setdefault(
                (namespace, pod, container, previous), ContainerLog(self.keep)
            )
            for line in lines:
                log.append(at, line.encode() if isinstance(line, str) else line)
                at += step
            self.cond.notify_all()

    def get(self, key: LogKey) -> ContainerLog | None:
        """One container's log, if it has one."""
        with self.cond:
            return self.logs.get(key)

    def generate(
        self,
        containers: Iterable[tuple[str, str, str]],
        rate: float,
        seconds: float,
        stopping: threading.Event,
        tick: float = 0.02,
    ) -> threading.Thread:
        """Write ``rate`` numbered lines per second into each container, for ``seconds``:
        ``seq=00000042 t=1764080000123 GET /api/v1/orders/42 200 12ms``, ``seq`` counting per
        container from 1 and ``t`` the write time in epoch milliseconds."""
        targets = list(containers)

        def run() -> None:
            start = time.monotonic()
            sent = 0
            while not stopping.is_set():
                elapsed = time.monotonic() - start
                if elapsed >= seconds:
                    break
                due = int(elapsed * rate)
                if due > sent:
                    now = time.time()
                    ms = int(now * 1000)
                    with self.cond:
                        for ns, pod, container in targets:
                            log = self.logs.setdefault(
                                (ns, pod, container, False), ContainerLog(self.keep)
                            )
                            for n in range(sent + 1, due + 1):
                                log.append(
                                    now,
                                    b"seq=%08d t=%d GET /api/v1/orders/%d 200 12ms"
                                    % (n, ms, n % 997),
                                )
                        self.cond.notify_all()
                    sent = due
                stopping.wait(tick)

        thread = threading.Thread(target=run, name="fake-pod-logs", daemon=True)
        thread.start()
        self._generators.append(thread)
        return thread


def serve_pod_log(handler: _Handler, namespace: str, name: str) -> None:
    """Answer ``GET …/pods/NAME/log`` as kube-apiserver (and the kubelet behind it) would."""
    fake = handler.fake
    logs: PodLogs = fake.pod_logs
    q = handler._query

    def arg(key: str, default: str = "") -> str:
        return q.get(key, [default])[0]

    pod = fake.state.get("pods", f"{namespace}/{name}")
    if pod is None:
        handler._fail(404, "NotFound", f'pods "{name}" not found')
        return
    names = [c["name"] for c in pod.get("spec", {}).get("containers", [])]
    container = arg("container")
    if not container:
        if len(names) != 1:
            handler._fail(
                400,
                "BadRequest",
                f"a container name must be specified for pod {name}, "
                f"choose one of: [{' '.join(names)}]",
            )
            return
        container = names[0]
    if container not in names:
        handler._fail(400, "BadRequest", f"container {container} is not valid for pod {name}")
        return
    previous = arg("previous") in ("true", "1")
    waiting = logs.waiting.get((namespace, name, container))
    if waiting and not previous:
        handler._fail(
            400,
            "BadRequest",
            f'container "{container}" in pod "{name}" is waiting to start: {waiting}',
        )
        return
    log = logs.get((namespace, name, container, previous))
    if previous and log is None:
        handler._fail(
            400,
            "BadRequest",
            f'previous terminated container "{container}" in pod "{name}" not found',
        )
        return
    follow = arg("follow") in ("true", "1") and not previous
    stamps = arg("timestamps") in ("true", "1")
    since = None
    if arg("sinceSeconds"):
        since = time.time() - int(arg("sinceSeconds"))
    if arg("sinceTime"):
        try:
            since = parse_time(arg("sinceTime"))
        except ValueError:
            handler._fail(400, "BadRequest", f"invalid sinceTime {arg('sinceTime')!r}")
            return
    tail = int(arg("tailLines")) if arg("tailLines") else None

    with logs.cond:
        log = logs.logs.setdefault((namespace, name, container, previous), ContainerLog(logs.keep))
        position = log.total
        lines = list(log.lines)
    if since is not None:
        lines = [entry for entry in lines if entry[0] >= since]
    if tail is not None:
        lines = lines[-tail:] if tail else []

    fake._record("GET", handler._path, q, 200, "", "", handler.headers.get("User-Agent") or "")
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()

    def write(entries: list[tuple[float, bytes]]) -> None:
        if not entries:
            return
        if stamps:
            data = b"".join(b"%s %s\n" % (rfc3339_nano(ts).encode(), text) for ts, text in entries)
        else:
            data = b"".join(text + b"\n" for _, text in entries)
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        handler.wfile.flush()

    with fake._log_lock:
        fake._watches[handler] = handler._path  # drop_watches("/log") cuts log streams too
    try:
        write(lines)
        deadline = time.monotonic() + fake.max_watch_seconds
        while follow and not fake.stopping.is_set() and time.monotonic() < deadline:
            with logs.cond:
                if log.total == position:
                    logs.cond.wait(0.1)
                fresh = log.since(position)
                position = log.total
            write(fresh)
            if fake.state.get("pods", f"{namespace}/{name}") is None:
                break  # the pod is gone: its log stream ends
        handler.wfile.write(b"0\r\n\r\n")
        handler.wfile.flush()
    except OSError:
        handler.close_connection = True
    finally:
        with fake._log_lock:
            fake._watches.pop(handler, None)
