"""A small Kubernetes apiserver for tests and benchmarks, spoken to by the real client.

``FakeApiServer`` listens on 127.0.0.1 (a free port) and serves discovery, list with pagination
(``limit``/``continue``) and resourceVersion, chunked watch streams (ADDED / MODIFIED / DELETED /
BOOKMARK / ERROR 410), streaming lists (watch-list: ``sendInitialEvents=true``, the state as
ADDED events up to the BOOKMARK annotated ``k8s.io/initial-events-end``; ``watch_list=False``
refuses them as a server without the feature does), merge, strategic-merge and JSON patch,
the deployments' scale subresource, Velero custom objects, ``dryRun=All``,
SelfSubjectAccessReview, and fault injection (``faults``). Every request is logged (method,
path, query, status, encoding).

Response compression as kube-apiserver does it (feature gate ``APIResponseCompression``, beta
and on by default since 1.16): a non-watch answer larger than 128 KiB is gzipped (level 1) when
the request's ``Accept-Encoding`` lists the token ``gzip``; watch streams are never compressed
(kube-apiserver 1.30-1.36 writes them straight to the connection; see :func:`wants_gzip`).

Objects are kept as serialized JSON bytes (so 25,000 realistic pods fit and a page is a join),
and every change is appended to an event log that watches replay from a resourceVersion.

Run standalone for the benchmark (the server in its own process, so its CPU and memory are not
counted)::

    python -m tests.fakes.apiserver --pods 25000 --cloud aws --profile calibrated

``profile`` (tests/fakes/server_profile.py): ``FAST`` answers as soon as an answer is built (the
tests); ``CALIBRATED`` holds list pages and paces watch-list streams to what a real
kube-apiserver v1.36.2 took, and sends bookmarks as its watch cache does (the benches).
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import copy
import gzip
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from tests.fakes import endpointslices
from tests.fakes.k8s_events import matches_field_selector
from tests.fakes.pod_logs import PodLogs, serve_pod_log
from tests.fakes.server_profile import FAST, PROFILES, ServerProfile

Obj = dict[str, Any]

GZIP_THRESHOLD = 128 * 1024
"""kube-apiserver gzips a response only when it is longer than this (``defaultGzipThresholdBytes``
in k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/writers.go)."""

GZIP_LEVEL = 1
"""kube-apiserver's gzip level since 1.26 (``gzipContentEncodingLevel``, kubernetes#112296)."""


def wants_gzip(accept_encoding: str) -> bool:
    """Whether kube-apiserver would gzip for this ``Accept-Encoding`` (``ContentEncodingSupported``
    in responsewriters/compression.go): one comma-separated token is exactly ``gzip`` once
    trimmed (so ``gzip;q=1`` does not count, as there)."""
    return any(token.strip() == "gzip" for token in accept_encoding.split(","))


RESOURCES: dict[str, tuple[str, str, bool]] = {
    # plural: (prefix, Kind, namespaced)
    "pods": ("/api/v1", "Pod", True),
    "services": ("/api/v1", "Service", True),
    "nodes": ("/api/v1", "Node", False),
    "deployments": ("/apis/apps/v1", "Deployment", True),
    "horizontalpodautoscalers": ("/apis/autoscaling/v2", "HorizontalPodAutoscaler", True),
    "schedules": ("/apis/velero.io/v1", "Schedule", True),
    "backups": ("/apis/velero.io/v1", "Backup", True),
    "restores": ("/apis/velero.io/v1", "Restore", True),
    "events": ("/apis/events.k8s.io/v1", "Event", True),
}
_PREFIX_TO_GV = {
    "/api/v1": "v1",
    "/apis/apps/v1": "apps/v1",
    "/apis/autoscaling/v2": "autoscaling/v2",
    "/apis/velero.io/v1": "velero.io/v1",
    "/apis/events.k8s.io/v1": "events.k8s.io/v1",
}


POD_COLUMNS: list[Obj] = [
    {"name": n, "type": t, "format": f, "description": n, "priority": p}
    for n, t, f, p in (
        ("Name", "string", "name", 0),
        ("Ready", "string", "", 0),
        ("Status", "string", "", 0),
        ("Restarts", "string", "", 0),
        ("Age", "string", "", 0),
        ("IP", "string", "", 1),
        ("Node", "string", "", 1),
        ("Nominated Node", "string", "", 1),
        ("Readiness Gates", "string", "", 1),
    )
]
"""The pod Table's columns, as kube-apiserver prints them."""


