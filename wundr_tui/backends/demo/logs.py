"""Simulated container logs for the demo fleet (a LogStreamer), deterministic: each second of
each container's log is drawn from an RNG seeded by (seed, pod, container, second), and the
story's phase at that second decides what happens in it.

- api-gateway: access logs (method, path, status, size, latency); while HighErrorRate fires,
  a share of 502/503/504 with upstream errors.
- the crashing pod (setup-toolkit on EKS, analysis-engine on GKE): each run starts, then dies
  with a Python stack trace and a termination message; ``previous`` is the run that crashed.
- every other workload: plausible lines of its own kind, at its own pace.

Text goes through the same boundary as live logs (``safe_log_line``): setup-toolkit colours
its levels with SGR sequences, which the view keeps as colour.
"""

from __future__ import annotations

import math
import random
import threading

from wundr_tui.backends.base import LogQuery, LogSink, LogTarget, OperationError
from wundr_tui.backends.demo.fleet import DemoFleet, PodStory
from wundr_tui.backends.demo.objects import TERMINATION_MESSAGES
from wundr_tui.backends.demo.profiles import ALERT_SCRIPT, CYCLE
from wundr_tui.safe_text import Spans, safe_log_line

HISTORY_SECONDS = 3600
"""How far back a demo log goes (since "all" on a pod older than that starts here)."""

SIDECARS = ("istio-proxy", "config-reloader", "log-shipper", "metrics-exporter", "csi-attacher")
"""Names of a demo pod's containers after its first (the app's own)."""


def _firing(name: str) -> tuple[int, int]:
    start = next(p for p, (n, s) in ALERT_SCRIPT.items() if n == name and s == "firing")
    end = next(p for p, (n, s) in ALERT_SCRIPT.items() if n == name and s == "resolved")
    return start, end


ERROR_BURST = _firing("HighErrorRate")
"""Phases during which api-gateway answers with 5xx bursts (while HighErrorRate fires)."""

PATHS = (
    "/api/v1/analysis",
    "/api/v1/projects",
    "/api/v1/tenants",
    "/api/v1/documents",
    "/api/v1/search",
    "/healthz",
    "/api/v1/auth/token",
)
AGENTS = ("wundr-web/4.2.0", "wundr-cli/1.9.3", "kube-probe/1.31", "python-requests/2.32")

CRASH_TRACE = (
    "Traceback (most recent call last):",
    '  File "/app/{mod}/__main__.py", line 88, in <module>',
    "    main()",
    '  File "/app/{mod}/migrate.py", line 141, in apply',
    "    cursor.execute(step.sql)",
    '  File "/usr/local/lib/python3.11/site-packages/psycopg/cursor.py", line 732, in execute',
    "    raise ex.with_traceback(None)",
    'psycopg.errors.UndefinedTable: relation "toolkit_templates" does not exist',
)
"""The crashing pod's stack trace ({mod}: its Python package)."""

GENERIC = {
    "analysis-engine": (
        "INFO  job {n} done in {ms}ms ({k} documents)",
        "INFO  picked job {n} from queue analysis.high",
        "DEBUG cache hit ratio 0.{k}",
    ),
    "web-client": (
        '10.0.{a}.{b} - - "GET /static/app.{n}.js HTTP/1.1" 200 {size} "-" "Mozilla/5.0"',
        '10.0.{a}.{b} - - "GET /index.html HTTP/1.1" 200 {size} "-" "Mozilla/5.0"',
    ),
    "setup-toolkit": (
        "\x1b[32mINFO\x1b[0m  tenant sync: {k} tenants up to date",
        "\x1b[32mINFO\x1b[0m  schema check passed ({k} migrations applied)",
        "\x1b[33mWARN\x1b[0m  slow query ({ms}ms): SELECT * FROM quota WHERE tenant = $1",
    ),
    "grafana": (
        "logger=context userId=0 orgId=1 t=http method=GET path=/api/health status=200 time_ms={k}",
    ),
    "prometheus": ('ts=... caller=compact.go:523 level=info msg="write block" duration={ms}ms',),
    "alertmanager": ('level=info component=dispatcher msg="Notify success" receiver=oncall',),
    "kube-state-metrics": ("I1125 metrics_handler.go:206] scrape took {ms}ms",),
    "velero": (
        'level=info msg="Checking for expired DeleteBackupRequests" logSource="pkg/controller"',
    ),
}
"""Lines of each other app ({n} {k} {ms} {a} {b} {size} filled in per line)."""
DEFAULT_LINES = (
    "I1125 controller.go:{k}] reconciled in {ms}ms",
    'level=info msg="sync complete" items={k} duration={ms}ms',
)


