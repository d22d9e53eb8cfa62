"""Container logs from the apiserver: ``GET /api/v1/namespaces/NS/pods/POD/log`` with follow,
timestamps, container, sinceSeconds / sinceTime, tailLines and previous, over the same
``KubeHttp`` client as everything else (credentials, TLS, exec plugins).

One call of :meth:`KubeLogs.stream` is one container's stream, run in its own thread by the
log session. Lines are split on ``\\n`` with a cap (a longer line is cut, not buffered), their
RFC 3339 timestamp prefix parsed, their text made safe (``safe_text.safe_log_line``). A stream
that drops while following reconnects with ``sinceTime`` from the last line seen, and skips
the lines it already delivered. Errors reach the view in words (RBAC, no previous container,
container not started yet, pod gone).
"""

from __future__ import annotations

import calendar
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from wundr_tui.backends.base import LogQuery, LogSink, LogTarget, OperationError
from wundr_tui.backends.kube.http import (
    READ_SIZE,
    ApiStatusError,
    KubeHttp,
    body_reads,
    describe_error,
    is_internal_error,
    release,
)
from wundr_tui.backends.kube.kinds import BadPathSegment, segment
from wundr_tui.backends.kube.reader import HttpProvider
from wundr_tui.backends.retry import backoff
from wundr_tui.model import Cluster
from wundr_tui.safe_text import LOG_CUT_MARK, LOG_LINE_LIMIT, Spans, safe, safe_log_line

LINE_BYTES = LOG_LINE_LIMIT
"""Longest log line read, in bytes (16 KiB, as the view's cap): the rest is dropped."""
_CUT = LOG_CUT_MARK.encode()

_SECONDS: dict[str, float] = {}
"""``2025-11-25T14:03:07`` → epoch seconds: one parse per second of log, not per line."""