def _age(created: str) -> str:
    try:
        then = time.mktime(time.strptime(created, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    except (TypeError, ValueError):
        return "<unknown>"
    s = max(int(time.time() - then), 0)
    return (
        f"{s}s"
        if s < 120
        else f"{s // 60}m"
        if s < 7200
        else f"{s // 3600}h"
        if s < 172800
        else f"{s // 86400}d"
    )


def pod_row(pod: Obj, include: str) -> Obj:
    """One Table row for a pod, computed like the apiserver's printer (simplified)."""
    meta, spec, status = pod["metadata"], pod.get("spec", {}), pod.get("status", {})
    statuses = status.get("containerStatuses") or []
    reason = status.get("reason") or status.get("phase", "Unknown")
    ready = restarts = 0
    for cs in statuses:
        restarts += cs.get("restartCount", 0)
        state = cs.get("state", {})
        if state.get("waiting", {}).get("reason"):
            reason = state["waiting"]["reason"]
        elif cs.get("ready") and "running" in state:
            ready += 1
    if meta.get("deletionTimestamp"):
        reason = "Terminating"
    row: Obj = {
        "cells": [
            meta["name"],
            f"{ready}/{len(spec.get('containers') or [])}",
            reason,
            f"{restarts} (5m ago)" if restarts else "0",
            _age(meta.get("creationTimestamp", "")),
            status.get("podIP", "<none>"),
            spec.get("nodeName") or "<none>",
            "<none>",
            "<none>",
        ]
    }
    if include == "Metadata":
        row["object"] = {
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": meta,
        }
    elif include == "Object":
        row["object"] = pod
    return row


def status_body(code: int, reason: str, message: str) -> Obj:
    """A metav1.Status failure object."""
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


@dataclass
class Rule:
    """One injected fault: answer ``status`` (or misbehave) for matching requests."""

    action: str
    """status / drop / stall / malformed / gone / endless."""
    path: str = ""
    """Substring the request path must contain (``/pods``); blank matches all."""
    method: str = ""
    watch: bool | None = None
    """True: only watch requests; False: only non-watch; None: both."""
    status: int = 500
    count: int = 1
    """How many matching requests it applies to (-1: forever)."""
    after: int = 0
    """drop / malformed in a watch: after this many events."""
    seconds: float = 0.0
    """stall: how long."""
    limit: int = 64 << 20
    """endless: bytes of the never-ending watch line to send at most (the test stays bounded)."""
    sent: int = 0
    """endless: bytes of it actually sent (the client stopped reading after about this)."""

    def matches(self, method: str, path: str, watch: bool) -> bool:
        """Whether this rule applies to a request."""
        if self.count == 0:
            return False
        if self.method and self.method != method:
            return False
        if self.watch is not None and self.watch != watch:
            return False
        return self.path in path


@dataclass
class Faults:
    """What the server gets wrong on purpose; tests change it while running."""

    rules: list[Rule] = field(default_factory=list)
    tokens: set[str] = field(default_factory=lambda: {"test-token"})
    """Bearer tokens accepted; others get 401."""
    forbidden: set[tuple[str, ...]] = field(default_factory=set)
    """Refused with 403: ``(verb, resource)`` anywhere, or ``(verb, resource, namespace)`` in one
    namespace (``""``: cluster-wide only); resource is a plural (``pods``, ``deployments/scale``).
    """

    def refuses(self, verb: str, resource: str, namespace: str) -> bool:
        """Whether RBAC says no."""
        return (verb, resource) in self.forbidden or (verb, resource, namespace) in self.forbidden

    velero_installed: bool = True
    refuse_connections: bool = False
    """Close every new connection at once (as if the apiserver were down)."""
    tables: bool = True
    """Serve the Table format when asked (False: answer plain JSON, like an old proxy)."""

    def add(self, action: str, **kwargs: Any) -> Rule:
        """Add a rule; return it (set ``count = 0`` to retire it)."""
        rule = Rule(action, **kwargs)
        self.rules.append(rule)
        return rule

    def take(self, method: str, path: str, watch: bool, actions: Iterable[str]) -> Rule | None:
        """The first live rule for this request among ``actions``, consuming one use."""
        for rule in self.rules:
            if rule.action in actions and rule.matches(method, path, watch):
                if rule.count > 0:
                    rule.count -= 1
                return rule
        return None


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    encoding: str = ""
    """``gzip`` when the answer was compressed (its Content-Encoding), else blank."""
    accept_encoding: str = ""
    """The request's Accept-Encoding header."""
    user_agent: str = ""
    """The request's User-Agent header (who the client says is calling)."""

    @property
    def mutating(self) -> bool:
        """A request that would change state if it were not a dry run."""
        return self.method in ("POST", "PUT", "PATCH", "DELETE") and not (
            self.path.endswith("selfsubjectaccessreviews")
        )


@dataclass
class _Event:
    rv: int
    plural: str
    namespace: str
    type: str
    data: bytes


class ClusterState:
    """Objects by resource and key as JSON bytes, a resourceVersion counter and an event log."""

    def __init__(self, log_size: int = 50_000) -> None:
        self.lock = threading.Condition()
        self.rv = 1000
        self.objects: dict[str, dict[str, bytes]] = {p: {} for p in RESOURCES}
        self._sorted: dict[str, list[str] | None] = {p: None for p in RESOURCES}
        self.events: deque[_Event] = deque(maxlen=log_size)
        self.oldest_rv = self.rv
        """Watches from before this are answered 410 Gone."""
        self._rows: dict[str, dict[int, tuple[bytes, bytes]]] = {}

    def _store(self, plural: str, obj: Obj, event: str | None) -> bytes:
        meta = obj.setdefault("metadata", {})
        self.rv += 1
        meta["resourceVersion"] = str(self.rv)
        if plural in ("deployments",):
            meta["generation"] = int(meta.get("generation", 0)) + 1
        key = _key(obj)
        data = orjson.dumps(obj)
        bucket = self.objects[plural]
        if key not in bucket:
            self._sorted[plural] = None
        bucket[key] = data
        if event:
            self.events.append(_Event(self.rv, plural, meta.get("namespace", ""), event, data))
            self.lock.notify_all()
        return data

    def load(self, objects: dict[str, list[Obj]]) -> None:
        """Put objects in without events (the state before any watch)."""
        with self.lock:
            for plural, items in objects.items():
                for obj in items:
                    self._store(plural, obj, None)
            self.oldest_rv = self.rv

    def put(self, plural: str, obj: Obj) -> Obj:
        """Create or replace an object (an ADDED or MODIFIED event); return it as stored."""
        with self.lock:
            existed = _key(obj) in self.objects[plural]
            data = self._store(plural, obj, "MODIFIED" if existed else "ADDED")
            return orjson.loads(data)  # type: ignore[no-any-return]

    def get(self, plural: str, key: str) -> Obj | None:
        """One object, as a fresh dict."""
        with self.lock:
            data = self.objects[plural].get(key)
        return orjson.loads(data) if data is not None else None

    def delete(self, plural: str, key: str) -> bool:
        """Delete an object (a DELETED event)."""
        with self.lock:
            data = self.objects[plural].pop(key, None)
            if data is None:
                return False
            self._sorted[plural] = None
            obj = orjson.loads(data)
            self.rv += 1
            obj["metadata"]["resourceVersion"] = str(self.rv)
            ns = obj["metadata"].get("namespace", "")
            self.events.append(_Event(self.rv, plural, ns, "DELETED", orjson.dumps(obj)))
            self.lock.notify_all()
            return True

    def compact(self) -> None:
        """Forget the event log: every watch from an older resourceVersion gets 410."""
        with self.lock:
            self.events.clear()
            self.oldest_rv = self.rv

    def row(self, plural: str, data: bytes, include: str) -> bytes:
        """One object's Table row as JSON (cached per stored version)."""
        cache = self._rows.setdefault(include, {})
        hit = cache.get(id(data))
        if hit is not None and hit[0] is data:
            return hit[1]
        row = orjson.dumps(pod_row(orjson.loads(data), include))
        if len(cache) > 200_000:
            cache.clear()
        cache[id(data)] = (data, row)
        return row

    def keys(self, plural: str) -> list[str]:
        """Sorted keys of one resource (cached until a key is added or removed)."""
        keys = self._sorted[plural]
        if keys is None:
            keys = self._sorted[plural] = sorted(self.objects[plural])
        return keys

    def events_after(self, rv: int) -> list[_Event]:
        """Logged events newer than ``rv`` (call with the lock held)."""
        if not self.events or self.events[-1].rv <= rv:
            return []
        rvs = [e.rv for e in self.events]
        start = bisect.bisect_right(rvs, rv)
        return list(self.events)[start:]


def _key(obj: Obj) -> str:
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace") or ""
    return f"{ns}/{meta['name']}" if ns else str(meta["name"])


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            result.pop(k, None)
        else:
            result[k] = merge_patch(result.get(k), v)
    return result


def json_patch(target: Obj, ops: list[Obj]) -> Obj:
    """RFC 6902 JSON patch (add / replace / remove / test)."""
    doc = copy.deepcopy(target)
    for op in ops:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in op["path"].split("/")[1:]]
        parent: Any = doc
        for p in parts[:-1]:
            parent = parent[int(p)] if isinstance(parent, list) else parent[p]
        last = parts[-1]
        kind = op["op"]
        if kind == "test":
            value = parent[int(last)] if isinstance(parent, list) else parent.get(last)
            if value != op["value"]:
                raise ValueError(f"test failed at {op['path']}")
        elif kind in ("add", "replace"):
            if isinstance(parent, list):
                idx = len(parent) if last == "-" else int(last)
                if kind == "add":
                    parent.insert(idx, op["value"])
                else:
                    parent[idx] = op["value"]
            else:
                parent[last] = op["value"]
        elif kind == "remove":
            if isinstance(parent, list):
                del parent[int(last)]
            else:
                del parent[last]
        else:
            raise ValueError(f"unsupported op {kind}")
    return doc


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeApiServer


class FakeApiServer:
    """The test apiserver. Use as a context manager, or ``start()`` / ``stop()``."""

    def __init__(
        self,
        objects: dict[str, list[Obj]] | None = None,
        *,
        page_cap: int = 5000,
        bookmark_seconds: float = 1.0,
        max_watch_seconds: float = 30.0,
        compression: bool = True,
        watch_list: bool = True,
        profile: ServerProfile = FAST,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.state = ClusterState()
        """Objects and the event log."""
        self.faults = Faults()
        """Injected faults; change while running."""
        self.log: list[LoggedRequest] = []
        """Every request answered, in order."""
        self.profile = profile
        """How fast answers come (server_profile.py): FAST for tests, CALIBRATED for benches."""
        self.sleep = sleep
        """What holds an answer until the profile's modelled time (a test passes a recorder)."""
        self.page_cap = page_cap if profile.page_cap is None else profile.page_cap
        """Largest page served whatever ``limit`` asks (0: none)."""
        self.bookmark_seconds = (
            bookmark_seconds if profile.bookmark_seconds is None else profile.bookmark_seconds
        )
        """How often a watch gets a BOOKMARK (when asked for; FAST: only an idle watch)."""
        self.max_watch_seconds = max_watch_seconds
        """Upper bound of any watch, whatever the client asks: test loops stay bounded."""
        self.compression = compression
        """The ``APIResponseCompression`` feature gate (on by default in kube-apiserver)."""
        self.watch_list = watch_list
        """Streaming lists (``sendInitialEvents=true``, KEP-3157), served as kube-apiserver
        1.32+ serves them; False: refused with 422, as by a server whose ``WatchList`` feature
        gate is off (an older one refuses ``resourceVersionMatch`` on a watch the same way)."""
        self.stopping = threading.Event()
        self._log_lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._churn: threading.Thread | None = None
        self._watches: dict[_Handler, str] = {}
        self._starting: dict[_Handler, str] = {}
        """Watch requests taken in but not yet streaming (a drop must cut them too)."""
        self.pod_logs = PodLogs()
        """Container logs served at ``pods/NAME/log`` (see pod_logs.py)."""
        self.slices = endpointslices.EndpointSliceController()
        """EndpointSlices made from Services and pods; ``served`` / ``lag_seconds`` (see
        endpointslices.py)."""
        if objects:
            self.state.load(objects)

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> FakeApiServer:
        """Listen on a free port and serve in a thread."""
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name="fake-apiserver",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; open watches end within a fraction of a second."""
        self.stopping.set()
        with self.state.lock:
            self.state.lock.notify_all()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)
        if self._churn is not None:
            self._churn.join(5)

    def __enter__(self) -> FakeApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers for tests ------------------------------------------------------------------

    def requests(
        self, predicate: Callable[[LoggedRequest], bool] | None = None
    ) -> list[LoggedRequest]:
        """A copy of the request log (optionally filtered)."""
        with self._log_lock:
            entries = list(self.log)
        return [e for e in entries if predicate is None or predicate(e)]

    def mutating_requests(self) -> list[LoggedRequest]:
        """Requests that change (or would change) state."""
        return self.requests(lambda r: r.mutating)

    def drop_watches(self, path: str = "") -> int:
        """Cut every open watch whose path contains ``path`` (mid-stream, no final chunk), and
        every watch request still being answered (it has not streamed yet)."""
        with self._log_lock:
            victims = [h for h, p in (*self._watches.items(), *self._starting.items()) if path in p]
        for handler in victims:
            handler._drop()
        return len(victims)

    def open_watches(self, path: str = "") -> int:
        """How many watches are open (whose path contains ``path``)."""
        with self._log_lock:
            return sum(1 for p in self._watches.values() if path in p)

    def _record(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        status: int,
        encoding: str = "",
        accept_encoding: str = "",
        user_agent: str = "",
    ) -> None:
        with self._log_lock:
            self.log.append(
                LoggedRequest(method, path, query, status, encoding, accept_encoding, user_agent)
            )

    def churn(self, rate: float, seconds: float, plural: str = "pods") -> threading.Thread:
        """Modify objects at ``rate`` per second for ``seconds``; each change stores the send
        time in milliseconds (mod 10^9) as the first container's restartCount, so a client
        can measure latency from the object alone."""

        def run() -> None:
            keys = list(self.state.keys(plural))
            if not keys:
                return
            start = time.monotonic()
            n = 0
            while not self.stopping.is_set():
                due = start + n / rate
                now = time.monotonic()
                if now - start >= seconds:
                    return
                if due > now:
                    time.sleep(min(due - now, 0.05))
                    continue
                key = keys[n % len(keys)]
                obj = self.state.get(plural, key)
                if obj is not None:
                    stamp = int(time.time() * 1000) % 1_000_000_000
                    statuses = obj.get("status", {}).get("containerStatuses") or []
                    if statuses:
                        statuses[0]["restartCount"] = stamp
                    self.state.put(plural, obj)
                n += 1

        self._churn = threading.Thread(target=run, daemon=True, name="fake-churn")
        self._churn.start()
        return self._churn


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    disable_nagle_algorithm = True
    """TCP_NODELAY, as Go's net package sets on every TCP connection (kube-apiserver's too).
    Without it a small answer written after its headers waits for the client's delayed ACK
    (~40 ms a response on loopback), which a real apiserver never does."""

    def log_message(self, format: str, *args: Any) -> None:
        return

    # -- plumbing ---------------------------------------------------------------------------

    @property
    def fake(self) -> FakeApiServer:
        return self.server.fake

    def _pace(self, due: float) -> None:
        """Hold the answer until ``due`` seconds after the request came in (the profile's
        model of a real server); nothing when the fake took that long already."""
        delay = self._t0 + due - time.monotonic()
        if delay > 0:
            self.fake.sleep(delay)

    def _send(
        self, status: int, body: bytes, content_type: str = "application/json", due: float = 0.0
    ) -> None:
        # As kube-apiserver's SerializeObject: gzip (level 1) a body over 128 KiB for a client
        # that accepts gzip. What goes on the socket (and what bench/_world.py counts) is the
        # compressed body.
        encoding = ""
        accept_encoding = self.headers.get("Accept-Encoding") or ""
        if self.fake.compression and len(body) > GZIP_THRESHOLD and wants_gzip(accept_encoding):
            body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
            encoding = "gzip"
        if due:
            self._pace(due)
        # Logged before answering, so a test that got its answer sees its request in the log.
        self.fake._record(
            self.command,
            self._path,
            self._query,
            status,
            encoding,
            accept_encoding,
            self.headers.get("User-Agent") or "",
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, orjson.dumps(obj))

    def _fail(self, code: int, reason: str, message: str) -> None:
        self._json(code, status_body(code, reason, message))

    def _body(self) -> Any:
        return orjson.loads(self._raw) if self._raw else None

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    # -- dispatch ---------------------------------------------------------------------------

    def _handle(self, method: str) -> None:
        self._t0 = time.monotonic()  # the request came in: the profile's pacing counts from here
        # Read the body first, whatever the answer: an unread body would corrupt the next
        # request on this keep-alive connection.
        length = int(self.headers.get("Content-Length") or 0)
        self._raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        self._path = parts.path
        self._query = parse_qs(parts.query)
        fake = self.fake
        faults = fake.faults
        watch = self._query.get("watch", ["false"])[0] in ("true", "1")
        if faults.refuse_connections:
            fake._record(
                method, self._path, self._query, 0, "", "", self.headers.get("User-Agent") or ""
            )
            self._drop()
            return
        if not watch:
            self._answer(method, watch)
            return
        # A watch counts as open from its first byte: a drop_watches() between the moment its
        # faults are taken and the moment it streams must still cut it (else a test that adds a
        # fault, then drops the old watch, can miss a watch that started just before the fault
        # and then stays open without it).
        with fake._log_lock:
            fake._starting[self] = self._path
        try:
            self._answer(method, watch)
        finally:
            with fake._log_lock:
                fake._starting.pop(self, None)
                fake._watches.pop(self, None)

    def _answer(self, method: str, watch: bool) -> None:
        fake = self.fake
        faults = fake.faults
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in faults.tokens:
            self._fail(401, "Unauthorized", "Unauthorized")
            return
        rule = faults.take(method, self._path, watch, ("stall",))
        if rule is not None:
            fake.stopping.wait(rule.seconds)
        rule = faults.take(method, self._path, watch, ("status", "malformed"))
        if rule is not None and rule.action == "status":
            reason = {
                401: "Unauthorized",
                403: "Forbidden",
                404: "NotFound",
                409: "Conflict",
                410: "Expired",
                429: "TooManyRequests",
            }.get(rule.status, "InternalError")
            self._fail(rule.status, reason, f"injected {rule.status}")
            return
        if rule is not None and rule.action == "malformed" and not watch:
            self._send(200, b'{"kind": "PodList", "items": [ {"metadata": ')
            return
        try:
            self._route(method, watch, malformed=rule is not None)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _route(self, method: str, watch: bool, malformed: bool) -> None:
        path = self._path.rstrip("/")
        if path == "/version":
            self._json(
                200,
                {
                    "major": "1",
                    "minor": "31",
                    "gitVersion": "v1.31.0-fake",
                    "gitCommit": "0" * 40,
                    "gitTreeState": "clean",
                    "buildDate": "2025-11-01T00:00:00Z",
                    "goVersion": "go1.23.2",
                    "compiler": "gc",
                    "platform": "linux/amd64",
                },
            )
            return
        if path == "/api":
            self._json(
                200,
                {
                    "kind": "APIVersions",
                    "versions": ["v1"],
                    "serverAddressByClientCIDRs": [
                        {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}
                    ],
                },
            )
            return
        if path == "/apis":
            groups = ["apps/v1", "autoscaling/v2", "authorization.k8s.io/v1", "events.k8s.io/v1"]
            if self.fake.faults.velero_installed:
                groups.append("velero.io/v1")
            self._json(
                200,
                {
                    "kind": "APIGroupList",
                    "apiVersion": "v1",
                    "groups": [
                        {
                            "name": g.split("/")[0],
                            "versions": [{"groupVersion": g, "version": g.split("/")[1]}],
                            "preferredVersion": {"groupVersion": g, "version": g.split("/")[1]},
                        }
                        for g in groups
                    ],
                },
            )
            return
        if path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" and method == "POST":
            self._access_review()
            return
        if (path + "/").startswith(endpointslices.PREFIX + "/") and endpointslices.serve(
            self, method, path
        ):
            return
        for prefix, gv in _PREFIX_TO_GV.items():
            if path == prefix:
                self._json(
                    200,
                    {
                        "kind": "APIResourceList",
                        "groupVersion": gv,
                        "resources": [
                            {
                                "name": p,
                                "namespaced": ns,
                                "kind": k,
                                "verbs": [
                                    "get",
                                    "list",
                                    "watch",
                                    "create",
                                    "update",
                                    "patch",
                                    "delete",
                                ],
                            }
                            for p, (pre, k, ns) in RESOURCES.items()
                            if pre == prefix
                        ],
                    },
                )
                return
            if path.startswith(prefix + "/"):
                if prefix == "/apis/velero.io/v1" and not self.fake.faults.velero_installed:
                    self._fail(404, "NotFound", "the server could not find the requested resource")
                    return
                self._resource(method, prefix, path[len(prefix) + 1 :].split("/"), watch, malformed)
                return
        self._fail(404, "NotFound", f"the server could not find the requested resource {path}")

    def _resource(
        self, method: str, prefix: str, segs: list[str], watch: bool, malformed: bool
    ) -> None:
        namespace = ""
        if len(segs) >= 3 and segs[0] == "namespaces":
            namespace, segs = segs[1], segs[2:]
        plural = segs[0]
        if plural == "endpoints" and prefix == "/api/v1" and method == "GET" and len(segs) == 2:
            self._endpoints(namespace, segs[1])
            return
        spec = RESOURCES.get(plural)
        if spec is None or spec[0] != prefix:
            self._fail(404, "NotFound", f"unknown resource {plural}")
            return
        name = segs[1] if len(segs) > 1 else ""
        sub = segs[2] if len(segs) > 2 else ""
        verb = {
            "GET": "watch" if watch else ("get" if name else "list"),
            "POST": "create",
            "PATCH": "patch",
            "PUT": "update",
            "DELETE": "delete",
        }[method]
        resource = f"{plural}/{sub}" if sub else plural
        faults = self.fake.faults
        if faults.refuses(verb, resource, namespace) or (
            verb == "watch" and faults.refuses("list", resource, namespace)
        ):
            where = f' in the namespace "{namespace}"' if namespace else " at the cluster scope"
            self._fail(
                403,
                "Forbidden",
                f'{plural} is forbidden: User "test" cannot {verb} resource "{plural}"{where}',
            )
            return
        if method == "GET" and not name:
            if watch:
                self._watch(plural, namespace, malformed)
            elif plural == "pods" and self._query.get("labelSelector"):
                endpointslices.serve_selected_pods(self, namespace)
            else:
                self._list(plural, namespace, spec[1])
            return
        if method == "POST" and not name:
            self._create(plural, namespace)
            return
        key = f"{namespace}/{name}" if namespace else name
        if sub == "scale" and plural == "deployments":
            self._scale(method, key)
            return
        if sub == "log" and plural == "pods" and method == "GET":
            serve_pod_log(self, namespace, name)
            return
        if sub:
            self._fail(404, "NotFound", f"unknown subresource {sub}")
            return
        if method == "GET":
            obj = self.fake.state.get(plural, key)
            if obj is None:
                self._fail(404, "NotFound", f'{plural} "{name}" not found')
            else:
                self._json(200, obj)
        elif method in ("PATCH", "PUT"):
            self._patch(method, plural, key)
        elif method == "DELETE":
            if self._dry_run() or self.fake.state.delete(plural, key):
                self._json(200, status_body(200, "", "deleted") | {"status": "Success"})
            else:
                self._fail(404, "NotFound", f'{plural} "{name}" not found')

    def _endpoints(self, namespace: str, name: str) -> None:
        """What the endpoints controller would publish for a Service: the ready pods of the
        deployments whose pod template matches its selector (pods carry their template's
        labels; the fake's pods are linked to deployments through their ReplicaSet)."""
        state = self.fake.state
        svc = state.get("services", f"{namespace}/{name}")
        if svc is None:
            self._fail(404, "NotFound", f'endpoints "{name}" not found')
            return
        selector = (svc.get("spec") or {}).get("selector") or {}
        owners = set()
        for key in state.keys("deployments"):
            dep = state.get("deployments", key)
            if dep is None or dep["metadata"]["namespace"] != namespace:
                continue
            labels = dep["spec"]["template"]["metadata"].get("labels") or {}
            if selector and all(labels.get(k) == v for k, v in selector.items()):
                owners.add(f"{dep['metadata']['name']}-7d9f8c6b5")
        addresses = []
        for key in state.keys("pods"):
            if not key.startswith(f"{namespace}/"):
                continue
            p = state.get("pods", key)
            if p is None or p["metadata"].get("deletionTimestamp"):
                continue
            refs = [r.get("name") for r in p["metadata"].get("ownerReferences") or []]
            ready = any(
                c.get("type") == "Ready" and c.get("status") == "True"
                for c in (p.get("status") or {}).get("conditions") or []
            )
            if ready and owners.intersection(refs):
                addresses.append(
                    {
                        "ip": (p.get("status") or {}).get("podIP", ""),
                        "targetRef": {
                            "kind": "Pod",
                            "namespace": namespace,
                            "name": p["metadata"]["name"],
                        },
                    }
                )
        body: Obj = {
            "kind": "Endpoints",
            "apiVersion": "v1",
            "metadata": {"name": name, "namespace": namespace},
            "subsets": [{"addresses": addresses, "ports": [{"port": 8080, "protocol": "TCP"}]}]
            if addresses
            else [],
        }
        self._json(200, body)

    def _table(self, plural: str) -> bool:
        """The client asked for the Table format (served for pods)."""
        accept = self.headers.get("Accept") or ""
        return plural == "pods" and self.fake.faults.tables and "as=Table" in accept

    def _dry_run(self) -> bool:
        return "All" in self._query.get("dryRun", [])

    # -- reads ------------------------------------------------------------------------------

    def _list(self, plural: str, namespace: str, kind: str) -> None:
        state = self.fake.state
        limit = int(self._query.get("limit", ["0"])[0] or 0)
        cap = self.fake.page_cap
        limit = min(limit, cap) if limit and cap else limit
        token = self._query.get("continue", [""])[0]
        with state.lock:
            if token:
                try:
                    start_s, rv_s = token.split(":")
                    start, list_rv = int(start_s), int(rv_s)
                except ValueError:
                    self._fail(400, "BadRequest", "invalid continue token")
                    return
            else:
                start, list_rv = 0, state.rv
            keys = state.keys(plural)
            if namespace:
                lo = bisect.bisect_left(keys, namespace + "/")
                hi = bisect.bisect_left(keys, namespace + "0")  # "0" sorts right after "/"
                keys = keys[lo:hi]
            bucket = state.objects[plural]
            selector = self._query.get("fieldSelector", [""])[0]
            if selector:  # the server filters before it pages (as kube-apiserver's storage does)
                keys = [
                    k for k in keys if matches_field_selector(orjson.loads(bucket[k]), selector)
                ]
            end = len(keys) if not limit else min(start + limit, len(keys))
            chunk = [bucket[k] for k in keys[start:end]]
        meta: Obj = {"resourceVersion": str(list_rv)}
        if end < len(keys):
            meta["continue"] = f"{end}:{list_rv}"
            meta["remainingItemCount"] = len(keys) - end
        profile = self.fake.profile
        if self._table(plural):
            include = self._query.get("includeObject", ["Metadata"])[0]
            due = profile.list_due(len(chunk), include) if profile.paced else 0.0
            rows = b",".join(self.fake.state.row(plural, data, include) for data in chunk)
            head = orjson.dumps(
                {
                    "kind": "Table",
                    "apiVersion": "meta.k8s.io/v1",
                    "metadata": meta,
                    "columnDefinitions": POD_COLUMNS,
                }
            )
            self._send(200, head[:-1] + b',"rows":[' + rows + b"]}", due=due)
            return
        head = orjson.dumps(
            {
                "kind": kind + "List",
                "apiVersion": _PREFIX_TO_GV[RESOURCES[plural][0]],
                "metadata": meta,
            }
        )
        body = head[:-1] + b',"items":[' + b",".join(chunk) + b"]}"
        self._send(200, body, due=profile.list_due(len(chunk), "") if profile.paced else 0.0)

    def _watch(self, plural: str, namespace: str, malformed: bool) -> None:
        fake = self.fake
        q = self._query
        rv = int(q.get("resourceVersion", ["0"])[0] or 0)
        bookmarks = q.get("allowWatchBookmarks", ["false"])[0] == "true"
        timeout = float(q.get("timeoutSeconds", [str(fake.max_watch_seconds)])[0])
        deadline = time.monotonic() + min(timeout, fake.max_watch_seconds)
        initial = q.get("sendInitialEvents", ["false"])[0] == "true"
        if initial:
            # kube-apiserver's validation (apimachinery/pkg/apis/meta/internalversion/validation).
            if not fake.watch_list:
                self._fail(
                    422,
                    "Invalid",
                    "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch "
                    "unless the WatchList feature gate is enabled",
                )
                return
            if q.get("resourceVersionMatch", [""])[0] != "NotOlderThan" or not bookmarks:
                self._fail(
                    422,
                    "Invalid",
                    "sendInitialEvents requires resourceVersionMatch=NotOlderThan "
                    "and allowWatchBookmarks=true",
                )
                return
        fake._record(
            "GET",
            self._path,
            self._query,
            200,
            "",
            self.headers.get("Accept-Encoding") or "",
            self.headers.get("User-Agent") or "",
        )
        # Never compressed, whatever Accept-Encoding says: kube-apiserver's WatchServer writes
        # events straight to the ResponseWriter (handlers/watch.go, 1.30-1.36; 1.37 gzips only
        # WatchList requests, sendInitialEvents=true; this fake answers as 1.36 does).
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        with fake._log_lock:
            fake._starting.pop(self, None)
            fake._watches[self] = self._path
        try:
            self._stream(plural, namespace, malformed, rv, bookmarks, deadline, initial)
        except OSError:
            self.close_connection = True

    def _stream(
        self,
        plural: str,
        namespace: str,
        malformed: bool,
        rv: int,
        bookmarks: bool,
        deadline: float,
        initial: bool = False,
    ) -> None:
        fake = self.fake
        state = fake.state
        drop = fake.faults.take("GET", self._path, True, ("drop",))
        garbage = malformed
        bad_after = 0
        if garbage:
            for rule in fake.faults.rules:
                if rule.action == "malformed":
                    bad_after = rule.after
                    break
        gone = fake.faults.take("GET", self._path, True, ("gone",))
        endless = fake.faults.take("GET", self._path, True, ("endless",))

        def write(line: bytes) -> None:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.flush()

        kind = RESOURCES[plural][1]
        api_version = _PREFIX_TO_GV[RESOURCES[plural][0]]
        if endless is not None:
            # One watch event whose line never ends (up to ``limit`` bytes, then the
            # connection is cut): a client must give up on it, not buffer it all.
            write(b'{"type":"ADDED","object":{"metadata":{"name":"')
            filler = b"x" * 65536
            while endless.sent < endless.limit and not fake.stopping.is_set():
                write(filler)
                endless.sent += len(filler)
            self._drop()
            return
        if gone is not None or (rv and rv < state.oldest_rv):
            write(
                orjson.dumps(
                    {
                        "type": "ERROR",
                        "object": status_body(
                            410, "Expired", f"too old resource version: {rv} ({state.oldest_rv})"
                        ),
                    }
                )
                + b"\n"
            )
            write(b"")
            return
        sent = 0
        table = self._table(plural)
        include = self._query.get("includeObject", ["Metadata"])[0]
        columns_sent = False
        selector = self._query.get("fieldSelector", [""])[0]

        def event_line(etype: str, data: bytes, ev_rv: int) -> bytes:
            nonlocal columns_sent
            if table:
                table_obj: Obj = {
                    "kind": "Table",
                    "apiVersion": "meta.k8s.io/v1",
                    "metadata": {"resourceVersion": str(ev_rv)},
                }
                if not columns_sent:
                    table_obj["columnDefinitions"] = POD_COLUMNS
                    columns_sent = True
                head = orjson.dumps(table_obj)
                data = head[:-1] + b',"rows":[' + state.row(plural, data, include) + b"]}"
            return b'{"type":"' + etype.encode() + b'","object":' + data + b"}\n"

        def bookmark(at: int, end: bool = False) -> bytes:
            meta: Obj = {"resourceVersion": str(at)}
            if end:
                meta["annotations"] = {"k8s.io/initial-events-end": "true"}
            return (
                orjson.dumps(
                    {
                        "type": "BOOKMARK",
                        "object": {"kind": kind, "apiVersion": api_version, "metadata": meta},
                    }
                )
                + b"\n"
            )

        if initial:
            # Streaming list: the state as ADDED events, then the bookmark that ends it, then
            # the watch goes on from there.
            with state.lock:
                rv = state.rv
                keys = state.keys(plural)
                if namespace:
                    lo = bisect.bisect_left(keys, namespace + "/")
                    hi = bisect.bisect_left(keys, namespace + "0")
                    keys = keys[lo:hi]
                bucket = state.objects[plural]
                chunk = [bucket[k] for k in keys]
            profile = fake.profile
            pace_every = max(profile.pace_every, 1) if profile.paced else 0
            for data in chunk:
                if selector and not matches_field_selector(orjson.loads(data), selector):
                    continue
                if drop is not None and sent >= drop.after:
                    self._drop()
                    return
                if pace_every and sent % pace_every == 0:
                    self._pace(profile.watch_list_due(sent))
                write(event_line("ADDED", data, rv))
                sent += 1
            if pace_every:
                self._pace(profile.watch_list_due(sent))
            write(bookmark(rv, end=True))
        if not rv:
            with state.lock:  # a watch from "now"
                rv = state.rv
        last_bookmark = time.monotonic()
        profile = fake.profile
        # The real watch cache also sends one bookmark just before the watch's deadline, and
        # sends bookmarks on time however busy the watch is (cacheWatcher.nextBookmarkTime).
        before = profile.bookmark_before_deadline
        last_call_sent = before is None
        while not fake.stopping.is_set():
            now = time.monotonic()
            if now >= deadline:
                break
            with state.lock:
                events = state.events_after(rv)
                if not events:
                    state.lock.wait(min(0.1, deadline - now))
                    events = state.events_after(rv)
                current_rv = state.rv
            out = []
            for ev in events:
                rv = ev.rv
                if ev.plural != plural or (namespace and ev.namespace != namespace):
                    continue
                data = ev.data
                if selector and not matches_field_selector(orjson.loads(data), selector):
                    continue
                out.append(event_line(ev.type, data, ev.rv))
            if out:
                for line in out:
                    if drop is not None and sent >= drop.after:
                        self._drop()
                        return
                    if garbage and sent >= bad_after:
                        write(b'{"type":"MODIFIED","object":{"metadata":\n')
                        garbage = False
                    write(line)
                    sent += 1
            if bookmarks and (not out or profile.bookmarks_while_busy):
                now = time.monotonic()
                last_call = not last_call_sent and before is not None and now >= deadline - before
                if last_call or now - last_bookmark >= fake.bookmark_seconds:
                    rv = max(rv, current_rv)
                    write(bookmark(rv))
                    last_bookmark = now
                    last_call_sent = last_call_sent or last_call
            if drop is not None and drop.after == 0 and sent == 0 and not out:
                self._drop()
                return
        write(b"")

    # -- writes -----------------------------------------------------------------------------

    def _precondition(self, current: Obj, patch: Any) -> bool:
        if not isinstance(patch, dict):
            return True
        want = (patch.get("metadata") or {}).get("resourceVersion")
        return not want or want == current["metadata"]["resourceVersion"]

    def _apply_patch(self, current: Obj, patch: Any) -> Obj | None:
        ctype = (self.headers.get("Content-Type") or "").split(";")[0]
        try:
            if ctype == "application/json-patch+json":
                return json_patch(current, patch)
            if ctype in ("application/merge-patch+json", "application/strategic-merge-patch+json"):
                return merge_patch(current, patch)  # type: ignore[no-any-return]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            self._fail(422, "Invalid", f"patch failed: {exc}")
            return None
        self._fail(415, "UnsupportedMediaType", f"unsupported patch type {ctype}")
        return None

    def _patch(self, method: str, plural: str, key: str) -> None:
        state = self.fake.state
        body = self._body()
        with state.lock:
            current = state.get(plural, key)
            if current is None:
                self._fail(404, "NotFound", f'{plural} "{key}" not found')
                return
            if not self._precondition(current, body):
                self._fail(
                    409,
                    "Conflict",
                    f'Operation cannot be fulfilled on {plural} "{key}": '
                    "the object has been modified; please apply your changes to the "
                    "latest version and try again",
                )
                return
            new = body if method == "PUT" else self._apply_patch(current, body)
            if new is None:
                return
            new.setdefault("metadata", {})["resourceVersion"] = current["metadata"][
                "resourceVersion"
            ]
            if self._dry_run():
                self._json(200, new)
                return
            if plural == "services":  # the endpointslice controller sees the change
                self.fake.slices.selector_patched(
                    key,
                    (current.get("spec") or {}).get("selector") or {},
                    (new.get("spec") or {}).get("selector") or {},
                )
            self._json(200, state.put(plural, new))

    def _scale(self, method: str, key: str) -> None:
        state = self.fake.state
        with state.lock:
            dep = state.get("deployments", key)
            if dep is None:
                self._fail(404, "NotFound", f'deployments.apps "{key}" not found')
                return

            def scale_of(d: Obj) -> Obj:
                m = d["metadata"]
                return {
                    "kind": "Scale",
                    "apiVersion": "autoscaling/v1",
                    "metadata": {
                        "name": m["name"],
                        "namespace": m["namespace"],
                        "resourceVersion": m["resourceVersion"],
                    },
                    "spec": {"replicas": d["spec"].get("replicas", 1)},
                    "status": {
                        "replicas": d.get("status", {}).get("replicas", 0),
                        "selector": ",".join(
                            f"{k}={v}" for k, v in d["spec"]["selector"]["matchLabels"].items()
                        ),
                    },
                }

            current = scale_of(dep)
            if method == "GET":
                self._json(200, current)
                return
            body = self._body()
            if not self._precondition(current, body):
                self._fail(
                    409,
                    "Conflict",
                    f"Operation cannot be fulfilled on deployments.apps "
                    f'"{key}": the object has been modified',
                )
                return
            new = body if method == "PUT" else self._apply_patch(current, body)
            if new is None:
                return
            replicas = (new.get("spec") or {}).get("replicas")
            if not isinstance(replicas, int) or replicas < 0:
                self._fail(422, "Invalid", "spec.replicas: Invalid value: must be >= 0")
                return
            dep["spec"]["replicas"] = replicas
            if self._dry_run():
                self._json(200, scale_of(dep))
                return
            self._json(200, scale_of(state.put("deployments", dep)))

    def _create(self, plural: str, namespace: str) -> None:
        state = self.fake.state
        obj = self._body()
        if not isinstance(obj, dict) or not (obj.get("metadata") or {}).get("name"):
            self._fail(422, "Invalid", "metadata.name: Required value")
            return
        if namespace:
            obj["metadata"]["namespace"] = namespace
        obj["metadata"].setdefault(
            "creationTimestamp", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        )
        with state.lock:
            if state.get(plural, _key(obj)) is not None:
                self._fail(
                    409, "AlreadyExists", f'{plural} "{obj["metadata"]["name"]}" already exists'
                )
                return
            if self._dry_run():
                self._json(201, obj)
                return
            self._json(201, state.put(plural, obj))

    def _access_review(self) -> None:
        body = self._body() or {}
        attrs = (body.get("spec") or {}).get("resourceAttributes") or {}
        resource = attrs.get("resource", "")
        if attrs.get("subresource"):
            resource += "/" + attrs["subresource"]
        denied = self.fake.faults.refuses(
            attrs.get("verb", ""), resource, attrs.get("namespace", "")
        )
        body["status"] = {"allowed": not denied}
        if denied:
            body["status"]["reason"] = "no RBAC policy matched"
        self._json(201, body)


def write_kubeconfig(
    path: Path,
    contexts: dict[str, tuple[str, str]],
    *,
    current: str = "",
    exec_command: list[str] | None = None,
) -> Path:
    """A kubeconfig with one context per ``name: (server url, token)``.

    With ``exec_command``, users get an exec credential plugin (``command`` then ``args``)
    instead of a static token, as EKS and GKE kubeconfigs do.
    """
    clusters, users, ctxs = [], [], []
    for i, (name, (server, token)) in enumerate(contexts.items()):
        clusters.append({"name": f"c{i}", "cluster": {"server": server}})
        if exec_command:
            user: Obj = {
                "exec": {
                    "apiVersion": "client.authentication.k8s.io/v1beta1",
                    "command": exec_command[0],
                    "args": exec_command[1:],
                    "interactiveMode": "Never",
                }
            }
        else:
            user = {"token": token}
        users.append({"name": f"u{i}", "user": user})
        ctxs.append({"name": name, "context": {"cluster": f"c{i}", "user": f"u{i}"}})
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": clusters,
        "users": users,
        "contexts": ctxs,
        "current-context": current or next(iter(contexts), ""),
    }
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")  # JSON is valid YAML
    return path


def main(argv: list[str] | None = None) -> int:
    """Serve a platform of ``--pods`` pods until stdin closes; print the URL first."""
    import sys

    from tests.fakes.k8s_objects import platform

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--pods", type=int, default=25_000)
    parser.add_argument("--cloud", default="aws")
    parser.add_argument(
        "--profile", choices=list(PROFILES), default="fast", help="see server_profile.py"
    )
    args = parser.parse_args(argv)
    server = FakeApiServer(
        platform(args.cloud, pods=args.pods),
        max_watch_seconds=600,
        profile=PROFILES[args.profile],
    ).start()
    print(server.url, flush=True)
    try:
        for line in sys.stdin:  # commands: "churn RATE SECONDS", "quit"
            words = line.split()
            if words and words[0] == "churn":
                server.churn(float(words[1]), float(words[2]))
                print("ok", flush=True)
            elif words and words[0] == "quit":
                break
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