def app_name(story: PodStory) -> str:
    """The app label of the pod's workload (api-gateway for both colours)."""
    workload = story.workload
    if workload is not None:
        for key, value in workload.labels:
            if key in ("app", "k8s-app", "name"):
                return value
    return story.pod.owner or story.pod.name


def container_names(story: PodStory) -> tuple[str, ...]:
    """The pod's containers: its app first, then sidecars."""
    count = max(story.pod.containers, 1)
    return (app_name(story), *SIDECARS[: count - 1])


class DemoLogs:
    """Logs of the demo fleet's pods, on the fleet's clock (frozen in tests)."""

    def __init__(self, fleet: DemoFleet, *, interval: float = 0.25) -> None:
        self.fleet = fleet
        """The simulated fleet whose pods log."""
        self.interval = interval
        """Seconds between follow checks."""

    def _story(self, target: LogTarget) -> PodStory | None:
        return self.fleet.pod_story(target.cluster, target.namespace, target.pod)

    def containers(self, target: LogTarget) -> tuple[str, ...]:
        """The demo pod's containers."""
        story = self._story(target)
        if story is None:
            raise OperationError("pod gone (not found)", status=404)
        return container_names(story)

    # -- what a second of log holds ---------------------------------------------------------

    def _rng(self, story: PodStory, container: str, second: int) -> random.Random:
        return random.Random(f"{self.fleet.seed}|{story.pod.name}|{container}|{second}")

    @staticmethod
    def phase(story: PodStory, second: float) -> int:
        """The story's phase at a second of the fleet's clock."""
        return (math.floor(second - story.t0) - story.offset) % CYCLE

    def second(self, story: PodStory, container: str, second: int) -> list[tuple[float, str]]:
        """Every line one container logged during one second."""
        rng = self._rng(story, container, second)
        app = app_name(story)
        if container != container_names(story)[0]:
            if rng.random() < 0.15:
                return [(second + rng.random(), _sidecar(container, rng))]
            return []
        if app == "api-gateway":
            return self._access(story, rng, second)
        if rng.random() >= 0.35:
            return []
        template = rng.choice(GENERIC.get(app, DEFAULT_LINES))
        return [(second + rng.random(), _fill(template, rng))]

    def _access(self, story: PodStory, rng: random.Random, second: int) -> list[tuple[float, str]]:
        start, end = ERROR_BURST
        burst = start <= self.phase(story, second) < end
        out = []
        count = rng.randint(2, 6)
        for i in range(count):
            ts = second + (i + rng.random()) / count
            method = "POST" if rng.random() < 0.2 else "GET"
            path = rng.choice(PATHS)
            if path.startswith("/api/v1/") and path != "/api/v1/auth/token":
                path += f"/{rng.randint(1000, 9999)}"
            req = f"{rng.getrandbits(32):08x}"
            ip = f"10.0.{rng.randint(0, 15)}.{rng.randint(2, 254)}"
            if burst and rng.random() < 0.3:
                status = rng.choice((502, 503, 504))
                ms = rng.randint(900, 5000)
                line = (
                    f'{ip} "{method} {path} HTTP/1.1" {status} 0 {ms}ms req={req} '
                    f'upstream="analysis-engine:8080" error="upstream connect error or '
                    f'disconnect/reset before headers. reset reason: connection timeout"'
                )
            else:
                status = rng.choice((200, 200, 200, 200, 201, 204, 304, 404))
                ms = rng.randint(3, 120) * (3 if burst else 1)
                size = rng.randint(120, 9000)
                agent = rng.choice(AGENTS)
                line = (
                    f'{ip} "{method} {path} HTTP/1.1" {status} {size} {ms}ms req={req} ua="{agent}"'
                )
            out.append((ts, line))
        return out

    def crash_run(self, story: PodStory, end: float) -> list[tuple[float, str]]:
        """One run of the crashing container, ending at ``end`` with its stack trace and
        termination message."""
        module = app_name(story).replace("-", "_")
        level = "\x1b[31mERROR\x1b[0m" if app_name(story) == "setup-toolkit" else "ERROR"
        start = [
            f"INFO  {app_name(story)} 2.4.1 starting (python 3.11.9, pid 1)",
            "INFO  loading 43 migrations from /app/migrations",
            "INFO  connecting to postgres wundr-postgres.internal:5432 (sslmode=require)",
            "INFO  applying 0042_toolkit_templates",
            f"{level} migration 0042_toolkit_templates failed",
        ]
        tail = [line.format(mod=module) for line in CRASH_TRACE]
        # The same words the detail view shows as the last termination's message.
        message = TERMINATION_MESSAGES.get(app_name(story), "exiting with code 1")
        tail.append(f"FATAL {message}")
        lines = start + tail
        step = 0.35
        first = end - step * len(lines)
        return [(first + i * step, text) for i, text in enumerate(lines)]

    def _crash_ended(self, story: PodStory, now: float) -> float:
        # The last crash ended a couple of seconds before now (deterministic on a frozen clock).
        return math.floor(now) - 2.0

    # -- the stream -------------------------------------------------------------------------

    def history(
        self, story: PodStory, container: str, query: LogQuery, now: float
    ) -> list[tuple[float, str]]:
        """What the log holds up to ``now`` under the query's since and tail."""
        app_container = container == container_names(story)[0]
        crashed = story.crashing and app_container and story.pod.restarts > 0
        if query.previous:
            if crashed:
                return self.crash_run(story, self._crash_ended(story, now) - 30)
            if story.pod.restarts == 0:
                raise OperationError(
                    f"no previous terminated container {container!r} (it has not restarted)",
                    status=400,
                )
            end = math.floor(now) - 600
            lines = self._seconds(story, container, end - 120, end, None)
            lines.append((end + 0.5, "received SIGTERM: shutting down gracefully"))
            return lines
        oldest = max(story.pod.created, now - HISTORY_SECONDS)
        if query.since_seconds is not None:
            oldest = max(oldest, now - query.since_seconds)
        if crashed and story.pod.status in ("Error", "CrashLoopBackOff"):
            lines = [
                e for e in self.crash_run(story, self._crash_ended(story, now)) if e[0] >= oldest
            ]
        else:
            lines = self._seconds(story, container, oldest, now, query.tail_lines)
        if query.tail_lines is not None:
            lines = lines[-query.tail_lines :] if query.tail_lines else []
        return lines

    def _seconds(
        self, story: PodStory, container: str, oldest: float, now: float, want: int | None
    ) -> list[tuple[float, str]]:
        # Newest second first, until the tail is full or the start is reached.
        chunks: list[list[tuple[float, str]]] = []
        have = 0
        s = math.floor(now) - 1
        while s >= math.floor(oldest) and (want is None or have < want):
            lines = [e for e in self.second(story, container, s) if oldest <= e[0] < now]
            if lines:
                chunks.append(lines)
                have += len(lines)
            s -= 1
        return [entry for chunk in reversed(chunks) for entry in chunk]

    def stream(
        self,
        target: LogTarget,
        container: str,
        query: LogQuery,
        sink: LogSink,
        stop: threading.Event,
    ) -> None:
        """The container's log so far, then (following) each new second as the clock moves."""
        while not stop.is_set():
            story = self._story(target)
            if story is None:
                sink.status("pod gone (not found)", error=True)
                return
            if story.pod.status in ("Pending",) and not query.previous:
                sink.status(f"container {container!r} is not started yet (Pending)")
                if not query.follow:
                    return
                stop.wait(max(self.interval, 1.0))
                continue
            break
        else:
            return
        now = self.fleet.clock.now()
        try:
            lines = self.history(story, container, query, now)
        except OperationError as exc:
            sink.status(str(exc), error=True)
            return
        sink.status("")
        sink.lines(_safe(lines))
        if not query.follow or query.previous:
            return
        last = math.floor(now)
        status = story.pod.status
        while not stop.wait(self.interval):
            now = self.fleet.clock.now()
            fresh = self._story(target)
            if fresh is None:
                sink.status("pod gone (not found)", error=True)
                return
            batch: list[tuple[float, str]] = []
            if fresh.crashing and fresh.pod.status == "Error" and status != "Error":
                batch.extend(self.crash_run(fresh, now))
            status = fresh.pod.status
            for s in range(last, math.floor(now)):
                batch.extend(self.second(fresh, container, s))
            last = max(last, math.floor(now))
            if batch:
                sink.lines(_safe(sorted(batch)))


def _safe(lines: list[tuple[float, str]]) -> list[tuple[float, str, Spans]]:
    return [(ts, *safe_log_line(text)) for ts, text in lines]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        n=rng.randint(1000, 99999),
        k=rng.randint(1, 99),
        ms=rng.randint(2, 900),
        a=rng.randint(0, 15),
        b=rng.randint(2, 254),
        size=rng.randint(300, 90000),
    )


def _sidecar(container: str, rng: random.Random) -> str:
    if container == "istio-proxy":
        return (
            f'[envoy] "GET /healthz HTTP/1.1" 200 - via_upstream - "-" 0 2 {rng.randint(1, 9)} '
            f'{rng.randint(0, 8)} "-" "kube-probe/1.31"'
        )
    if container == "config-reloader":
        return 'level=info msg="config unchanged" file=/etc/config/app.yaml'
    return f'level=info msg="flushed {rng.randint(1, 400)} records" output=cloudwatch'