def split_timestamp(line: str) -> tuple[float | None, str]:
    """``2025-11-25T14:03:07.123456789Z text`` → (epoch seconds, ``text``); a line without
    an RFC 3339 prefix comes back whole with None."""
    sp = line.find(" ", 19, 40)
    if sp < 0 or line[10:11] != "T" or line[4:5] != "-":
        return None, line
    stamp = line[:sp]
    secs = _SECONDS.get(stamp[:19])
    if secs is None:
        try:
            secs = float(calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")))
        except ValueError:
            return None, line
        if len(_SECONDS) > 4096:
            _SECONDS.clear()
        _SECONDS[stamp[:19]] = secs
    rest = stamp[19:]
    offset = 0.0
    if rest.endswith("Z"):
        rest = rest[:-1]
    elif len(rest) >= 6 and rest[-6] in "+-" and rest[-3] == ":":
        try:
            hours, minutes = int(rest[-5:-3]), int(rest[-2:])
        except ValueError:
            return None, line
        offset = (hours * 3600 + minutes * 60) * (1 if rest[-6] == "+" else -1)
        rest = rest[:-6]
    else:
        return None, line
    frac = 0.0
    if rest:
        if rest[0] != "." or not rest[1:].isdigit():
            return None, line
        frac = float("0" + rest)
    return secs + frac - offset, line[sp + 1 :]


def rfc3339_nano(ts: float) -> str:
    """Epoch seconds as ``sinceTime`` wants them (UTC, nanoseconds)."""
    whole = int(ts)
    nanos = round((ts - whole) * 1e9)
    if nanos >= 1_000_000_000:
        whole, nanos = whole + 1, nanos - 1_000_000_000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{nanos:09d}Z"


def read_log_lines(
    resp: Any, limit: int = LINE_BYTES, pause: Callable[[], object] | None = None
) -> Iterator[list[bytes]]:
    """Complete lines of a log stream, in the bursts they arrived in. A line longer than
    ``limit`` bytes is cut there (marked) and the rest of it skipped: at most ``limit``
    bytes are ever buffered, whatever the server sends.

    ``pause`` is called after a burst that left nothing waiting (a short read): the lines
    that arrive meanwhile wait in the socket and come in the next read together, so a
    stream of 100 lines/s costs a few wake-ups a second, not 100 (a hundred such threads
    fighting for the interpreter made keys slow)."""
    pending = bytearray()
    skipping = False
    for chunk in body_reads(resp, READ_SIZE):
        caught_up = len(chunk) < READ_SIZE // 2
        parts = chunk.split(b"\n")
        out: list[bytes] = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if skipping:
                if not last:
                    skipping = False  # the rest of the long line ended here
                continue
            if last:
                pending += part
                if len(pending) > limit:
                    out.append(bytes(pending[:limit]) + _CUT)
                    pending.clear()
                    skipping = True
                continue
            line = bytes(pending) + part if pending else part
            pending.clear()
            out.append(line if len(line) <= limit else line[:limit] + _CUT)
        if out:
            yield out
        if caught_up and pause is not None:
            pause()
    if pending and not skipping:
        yield [bytes(pending)]


def explain(exc: ApiStatusError, container: str, cluster: Cluster) -> tuple[str, float | None]:
    """What a log request's error status means for the user, and whether (after how many
    seconds) to try again (None: not until the view is opened again)."""
    message = exc.message
    if exc.status == 403 and not exc.unauthenticated:
        return "forbidden: pods/log (RBAC)", None
    if exc.status == 404:
        return "pod gone (not found)", None
    if exc.status == 400:
        if "previous terminated container" in message:
            return f"no previous terminated container {container!r} (it has not restarted)", None
        if "waiting to start" in message or "ContainerCreating" in message:
            reason = message.rsplit(":", 1)[-1].strip() if ":" in message else ""
            return f"container {container!r} is not started yet ({safe(reason)[:60]})", 3.0
        return safe(f"refused: {message}")[:200], None
    return describe_error(exc, cluster, "get", "pods/log"), 5.0


def _closer(resp: Any) -> Callable[[], None]:
    def close() -> None:
        if hasattr(resp, "shutdown"):
            resp.shutdown()
        else:
            resp.close()

    return close


class KubeLogs:
    """Container logs for every context the operator's clients reach (a LogStreamer)."""

    def __init__(
        self,
        clients: HttpProvider,
        clusters: dict[str, Cluster],
        *,
        line_limit: int = LINE_BYTES,
        connect_timeout: float = 10.0,
        idle_timeout: float = 300.0,
        backoff: tuple[float, float] = (1.0, 10.0),
        coalesce: float = 0.05,
    ) -> None:
        self.clients = clients
        """``http(cluster)`` → the context's KubeHttp (a KubeOperator)."""
        self.clusters = clusters
        """Known clusters by context name (for error wording)."""
        self.line_limit = line_limit
        """Longest line read, in bytes."""
        self.timeout = (connect_timeout, idle_timeout)
        """Connect, and read: a followed log silent for ``idle_timeout`` reconnects quietly."""
        self.backoff = backoff
        """Base and cap of the wait before reconnecting (``backends.retry``)."""
        self.coalesce = coalesce
        """Seconds a stream waits after a burst that emptied its socket, so what comes
        meanwhile is read in one go (the view drains every 100 ms anyway)."""

    def _http(self, cluster: str) -> KubeHttp:
        return self.clients.http(cluster)

    def _cluster(self, name: str) -> Cluster:
        return self.clusters.get(name) or Cluster(name, "other", "", name)

    @staticmethod
    def _path(target: LogTarget, sub: str = "") -> str:
        ns = segment(target.namespace, "namespace")
        name = segment(target.pod, "pod name")
        return f"/api/v1/namespaces/{ns}/pods/{name}{sub}"

    def containers(self, target: LogTarget) -> tuple[str, ...]:
        """The pod's containers in spec order (one GET of the pod)."""
        try:
            pod = self._http(target.cluster).json("GET", self._path(target))
            spec = pod.get("spec") if isinstance(pod, dict) else None
            names = tuple(
                str(c["name"]) for c in (spec or {}).get("containers") or () if c.get("name")
            )
        except BadPathSegment as exc:
            raise OperationError(f"refused: {exc}") from None
        except ApiStatusError as exc:
            if exc.status == 404:
                raise OperationError("pod gone (not found)", status=404) from None
            reason = describe_error(exc, self._cluster(target.cluster), "get", "pods")
            raise OperationError(reason, status=exc.status) from None
        except OperationError:
            raise
        except Exception as exc:
            if is_internal_error(exc):
                raise
            reason = describe_error(exc, self._cluster(target.cluster), "get", "pods")
            raise OperationError(reason) from None
        if not names:
            raise OperationError("the pod has no containers")
        return names

    def stream(
        self,
        target: LogTarget,
        container: str,
        query: LogQuery,
        sink: LogSink,
        stop: threading.Event,
    ) -> None:
        """One container's log into ``sink`` until it ends or ``stop`` is set."""
        try:
            path = self._path(target, "/log")
        except BadPathSegment as exc:
            sink.status(f"refused: {exc}", error=True)
            return
        cluster = self._cluster(target.cluster)
        last_ts: float | None = None
        at_last = 0  # lines delivered with timestamp == last_ts (skipped after a reconnect)
        failures = 0  # reconnects in a row without a line read (backends.retry)
        while not stop.is_set():
            params: list[tuple[str, Any]] = [("container", container), ("timestamps", "true")]
            if query.follow and not query.previous:
                params.append(("follow", "true"))
            if query.previous:
                params.append(("previous", "true"))
            if last_ts is not None:
                params.append(("sinceTime", rfc3339_nano(last_ts)))
            else:
                if query.since_seconds is not None:
                    params.append(("sinceSeconds", int(query.since_seconds)))
                if query.tail_lines is not None:
                    params.append(("tailLines", int(query.tail_lines)))
            try:
                resp = self._http(target.cluster).request(
                    "GET", path, params, accept="text/plain, */*", timeout=self.timeout
                )
            except ApiStatusError as exc:
                message, retry = explain(exc, container, cluster)
                sink.status(message, error=True)
                if retry is None or not query.follow:
                    return
                stop.wait(retry)
                continue
            except Exception as exc:
                if is_internal_error(exc):
                    raise
                sink.status(
                    f"{describe_error(exc, cluster, 'get', 'pods/log')}; retrying", error=False
                )
                failures += 1
                stop.wait(backoff(failures, base=self.backoff[0], cap=self.backoff[1]))
                continue
            sink.status("")
            sink.cancel_with(_closer(resp))
            skip_equal = at_last if last_ts is not None else 0
            reason = "the stream ended"
            try:
                http = self._http(target.cluster)
                with http.opened(resp):
                    pause = (lambda: stop.wait(self.coalesce)) if self.coalesce > 0 else None
                    for raw_lines in read_log_lines(resp, self.line_limit, pause):
                        batch: list[tuple[float, str, Spans]] = []
                        for raw in raw_lines:
                            ts, text = split_timestamp(raw.decode("utf-8", "replace"))
                            if ts is None:
                                ts = last_ts if last_ts is not None else time.time()
                            elif last_ts is not None:
                                if ts < last_ts:
                                    continue  # already delivered before the reconnect
                                if ts == last_ts:
                                    if skip_equal:
                                        skip_equal -= 1
                                        continue
                                    at_last += 1
                                else:
                                    at_last = 1
                            else:
                                at_last = 1
                            last_ts = ts
                            batch.append((ts, *safe_log_line(text)))
                        if batch:
                            sink.lines(batch)
                            failures = 0
            except Exception as exc:
                if stop.is_set():
                    return
                if is_internal_error(exc):
                    raise
                reason = describe_error(exc, cluster, "get", "pods/log")
            finally:
                sink.cancel_with(None)
                # Read past urllib3 (body_reads): the connection is closed, never pooled.
                release(resp, False)
            if stop.is_set() or not query.follow or query.previous:
                return
            # The connection dropped, or the container stopped: pick up where it was.
            sink.status(f"stream dropped ({reason}); reconnecting")
            failures += 1
            stop.wait(backoff(failures, base=self.backoff[0], cap=self.backoff[1]))
